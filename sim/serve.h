/* serve.h - inference serving per request and per step (fluid), and the
 * autoscaler of serving pools. The models, with their equations and sources,
 * are in docs/SCHEDULING.md, "Inference serving"; in short:
 *
 * Request mode. Requests arrive as a non-homogeneous Poisson process of rate
 *     lambda(t) = m (1 + A cos(2 pi (h(t) - h_peak) / 24)),  1/s
 * (the workload's `rate`; thinning, Lewis and Shedler 1979), drawn from the
 * workload's own stream. They wait in one FIFO queue. A node takes a batch
 * when one is free and either max_batch requests wait (it takes max_batch) or
 * the oldest has waited max_wait (it takes all that wait). A batch of b
 * requests holds one node, busy at the workload's u, for
 *     T(b) = b t_p + o t_s(b)      (roofline: t_p prefill per request,
 *                                   t_s(b) the decode step of b sequences)
 *     T(b) = b t_r                 (a given or measured throughput)
 * and every request of it sees its first token at start + F(b), F(b) = b t_p
 * (roofline) or T(b) p / (p + o), and its last at start + T(b). So
 *     TTFT = start + F(b) - arrival,   E2E = start + T(b) - arrival.
 * Latencies go into log-spaced histograms (128 bins per octave from 2^-20 s
 * to 2^24 s): a reported percentile is the midpoint of its bin, within
 * 0.4% of the exact order statistic.
 *
 * Fluid mode. Per step, from the mean rate of the step: the batch size b
 * (E[min(B, 1 + Poisson(lambda w))], grown up to B while the nodes would
 * be overloaded), the busy nodes a = lambda T(b) / b, power = a busy nodes
 * + the rest idle, and the latency distribution from the batching wait plus
 * the M/G/c queueing delay of batches (Erlang C with the Allen-Cunneen
 * correction), quantiles added comonotonically.
 *
 * Autoscaler (either mode, `serving.autoscale`): every interval (request
 * mode) or step (fluid), desired = clamp(ceil(demand / target), min, max)
 * with demand the busy nodes measured over the interval plus the queue's
 * work (request) or a (fluid); more nodes are switched on after the wish
 * held for scale_up_delay (they wake with the pool's wake latency and boot
 * energy, sim/power.h), idle nodes are switched off after fewer were wanted
 * for scale_down_delay.
 *
 * A serving pool belongs to its workload (scenario.c checks). Cost per
 * request: O(1) (one or two draws, a ring push and pop, two histogram
 * increments); per batch: one event; memory O(waiting requests + steps).
 */
#ifndef DCSIM_SERVE_H
#define DCSIM_SERVE_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "fleet.h"
#include "power.h"
#include "scenario.h"
#include "sink.h"

#define SERVE_NKINDS 4 /* event kinds used: kind_base .. kind_base + 3 */

typedef struct serve serve;

/* Per-workload results of a finished run (NaN where a figure has no data). */
typedef struct serve_result {
    double requests;          /* requests whose batch started (fluid: served), 1 */
    double batches;           /* batches started (fluid: requests / mean batch), 1 */
    double ttft_s[3];         /* p50, p95, p99 time to first token, s */
    double e2e_s[3];          /* p50, p95, p99 end-to-end latency, s */
    double slo_violations;    /* requests over slo_ttft or slo_e2e, 1 */
    double unserved;          /* requests still waiting at the end (fluid: backlog), 1 */
    double mean_ttft_s, mean_e2e_s; /* means, s */
} serve_result;

/* Sets up every workload of s served in mode request or fluid, on
 * pools[npools] (their power-management state in pw[npools]), scheduling its
 * events on eng with kinds kind_base ... Returns NULL with a message in err
 * if out of memory. A scenario with no such workload gives a valid, empty
 * serve. Free with serve_free. */
serve *serve_alloc(const scenario *s, pool_state *pools, power_pool *pw, engine *eng, uint32_t kind_base, char *err,
                   size_t errlen);
void serve_free(serve *v); /* NULL is a no-op */

/* 1 if workload wl is served by this module (its arrivals are not jobs). */
int serve_owns(const serve *v, int wl);

/* Schedules the first events and sets the fluid load of the first step.
 * Returns 0, or -1 if out of memory. */
int serve_start(serve *v);

/* Handles an event of one of serve's kinds at t. Returns 0 or -1 (memory). */
int serve_event(serve *v, uint32_t kind, uint32_t idx, double t);

/* The accounting step [t0, t1) closes: records its row of the per-step
 * series; in fluid mode sets the load of the step that starts at t1 (if
 * before the horizon). Returns 0 or -1 (memory). */
int serve_close_step(serve *v, double t0, double t1);

/* The run ended at `end`: counts the requests still waiting. */
void serve_finish(serve *v, double end);

/* Results of workload wl, or NULL if serve does not own it. */
const serve_result *serve_result_of(const serve *v, int wl);

/* Writes each owned workload's per-step series through the sink's table()
 * as "serving/<workload>" (time, requests, p95_ttft_s, p95_e2e_s,
 * slo_violations, queue). Returns 0, or -1 (message via the sink). */
int serve_write_series(const serve *v, const sink *out);

/* The number of per-step rows recorded so far. */
long serve_steps(const serve *v);

#endif
