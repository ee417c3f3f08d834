/* newdemand.c - emission factor of added demand under a fossil share and a
 * fuel split (see newdemand.h; worked example in docs/GRID.md). */
#include "newdemand.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define SUM_TOL 1e-6 /* splits must sum to 1 within this */

const char *const newdemand_preset_names[] = {"gs-2025", "example-ccgt-coal-wind", NULL};

static const newdemand_params presets[] = {
    /* gs-2025: Goldman Sachs Research (2025), as reported (ANI, 27 Oct 2025;
     * Bioenergy Times): new capacity for datacenter demand growth 30 % gas
     * CCGT, 30 % gas peakers, 27.5 % solar, 12.5 % wind; and (Goldman Sachs,
     * as reported by RCR Wireless, 4 Sep 2025) about 60 % of incremental
     * power from natural gas, 40 % from renewables. Taken as shares of
     * energy: f = 0.6, fossil 0.5 / 0.5, low-carbon solar 0.6875, wind
     * 0.3125 (27.5 / 40, 12.5 / 40). */
    {.fossil_share = 0.6,
     .fossil_split = {[SRC_GAS_CCGT] = 0.5, [SRC_GAS_PEAKER] = 0.5},
     .low_carbon_split = {[SRC_SOLAR] = 0.6875, [SRC_WIND] = 0.3125},
     .use_direct_ef = 0},
    /* example-ccgt-coal-wind: an illustration with round numbers, not a
     * projection: f = 0.6, fossil 0.7 CCGT / 0.3 coal, low-carbon all wind.
     * EF_new = 0.6 (0.7 x 490 + 0.3 x 820) + 0.4 x 11 = 357.8 g/kWh. */
    {.fossil_share = 0.6,
     .fossil_split = {[SRC_GAS_CCGT] = 0.7, [SRC_COAL] = 0.3},
     .low_carbon_split = {[SRC_WIND] = 1.0},
     .use_direct_ef = 0},
};

int newdemand_preset(const char *name, newdemand_params *p)
{
    for (int i = 0; name && newdemand_preset_names[i]; i++)
        if (strcmp(name, newdemand_preset_names[i]) == 0) {
            *p = presets[i];
            return 0;
        }
    return -1;
}

/* Checks one split: its entries in [0, 1], zero outside its kind (low == 1:
 * the low-carbon sources), and a sum of 1 unless the part is empty. */
static int check_split(const double *split, const char *name, int low, int empty_ok, char *err, size_t errlen)
{
    double sum = 0;
    for (int s = 0; s < SRC_COUNT; s++) {
        double v = split[s];
        if (!(v >= 0 && v <= 1)) {
            snprintf(err, errlen, "new demand: %s.%s %g outside [0, 1]", name, synthgrid_source_names[s], v);
            return -1;
        }
        if (v > 0 && synthgrid_is_low_carbon(s) != low) {
            snprintf(err, errlen, "new demand: %s.%s is %g, but %s is not a %s source", name,
                     synthgrid_source_names[s], v, synthgrid_source_names[s], low ? "low-carbon" : "fossil");
            return -1;
        }
        sum += v;
    }
    if (sum == 0 && empty_ok)
        return 0;
    if (fabs(sum - 1.0) > SUM_TOL) {
        snprintf(err, errlen, "new demand: %s sums to %.10g; its shares (%s) must sum to 1", name, sum,
                 low ? "nuclear, hydro, wind, solar" : "gas_ccgt, gas_peaker, coal, oil");
        return -1;
    }
    return 0;
}

int newdemand_check(const newdemand_params *p, char *err, size_t errlen)
{
    if (!(p->fossil_share >= 0 && p->fossil_share <= 1)) {
        snprintf(err, errlen, "new demand: fossil_share %g outside [0, 1]", p->fossil_share);
        return -1;
    }
    if (p->use_direct_ef != 0 && p->use_direct_ef != 1) {
        snprintf(err, errlen, "new demand: use_direct_ef %d outside [0, 1] (0: life cycle, 1: direct)",
                 p->use_direct_ef);
        return -1;
    }
    if (check_split(p->fossil_split, "fossil_split", 0, p->fossil_share == 0, err, errlen) ||
        check_split(p->low_carbon_split, "low_carbon_split", 1, p->fossil_share == 1, err, errlen))
        return -1;
    return 0;
}

double newdemand_ef(const newdemand_params *p, double term[SRC_COUNT])
{
    const double *ef = p->use_direct_ef ? synthgrid_ef_direct : synthgrid_ef_lifecycle;
    double f = p->fossil_share, sum = 0;
    for (int s = 0; s < SRC_COUNT; s++) {
        double t = synthgrid_is_low_carbon(s) ? (1.0 - f) * p->low_carbon_split[s] * ef[s]
                                              : f * p->fossil_split[s] * ef[s];
        if (term)
            term[s] = t;
        sum += t;
    }
    return sum;
}

double newdemand_emissions_kg(const newdemand_params *p, double energy_kwh)
{
    return energy_kwh * newdemand_ef(p, NULL) / 1000.0;
}
