/* test_grid.c - grid accounting in whole runs, checked by hand: hourly
 * intensity, market-based emissions and CFE with contracts, the battery. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../grid/newdemand.h"
#include "../grid/synthgrid.h"
#include "../sim/account.h"
#include "../sim/rng.h"
#include "check.h"
#include "testutil.h"

void test_grid_hourly_trace(void);
void test_grid_flat_trace(void);
void test_grid_contracts(void);
void test_grid_full_match(void);
void test_grid_battery(void);
void test_grid_shared_trace(void);
void test_grid_synthetic_consequential(void);
void test_grid_two_grids(void);

/* A 1 MW site: 10000 idle nodes of 100 W, PUE 1, for 24 h. */
static int run_1mw(const char *name, const char *grid, const char *extra, memsink *ms, scenario *s)
{
    char text[4096], err[1024];
    snprintf(text, sizeof text,
             "name = \"g\"; start = \"2026-01-01T00:00:00Z\"; duration = \"24h\";\n" TEST_CATALOG
             "sites = ( { name = \"s\"; grid = { %s }; %s\n"
             "  pools = ( { name = \"p\"; node = \"n100\"; count = 10000; } ); } );\n"
             "workloads = ( { name = \"w\"; kind = \"generic\"; pool = \"p\"; service = { mean = \"1h\"; };\n"
             "  arrival = { at = \"2026-01-02T00:00:00Z\"; }; } );\n",
             grid, extra);
    if (test_load(s, name, text, err, sizeof err)) {
        fprintf(stderr, "  %s\n", err);
        return -1;
    }
    return test_run(s, ms);
}

static void write_24(const char *name, const char *header, const double *v)
{
    char text[4096];
    size_t used = (size_t)snprintf(text, sizeof text, "%s\n", header);
    for (int h = 0; h < 24; h++)
        used += (size_t)snprintf(text + used, sizeof text - used, "2026-01-01T%02d:00:00Z,%g\n", h, v[h]);
    test_write(name, text);
}

/* 1 MW for 24 h on a trace of 24 known values: emissions = sum(CI_h) x 1 MWh. */
void test_grid_hourly_trace(void)
{
    double ci[24], sum = 0;
    for (int h = 0; h < 24; h++)
        sum += ci[h] = 100.0 + 13.0 * h;
    write_24("ci24.csv", "timestamp,gco2_per_kwh", ci);
    memsink ms;
    scenario s;
    if (run_1mw("g1.cfg", "trace = \"ci24.csv\";", "", &ms, &s)) {
        CHECK(0);
        return;
    }
    CHECK_NEAR(memsink_site_sum(&ms, 0, SV_ENERGY_KWH), 24000.0, 1e-12, 0);
    CHECK_NEAR(memsink_site_sum(&ms, 0, SV_EMISSIONS_KG), sum * 1000.0 / 1000.0, 1e-12, 0); /* g/kWh x kWh / 1000 */
    CHECK_NEAR(memsink_summary(&ms, "emissions_t"), sum / 1000.0, 1e-12, 0);
    /* no contracts: market-based falls back to location-based; no marginal known */
    CHECK_NEAR(memsink_summary(&ms, "emissions_market_t"), sum / 1000.0, 1e-12, 0);
    CHECK(isnan(memsink_summary(&ms, "emissions_marginal_t")));
    memsink_free(&ms);
    scenario_free(&s);
}

/* The same load on a flat trace of c: load x c; a constant marginal too. */
void test_grid_flat_trace(void)
{
    double ci[24];
    for (int h = 0; h < 24; h++)
        ci[h] = 250.0;
    write_24("flat.csv", "timestamp,kg/MWh", ci);
    memsink ms;
    scenario s;
    if (run_1mw("g2.cfg", "trace = \"flat.csv\"; marginal_intensity_g_per_kwh = 700.0;", "", &ms, &s)) {
        CHECK(0);
        return;
    }
    CHECK_NEAR(memsink_summary(&ms, "emissions_t"), 24.0 * 0.250, 1e-12, 0);
    CHECK_NEAR(memsink_summary(&ms, "emissions_marginal_t"), 24.0 * 0.700, 1e-12, 0);
    memsink_free(&ms);
    scenario_free(&s);
}

/* A 0.4 MW PPA at capacity factor 0.5 covers 200 of the 1000 kWh each hour;
 * the rest carries a residual mix of 450 g/kWh: 360 kg/h against 400 kg/h
 * location-based; CFE 0.2 on a grid with no carbon-free share. */
void test_grid_contracts(void)
{
    double cf[24];
    for (int h = 0; h < 24; h++)
        cf[h] = 0.5;
    write_24("cf50.csv", "timestamp,capacity_factor", cf);
    memsink ms;
    scenario s;
    if (run_1mw("g3.cfg", "intensity_g_per_kwh = 400.0;",
                "contracts = { residual_mix_g_per_kwh = 450.0; ppas = ( { name = \"sun\"; mw = 0.4; profile = \"cf50.csv\"; } ); };",
                &ms, &s)) {
        CHECK(0);
        return;
    }
    CHECK_NEAR(memsink_site_sum(&ms, 0, SV_PPA_KWH), 24 * 200.0, 1e-12, 0);
    CHECK_NEAR(memsink_summary(&ms, "emissions_market_t"), 24 * 0.360, 1e-12, 0);
    CHECK_NEAR(memsink_summary(&ms, "emissions_market_annual_t"), 24 * 0.360, 1e-12, 0);
    CHECK(memsink_summary(&ms, "emissions_market_t") <= memsink_summary(&ms, "emissions_location_t"));
    CHECK_NEAR(memsink_summary(&ms, "cfe_fraction"), 0.2, 1e-12, 0);
    CHECK_NEAR(ms.site_vals[SV_CFE_FRACTION], 0.2, 1e-12, 0);
    memsink_free(&ms);
    scenario_free(&s);
}

/* A 1 MW PPA at capacity factor 1: every hour matched: CFE 1, market 0. */
void test_grid_full_match(void)
{
    double cf[24];
    for (int h = 0; h < 24; h++)
        cf[h] = 100.0;
    write_24("cf100.csv", "timestamp,cf_%", cf);
    memsink ms;
    scenario s;
    if (run_1mw("g4.cfg", "intensity_g_per_kwh = 400.0; cfe_fraction = 0.3;",
                "contracts = { residual_mix_g_per_kwh = 450.0; ppas = ( { name = \"all\"; mw = 1.0; profile = \"cf100.csv\"; } ); };",
                &ms, &s)) {
        CHECK(0);
        return;
    }
    CHECK_NEAR(memsink_summary(&ms, "cfe_fraction"), 1.0, 1e-12, 0);
    CHECK_NEAR(memsink_summary(&ms, "emissions_market_t"), 0.0, 0, 1e-12);
    CHECK_NEAR(memsink_summary(&ms, "emissions_location_t"), 24 * 0.4, 1e-12, 0);
    memsink_free(&ms);
    scenario_free(&s);
}

/* Battery 1 MWh / 0.5 MW, round trip 0.81, on a day clean at 00-05 (100 g),
 * dirty at 18-23 (500 g), 300 g otherwise. It charges 500 kW at 00 and 01
 * (storing 900 kWh) and discharges at 22 (500 kW) and 23 (the 310 kWh left):
 * +2 x 500 x 100 g, -810 x 500 g: 305 kg less, and 190 kWh of losses. */
void test_grid_battery(void)
{
    double ci[24];
    for (int h = 0; h < 24; h++)
        ci[h] = h < 6 ? 100.0 : h >= 18 ? 500.0 : 300.0;
    write_24("day.csv", "timestamp,gco2_per_kwh", ci);
    memsink a, b;
    scenario s1, s2;
    if (run_1mw("g5.cfg", "trace = \"day.csv\";", "", &a, &s1) ||
        run_1mw("g6.cfg", "trace = \"day.csv\";",
                "battery = { capacity_mwh = 1.0; power_mw = 0.5; round_trip_efficiency = 0.81; };", &b, &s2)) {
        CHECK(0);
        return;
    }
    double e0 = memsink_summary(&a, "emissions_t"), e1 = memsink_summary(&b, "emissions_t");
    CHECK_NEAR(e0 - e1, 0.305, 1e-9, 0);
    CHECK_NEAR(memsink_summary(&b, "battery_loss_mwh"), 0.190, 1e-9, 0);
    CHECK_NEAR(memsink_summary(&b, "energy_mwh"), 24.190, 1e-9, 0);
    CHECK_NEAR(memsink_summary(&b, "facility_energy_mwh"), 24.190, 1e-9, 0); /* losses count as facility energy */
    const double *h1 = &b.site_vals[1 * (size_t)b.nsv];
    CHECK_NEAR(h1[SV_BATTERY_POWER_KW], 500.0, 1e-9, 0);
    CHECK_NEAR(h1[SV_BATTERY_STATE_MWH], 0.9, 1e-9, 0);
    const double *h22 = &b.site_vals[22 * (size_t)b.nsv];
    CHECK_NEAR(h22[SV_BATTERY_POWER_KW], -500.0, 1e-9, 0);
    memsink_free(&a);
    memsink_free(&b);
    scenario_free(&s1);
    scenario_free(&s2);
}

/* Two sites naming the same trace file read it once. */
void test_grid_shared_trace(void)
{
    double ci[24];
    for (int h = 0; h < 24; h++)
        ci[h] = 200.0;
    write_24("shared.csv", "timestamp,gco2_per_kwh", ci);
    scenario s;
    char err[1024];
    int rc = test_load(&s, "g7.cfg",
                       "name = \"g\"; start = \"2026-01-01T00:00:00Z\"; duration = \"24h\";\n" TEST_CATALOG
                       "sites = ( { name = \"a\"; grid = { trace = \"shared.csv\"; }; pools = ( { name = \"p\"; node = \"n100\"; count = 1; } ); },\n"
                       "          { name = \"b\"; grid = { trace = \"shared.csv\"; }; pools = ( { name = \"q\"; node = \"n100\"; count = 1; } ); } );\n"
                       "workloads = ( { name = \"w\"; kind = \"generic\"; pool = \"p\"; service = { mean = \"1h\"; };\n"
                       "  arrival = { at = \"2026-01-02T00:00:00Z\"; }; } );\n",
                       err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    account acc;
    CHECK(account_init(&acc, &s, err, sizeof err) == 0);
    CHECK_INT(acc.ntraces, 1);
    CHECK(acc.sites[0].avg == acc.sites[1].avg);
    account_free(&acc);
    scenario_free(&s);
}

/* On a synthetic grid: a campus whose load joins the demand raises the
 * fossil dispatch, so its average intensity is at least the region's, and
 * its marginal figure is the dispatch difference; the new-demand emissions
 * are energy x EF_new. */
void test_grid_synthetic_consequential(void)
{
    memsink a, b;
    scenario s1, s2;
    const char *extra = "";
    if (run_1mw("g8.cfg", "synthetic = \"pjm-2023\"; new_demand = { fossil_share = 0.6; };", extra, &a, &s1) ||
        run_1mw("g9.cfg", "synthetic = \"pjm-2023\"; consequential = true; demand_mean_mw = 50.0;", extra, &b, &s2)) {
        CHECK(0);
        return;
    }
    newdemand_params nd;
    CHECK(newdemand_preset("gs-2025", &nd) == 0);
    nd.fossil_share = 0.6;
    CHECK_NEAR(memsink_summary(&a, "emissions_new_demand_t"), 24.0 * newdemand_ef(&nd, NULL) / 1000.0, 1e-9, 0);
    CHECK(!isnan(memsink_summary(&a, "emissions_marginal_t")));
    /* consequential, on a 50 MW region a 1 MW campus shifts the dispatch:
     * the site's hourly intensity is never below the region's own */
    synthgrid_params p = s2.sites[0].synth;
    char err[300];
    synthgrid *g = synthgrid_alloc(&p, rng_stream_seed(1, "grid/s"), s2.start_epoch, s2.start_epoch + 86400, err, sizeof err);
    CHECK(g != NULL);
    int ok = 1;
    for (long k = 0; g && k < b.nsteps; k++) {
        synthgrid_hour alone;
        synthgrid_dispatch(g, (size_t)k, 0.0, &alone);
        double site = b.site_vals[(size_t)k * (size_t)b.nsv + SV_INTENSITY];
        ok &= site >= alone.avg_g_per_kwh - 1e-9;
        double m = b.site_vals[(size_t)k * (size_t)b.nsv + SV_MARGINAL_INTENSITY];
        ok &= fabs(m - synthgrid_added_g_per_kwh(g, (size_t)k, 1.0)) < 1e-9;
    }
    CHECK(ok);
    synthgrid_free(g);
    memsink_free(&a);
    memsink_free(&b);
    scenario_free(&s1);
    scenario_free(&s2);
}

/* The ready scenario: two grids, contracts, battery; market-based below
 * location-based, a CFE score strictly between 0 and 1, a battery that works. */
void test_grid_two_grids(void)
{
    scenario s;
    memsink ms;
    char err[1024];
    if (scenario_load(&s, "scenarios/two-grids.cfg", NULL, 0, err, sizeof err)) {
        fprintf(stderr, "  %s\n", err);
        CHECK(0);
        return;
    }
    CHECK(test_run(&s, &ms) == 0);
    double loc = memsink_summary(&ms, "emissions_location_t"), mkt = memsink_summary(&ms, "emissions_market_t");
    CHECK(mkt < loc);
    double cfe = memsink_summary(&ms, "cfe_fraction");
    CHECK(cfe > 0 && cfe < 1);
    CHECK(memsink_summary(&ms, "ppa_mwh") > 0);
    CHECK(memsink_summary(&ms, "battery_loss_mwh") > 0);
    double smax = 0, night = 0;
    for (long k = 0; k < ms.nsteps; k++) {
        const double *v = &ms.site_vals[(size_t)k * (size_t)ms.nsv + (size_t)ms.nsv * 0];
        (void)v;
        const double *south = &ms.site_vals[(size_t)k * (size_t)(ms.nsites * ms.nsv) + (size_t)ms.nsv];
        smax = fmax(smax, south[SV_BATTERY_STATE_MWH]);
        if (k % 24 == 3) /* 03:00 UTC is night at a PJM longitude */
            night += south[SV_PPA_KWH];
    }
    CHECK(smax > 0.1 && smax <= 0.4 + 1e-9);
    CHECK_NEAR(night, 0.0, 0, 1e-9);
    memsink_free(&ms);
    scenario_free(&s);
}
