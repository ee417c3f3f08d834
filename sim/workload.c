/* workload.c - arrivals and job sizes (see workload.h for the models). */
#include "workload.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>

#include "rng.h"

/* Exponential variate of the given mean by inversion, -mean ln U with U
 * uniform on (0, 1); the same law as gsl_ran_exponential, which computes
 * log1p(-U) and is about twice as slow. */
static inline double draw_exponential(gsl_rng *r, double mean) { return -mean * log(gsl_rng_uniform_pos(r)); }

/* The burst state up to time t: draws burst starts until the next one lies
 * after t. */
static void bursts_to(workload_state *ws, double t)
{
    while (ws->burst_next_s <= t) {
        ws->burst_start_s = ws->burst_next_s;
        ws->burst_next_s += draw_exponential(ws->burst_rng, 1.0 / ws->w->burst_per_s);
    }
}

double workload_nhpp_rate(workload_state *ws, double t)
{
    const scn_workload *w = ws->w;
    double e = (double)ws->start_epoch + t;
    double day = floor(e / 86400.0), sod = e - day * 86400.0;
    int hour = (int)(sod / 3600.0);
    double d = w->daily[hour < 24 ? hour : 23];
    if (w->diurnal_amplitude_arr > 0)
        d = 1.0 + w->diurnal_amplitude_arr * cos(2.0 * M_PI * (sod / 3600.0 - w->peak_hour_arr) / 24.0);
    long long dow = ((long long)day + 3) % 7; /* 1970-01-01 was a Thursday: Monday = 0 */
    if (dow < 0)
        dow += 7;
    double r = w->rate_per_s * d * w->weekly[dow];
    if (w->growth_per_year != 0)
        r *= pow(1.0 + w->growth_per_year, t / (365.0 * 86400.0));
    if (ws->burst_rng) {
        bursts_to(ws, t);
        if (t < ws->burst_start_s + w->burst_s)
            r *= w->burst_factor;
    }
    return r;
}

/* The first nhpp arrival after t (INFINITY past horizon), by thinning. */
static double nhpp_next(workload_state *ws, double t, double horizon_s)
{
    const double lmax = ws->w->rate_max_per_s;
    for (;;) {
        t += draw_exponential(ws->rng, 1.0 / lmax);
        if (t >= horizon_s)
            return INFINITY;
        if (gsl_rng_uniform(ws->rng) * lmax < workload_nhpp_rate(ws, t))
            return t;
    }
}

static double first_arrival(workload_state *ws, double horizon_s)
{
    const scn_workload *w = ws->w;
    if (w->arrival == ARR_POISSON)
        return w->first_s + draw_exponential(ws->rng, 1.0 / w->rate_per_s);
    if (w->arrival == ARR_NHPP)
        return nhpp_next(ws, w->first_s, horizon_s);
    return w->first_s;
}

int workload_init(workload_state *ws, const scenario *s, const scn_workload *w)
{
    ws->w = w;
    ws->arrived = 0;
    ws->start_epoch = s->start_epoch;
    ws->burst_rng = NULL;
    ws->rng = rng_stream_alloc(s->seed, w->name);
    if (!ws->rng)
        return -1;
    if (w->arrival == ARR_NHPP && w->burst_per_s > 0) {
        char name[SCN_NAME_MAX + 16];
        snprintf(name, sizeof name, "%s/bursts", w->name);
        if (!(ws->burst_rng = rng_stream_alloc(s->seed, name)))
            return -1;
        ws->burst_start_s = -INFINITY;
        ws->burst_next_s = draw_exponential(ws->burst_rng, 1.0 / w->burst_per_s);
    }
    ws->next_s = first_arrival(ws, s->duration_s);
    if (ws->next_s >= s->duration_s)
        ws->next_s = INFINITY;
    return 0;
}

void workload_free(workload_state *ws)
{
    if (ws && ws->rng) {
        gsl_rng_free(ws->rng);
        ws->rng = NULL;
    }
    if (ws && ws->burst_rng) {
        gsl_rng_free(ws->burst_rng);
        ws->burst_rng = NULL;
    }
}

double workload_expected_requests(const scn_workload *w, int64_t start_epoch, double t0, double t1)
{
    /* phase of the day in radians at time t, anchored at the UTC midnight
     * before start so large epochs keep their precision */
    double day0 = (double)(start_epoch % 86400);
    double k = 2.0 * M_PI / 86400.0, ph = 2.0 * M_PI * w->peak_hour_utc / 24.0;
    double s1 = sin(k * (day0 + t1) - ph), s0 = sin(k * (day0 + t0) - ph);
    return w->rate_mean_per_s * ((t1 - t0) + w->diurnal_amplitude * (s1 - s0) / k);
}

int workload_arrive(workload_state *ws, int64_t start_epoch, double horizon_s, job_spec *job)
{
    const scn_workload *w = ws->w;
    double now = ws->next_s;
    int submit = 1;
    long long idx = ws->arrived++;
    job->u = w->utilization;
    job->node_w = w->node_power_w;
    job->requests = 0;
    job->deadline_s = INFINITY;
    job->priority = w->priority;
    if (w->arrival == ARR_TRACE) {
        const jobtrace_job *tj = &w->trace->jobs[idx];
        job->nodes = tj->nodes;
        job->duration_s = tj->duration_s;
        job->deadline_s = tj->deadline_s;
        if (tj->priority)
            job->priority = tj->priority;
    } else if (w->kind == WL_INFERENCE || w->kind == WL_AGGREGATE) {
        double t1 = fmin(now + w->every_s, horizon_s);
        double mean = workload_expected_requests(w, start_epoch, now, t1);
        /* requests are a Poisson count; aggregate energy (J) is its mean */
        double n = w->kind == WL_AGGREGATE ? mean : mean > 0 ? (double)gsl_ran_poisson(ws->rng, mean) : 0.0;
        double node_s = n * w->node_s_per_request;
        long long k = (long long)ceil(node_s / (t1 - now));
        if (k > w->max_nodes)
            k = w->max_nodes;
        if (k < 1)
            k = 1;
        job->nodes = k;
        job->duration_s = node_s / (double)k;
        job->requests = w->kind == WL_INFERENCE ? n : 0.0;
        submit = n > 0;
    } else {
        job->nodes = w->nodes;
        job->duration_s = w->service_dist == DIST_EXPONENTIAL ? draw_exponential(ws->rng, w->service_mean_s)
                                                               : w->service_mean_s;
    }
    /* the next arrival */
    double next = INFINITY;
    if (w->count < 0 || ws->arrived < w->count) {
        if (w->arrival == ARR_POISSON)
            next = now + draw_exponential(ws->rng, 1.0 / w->rate_per_s);
        else if (w->arrival == ARR_EVERY)
            next = w->first_s + (double)ws->arrived * w->every_s;
        else if (w->arrival == ARR_NHPP)
            next = nhpp_next(ws, now, horizon_s);
        else if (w->arrival == ARR_TRACE)
            next = w->first_s + w->trace->jobs[ws->arrived].submit_s;
    }
    ws->next_s = next < horizon_s ? next : INFINITY;
    return submit;
}
