/* sweepstat.h - mean, standard deviation and 95% confidence interval of the
 * replications of a sweep, and of paired differences between two variants.
 *
 * With n values x_1..x_n (one per replication):
 *   mean = (1/n) sum x_i                               (gsl_stats_mean)
 *   sd   = sqrt(sum (x_i - mean)^2 / (n - 1))          (gsl_stats_sd)
 *   95% interval = mean -+ t(0.975, n - 1) sd / sqrt(n) (gsl_cdf_tdist_Pinv)
 * the Student t interval for the mean of normal data (any statistics text,
 * e.g. Law, "Simulation Modeling and Analysis", 5th ed., sec. 4.5). Paired
 * differences d_i = x_i(variant) - x_i(reference) use the same formula on d:
 * replication i of both variants ran with the same seed (common random
 * numbers), so d_i is one sample of the difference (Law, sec. 10.2.1).
 * Worked example: x = 1, 2, 3, 4: mean 2.5, sd 1.2909944, t(0.975, 3) =
 * 3.1824463, interval 2.5 -+ 2.0542603 = [0.4457397, 4.5542603].
 */
#ifndef DCSIM_SWEEPSTAT_H
#define DCSIM_SWEEPSTAT_H

#include <stddef.h>

#include "sweeprec.h"

/* t(0.975, n - 1), the quantile of a 95% two-sided interval from n values;
 * NaN for n < 2. */
double sweepstat_t975(size_t n);

/* Statistics of x[0], x[stride], ..., x[(n - 1) stride]. With n = 1 the mean
 * is x[0] and sd, lo, hi are NaN (no interval from one value). A NaN among
 * the values makes every figure NaN. n = 0 gives all NaN. */
sweep_stat sweepstat_of(const double *x, size_t n, size_t stride);

/* Statistics of the differences x[i stride] - ref[i stride], i < n;
 * scratch holds n doubles (the differences are formed there). */
sweep_stat sweepstat_paired(const double *x, const double *ref, size_t n, size_t stride, double *scratch);

#endif
