/* sweepmpi.h - a sweep's runs spread over MPI ranks (built with `make MPI=1`).
 *
 * Dynamic load balancing, master and workers: rank 0 hands out run indices
 * on request and collects each run's figures; every other rank asks for
 * work, runs what it gets on its OpenMP threads, returns the figures (and
 * the full series when the sweep keeps them) and asks again, until rank 0
 * answers with no work. Runs differ in length, so a rank that finishes early
 * simply asks sooner. Rank 0 runs runs too: its main thread serves requests
 * (polling, sleeping 0.2 ms between polls) while its other threads work, so
 * only the main thread calls MPI (MPI_THREAD_FUNNELED).
 *
 * Messages (tags):
 *   RESULT (worker -> 0): doubles [threads, nrows, then per row: run index,
 *           status (0 ok), wall s, figures...]; the first one has no rows and
 *           is the worker's first request.
 *   WORK   (0 -> worker): int [n] run indices, -1 padded; all -1 = stop.
 *   SERIES (worker -> 0): after a RESULT with series kept: per row, the
 *           step count then time, site and pool values, as doubles.
 * A run is the same computation on every rank (a function of the variant and
 * the seed only), so rank 0's file equals the one-process file.
 *
 * Without MPI (the default build) there is one rank and sweepmpi_run is not
 * used: these functions then report rank 0 of 1.
 */
#ifndef DCSIM_SWEEPMPI_H
#define DCSIM_SWEEPMPI_H

#include <signal.h>
#include <stddef.h>

#include "sweep.h"

/* 1 if this binary was built with MPI. */
int sweepmpi_enabled(void);

/* Initialises MPI (if built with it and started by mpirun/srun) and gives
 * this process's rank and the number of ranks. Returns 0, or -1 with err. */
int sweepmpi_init(int *rank, int *size, char *err, size_t errlen);
void sweepmpi_finalize(void);

/* The largest of every rank's status (so all ranks agree to stop or go on). */
int sweepmpi_agree(int status);

/* Runs every run of sw over all ranks, `threads` OpenMP threads each. On
 * rank 0 returns with every row of sw filled in; on the others returns when
 * rank 0 has no more work. Returns 0, 1 if stopped, -1 on a failed run
 * (message in err). */
int sweepmpi_run(sweep *sw, int threads, volatile sig_atomic_t *stop, sweep_progress_fn progress, void *ctx,
                 char *err, size_t errlen);

#endif
