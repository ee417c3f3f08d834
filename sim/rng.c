/* rng.c - per-stream GSL generators seeded from (seed, name) (see rng.h). */
#include "rng.h"

static uint64_t mix64(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t rng_stream_seed(uint64_t seed, const char *name)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a 64 */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    return mix64(h ^ mix64(seed));
}

gsl_rng *rng_stream_alloc(uint64_t seed, const char *name)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!r)
        return NULL;
    uint64_t s = rng_stream_seed(seed, name);
    /* mt19937 takes 32 bits of seed; fold the 64 (0 would select GSL's default) */
    unsigned long s32 = (unsigned long)((s ^ (s >> 32)) & 0xffffffffUL);
    gsl_rng_set(r, s32 ? s32 : 1UL);
    return r;
}
