/* test_series.c - the gap and coverage policies of grid/series.c, on arrays with hand-checkable values. */
#include <stdlib.h>

#include "../grid/series.h"
#include "../grid/timeutil.h"
#include "check.h"

void test_series_names(void);
void test_series_error_policy(void);
void test_series_order_errors(void);
void test_series_interpolate_hold(void);
void test_series_repeat_year(void);
void test_series_repeat_year_edges(void);

#define H 3600
static const int64_t BASE = 1767225600; /* 2026-01-01T00:00:00Z */

static int64_t iso(const char *s)
{
    int64_t t = 0;
    char err[200];
    if (timeutil_parse_iso(s, 1, &t, err, sizeof err))
        fprintf(stderr, "  bad test time %s: %s\n", s, err);
    return t;
}

/* Fills with one column; returns series_fill's status. */
static int fill1(const series_in *in, int policy, int64_t from, int64_t to, int64_t *t0, size_t *n, double **out,
                 char *notice, char *err)
{
    return series_fill(in, policy, from, to, t0, n, out, notice, 600, err, 600);
}

void test_series_names(void)
{
    CHECK_STR(series_policy_names[SERIES_ERROR], "error");
    CHECK_STR(series_policy_names[SERIES_INTERPOLATE], "interpolate");
    CHECK_STR(series_policy_names[SERIES_HOLD], "hold");
    CHECK_STR(series_policy_names[SERIES_REPEAT_YEAR], "repeat_year");
    CHECK(series_policy_names[4] == NULL);
    CHECK_INT(series_policy_from_name("repeat_year"), SERIES_REPEAT_YEAR);
    CHECK_INT(series_policy_from_name("error"), SERIES_ERROR);
    CHECK_INT(series_policy_from_name("repeat-year"), -1);
    CHECK_INT(series_policy_from_name(NULL), -1);
}

void test_series_error_policy(void)
{
    int64_t t[4] = {BASE, BASE + H, BASE + 2 * H, BASE + 3 * H};
    double a[4] = {1, 2, 3, 4}, b[4] = {10, 20, 30, 40};
    long line[4] = {2, 3, 5, 6};
    const double *cols[2] = {a, b};
    series_in in = {"x.csv", line, NULL, 4, t, 2, cols};
    int64_t t0 = 0;
    size_t n = 0;
    double *out[2];
    char notice[600], err[600];

    /* own span */
    CHECK(series_fill(&in, SERIES_ERROR, 0, 0, &t0, &n, out, notice, sizeof notice, err, sizeof err) == 0);
    CHECK_INT(t0, BASE);
    CHECK_INT(n, 4);
    CHECK(out[0][3] == 4.0 && out[1][0] == 10.0);
    CHECK_STR(notice, "");
    free(out[0]);
    free(out[1]);

    /* [00:30, 02:00:01) widens to the hours 00, 01, 02 */
    CHECK(series_fill(&in, SERIES_ERROR, BASE + 1800, BASE + 2 * H + 1, &t0, &n, out, NULL, 0, err, sizeof err) == 0);
    CHECK_INT(t0, BASE);
    CHECK_INT(n, 3);
    CHECK(out[0][2] == 3.0 && out[1][2] == 30.0);
    free(out[0]);
    free(out[1]);

    /* a sub-period inside the data */
    CHECK(series_fill(&in, SERIES_ERROR, BASE + 2 * H, BASE + 3 * H, &t0, &n, out, NULL, 0, err, sizeof err) == 0);
    CHECK_INT(n, 1);
    CHECK(out[0][0] == 3.0);
    free(out[0]);
    free(out[1]);

    /* coverage: after, before, both (the first uncovered span is named) */
    CHECK(series_fill(&in, SERIES_ERROR, BASE, BASE + 6 * H, &t0, &n, out, NULL, 0, err, sizeof err) == -1);
    CHECK_STR(err, "x.csv: no data from 2026-01-01T04:00:00Z to 2026-01-01T06:00:00Z (the data covers "
                   "2026-01-01T00:00:00Z to 2026-01-01T04:00:00Z; gap policy \"error\")");
    CHECK(out[0] == NULL && out[1] == NULL);
    CHECK(series_fill(&in, SERIES_ERROR, BASE - H, BASE + 6 * H, &t0, &n, out, NULL, 0, err, sizeof err) == -1);
    CHECK_STR(err, "x.csv: no data from 2025-12-31T23:00:00Z to 2026-01-01T00:00:00Z (the data covers "
                   "2026-01-01T00:00:00Z to 2026-01-01T04:00:00Z; gap policy \"error\")");
    CHECK(series_fill(&in, SERIES_ERROR, BASE + 10 * H, BASE + 12 * H, &t0, &n, out, NULL, 0, err, sizeof err) == -1);
    CHECK_STR(err, "x.csv: no data from 2026-01-01T10:00:00Z to 2026-01-01T12:00:00Z (the data covers "
                   "2026-01-01T00:00:00Z to 2026-01-01T04:00:00Z; gap policy \"error\")");

    /* a gap is an error under "error", wherever it lies, named by the line after it */
    t[3] = BASE + 5 * H;
    CHECK(series_fill(&in, SERIES_ERROR, BASE, BASE + H, &t0, &n, out, NULL, 0, err, sizeof err) == -1);
    CHECK_STR(err, "x.csv:6: gap: 2026-01-01T05:00:00Z is 3 h after the row before (rows must be hourly)");
    in.index_name = "hourly.time";
    line[3] = 3;
    CHECK(series_fill(&in, SERIES_ERROR, 0, 0, &t0, &n, out, NULL, 0, err, sizeof err) == -1);
    CHECK_STR(err, "x.csv: hourly.time[3]: gap: 2026-01-01T05:00:00Z is 3 h after the element before (elements "
                   "must be hourly)");
    in.where = NULL;
    CHECK(series_fill(&in, SERIES_ERROR, 0, 0, &t0, &n, out, NULL, 0, err, sizeof err) == -1);
    CHECK_STR(err, "x.csv: gap: 2026-01-01T05:00:00Z is 3 h after the element before (elements must be hourly)");

    in.n = 0;
    CHECK(series_fill(&in, SERIES_ERROR, 0, 0, &t0, &n, out, NULL, 0, err, sizeof err) == -1);
    CHECK_STR(err, "x.csv: no data");
    in.n = 4;
    CHECK(series_fill(&in, 7, 0, 0, &t0, &n, out, NULL, 0, err, sizeof err) == -1);
    CHECK_STR(err, "x.csv: unknown gap policy 7");
    CHECK(series_fill(&in, SERIES_HOLD, BASE, BASE + (int64_t)(SERIES_MAX_HOURS + 1) * H, &t0, &n, out, NULL, 0, err,
                      sizeof err) == -1);
    CHECK_STR(err, "x.csv: the period 2026-01-01T00:00:00Z to 2254-02-28T09:00:00Z is longer than 2000000 hours");
}

void test_series_order_errors(void)
{
    int64_t t[3] = {BASE, BASE + H, BASE + H};
    double a[3] = {1, 2, 3};
    long line[3] = {1, 2, 3};
    const double *cols[1] = {a};
    series_in in = {"y.csv", line, NULL, 3, t, 1, cols};
    int64_t t0;
    size_t n;
    double *out[1];
    char notice[600], err[600];
    /* order is checked under every policy */
    for (int p = SERIES_ERROR; p <= SERIES_REPEAT_YEAR; p++) {
        CHECK(fill1(&in, p, 0, 0, &t0, &n, out, notice, err) == -1);
        CHECK_STR(err, "y.csv:3: duplicate timestamp 2026-01-01T01:00:00Z");
        CHECK(out[0] == NULL);
    }
    t[2] = BASE - H;
    CHECK(fill1(&in, SERIES_HOLD, 0, 0, &t0, &n, out, notice, err) == -1);
    CHECK_STR(err, "y.csv:3: timestamp 2025-12-31T23:00:00Z is earlier than the row before (rows must be sorted)");
    t[2] = BASE + 2 * H + 60;
    CHECK(fill1(&in, SERIES_INTERPOLATE, 0, 0, &t0, &n, out, notice, err) == -1);
    CHECK_STR(err, "y.csv:3: timestamp 2026-01-01T02:01:00Z is not on a whole UTC hour");
    t[0] = BASE - 1800; /* before 1970 and after: floor, not truncation */
    CHECK(fill1(&in, SERIES_INTERPOLATE, 0, 0, &t0, &n, out, notice, err) == -1);
    CHECK_STR(err, "y.csv:1: timestamp 2025-12-31T23:30:00Z is not on a whole UTC hour");
}

void test_series_interpolate_hold(void)
{
    /* 10 at 00:00, 40 at 04:00, 50 at 05:00; the second column is 100 - the first */
    int64_t t[3] = {BASE, BASE + 4 * H, BASE + 5 * H};
    double a[3] = {10, 40, 50}, b[3] = {90, 60, 50};
    long line[3] = {2, 3, 4};
    const double *cols[2] = {a, b};
    series_in in = {"z.csv", line, NULL, 3, t, 2, cols};
    int64_t t0;
    size_t n;
    double *out[2];
    char notice[600], err[600];

    static const double lin[9] = {10, 10, 10, 17.5, 25, 32.5, 40, 50, 50}; /* 22:00 .. 06:00 */
    static const double hold[9] = {10, 10, 10, 10, 10, 10, 40, 50, 50};
    CHECK(series_fill(&in, SERIES_INTERPOLATE, BASE - 2 * H, BASE + 7 * H, &t0, &n, out, notice, sizeof notice, err,
                      sizeof err) == 0);
    CHECK_INT(t0, BASE - 2 * H);
    CHECK_INT(n, 9);
    for (int i = 0; i < 9; i++) {
        CHECK_NEAR(out[0][i], lin[i], 0, 1e-12);
        CHECK_NEAR(out[1][i], 100.0 - lin[i], 0, 1e-12);
    }
    CHECK_STR(notice, "z.csv: gap policy \"interpolate\": filled 6 of 9 hours (longest run 3 h from "
                      "2026-01-01T01:00:00Z)");
    free(out[0]);
    free(out[1]);

    CHECK(series_fill(&in, SERIES_HOLD, BASE - 2 * H, BASE + 7 * H, &t0, &n, out, notice, sizeof notice, err,
                      sizeof err) == 0);
    for (int i = 0; i < 9; i++) {
        CHECK(out[0][i] == hold[i]);
        CHECK(out[1][i] == 100.0 - hold[i]);
    }
    CHECK_STR(notice, "z.csv: gap policy \"hold\": filled 6 of 9 hours (longest run 3 h from 2026-01-01T01:00:00Z)");
    free(out[0]);
    free(out[1]);

    /* nothing to fill: no notice */
    CHECK(series_fill(&in, SERIES_HOLD, BASE + 4 * H, BASE + 6 * H, &t0, &n, out, notice, sizeof notice, err,
                      sizeof err) == 0);
    CHECK_STR(notice, "");
    free(out[0]);
    free(out[1]);

    /* the data must overlap the period */
    CHECK(series_fill(&in, SERIES_INTERPOLATE, BASE + 6 * H, BASE + 9 * H, &t0, &n, out, notice, sizeof notice, err,
                      sizeof err) == -1);
    CHECK_STR(err, "z.csv: the data covers 2026-01-01T00:00:00Z to 2026-01-01T06:00:00Z, none of 2026-01-01T06:00:00Z "
                   "to 2026-01-01T09:00:00Z (gap policy \"interpolate\" fills gaps and ends, not a whole period; "
                   "\"repeat_year\" can reuse a year)");
    CHECK(out[0] == NULL && out[1] == NULL);
}

/* A year of hourly samples from the first hour y0 (epoch s), value = 1000 *
 * tag + index; caller frees *t and *v. */
static size_t make_year(int64_t y0, size_t hours, double tag, int64_t **t, double **v)
{
    *t = malloc(hours * sizeof **t);
    *v = malloc(hours * sizeof **v);
    for (size_t i = 0; i < hours; i++) {
        (*t)[i] = y0 + (int64_t)i * H;
        (*v)[i] = 1000.0 * tag + (double)i;
    }
    return hours;
}

/* Index in the year y0 of the hour with the same month, day and hour as x. */
static double same_hour_index(int64_t x, int year)
{
    char s[32];
    timeutil_format_iso(x, s, sizeof s);
    int y, m, d, h;
    sscanf(s, "%d-%d-%dT%d", &y, &m, &d, &h);
    return (double)((timeutil_days_from_civil(year, (unsigned)m, (unsigned)d) - timeutil_days_from_civil(year, 1, 1)) *
                        24 +
                    h);
}

void test_series_repeat_year(void)
{
    int64_t *t;
    double *v;
    int64_t y2023 = iso("2023-01-01T00:00:00Z"), y2024 = iso("2024-01-01T00:00:00Z");
    int64_t y2025 = iso("2025-01-01T00:00:00Z");
    size_t nd = make_year(y2023, 8760, 0, &t, &v);
    const double *cols[1] = {v};
    series_in in = {"year.csv", NULL, NULL, nd, t, 1, cols};
    int64_t t0;
    size_t n;
    double *out[1];
    char notice[600], err[600];

    /* 2023 -> the leap year 2024: every hour by date; Feb 29 from Feb 28 */
    CHECK(fill1(&in, SERIES_REPEAT_YEAR, y2024, y2025, &t0, &n, out, notice, err) == 0);
    CHECK_INT(n, 8784);
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t x = y2024 + (int64_t)i * H;
        int64_t feb29 = iso("2024-02-29T00:00:00Z");
        double want = x >= feb29 && x < feb29 + 86400 ? same_hour_index(x - 86400, 2023) : same_hour_index(x, 2023);
        bad += out[0][i] != want;
    }
    CHECK_INT(bad, 0);
    CHECK(out[0][0] == 0.0);                                         /* Jan 1 00:00 */
    CHECK(out[0][(59 * 24) + 10] == (31 + 27) * 24 + 10);            /* Feb 29 10:00 <- Feb 28 10:00 */
    CHECK(out[0][(60 * 24)] == 59 * 24);                             /* Mar 1 00:00 <- Mar 1 00:00 */
    CHECK(out[0][8783] == 8759.0);                                   /* Dec 31 23:00 */
    CHECK_STR(notice, "year.csv: gap policy \"repeat_year\": 8784 of 8784 hours taken from the same UTC date and hour "
                      "of 2023; Feb 29 (24 h) from Feb 28");
    free(out[0]);

    /* a period partly inside the data: only the hours outside are taken */
    CHECK(fill1(&in, SERIES_REPEAT_YEAR, iso("2023-12-31T22:00:00Z"), iso("2024-01-01T02:00:00Z"), &t0, &n, out,
                notice, err) == 0);
    CHECK_INT(n, 4);
    CHECK(out[0][0] == 8758.0 && out[0][1] == 8759.0 && out[0][2] == 0.0 && out[0][3] == 1.0);
    CHECK_STR(notice, "year.csv: gap policy \"repeat_year\": 2 of 4 hours taken from the same UTC date and hour of "
                      "2023");
    free(out[0]);
    /* two centuries on (the search starts at the data's nearest year) */
    CHECK(fill1(&in, SERIES_REPEAT_YEAR, iso("2223-03-01T00:00:00Z"), iso("2223-03-01T01:00:00Z"), &t0, &n, out,
                notice, err) == 0);
    CHECK(out[0][0] == 59 * 24);
    free(out[0]);
    free(t);
    free(v);

    /* a leap source: its Feb 29 serves a target Feb 29 only */
    nd = make_year(y2024, 8784, 0, &t, &v);
    cols[0] = v;
    in.n = nd;
    in.t = t;
    CHECK(fill1(&in, SERIES_REPEAT_YEAR, y2025, iso("2026-01-01T00:00:00Z"), &t0, &n, out, notice, err) == 0);
    CHECK_INT(n, 8760);
    CHECK(out[0][59 * 24] == 60 * 24); /* 2025-03-01 00:00 <- 2024-03-01 00:00 */
    CHECK(out[0][58 * 24 + 23] == 58 * 24 + 23); /* Feb 28 23:00 */
    CHECK_STR(notice, "year.csv: gap policy \"repeat_year\": 8760 of 8760 hours taken from the same UTC date and hour "
                      "of 2024");
    free(out[0]);
    CHECK(fill1(&in, SERIES_REPEAT_YEAR, iso("2028-02-29T05:00:00Z"), iso("2028-02-29T06:00:00Z"), &t0, &n, out,
                notice, err) == 0);
    CHECK(out[0][0] == 59 * 24 + 5); /* 2024-02-29 05:00 */
    CHECK_STR(notice, "year.csv: gap policy \"repeat_year\": 1 of 1 hours taken from the same UTC date and hour of "
                      "2024");
    free(out[0]);
    free(t);
    free(v);
}

void test_series_repeat_year_edges(void)
{
    int64_t *t;
    double *v;
    int64_t t0;
    size_t n;
    double *out[1];
    char notice[600], err[600];

    /* a year of local time (UTC-4) misses the first 4 UTC hours of 2023:
     * they wrap round from the data's 2024-01-01 00:00..03:00 */
    size_t nd = make_year(iso("2023-01-01T04:00:00Z"), 8760, 0, &t, &v);
    const double *cols[1] = {v};
    series_in in = {"local.json", NULL, NULL, nd, t, 1, cols};
    CHECK(fill1(&in, SERIES_REPEAT_YEAR, iso("2023-01-01T00:00:00Z"), iso("2024-01-01T00:00:00Z"), &t0, &n, out,
                notice, err) == 0);
    CHECK_INT(n, 8760);
    CHECK(out[0][0] == 8756.0 && out[0][3] == 8759.0 && out[0][4] == 0.0 && out[0][8759] == 8755.0);
    CHECK_STR(notice, "local.json: gap policy \"repeat_year\": 4 of 8760 hours taken from the same UTC date and hour "
                      "of 2024");
    free(out[0]);
    free(t);
    free(v);

    /* two years with a year missing between: the nearest year, the earlier of two */
    int64_t *t1, *t3;
    double *v1, *v3;
    size_t n1 = make_year(iso("2021-01-01T00:00:00Z"), 8760, 1, &t1, &v1);
    size_t n3 = make_year(iso("2023-01-01T00:00:00Z"), 8760, 3, &t3, &v3);
    int64_t *tt = malloc((n1 + n3) * sizeof *tt);
    double *vv = malloc((n1 + n3) * sizeof *vv);
    for (size_t i = 0; i < n1; i++) {
        tt[i] = t1[i];
        vv[i] = v1[i];
    }
    for (size_t i = 0; i < n3; i++) {
        tt[n1 + i] = t3[i];
        vv[n1 + i] = v3[i];
    }
    cols[0] = vv;
    in.path = "two.csv";
    in.n = n1 + n3;
    in.t = tt;
    double jun1 = same_hour_index(iso("2022-06-01T00:00:00Z"), 2022);
    CHECK(fill1(&in, SERIES_REPEAT_YEAR, iso("2022-06-01T00:00:00Z"), iso("2022-06-01T01:00:00Z"), &t0, &n, out,
                notice, err) == 0);
    CHECK(out[0][0] == 1000.0 + jun1);
    CHECK_STR(notice, "two.csv: gap policy \"repeat_year\": 1 of 1 hours taken from the same UTC date and hour of "
                      "2021");
    free(out[0]);
    CHECK(fill1(&in, SERIES_REPEAT_YEAR, iso("2025-06-01T00:00:00Z"), iso("2025-06-01T01:00:00Z"), &t0, &n, out,
                notice, err) == 0);
    CHECK(out[0][0] == 3000.0 + jun1);
    free(out[0]);
    CHECK(fill1(&in, SERIES_REPEAT_YEAR, iso("2022-12-31T23:00:00Z"), iso("2023-01-01T01:00:00Z"), &t0, &n, out,
                notice, err) == 0);
    CHECK(out[0][0] == 1000.0 + 8759.0 && out[0][1] == 3000.0);
    CHECK_STR(notice, "two.csv: gap policy \"repeat_year\": 1 of 2 hours taken from the same UTC date and hour of "
                      "2021");
    free(out[0]);
    CHECK(fill1(&in, SERIES_REPEAT_YEAR, iso("2020-12-31T23:00:00Z"), iso("2025-01-01T00:00:00Z"), &t0, &n, out,
                notice, err) == 0);
    CHECK_STR(notice, "two.csv: gap policy \"repeat_year\": 17545 of 35065 hours taken from the same UTC date and "
                      "hour of 2021 to 2023; Feb 29 (24 h) from Feb 28");
    free(out[0]);
    free(t1);
    free(v1);
    free(t3);
    free(v3);
    free(tt);
    free(vv);

    /* part of a year: a date it does not hold; and a gap no other year fills */
    int64_t td[5] = {BASE, BASE + H, BASE + 2 * H, BASE + 4 * H, BASE + 5 * H};
    double vd[5] = {1, 2, 3, 5, 6};
    long line[5] = {2, 3, 4, 5, 6};
    cols[0] = vd;
    series_in part = {"part.csv", line, NULL, 5, td, 1, cols};
    CHECK(fill1(&part, SERIES_REPEAT_YEAR, iso("2027-01-01T00:00:00Z"), iso("2027-01-01T02:00:00Z"), &t0, &n, out,
                notice, err) == 0);
    CHECK(out[0][0] == 1.0 && out[0][1] == 2.0);
    free(out[0]);
    CHECK(fill1(&part, SERIES_REPEAT_YEAR, iso("2027-01-02T00:00:00Z"), iso("2027-01-02T01:00:00Z"), &t0, &n, out,
                notice, err) == -1);
    CHECK_STR(err, "part.csv: no year of the data holds 01-02T00:00Z, needed for 2027-01-02T00:00:00Z (the data "
                   "covers 2026-01-01T00:00:00Z to 2026-01-01T06:00:00Z; gap policy \"repeat_year\")");
    CHECK(out[0] == NULL);
    CHECK(fill1(&part, SERIES_REPEAT_YEAR, 0, 0, &t0, &n, out, notice, err) == -1);
    CHECK_STR(err, "part.csv:5: gap: 2026-01-01T04:00:00Z is 2 h after the row before (no other year of the data "
                   "holds 2026-01-01T03:00:00Z; gap policy \"repeat_year\")");
}
