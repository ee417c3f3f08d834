/* battery.h - an on-site battery that shifts grid draw to cleaner hours.
 *
 * Policy, planned once per UTC day from the 24 hourly intensities of that
 * day: with k = ceil(capacity / power) hours needed for a full charge, the
 * i-th cleanest hour charges and the i-th dirtiest discharges (i < k), as long
 * as cycling pays: I_dirty x eta > I_clean (eta the round-trip efficiency;
 * otherwise the losses emit more than the shift saves). Charging stores
 * sqrt(eta) of the energy drawn, discharging delivers sqrt(eta) of the energy
 * taken out (losses split evenly between the two). The battery never exports:
 * it discharges at most the site's load. Its losses are drawn from the grid,
 * and the accounting counts them as facility energy (in the step they occur:
 * charge - discharge - change of the stored energy).
 */
#ifndef DCSIM_BATTERY_H
#define DCSIM_BATTERY_H

typedef struct battery_params {
    double capacity_kwh;     /* usable energy, kWh */
    double power_kw;         /* charge and discharge limit, kW */
    double round_trip_eff;   /* energy out / energy in over a cycle, (0, 1] */
} battery_params;

typedef struct battery_state {
    double soc_kwh;          /* energy stored, kWh */
    signed char plan[24];    /* per UTC hour of the current day: +1 charge, -1 discharge, 0 idle */
} battery_state;

/* Plans a day from its 24 hourly intensities (g/kWh; NAN for hours outside
 * the run, which stay idle) into plan[24]. */
void battery_plan(const battery_params *p, const double intensity[24], signed char plan[24]);

/* One step of dt_s seconds in an hour whose plan is `action`, with the site
 * drawing load_kw: updates the state and returns the grid draw, kW
 * (load + charge - discharge); *charge_kw and *discharge_kw get the battery's
 * flows at its terminals. */
double battery_step(const battery_params *p, battery_state *st, int action, double load_kw, double dt_s,
                    double *charge_kw, double *discharge_kw);

#endif
