/* facility.h - cooling and power-delivery models: facility power from IT power.
 *
 * A model is a row of facility_types: its name (as written in a scenario's
 * facility.model), the settings it reads, and its function. Adding a model
 * touches facility.c only. Today's model:
 *   constant: P_facility = PUE * P_IT, water = WUE * E_IT (The Green Grid's
 *   PUE and WUE definitions, WP#49 and WP#35).
 */
#ifndef DCSIM_FACILITY_H
#define DCSIM_FACILITY_H

typedef struct facility_params {
    double pue;            /* power usage effectiveness, >= 1 */
    double wue_l_per_kwh;  /* water usage effectiveness, L per kWh of IT energy */
} facility_params;

typedef struct facility_type {
    const char *name;
    /* Facility power (IT + cooling + losses), kW, for IT power it_kw. */
    double (*power_kw)(const facility_params *p, double it_kw);
    /* Water drawn for it_kwh of IT energy, L. */
    double (*water_l)(const facility_params *p, double it_kwh);
} facility_type;

extern const facility_type facility_types[];
extern const char *const facility_names[]; /* NULL-ended, same order */

#endif
