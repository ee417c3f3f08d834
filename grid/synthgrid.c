/* synthgrid.c - the synthetic regional grid: seeded demand, wind and solar,
 * a daily hydro schedule, and merit-order dispatch (see synthgrid.h).
 *
 * Hour i covers [t_i, t_i + 3600) UTC; shapes are evaluated at its midpoint
 * m_i = t_i + 1800. off = utc_offset_h, Y = 365.2425 d.
 *
 * Demand (MW):
 *   tau     = (m + 3600 off) / 86400                local days since 1970-01-01
 *   lam     = 24 frac(tau)                          local hour
 *   dow     = (floor(tau) + 3) mod 7                0 = Monday (1970-01-01 was a Thursday)
 *   tau_p   = days(2000-01-01) + peak_day - 0.5     noon of the peak day (year 2000 as phase origin)
 *   daily   = cos(2 pi (lam - peak_hour) / 24)
 *   weekly  = +2/7 on Mon..Fri, -5/7 on Sat, Sun    (mean 0 over a week)
 *   annual  = cos(2 pi k (tau - tau_p) / Y)         k = demand_annual_peaks
 *   D_i     = mean max(0, 1 + A_d daily + A_w weekly + A_a annual + sd_D X_i)
 *
 * Solar (capacity factor of a horizontal plant, per MW):
 *   g       = 2 pi (d - 0.5) / N                    d: days since Jan 1 00:00 UTC of m's year, N: its days
 *   delta   = 0.006918 - 0.399912 cos g + 0.070257 sin g - 0.006758 cos 2g + 0.000907 sin 2g
 *             - 0.002697 cos 3g + 0.001480 sin 3g                       rad (Spencer 1971)
 *   EoT     = 229.18 (0.000075 + 0.001868 cos g - 0.032077 sin g - 0.014615 cos 2g
 *             - 0.040849 sin 2g)                                        min (Spencer 1971)
 *   ST      = UTC hour of m + lon/15 + EoT/60                           h, apparent solar time
 *   omega   = pi (ST - 12) / 12                                         hour angle, rad
 *   cos z   = sin(lat) sin(delta) + cos(lat) cos(delta) cos(omega)
 *   GHI_cs  = 1098 cos z exp(-0.059 / cos z) if cos z > 0, else 0       W/m2 (Haurwitz 1945,
 *             as in Reno, Hansen and Stein 2012, SAND2012-2389, and pvlib)
 *   S_i     = min(1, GHI_cs / 1000) clamp(mu_c + sd_c C_i, 0, 1)
 * Spencer, J. W. (1971), "Fourier series representation of the position of
 * the sun", Search 2(5), 172. No refraction, no tilt or tracking.
 *
 * Wind (capacity factor): W_i = clamp(mu_w + sd_w V_i, 0, 1).
 *
 * X, C, V: independent unit AR(1) processes, Z_{i+1} = phi Z_i + sqrt(1 -
 * phi^2) e_i, phi = exp(-1 h / tau), started from their stationary law 2
 * days before Jan 1 00:00 UTC of the first hour's year; e_i standard normal
 * draws (GSL mt19937, ziggurat), three per hour in the order X, C, V. mu_c
 * and mu_w are solved (bisection on the closed form of the mean of a clamped
 * normal) so that the clamped processes have the requested means exactly;
 * with sd = 0 they are the means themselves.
 *
 * Hydro: per local day (hours grouped by the local date of their midpoint),
 * water E = hydro_cf x capacity x hours x (1 + hydro_seasonal A_a annual),
 * annual taken at the day's local noon (its mean over a year is 0, so the
 * year's water is hydro_cf x capacity x 8760 h); with the net load r_i =
 * D_i - wind_i - solar_i, the schedule is H_i = clamp(r_i - L, 0, capacity)
 * with the level L >= 0 that spends E (bisection); if even L = 0 cannot
 * spend it, H_i = clamp(r_i, 0, capacity) and the rest is spilled.
 *
 * Dispatch of hour i with demand D = max(0, D_i + extra): wind and solar
 * (both scaled by D / (wind + solar) if they exceed D: pro-rata curtailment),
 * then hydro up to H_i, then nuclear, gas, coal and oil in order of marginal
 * cost, each up to capacity x availability. The marginal unit is the first
 * in that order with headroom: curtailed wind and solar (their mix), hydro
 * below its schedule, or the first thermal unit not at its limit; if nothing
 * has headroom, the dearest unit with capacity.
 */
#include "synthgrid.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "series.h"
#include "timeutil.h"

#define PI 3.14159265358979323846
#define YEAR_D 365.2425
#define SEED_MIX 0x53594e5448475249ULL /* "SYNTHGRI": separates this module's stream from others */

const char *const synthgrid_source_names[] = {"nuclear", "hydro", "wind",       "solar",
                                              "gas_ccgt", "gas_peaker", "coal", "oil", NULL};

/* gCO2e/kWh; sources in synthgrid.h and docs/GRID.md. */
const double synthgrid_ef_lifecycle[SRC_COUNT] = {
    [SRC_NUCLEAR] = 12.0,    /* AR5 Table A.III.2, nuclear */
    [SRC_HYDRO] = 24.0,      /* hydropower */
    [SRC_WIND] = 11.0,       /* wind onshore */
    [SRC_SOLAR] = 48.0,      /* solar PV, utility */
    [SRC_GAS_CCGT] = 490.0,  /* gas, combined cycle */
    [SRC_GAS_PEAKER] = 714.0, /* ESTIMATE: 490 x 10999 / 7548 */
    [SRC_COAL] = 820.0,      /* coal, pulverised */
    [SRC_OIL] = 840.0,       /* SRREN Annex II Table A.II.4, oil */
};
const double synthgrid_ef_direct[SRC_COUNT] = {
    [SRC_NUCLEAR] = 0.0,
    [SRC_HYDRO] = 0.0,
    [SRC_WIND] = 0.0,
    [SRC_SOLAR] = 0.0,
    [SRC_GAS_CCGT] = 370.0,   /* AR5 Table A.III.2, direct, gas combined cycle */
    [SRC_GAS_PEAKER] = 539.0, /* ESTIMATE: 370 x 10999 / 7548 */
    [SRC_COAL] = 760.0,       /* AR5 Table A.III.2, direct, coal PC */
    [SRC_OIL] = 817.0,        /* EIA: 161.3 lb/MMBtu x 11166 Btu/kWh x 453.59 g/lb */
};

int synthgrid_source_from_name(const char *name)
{
    for (int i = 0; name && synthgrid_source_names[i]; i++)
        if (strcmp(name, synthgrid_source_names[i]) == 0)
            return i;
    return -1;
}

/* Water per kWh generated, L/kWh: W = (1 - eta)/eta x 0.8 x 3600/2450, eta the
 * net efficiency. ESTIMATES: nuclear eta 0.33 -> 2.39 (Macknick et al. 2012,
 * Environ. Res. Lett. 7 045802, give a median of 672 gal/MWh = 2.54 L/kWh for
 * tower-cooled nuclear: the heat balance is within 10 %); coal eta 0.35 ->
 * 2.18; gas combined cycle: only the steam third rejects heat to a tower,
 * about 0.7 kWh of heat per kWh -> 0.82; oil steam eta 0.33 -> 2.39; gas
 * peakers (open cycle, no condenser) 0; hydro 0 (reservoir evaporation not
 * modelled); wind 0; solar PV 0 (panel washing is negligible). */
const double synthgrid_water_l_per_kwh[SRC_COUNT] = {
    (1 - 0.33) / 0.33 * 0.8 * 3600.0 / 2450.0, /* nuclear */
    0.0,                                       /* hydro */
    0.0,                                       /* wind */
    0.0,                                       /* solar */
    0.7 * 0.8 * 3600.0 / 2450.0,               /* gas CCGT */
    0.0,                                       /* gas peaker */
    (1 - 0.35) / 0.35 * 0.8 * 3600.0 / 2450.0, /* coal */
    (1 - 0.33) / 0.33 * 0.8 * 3600.0 / 2450.0, /* oil */
};

int synthgrid_is_low_carbon(int src)
{
    return src == SRC_NUCLEAR || src == SRC_HYDRO || src == SRC_WIND || src == SRC_SOLAR;
}

double synthgrid_ef(const synthgrid_params *p, int src)
{
    if (src < 0 || src >= SRC_COUNT)
        return NAN;
    return p->use_direct_ef ? synthgrid_ef_direct[src] : synthgrid_ef_lifecycle[src];
}

/* ---- presets ------------------------------------------------------------- */

const char *const synthgrid_preset_names[] = {"pjm-2023", "sweden-2021", "poland-2023", NULL};

/* Sources and reasoning: docs/GRID.md ("Presets"). ESTIMATE marks a figure
 * chosen by reasoning or calibration rather than read from a source. */
static const synthgrid_params presets[] = {
    /* pjm-2023: PJM Interconnection (mixed US grid), site N. Virginia.
     * Demand mean: 2023 real-time hourly average load 86,193 MW (Monitoring
     * Analytics, 2023 State of the Market Report for PJM). Capacities:
     * ESTIMATE, calibrated so that a synthetic 2023 has the low-carbon share
     * (40.9 %) and renewable share (6.7 %) of Electricity Maps' 2023 hourly
     * PJM data. Costs: EIA fuel costs x heat rates + ESTIMATE O&M. */
    {.capacity_mw = {[SRC_NUCLEAR] = 32500,
                     [SRC_HYDRO] = 3000,
                     [SRC_WIND] = 11000,
                     [SRC_SOLAR] = 7500,
                     [SRC_GAS_CCGT] = 44000,
                     [SRC_GAS_PEAKER] = 30000,
                     [SRC_COAL] = 40000,
                     [SRC_OIL] = 6000},
     .availability = {[SRC_NUCLEAR] = 0.92, [SRC_HYDRO] = 1, [SRC_WIND] = 1, [SRC_SOLAR] = 1,
                      [SRC_GAS_CCGT] = 0.88, [SRC_GAS_PEAKER] = 0.90, [SRC_COAL] = 0.85, [SRC_OIL] = 0.90},
     .marginal_cost = {[SRC_NUCLEAR] = 10, [SRC_HYDRO] = 0, [SRC_WIND] = 0, [SRC_SOLAR] = 0,
                       [SRC_GAS_CCGT] = 24, [SRC_GAS_PEAKER] = 37, [SRC_COAL] = 26, [SRC_OIL] = 106},
     .use_direct_ef = 0,
     .demand_mean_mw = 86193,
     .demand_daily_amp = 0.15,
     .demand_peak_hour = 17.0,
     .demand_weekly_amp = 0.08,
     .demand_annual_amp = 0.10,
     .demand_peak_day = 200,
     .demand_annual_peaks = 2,
     .demand_noise_sd = 0.05,
     .demand_noise_tau_h = 36.0,
     .latitude_deg = 39.1,
     .longitude_deg = -77.5,
     .utc_offset_h = -5.0,
     .solar_cloud_mean = 0.75,
     .solar_cloud_sd = 0.35,
     .solar_cloud_tau_h = 8.0,
     .wind_cf_mean = 0.30,
     .wind_cf_sd = 0.25,
     .wind_tau_h = 24.0,
     .hydro_cf = 0.40,
     .hydro_seasonal = 0.0},
    /* sweden-2021: hydro and nuclear (Sweden). 2021 (Swedish statistics as
     * tabulated in "Electricity sector in Sweden"): use 139.9 TWh; hydro
     * 70.6, nuclear 51.0, wind 27.4, other 16.6 TWh (mostly biomass CHP, not
     * modelled). Demand: use less other = 123.3 TWh = 14,075 MW mean.
     * Capacities: ESTIMATE, sized to those energies at the model's capacity
     * factors; no exports, so the surplus shows as nuclear backing down. */
    {.capacity_mw = {[SRC_NUCLEAR] = 6900,
                     [SRC_HYDRO] = 16300,
                     [SRC_WIND] = 10400,
                     [SRC_SOLAR] = 1500,
                     [SRC_GAS_CCGT] = 0,
                     [SRC_GAS_PEAKER] = 1500,
                     [SRC_COAL] = 0,
                     [SRC_OIL] = 700},
     .availability = {[SRC_NUCLEAR] = 0.85, [SRC_HYDRO] = 1, [SRC_WIND] = 1, [SRC_SOLAR] = 1,
                      [SRC_GAS_CCGT] = 0.88, [SRC_GAS_PEAKER] = 0.90, [SRC_COAL] = 0.85, [SRC_OIL] = 0.90},
     .marginal_cost = {[SRC_NUCLEAR] = 10, [SRC_HYDRO] = 0, [SRC_WIND] = 0, [SRC_SOLAR] = 0,
                       [SRC_GAS_CCGT] = 60, [SRC_GAS_PEAKER] = 90, [SRC_COAL] = 50, [SRC_OIL] = 150},
     .use_direct_ef = 0,
     .demand_mean_mw = 14075,
     .demand_daily_amp = 0.08,
     .demand_peak_hour = 12.0,
     .demand_weekly_amp = 0.06,
     .demand_annual_amp = 0.22,
     .demand_peak_day = 20,
     .demand_annual_peaks = 1,
     .demand_noise_sd = 0.04,
     .demand_noise_tau_h = 48.0,
     .latitude_deg = 59.3,
     .longitude_deg = 18.1,
     .utc_offset_h = 1.0,
     .solar_cloud_mean = 0.65,
     .solar_cloud_sd = 0.35,
     .solar_cloud_tau_h = 8.0,
     .wind_cf_mean = 0.30,
     .wind_cf_sd = 0.25,
     .wind_tau_h = 24.0,
     .hydro_cf = 0.494,
     .hydro_seasonal = 1.0},
    /* poland-2023: coal-heavy (Poland). Demand: 2023 generation 163.6 TWh
     * (PSE) less 2.1 TWh biomass (not modelled) = 161.5 TWh = 18,436 MW mean.
     * Capacities: PSE 2023, 66.3 GW: hard coal 37 % + lignite 12.2 % = 32.6
     * GW coal, gas < 7 %, hydro 3.6 % = 2.4 GW; wind and solar sized to their
     * 2023 energy (22.1, 13.2 TWh); gas split and oil: ESTIMATE. */
    {.capacity_mw = {[SRC_NUCLEAR] = 0,
                     [SRC_HYDRO] = 2400,
                     [SRC_WIND] = 9400,
                     [SRC_SOLAR] = 12400,
                     [SRC_GAS_CCGT] = 1800,
                     [SRC_GAS_PEAKER] = 2700,
                     [SRC_COAL] = 32600,
                     [SRC_OIL] = 500},
     .availability = {[SRC_NUCLEAR] = 0.92, [SRC_HYDRO] = 1, [SRC_WIND] = 1, [SRC_SOLAR] = 1,
                      [SRC_GAS_CCGT] = 0.88, [SRC_GAS_PEAKER] = 0.90, [SRC_COAL] = 0.85, [SRC_OIL] = 0.90},
     .marginal_cost = {[SRC_NUCLEAR] = 10, [SRC_HYDRO] = 0, [SRC_WIND] = 0, [SRC_SOLAR] = 0,
                       [SRC_GAS_CCGT] = 20, [SRC_GAS_PEAKER] = 150, [SRC_COAL] = 90, [SRC_OIL] = 250},
     .use_direct_ef = 0,
     .demand_mean_mw = 18436,
     .demand_daily_amp = 0.13,
     .demand_peak_hour = 17.0,
     .demand_weekly_amp = 0.12,
     .demand_annual_amp = 0.10,
     .demand_peak_day = 20,
     .demand_annual_peaks = 1,
     .demand_noise_sd = 0.04,
     .demand_noise_tau_h = 36.0,
     .latitude_deg = 52.2,
     .longitude_deg = 19.4,
     .utc_offset_h = 1.0,
     .solar_cloud_mean = 0.65,
     .solar_cloud_sd = 0.35,
     .solar_cloud_tau_h = 8.0,
     .wind_cf_mean = 0.27,
     .wind_cf_sd = 0.25,
     .wind_tau_h = 24.0,
     .hydro_cf = 0.086,
     .hydro_seasonal = 0.0},
};

int synthgrid_preset(const char *name, synthgrid_params *p)
{
    for (int i = 0; name && synthgrid_preset_names[i]; i++)
        if (strcmp(name, synthgrid_preset_names[i]) == 0) {
            *p = presets[i];
            return 0;
        }
    return -1;
}

/* ---- checks -------------------------------------------------------------- */

#define CAP_MAX_MW 1e7 /* 10 TW: above any region on Earth */

/* Writes the range message for one field. */
static int out_of_range(char *err, size_t errlen, const char *name, double v, double lo, double hi,
                        const char *unit)
{
    snprintf(err, errlen, "synthetic grid: %s %g outside [%g, %g]%s%s", name, v, lo, hi, *unit ? " " : "", unit);
    return -1;
}

int synthgrid_check(const synthgrid_params *p, char *err, size_t errlen)
{
    static const struct {
        const char *name;
        double lo, hi;
        const char *unit;
    } arr[3] = {{"capacity_mw", 0, CAP_MAX_MW, "MW"},
                {"availability", 0, 1, "(fraction)"},
                {"marginal_cost", 0, 10000, "USD/MWh"}};
    const double *arrv[3] = {p->capacity_mw, p->availability, p->marginal_cost};
    char name[64];
    for (int a = 0; a < 3; a++)
        for (int s = 0; s < SRC_COUNT; s++) {
            double v = arrv[a][s];
            if (!(v >= arr[a].lo && v <= arr[a].hi)) {
                snprintf(name, sizeof name, "%s.%s", arr[a].name, synthgrid_source_names[s]);
                return out_of_range(err, errlen, name, v, arr[a].lo, arr[a].hi, arr[a].unit);
            }
        }
    const struct {
        const char *name;
        double v, lo, hi;
        const char *unit;
    } f[] = {
        {"use_direct_ef", p->use_direct_ef, 0, 1, "(0: life cycle, 1: direct)"},
        {"demand_mean_mw", p->demand_mean_mw, 1, CAP_MAX_MW, "MW"},
        {"demand_daily_amp", p->demand_daily_amp, 0, 0.9, "(fraction of the mean)"},
        {"demand_peak_hour", p->demand_peak_hour, 0, 24, "h"},
        {"demand_weekly_amp", p->demand_weekly_amp, 0, 0.9, "(fraction of the mean)"},
        {"demand_annual_amp", p->demand_annual_amp, 0, 0.9, "(fraction of the mean)"},
        {"demand_peak_day", p->demand_peak_day, 1, 366, "(day of year)"},
        {"demand_annual_peaks", p->demand_annual_peaks, 1, 2, "(peaks a year)"},
        {"demand_noise_sd", p->demand_noise_sd, 0, 0.5, "(fraction of the mean)"},
        {"demand_noise_tau_h", p->demand_noise_tau_h, 0.1, 10000, "h"},
        {"latitude_deg", p->latitude_deg, -90, 90, "degrees"},
        {"longitude_deg", p->longitude_deg, -180, 180, "degrees"},
        {"utc_offset_h", p->utc_offset_h, -14, 14, "h"},
        {"solar_cloud_mean", p->solar_cloud_mean, 0, 1, "(clear-sky index)"},
        {"solar_cloud_sd", p->solar_cloud_sd, 0, 1, "(clear-sky index)"},
        {"solar_cloud_tau_h", p->solar_cloud_tau_h, 0.1, 10000, "h"},
        {"wind_cf_mean", p->wind_cf_mean, 0, 1, "(capacity factor)"},
        {"wind_cf_sd", p->wind_cf_sd, 0, 1, "(capacity factor)"},
        {"wind_tau_h", p->wind_tau_h, 0.1, 10000, "h"},
        {"hydro_cf", p->hydro_cf, 0, 1, "(capacity factor)"},
        {"hydro_seasonal", p->hydro_seasonal, 0, 1, "(fraction of the annual cycle)"},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (!(f[i].v >= f[i].lo && f[i].v <= f[i].hi))
            return out_of_range(err, errlen, f[i].name, f[i].v, f[i].lo, f[i].hi, f[i].unit);
    double dip = p->demand_daily_amp + p->demand_annual_amp + p->demand_weekly_amp * 5.0 / 7.0;
    if (dip >= 1.0) {
        snprintf(err, errlen,
                 "synthetic grid: demand_daily_amp + demand_annual_amp + 5/7 demand_weekly_amp = %g; it must be "
                 "below 1, or demand falls to zero",
                 dip);
        return -1;
    }
    if (p->solar_cloud_sd > 0 && !(p->solar_cloud_mean > 0 && p->solar_cloud_mean < 1)) {
        snprintf(err, errlen,
                 "synthetic grid: solar_cloud_mean %g must be strictly between 0 and 1 when solar_cloud_sd > 0 "
                 "(a varying index cannot average 0 or 1)",
                 p->solar_cloud_mean);
        return -1;
    }
    if (p->wind_cf_sd > 0 && !(p->wind_cf_mean > 0 && p->wind_cf_mean < 1)) {
        snprintf(err, errlen,
                 "synthetic grid: wind_cf_mean %g must be strictly between 0 and 1 when wind_cf_sd > 0 "
                 "(a varying capacity factor cannot average 0 or 1)",
                 p->wind_cf_mean);
        return -1;
    }
    double total = 0;
    for (int s = 0; s < SRC_COUNT; s++)
        total += p->capacity_mw[s];
    if (total <= 0) {
        snprintf(err, errlen, "synthetic grid: every capacity_mw is 0: the region has no generator");
        return -1;
    }
    return 0;
}

/* ---- time and solar geometry --------------------------------------------- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if (a % b != 0 && (a < 0) != (b < 0))
        q--;
    return q;
}

/* Epoch second of Jan 1 00:00 UTC of the year holding t, and of the next. */
static void year_bounds(int64_t t, int64_t *ys, int64_t *ye)
{
    int64_t days = floor_div(t, 86400);
    int64_t y = 1970 + (int64_t)floor((double)days / YEAR_D);
    while (timeutil_days_from_civil(y, 1, 1) > days)
        y--;
    while (timeutil_days_from_civil(y + 1, 1, 1) <= days)
        y++;
    *ys = timeutil_days_from_civil(y, 1, 1) * 86400;
    *ye = timeutil_days_from_civil(y + 1, 1, 1) * 86400;
}

/* Clear-sky capacity factor at t, given the year bounds of t. */
static double clear_cf(double sin_lat, double cos_lat, double lon_deg, int64_t t, int64_t ys, int64_t ye)
{
    double nd = (double)(ye - ys) / 86400.0;
    double g = 2.0 * PI * ((double)(t - ys) / 86400.0 - 0.5) / nd;
    double c1 = cos(g), s1 = sin(g), c2 = cos(2 * g), s2 = sin(2 * g), c3 = cos(3 * g), s3 = sin(3 * g);
    double decl = 0.006918 - 0.399912 * c1 + 0.070257 * s1 - 0.006758 * c2 + 0.000907 * s2 - 0.002697 * c3 +
                  0.001480 * s3;
    double eot_min = 229.18 * (0.000075 + 0.001868 * c1 - 0.032077 * s1 - 0.014615 * c2 - 0.040849 * s2);
    double utc_h = (double)(t - floor_div(t, 86400) * 86400) / 3600.0;
    double st = utc_h + lon_deg / 15.0 + eot_min / 60.0;
    double omega = PI * (st - 12.0) / 12.0;
    double cosz = sin_lat * sin(decl) + cos_lat * cos(decl) * cos(omega);
    if (cosz <= 0)
        return 0.0;
    double ghi = 1098.0 * cosz * exp(-0.059 / cosz);
    return ghi >= 1000.0 ? 1.0 : ghi / 1000.0;
}

double synthgrid_clear_sky_cf(double lat_deg, double lon_deg, int64_t t)
{
    int64_t ys, ye;
    year_bounds(t, &ys, &ye);
    double lat = lat_deg * PI / 180.0;
    return clear_cf(sin(lat), cos(lat), lon_deg, t, ys, ye);
}

/* ---- the seeded series --------------------------------------------------- */

static double clamp(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

/* Mean of clamp(m + s Z, 0, 1), Z standard normal, s > 0. */
static double clamped_mean(double m, double s)
{
    const double r2 = 1.4142135623730951, rtwopi = 2.5066282746310002;
    double a = -m / s, b = (1.0 - m) / s;
    double pa = 0.5 * erfc(-a / r2), pb = 0.5 * erfc(-b / r2), qb = 0.5 * erfc(b / r2);
    double da = exp(-0.5 * a * a) / rtwopi, db = exp(-0.5 * b * b) / rtwopi;
    return m * (pb - pa) + s * (da - db) + qb;
}

/* The location m for which clamp(m + s Z, 0, 1) has mean mu (0 < mu < 1 when
 * s > 0; with s == 0, mu itself). Bisection: the mean increases with m. */
static double solve_location(double mu, double s)
{
    if (s <= 0)
        return mu;
    double lo = -1.0, hi = 2.0;
    while (clamped_mean(lo, s) > mu)
        lo = 2.0 * lo - 1.0;
    while (clamped_mean(hi, s) < mu)
        hi = 2.0 * hi + 1.0;
    for (int i = 0; i < 200 && hi - lo > 1e-15 * (1.0 + fabs(lo)); i++) {
        double mid = 0.5 * (lo + hi);
        if (clamped_mean(mid, s) < mu)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

/* SplitMix64's finaliser (Steele, Lea and Flood 2014): spreads the seed. */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Local day (date index) of the hour starting at t. */
static int64_t local_day(int64_t t, int64_t off_s) { return floor_div(t + 1800 + off_s, 86400); }

/* Fills, for the hours [a, b) (whole hours; a >= the anchor of h0), those of
 * demand (MW), solar and wind (capacity factors) that are not NULL. The
 * noises start at anchor(h0) = Jan 1 00:00 UTC of h0's year - 2 days, and
 * three normal draws are taken every hour whichever arrays are asked for, so
 * the values of an hour depend only on p, the seed and the year of h0.
 * Returns 0, or -1 if out of memory. */
static int fill_series(const synthgrid_params *p, uint64_t seed, int64_t h0, int64_t a, int64_t b, double *dem,
                       double *sol, double *wnd)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng)
        return -1;
    uint64_t s64 = mix64(seed ^ SEED_MIX);
    unsigned long s32 = (unsigned long)((s64 ^ (s64 >> 32)) & 0xffffffffUL);
    gsl_rng_set(rng, s32 ? s32 : 1UL); /* 0 would select GSL's default seed */

    const int64_t off_s = (int64_t)llround(p->utc_offset_h * 3600.0);
    const double tau_p = (double)timeutil_days_from_civil(2000, 1, 1) + p->demand_peak_day - 0.5;
    const double lat = p->latitude_deg * PI / 180.0, sin_lat = sin(lat), cos_lat = cos(lat);
    const double mu_c = solve_location(p->solar_cloud_mean, p->solar_cloud_sd);
    const double mu_w = solve_location(p->wind_cf_mean, p->wind_cf_sd);
    const double phi_d = exp(-1.0 / p->demand_noise_tau_h), in_d = sqrt(1.0 - phi_d * phi_d);
    const double phi_c = exp(-1.0 / p->solar_cloud_tau_h), in_c = sqrt(1.0 - phi_c * phi_c);
    const double phi_w = exp(-1.0 / p->wind_tau_h), in_w = sqrt(1.0 - phi_w * phi_w);

    int64_t ys, ye;
    year_bounds(h0, &ys, &ye);
    int64_t anchor = ys - 2 * 86400;
    double x = gsl_ran_gaussian_ziggurat(rng, 1.0);
    double c = gsl_ran_gaussian_ziggurat(rng, 1.0);
    double v = gsl_ran_gaussian_ziggurat(rng, 1.0);
    year_bounds(a + 1800, &ys, &ye);
    for (int64_t t = anchor; t < b; t += 3600) {
        if (t >= a) {
            size_t i = (size_t)((t - a) / 3600);
            int64_t m = t + 1800;
            if (dem) {
                double tau = (double)(m + off_s) / 86400.0;
                double day = floor(tau), lam = 24.0 * (tau - day);
                int64_t dow = ((int64_t)day + 3) % 7;
                if (dow < 0)
                    dow += 7;
                double daily = cos(2.0 * PI * (lam - p->demand_peak_hour) / 24.0);
                double weekly = dow >= 5 ? -5.0 / 7.0 : 2.0 / 7.0;
                double annual = cos(2.0 * PI * p->demand_annual_peaks * (tau - tau_p) / YEAR_D);
                double fac = 1.0 + p->demand_daily_amp * daily + p->demand_weekly_amp * weekly +
                             p->demand_annual_amp * annual + p->demand_noise_sd * x;
                dem[i] = p->demand_mean_mw * (fac > 0 ? fac : 0.0);
            }
            if (sol) {
                if (m >= ye)
                    year_bounds(m, &ys, &ye);
                double k = clamp(mu_c + p->solar_cloud_sd * c, 0.0, 1.0);
                sol[i] = k * clear_cf(sin_lat, cos_lat, p->longitude_deg, m, ys, ye);
            }
            if (wnd)
                wnd[i] = clamp(mu_w + p->wind_cf_sd * v, 0.0, 1.0);
        }
        x = phi_d * x + in_d * gsl_ran_gaussian_ziggurat(rng, 1.0);
        c = phi_c * c + in_c * gsl_ran_gaussian_ziggurat(rng, 1.0);
        v = phi_w * v + in_w * gsl_ran_gaussian_ziggurat(rng, 1.0);
    }
    gsl_rng_free(rng);
    return 0;
}

/* Whole hours [h0, h1) of [from, to), checked. Returns 0, or -1 with err. */
static int period(int64_t from, int64_t to, int64_t *h0, int64_t *h1, char *err, size_t errlen)
{
    if (from >= to) {
        char x[32], y[32];
        timeutil_format_iso(from, x, sizeof x);
        timeutil_format_iso(to, y, sizeof y);
        snprintf(err, errlen, "synthetic grid: empty period %s to %s", x, y);
        return -1;
    }
    *h0 = floor_div(from, 3600) * 3600;
    *h1 = -floor_div(-to, 3600) * 3600;
    if ((*h1 - *h0) / 3600 > SERIES_MAX_HOURS) {
        snprintf(err, errlen, "synthetic grid: the period is longer than %d hours", SERIES_MAX_HOURS);
        return -1;
    }
    return 0;
}

/* ---- the grid ------------------------------------------------------------ */

struct synthgrid {
    synthgrid_params p;
    double ef[SRC_COUNT];   /* emission factors in use, gCO2e/kWh */
    int order[SRC_COUNT];   /* nuclear, gas, coal, oil by marginal cost (ties: enum order) */
    int norder;             /* entries of order */
    int64_t t0;             /* epoch s of hour 0 */
    size_t n;               /* hours */
    size_t off;             /* array index of hour 0 (the arrays start on hour 0's local day) */
    double *demand;         /* [off + n + ...] MW */
    double *solar;          /* capacity factor */
    double *wind;           /* capacity factor */
    double *hydro;          /* schedule, MW */
};

void synthgrid_free(synthgrid *g)
{
    if (!g)
        return;
    free(g->demand);
    free(g->solar);
    free(g->wind);
    free(g->hydro);
    free(g);
}

size_t synthgrid_hours(const synthgrid *g) { return g->n; }

int64_t synthgrid_t0(const synthgrid *g) { return g->t0; }

size_t synthgrid_index(const synthgrid *g, int64_t t)
{
    if (t < g->t0)
        return 0;
    int64_t k = (t - g->t0) / 3600;
    return k >= (int64_t)g->n ? g->n - 1 : (size_t)k;
}

/* Spent water of level L over hours [i0, i1): sum clamp(r - L, 0, cap). */
static double spent(const double *r, size_t i0, size_t i1, double level, double cap)
{
    double s = 0;
    for (size_t i = i0; i < i1; i++)
        s += clamp(r[i] - level, 0.0, cap);
    return s;
}

/* The hydro schedule of one local day [i0, i1), into h[] (may be r). r: net
 * load, MW; water: the day's water, MWh. */
static void hydro_day(const double *r, size_t i0, size_t i1, double cap, double water, double *h)
{
    double level = 0.0;
    if (cap <= 0 || water <= 0) {
        for (size_t i = i0; i < i1; i++)
            h[i] = 0.0;
        return;
    }
    if (spent(r, i0, i1, 0.0, cap) > water) {
        double lo = 0.0, hi = 0.0;
        for (size_t i = i0; i < i1; i++)
            if (r[i] > hi)
                hi = r[i];
        for (int it = 0; it < 100 && hi - lo > 1e-9 * (1.0 + hi); it++) {
            double mid = 0.5 * (lo + hi);
            if (spent(r, i0, i1, mid, cap) > water)
                lo = mid;
            else
                hi = mid;
        }
        level = hi; /* spends at most the water */
    }
    for (size_t i = i0; i < i1; i++)
        h[i] = clamp(r[i] - level, 0.0, cap);
}

synthgrid *synthgrid_alloc(const synthgrid_params *p, uint64_t seed, int64_t from, int64_t to, char *err,
                           size_t errlen)
{
    int64_t h0, h1;
    if (synthgrid_check(p, err, errlen) || period(from, to, &h0, &h1, err, errlen))
        return NULL;
    const int64_t off_s = (int64_t)llround(p->utc_offset_h * 3600.0);
    int64_t a = h0, b = h1; /* widened to whole local days, for the hydro schedule */
    while (local_day(a - 3600, off_s) == local_day(h0, off_s))
        a -= 3600;
    while (local_day(b, off_s) == local_day(h1 - 3600, off_s))
        b += 3600;
    size_t nn = (size_t)((b - a) / 3600);

    synthgrid *g = calloc(1, sizeof *g);
    if (!g)
        goto oom;
    g->p = *p;
    g->t0 = h0;
    g->n = (size_t)((h1 - h0) / 3600);
    g->off = (size_t)((h0 - a) / 3600);
    g->demand = malloc(nn * sizeof *g->demand);
    g->solar = malloc(nn * sizeof *g->solar);
    g->wind = malloc(nn * sizeof *g->wind);
    g->hydro = malloc(nn * sizeof *g->hydro);
    if (!g->demand || !g->solar || !g->wind || !g->hydro)
        goto oom;
    if (fill_series(p, seed, h0, a, b, g->demand, g->solar, g->wind))
        goto oom;

    for (int s = 0; s < SRC_COUNT; s++)
        g->ef[s] = synthgrid_ef(p, s);
    static const int thermal[] = {SRC_NUCLEAR, SRC_GAS_CCGT, SRC_GAS_PEAKER, SRC_COAL, SRC_OIL};
    for (size_t k = 0; k < sizeof thermal / sizeof thermal[0]; k++) {
        int u = thermal[k], j = g->norder++;
        while (j > 0 && p->marginal_cost[g->order[j - 1]] > p->marginal_cost[u]) {
            g->order[j] = g->order[j - 1];
            j--;
        }
        g->order[j] = u;
    }

    /* net load into hydro[] first, then each day's schedule over it */
    const double tau_p = (double)timeutil_days_from_civil(2000, 1, 1) + p->demand_peak_day - 0.5;
    for (size_t i = 0; i < nn; i++)
        g->hydro[i] = g->demand[i] - g->wind[i] * p->capacity_mw[SRC_WIND] - g->solar[i] * p->capacity_mw[SRC_SOLAR];
    for (size_t i0 = 0; i0 < nn;) {
        size_t i1 = i0 + 1;
        int64_t day = local_day(a + 3600 * (int64_t)i0, off_s);
        while (i1 < nn && local_day(a + 3600 * (int64_t)i1, off_s) == day)
            i1++;
        double annual = cos(2.0 * PI * p->demand_annual_peaks * ((double)day + 0.5 - tau_p) / YEAR_D);
        double water = p->hydro_cf * p->capacity_mw[SRC_HYDRO] * (double)(i1 - i0) *
                       (1.0 + p->hydro_seasonal * p->demand_annual_amp * annual);
        hydro_day(g->hydro, i0, i1, p->capacity_mw[SRC_HYDRO], water, g->hydro);
        i0 = i1;
    }
    return g;
oom:
    snprintf(err, errlen, "synthetic grid: out of memory for %zu hours", nn);
    synthgrid_free(g);
    return NULL;
}

void synthgrid_dispatch(const synthgrid *g, size_t h, double extra_mw, synthgrid_hour *out)
{
    const synthgrid_params *p = &g->p;
    const double *cap = p->capacity_mw, *mc = p->marginal_cost;
    size_t i = g->off + h;
    memset(out, 0, sizeof *out);
    double d = g->demand[i] + extra_mw;
    if (!(d > 0))
        d = 0.0;
    out->demand_mw = d;

    double w = g->wind[i] * cap[SRC_WIND], s = g->solar[i] * cap[SRC_SOLAR], rem = d;
    int marg = -1;
    double marg_ef = 0, marg_price = 0;
    if (w + s > d) { /* pro-rata curtailment; the next MW comes from both, in that ratio */
        double k = d / (w + s);
        out->gen_mw[SRC_WIND] = w * k;
        out->gen_mw[SRC_SOLAR] = s * k;
        out->curtailed_mw = (w + s) - d;
        rem = 0.0;
        marg = w >= s ? SRC_WIND : SRC_SOLAR;
        marg_ef = (w * g->ef[SRC_WIND] + s * g->ef[SRC_SOLAR]) / (w + s);
        marg_price = (w * mc[SRC_WIND] + s * mc[SRC_SOLAR]) / (w + s);
    } else {
        out->gen_mw[SRC_WIND] = w;
        out->gen_mw[SRC_SOLAR] = s;
        rem = d - w - s;
    }
    double hs = g->hydro[i], gh = hs < rem ? hs : rem;
    out->gen_mw[SRC_HYDRO] = gh;
    rem -= gh;
    if (marg < 0 && gh < hs)
        marg = SRC_HYDRO;
    for (int k = 0; k < g->norder; k++) {
        int u = g->order[k];
        double av = cap[u] * p->availability[u], gu = av < rem ? av : rem;
        out->gen_mw[u] = gu;
        rem -= gu;
        if (marg < 0 && gu < av)
            marg = u;
    }
    if (rem > 0) {
        out->unserved_mw = rem;
        out->unserved = 1;
    }
    if (marg < 0) { /* nothing has headroom: the dearest unit with capacity */
        for (int k = g->norder - 1; k >= 0 && marg < 0; k--)
            if (cap[g->order[k]] * p->availability[g->order[k]] > 0)
                marg = g->order[k];
        if (marg < 0)
            marg = cap[SRC_HYDRO] > 0 ? SRC_HYDRO : cap[SRC_WIND] >= cap[SRC_SOLAR] ? SRC_WIND : SRC_SOLAR;
    }
    if (!(out->curtailed_mw > 0)) {
        marg_ef = g->ef[marg];
        marg_price = mc[marg];
    }
    out->marginal_src = marg;
    out->marginal_g_per_kwh = marg_ef;
    out->price_usd_per_mwh = marg_price;

    double gen = 0, low = 0, kg = 0, water = 0;
    for (int u = 0; u < SRC_COUNT; u++) {
        gen += out->gen_mw[u];
        kg += out->gen_mw[u] * g->ef[u]; /* MW x 1 h x g/kWh = kg */
        water += out->gen_mw[u] * synthgrid_water_l_per_kwh[u];
        if (synthgrid_is_low_carbon(u))
            low += out->gen_mw[u];
    }
    out->emissions_kg = kg;
    out->avg_g_per_kwh = gen > 0 ? kg / gen : 0.0;
    out->water_l_per_kwh = gen > 0 ? water / gen : 0.0;
    out->low_carbon_frac = gen > 0 ? low / gen : 0.0;
}

double synthgrid_added_g_per_kwh(const synthgrid *g, size_t h, double extra_mw)
{
    synthgrid_hour base, with;
    synthgrid_dispatch(g, h, 0.0, &base);
    if (extra_mw == 0)
        return base.marginal_g_per_kwh;
    synthgrid_dispatch(g, h, extra_mw, &with);
    return (with.emissions_kg - base.emissions_kg) / extra_mw; /* kg/MWh = g/kWh */
}

void synthgrid_summarize(const synthgrid *g, double extra_mw, synthgrid_summary *out)
{
    memset(out, 0, sizeof *out);
    double gen = 0, low = 0, kg = 0, marg = 0;
    for (size_t h = 0; h < g->n; h++) {
        synthgrid_hour o;
        synthgrid_dispatch(g, h, extra_mw, &o);
        for (int u = 0; u < SRC_COUNT; u++) {
            out->energy_mwh[u] += o.gen_mw[u];
            gen += o.gen_mw[u];
            if (synthgrid_is_low_carbon(u))
                low += o.gen_mw[u];
        }
        kg += o.emissions_kg;
        marg += o.marginal_g_per_kwh;
        out->demand_mwh += o.demand_mw;
        out->curtailed_mwh += o.curtailed_mw;
        out->unserved_mwh += o.unserved_mw;
        out->hours_marginal[o.marginal_src]++;
        out->hours_unserved += (size_t)o.unserved;
    }
    out->emissions_t = kg / 1000.0;
    out->mean_g_per_kwh = gen > 0 ? kg / gen : 0.0;
    out->mean_marginal_g_per_kwh = g->n ? marg / (double)g->n : 0.0;
    out->low_carbon_frac = gen > 0 ? low / gen : 0.0;
}

int synthgrid_profile(int src, const synthgrid_params *p, uint64_t seed, int64_t from, int64_t to, double **cf,
                      size_t *n, char *err, size_t errlen)
{
    int64_t h0, h1;
    *cf = NULL;
    *n = 0;
    if (src != SRC_SOLAR && src != SRC_WIND) {
        snprintf(err, errlen, "synthetic grid: a profile is for solar or wind, not %s",
                 src >= 0 && src < SRC_COUNT ? synthgrid_source_names[src] : "an unknown source");
        return -1;
    }
    if (synthgrid_check(p, err, errlen) || period(from, to, &h0, &h1, err, errlen))
        return -1;
    size_t nn = (size_t)((h1 - h0) / 3600);
    double *v = malloc(nn * sizeof *v);
    if (!v || fill_series(p, seed, h0, h0, h1, NULL, src == SRC_SOLAR ? v : NULL, src == SRC_WIND ? v : NULL)) {
        free(v);
        snprintf(err, errlen, "synthetic grid: out of memory for %zu hours", nn);
        return -1;
    }
    *cf = v;
    *n = nn;
    return 0;
}
