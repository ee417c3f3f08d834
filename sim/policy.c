/* policy.c - carbon-aware temporal shifting with forecasts (see policy.h). */
#include "policy.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#include "rng.h"

const char *const policy_carbon_names[] = {"none", "shift", NULL};
const char *const policy_forecast_names[] = {"perfect", "persistence", "noisy", NULL};

int policy_init(policy_state *p, int nsites, long nhours, int forecast, double noise_sd, uint64_t seed)
{
    p->forecast = forecast;
    p->noise_sd = noise_sd;
    p->nsites = nsites;
    p->nhours = nhours;
    p->decisions = p->shifted = 0;
    p->shifted_s = 0;
    p->hourly = calloc((size_t)nsites * (size_t)nhours, sizeof *p->hourly);
    p->scratch = calloc((size_t)nhours, sizeof *p->scratch);
    p->rng = forecast == FORECAST_NOISY ? rng_stream_alloc(seed, "carbon-forecast") : NULL;
    if (!p->hourly || !p->scratch || (forecast == FORECAST_NOISY && !p->rng)) {
        policy_free(p);
        return -1;
    }
    return 0;
}

void policy_free(policy_state *p)
{
    if (!p)
        return;
    free(p->hourly);
    free(p->scratch);
    if (p->rng)
        gsl_rng_free(p->rng);
    p->hourly = p->scratch = NULL;
    p->rng = NULL;
}

/* The forecast for hour h issued at hour h0 (actual values up to h0). */
static double forecast_at(const policy_state *p, const double *I, long h0, long h)
{
    long n = p->nhours, hh = h;
    if (hh >= n) /* past the run: its last day again */
        hh = n >= 24 ? n - 24 + (h - n) % 24 : n - 1;
    if (p->forecast == FORECAST_PERSISTENCE && h > h0) {
        long src = h - 24 * ((h - h0 + 23) / 24);
        if (src >= 0 && src < n)
            hh = src;
    }
    return I[hh];
}

double policy_plan(policy_state *p, int site, double now, double latest, double d)
{
    p->decisions++;
    if (!(latest > now) || !(d > 0))
        return now;
    const double *I = policy_hourly(p, site);
    long h0 = (long)floor(now / 3600.0);
    long hend = (long)ceil((latest + d) / 3600.0);
    long span = hend - h0 + 1;
    if (span > p->nhours)
        span = p->nhours; /* a window longer than the run: plan within the data */
    double *F = p->scratch;
    for (long k = 0; k < span; k++) {
        double f = forecast_at(p, I, h0, h0 + k);
        if (p->forecast == FORECAST_NOISY)
            f *= 1.0 + p->noise_sd * gsl_ran_gaussian_ziggurat(p->rng, 1.0);
        F[k] = f > 0 ? f : 0;
    }
    double best_s = now, best = INFINITY;
    for (double s = now; s <= latest;) {
        /* integral of F over [s, s + d] */
        double a = s, b = s + d, sum = 0;
        while (a < b) {
            long h = (long)floor(a / 3600.0);
            double e = fmin(b, (double)(h + 1) * 3600.0);
            long k = h - h0;
            sum += F[k < span ? k : span - 1] * (e - a);
            a = e;
        }
        if (sum < best * (1 - 1e-12)) {
            best = sum;
            best_s = s;
        }
        double next = (floor(s / 3600.0) + 1) * 3600.0;
        if (next > latest)
            break;
        s = next;
    }
    if (best_s > now) {
        p->shifted++;
        p->shifted_s += best_s - now;
    }
    return best_s;
}
