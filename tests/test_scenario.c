/* test_scenario.c - loading scenarios: --set paths, defaults, resolved text,
 * @include, and the shipped scenarios. (The bad-input corpus with exact
 * messages is run by tests/cli.sh.) */
#include <stdio.h>
#include <string.h>

#include "../sim/scenario.h"
#include "check.h"
#include "testutil.h"

void test_scenario_defaults(void);
void test_scenario_set(void);
void test_scenario_set_errors(void);
void test_scenario_include(void);
void test_scenario_shipped(void);

#define BASE                                                                                             \
    "name = \"t\"; start = \"2026-01-01T00:00:00Z\"; duration = \"2d\";\n" TEST_CATALOG                   \
    "sites = ( { name = \"a\"; grid = { intensity_g_per_kwh = 100.0; };\n"                                \
    "  pools = ( { name = \"p\"; node = \"n100\"; count = 4; }, { name = \"q\"; node = \"n100\"; count = 2; } ); } );\n" \
    "workloads = ( { name = \"w\"; kind = \"training\"; pool = \"q\"; flops = 1.0e18; arrival = { at = \"2026-01-01T00:00:00Z\"; }; } );\n"

void test_scenario_defaults(void)
{
    scenario s;
    char err[1024];
    CHECK(test_load(&s, "d.cfg", BASE, err, sizeof err) == 0);
    CHECK_INT(s.seed, 1);
    CHECK_NEAR(s.step_s, 3600.0, 0, 0);
    CHECK_NEAR(s.sites[0].fac.pue, 1.0, 0, 0);
    CHECK_INT(s.pools[1].on, 2);
    CHECK_NEAR(s.pools[1].price_usd_per_h, 2.0, 0, 0);
    CHECK_NEAR(s.workloads[0].mfu, 0.4, 0, 0);
    CHECK_INT(s.workloads[0].precision, PREC_BF16);
    CHECK_INT(s.workloads[0].pool, 1);
    /* 1e18 FLOPs on one 100 TFLOPS node at MFU 0.4: 25000 s */
    CHECK_NEAR(s.workloads[0].service_mean_s, 25000.0, 1e-12, 0);
    CHECK_STR(s.output_file, "results/t.h5");
    CHECK_INT(s.output_jobs, 1);
    CHECK(s.config_text && strstr(s.config_text, "n100") != NULL);
    scenario_free(&s);
    scenario_free(NULL);
}

void test_scenario_set(void)
{
    const char *p = test_write("set.cfg", BASE);
    const char *sets[] = {"sites.a.pools.q.count=3", "sites.[0].pools.[0].on=1", "seed=99",
                          "workloads.w.mfu=0.5", "output.jobs=false", "workloads.[0].precision=fp8"};
    scenario s;
    char err[1024];
    int rc = scenario_load(&s, p, sets, 6, err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK_INT(s.pools[1].count, 3);
    CHECK_INT(s.pools[0].on, 1);
    CHECK_INT(s.seed, 99);
    CHECK_NEAR(s.workloads[0].mfu, 0.5, 0, 0);
    CHECK_INT(s.output_jobs, 0);
    CHECK_INT(s.workloads[0].precision, PREC_FP8);
    /* fp8 peak 200 TFLOPS at MFU 0.5: 1e18 / 1e14 = 10000 s */
    CHECK_NEAR(s.workloads[0].service_mean_s, 10000.0, 1e-12, 0);
    /* the resolved text carries the overrides */
    CHECK(strstr(s.config_text, "seed = 99") != NULL);
    scenario_free(&s);
}

static void expect_set_error(const char *set, const char *msg)
{
    const char *p = test_write("seterr.cfg", BASE);
    scenario s;
    char err[1024];
    CHECK(scenario_load(&s, p, &set, 1, err, sizeof err) == -1);
    if (!strstr(err, msg))
        fprintf(stderr, "  got: %s\n  want: %s\n", err, msg);
    CHECK(strstr(err, msg) != NULL);
}

void test_scenario_set_errors(void)
{
    expect_set_error("sites.b.pools.q.count=3", "no setting \"b\" here");
    expect_set_error("nosuch.x=3", "unknown setting nosuch");
    expect_set_error("sites.a.pools.q.count=lots", "\"lots\" is not an integer");
    expect_set_error("sites.a.pools.q.count", "expected path=value");
    expect_set_error("sites.a.pools.q.count=0", "sites[0].pools[1].count must be in [1, 10000000] (got 0)");
    expect_set_error("sites.a.pools.q.colour=3", "unknown setting sites[0].pools[1].colour");
    expect_set_error("sites.[7].name=x", "no setting \"[7]\" here");
    expect_set_error("workloads.w.mfu=high", "(set on the command line) workloads[0].mfu must be a number (got a string)");
}

void test_scenario_include(void)
{
    test_write("cat.cfg", TEST_CATALOG);
    scenario s;
    char err[1024];
    int rc = test_load(&s, "inc.cfg",
                       "name = \"i\"; start = \"2026-01-01T00:00:00Z\"; duration = \"1d\";\n@include \"cat.cfg\"\n"
                       "sites = ( { name = \"a\"; grid = { intensity_g_per_kwh = 1.0; }; pools = ( { name = \"p\"; node = \"n100\"; count = 1; } ); } );\n"
                       "workloads = ( { name = \"w\"; kind = \"generic\"; node = \"n100\"; service = { mean = \"1h\"; };\n"
                       "  arrival = { process = \"every\"; every = \"6h\"; }; } );\n",
                       err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK_INT(s.cat.ntypes, 1);
    CHECK_INT(s.workloads[0].pool, -1);
    CHECK_NEAR(s.workloads[0].every_s, 21600.0, 0, 0);
    scenario_free(&s);
}

/* The shipped scenarios load (run from the repository's top folder). */
void test_scenario_shipped(void)
{
    const char *files[] = {"scenarios/baseline.cfg", "scenarios/bench/w1.cfg"};
    for (int i = 0; i < 2; i++) {
        scenario s;
        char err[1024];
        int rc = scenario_load(&s, files[i], NULL, 0, err, sizeof err);
        if (rc)
            fprintf(stderr, "  %s\n", err);
        CHECK(rc == 0);
        if (!rc)
            scenario_free(&s);
    }
}
