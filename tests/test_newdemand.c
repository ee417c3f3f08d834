/* test_newdemand.c - the fossil share of new demand: hand-checked factors,
 * the presets, the limits f = 0 and 1, and every error message. */
#include "../grid/newdemand.h"
#include "check.h"

void test_newdemand_example(void);
void test_newdemand_presets(void);
void test_newdemand_errors(void);

void test_newdemand_example(void)
{
    /* f = 0.6; fossil 0.7 CCGT / 0.3 coal; low-carbon all wind (AR5 medians):
     * 0.6 (0.7 x 490 + 0.3 x 820) + 0.4 x 11 = 0.6 x 589 + 4.4 = 357.8 g/kWh */
    newdemand_params p = {.fossil_share = 0.6,
                          .fossil_split = {[SRC_GAS_CCGT] = 0.7, [SRC_COAL] = 0.3},
                          .low_carbon_split = {[SRC_WIND] = 1.0}};
    char err[300];
    CHECK(newdemand_check(&p, err, sizeof err) == 0);
    double term[SRC_COUNT];
    CHECK_NEAR(newdemand_ef(&p, term), 357.8, 1e-12, 0);
    CHECK_NEAR(term[SRC_GAS_CCGT], 205.8, 1e-12, 0); /* 0.6 x 0.7 x 490 */
    CHECK_NEAR(term[SRC_COAL], 147.6, 1e-12, 0);     /* 0.6 x 0.3 x 820 */
    CHECK_NEAR(term[SRC_WIND], 4.4, 1e-12, 0);       /* 0.4 x 11 */
    CHECK(term[SRC_NUCLEAR] == 0 && term[SRC_OIL] == 0);
    /* a 1 GW campus for a year: 8.76e9 kWh x 357.8 g/kWh = 3.134e6 t */
    CHECK_NEAR(newdemand_emissions_kg(&p, 8.76e9), 3.134328e9, 1e-12, 0);
    /* direct factors: 0.6 (0.7 x 370 + 0.3 x 760) + 0.4 x 0 = 292.2 */
    p.use_direct_ef = 1;
    CHECK_NEAR(newdemand_ef(&p, NULL), 292.2, 1e-12, 0);
    /* the share varies linearly between the two parts */
    p.use_direct_ef = 0;
    p.fossil_share = 0;
    CHECK_NEAR(newdemand_ef(&p, NULL), 11.0, 1e-12, 0);
    p.fossil_share = 1;
    CHECK_NEAR(newdemand_ef(&p, NULL), 589.0, 1e-12, 0);
}

void test_newdemand_presets(void)
{
    newdemand_params p;
    char err[300];
    CHECK(newdemand_preset("gs-2025", &p) == 0);
    CHECK(newdemand_check(&p, err, sizeof err) == 0);
    /* 0.6 (0.5 x 490 + 0.5 x 714) + 0.4 (0.6875 x 48 + 0.3125 x 11) = 361.2 + 14.575 */
    CHECK_NEAR(newdemand_ef(&p, NULL), 375.775, 1e-12, 0);
    /* the shares as reported: 30 % CCGT, 30 % peakers, 27.5 % solar, 12.5 % wind */
    CHECK_NEAR(p.fossil_share * p.fossil_split[SRC_GAS_CCGT], 0.30, 1e-12, 0);
    CHECK_NEAR(p.fossil_share * p.fossil_split[SRC_GAS_PEAKER], 0.30, 1e-12, 0);
    CHECK_NEAR((1 - p.fossil_share) * p.low_carbon_split[SRC_SOLAR], 0.275, 1e-12, 0);
    CHECK_NEAR((1 - p.fossil_share) * p.low_carbon_split[SRC_WIND], 0.125, 1e-12, 0);
    CHECK(newdemand_preset("example-ccgt-coal-wind", &p) == 0);
    CHECK(newdemand_check(&p, err, sizeof err) == 0);
    CHECK_NEAR(newdemand_ef(&p, NULL), 357.8, 1e-12, 0);
    CHECK(newdemand_preset("iea", &p) == -1);
    CHECK(newdemand_preset_names[2] == NULL);
    /* an empty part needs no split */
    newdemand_params all_fossil = {.fossil_share = 1, .fossil_split = {[SRC_COAL] = 1}};
    CHECK(newdemand_check(&all_fossil, err, sizeof err) == 0);
    CHECK(newdemand_ef(&all_fossil, NULL) == 820);
    newdemand_params none = {.fossil_share = 0, .low_carbon_split = {[SRC_NUCLEAR] = 0.5, [SRC_HYDRO] = 0.5}};
    CHECK(newdemand_check(&none, err, sizeof err) == 0);
    CHECK(newdemand_ef(&none, NULL) == 18);
}

static void expect(const newdemand_params *p, const char *msg)
{
    char err[300];
    CHECK(newdemand_check(p, err, sizeof err) == -1);
    CHECK_STR(err, msg);
}

void test_newdemand_errors(void)
{
    newdemand_params base, p;
    CHECK(newdemand_preset("example-ccgt-coal-wind", &base) == 0);
    p = base;
    p.fossil_share = 1.2;
    expect(&p, "new demand: fossil_share 1.2 outside [0, 1]");
    p = base;
    p.fossil_share = NAN;
    expect(&p, "new demand: fossil_share nan outside [0, 1]");
    p = base;
    p.use_direct_ef = 3;
    expect(&p, "new demand: use_direct_ef 3 outside [0, 1] (0: life cycle, 1: direct)");
    p = base;
    p.fossil_split[SRC_COAL] = -0.3;
    expect(&p, "new demand: fossil_split.coal -0.3 outside [0, 1]");
    p = base;
    p.fossil_split[SRC_NUCLEAR] = 0.1;
    expect(&p, "new demand: fossil_split.nuclear is 0.1, but nuclear is not a fossil source");
    p = base;
    p.low_carbon_split[SRC_GAS_CCGT] = 0.2;
    expect(&p, "new demand: low_carbon_split.gas_ccgt is 0.2, but gas_ccgt is not a low-carbon source");
    p = base;
    p.low_carbon_split[SRC_SOLAR] = 1.5;
    expect(&p, "new demand: low_carbon_split.solar 1.5 outside [0, 1]");
    p = base;
    p.fossil_split[SRC_COAL] = 0.2;
    expect(&p, "new demand: fossil_split sums to 0.9; its shares (gas_ccgt, gas_peaker, coal, oil) must sum to 1");
    p = base;
    p.low_carbon_split[SRC_WIND] = 0.5;
    expect(&p, "new demand: low_carbon_split sums to 0.5; its shares (nuclear, hydro, wind, solar) must sum to 1");
    p = base;
    p.low_carbon_split[SRC_WIND] = 0;
    expect(&p, "new demand: low_carbon_split sums to 0; its shares (nuclear, hydro, wind, solar) must sum to 1");
    p.fossil_share = 1; /* now the low-carbon part is empty: no split needed */
    char err[300];
    CHECK(newdemand_check(&p, err, sizeof err) == 0);
}
