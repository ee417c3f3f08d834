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
} policy_state;

/* Sets p up with hourly[site][h] filled by the caller (policy_hourly). Returns 0, or -1 if out of memory. */
int policy_init(policy_state *p, int nsites, long nhours, int forecast, double noise_sd, uint64_t seed);
void policy_free(policy_state *p);
static inline double *policy_hourly(policy_state *p, int site) { return p->hourly + (long)site * p->nhours; }

/* The start in [now, latest] with the lowest forecast mean intensity at
 * site over a run of d seconds, s. */
double policy_plan(policy_state *p, int site, double now, double latest, double d);

#endif
