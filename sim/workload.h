/* workload.h - where jobs come from: arrival times and job sizes per workload.
 *
 * Each workload draws from its own random stream (rng.h), so its arrivals do
 * not change when other workloads or the fleet change. Models:
 *   arrivals  at:      one job at a given time;
 *             poisson: exponential gaps with mean 1/rate (rate may come from
 *                      a target load: rate = load * nodes_on / (nodes * mean));
 *             every:   a fixed interval;
 *             nhpp:    a non-homogeneous Poisson process of rate
 *                        lambda(t) = r * D(h(t)) * W(d(t)) * (1 + g)^(t / 365 d) * B(t)
 *                      r the base rate (1/s), D the daily shape (24 hourly
 *                      multipliers of mean 1, or 1 + A cos(2 pi (h - h_peak)
 *                      / 24)), W the weekly shape (7 multipliers of mean 1,
 *                      Monday first), g the growth per year, B the burst
 *                      factor F inside a burst and 1 outside; bursts start
 *                      as a Poisson process (per_day) and last a fixed time,
 *                      drawn from their own stream "<name>/bursts". Sampled
 *                      by thinning (Lewis and Shedler 1979, Naval Research
 *                      Logistics Quarterly 26(3)): candidates at the bound
 *                      lambda_max = max lambda(t), each kept with
 *                      probability lambda(t) / lambda_max.
 *             trace:   the submissions of a job trace (jobtrace.h), re-based
 *                      to the workload's first arrival.
 *   training  duration = FLOPs / (nodes * node peak * MFU), FLOPs = 6 N D.
 *   generic   duration fixed or exponential with the given mean.
 *   inference one batch job per interval [t0, t0 + dt): requests
 *             n ~ Poisson(integral of rate(t) dt), rate(t) = m (1 + A cos(2 pi
 *             (h(t) - h_peak) / 24)), h(t) the UTC hour of day; work
 *             n * t_r node-seconds (t_r from the roofline of perf.h, a
 *             measured throughput, or tokens / (tokens/s per node)), spread over
 *             k = min(max_nodes, ceil(work / dt)) nodes for work / k seconds.
 */
#ifndef DCSIM_WORKLOAD_H
#define DCSIM_WORKLOAD_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

#include "scenario.h"

typedef struct workload_state {
    const scn_workload *w;
    gsl_rng *rng;            /* this workload's stream */
    long long arrived;       /* arrivals generated so far */
    double next_s;           /* time of the pending arrival, s (INFINITY: none) */
    gsl_rng *burst_rng;      /* nhpp with bursts: the burst starts' stream */
    double burst_start_s;    /* the latest burst drawn: [start, start + length) */
    double burst_next_s;     /* start of the burst after it, s */
    int64_t start_epoch;     /* UTC epoch of t = 0 (for the daily and weekly shapes) */
} workload_state;

/* What one arrival asks for. */
typedef struct job_spec {
    long long nodes;      /* nodes to hold */
    double duration_s;    /* run time once started, s */
    double u;             /* utilisation of its nodes */
    double node_w;        /* > 0: power per node while running, W (replaces P(u)) */
    double requests;      /* inference: requests served by the job */
    double deadline_s;    /* latest end after submission, s (INFINITY: none) */
    int priority;         /* queue priority */
} job_spec;

/* Sets ws up for workload w of scenario s (allocates its stream). Returns 0,
 * or -1 if out of memory. Free with workload_free. */
int workload_init(workload_state *ws, const scenario *s, const scn_workload *w);
void workload_free(workload_state *ws);

/* Draws the job arriving now (at ws->next_s) and the next arrival time
 * (INFINITY when the workload is exhausted or past horizon_s). Returns 1 if
 * a job should be submitted (0: an inference batch with no requests). */
int workload_arrive(workload_state *ws, int64_t start_epoch, double horizon_s, job_spec *job);

/* The arrival rate lambda(t) of an nhpp workload at time t (s since start),
 * 1/s, bursts included as drawn so far (t must not go backwards). */
double workload_nhpp_rate(workload_state *ws, double t);

/* Integral of the inference request rate over [t0, t1], requests
 * (start_epoch anchors the UTC hour of day). */
double workload_expected_requests(const scn_workload *w, int64_t start_epoch, double t0, double t1);

#endif
