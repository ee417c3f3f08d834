/* policy.h - carbon-aware temporal shifting: when should a flexible job start?
 *
 * A job with slack may start at any time in [submit, latest start], latest
 * start = submit + slack, or deadline - run time. The policy evaluates the
 * candidate starts s in {submit} U {every whole hour up to latest start} and
 * takes the one with the lowest forecast mean intensity over the job's run,
 *     F(s) = (1 / d) * integral from s to s + d of I_hat(t) dt,
 * ties to the earliest; the job is held until then (it never plans a start
 * after its latest start). Forecasts I_hat of the hourly average intensity
 * I(h) of the job's site, issued at hour h0 (the decision):
 *   perfect      I_hat(h) = I(h)
 *   persistence  I_hat(h) = I(h - 24 k), k = ceil((h - h0) / 24) for h > h0:
 *                the last observed value at the same hour of day ("tomorrow
 *                is like today", the baseline of carbon forecasting papers,
 *                e.g. Maji et al., "CarbonCast", BuildSys 2022)
 *   noisy        I_hat(h) = I(h) (1 + sigma e_h), e_h ~ N(0, 1) independent
 *                per decision and hour, from the stream "carbon-forecast"
 *                (a perfect forecast plus seeded noise; sigma = noise_sd)
 * Intensities are precomputed per site and hour for the run (at no extra
 * load); hours past the run repeat the last day. Cost per decision:
 * O(candidates x run hours).
 *
 * Suspension of checkpointable jobs: hour h of a site is "high" when
 *     I(h) > threshold(h),
 * threshold = a fixed intensity (g/kWh), or the P-th percentile of the 24
 * hourly intensities of h's UTC day at that site (linear interpolation
 * between order statistics: rank r = P/100 x 23 in the sorted values, the
 * default of numpy.percentile; a day-ahead forecast taken as perfect, as
 * grid operators publish day-ahead figures). Cost: O(24 log 24) per site and
 * day, cached.
 */
#ifndef DCSIM_POLICY_H
#define DCSIM_POLICY_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

enum { CARBON_NONE, CARBON_SHIFT, CARBON_POLICY_COUNT };
extern const char *const policy_carbon_names[]; /* "none", "shift", NULL */
enum { FORECAST_PERFECT, FORECAST_PERSISTENCE, FORECAST_NOISY, FORECAST_COUNT };
extern const char *const policy_forecast_names[]; /* "perfect", "persistence", "noisy", NULL */

typedef struct policy_state {
    int forecast;        /* FORECAST_* */
    double noise_sd;     /* noisy: relative SD of the hourly error */
    int nsites;
    long nhours;         /* hours held per site */
    double *hourly;      /* [nsites][nhours] average intensity, g/kWh */
    gsl_rng *rng;        /* noisy: the forecast errors */
    double *scratch;     /* [nhours] one decision's forecast */
    long decisions, shifted;
    double shifted_s;    /* sum of planned delays, s */
    double suspend_g;    /* suspension threshold, g/kWh, or -1 */
    double suspend_pct;  /* ... or this percentile of the day, 0..100, or -1 */
    long *thr_day;       /* [nsites] day of the cached threshold, -1 none */
    double *thr;         /* [nsites] the cached threshold, g/kWh */
} policy_state;

/* Sets p up with hourly[site][h] filled by the caller (policy_hourly). Returns 0, or -1 if out of memory. */
int policy_init(policy_state *p, int nsites, long nhours, int forecast, double noise_sd, uint64_t seed);
void policy_free(policy_state *p);
static inline double *policy_hourly(policy_state *p, int site) { return p->hourly + (long)site * p->nhours; }

/* Sets the suspension threshold: g/kWh (>= 0) or percentile (>= 0); the
 * other -1. */
void policy_set_suspend(policy_state *p, double g_per_kwh, double percentile);

/* The suspension threshold of site in hour h (hours since the start), g/kWh. */
double policy_threshold(policy_state *p, int site, long h);

/* 1 if hour h at site is above the suspension threshold. */
static inline int policy_high(policy_state *p, int site, long h)
{
    long n = p->nhours;
    return policy_hourly(p, site)[h < n ? h : n - 1] > policy_threshold(p, site, h);
}

/* The forecast mean intensity at site over [now, now + d], issued at now,
 * g/kWh (geographic placement on forecasts). */
double policy_mean_forecast(policy_state *p, int site, double now, double d);

/* The start in [now, latest] with the lowest forecast mean intensity at
 * site over a run of d seconds, s. */
double policy_plan(policy_state *p, int site, double now, double latest, double d);

#endif
