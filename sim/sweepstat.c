/* sweepstat.c - statistics of replications (see sweepstat.h). */
#include "sweepstat.h"

#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

double sweepstat_t975(size_t n)
{
    if (n < 2)
        return NAN;
    return gsl_cdf_tdist_Pinv(0.975, (double)(n - 1));
}

sweep_stat sweepstat_of(const double *x, size_t n, size_t stride)
{
    sweep_stat r = {NAN, NAN, NAN, NAN};
    if (n == 0)
        return r;
    for (size_t i = 0; i < n; i++)
        if (isnan(x[i * stride]))
            return r;
    r.mean = gsl_stats_mean(x, stride, n);
    if (n < 2)
        return r;
    r.sd = gsl_stats_sd_m(x, stride, n, r.mean);
    double half = sweepstat_t975(n) * r.sd / sqrt((double)n);
    r.lo = r.mean - half;
    r.hi = r.mean + half;
    return r;
}

sweep_stat sweepstat_paired(const double *x, const double *ref, size_t n, size_t stride, double *scratch)
{
    for (size_t i = 0; i < n; i++)
        scratch[i] = x[i * stride] - ref[i * stride];
    return sweepstat_of(scratch, n, 1);
}
