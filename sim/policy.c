/* policy.c - carbon-aware temporal shifting with forecasts (see policy.h). */
#include "policy.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#include "rng.h"

const char *const policy_carbon_names[] = {"none", "shift", NULL};
const char *const policy_forecast_names[] = {"perfect", "persistence", "noisy", NULL};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void policy_set_suspend(policy_state *p, double g_per_kwh, double percentile)
{
    p->suspend_g = g_per_kwh;
    p->suspend_pct = percentile;
    for (int i = 0; i < p->nsites; i++)
        p->thr_day[i] = -1;
}

double policy_threshold(policy_state *p, int site, long h)
{
    if (p->suspend_g >= 0)
        return p->suspend_g;
    long day = h / 24;
    if (p->thr_day[site] != day) {
        const double *I = policy_hourly(p, site);
        double v[24];
        for (int k = 0; k < 24; k++) {
            long hh = day * 24 + k;
            v[k] = I[hh < p->nhours ? hh : p->nhours - 1];
        }
        qsort(v, 24, sizeof v[0], cmp_double);
        double r = p->suspend_pct / 100.0 * 23.0;
        int lo = (int)floor(r);
        double f = r - lo;
        p->thr[site] = lo >= 23 ? v[23] : v[lo] + f * (v[lo + 1] - v[lo]);
        p->thr_day[site] = day;
    }
    return p->thr[site];
}

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
    p->suspend_g = p->suspend_pct = -1.0;
    p->thr_day = malloc((size_t)nsites * sizeof *p->thr_day);
    p->thr = calloc((size_t)nsites, sizeof *p->thr);
    if (!p->hourly || !p->scratch || (forecast == FORECAST_NOISY && !p->rng) || !p->thr_day || !p->thr) {
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
    free(p->thr_day);
    free(p->thr);
    p->hourly = p->scratch = p->thr = NULL;
    p->thr_day = NULL;
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

double policy_mean_forecast(policy_state *p, int site, double now, double d)
{
    const double *I = policy_hourly(p, site);
    long h0 = (long)floor(now / 3600.0);
    if (!(d > 0))
        return forecast_at(p, I, h0, h0);
    double a = now, b = now + d, sum = 0;
    while (a < b) {
        long h = (long)floor(a / 3600.0);
        double e = fmin(b, (double)(h + 1) * 3600.0);
        double f = forecast_at(p, I, h0, h);
        if (p->forecast == FORECAST_NOISY)
            f *= 1.0 + p->noise_sd * gsl_ran_gaussian_ziggurat(p->rng, 1.0);
        sum += (f > 0 ? f : 0) * (e - a);
        a = e;
    }
    return sum / d;
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
