/* rng.h - random streams: one GSL generator per named stream.
 *
 * A stream's seed is a hash of (scenario seed, stream name), so a workload's
 * draws do not depend on which other workloads or pools exist (common random
 * numbers: two scenarios that differ only in their fleet see the same
 * arrivals). Generator: GSL's mt19937 (Matsumoto and Nishimura 1998).
 */
#ifndef DCSIM_RNG_H
#define DCSIM_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* The 64-bit seed of stream `name` under scenario seed `seed` (FNV-1a of the
 * name mixed with the seed by SplitMix64's finaliser). */
uint64_t rng_stream_seed(uint64_t seed, const char *name);

/* A new generator for the stream, or NULL if out of memory. Free with
 * gsl_rng_free. */
gsl_rng *rng_stream_alloc(uint64_t seed, const char *name);

#endif
