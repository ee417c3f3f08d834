/* test_facility.c - facility models at hand-checked points, and PUE and
 * water over a run (energy-weighted annual PUE). */
#include <math.h>
#include <stdio.h>

#include "../sim/account.h"
#include "../grid/weather.h"
#include "../sim/facility.h"
#include "check.h"
#include "testutil.h"

void test_facility_constant(void);
void test_facility_table(void);
void test_facility_economizer_points(void);
void test_facility_low_load(void);
void test_facility_liquid(void);
void test_facility_annual_pue_weighted(void);
void test_facility_heat_wave(void);
void test_facility_calibration(void);
void test_facility_climates(void);

static facility_out eval(int model, const facility_params *p, double air, double liquid, double t, double wb)
{
    facility_in in = {.it_air_kw = air, .it_liquid_kw = liquid, .temp_c = t, .rh_pct = 50.0, .wet_bulb_c = wb};
    facility_out out;
    facility_types[model].eval(p, &in, &out);
    return out;
}

void test_facility_constant(void)
{
    facility_params p;
    facility_defaults(&p);
    p.pue = 1.25;
    p.wue_l_per_kwh = 0.4;
    facility_out o = eval(0, &p, 800.0, 200.0, NAN, NAN);
    CHECK_NEAR(o.facility_kw, 1250.0, 1e-15, 0); /* exactly PUE x IT */
    CHECK_NEAR(o.cooling_kw, 250.0, 1e-12, 0);
    CHECK_NEAR(o.water_l_per_h, 400.0, 1e-15, 0);
}

void test_facility_table(void)
{
    facility_params p;
    facility_defaults(&p);
    p.ntable = 3;
    p.table_temp_c[0] = 0, p.table_temp_c[1] = 20, p.table_temp_c[2] = 30;
    p.table_pue[0] = 1.1, p.table_pue[1] = 1.2, p.table_pue[2] = 1.5;
    CHECK_NEAR(eval(1, &p, 100, 0, -10, 0).facility_kw, 110.0, 1e-12, 0); /* held below the first point */
    CHECK_NEAR(eval(1, &p, 100, 0, 10, 0).facility_kw, 115.0, 1e-12, 0);  /* halfway 1.1 .. 1.2 */
    CHECK_NEAR(eval(1, &p, 100, 0, 25, 0).facility_kw, 135.0, 1e-12, 0);
    CHECK_NEAR(eval(1, &p, 100, 0, 45, 0).facility_kw, 150.0, 1e-12, 0);
}

/* Defaults, design 1000 kW, 1000 kW IT on air: losses 20 + 20 + 10 = 50 kW,
 * fixed 10 kW, heat Q = 1060 kW, fans 0.04 Q = 42.4 kW. */
void test_facility_economizer_points(void)
{
    facility_params p;
    facility_defaults(&p);
    p.design_it_kw = 1000.0;
    /* free cooling: 10 C is below the 24 C supply air */
    facility_out a = eval(2, &p, 1000, 0, 10.0, 5.0);
    CHECK_INT(a.mode, 0);
    CHECK_NEAR(a.losses_kw, 50.0, 1e-12, 0);
    CHECK_NEAR(a.cooling_kw, 42.4, 1e-12, 0);
    CHECK_NEAR(a.facility_kw, 1102.4, 1e-12, 0);
    CHECK_NEAR(a.water_l_per_h, 0.0, 0, 0);
    /* evaporative: 30 C, wet bulb 18 C: load 1060 x 6/12 = 530 kW, all by
     * evaporation; pumps 2.65 kW; water 530 x 3600/2450 x 4/3 L/h */
    facility_out b = eval(2, &p, 1000, 0, 30.0, 18.0);
    CHECK_INT(b.mode, 1);
    CHECK_NEAR(b.cooling_kw, 45.05, 1e-12, 0);
    CHECK_NEAR(b.facility_kw, 1105.05, 1e-12, 0);
    CHECK_NEAR(b.water_l_per_h, 530.0 * 3600.0 / 2450.0 * 4.0 / 3.0, 1e-12, 0);
    /* partial: 32 C, wet bulb 23 C: evaporation reaches 26 C, 3/4 of the
     * 8 K drop; the chiller does 1/4 of 706.67 kW at COP 0.5 x 287.15 / 28 */
    facility_out c = eval(2, &p, 1000, 0, 32.0, 23.0);
    double qc = 1060.0 * 8.0 / 12.0, cop = 0.5 * 287.15 / 28.0;
    CHECK_INT(c.mode, 2);
    CHECK_NEAR(facility_chiller_cop(&p, 32.0), cop, 1e-12, 0);
    CHECK_NEAR(c.cooling_kw, 42.4 + 0.005 * 0.75 * qc + 0.25 * qc / cop, 1e-12, 0);
    CHECK_NEAR(c.water_l_per_h, 0.75 * qc * 3600.0 / 2450.0 * 4.0 / 3.0, 1e-12, 0);
    /* chiller: 38 C and wet bulb 34 C: evaporation reaches only 37 C, above
     * the 36 C return air: recirculate, the chiller takes all 1060 kW at
     * COP 0.5 x 287.15 / 34 = 4.2228 */
    facility_out d = eval(2, &p, 1000, 0, 38.0, 34.0);
    CHECK_INT(d.mode, 3);
    CHECK_NEAR(d.cooling_kw, 42.4 + 1060.0 / (0.5 * 287.15 / 34.0), 1e-12, 0);
    CHECK_NEAR(d.water_l_per_h, 0.0, 0, 0);
    /* hot and dry: 38 C, wet bulb 28 C: outdoor air pre-cooled by evaporation
     * to 31 C (below the return air), the chiller takes it to 24 C:
     * evaporation 1060 x 7/12, chiller 1060 x 7/12 */
    facility_out f = eval(2, &p, 1000, 0, 38.0, 28.0);
    double q7 = 1060.0 * 7.0 / 12.0;
    CHECK_INT(f.mode, 2);
    CHECK_NEAR(f.cooling_kw, 42.4 + 0.005 * q7 + q7 / (0.5 * 287.15 / 34.0), 1e-12, 0);
    CHECK_NEAR(f.water_l_per_h, q7 * 3600.0 / 2450.0 * 4.0 / 3.0, 1e-12, 0);
    CHECK(f.facility_kw < d.facility_kw);
    /* hotter means more power: 10 < 30 < 32 < 38 C */
    CHECK(a.facility_kw < b.facility_kw && b.facility_kw < c.facility_kw && c.facility_kw < d.facility_kw);
}

/* PUE rises at low load: at 200 kW of 1000 the fixed parts weigh more. */
void test_facility_low_load(void)
{
    facility_params p;
    facility_defaults(&p);
    p.design_it_kw = 1000.0;
    facility_out lo = eval(2, &p, 200, 0, 10.0, 5.0), hi = eval(2, &p, 1000, 0, 10.0, 5.0);
    /* losses 20 + 4 + 0.4, fixed 10, fans 0.04 x 234.4 */
    CHECK_NEAR(lo.facility_kw, 200.0 + 24.4 + 10.0 + 0.04 * 234.4, 1e-12, 0);
    CHECK(lo.facility_kw / 200.0 > hi.facility_kw / 1000.0 + 0.1);
}

/* Liquid-cooled IT skips the air path: its overhead is k_liq only. */
void test_facility_liquid(void)
{
    facility_params p;
    facility_defaults(&p);
    p.design_it_kw = 1000.0;
    facility_out air = eval(2, &p, 1000, 0, 38.0, 34.0), liq = eval(2, &p, 0, 1000, 38.0, 34.0);
    /* the air still carries the 50 kW of losses and 10 kW fixed: fans and chiller on 60 kW */
    CHECK_NEAR(liq.cooling_kw, 0.03 * 1000.0 + 0.04 * 60.0 + 60.0 / (0.5 * 287.15 / 34.0), 1e-12, 0);
    CHECK(liq.facility_kw < air.facility_kw - 200.0);
}

/* Over a run, mean_pue is facility energy / IT energy, not the mean of the
 * hourly PUE: a job busy in half of the hours gives hours of different PUE. */
void test_facility_annual_pue_weighted(void)
{
    scenario s;
    memsink ms;
    char err[1024];
    int rc = test_load(&s, "eco.cfg",
                       "name = \"t\"; seed = 1; start = \"2026-01-01T00:00:00Z\"; duration = \"4h\";\n" TEST_CATALOG
                       "sites = ( { name = \"s\"; facility = { model = \"economizer\"; };\n"
                       "  weather = { temp_c = 30.0; rh_pct = 40.0; };\n"
                       "  grid = { intensity_g_per_kwh = 100.0; water_l_per_kwh = 2.0; };\n"
                       "  pools = ( { name = \"p\"; node = \"n100\"; count = 10; } ); } );\n"
                       "workloads = ( { name = \"w\"; kind = \"generic\"; pool = \"p\"; nodes = 10; service = { mean = \"2h\"; };\n"
                       "  arrival = { at = \"2026-01-01T00:00:00Z\"; }; } );\n",
                       err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK_NEAR(s.sites[0].fac.design_it_kw, 4.0, 1e-12, 0); /* 10 nodes x 400 W */
    CHECK(test_run(&s, &ms) == 0);
    CHECK_INT(ms.nsteps, 4);
    double sum_pue = 0;
    for (long k = 0; k < 4; k++)
        sum_pue += ms.site_vals[(size_t)k * (size_t)ms.nsv + SV_PUE];
    double fac = memsink_site_sum(&ms, 0, SV_ENERGY_KWH), it = memsink_site_sum(&ms, 0, SV_IT_ENERGY_KWH);
    CHECK_NEAR(it, 2 * 4.0 + 2 * 1.0, 1e-12, 0); /* 2 h at 4 kW, 2 h at 1 kW */
    CHECK_NEAR(memsink_summary(&ms, "mean_pue"), fac / it, 1e-12, 0);
    CHECK(fabs(memsink_summary(&ms, "mean_pue") - sum_pue / 4) > 0.01);
    /* the series equal the model at each step's mean IT power */
    facility_params p = s.sites[0].fac;
    facility_in in = {.it_air_kw = 4.0, .temp_c = 30.0, .rh_pct = 40.0,
                      .wet_bulb_c = ms.site_vals[SV_WET_BULB_C]};
    facility_out o;
    facility_types[2].eval(&p, &in, &o);
    CHECK_NEAR(ms.site_vals[SV_FACILITY_POWER_KW], o.facility_kw, 1e-12, 0);
    CHECK_NEAR(ms.site_vals[SV_WATER_ONSITE_L], o.water_l_per_h, 1e-12, 0);
    CHECK_NEAR(ms.site_vals[SV_WATER_OFFSITE_L], 2.0 * o.facility_kw, 1e-12, 0);
    CHECK_NEAR(memsink_summary(&ms, "wue_l_per_kwh"),
               memsink_site_sum(&ms, 0, SV_WATER_ONSITE_L) / it, 1e-12, 0);
    /* job attribution: the first step uses the idle PUE, later the step before's */
    CHECK_INT(ms.njobs, 1);
    memsink_free(&ms);
    scenario_free(&s);
}

/* A heat wave (+12 K for a day on a 20 C, 50 % RH site, the same vapour
 * pressure, so RH 25.3 %) moves the plant from
 * free cooling to evaporative/chiller operation in exactly those hours: PUE
 * and water rise there, by what the model's equations give. */
void test_facility_heat_wave(void)
{
    scenario s;
    memsink ms;
    char err[1024];
    int rc = test_load(&s, "heat.cfg",
                       "name = \"t\"; seed = 1; start = \"2026-07-01T00:00:00Z\"; duration = \"3d\";\n" TEST_CATALOG
                       "sites = ( { name = \"s\"; facility = { model = \"economizer\"; };\n"
                       "  weather = { temp_c = 20.0; rh_pct = 50.0;\n"
                       "    heat_wave = { start = \"2026-07-02T00:00:00Z\"; days = 1.0; delta_c = 12.0; }; };\n"
                       "  grid = { intensity_g_per_kwh = 100.0; };\n"
                       "  pools = ( { name = \"p\"; node = \"n100\"; count = 10; } ); } );\n"
                       "workloads = ( { name = \"w\"; kind = \"generic\"; pool = \"p\"; nodes = 10; service = { mean = \"3d\"; };\n"
                       "  arrival = { at = \"2026-07-01T00:00:00Z\"; }; } );\n",
                       err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK(test_run(&s, &ms) == 0);
    CHECK_INT(ms.nsteps, 72);
    const facility_params *p = &s.sites[0].fac;
    int ok_dir = 1, ok_mag = 1;
    for (long k = 0; k < ms.nsteps; k++) {
        const double *v = &ms.site_vals[(size_t)k * (size_t)ms.nsv];
        int hot = k >= 24 && k < 48;
        double t = hot ? 32.0 : 20.0;
        /* the same vapour pressure at 32 C as 50 % RH at 20 C (Magnus) */
        double rh = hot ? 50.0 * exp(17.62 * 20.0 / 263.12) / exp(17.62 * 32.0 / 275.12) : 50.0;
        facility_in in = {.it_air_kw = 4.0, .temp_c = t, .rh_pct = rh, .wet_bulb_c = weather_wet_bulb_c(t, rh)};
        facility_out o;
        facility_types[2].eval(p, &in, &o);
        ok_mag &= fabs(v[SV_FACILITY_POWER_KW] - o.facility_kw) < 1e-12 && fabs(v[SV_WATER_ONSITE_L] - o.water_l_per_h) < 1e-9 &&
                  v[SV_OUTDOOR_TEMP_C] == t;
        double pue0 = ms.site_vals[SV_PUE]; /* the first, mild hour */
        ok_dir &= hot ? (v[SV_PUE] > pue0 + 1e-3 && v[SV_WATER_ONSITE_L] > 100.0 / 24)
                      : (fabs(v[SV_PUE] - pue0) < 1e-12 && v[SV_WATER_ONSITE_L] == 0);
    }
    CHECK(ok_dir);
    CHECK(ok_mag);
    memsink_free(&ms);
    scenario_free(&s);
}

/* The calibration scenarios land where their comments say: a hyperscale site
 * near AWS's PUE 1.15 and WUE 0.12-0.15 L/kWh, an enterprise room near the
 * Uptime Institute average of 1.56. */
void test_facility_calibration(void)
{
    const struct {
        const char *file;
        double pue_lo, pue_hi, wue_lo, wue_hi;
    } cases[] = {{"scenarios/calibration/hyperscale-temperate.cfg", 1.13, 1.17, 0.12, 0.15},
                 {"scenarios/calibration/enterprise-room.cfg", 1.54, 1.60, 0.0, 0.0}};
    for (int i = 0; i < 2; i++) {
        scenario s;
        memsink ms;
        char err[1024];
        if (scenario_load(&s, cases[i].file, NULL, 0, err, sizeof err)) {
            fprintf(stderr, "  %s\n", err);
            CHECK(0);
            continue;
        }
        CHECK(test_run(&s, &ms) == 0);
        double pue = memsink_summary(&ms, "mean_pue"), wue = memsink_summary(&ms, "wue_l_per_kwh");
        if (!(pue >= cases[i].pue_lo && pue <= cases[i].pue_hi && wue >= cases[i].wue_lo && wue <= cases[i].wue_hi))
            fprintf(stderr, "  %s: PUE %.4f, WUE %.4f L/kWh\n", cases[i].file, pue, wue);
        CHECK(pue >= cases[i].pue_lo && pue <= cases[i].pue_hi);
        CHECK(wue >= cases[i].wue_lo && wue <= cases[i].wue_hi);
        memsink_free(&ms);
        scenario_free(&s);
    }
}

/* climates.cfg: the hot-humid site needs more cooling than the temperate
 * one, and the cold site evaporates the least water. */
void test_facility_climates(void)
{
    scenario s;
    memsink ms;
    char err[1024];
    if (scenario_load(&s, "scenarios/climates.cfg", NULL, 0, err, sizeof err)) {
        fprintf(stderr, "  %s\n", err);
        CHECK(0);
        return;
    }
    CHECK(test_run(&s, &ms) == 0);
    double pue[3], wue[3];
    for (int i = 0; i < 3; i++) {
        double it = memsink_site_sum(&ms, i, SV_IT_ENERGY_KWH);
        pue[i] = memsink_site_sum(&ms, i, SV_ENERGY_KWH) / it;
        wue[i] = memsink_site_sum(&ms, i, SV_WATER_ONSITE_L) / it;
    }
    CHECK(pue[1] > pue[0] + 0.02); /* hot-humid vs temperate */
    CHECK(pue[2] <= pue[0] + 1e-3); /* cold: free cooling all year */
    CHECK(wue[2] < wue[0] && wue[0] < wue[1]);
    memsink_free(&ms);
    scenario_free(&s);
}
