/* synthgrid.h - a synthetic regional grid for studies without a trace: hourly
 * demand, wind and solar from seeded processes, and a merit-order dispatch of
 * eight kinds of generator each hour, giving the average and the marginal
 * carbon intensity, the low-carbon share and the price.
 *
 * The model in one paragraph (equations in synthgrid.c, sources and presets
 * in docs/GRID.md): demand has a daily, weekly and annual shape and an AR(1)
 * noise; solar is a clear-sky capacity factor from the sun's elevation
 * (Spencer 1971 declination and equation of time, Haurwitz 1945 clear-sky
 * irradiance) times a seeded AR(1) clear-sky index; wind is a seeded AR(1)
 * capacity factor. Each hour wind and solar go first (zero marginal cost;
 * curtailed pro rata when they alone exceed demand), then hydro at a daily
 * schedule that shaves the peaks of demand net of wind and solar with the
 * day's water (energy-limited), then nuclear, gas, coal and oil in order of
 * marginal cost up to their available capacity. The marginal unit is the one
 * that would serve the next MW; its emission factor is the marginal
 * intensity. Everything is deterministic from the parameters and the seed.
 */
#ifndef DCSIM_SYNTHGRID_H
#define DCSIM_SYNTHGRID_H

#include <stddef.h>
#include <stdint.h>

/* Kinds of generator. The order is fixed (it indexes every array below);
 * the dispatch order comes from marginal_cost, not from this enum. */
enum {
    SRC_NUCLEAR,
    SRC_HYDRO,
    SRC_WIND,
    SRC_SOLAR,
    SRC_GAS_CCGT,
    SRC_GAS_PEAKER,
    SRC_COAL,
    SRC_OIL,
    SRC_COUNT
};

/* "nuclear", "hydro", "wind", "solar", "gas_ccgt", "gas_peaker", "coal",
 * "oil", NULL: indexed by the enum. */
extern const char *const synthgrid_source_names[];

/* The source's index for its name, or -1. */
int synthgrid_source_from_name(const char *name);

/* Emission factors, gCO2e per kWh generated (sources in synthgrid.c and
 * docs/GRID.md).
 * Life cycle (the default): IPCC AR5 WGIII Annex III (Schloemer et al. 2014),
 * Table A.III.2, median "lifecycle emissions": nuclear 12, hydropower 24,
 * wind onshore 11, solar PV utility 48, gas combined cycle 490, coal PC 820;
 * gas peaker 714 (ESTIMATE: 490 x 10,999/7,548, the ratio of the US fleet's
 * gas-turbine to combined-cycle heat rates, EIA Electric Power Annual Table
 * 8.2); oil 840 (IPCC SRREN 2011 Annex II, Table A.II.4, median).
 * Direct (combustion only): Table A.III.2 median "direct emissions": gas
 * combined cycle 370, coal PC 760, 0 for nuclear, hydro, wind, solar; gas
 * peaker 539 (ESTIMATE: 370 x 10,999/7,548); oil 817 (EIA: distillate 161.3
 * lb CO2/MMBtu, Electric Power Annual Table A.3, x 11,166 Btu/kWh, petroleum
 * operating heat rate 2022, Table 8.1). */
extern const double synthgrid_ef_lifecycle[SRC_COUNT];
extern const double synthgrid_ef_direct[SRC_COUNT];

/* 1 for nuclear, hydro, wind and solar; 0 for the fossil sources and for an
 * index out of range. */
int synthgrid_is_low_carbon(int src);

/* Water consumed to generate a kWh by each source, L/kWh (ESTIMATES from the
 * heat balance, see synthgrid.c): a thermal plant of efficiency eta rejects
 * (1 - eta)/eta kWh of heat per kWh, 80 % of it by evaporation in a cooling
 * tower at 2450 kJ/kg. Hydro reservoirs' evaporation is left out (0: it
 * depends on the reservoir, not on a heat balance); wind and solar PV 0. */
extern const double synthgrid_water_l_per_kwh[SRC_COUNT];

/* Parameters of a synthetic region. Amplitudes are fractions of the mean
 * demand; "AR(1)" processes are Ornstein-Uhlenbeck processes sampled hourly
 * with the given stationary standard deviation and correlation time. */
typedef struct synthgrid_params {
    double capacity_mw[SRC_COUNT];   /* installed capacity, MW */
    double availability[SRC_COUNT];  /* nuclear, gas, coal, oil: share of capacity available
                                        each hour (outages, derates), 0..1; ignored for hydro,
                                        wind and solar */
    double marginal_cost[SRC_COUNT]; /* short-run marginal cost, USD/MWh: sets the merit order of
                                        nuclear, gas, coal and oil (ties: enum order) and the
                                        price when the source is marginal */
    int use_direct_ef;               /* 0: life-cycle factors (default), 1: direct combustion */
    double demand_mean_mw;           /* mean demand before noise, MW */
    double demand_daily_amp;         /* daily cosine amplitude, fraction of the mean */
    double demand_peak_hour;         /* local hour of the daily maximum, h, [0, 24) */
    double demand_weekly_amp;        /* weekend dip below weekdays, fraction of the mean (the weekly
                                        mean is unchanged: weekdays +2/7, Sat and Sun -5/7 of it) */
    double demand_annual_amp;        /* annual cosine amplitude, fraction of the mean */
    int demand_peak_day;             /* day of year of the annual maximum, 1..366 */
    int demand_annual_peaks;         /* 1: one maximum a year (winter- or summer-peaking);
                                        2: two, on demand_peak_day and half a year away */
    double demand_noise_sd;          /* AR(1) noise on the demand factor, fraction of the mean */
    double demand_noise_tau_h;       /* its correlation time, h */
    double latitude_deg;             /* site latitude, degrees north (solar geometry) */
    double longitude_deg;            /* site longitude, degrees east (solar time) */
    double utc_offset_h;             /* local clock of the demand shape and of the hydro day:
                                        UTC + this, h */
    double solar_cloud_mean;         /* mean clear-sky index (the stationary mean after clamping
                                        to [0, 1]), 0..1 */
    double solar_cloud_sd;           /* sd of the AR(1) index before clamping */
    double solar_cloud_tau_h;        /* its correlation time, h */
    double wind_cf_mean;             /* mean wind capacity factor (after clamping to [0, 1]) */
    double wind_cf_sd;               /* sd of the AR(1) capacity factor before clamping */
    double wind_tau_h;               /* its correlation time, h */
    double hydro_cf;                 /* energy-limited hydro: mean water per local day = hydro_cf
                                        x capacity x 24 h, 0..1 */
    double hydro_seasonal;           /* 0..1: how far the day's water follows the annual demand
                                        cycle (reservoirs kept for the peak season): water x
                                        (1 + hydro_seasonal x demand_annual_amp x annual) */
} synthgrid_params;

/* "pjm-2023", "sweden-2021", "poland-2023", NULL. */
extern const char *const synthgrid_preset_names[];

/* Copies the named preset into *p. Returns 0, or -1 if the name is unknown. */
int synthgrid_preset(const char *name, synthgrid_params *p);

/* Checks every field of p against its range and the combinations that
 * cannot work. Returns 0, or -1 with "synthetic grid: <field> <value>
 * outside [lo, hi] <unit>" (or a sentence naming the fields) in err. */
int synthgrid_check(const synthgrid_params *p, char *err, size_t errlen);

/* The emission factor, gCO2e/kWh, of source src under p's factor set. */
double synthgrid_ef(const synthgrid_params *p, int src);

/* Clear-sky capacity factor of a horizontal PV plant, 0..1, at epoch second
 * t for a site at (lat_deg N, lon_deg E): Haurwitz GHI / 1000 W/m2, capped
 * at 1; 0 when the sun is below the horizon. */
double synthgrid_clear_sky_cf(double lat_deg, double lon_deg, int64_t t);

typedef struct synthgrid synthgrid; /* opaque: hourly demand, wind, solar and hydro schedule */

/* Builds the hourly demand, wind and solar availability and the hydro
 * schedule for [from, to) epoch s (widened to whole hours; at most
 * SERIES_MAX_HOURS). The noises start on Jan 1 00:00 UTC of the first
 * hour's year, 2 days early: the same p, seed and year of `from` give the
 * same hour the same values whatever the period. seed: pass a per-site
 * stream seed; it is mixed with a constant of this module, so the grid and
 * a synthetic climate given the same number draw different noises.
 * Returns the grid (free with synthgrid_free), or NULL with err (bad
 * parameter, empty or too long period, out of memory). */
synthgrid *synthgrid_alloc(const synthgrid_params *p, uint64_t seed, int64_t from, int64_t to, char *err,
                           size_t errlen);

/* Releases g; synthgrid_free(NULL) is a no-op. */
void synthgrid_free(synthgrid *g);

size_t synthgrid_hours(const synthgrid *g);  /* number of hours */
int64_t synthgrid_t0(const synthgrid *g);    /* epoch s of hour 0, UTC, a whole hour */

/* Index of the hour holding epoch second t, clamped to [0, hours - 1]. */
size_t synthgrid_index(const synthgrid *g, int64_t t);

/* One hour of dispatch. Generation and demand are the hour's mean power,
 * MW (= MWh in the hour). */
typedef struct synthgrid_hour {
    double demand_mw;             /* regional demand + extra_mw, MW (floored at 0) */
    double gen_mw[SRC_COUNT];     /* dispatched generation by source, MW */
    double curtailed_mw;          /* wind + solar available but not dispatched, MW */
    double unserved_mw;           /* demand above all available generation, MW (not generated) */
    int unserved;                 /* 1 if unserved_mw > 0 */
    double avg_g_per_kwh;         /* sum(gen x EF) / sum(gen), gCO2e/kWh (0 if nothing runs) */
    double marginal_g_per_kwh;    /* EF of the marginal unit, gCO2e/kWh */
    int marginal_src;             /* the source that would serve the next MW (SRC_*) */
    double low_carbon_frac;       /* low-carbon share of generation, 0..1 */
    double price_usd_per_mwh;     /* marginal cost of the marginal unit, USD/MWh */
    double emissions_kg;          /* sum(gen x EF) over the hour, kg CO2e */
    double water_l_per_kwh;       /* sum(gen x water factor) / sum(gen), L/kWh (0 if nothing runs) */
} synthgrid_hour;

/* Merit-order dispatch of hour h (0 <= h < hours) with extra_mw added to the
 * regional demand (a datacenter's load; 0 for the region alone; negative
 * removes load, demand is floored at 0). The hydro schedule is the region's
 * own (extra load does not move the day's water). Unserved demand (above
 * every available MW) is reported in unserved_mw and flagged; it is not
 * generated, so the intensities are those of what does run, and the price is
 * that of the dearest unit. Pure: the same arguments give the same bytes. */
void synthgrid_dispatch(const synthgrid *g, size_t h, double extra_mw, synthgrid_hour *out);

/* Emission rate of the added load in hour h, gCO2e/kWh: (emissions with
 * extra_mw - emissions without) / extra_mw, the consequential (dispatch-
 * difference) factor; as extra_mw -> 0 it tends to the marginal intensity
 * (returned for extra_mw == 0). Unserved extra load emits nothing here. */
double synthgrid_added_g_per_kwh(const synthgrid *g, size_t h, double extra_mw);

/* Totals of a dispatch of every hour with a constant extra_mw. */
typedef struct synthgrid_summary {
    double energy_mwh[SRC_COUNT]; /* generation by source, MWh */
    double demand_mwh;            /* demand incl. extra, MWh */
    double curtailed_mwh;         /* wind and solar not dispatched, MWh */
    double unserved_mwh;          /* demand not met, MWh */
    double emissions_t;           /* t CO2e */
    double mean_g_per_kwh;        /* generation-weighted mean intensity = emissions / generation */
    double mean_marginal_g_per_kwh; /* mean of the hourly marginal intensity, unweighted */
    double low_carbon_frac;       /* low-carbon share of generation over the period */
    size_t hours_marginal[SRC_COUNT]; /* hours each source was marginal */
    size_t hours_unserved;        /* hours with unserved demand */
} synthgrid_summary;

/* Dispatches every hour with extra_mw and sums them into *out. */
void synthgrid_summarize(const synthgrid *g, double extra_mw, synthgrid_summary *out);

/* Hourly capacity factor, per MW installed, of a solar or wind plant
 * (src = SRC_SOLAR or SRC_WIND) over [from, to) (whole hours), for power
 * purchase agreements: the same generators as the grid's own, so with the
 * grid's seed it equals the grid's own solar or wind per MW, and with
 * another seed it is another draw of the same climate. On success *cf is a
 * new array of *n values in [0, 1] (the caller frees it). Returns 0, or -1
 * with err and *cf NULL, *n 0. */
int synthgrid_profile(int src, const synthgrid_params *p, uint64_t seed, int64_t from, int64_t to, double **cf,
                      size_t *n, char *err, size_t errlen);

#endif
