/* account.h - accounting per site and step: energy, facility, carbon, water, cost.
 *
 * At each step boundary the pools' exact power integrals (fleet.h) are
 * turned into the site series of the result file:
 *   it_energy_kwh     = sum over the site's pools of the integral of P dt
 *   facility power    = facility model (facility.h), e.g. PUE * IT power
 *   energy_kwh        = facility energy drawn from the grid
 *   energy_kwh        = facility energy + battery charge - battery discharge:
 *                       what the site draws from the grid
 *   emissions_kg      = energy_kwh * I / 1000, I the grid's average (location-
 *                       based) intensity of that step, g CO2e/kWh (GHG Protocol
 *                       Scope 2 Guidance, 2015, location-based method); the
 *                       same with the marginal intensity, and market-based
 *                       (grid/market.h) with the site's contracts
 *   water_l           = facility model's water for the IT energy (WUE)
 *   cost_usd          = node-hours powered on * price + energy_kwh * energy price
 *   embodied_kg       = node-seconds of every node (on or off) * the node's
 *                       embodied carbon per node-second (fleet.h)
 * A step never straddles an hour of the grid trace (the step divides 1 h and
 * the start is a whole step), so I is constant within a step and the
 * emissions are exact. Per job, emissions use the cumulative intensity
 * integral CI(t) = integral of I dt, kept per site in O(1).
 */
#ifndef DCSIM_ACCOUNT_H
#define DCSIM_ACCOUNT_H

#include "../grid/battery.h"
#include "../grid/market.h"
#include "../grid/trace.h"
#include "../grid/weather.h"
#include "fleet.h"
#include "scenario.h"
#include "sink.h"

/* Site series, in the order of account_site_vars. */
enum {
    SV_IT_POWER_KW,
    SV_FACILITY_POWER_KW,
    SV_COOLING_POWER_KW,
    SV_PUE,
    SV_INTENSITY,
    SV_MARGINAL_INTENSITY,
    SV_ENERGY_KWH,
    SV_FACILITY_ENERGY_KWH,
    SV_IT_ENERGY_KWH,
    SV_EMISSIONS_KG,
    SV_EMISSIONS_LOCATION_KG,
    SV_EMISSIONS_MARGINAL_KG,
    SV_EMISSIONS_MARKET_KG,
    SV_EMISSIONS_NEW_DEMAND_KG,
    SV_CFE_FRACTION,
    SV_PPA_KWH,
    SV_BATTERY_STATE_MWH,
    SV_BATTERY_POWER_KW,
    SV_PRICE_USD_PER_MWH,
    SV_WATER_L,
    SV_WATER_ONSITE_L,
    SV_WATER_OFFSITE_L,
    SV_OUTDOOR_TEMP_C,
    SV_WET_BULB_C,
    SV_COST_USD,
    SV_EMBODIED_KG,
    SV_UTILIZATION,
    SV_COUNT
};
enum { PV_POWER_KW, PV_BUSY_NODES, PV_NODES_ON, PV_QUEUE_LENGTH, PV_COUNT };
extern const sink_var account_site_vars[SV_COUNT];
extern const sink_var account_pool_vars[PV_COUNT];

/* A series read once and shared by every site that names the same file the
 * same way. */
typedef struct account_trace {
    char key[4200];        /* path, format, column, unit, quantity */
    trace tr;
} account_trace;

typedef struct site_state {
    const trace *avg;      /* hourly average intensity, or NULL (constant) */
    const trace *marg;     /* hourly marginal intensity, or NULL */
    const trace *price;    /* hourly price, USD/MWh, or NULL */
    const trace *ppa[SCN_MAX_PPA]; /* PPA capacity-factor profiles */
    trace ppa_own[SCN_MAX_PPA];    /* synthetic PPA profiles this site owns */
    synthgrid *sg;         /* the site's synthetic grid, or NULL */
    weather wx;            /* hourly weather, or empty */
    /* the current step */
    double intensity;      /* average intensity, g CO2e/kWh */
    double marginal;       /* marginal intensity, g/kWh, NAN if unknown */
    double cfe;            /* the grid's carbon-free share, 0..1 */
    double price_usd_per_mwh;
    double water_l_per_kwh; /* off-site water of the grid's energy, L/kWh */
    /* job attribution */
    double pue;            /* facility/IT ratio used to attribute the current step to jobs */
    double cip_step0;      /* integral of intensity x PUE to the current step's start, g s/kWh */
    double pi_step0;       /* integral of PUE to the current step's start, s */
    double water_per_it;   /* water (on- + off-site) per IT kWh used to attribute the current step, L/kWh */
    double wi_step0;       /* integral of water_per_it to the current step's start, L s/kWh */
    double ppi_step0;      /* integral of energy price x PUE to the current step's start, USD s/kWh */
    /* contracts and storage */
    market_state mk;
    battery_state bat;
    long long plan_day;    /* UTC day (days since the epoch) the battery plan is for, -1 none */
    double charged_kwh, discharged_kwh; /* battery terminal flows over the run, kWh */
    double market_kg;      /* market-based emissions over the run (the series' sum), kg */
} site_state;

typedef struct account {
    const scenario *s;
    site_state *sites;     /* [nsites] */
    account_trace *traces; /* [ntraces] shared series */
    int ntraces;
    double step_t0;        /* start of the current step, s */
    long long steps;       /* steps closed so far */
    double *site_vals;     /* [nsites * SV_COUNT] buffer for the sink */
    double *pool_vals;     /* [npools * PV_COUNT] */
    /* run totals */
    double it_kwh, facility_kwh, grid_kwh, cooling_kwh, emissions_kg, emissions_marginal_kg,
        emissions_market_kg, emissions_new_demand_kg, cfe_kwh, ppa_kwh, water_onsite_l, water_offsite_l, cost_usd,
        embodied_kg;
    int new_demand_any;    /* 1 if some site counts its energy as new demand */
    int marginal_known;    /* 1 if every site has a marginal intensity */
    char notice[2048];     /* what an input policy filled in, for the user ("" if nothing) */
} account;

/* Job attribution. A job drawing p kW of IT power from t0 to t1 is charged
 * facility energy p * (PI(t1) - PI(t0)) / 3600 kWh and emissions
 * p * (CIP(t1) - CIP(t0)) / 3600 g, where PI and CIP integrate the site's
 * PUE and intensity x PUE over time. Within the open step the PUE of the
 * step before is used (the step's own is known only when it closes): exact
 * for the constant model, an approximation for the others; the site series
 * are exact either way. */
static inline double account_cip(const account *a, int site, double t)
{
    const site_state *st = &a->sites[site];
    return st->cip_step0 + st->intensity * st->pue * (t - a->step_t0);
}
static inline double account_pi(const account *a, int site, double t)
{
    const site_state *st = &a->sites[site];
    return st->pi_step0 + st->pue * (t - a->step_t0);
}

/* Water: a job drawing p kW of IT power is charged p * (WI(t1) - WI(t0)) /
 * 3600 L, WI the integral of the site's water per IT kWh (the step before's
 * ratio within the open step, as for the PUE). */
static inline double account_wi(const account *a, int site, double t)
{
    const site_state *st = &a->sites[site];
    return st->wi_step0 + st->water_per_it * (t - a->step_t0);
}
/* Energy cost: p * (PPI(t1) - PPI(t0)) / 3600 USD, PPI the integral of the
 * hour's energy price (USD/kWh) x PUE. */
static inline double account_ppi(const account *a, int site, double t)
{
    const site_state *st = &a->sites[site];
    return st->ppi_step0 + st->price_usd_per_mwh / 1000.0 * st->pue * (t - a->step_t0);
}

/* The average intensity of site's grid in the hour holding epoch second
 * `epoch`, g/kWh, at no extra load (for forecasts of carbon-aware policies). */
double account_hour_intensity(const account *a, int site, int64_t epoch);

/* Market-based emissions of the run by the annual method, kg (sum over sites). */
double account_market_annual_kg(const account *a);

/* Sets a up for scenario s: reads every trace (once per file) and the
 * weather, and checks that they cover the simulated period (a drained run is
 * checked as it goes). Returns 0, or -1 with "file:line: reason" in err.
 * Free with account_free. */
int account_init(account *a, const scenario *s, char *err, size_t errlen);
void account_free(account *a);

/* Closes the step [step_t0, t_end): integrates every pool to t_end, fills
 * site_vals/pool_vals, adds to the totals, and moves on to the step that
 * starts at t_end. The caller then hands the values to the sink. Returns 0,
 * or -1 with a message (a trace that ends before t_end). */
int account_close_step(account *a, pool_state *pools, double t_end, char *err, size_t errlen);

#endif
