/* test_synthgrid.c - the synthetic grid: hand-checked dispatch, determinism,
 * the annual mean against an independent sum, merit order and marginal unit,
 * added load, solar geometry, the seeded processes, hydro, presets, errors. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../grid/synthgrid.h"
#include "check.h"

void test_synthgrid_names(void);
void test_synthgrid_hand_dispatch(void);
void test_synthgrid_determinism(void);
void test_synthgrid_annual_mean(void);
void test_synthgrid_merit_order(void);
void test_synthgrid_extra_load(void);
void test_synthgrid_solar(void);
void test_synthgrid_processes(void);
void test_synthgrid_hydro(void);
void test_synthgrid_presets(void);
void test_synthgrid_errors(void);

#define Y2023 1672531200LL /* 2023-01-01T00:00:00Z */
#define Y2024 1704067200LL /* 2024-01-01T00:00:00Z */
#define JUN21 1687305600LL /* 2023-06-21T00:00:00Z */

void test_synthgrid_names(void)
{
    CHECK_STR(synthgrid_source_names[SRC_GAS_PEAKER], "gas_peaker");
    CHECK(synthgrid_source_names[SRC_COUNT] == NULL);
    CHECK_INT(synthgrid_source_from_name("coal"), SRC_COAL);
    CHECK_INT(synthgrid_source_from_name("lignite"), -1);
    CHECK_INT(synthgrid_source_from_name(NULL), -1);
    int low = 0;
    for (int s = 0; s < SRC_COUNT; s++)
        low += synthgrid_is_low_carbon(s);
    CHECK_INT(low, 4);
    CHECK(synthgrid_is_low_carbon(SRC_HYDRO) && !synthgrid_is_low_carbon(SRC_OIL));
    CHECK(!synthgrid_is_low_carbon(-1) && !synthgrid_is_low_carbon(SRC_COUNT));
    /* the cited factors, as documented */
    const double lca[SRC_COUNT] = {12, 24, 11, 48, 490, 714, 820, 840};
    const double dir[SRC_COUNT] = {0, 0, 0, 0, 370, 539, 760, 817};
    for (int s = 0; s < SRC_COUNT; s++) {
        CHECK(synthgrid_ef_lifecycle[s] == lca[s]);
        CHECK(synthgrid_ef_direct[s] == dir[s]);
    }
    /* the two derived figures, recomputed */
    CHECK_NEAR(490.0 * 10999.0 / 7548.0, 714.0, 0, 0.5);
    CHECK_NEAR(370.0 * 10999.0 / 7548.0, 539.0, 0, 0.5);
    CHECK_NEAR(161.3 * 11166.0 * 453.59237 / 1e6, 817.0, 0, 0.5);
    synthgrid_params p;
    CHECK(synthgrid_preset("pjm-2023", &p) == 0);
    CHECK(synthgrid_ef(&p, SRC_COAL) == 820.0);
    p.use_direct_ef = 1;
    CHECK(synthgrid_ef(&p, SRC_COAL) == 760.0);
    CHECK(isnan(synthgrid_ef(&p, SRC_COUNT)));
    CHECK(synthgrid_preset("atlantis", &p) == -1);
}

/* A region with constant demand and wind, for hand-checked numbers: demand
 * 200 MW, wind 100 MW at a constant 0.5, nuclear 100 (cost 10), CCGT 100
 * (24), coal 100 (26), everything available. */
static void hand_params(synthgrid_params *p)
{
    CHECK(synthgrid_preset("pjm-2023", p) == 0);
    memset(p->capacity_mw, 0, sizeof p->capacity_mw);
    for (int s = 0; s < SRC_COUNT; s++)
        p->availability[s] = 1.0;
    p->capacity_mw[SRC_WIND] = 100;
    p->capacity_mw[SRC_NUCLEAR] = 100;
    p->capacity_mw[SRC_GAS_CCGT] = 100;
    p->capacity_mw[SRC_COAL] = 100;
    p->demand_mean_mw = 200;
    p->demand_daily_amp = p->demand_weekly_amp = p->demand_annual_amp = p->demand_noise_sd = 0;
    p->wind_cf_mean = 0.5;
    p->wind_cf_sd = 0;
}

void test_synthgrid_hand_dispatch(void)
{
    synthgrid_params p;
    hand_params(&p);
    char err[300];
    synthgrid *g = synthgrid_alloc(&p, 1, Y2023, Y2023 + 48 * 3600, err, sizeof err);
    CHECK(g != NULL);
    if (!g)
        return;
    CHECK_INT(synthgrid_hours(g), 48);
    CHECK_INT(synthgrid_t0(g), Y2023);
    CHECK_INT(synthgrid_index(g, Y2023 - 5), 0);
    CHECK_INT(synthgrid_index(g, Y2023 + 3600 * 5 + 3599), 5);
    CHECK_INT(synthgrid_index(g, Y2024), 47);

    synthgrid_hour o;
    synthgrid_dispatch(g, 7, 0.0, &o);
    /* wind 50, nuclear 100, CCGT 50: (50 x 11 + 100 x 12 + 50 x 490) / 200 = 131.25 g/kWh */
    CHECK(o.demand_mw == 200);
    CHECK(o.gen_mw[SRC_WIND] == 50 && o.gen_mw[SRC_NUCLEAR] == 100 && o.gen_mw[SRC_GAS_CCGT] == 50);
    CHECK(o.gen_mw[SRC_COAL] == 0 && o.curtailed_mw == 0 && o.unserved == 0);
    CHECK_NEAR(o.avg_g_per_kwh, 131.25, 1e-12, 0);
    CHECK_NEAR(o.emissions_kg, 26250.0, 1e-12, 0);
    CHECK_INT(o.marginal_src, SRC_GAS_CCGT);
    CHECK(o.marginal_g_per_kwh == 490 && o.price_usd_per_mwh == 24);
    CHECK_NEAR(o.low_carbon_frac, 0.75, 1e-12, 0);

    /* +50 MW: the CCGT fills exactly, so the next MW is coal's */
    synthgrid_dispatch(g, 7, 50.0, &o);
    CHECK(o.gen_mw[SRC_GAS_CCGT] == 100 && o.gen_mw[SRC_COAL] == 0);
    CHECK_INT(o.marginal_src, SRC_COAL);
    CHECK(o.marginal_g_per_kwh == 820 && o.price_usd_per_mwh == 26);
    /* +100 MW comes half from the CCGT, half from coal: (50 x 490 + 50 x 820) / 100
     * = 655 g/kWh, not the 490 of the marginal unit before it was added */
    CHECK_NEAR(synthgrid_added_g_per_kwh(g, 7, 100.0), 655.0, 1e-12, 0);
    CHECK_NEAR(synthgrid_added_g_per_kwh(g, 7, 50.0), 490.0, 1e-12, 0);
    CHECK_NEAR(synthgrid_added_g_per_kwh(g, 7, 0.0), 490.0, 0, 0);

    /* +250 MW: 450 MW asked, 350 MW exist: 100 MW unserved, the dearest unit marginal */
    synthgrid_dispatch(g, 7, 250.0, &o);
    CHECK(o.unserved == 1 && o.unserved_mw == 100);
    CHECK(o.gen_mw[SRC_COAL] == 100);
    CHECK_INT(o.marginal_src, SRC_COAL);
    /* of the +250 MW, 100 MW is not served and adds nothing */
    CHECK_NEAR(synthgrid_added_g_per_kwh(g, 7, 250.0) * 250.0, 50 * 490.0 + 100 * 820.0, 1e-12, 0);

    /* -180 MW: 20 MW of demand, wind curtailed by 30 MW and marginal */
    synthgrid_dispatch(g, 7, -180.0, &o);
    CHECK(o.gen_mw[SRC_WIND] == 20 && o.curtailed_mw == 30 && o.gen_mw[SRC_NUCLEAR] == 0);
    CHECK_INT(o.marginal_src, SRC_WIND);
    CHECK(o.marginal_g_per_kwh == 11 && o.price_usd_per_mwh == 0 && o.avg_g_per_kwh == 11);
    CHECK(o.low_carbon_frac == 1.0);

    /* below zero: nothing runs */
    synthgrid_dispatch(g, 7, -500.0, &o);
    CHECK(o.demand_mw == 0 && o.avg_g_per_kwh == 0 && o.emissions_kg == 0 && o.gen_mw[SRC_WIND] == 0);

    /* the same region with direct factors: (50 x 490 -> 370) / 200 */
    p.use_direct_ef = 1;
    synthgrid *gd = synthgrid_alloc(&p, 1, Y2023, Y2023 + 3600, err, sizeof err);
    CHECK(gd != NULL);
    if (gd) {
        synthgrid_dispatch(gd, 0, 0.0, &o);
        CHECK_NEAR(o.avg_g_per_kwh, 50 * 370.0 / 200, 1e-12, 0);
        CHECK(o.marginal_g_per_kwh == 370);
    }
    synthgrid_free(gd);
    synthgrid_free(g);
    synthgrid_free(NULL);
}

/* Dispatches every hour of g into a new array (caller frees). */
static synthgrid_hour *dispatch_all(const synthgrid *g, double extra)
{
    size_t n = synthgrid_hours(g);
    synthgrid_hour *o = calloc(n, sizeof *o);
    for (size_t h = 0; o && h < n; h++)
        synthgrid_dispatch(g, h, extra, &o[h]);
    return o;
}

void test_synthgrid_determinism(void)
{
    synthgrid_params p;
    char err[300];
    CHECK(synthgrid_preset("pjm-2023", &p) == 0);
    synthgrid *a = synthgrid_alloc(&p, 7, Y2023, Y2024, err, sizeof err);
    synthgrid *b = synthgrid_alloc(&p, 7, Y2023, Y2024, err, sizeof err);
    synthgrid *c = synthgrid_alloc(&p, 8, Y2023, Y2024, err, sizeof err);
    /* a shorter period inside the same year: the same hours get the same values */
    synthgrid *d = synthgrid_alloc(&p, 7, JUN21 + 1800, JUN21 + 10 * 86400, err, sizeof err);
    CHECK(a && b && c && d);
    if (!a || !b || !c || !d)
        goto out;
    size_t n = synthgrid_hours(a);
    CHECK_INT(n, 8760);
    synthgrid_hour *oa = dispatch_all(a, 500), *ob = dispatch_all(b, 500), *oc = dispatch_all(c, 500);
    CHECK(memcmp(oa, ob, n * sizeof *oa) == 0);
    CHECK(memcmp(oa, oc, n * sizeof *oa) != 0);
    size_t same = 0;
    for (size_t h = 0; h < n; h++)
        same += oa[h].demand_mw == oc[h].demand_mw;
    CHECK(same < 10);
    CHECK_INT(synthgrid_t0(d), JUN21);
    CHECK_INT(synthgrid_hours(d), 240);
    size_t k0 = synthgrid_index(a, JUN21);
    for (size_t h = 0; h < synthgrid_hours(d); h++) {
        synthgrid_hour od;
        synthgrid_dispatch(d, h, 500, &od);
        CHECK(memcmp(&od, &oa[k0 + h], sizeof od) == 0);
    }
    /* a PPA profile with the grid's seed is the grid's own solar and wind per MW
     * (no curtailment in this region, so generation = availability) */
    double *sol = NULL, *wnd = NULL;
    size_t ns = 0, nw = 0;
    CHECK(synthgrid_profile(SRC_SOLAR, &p, 7, Y2023, Y2024, &sol, &ns, err, sizeof err) == 0);
    CHECK(synthgrid_profile(SRC_WIND, &p, 7, Y2023, Y2024, &wnd, &nw, err, sizeof err) == 0);
    CHECK_INT(ns, n);
    CHECK_INT(nw, n);
    if (sol && wnd)
        for (size_t h = 0; h < n; h++) {
            CHECK(oa[h].curtailed_mw == 0);
            CHECK(oa[h].gen_mw[SRC_SOLAR] == sol[h] * p.capacity_mw[SRC_SOLAR]);
            CHECK(oa[h].gen_mw[SRC_WIND] == wnd[h] * p.capacity_mw[SRC_WIND]);
            CHECK(sol[h] >= 0 && sol[h] <= 1 && wnd[h] >= 0 && wnd[h] <= 1);
        }
    double *sol2 = NULL;
    CHECK(synthgrid_profile(SRC_SOLAR, &p, 99, Y2023, Y2024, &sol2, &ns, err, sizeof err) == 0);
    CHECK(sol && sol2 && memcmp(sol, sol2, n * sizeof *sol) != 0);
    free(sol);
    free(sol2);
    free(wnd);
    free(oa);
    free(ob);
    free(oc);
out:
    synthgrid_free(a);
    synthgrid_free(b);
    synthgrid_free(c);
    synthgrid_free(d);
}

/* The annual mean intensity (the summary's) against sums made here from the
 * hourly generation and the published factors. */
static void check_annual_mean(const char *preset, int direct, double extra)
{
    synthgrid_params p;
    char err[300];
    CHECK(synthgrid_preset(preset, &p) == 0);
    p.use_direct_ef = direct;
    synthgrid *g = synthgrid_alloc(&p, 2023, Y2023, Y2024, err, sizeof err);
    CHECK(g != NULL);
    if (!g)
        return;
    const double *ef = direct ? synthgrid_ef_direct : synthgrid_ef_lifecycle;
    double gen = 0, mass = 0, weighted = 0, by_src[SRC_COUNT] = {0};
    for (size_t h = 0; h < synthgrid_hours(g); h++) {
        synthgrid_hour o;
        synthgrid_dispatch(g, h, extra, &o);
        double gh = 0;
        for (int s = 0; s < SRC_COUNT; s++) {
            CHECK(o.gen_mw[s] >= 0);
            gh += o.gen_mw[s];
            mass += o.gen_mw[s] * ef[s];
            by_src[s] += o.gen_mw[s];
        }
        CHECK_NEAR(gh + o.unserved_mw, o.demand_mw, 1e-12, 1e-9); /* energy balance */
        gen += gh;
        weighted += o.avg_g_per_kwh * gh;
    }
    synthgrid_summary s;
    synthgrid_summarize(g, extra, &s);
    double by_energy = 0, total = 0;
    for (int k = 0; k < SRC_COUNT; k++) {
        CHECK_NEAR(s.energy_mwh[k], by_src[k], 1e-12, 1e-6);
        by_energy += ef[k] * s.energy_mwh[k];
        total += s.energy_mwh[k];
    }
    CHECK_NEAR(s.mean_g_per_kwh, mass / gen, 1e-12, 0);         /* sum(gen x EF) / sum(gen) */
    CHECK_NEAR(s.mean_g_per_kwh, weighted / gen, 1e-12, 0);     /* hourly intensities, generation-weighted */
    CHECK_NEAR(s.mean_g_per_kwh, by_energy / total, 1e-12, 0);  /* annual energies x factors */
    CHECK_NEAR(s.emissions_t, mass / 1000.0, 1e-12, 0);
    synthgrid_free(g);
}

void test_synthgrid_annual_mean(void)
{
    check_annual_mean("pjm-2023", 0, 0.0);
    check_annual_mean("pjm-2023", 1, 0.0);
    check_annual_mean("sweden-2021", 0, 0.0);
    check_annual_mean("poland-2023", 0, 2000.0);
}

/* Every hour: the marginal unit is the first with headroom in merit order,
 * so every unit before it is at its limit, none after it runs, and its cost
 * is at least that of every running unit. */
static void check_merit(const char *preset)
{
    synthgrid_params p;
    char err[300];
    CHECK(synthgrid_preset(preset, &p) == 0);
    synthgrid *g = synthgrid_alloc(&p, 5, Y2023, Y2024, err, sizeof err);
    CHECK(g != NULL);
    if (!g)
        return;
    const int thermal[] = {SRC_NUCLEAR, SRC_GAS_CCGT, SRC_GAS_PEAKER, SRC_COAL, SRC_OIL};
    size_t bad = 0;
    for (size_t h = 0; h < synthgrid_hours(g); h++) {
        synthgrid_hour o;
        synthgrid_dispatch(g, h, 0.0, &o);
        int m = o.marginal_src;
        if (o.curtailed_mw > 0) { /* only wind and solar run */
            bad += m != SRC_WIND && m != SRC_SOLAR;
            for (int k = 0; k < 5; k++)
                bad += o.gen_mw[thermal[k]] != 0;
            bad += o.gen_mw[SRC_HYDRO] != 0;
            continue;
        }
        bad += o.marginal_g_per_kwh != synthgrid_ef(&p, m);
        bad += o.price_usd_per_mwh != p.marginal_cost[m];
        for (int s = 0; s < SRC_COUNT; s++)
            if (o.gen_mw[s] > 0)
                bad += p.marginal_cost[s] > p.marginal_cost[m];
        for (int k = 0; k < 5; k++) {
            int u = thermal[k];
            double av = p.capacity_mw[u] * p.availability[u];
            if (m != SRC_HYDRO && p.marginal_cost[u] < p.marginal_cost[m])
                bad += o.gen_mw[u] != av; /* cheaper units are full */
            if (p.marginal_cost[u] > p.marginal_cost[m])
                bad += o.gen_mw[u] != 0; /* dearer units are off */
        }
        /* one more MW costs the marginal unit's factor when it has that MW spare */
        if (!o.unserved && m != SRC_HYDRO && o.gen_mw[m] + 1.0 <= p.capacity_mw[m] * p.availability[m]) {
            double added = synthgrid_added_g_per_kwh(g, h, 1.0);
            bad += fabs(added - o.marginal_g_per_kwh) > 1e-6 * o.marginal_g_per_kwh + 1e-9;
        }
    }
    CHECK_INT(bad, 0);
    synthgrid_free(g);
}

void test_synthgrid_merit_order(void)
{
    check_merit("pjm-2023");
    check_merit("sweden-2021");
    check_merit("poland-2023");
}

static double fossil(const synthgrid_hour *o)
{
    return o->gen_mw[SRC_GAS_CCGT] + o->gen_mw[SRC_GAS_PEAKER] + o->gen_mw[SRC_COAL] + o->gen_mw[SRC_OIL];
}

void test_synthgrid_extra_load(void)
{
    const char *names[] = {"pjm-2023", "sweden-2021", "poland-2023"};
    const double extra[] = {0, 1, 100, 1000, 5000, 20000, 100000};
    char err[300];
    for (int k = 0; k < 3; k++) {
        synthgrid_params p;
        CHECK(synthgrid_preset(names[k], &p) == 0);
        synthgrid *g = synthgrid_alloc(&p, 11, Y2023, Y2024, err, sizeof err);
        CHECK(g != NULL);
        if (!g)
            continue;
        size_t bad = 0;
        for (size_t h = 0; h < synthgrid_hours(g); h += 7) {
            synthgrid_hour prev, o;
            synthgrid_dispatch(g, h, extra[0], &prev);
            for (size_t e = 1; e < sizeof extra / sizeof extra[0]; e++) {
                synthgrid_dispatch(g, h, extra[e], &o);
                bad += fossil(&o) < fossil(&prev);            /* never lowers fossil generation */
                bad += o.emissions_kg < prev.emissions_kg;     /* nor emissions */
                bad += o.gen_mw[SRC_NUCLEAR] < prev.gen_mw[SRC_NUCLEAR];
                prev = o;
            }
        }
        CHECK_INT(bad, 0);
        /* a 1 GW campus all year: its consequential factor is not the average */
        synthgrid_summary s0, s1;
        synthgrid_summarize(g, 0.0, &s0);
        synthgrid_summarize(g, 1000.0, &s1);
        double added = (s1.emissions_t - s0.emissions_t) * 1e6 / (1000.0 * 8760) / 1000.0; /* g/kWh */
        CHECK(added > s0.mean_g_per_kwh);
        CHECK(s1.mean_g_per_kwh >= s0.mean_g_per_kwh);
        synthgrid_free(g);
    }
}

/* Solar geometry checked by an independent formula (Cooper 1969 declination,
 * hour angle from clock time and longitude, no equation of time). */
static double cooper_cf(double lat_deg, double lon_deg, int doy, double utc_h)
{
    const double d2r = 3.14159265358979323846 / 180.0;
    double decl = 23.45 * d2r * sin(2 * 3.14159265358979323846 * (284 + doy) / 365.0);
    double omega = 15.0 * d2r * (utc_h + lon_deg / 15.0 - 12.0);
    double cz = sin(lat_deg * d2r) * sin(decl) + cos(lat_deg * d2r) * cos(decl) * cos(omega);
    if (cz <= 0)
        return 0;
    double ghi = 1098.0 * cz * exp(-0.059 / cz) / 1000.0;
    return ghi > 1 ? 1 : ghi;
}

void test_synthgrid_solar(void)
{
    synthgrid_params p;
    char err[300];
    CHECK(synthgrid_preset("pjm-2023", &p) == 0);
    p.latitude_deg = 40.0;
    p.longitude_deg = -7.5; /* the middle of the 12:00-13:00 UTC hour is near solar noon */
    p.utc_offset_h = 0.0;
    p.solar_cloud_mean = 1.0; /* cloudless */
    p.solar_cloud_sd = 0.0;
    double *cf = NULL;
    size_t n = 0;
    CHECK(synthgrid_profile(SRC_SOLAR, &p, 3, JUN21, JUN21 + 86400, &cf, &n, err, sizeof err) == 0);
    CHECK_INT(n, 24);
    if (!cf)
        return;
    size_t imax = 0;
    for (size_t h = 0; h < n; h++) {
        double m = (double)h + 0.5; /* UTC hour of the midpoint */
        CHECK(cf[h] == synthgrid_clear_sky_cf(40.0, -7.5, JUN21 + 3600 * (int64_t)h + 1800));
        CHECK_NEAR(cf[h], cooper_cf(40.0, -7.5, 172, m), 0, 0.01);
        if (cf[h] > cf[imax])
            imax = h;
    }
    CHECK_INT(imax, 12);
    /* z = 40 - 23.44 = 16.56 deg: 1098 cos z exp(-0.059 / cos z) = 989.6 W/m2 */
    CHECK_NEAR(cf[12], 0.9896, 0, 0.002);
    /* night: 20:00-04:00 UTC at 7.5 W in June (sunrise about 04:55 solar time) */
    for (int h = 0; h < 4; h++)
        CHECK(cf[h] == 0);
    for (int h = 21; h < 24; h++)
        CHECK(cf[h] == 0);
    free(cf);
    /* the southern hemisphere's June day is short */
    CHECK(synthgrid_clear_sky_cf(-40.0, 0.0, JUN21 + 6 * 3600) == 0);
    CHECK(synthgrid_clear_sky_cf(-40.0, 0.0, JUN21 + 12 * 3600) < 0.6);
    /* the equator at the March equinox noon is capped at 1 (1098 exp(-0.059) > 1000) */
    CHECK(synthgrid_clear_sky_cf(0.0, 0.0, 1679270400LL + 12 * 3600) == 1.0); /* 2023-03-20 */
}

void test_synthgrid_processes(void)
{
    /* over 20 years the clamped processes keep the requested means */
    synthgrid_params p;
    char err[300];
    CHECK(synthgrid_preset("pjm-2023", &p) == 0);
    p.latitude_deg = 0;
    p.longitude_deg = 0;
    p.solar_cloud_mean = 0.5;
    p.solar_cloud_sd = 0.4;
    p.wind_cf_mean = 0.3;
    p.wind_cf_sd = 0.3;
    int64_t to = Y2023 + 20LL * 365 * 86400;
    double *s = NULL, *w = NULL;
    size_t n = 0, nw = 0;
    CHECK(synthgrid_profile(SRC_SOLAR, &p, 1, Y2023, to, &s, &n, err, sizeof err) == 0);
    CHECK(synthgrid_profile(SRC_WIND, &p, 1, Y2023, to, &w, &nw, err, sizeof err) == 0);
    if (!s || !w)
        return;
    double ks = 0, kn = 0, ws = 0, lag = 0, w2 = 0;
    size_t zeros = 0;
    for (size_t h = 0; h < n; h++) {
        double c = synthgrid_clear_sky_cf(0, 0, Y2023 + 3600 * (int64_t)h + 1800);
        if (c > 0.2) {
            ks += s[h] / c;
            kn += 1;
        }
        ws += w[h];
        w2 += w[h] * w[h];
        zeros += w[h] == 0;
        if (h)
            lag += (w[h] - 0.3) * (w[h - 1] - 0.3);
    }
    CHECK_NEAR(ks / kn, 0.5, 0, 0.015);
    CHECK_NEAR(ws / (double)nw, 0.3, 0, 0.01);
    CHECK(zeros > 0); /* calm hours exist */
    double var = w2 / (double)nw - 0.09;
    CHECK(lag / (double)(nw - 1) / var > 0.9); /* strongly autocorrelated at 1 h (tau 24 h) */
    free(s);
    free(w);
    /* constant processes with sd = 0 */
    p.wind_cf_sd = 0;
    CHECK(synthgrid_profile(SRC_WIND, &p, 1, Y2023, Y2023 + 7200, &w, &nw, err, sizeof err) == 0);
    CHECK(w && w[0] == 0.3 && w[1] == 0.3);
    free(w);
}

void test_synthgrid_hydro(void)
{
    /* PJM's net load is always far above its hydro: each local day (UTC-5)
     * spends exactly hydro_cf x 3000 MW x 24 h, and hydro follows the net load */
    synthgrid_params p;
    char err[300];
    CHECK(synthgrid_preset("pjm-2023", &p) == 0);
    int64_t from = Y2023 + 5 * 3600; /* local midnight */
    synthgrid *g = synthgrid_alloc(&p, 4, from, from + 30 * 86400, err, sizeof err);
    CHECK(g != NULL);
    if (!g)
        return;
    for (int d = 0; d < 30; d++) {
        double day = 0, hi_net = -1, hi_hydro = -1, lo_net = 1e30, lo_hydro = -1;
        for (int k = 0; k < 24; k++) {
            synthgrid_hour o;
            synthgrid_dispatch(g, (size_t)(24 * d + k), 0.0, &o);
            double net = o.demand_mw - o.gen_mw[SRC_WIND] - o.gen_mw[SRC_SOLAR];
            day += o.gen_mw[SRC_HYDRO];
            CHECK(o.gen_mw[SRC_HYDRO] >= 0 && o.gen_mw[SRC_HYDRO] <= 3000);
            if (net > hi_net) {
                hi_net = net;
                hi_hydro = o.gen_mw[SRC_HYDRO];
            }
            if (net < lo_net) {
                lo_net = net;
                lo_hydro = o.gen_mw[SRC_HYDRO];
            }
        }
        CHECK_NEAR(day, 0.40 * 3000 * 24, 1e-6, 0);
        CHECK(hi_hydro > lo_hydro); /* peak shaving */
    }
    synthgrid_free(g);
    /* seasonal water: Sweden's January days get more than its July days */
    CHECK(synthgrid_preset("sweden-2021", &p) == 0);
    p.capacity_mw[SRC_WIND] = p.capacity_mw[SRC_SOLAR] = 0; /* net load = demand, always > hydro */
    p.capacity_mw[SRC_HYDRO] = 5000;
    g = synthgrid_alloc(&p, 4, Y2023, Y2024, err, sizeof err);
    CHECK(g != NULL);
    if (!g)
        return;
    double jan = 0, jul = 0, year = 0;
    for (size_t h = 0; h < synthgrid_hours(g); h++) {
        synthgrid_hour o;
        synthgrid_dispatch(g, h, 0.0, &o);
        year += o.gen_mw[SRC_HYDRO];
        if (h < 31 * 24)
            jan += o.gen_mw[SRC_HYDRO];
        else if (h >= 181 * 24 && h < 212 * 24)
            jul += o.gen_mw[SRC_HYDRO];
    }
    CHECK(jan > 1.3 * jul);
    CHECK_NEAR(year, 0.494 * 5000 * 8760, 0.002, 0); /* the cycle averages out over a year */
    synthgrid_free(g);
}

void test_synthgrid_presets(void)
{
    char err[300];
    const struct {
        const char *name;
        double lo_g, hi_g, lo_low, hi_low;
        size_t max_unserved_h;
    } want[] = {
        {"pjm-2023", 300, 390, 0.38, 0.44, 0},    /* Electricity Maps 2023: 40.9 % low-carbon */
        {"sweden-2021", 10, 45, 0.97, 1.0, 200},  /* eu-north-1: about 25 g/kWh */
        {"poland-2023", 560, 680, 0.18, 0.27, 0}, /* PSE 2023: 68 % coal */
    };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        synthgrid_params p;
        CHECK(synthgrid_preset(synthgrid_preset_names[k], &p) == 0);
        CHECK_STR(synthgrid_preset_names[k], want[k].name);
        CHECK(synthgrid_check(&p, err, sizeof err) == 0);
        synthgrid *g = synthgrid_alloc(&p, 1, Y2023, Y2024, err, sizeof err);
        CHECK(g != NULL);
        if (!g)
            continue;
        synthgrid_summary s;
        synthgrid_summarize(g, 0.0, &s);
        CHECK(s.mean_g_per_kwh > want[k].lo_g && s.mean_g_per_kwh < want[k].hi_g);
        CHECK(s.low_carbon_frac > want[k].lo_low && s.low_carbon_frac < want[k].hi_low);
        CHECK(s.hours_unserved <= want[k].max_unserved_h);
        CHECK(s.mean_marginal_g_per_kwh > s.mean_g_per_kwh);
        synthgrid_free(g);
    }
    CHECK(synthgrid_preset_names[3] == NULL);
}

/* p with one change gives exactly this message. */
#define EXPECT_ERR(change, msg)                                                                                  \
    do {                                                                                                         \
        synthgrid_params p_;                                                                                     \
        char e_[400];                                                                                            \
        synthgrid_preset("pjm-2023", &p_);                                                                       \
        synthgrid_params *p = &p_;                                                                               \
        change;                                                                                                  \
        CHECK(synthgrid_check(p, e_, sizeof e_) == -1);                                                          \
        CHECK_STR(e_, msg);                                                                                      \
        CHECK(synthgrid_alloc(p, 1, Y2023, Y2024, e_, sizeof e_) == NULL);                                       \
        CHECK_STR(e_, msg);                                                                                      \
    } while (0)

void test_synthgrid_errors(void)
{
    EXPECT_ERR(p->capacity_mw[SRC_COAL] = -1, "synthetic grid: capacity_mw.coal -1 outside [0, 1e+07] MW");
    EXPECT_ERR(p->capacity_mw[SRC_WIND] = NAN, "synthetic grid: capacity_mw.wind nan outside [0, 1e+07] MW");
    EXPECT_ERR(p->availability[SRC_NUCLEAR] = 1.5,
               "synthetic grid: availability.nuclear 1.5 outside [0, 1] (fraction)");
    EXPECT_ERR(p->marginal_cost[SRC_OIL] = -5, "synthetic grid: marginal_cost.oil -5 outside [0, 10000] USD/MWh");
    EXPECT_ERR(p->use_direct_ef = 2, "synthetic grid: use_direct_ef 2 outside [0, 1] (0: life cycle, 1: direct)");
    EXPECT_ERR(p->demand_mean_mw = 0, "synthetic grid: demand_mean_mw 0 outside [1, 1e+07] MW");
    EXPECT_ERR(p->demand_daily_amp = -0.1,
               "synthetic grid: demand_daily_amp -0.1 outside [0, 0.9] (fraction of the mean)");
    EXPECT_ERR(p->demand_peak_hour = 25, "synthetic grid: demand_peak_hour 25 outside [0, 24] h");
    EXPECT_ERR(p->demand_weekly_amp = 1, "synthetic grid: demand_weekly_amp 1 outside [0, 0.9] (fraction of the mean)");
    EXPECT_ERR(p->demand_annual_amp = 0.95,
               "synthetic grid: demand_annual_amp 0.95 outside [0, 0.9] (fraction of the mean)");
    EXPECT_ERR(p->demand_peak_day = 0, "synthetic grid: demand_peak_day 0 outside [1, 366] (day of year)");
    EXPECT_ERR(p->demand_annual_peaks = 3, "synthetic grid: demand_annual_peaks 3 outside [1, 2] (peaks a year)");
    EXPECT_ERR(p->demand_noise_sd = 0.6,
               "synthetic grid: demand_noise_sd 0.6 outside [0, 0.5] (fraction of the mean)");
    EXPECT_ERR(p->demand_noise_tau_h = 0, "synthetic grid: demand_noise_tau_h 0 outside [0.1, 10000] h");
    EXPECT_ERR(p->latitude_deg = 91, "synthetic grid: latitude_deg 91 outside [-90, 90] degrees");
    EXPECT_ERR(p->longitude_deg = -200, "synthetic grid: longitude_deg -200 outside [-180, 180] degrees");
    EXPECT_ERR(p->utc_offset_h = 15, "synthetic grid: utc_offset_h 15 outside [-14, 14] h");
    EXPECT_ERR(p->solar_cloud_mean = 1.2,
               "synthetic grid: solar_cloud_mean 1.2 outside [0, 1] (clear-sky index)");
    EXPECT_ERR(p->solar_cloud_sd = -0.1, "synthetic grid: solar_cloud_sd -0.1 outside [0, 1] (clear-sky index)");
    EXPECT_ERR(p->solar_cloud_tau_h = 20000, "synthetic grid: solar_cloud_tau_h 20000 outside [0.1, 10000] h");
    EXPECT_ERR(p->wind_cf_mean = -0.3, "synthetic grid: wind_cf_mean -0.3 outside [0, 1] (capacity factor)");
    EXPECT_ERR(p->wind_cf_sd = 2, "synthetic grid: wind_cf_sd 2 outside [0, 1] (capacity factor)");
    EXPECT_ERR(p->wind_tau_h = 0.01, "synthetic grid: wind_tau_h 0.01 outside [0.1, 10000] h");
    EXPECT_ERR(p->hydro_cf = 1.1, "synthetic grid: hydro_cf 1.1 outside [0, 1] (capacity factor)");
    EXPECT_ERR(p->hydro_seasonal = -1,
               "synthetic grid: hydro_seasonal -1 outside [0, 1] (fraction of the annual cycle)");
    EXPECT_ERR((p->demand_daily_amp = 0.5, p->demand_annual_amp = 0.4, p->demand_weekly_amp = 0.14),
               "synthetic grid: demand_daily_amp + demand_annual_amp + 5/7 demand_weekly_amp = 1; it must be "
               "below 1, or demand falls to zero");
    EXPECT_ERR(p->solar_cloud_mean = 1.0,
               "synthetic grid: solar_cloud_mean 1 must be strictly between 0 and 1 when solar_cloud_sd > 0 "
               "(a varying index cannot average 0 or 1)");
    EXPECT_ERR(p->wind_cf_mean = 0.0,
               "synthetic grid: wind_cf_mean 0 must be strictly between 0 and 1 when wind_cf_sd > 0 "
               "(a varying capacity factor cannot average 0 or 1)");
    EXPECT_ERR(memset(p->capacity_mw, 0, sizeof p->capacity_mw),
               "synthetic grid: every capacity_mw is 0: the region has no generator");

    synthgrid_params p;
    char err[300];
    double *cf = (double *)&p; /* must come back NULL */
    size_t n = 5;
    CHECK(synthgrid_preset("pjm-2023", &p) == 0);
    CHECK(synthgrid_alloc(&p, 1, Y2024, Y2023, err, sizeof err) == NULL);
    CHECK_STR(err, "synthetic grid: empty period 2024-01-01T00:00:00Z to 2023-01-01T00:00:00Z");
    CHECK(synthgrid_alloc(&p, 1, 0, 2000001LL * 3600, err, sizeof err) == NULL);
    CHECK_STR(err, "synthetic grid: the period is longer than 2000000 hours");
    CHECK(synthgrid_profile(SRC_COAL, &p, 1, Y2023, Y2024, &cf, &n, err, sizeof err) == -1);
    CHECK_STR(err, "synthetic grid: a profile is for solar or wind, not coal");
    CHECK(cf == NULL && n == 0);
    CHECK(synthgrid_profile(42, &p, 1, Y2023, Y2024, &cf, &n, err, sizeof err) == -1);
    CHECK_STR(err, "synthetic grid: a profile is for solar or wind, not an unknown source");
    p.hydro_cf = 2;
    CHECK(synthgrid_profile(SRC_WIND, &p, 1, Y2023, Y2024, &cf, &n, err, sizeof err) == -1);
    CHECK_STR(err, "synthetic grid: hydro_cf 2 outside [0, 1] (capacity factor)");
}
