/* test_sweep.c - sweeps: the statistics (sim/sweepstat.c), the expansion of
 * sweep files, common random numbers and thread-independent results
 * (sim/sweep.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/sweep.h"
#include "../sim/sweepstat.h"
#include "check.h"
#include "testutil.h"

#define T(name) void name(void);
#include "tests_sweep.def"
#undef T

/* x = 1, 2, 3, 4: mean 2.5, sd sqrt(5/3) = 1.2909944, t(0.975, 3) = 3.1824463,
 * half width 3.1824463 x 1.2909944 / 2 = 2.0542603. */
void test_sweepstat_example(void)
{
    double x[] = {1, 2, 3, 4};
    CHECK_NEAR(sweepstat_t975(4), 3.182446305284263, 1e-12, 0);
    sweep_stat s = sweepstat_of(x, 4, 1);
    CHECK_NEAR(s.mean, 2.5, 0, 1e-15);
    CHECK_NEAR(s.sd, sqrt(5.0 / 3.0), 1e-14, 0);
    CHECK_NEAR(s.lo, 0.4457397, 0, 1e-7);
    CHECK_NEAR(s.hi, 4.5542603, 0, 1e-7);
    /* stride: every other value of 1, 9, 2, 9, 3, 9, 4, 9 */
    double y[] = {1, 9, 2, 9, 3, 9, 4, 9};
    sweep_stat t = sweepstat_of(y, 4, 2);
    CHECK_NEAR(t.mean, 2.5, 0, 1e-15);
    CHECK_NEAR(t.hi, s.hi, 0, 1e-15);
    /* paired: (3, 5, 4, 8) - (1, 2, 3, 4) = (2, 3, 1, 4): mean 2.5, the same interval */
    double a[] = {3, 5, 4, 8}, scratch[4];
    sweep_stat d = sweepstat_paired(a, x, 4, 1, scratch);
    CHECK_NEAR(d.mean, 2.5, 0, 1e-15);
    CHECK_NEAR(d.lo, 0.4457397, 0, 1e-7);
    /* a constant difference: sd 0, the interval is the point */
    double b[] = {11, 12, 13, 14};
    sweep_stat c = sweepstat_paired(b, x, 4, 1, scratch);
    CHECK_NEAR(c.mean, 10, 0, 1e-15);
    CHECK_NEAR(c.sd, 0, 0, 1e-15);
    CHECK_NEAR(c.lo, 10, 0, 1e-15);
    CHECK_NEAR(c.hi, 10, 0, 1e-15);
}

/* One value: a mean and no interval; a NaN among the values: all NaN. */
void test_sweepstat_undefined(void)
{
    double x[] = {7, NAN, 3};
    sweep_stat s = sweepstat_of(x, 1, 1);
    CHECK_NEAR(s.mean, 7, 0, 0);
    CHECK(isnan(s.sd) && isnan(s.lo) && isnan(s.hi));
    CHECK(isnan(sweepstat_t975(1)));
    sweep_stat n = sweepstat_of(x, 3, 1);
    CHECK(isnan(n.mean) && isnan(n.sd));
    sweep_stat z = sweepstat_of(x, 0, 1);
    CHECK(isnan(z.mean));
}

/* A base of 10 idle-able n100 nodes (100 W idle, 2 USD/h, PUE 1) for 10
 * days and generic one-node jobs, far from saturating 10 nodes. */
static const char *base_cfg(void)
{
    static char path[512];
    const char *p = test_write("sweep-base.cfg",
                               "name = \"b\"; seed = 5; start = \"2026-01-01T00:00:00Z\"; duration = \"10d\";\n"
                               TEST_CATALOG
                               "sites = ( { name = \"s\"; facility = { pue = 1.0; };\n"
                               "  grid = { intensity_g_per_kwh = 400.0; };\n"
                               "  pools = ( { name = \"p\"; node = \"n100\"; count = 10; } ); } );\n"
                               "workloads = ( { name = \"w\"; kind = \"generic\"; pool = \"p\"; nodes = 1;\n"
                               "  service = { dist = \"exponential\"; mean = \"1h\"; };\n"
                               "  arrival = { process = \"poisson\"; mean_interval = \"2h\"; }; } );\n");
    snprintf(path, sizeof path, "%s", p ? p : "");
    return path;
}

static sweep *load_sweep(const char *name, const char *text, char *err, size_t errlen)
{
    const char *p = test_write(name, text);
    return p ? sweep_load(p, err, errlen) : NULL;
}

/* Given variants x grid (a list and a range), names, order, settings. */
void test_sweep_expand(void)
{
    base_cfg();
    char err[1600];
    sweep *sw = load_sweep("sw-expand.cfg",
                           "base = \"sweep-base.cfg\"; replications = 2; seed = 100; reference = \"big util=0.5\";\n"
                           "variants = ( { name = \"small\"; set = [ \"sites.s.pools.p.count=5\" ]; },\n"
                           "             { name = \"big\"; set = [ \"sites.s.pools.p.count=20\" ]; } );\n"
                           "grid = ( { path = \"workloads.w.utilization\"; label = \"util\";\n"
                           "           from = 0.1; to = 0.5; step = 0.2; } );\n",
                           err, sizeof err);
    CHECK(sw != NULL);
    if (!sw) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK_INT(sweep_nvariants(sw), 6);
    CHECK_INT(sweep_nreps(sw), 2);
    CHECK_INT(sweep_nruns(sw), 12);
    CHECK_STR(sweep_variant_name(sw, 0), "small util=0.1");
    CHECK_STR(sweep_variant_name(sw, 1), "small util=0.3");
    CHECK_STR(sweep_variant_name(sw, 5), "big util=0.5");
    CHECK_STR(sweep_name(sw), "sw-expand");
    CHECK_INT(sweep_seed(sw, 1), 101);
    sweep_result r;
    CHECK(sweep_finish(sw, &r, 0, 1, 1, err, sizeof err) == 0);
    CHECK_INT(r.reference, 5);
    CHECK_INT(r.nsettings, 2);
    CHECK_STR(r.setting_paths[0], "sites.s.pools.p.count");
    CHECK_STR(r.setting_paths[1], "workloads.w.utilization");
    CHECK_STR(r.settings[1 * 2 + 1], "0.3");
    CHECK_STR(r.settings[4 * 2 + 0], "20");
    sweep_free(sw);
}

/* Common random numbers: 10 more idle nodes cost exactly 10 x 240 h x 2 USD
 * = 4800 USD and draw 10 x 100 W x 240 h = 0.24 MWh more, in every
 * replication (same jobs at the same times): paired sd 0. */
void test_sweep_crn_exact(void)
{
    base_cfg();
    char err[1600];
    sweep *sw = load_sweep("sw-crn.cfg",
                           "base = \"sweep-base.cfg\"; replications = 4;\n"
                           "grid = ( { path = \"sites.s.pools.p.count\"; values = [ 10, 20 ]; } );\n",
                           err, sizeof err);
    CHECK(sw != NULL);
    if (!sw) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK_INT(sweep_seed(sw, 0), 5); /* the base scenario's seed */
    CHECK(sweep_run_all(sw, 2, NULL, NULL, NULL, err, sizeof err) == 0);
    sweep_result r;
    CHECK(sweep_finish(sw, &r, 0, 2, 1, err, sizeof err) == 0);
    int cost = sweep_metric_index("cost_usd"), en = sweep_metric_index("energy_mwh");
    int jobs = sweep_metric_index("jobs_completed");
    CHECK(cost >= 0 && en >= 0 && jobs >= 0);
    const sweep_stat *pc = &r.paired[cost * 2 + 1], *pe = &r.paired[en * 2 + 1];
    CHECK_NEAR(pc->mean, 4800.0, 1e-9, 0);
    CHECK_NEAR(pc->sd, 0.0, 0, 1e-6);
    CHECK_NEAR(pe->mean, 0.24, 1e-9, 0);
    CHECK_NEAR(pe->hi - pe->lo, 0.0, 0, 1e-9);
    /* the reference against itself: exactly 0 */
    CHECK(r.paired[cost * 2 + 0].mean == 0.0);
    /* replications differ (different seeds), variants do not in their jobs */
    CHECK(r.values[0 * r.nmetrics + jobs] != r.values[1 * r.nmetrics + jobs]);
    CHECK(r.values[0 * r.nmetrics + jobs] == r.values[4 * r.nmetrics + jobs]);
    CHECK(r.stats[jobs * 2 + 0].sd > 0);
    sweep_free(sw);
}

/* The figures do not depend on the number of threads. */
void test_sweep_threads_same(void)
{
    base_cfg();
    char err[1600];
    const char *txt = "base = \"sweep-base.cfg\"; replications = 3; seed = 9;\n"
                      "grid = ( { path = \"sites.s.pools.p.count\"; values = [ 2, 3, 10 ]; } );\n";
    sweep *a = load_sweep("sw-t1.cfg", txt, err, sizeof err), *b = load_sweep("sw-t2.cfg", txt, err, sizeof err);
    CHECK(a && b);
    if (a && b) {
        CHECK(sweep_run_all(a, 1, NULL, NULL, NULL, err, sizeof err) == 0);
        CHECK(sweep_run_all(b, 2, NULL, NULL, NULL, err, sizeof err) == 0);
        long n = sweep_nruns(a);
        int nm = sweep_nmetrics(a);
        int diff = 0;
        for (long k = 0; k < n; k++)
            diff += memcmp(sweep_row(a, k), sweep_row(b, k), (size_t)nm * sizeof(double)) != 0;
        CHECK_INT(diff, 0);
        /* 2 nodes queue jobs: waits and SLO misses differ from 10 nodes */
        int w = sweep_metric_index("mean_wait_s");
        CHECK(sweep_row(a, 0)[w] > sweep_row(a, 6)[w]);
    }
    sweep_free(a);
    sweep_free(b);
}

/* A bad variant is reported at the sweep file's line with its override. */
void test_sweep_bad_variant(void)
{
    base_cfg();
    char err[1600];
    sweep *sw = load_sweep("sw-bad.cfg",
                           "base = \"sweep-base.cfg\";\n"
                           "variants = ( { name = \"ok\"; },\n"
                           "  { name = \"neg\";\n"
                           "    set = [ \"sites.s.pools.p.count=-3\" ]; } );\n",
                           err, sizeof err);
    CHECK(sw == NULL);
    CHECK(strstr(err, "sw-bad.cfg:4: variant \"neg\": override sites.s.pools.p.count=-3: ") != NULL);
    if (!strstr(err, "sw-bad.cfg:4:"))
        fprintf(stderr, "  got: %s\n", err);
    sweep_free(sw);
}
