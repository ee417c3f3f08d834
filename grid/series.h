/* series.h - gap and coverage policy for hourly series held as arrays.
 *
 * A reader (grid trace, weather) collects samples as (epoch hour, k values),
 * sorted, possibly with gaps (missing rows, or rows it dropped because a value
 * was missing). series_fill turns them into a gap-free hourly array over the
 * period a run needs, under the scenario's policy:
 *
 *   error        any gap in the data, or any hour of the period outside the
 *                data, is an error naming the file and the first gap or the
 *                first uncovered span (the default);
 *   interpolate  a missing hour is linear in time between the samples either
 *                side; before the first or after the last sample the nearest
 *                sample is held (no extrapolated trend);
 *   hold         a missing hour takes the last sample before it (the first
 *                sample, before the data starts);
 *   repeat_year  a missing hour takes the sample at the same UTC month, day
 *                and hour of another year of the data, the nearest year first
 *                (the earlier of two equally near). Feb 29 of a target year
 *                takes Feb 29 of a leap source year when the data holds one,
 *                else Feb 28 of the source year; a source's Feb 29 serves only
 *                a target Feb 29. Matching by date, not by hour-of-year index,
 *                keeps months and seasons aligned across leap years.
 *
 * interpolate and hold need the data to overlap the period; repeat_year needs
 * some year of the data to hold each missing date and hour. Every policy but
 * error writes a notice (how many hours were filled, and how) when it filled
 * anything: the caller prints it, so nothing is filled silently.
 */
#ifndef DCSIM_SERIES_H
#define DCSIM_SERIES_H

#include <stddef.h>
#include <stdint.h>

enum { SERIES_ERROR, SERIES_INTERPOLATE, SERIES_HOLD, SERIES_REPEAT_YEAR };

/* "error", "interpolate", "hold", "repeat_year", NULL: indexed by the enum. */
extern const char *const series_policy_names[];

#define SERIES_MAX_HOURS 2000000 /* 228 years: longest data span or period accepted */

/* The samples a reader collected. */
typedef struct series_in {
    const char *path;       /* file named in messages */
    const long *where;      /* [n] line of each sample in path (or its array index, see index_name);
                               NULL: messages name the file only */
    const char *index_name; /* NULL: where[] holds line numbers ("path:12: ...");
                               else where[] holds indices into this array ("path: hourly.time[12]: ...") */
    size_t n;               /* number of samples */
    const int64_t *t;       /* [n] epoch s (UTC) of each sample; whole hours, strictly increasing */
    size_t k;               /* values per sample */
    const double *const *v; /* [k] columns of [n] values each */
} series_in;

/* The policy's index for its name, or -1 if the name is not in
 * series_policy_names. */
int series_policy_from_name(const char *name);

/* Builds the gap-free hourly series over [from, to) epoch s, widened to whole
 * hours (from rounded down, to rounded up); if from >= to, over the data's own
 * span (first to last sample). On success stores the first hour in *t0, the
 * number of hours in *n, and in out[j] (j < in->k) a new array of *n values of
 * column j, which the caller frees; writes the notice (or "") into notice if
 * it is not NULL. Checks the samples first: whole hours, sorted, no
 * duplicates. Returns 0, or -1 with "path:line: reason" (or "path: reason") in
 * err and every out[j] NULL. */
int series_fill(const series_in *in, int policy, int64_t from, int64_t to, int64_t *t0, size_t *n, double **out,
                char *notice, size_t nlen, char *err, size_t errlen);

#endif
