/* sim.h - one simulation run: engine + fleet + workloads + scheduler + accounting.
 *
 * Event kinds (engine.h): a step boundary, a workload's next arrival, a job's
 * end. Each handler does O(1) work plus O(log n) in the engine, apart from
 * the step boundary, which visits every pool (O(pools) per step).
 * Memory: O(pending events + running and queued jobs); finished jobs stream
 * to the sink.
 */
#ifndef DCSIM_SIM_H
#define DCSIM_SIM_H

#include <signal.h>
#include <stdint.h>

#include "scenario.h"
#include "sink.h"

#define DCSIM_VERSION "0.1.0"

typedef struct sim sim;

typedef struct sim_options {
    volatile sig_atomic_t *stop; /* set non-zero (e.g. by a signal) to stop the run; may be NULL */
    /* called every ~65536 events with the simulated time and fraction done */
    void (*progress)(void *ctx, double t_s, double frac, uint64_t events);
    void *progress_ctx;
} sim_options;

/* What a finished run reports besides the result file. */
typedef struct sim_stats {
    uint64_t events;         /* events processed */
    double end_s;            /* simulated end, s */
    double wall_s;           /* wall-clock time of the run, s */
    long long submitted, completed, rejected, running_at_end, queued_at_end;
    double sum_wait_s;       /* sum over started jobs of start - submit, s */
    long long started, waited; /* jobs started; of them, jobs that waited > 0 */
    double busy_node_s;      /* sum over jobs of nodes x run time (to the end), node-s */
    double job_energy_kwh;   /* IT energy of all jobs (to the end), kWh */
    double idle_energy_kwh;  /* IT energy of idle and off nodes, kWh */
    double it_energy_kwh, facility_energy_kwh, grid_energy_kwh, emissions_kg, water_l, cost_usd;
} sim_stats;

/* Prepares a run of s (reads grid traces, allocates streams). Returns NULL
 * with a message in err on failure. s must outlive the sim. */
sim *sim_alloc(const scenario *s, char *err, size_t errlen);
void sim_free(sim *m); /* NULL is a no-op */

/* Runs to the end, handing records to out, and closes out (commit on success,
 * discard otherwise). Returns 0 on success, 1 if stopped through opt->stop,
 * -1 on error (message in err). A sim runs once. */
int sim_run(sim *m, sink *out, const sim_options *opt, char *err, size_t errlen);

const sim_stats *sim_get_stats(const sim *m);

/* Notices about the inputs (e.g. hours a gap policy filled), one per line,
 * or "": the caller shows them to the user. */
const char *sim_notice(const sim *m);

/* Serving results (latency percentiles, SLO violations) of workload i after
 * the run, or NULL unless it is served per request or per step (serve.h). */
struct serve_result;
const struct serve_result *sim_serve_result(const sim *m, int workload);

/* Jobs of workload i rejected because no candidate pool can ever hold them. */
long long sim_rejected(const sim *m, int workload);

#endif
