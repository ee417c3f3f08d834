/* test_projection.c - aggregate demand and multi-year projections, with
 * figures by hand: 100 TWh a year on 1 MW blocks, growing 15% a year, at
 * PUE 1.5 and 450 g/kWh falling 10 g/kWh a year. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/projection.h"
#include "check.h"
#include "testutil.h"

void test_projection_trends(void);
void test_projection_aggregate(void);
void test_projection_run(void);
void test_projection_errors(void);

#define BLOCK                                                                                                     \
    "node_types = ( { name = \"block\"; accelerator = \"none\"; accelerators = 0; vcpus = 0;\n"                   \
    "  peak_tflops = { fp32 = 0.0; bf16 = 0.0; fp8 = 0.0; int8 = 0.0; };\n"                                     \
    "  mem_gb = 0.0; mem_bw_gbs = 0.0; idle_w = 0.0; max_w = 1000000.0; alpha = 1.0; off_w = 0.0;\n"             \
    "  price_usd_per_h = 0.0; embodied_kgco2e = 0.0; lifetime_years = 10.0; liquid_cooled = false;\n"            \
    "  source = \"test\"; } );\n"
#define WORLD(load)                                                                                               \
    "name = \"w\"; seed = 1; start = \"2024-01-01T00:00:00Z\"; duration = \"365d\";\n" BLOCK                        \
    "sites = ( { name = \"world\"; facility = { model = \"constant\"; pue = 1.5; };\n"                          \
    "  grid = { intensity_g_per_kwh = 450.0; };\n"                                                                \
    "  pools = ( { name = \"dc\"; node = \"block\"; count = 100000; } ); } );\n"                                  \
    "workloads = ( { name = \"dc\"; kind = \"aggregate\"; pool = \"dc\"; load = { " load " }; } );\n"
#define PROJ(trends) "projection = { first_year = 2024; last_year = 2026; trends = ( " trends " ); };\n"

void test_projection_trends(void)
{
    scenario s;
    char err[1024], buf[600];
    int rc = test_load(&s, "tr.cfg",
                       WORLD("annual_twh = 100.0;") PROJ(
                           "{ path = \"workloads.dc.load.annual_twh\"; growth_per_year = 0.15; },"
                           "{ path = \"sites.world.grid.intensity_g_per_kwh\"; change_per_year = -10.0; },"
                           "{ path = \"sites.world.facility.pue\"; doubling_years = 2.0; },"
                           "{ path = \"sites.world.pools.dc.count\"; growth_per_year = 0.5; },"
                           "{ path = \"sites.world.pools.dc.node\"; values = [\"block\", \"block\", \"block\"]; }"),
                       err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK_INT(s.proj.nyears, 3);
    CHECK_INT(s.proj.ntrends, 5);
    scenario_trend_set(&s, 0, 2, buf, sizeof buf); /* 100 x 1.15^2 = 132.25 */
    CHECK_NEAR(strtod(strchr(buf, '=') + 1, NULL), 132.25, 1e-12, 0);
    scenario_trend_set(&s, 1, 2, buf, sizeof buf); /* 450 - 2 x 10 */
    CHECK_STR(buf, "sites.world.grid.intensity_g_per_kwh=430");
    scenario_trend_set(&s, 2, 2, buf, sizeof buf); /* 1.5 x 2^(2/2) */
    CHECK_STR(buf, "sites.world.facility.pue=3");
    scenario_trend_set(&s, 3, 1, buf, sizeof buf); /* an integer: 100000 x 1.5, rounded */
    CHECK_STR(buf, "sites.world.pools.dc.count=150000");
    scenario_trend_set(&s, 4, 0, buf, sizeof buf);
    CHECK_STR(buf, "sites.world.pools.dc.node=block");
    scenario_free(&s);
}

/* 100 TWh a year is 100e6 MWh / 8766 h = 11,407.7 MW; over 365 days (the
 * daily shape integrates to 0 over whole days) 100e6 x 365 / 365.25 MWh. */
void test_projection_aggregate(void)
{
    scenario s;
    memsink ms;
    char err[1024];
    int rc = test_load(&s, "ag.cfg", WORLD("annual_twh = 100.0; diurnal_amplitude = 0.3; peak_hour_utc = 14.0;"),
                       err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK_NEAR(s.workloads[0].rate_mean_per_s, 100e12 / 8766.0, 1e-12, 0);
    CHECK(test_run(&s, &ms) == 0);
    double it = 100e6 * 365.0 / 365.25;
    CHECK_NEAR(memsink_summary(&ms, "it_energy_mwh"), it, 1e-9, 0);
    CHECK_NEAR(memsink_summary(&ms, "facility_energy_mwh"), 1.5 * it, 1e-9, 0);
    CHECK_NEAR(memsink_summary(&ms, "emissions_t"), 1.5 * it * 0.450, 1e-9, 0);
    CHECK_NEAR(memsink_summary(&ms, "requests"), 0.0, 0, 0);
    memsink_free(&ms);
    scenario_free(&s);
    /* mean_mw: the same demand stated as power */
    rc = test_load(&s, "ag2.cfg", WORLD("mean_mw = 1000.0;"), err, sizeof err);
    CHECK(rc == 0);
    if (!rc) {
        CHECK(test_run(&s, &ms) == 0);
        CHECK_NEAR(memsink_summary(&ms, "it_energy_mwh"), 1000.0 * 8760.0, 1e-9, 0);
        memsink_free(&ms);
        scenario_free(&s);
    }
}

/* Three years: IT energy 100, 115, 132.25 TWh-a-year x 365/365.25; emissions
 * x 1.5 x (450, 440, 430) g/kWh. */
void test_projection_run(void)
{
    scenario s;
    memsink ms;
    char err[1024];
    int rc = test_load(&s, "pr.cfg",
                       WORLD("annual_twh = 100.0;") PROJ(
                           "{ path = \"workloads.dc.load.annual_twh\"; growth_per_year = 0.15; },"
                           "{ path = \"sites.world.grid.intensity_g_per_kwh\"; change_per_year = -10.0; },"
                           "{ path = \"sites.world.pools.dc.node\"; values = [\"block\", \"block\", \"block\"]; }"),
                       err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    sink out = memsink_init(&ms);
    CHECK(proj_run(&s, NULL, 0, &out, NULL, NULL, NULL, err, sizeof err) == 0);
    CHECK(ms.committed);
    CHECK_INT(ms.trows, 3);
    /* year, two numeric trends (the text trend has no column), the totals */
    CHECK_INT(ms.tcols, 3 + proj_ncolumns);
    CHECK_STR(ms.tnames[1], "workloads.dc.load.annual_twh");
    const double g[3] = {1.0, 1.15, 1.3225}, ci[3] = {450, 440, 430};
    for (int y = 0; y < 3; y++) {
        double it = 100e6 * g[y] * 365.0 / 365.25;
        CHECK_NEAR(memsink_table(&ms, "year", y), 2024 + y, 0, 0);
        CHECK_NEAR(memsink_table(&ms, "workloads.dc.load.annual_twh", y), 100.0 * g[y], 1e-12, 0);
        CHECK_NEAR(memsink_table(&ms, "it_energy_mwh", y), it, 1e-9, 0);
        CHECK_NEAR(memsink_table(&ms, "facility_energy_mwh", y), 1.5 * it, 1e-9, 0);
        CHECK_NEAR(memsink_table(&ms, "emissions_location_t", y), 1.5 * it * ci[y] / 1e3, 1e-9, 0);
        CHECK_NEAR(memsink_table(&ms, "mean_pue", y), 1.5, 1e-12, 0);
    }
    CHECK_STR(ms.tunits[3 + 0], "MWh");
    /* the summary is the last year's */
    CHECK_NEAR(memsink_summary(&ms, "it_energy_mwh"), 100e6 * 1.3225 * 365.0 / 365.25, 1e-9, 0);
    memsink_free(&ms);
    scenario_free(&s);
}

void test_projection_errors(void)
{
    scenario s;
    char err[1024];
    CHECK(test_load(&s, "e1.cfg", WORLD("annual_twh = 1.0;") PROJ("{ path = \"sites.world.grid.nope\"; "
                                                                   "growth_per_year = 0.1; }"),
                    err, sizeof err) == -1);
    CHECK(strstr(err, "projection trend: the scenario has no setting sites.world.grid.nope") != NULL);
    CHECK(test_load(&s, "e2.cfg", WORLD("annual_twh = 1.0;") PROJ("{ path = \"sites.world.facility.pue\"; "
                                                                   "values = [1.2, 1.3]; }"),
                    err, sizeof err) == -1);
    CHECK(strstr(err, "values needs one value per year (3, 2024 to 2026)") != NULL);
    CHECK(test_load(&s, "e3.cfg", WORLD("annual_twh = 1.0;") PROJ("{ path = \"sites.world.pools.dc.node\"; "
                                                                   "growth_per_year = 0.1; }"),
                    err, sizeof err) == -1);
    CHECK(strstr(err, "is not a number; give values") != NULL);
    CHECK(test_load(&s, "e4.cfg", WORLD("annual_twh = 1.0;") PROJ("{ path = \"sites.world.facility.pue\"; "
                                                                   "growth_per_year = 0.1; change_per_year = 1.0; }"),
                    err, sizeof err) == -1);
    CHECK(strstr(err, "needs exactly one of values, growth_per_year") != NULL);
    CHECK(test_load(&s, "e5.cfg", WORLD("annual_twh = 1.0; mean_mw = 3.0;"), err, sizeof err) == -1);
    CHECK(strstr(err, "needs exactly one of load.mean_mw and load.annual_twh") != NULL);
    /* a year whose trend breaks a range fails before anything runs */
    int rc = test_load(&s, "e6.cfg",
                       WORLD("annual_twh = 1.0;") PROJ("{ path = \"sites.world.facility.pue\"; change_per_year = 2.0; }"),
                       err, sizeof err);
    CHECK(rc == 0);
    if (!rc) {
        memsink ms;
        sink out = memsink_init(&ms);
        CHECK(proj_run(&s, NULL, 0, &out, NULL, NULL, NULL, err, sizeof err) == -1);
        CHECK(strstr(err, "projection year 2026: ") != NULL);
        CHECK(!ms.opened);
        memsink_free(&ms);
        scenario_free(&s);
    }
}
