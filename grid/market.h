/* market.h - market-based accounting and carbon-free-energy matching, one
 * step at a time.
 *
 * Market-based emissions (GHG Protocol Scope 2 Guidance, 2015, ch. 6): energy
 * covered by contractual instruments carries their emission rate (zero here:
 * renewable power purchase agreements and energy attribute certificates); the
 * rest carries the residual-mix factor. Instruments are applied hour by hour:
 *   1. PPA generation delivered in the same step covers the step's consumption
 *      (hourly matching);
 *   2. PPA generation in excess, and the certificates (an annual volume that
 *      accrues at a flat rate, certificates_mwh_per_year x dt / 1 year), go to
 *      a bank that covers later uncovered consumption;
 *   3. what is still uncovered carries the residual mix.
 * So the series never uses an instrument before it exists. The annual method
 * of the Guidance (any instrument of the year against any hour) is given
 * besides it by market_annual_kg. Hourly carbon-free-energy score (Google,
 * "24/7 by 2030", 2021; Carbon Explorer, Acun et al., ASPLOS 2023): the share
 * of each step's consumption met by carbon-free supply in that step,
 *   cfe = (min(E, G_ppa) + c_grid (E - min(E, G_ppa))) / E,
 * c_grid the grid's carbon-free share; over a period, weighted by consumption.
 */
#ifndef DCSIM_MARKET_H
#define DCSIM_MARKET_H

typedef struct market_params {
    double residual_mix_g_per_kwh;    /* emission factor of uncovered energy, gCO2e/kWh */
    double certificates_mwh_per_year; /* unbundled certificates bought per year, MWh */
} market_params;

typedef struct market_state {
    double bank_kwh;        /* instruments not yet used, kWh */
    double ppa_kwh;         /* PPA generation so far, kWh */
    double cert_kwh;        /* certificates accrued so far, kWh */
    double consumption_kwh; /* consumption so far, kWh */
} market_state;

typedef struct market_step {
    double matched_kwh;   /* covered by PPA generation in the same step, kWh */
    double banked_kwh;    /* covered from the bank, kWh */
    double uncovered_kwh; /* left to the residual mix, kWh */
    double emissions_kg;  /* market-based emissions of the step, kg CO2e */
    double cfe_kwh;       /* consumption met by carbon-free supply in the step, kWh */
} market_step;

/* Accounts one step of length dt_s: consumption e_kwh from the grid, PPA
 * generation ppa_kwh in the step, grid carbon-free share grid_cfe (0..1). */
void market_account(const market_params *p, market_state *st, double dt_s, double e_kwh, double ppa_kwh,
                    double grid_cfe, market_step *out);

/* Market-based emissions of the run so far by the annual method: the
 * instruments of the whole period cover any consumption. kg CO2e. */
double market_annual_kg(const market_params *p, const market_state *st);

#endif
