/* facility.h - cooling and power delivery: facility power and water from IT
 * power and the weather, hour by hour.
 *
 * A model is a row of facility_types: its name (a scenario's facility.model),
 * the settings it reads, and its function. Adding a model touches facility.c
 * only. Every model maps one step's inputs to its outputs:
 *
 *   in:  IT power on air-cooled and on liquid-cooled racks (kW), outdoor dry-
 *        bulb temperature (C), relative humidity (%), wet-bulb temperature (C)
 *   out: facility power = IT + cooling + electrical losses + fixed overhead
 *        (kW), its parts, and on-site water (L/h)
 *
 * Models (equations, parameters and sources in facility.c and docs/FACILITY.md):
 *   constant    P_fac = PUE * P_IT; water = WUE * P_IT (The Green Grid's PUE
 *               and WUE definitions)
 *   table       PUE piecewise linear in outdoor temperature; water = WUE * P_IT
 *   economizer  air-side economiser with direct evaporative assist and an air-
 *               cooled chiller, fans and pumps, UPS and distribution losses
 *               (no-load + proportional + square law), fixed overheads, and a
 *               liquid-cooled share with its own overhead
 */
#ifndef DCSIM_FACILITY_H
#define DCSIM_FACILITY_H

#include <libconfig.h>

#include "cfgutil.h"

#define FACILITY_TABLE_MAX 32

/* Parameters of every model (each reads the fields it needs). */
typedef struct facility_params {
    /* constant and table */
    double pue;                  /* constant: facility / IT power, >= 1 */
    double wue_l_per_kwh;        /* constant, table: on-site water per kWh IT, L/kWh */
    int ntable;                  /* table: points */
    double table_temp_c[FACILITY_TABLE_MAX]; /* table: outdoor temperature, C, increasing */
    double table_pue[FACILITY_TABLE_MAX];    /* table: PUE at that temperature */
    /* economizer */
    double design_it_kw;         /* IT capacity the plant is built for, kW (default: the site's max IT power) */
    int economizer;              /* 1: outdoor air and evaporation when they help; 0: chiller only (legacy room) */
    double supply_air_c;         /* cold-aisle supply temperature, C */
    double rack_delta_t_c;       /* air temperature rise across the racks, K */
    double evap_approach_c;      /* evaporative cooler leaves air this far above wet bulb, K */
    double fan_kw_per_kw;        /* air-handling fan power per kW of heat, kW/kW */
    double pump_kw_per_kw;       /* evaporative pump power per kW cooled by evaporation, kW/kW */
    double chiller_carnot_fraction; /* chiller COP / Carnot COP */
    double chiller_evap_c;       /* chiller evaporating temperature, C */
    double chiller_cond_approach_c; /* condensing temperature above outdoor air, K */
    double chiller_cop_max;      /* cap on the chiller COP */
    double ups_noload_frac;      /* UPS/distribution loss at no load, share of design IT power */
    double ups_prop_frac;        /* proportional loss, share of IT power */
    double ups_square_frac;      /* square-law loss at full load, share of design IT power */
    double fixed_frac;           /* lighting, offices, security: share of design IT power */
    double liquid_kw_per_kw;     /* direct-to-chip loop (pumps, dry coolers) per kW of liquid-cooled IT */
    double cycles_of_concentration; /* evaporative water: evaporated + bleed = evaporated * C/(C-1) */
} facility_params;

typedef struct facility_in {
    double it_air_kw;      /* IT power on air-cooled racks, kW */
    double it_liquid_kw;   /* IT power on liquid-cooled racks, kW */
    double temp_c;         /* outdoor dry bulb, C */
    double rh_pct;         /* outdoor relative humidity, % */
    double wet_bulb_c;     /* outdoor wet bulb, C */
} facility_in;

typedef struct facility_out {
    double facility_kw;    /* IT + cooling + losses + fixed, kW */
    double cooling_kw;     /* fans, pumps, chiller, liquid loop, kW */
    double losses_kw;      /* UPS and distribution, kW */
    double fixed_kw;       /* lighting, offices, kW */
    double water_l_per_h;  /* on-site water (evaporation and bleed), L/h */
    int mode;              /* economizer: 0 free, 1 evaporative, 2 partial chiller, 3 chiller */
} facility_out;

typedef struct facility_type {
    const char *name;
    /* Reads the model's settings from group g (defaults already set by
     * facility_defaults). Returns 0 or -1 with a located message. */
    int (*load)(facility_params *p, const config_setting_t *g, cfg_err *e);
    void (*eval)(const facility_params *p, const facility_in *in, facility_out *out);
    int needs_weather;     /* 1 if the model reads temperature and humidity */
} facility_type;

extern const facility_type facility_types[];
extern const char *const facility_names[]; /* NULL-ended, same order */

/* The documented default parameters (docs/FACILITY.md). */
void facility_defaults(facility_params *p);

/* Coefficient of performance of the air-cooled chiller at outdoor temperature
 * t_out_c: carnot_fraction * T_evap / (T_cond - T_evap), kelvin, capped. */
double facility_chiller_cop(const facility_params *p, double t_out_c);

#endif
