/* sweep.h - a sweep: one base scenario, a set of variants (overrides of its
 * settings) and a number of replications (seeds) of each; every run
 * summarised, then the statistics of each variant and its paired difference
 * against a reference variant.
 *
 * The sweep file (libconfig; docs/SWEEP.md has every setting and a worked
 * example):
 *   name = "fleet-mix";  base = "fleet-mix-base.cfg";  replications = 4;
 *   seed = 1;  reference = "all-gpu";  slo_max_wait = "1h";  series = false;
 *   set = [ "duration=30d" ];                      # applied to every variant
 *   variants = ( { name = "all-gpu"; set = [ "sites.dc.pools.gpu.count=64" ]; }, ... );
 *   grid = ( { path = "sites.dc.pools.gpu.count"; values = [ 16, 32 ]; },
 *            { path = "workloads.chat.rate.mean_per_s"; from = 10.0; to = 50.0; step = 10.0; } );
 * Variants are the given combinations (`variants`), the full grid of the
 * axes (`grid`), or their product when both are given.
 *
 * Seeds: replication r of every variant runs with seed + r (common random
 * numbers), so two variants see the same arrivals replication by replication.
 * A run is sim_alloc/sim_run of the variant's scenario with that seed and an
 * in-memory sink: it depends on nothing else in the process, so the runs may
 * go in any order on any thread or MPI rank and give the same figures.
 */
#ifndef DCSIM_SWEEP_H
#define DCSIM_SWEEP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "sweeprec.h"

#define SWEEP_MAX_VARIANTS 100000
#define SWEEP_MAX_REPS 10000
#define SWEEP_MAX_RUNS 1000000L

typedef struct sweep sweep;

/* Reads the sweep file, expands its variants and loads (validates) every
 * variant's scenario and its input files, before anything runs. Returns NULL
 * with "file:line: what is wrong" in err on a user error. */
sweep *sweep_load(const char *path, char *err, size_t errlen);
void sweep_free(sweep *sw); /* NULL is a no-op */

/* Command-line settings that replace the file's: replications (1 ..
 * SWEEP_MAX_REPS, and seed + nreps - 1 < 2^63; else -1 and nothing changes)
 * and whether each run's full series is kept. */
int sweep_set_replications(sweep *sw, int nreps);
void sweep_set_series(sweep *sw, int on);

int sweep_nvariants(const sweep *sw);
int sweep_nreps(const sweep *sw);
long sweep_nruns(const sweep *sw);
int sweep_nmetrics(const sweep *sw);
const char *sweep_name(const sweep *sw);
const char *sweep_variant_name(const sweep *sw, int v);
uint64_t sweep_seed(const sweep *sw, int rep);
const char *sweep_output(const sweep *sw); /* the file's `output`, or results/<name>.h5 */
int sweep_series_on(const sweep *sw);
/* Bytes the full series of every run take (in memory and in the file). */
double sweep_series_bytes(const sweep *sw);

/* Runs run k (variant k / nreps, replication k % nreps) and stores its figures
 * in the sweep (row k of the values, its series if kept, its wall time).
 * Safe to call from several threads at once for different k. Returns 0, 1 if
 * stopped through *stop, or -1 with a message in err. */
int sweep_run_one(sweep *sw, long k, volatile sig_atomic_t *stop, char *err, size_t errlen);

/* Allocates the per-run storage (done by sweep_run_all; call it once before
 * calling sweep_run_one from several threads). Returns 0 or -1. */
int sweep_alloc_runs(sweep *sw);

/* Run k's full series packed as doubles [nsteps, t..., site values...,
 * pool values...] into *buf (caller frees); returns the count, or -1. And
 * the reverse, on the rank that writes the file. */
long sweep_series_pack(const sweep *sw, long k, double **buf);
int sweep_series_unpack(sweep *sw, long k, const double *buf, long n);

/* The figures of run k (sweep_nmetrics values) and its wall time: to fill in
 * a run done elsewhere (another MPI rank). */
double *sweep_row(sweep *sw, long k);
void sweep_set_run_wall(sweep *sw, long k, double wall_s);
double sweep_run_wall(const sweep *sw, long k);

/* Called after every finished run (from the thread that ran it, one call at
 * a time) with runs done and runs in all. */
typedef void (*sweep_progress_fn)(void *ctx, long done, long total);

/* Runs every run on `threads` OpenMP threads (dynamic schedule: the next
 * free thread takes the next run). Returns 0, 1 if stopped, -1 on the first
 * failed run (message in err; the remaining runs are skipped). */
int sweep_run_all(sweep *sw, int threads, volatile sig_atomic_t *stop, sweep_progress_fn progress, void *ctx,
                  char *err, size_t errlen);

/* Computes the statistics from the stored rows and fills r (which borrows
 * from sw: valid until sweep_free or the next call). Timing fields are set
 * from the arguments. Returns 0, or -1 (out of memory). */
int sweep_finish(sweep *sw, sweep_result *r, double wall_s, int threads, int ranks, char *err, size_t errlen);

/* The metric table (the columns of /runs), and the index of a metric by name
 * (-1 if none). */
const sweep_metric *sweep_metrics(int *n);
int sweep_metric_index(const char *name);

#endif
