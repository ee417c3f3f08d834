/* test_market.c - market-based accounting, CFE matching and the battery
 * policy, with figures checked by hand. */
#include <math.h>

#include "../grid/battery.h"
#include "../grid/market.h"
#include "check.h"

void test_market_hourly(void);
void test_market_bank_and_annual(void);
void test_battery_plan(void);
void test_battery_step(void);

/* 1000 kWh in an hour, 600 kWh of PPA in that hour, a grid 25 % carbon-free,
 * residual mix 500 g/kWh: 400 kWh uncovered = 200 kg; CFE 600 + 0.25 x 400. */
void test_market_hourly(void)
{
    market_params p = {500.0, 0.0};
    market_state st = {0};
    market_step o;
    market_account(&p, &st, 3600.0, 1000.0, 600.0, 0.25, &o);
    CHECK_NEAR(o.matched_kwh, 600.0, 0, 0);
    CHECK_NEAR(o.uncovered_kwh, 400.0, 0, 0);
    CHECK_NEAR(o.emissions_kg, 200.0, 1e-12, 0);
    CHECK_NEAR(o.cfe_kwh, 700.0, 1e-12, 0);
    /* a fully matched hour: no emissions, CFE = consumption */
    market_account(&p, &st, 3600.0, 500.0, 500.0, 0.25, &o);
    CHECK_NEAR(o.emissions_kg, 0.0, 0, 0);
    CHECK_NEAR(o.cfe_kwh, 500.0, 0, 0);
}

/* Excess PPA in one hour is banked for a later one; the annual method may
 * use it for an earlier one too. */
void test_market_bank_and_annual(void)
{
    market_params p = {400.0, 0.0};
    market_state st = {0};
    market_step a, b, c;
    market_account(&p, &st, 3600.0, 100.0, 0.0, 0.0, &a);   /* night: nothing yet */
    market_account(&p, &st, 3600.0, 100.0, 300.0, 0.0, &b); /* noon: 200 kWh excess */
    market_account(&p, &st, 3600.0, 100.0, 0.0, 0.0, &c);   /* evening: from the bank */
    CHECK_NEAR(a.emissions_kg, 40.0, 1e-12, 0);
    CHECK_NEAR(b.emissions_kg, 0.0, 0, 0);
    CHECK_NEAR(c.banked_kwh, 100.0, 0, 0);
    CHECK_NEAR(c.emissions_kg, 0.0, 0, 0);
    CHECK_NEAR(st.bank_kwh, 100.0, 1e-12, 0);
    CHECK_NEAR(market_annual_kg(&p, &st), 0.0, 0, 0); /* 300 kWh of PPA for 300 kWh */
    /* certificates: 8760 MWh a year accrue 1000 kWh an hour */
    market_params q = {400.0, 8760.0};
    market_state s2 = {0};
    market_account(&q, &s2, 3600.0, 1500.0, 0.0, 0.0, &a);
    CHECK_NEAR(a.banked_kwh, 1000.0, 1e-9, 0);
    CHECK_NEAR(a.emissions_kg, 200.0, 1e-9, 0);
}

void test_battery_plan(void)
{
    battery_params p = {2000.0, 1000.0, 0.81}; /* 2 h to fill */
    double I[24];
    for (int h = 0; h < 24; h++)
        I[h] = 300.0;
    I[3] = 100.0, I[4] = 110.0, I[18] = 500.0, I[19] = 480.0;
    signed char plan[24];
    battery_plan(&p, I, plan);
    CHECK_INT(plan[3], 1);
    CHECK_INT(plan[4], 1);
    CHECK_INT(plan[18], -1);
    CHECK_INT(plan[19], -1);
    int busy = 0;
    for (int h = 0; h < 24; h++)
        busy += plan[h] != 0;
    CHECK_INT(busy, 4);
    /* a flat day: cycling would only lose energy */
    for (int h = 0; h < 24; h++)
        I[h] = 300.0;
    battery_plan(&p, I, plan);
    busy = 0;
    for (int h = 0; h < 24; h++)
        busy += plan[h] != 0;
    CHECK_INT(busy, 0);
}

/* Round trip 0.81: 1000 kWh drawn store 900, which deliver 810. */
void test_battery_step(void)
{
    battery_params p = {900.0, 1000.0, 0.81};
    battery_state st = {0};
    double ch, dis;
    CHECK_NEAR(battery_step(&p, &st, 1, 500.0, 3600.0, &ch, &dis), 1500.0, 1e-12, 0);
    CHECK_NEAR(ch, 1000.0, 1e-12, 0);
    CHECK_NEAR(st.soc_kwh, 900.0, 1e-12, 0);
    /* the site needs 2000 kW: the battery gives its 810 kWh over the hour */
    CHECK_NEAR(battery_step(&p, &st, -1, 2000.0, 3600.0, &ch, &dis), 2000.0 - 810.0, 1e-9, 0);
    CHECK_NEAR(st.soc_kwh, 0.0, 0, 1e-9);
    /* never exports: a 300 kW load takes 300 kW from the battery at most */
    st.soc_kwh = 900.0;
    CHECK_NEAR(battery_step(&p, &st, -1, 300.0, 3600.0, &ch, &dis), 0.0, 0, 1e-12);
    CHECK_NEAR(dis, 300.0, 1e-12, 0);
}
