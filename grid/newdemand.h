/* newdemand.h - the emission factor of added demand when a stated share of
 * it is met by fossil generation with a stated fuel split, and the rest by
 * named low-carbon sources:
 *
 *   EF_new = f sum_i s_i EF_i + (1 - f) sum_j l_j EF_j        gCO2e/kWh
 *
 * f the fossil share (0..1), s_i the split of the fossil part over gas_ccgt,
 * gas_peaker, coal and oil (summing to 1), l_j the split of the rest over
 * nuclear, hydro, wind and solar (summing to 1), EF the life-cycle or direct
 * factors of grid/synthgrid.h. Emissions of E kWh of added demand are E x
 * EF_new. This reproduces projections of the form "60 % of new datacenter
 * demand is met by fossil fuels" and lets each term be varied; worked example
 * and sources in docs/GRID.md.
 */
#ifndef DCSIM_NEWDEMAND_H
#define DCSIM_NEWDEMAND_H

#include <stddef.h>

#include "synthgrid.h"

typedef struct newdemand_params {
    double fossil_share;                /* f: share of the added energy met by fossil generation, 0..1 */
    double fossil_split[SRC_COUNT];     /* shares of the fossil part by source, indexed by SRC_*: only
                                           gas_ccgt, gas_peaker, coal, oil may be > 0; sum 1 */
    double low_carbon_split[SRC_COUNT]; /* shares of the low-carbon part: only nuclear, hydro, wind,
                                           solar may be > 0; sum 1 */
    int use_direct_ef;                  /* 0: life-cycle factors (default), 1: direct combustion */
} newdemand_params;

/* "gs-2025", "example-ccgt-coal-wind", NULL. */
extern const char *const newdemand_preset_names[];

/* Copies the named preset into *p. Returns 0, or -1 if the name is unknown. */
int newdemand_preset(const char *name, newdemand_params *p);

/* Checks p. A split may be all zeros only when its part is empty (f = 1 for
 * the low-carbon split, f = 0 for the fossil split); otherwise it must sum
 * to 1 within 1e-6. Returns 0, or -1 with "new demand: ..." in err. */
int newdemand_check(const newdemand_params *p, char *err, size_t errlen);

/* EF_new, gCO2e/kWh, for a p that passes newdemand_check. If term is not
 * NULL, term[src] receives each source's part of it (f s_i EF_i or
 * (1 - f) l_j EF_j; they sum to EF_new). */
double newdemand_ef(const newdemand_params *p, double term[SRC_COUNT]);

/* Emissions of energy_kwh of added demand, kg CO2e: energy_kwh x EF_new / 1000. */
double newdemand_emissions_kg(const newdemand_params *p, double energy_kwh);

#endif
