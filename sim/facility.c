/* facility.c - facility models: power and water of cooling and power delivery.
 *
 * constant   P_fac = PUE * P_IT;  water = WUE * P_IT (L/h for kW and L/kWh).
 *            PUE and WUE as defined by The Green Grid (WP #49, 2012; WP #35, 2011).
 *            All overhead is reported as cooling_kw, (PUE - 1) * P_IT.
 *
 * table      PUE(T) piecewise linear between the given (T, PUE) points, held
 *            constant beyond the ends; water = WUE * P_IT.
 *
 * economizer A physical model of an air-side economiser plant (worked example
 *            and sources in docs/FACILITY.md). Heat carried by air
 *                Q = P_IT,air + P_loss + P_fixed                          kW
 *            moves at a rack temperature rise dT: supply at T_s, return at
 *            T_s + dT. Direct evaporation can cool outdoor air (dry bulb T,
 *            wet bulb T_wb) down to F = max(T_s, T_wb + a), a = approach.
 *            The plant takes outdoor air whenever that beats recirculating
 *            the return air, i.e. while T < T_s + dT or F < T_s + dT (the
 *            enthalpy changeover of economiser controls); then
 *                Q_evap = Q (T - F)^+ / dT          heat removed by evaporation
 *                Q_ch   = Q (min(T, F) - T_s)^+ / dT  left to the chiller
 *            otherwise (or with economizer = false: a chiller-only room) it
 *            recirculates and the chiller removes all of it: Q_ch = Q.
 *                P_chiller = Q_ch / COP(T),
 *                COP(T) = min(COP_max, eta (T_e + 273.15) / (T + a_c - T_e))
 *            (a Carnot fraction eta of the reversed-Carnot COP between the
 *            evaporating temperature T_e and the condensing temperature
 *            T + a_c of an air-cooled condenser; e.g. ASHRAE Handbook -
 *            Fundamentals, ch. 2).
 *                P_fans = k_fan Q,  P_pumps = k_pump Q_evap,
 *                P_liquid = k_liq P_IT,liquid (direct-to-chip loop, dry coolers)
 *            Electrical losses (UPS, transformers, PDUs), the no-load +
 *            proportional + square-law form of Rasmussen, "Electrical
 *            Efficiency Modeling for Data Centers", APC White Paper 113:
 *                P_loss = l0 D + l1 P_IT + l2 P_IT^2 / D,  D = design IT power
 *            Fixed overhead (lighting, offices): P_fixed = f D.
 *                P_fac = P_IT + P_fans + P_pumps + P_chiller + P_liquid + P_loss + P_fixed
 *            On-site water: the heat removed by evaporation, at the latent
 *            heat of vaporisation of water near 20 C (2450 kJ/kg), plus the
 *            bleed that keeps dissolved solids down (C cycles of concentration):
 *                W = Q_evap * 3600 / 2450 * C / (C - 1)                   L/h
 *            Because l0 D and f D do not scale with load, PUE rises at low IT
 *            load, as measured plants do.
 */
#include "facility.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#define LATENT_HEAT_KJ_PER_KG 2450.0 /* water at about 20 C */

void facility_defaults(facility_params *p)
{
    memset(p, 0, sizeof *p);
    p->pue = 1.0;
    p->wue_l_per_kwh = 0.0;
    p->design_it_kw = 0.0;          /* 0: the caller sets the site's maximum IT power */
    p->economizer = 1;
    p->supply_air_c = 24.0;         /* ASHRAE TC 9.9 recommended range 18-27 C */
    p->rack_delta_t_c = 12.0;       /* ESTIMATE: typical server air temperature rise 10-15 K */
    p->evap_approach_c = 3.0;       /* ESTIMATE: direct evaporative media of ~85-90% effectiveness */
    p->fan_kw_per_kw = 0.04;        /* ESTIMATE: air handling of an efficient hall, 3-5% of heat */
    p->pump_kw_per_kw = 0.005;      /* ESTIMATE: recirculation pumps of evaporative media */
    p->chiller_carnot_fraction = 0.5; /* ESTIMATE: good screw/centrifugal chillers reach 0.45-0.6 */
    p->chiller_evap_c = 14.0;       /* ESTIMATE: chilled water for 24 C supply air */
    p->chiller_cond_approach_c = 10.0; /* ESTIMATE: air-cooled condenser */
    p->chiller_cop_max = 10.0;
    p->ups_noload_frac = 0.02;      /* ESTIMATE: modern double-conversion UPS + transformers */
    p->ups_prop_frac = 0.02;        /* ESTIMATE */
    p->ups_square_frac = 0.01;      /* ESTIMATE: I^2 R in distribution at full load */
    p->fixed_frac = 0.01;           /* ESTIMATE: lighting, offices, security */
    p->liquid_kw_per_kw = 0.03;     /* ESTIMATE: CDU pumps and dry-cooler fans */
    p->cycles_of_concentration = 4.0; /* ESTIMATE: typical evaporative bleed */
}

double facility_chiller_cop(const facility_params *p, double t_out_c)
{
    double te = p->chiller_evap_c + 273.15;
    double lift = t_out_c + p->chiller_cond_approach_c - p->chiller_evap_c; /* K */
    if (lift <= 0)
        return p->chiller_cop_max;
    double cop = p->chiller_carnot_fraction * te / lift;
    return cop < p->chiller_cop_max ? cop : p->chiller_cop_max;
}

/* ---- constant ---- */
static int constant_load(facility_params *p, const config_setting_t *g, cfg_err *e)
{
    static const char *const keys[] = {"model", "pue", "wue_l_per_kwh", NULL};
    return cfgutil_check_keys(e, g, keys) || cfgutil_float(e, g, "pue", 0, 1.0, 5.0, &p->pue) ||
                   cfgutil_float(e, g, "wue_l_per_kwh", 0, 0.0, 100.0, &p->wue_l_per_kwh)
               ? -1
               : 0;
}

static void constant_eval(const facility_params *p, const facility_in *in, facility_out *out)
{
    double it = in->it_air_kw + in->it_liquid_kw;
    memset(out, 0, sizeof *out);
    out->facility_kw = p->pue * it;
    out->cooling_kw = (p->pue - 1.0) * it;
    out->water_l_per_h = p->wue_l_per_kwh * it;
}

/* ---- table ---- */
static int read_array(cfg_err *e, const config_setting_t *g, const char *name, double lo, double hi, double *v,
                      int *n)
{
    config_setting_t *a = config_setting_get_member(g, name);
    char path[256];
    if (!a)
        return cfgutil_fail(e, g, "facility.%s is required by the table model", name);
    cfgutil_path(a, path, sizeof path);
    if (config_setting_type(a) != CONFIG_TYPE_ARRAY && config_setting_type(a) != CONFIG_TYPE_LIST)
        return cfgutil_fail(e, a, "%s must be an array of numbers [ ... ]", path);
    int len = config_setting_length(a);
    if (len < 1 || len > FACILITY_TABLE_MAX)
        return cfgutil_fail(e, a, "%s must hold 1 to %d numbers (got %d)", path, FACILITY_TABLE_MAX, len);
    for (int i = 0; i < len; i++) {
        config_setting_t *x = config_setting_get_elem(a, (unsigned)i);
        int t = config_setting_type(x);
        double d;
        if (t == CONFIG_TYPE_FLOAT)
            d = config_setting_get_float(x);
        else if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64)
            d = (double)config_setting_get_int64(x);
        else
            return cfgutil_fail(e, a, "%s[%d] must be a number", path, i);
        if (!isfinite(d) || d < lo || d > hi)
            return cfgutil_fail(e, a, "%s[%d] must be in [%g, %g] (got %g)", path, i, lo, hi, d);
        v[i] = d;
    }
    *n = len;
    return 0;
}

static int table_load(facility_params *p, const config_setting_t *g, cfg_err *e)
{
    static const char *const keys[] = {"model", "temp_c", "pue", "wue_l_per_kwh", NULL};
    int nt = 0, np = 0;
    if (cfgutil_check_keys(e, g, keys) || read_array(e, g, "temp_c", -90.0, 60.0, p->table_temp_c, &nt) ||
        read_array(e, g, "pue", 1.0, 5.0, p->table_pue, &np) ||
        cfgutil_float(e, g, "wue_l_per_kwh", 0, 0.0, 100.0, &p->wue_l_per_kwh))
        return -1;
    if (nt != np)
        return cfgutil_fail(e, config_setting_get_member(g, "pue"),
                            "facility.temp_c and facility.pue must have the same length (%d and %d)", nt, np);
    for (int i = 1; i < nt; i++)
        if (!(p->table_temp_c[i] > p->table_temp_c[i - 1]))
            return cfgutil_fail(e, config_setting_get_member(g, "temp_c"), "facility.temp_c must increase (entry %d)", i);
    p->ntable = nt;
    return 0;
}

static double table_pue_at(const facility_params *p, double t)
{
    int n = p->ntable;
    if (t <= p->table_temp_c[0])
        return p->table_pue[0];
    if (t >= p->table_temp_c[n - 1])
        return p->table_pue[n - 1];
    int k = 1;
    while (p->table_temp_c[k] < t)
        k++;
    double x0 = p->table_temp_c[k - 1], x1 = p->table_temp_c[k];
    return p->table_pue[k - 1] + (p->table_pue[k] - p->table_pue[k - 1]) * (t - x0) / (x1 - x0);
}

static void table_eval(const facility_params *p, const facility_in *in, facility_out *out)
{
    double it = in->it_air_kw + in->it_liquid_kw, pue = table_pue_at(p, in->temp_c);
    memset(out, 0, sizeof *out);
    out->facility_kw = pue * it;
    out->cooling_kw = (pue - 1.0) * it;
    out->water_l_per_h = p->wue_l_per_kwh * it;
}

/* ---- economizer ---- */
static int economizer_load(facility_params *p, const config_setting_t *g, cfg_err *e)
{
    static const char *const keys[] = {"model",          "design_it_kw",  "economizer", "supply_air_c",
                                       "rack_delta_t_c", "evap_approach_c", "fan_kw_per_kw",
                                       "pump_kw_per_kw", "chiller_carnot_fraction", "chiller_evap_c",
                                       "chiller_cond_approach_c", "chiller_cop_max", "ups_noload_frac",
                                       "ups_prop_frac",  "ups_square_frac", "fixed_frac",
                                       "liquid_kw_per_kw", "cycles_of_concentration", NULL};
    if (cfgutil_check_keys(e, g, keys) || cfgutil_float(e, g, "design_it_kw", 0, 1e-3, 1e9, &p->design_it_kw) ||
        cfgutil_bool(e, g, "economizer", 0, &p->economizer) ||
        cfgutil_float(e, g, "supply_air_c", 0, 10.0, 40.0, &p->supply_air_c) ||
        cfgutil_float(e, g, "rack_delta_t_c", 0, 1.0, 40.0, &p->rack_delta_t_c) ||
        cfgutil_float(e, g, "evap_approach_c", 0, 0.0, 20.0, &p->evap_approach_c) ||
        cfgutil_float(e, g, "fan_kw_per_kw", 0, 0.0, 1.0, &p->fan_kw_per_kw) ||
        cfgutil_float(e, g, "pump_kw_per_kw", 0, 0.0, 1.0, &p->pump_kw_per_kw) ||
        cfgutil_float(e, g, "chiller_carnot_fraction", 0, 0.05, 1.0, &p->chiller_carnot_fraction) ||
        cfgutil_float(e, g, "chiller_evap_c", 0, -10.0, 30.0, &p->chiller_evap_c) ||
        cfgutil_float(e, g, "chiller_cond_approach_c", 0, 0.0, 40.0, &p->chiller_cond_approach_c) ||
        cfgutil_float(e, g, "chiller_cop_max", 0, 1.0, 50.0, &p->chiller_cop_max) ||
        cfgutil_float(e, g, "ups_noload_frac", 0, 0.0, 0.5, &p->ups_noload_frac) ||
        cfgutil_float(e, g, "ups_prop_frac", 0, 0.0, 0.5, &p->ups_prop_frac) ||
        cfgutil_float(e, g, "ups_square_frac", 0, 0.0, 0.5, &p->ups_square_frac) ||
        cfgutil_float(e, g, "fixed_frac", 0, 0.0, 0.5, &p->fixed_frac) ||
        cfgutil_float(e, g, "liquid_kw_per_kw", 0, 0.0, 1.0, &p->liquid_kw_per_kw) ||
        cfgutil_float(e, g, "cycles_of_concentration", 0, 1.5, 50.0, &p->cycles_of_concentration))
        return -1;
    return 0;
}

static void economizer_eval(const facility_params *p, const facility_in *in, facility_out *out)
{
    double it = in->it_air_kw + in->it_liquid_kw, d = p->design_it_kw > 0 ? p->design_it_kw : 1.0;
    memset(out, 0, sizeof *out);
    out->losses_kw = p->ups_noload_frac * d + p->ups_prop_frac * it + p->ups_square_frac * it * it / d;
    out->fixed_kw = p->fixed_frac * d;
    double q = in->it_air_kw + out->losses_kw + out->fixed_kw; /* heat carried by air, kW */
    double ts = p->supply_air_c, dt = p->rack_delta_t_c, t = in->temp_c;
    double floor_c = fmax(ts, in->wet_bulb_c + p->evap_approach_c); /* coolest air evaporation reaches */
    double q_evap = 0.0, q_ch;
    if (p->economizer && (t < ts + dt || floor_c < ts + dt)) { /* outdoor air */
        q_evap = q * fmax(0.0, t - floor_c) / dt;
        q_ch = q * fmax(0.0, fmin(t, floor_c) - ts) / dt;
    } else { /* recirculate the return air */
        q_ch = q;
    }
    double chiller = q_ch > 0 ? q_ch / facility_chiller_cop(p, t) : 0.0;
    double fans = p->fan_kw_per_kw * q, pumps = p->pump_kw_per_kw * q_evap;
    double liquid = p->liquid_kw_per_kw * in->it_liquid_kw;
    out->cooling_kw = fans + pumps + chiller + liquid;
    out->facility_kw = it + out->cooling_kw + out->losses_kw + out->fixed_kw;
    double c = p->cycles_of_concentration;
    out->water_l_per_h = q_evap * 3600.0 / LATENT_HEAT_KJ_PER_KG * c / (c - 1.0);
    out->mode = q_ch == 0 ? (q_evap == 0 ? 0 : 1) : (q_evap > 0 ? 2 : 3);
}

const facility_type facility_types[] = {
    {"constant", constant_load, constant_eval, 0},
    {"table", table_load, table_eval, 1},
    {"economizer", economizer_load, economizer_eval, 1},
};
const char *const facility_names[] = {"constant", "table", "economizer", NULL};
