/* series.c - gap and coverage policy for hourly series held as arrays (see series.h). */
#include "series.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeutil.h"

const char *const series_policy_names[] = {"error", "interpolate", "hold", "repeat_year", NULL};

int series_policy_from_name(const char *name)
{
    for (int i = 0; name && series_policy_names[i]; i++)
        if (strcmp(name, series_policy_names[i]) == 0)
            return i;
    return -1;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if (a % b != 0 && (a < 0) != (b < 0))
        q--;
    return q;
}

static int is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* UTC year, month (1-12), day (1-31) and hour (0-23) of epoch second t
 * (the inverse of timeutil_days_from_civil, by eras of 400 years). */
static void civil_hour(int64_t t, int64_t *y, unsigned *m, unsigned *d, unsigned *h)
{
    int64_t days = floor_div(t, 86400);
    *h = (unsigned)((t - days * 86400) / 3600);
    int64_t z = days + 719468;
    int64_t era = floor_div(z, 146097);
    unsigned doe = (unsigned)(z - era * 146097);                           /* [0, 146096] */
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  /* [0, 399] */
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                /* [0, 365], from Mar 1 */
    unsigned mp = (5 * doy + 2) / 153;                                     /* [0, 11], Mar = 0 */
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* Index of the sample at epoch second x, or -1 (binary search). */
static long find(const int64_t *t, size_t n, int64_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && t[lo] == x ? (long)lo : -1;
}

/* "path:line", "path: name[i]" or "path": where sample i came from. */
static void locate(const series_in *in, size_t i, char *buf, size_t len)
{
    if (!in->where)
        snprintf(buf, len, "%s", in->path);
    else if (in->index_name)
        snprintf(buf, len, "%s: %s[%ld]", in->path, in->index_name, in->where[i]);
    else
        snprintf(buf, len, "%s:%ld", in->path, in->where[i]);
}

/* Checks whole hours, order, duplicates, and (under the error policy) gaps.
 * Returns 0 or -1 with err. */
static int check_samples(const series_in *in, int policy, char *err, size_t errlen)
{
    const char *row = in->index_name ? "element" : "row";
    char loc[600], ts[32];
    for (size_t i = 0; i < in->n; i++) {
        int64_t x = in->t[i], prev = i > 0 ? in->t[i - 1] : 0;
        int whole = floor_div(x, 3600) * 3600 == x;
        if (whole && (i == 0 || (x > prev && (policy != SERIES_ERROR || x == prev + 3600))))
            continue;
        locate(in, i, loc, sizeof loc);
        timeutil_format_iso(x, ts, sizeof ts);
        if (!whole)
            snprintf(err, errlen, "%s: timestamp %s is not on a whole UTC hour", loc, ts);
        else if (x == prev)
            snprintf(err, errlen, "%s: duplicate timestamp %s", loc, ts);
        else if (x < prev)
            snprintf(err, errlen, "%s: timestamp %s is earlier than the %s before (%ss must be sorted)", loc, ts, row,
                     row);
        else
            snprintf(err, errlen, "%s: gap: %s is %.4g h after the %s before (%ss must be hourly)", loc, ts,
                     (double)(x - prev) / 3600.0, row, row);
        return -1;
    }
    return 0;
}

/* Index of the sample at the same UTC month, day and hour in the year of the
 * data nearest to y (the earlier of two equally near), never x itself; -1 if
 * no year holds it. Stores the source year in *ysrc. */
static long same_date(const series_in *in, int64_t ymin, int64_t ymax, int64_t x, int64_t y, unsigned m,
                      unsigned d, unsigned h, int64_t *ysrc)
{
    int64_t dist0 = y < ymin ? ymin - y : y > ymax ? y - ymax : 0; /* nearer years are outside the data */
    for (int64_t dist = dist0;; dist++) {
        int64_t lo = y - dist, hi = y + dist;
        if (lo < ymin && hi > ymax)
            return -1;
        int64_t cand[2] = {lo, hi};
        for (int c = 0; c < (dist ? 2 : 1); c++) {
            int64_t yy = cand[c];
            if (yy < ymin || yy > ymax || (m == 2 && d == 29 && !is_leap(yy)))
                continue;
            int64_t e = timeutil_days_from_civil(yy, m, d) * 86400 + (int64_t)h * 3600;
            if (e == x)
                continue;
            long k = find(in->t, in->n, e);
            if (k >= 0) {
                *ysrc = yy;
                return k;
            }
        }
    }
}

int series_fill(const series_in *in, int policy, int64_t from, int64_t to, int64_t *t0, size_t *n, double **out,
                char *notice, size_t nlen, char *err, size_t errlen)
{
    char a[32], b[32], c[32], d[32], loc[600];
    for (size_t j = 0; j < in->k; j++)
        out[j] = NULL;
    if (notice && nlen)
        notice[0] = '\0';
    if (policy < SERIES_ERROR || policy > SERIES_REPEAT_YEAR) {
        snprintf(err, errlen, "%s: unknown gap policy %d", in->path, policy);
        return -1;
    }
    if (in->n == 0) {
        snprintf(err, errlen, "%s: no data", in->path);
        return -1;
    }
    if (check_samples(in, policy, err, errlen))
        return -1;
    const int64_t *t = in->t;
    int64_t d0 = t[0], d1 = t[in->n - 1] + 3600;
    if ((double)d1 - (double)d0 > 3600.0 * SERIES_MAX_HOURS) {
        snprintf(err, errlen, "%s: the data spans more than %d hours", in->path, SERIES_MAX_HOURS);
        return -1;
    }
    int64_t h0 = d0, h1 = d1;
    if (from < to) {
        h0 = floor_div(from, 3600) * 3600;
        h1 = -floor_div(-to, 3600) * 3600;
    }
    if ((double)h1 - (double)h0 > 3600.0 * SERIES_MAX_HOURS) { /* in double: no overflow */
        timeutil_format_iso(h0, a, sizeof a);
        timeutil_format_iso(h1, b, sizeof b);
        snprintf(err, errlen, "%s: the period %s to %s is longer than %d hours", in->path, a, b, SERIES_MAX_HOURS);
        return -1;
    }
    size_t nh = (size_t)((h1 - h0) / 3600);
    const char *pname = series_policy_names[policy];
    timeutil_format_iso(d0, c, sizeof c);
    timeutil_format_iso(d1, d, sizeof d);
    if (policy == SERIES_ERROR && (h0 < d0 || h1 > d1)) {
        int64_t m0 = h0 < d0 ? h0 : (d1 > h0 ? d1 : h0);
        int64_t m1 = h0 < d0 ? (d0 < h1 ? d0 : h1) : h1;
        timeutil_format_iso(m0, a, sizeof a);
        timeutil_format_iso(m1, b, sizeof b);
        snprintf(err, errlen, "%s: no data from %s to %s (the data covers %s to %s; gap policy \"error\")", in->path,
                 a, b, c, d);
        return -1;
    }
    if ((policy == SERIES_HOLD || policy == SERIES_INTERPOLATE) && (h1 <= d0 || h0 >= d1)) {
        timeutil_format_iso(h0, a, sizeof a);
        timeutil_format_iso(h1, b, sizeof b);
        snprintf(err, errlen,
                 "%s: the data covers %s to %s, none of %s to %s (gap policy \"%s\" fills gaps and ends, not a whole "
                 "period; \"repeat_year\" can reuse a year)",
                 in->path, c, d, a, b, pname);
        return -1;
    }
    for (size_t j = 0; j < in->k; j++) {
        out[j] = malloc((nh ? nh : 1) * sizeof *out[j]);
        if (!out[j]) {
            snprintf(err, errlen, "%s: out of memory for %zu hours", in->path, nh);
            goto fail;
        }
    }
    int64_t ymin = 0, ymax = 0, yfirst = 0, ylast = 0;
    unsigned um, ud, uh;
    if (policy == SERIES_REPEAT_YEAR) {
        civil_hour(d0, &ymin, &um, &ud, &uh);
        civil_hour(d1 - 3600, &ymax, &um, &ud, &uh);
    }
    size_t s = 0, filled = 0, feb29 = 0, run = 0, longest = 0;
    int64_t run_start = 0, longest_start = 0;
    for (size_t i = 0; i < nh; i++) {
        int64_t x = h0 + (int64_t)i * 3600;
        while (s < in->n && t[s] < x)
            s++;
        if (s < in->n && t[s] == x) {
            for (size_t j = 0; j < in->k; j++)
                out[j][i] = in->v[j][s];
            run = 0;
            continue;
        }
        if (policy == SERIES_REPEAT_YEAR) {
            int64_t y, ysrc = 0;
            civil_hour(x, &y, &um, &ud, &uh);
            long src = same_date(in, ymin, ymax, x, y, um, ud, uh, &ysrc);
            if (src < 0 && um == 2 && ud == 29) {
                src = same_date(in, ymin, ymax, x, y, 2, 28, uh, &ysrc);
                feb29 += src >= 0;
            }
            if (src < 0) {
                timeutil_format_iso(x, a, sizeof a);
                if (x > d0 && x < d1) {
                    locate(in, s, loc, sizeof loc);
                    timeutil_format_iso(t[s], b, sizeof b);
                    snprintf(err, errlen,
                             "%s: gap: %s is %.4g h after the %s before (no other year of the data holds %s; gap "
                             "policy \"repeat_year\")",
                             loc, b, (double)(t[s] - t[s - 1]) / 3600.0, in->index_name ? "element" : "row", a);
                } else {
                    snprintf(err, errlen,
                             "%s: no year of the data holds %02u-%02uT%02u:00Z, needed for %s (the data covers %s "
                             "to %s; gap policy \"repeat_year\")",
                             in->path, um, ud, uh, a, c, d);
                }
                goto fail;
            }
            for (size_t j = 0; j < in->k; j++)
                out[j][i] = in->v[j][src];
            if (filled == 0 || ysrc < yfirst)
                yfirst = ysrc;
            if (filled == 0 || ysrc > ylast)
                ylast = ysrc;
        } else {
            long pa = (long)s - 1, pb = s < in->n ? (long)s : -1; /* samples either side, -1 if none */
            for (size_t j = 0; j < in->k; j++) {
                const double *v = in->v[j];
                double val;
                if (pa < 0)
                    val = v[pb];
                else if (pb < 0 || policy == SERIES_HOLD)
                    val = v[pa];
                else
                    val = v[pa] + (v[pb] - v[pa]) * (double)(x - t[pa]) / (double)(t[pb] - t[pa]);
                out[j][i] = val;
            }
        }
        filled++;
        if (run++ == 0)
            run_start = x;
        if (run > longest) {
            longest = run;
            longest_start = run_start;
        }
    }
    if (filled && notice && nlen) {
        if (policy == SERIES_REPEAT_YEAR) {
            char years[64], leap[64] = "";
            if (yfirst == ylast)
                snprintf(years, sizeof years, "%lld", (long long)yfirst);
            else
                snprintf(years, sizeof years, "%lld to %lld", (long long)yfirst, (long long)ylast);
            if (feb29)
                snprintf(leap, sizeof leap, "; Feb 29 (%zu h) from Feb 28", feb29);
            snprintf(notice, nlen, "%s: gap policy \"repeat_year\": %zu of %zu hours taken from the same UTC date "
                     "and hour of %s%s", in->path, filled, nh, years, leap);
        } else {
            timeutil_format_iso(longest_start, a, sizeof a);
            snprintf(notice, nlen, "%s: gap policy \"%s\": filled %zu of %zu hours (longest run %zu h from %s)",
                     in->path, pname, filled, nh, longest, a);
        }
    }
    *t0 = h0;
    *n = nh;
    return 0;
fail:
    for (size_t j = 0; j < in->k; j++) {
        free(out[j]);
        out[j] = NULL;
    }
    return -1;
}
