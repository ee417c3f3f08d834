/* account.h - accounting per site and step: energy, facility, carbon, water, cost.
 *
 * At each step boundary the pools' exact power integrals (fleet.h) are
 * turned into the site series of the result file:
 *   it_energy_kwh     = sum over the site's pools of the integral of P dt
 *   facility power    = facility model (facility.h), e.g. PUE * IT power
 *   energy_kwh        = facility energy drawn from the grid
 *   emissions_kg      = energy_kwh * I / 1000, I the grid's average (location-
 *                       based) intensity of that step, g CO2e/kWh (GHG Protocol
 *                       Scope 2 Guidance, 2015, location-based method)
 *   water_l           = facility model's water for the IT energy (WUE)
 *   cost_usd          = node-hours powered on * price + energy_kwh * energy price
 * A step never straddles an hour of the grid trace (the step divides 1 h and
 * the start is a whole step), so I is constant within a step and the
 * emissions are exact. Per job, emissions use the cumulative intensity
 * integral CI(t) = integral of I dt, kept per site in O(1).
 */
#ifndef DCSIM_ACCOUNT_H
#define DCSIM_ACCOUNT_H

#include "../grid/trace.h"
#include "fleet.h"
#include "scenario.h"
#include "sink.h"

/* Site series, in the order of account_site_vars. */
enum {
    SV_IT_POWER_KW,
    SV_FACILITY_POWER_KW,
    SV_PUE,
    SV_INTENSITY,
    SV_ENERGY_KWH,
    SV_IT_ENERGY_KWH,
    SV_EMISSIONS_KG,
    SV_WATER_L,
    SV_COST_USD,
    SV_UTILIZATION,
    SV_COUNT
};
enum { PV_POWER_KW, PV_BUSY_NODES, PV_NODES_ON, PV_COUNT };
extern const sink_var account_site_vars[SV_COUNT];
extern const sink_var account_pool_vars[PV_COUNT];

typedef struct site_state {
    trace tr;              /* hourly intensity, or empty for a constant */
    double intensity;      /* of the current step, g CO2e/kWh */
    double ci_step0;       /* CI at the current step's start, g s/kWh */
} site_state;

typedef struct account {
    const scenario *s;
    site_state *sites;     /* [nsites] */
    double step_t0;        /* start of the current step, s */
    long long steps;       /* steps closed so far */
    double *site_vals;     /* [nsites * SV_COUNT] buffer for the sink */
    double *pool_vals;     /* [npools * PV_COUNT] */
    /* run totals */
    double it_kwh, facility_kwh, emissions_kg, water_l, cost_usd;
} account;

/* Sets a up for scenario s: reads the grid traces and checks that they cover
 * the simulated period (a drained run is checked as it goes). Returns 0, or
 * -1 with "file:line: reason" in err. Free with account_free. */
int account_init(account *a, const scenario *s, char *err, size_t errlen);
void account_free(account *a);

/* Cumulative intensity integral of site at time t (inside the current step), g s/kWh. */
static inline double account_ci(const account *a, int site, double t)
{
    const site_state *st = &a->sites[site];
    return st->ci_step0 + st->intensity * (t - a->step_t0);
}

/* Closes the step [step_t0, t_end): integrates every pool to t_end, fills
 * site_vals/pool_vals, adds to the totals, and moves on to the step that
 * starts at t_end. The caller then hands the values to the sink. Returns 0,
 * or -1 with a message (a trace that ends before t_end). */
int account_close_step(account *a, pool_state *pools, double t_end, char *err, size_t errlen);

#endif
