/* account.c - per-step accounting of energy, carbon, water and cost (see account.h). */
#include "account.h"

#include "../grid/timeutil.h"
#include "../grid/weather.h"
#include "rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const sink_var account_site_vars[SV_COUNT] = {
    {"it_power_kw", "kW", "mean IT power of the site's nodes over the step"},
    {"facility_power_kw", "kW", "mean facility power (IT + cooling + losses + fixed) over the step"},
    {"cooling_power_kw", "kW", "mean power of fans, pumps, chillers and liquid loops over the step"},
    {"pue", "1", "power usage effectiveness: facility / IT energy of the step"},
    {"carbon_intensity_g_per_kwh", "g/kWh", "average (location-based) grid carbon intensity of the step, gCO2e/kWh"},
    {"energy_kwh", "kWh", "facility energy drawn from the grid in the step"},
    {"it_energy_kwh", "kWh", "IT energy of the site's nodes in the step"},
    {"emissions_kg", "kg", "location-based emissions of the step, kg CO2e"},
    {"water_l", "L", "water used in the step, on-site plus off-site"},
    {"water_onsite_l", "L", "water evaporated and bled on site in the step"},
    {"water_offsite_l", "L", "water consumed to generate the step's grid energy"},
    {"outdoor_temp_c", "degC", "outdoor dry-bulb temperature of the step (NaN without weather)"},
    {"wet_bulb_c", "degC", "outdoor wet-bulb temperature of the step (NaN without weather)"},
    {"cost_usd", "USD", "cost of the step: node-hours powered on x price + energy x energy price"},
    {"utilization", "1", "busy node-seconds / powered-on node-seconds over the step"},
};
const sink_var account_pool_vars[PV_COUNT] = {
    {"power_kw", "kW", "mean power of the pool's nodes over the step"},
    {"busy_nodes", "1", "time-mean number of nodes running a job over the step"},
    {"nodes_on", "1", "time-mean number of nodes powered on over the step"},
};

/* Intensity of the step starting at t (s since start) for site i. */
static double step_intensity(const account *a, int i, double t)
{
    const scn_site *st = &a->s->sites[i];
    if (!st->trace_path)
        return st->intensity_g_per_kwh;
    return trace_at(&a->sites[i].tr, a->s->start_epoch + (int64_t)t);
}

/* Outdoor conditions of site i for the step starting at t. */
static void step_weather(const account *a, int i, double t, facility_in *in)
{
    const scn_site *st = &a->s->sites[i];
    if (st->weather == WEATHER_NONE) {
        in->temp_c = in->rh_pct = in->wet_bulb_c = NAN;
        return;
    }
    if (st->weather == WEATHER_CONSTANT) {
        in->temp_c = st->temp_c;
        in->rh_pct = st->rh_pct;
    } else {
        int64_t e = a->s->start_epoch + (int64_t)t;
        in->temp_c = weather_temp_at(&a->sites[i].wx, e);
        in->rh_pct = weather_rh_at(&a->sites[i].wx, e);
    }
    if (t >= st->heat_wave_start_s && t < st->heat_wave_end_s) {
        /* warmer air with the same water vapour pressure e = RH es(T): the
         * relative humidity falls as es rises (Magnus formula, WMO-No. 8,
         * 2008, annex 4.B: es = 6.112 exp(17.62 T / (243.12 + T)) hPa) */
        double t1 = in->temp_c + st->heat_wave_delta_c;
        double es0 = exp(17.62 * in->temp_c / (243.12 + in->temp_c)), es1 = exp(17.62 * t1 / (243.12 + t1));
        in->temp_c = t1;
        in->rh_pct = fmin(100.0, in->rh_pct * es0 / es1);
    }
    in->wet_bulb_c = weather_wet_bulb_c(in->temp_c, in->rh_pct);
}

/* Reads or synthesises site i's weather over the simulated period. */
static int load_site_weather(account *a, int i, char *err, size_t errlen)
{
    const scenario *s = a->s;
    const scn_site *st = &s->sites[i];
    int64_t from = s->start_epoch, to = s->start_epoch + (int64_t)ceil(s->duration_s);
    char why[1024], notice[512] = "";
    if (st->weather == WEATHER_FILE) {
        if (weather_read(st->weather_path, st->weather_format, st->weather_policy, from, to, &a->sites[i].wx, notice,
                         sizeof notice, why, sizeof why)) {
            snprintf(err, errlen, "%s (weather of site %s, set at %s)", why, st->name, st->weather_where);
            return -1;
        }
        if (notice[0]) { /* a policy filled hours: say so, never silently */
            size_t used = strlen(a->notice);
            snprintf(a->notice + used, sizeof a->notice - used, "%sweather of site %s: %s", used ? "\n" : "",
                     st->name, notice);
        }
    } else if (st->weather == WEATHER_SYNTHETIC) {
        char name[SCN_NAME_MAX + 16];
        snprintf(name, sizeof name, "weather/%s", st->name);
        if (weather_synth(&st->climate, rng_stream_seed(s->seed, name), from, to, &a->sites[i].wx, why, sizeof why)) {
            snprintf(err, errlen, "%s: %s (weather of site %s)", st->weather_where, why, st->name);
            return -1;
        }
    }
    return 0;
}

/* PUE of site i with every node idle at t = 0: the first step's attribution. */
static double initial_pue(const account *a, int i)
{
    const scenario *s = a->s;
    const scn_site *st = &s->sites[i];
    facility_in in = {0};
    for (int k = st->first_pool; k < st->first_pool + st->npools; k++) {
        const scn_pool *p = &s->pools[k];
        const node_type *t = &s->cat.types[p->type];
        double kw = ((double)p->on * t->idle_w + (double)(p->count - p->on) * t->off_w) / 1e3;
        if (p->liquid_cooled)
            in.it_liquid_kw += kw;
        else
            in.it_air_kw += kw;
    }
    step_weather(a, i, 0, &in);
    facility_out out;
    facility_types[st->facility_model].eval(&st->fac, &in, &out);
    double it = in.it_air_kw + in.it_liquid_kw;
    return it > 0 ? out.facility_kw / it : 1.0;
}

int account_init(account *a, const scenario *s, char *err, size_t errlen)
{
    memset(a, 0, sizeof *a);
    a->s = s;
    a->sites = calloc((size_t)s->nsites, sizeof *a->sites);
    a->site_vals = calloc((size_t)s->nsites * SV_COUNT, sizeof *a->site_vals);
    a->pool_vals = calloc((size_t)s->npools * PV_COUNT, sizeof *a->pool_vals);
    if (!a->sites || !a->site_vals || !a->pool_vals) {
        snprintf(err, errlen, "out of memory");
        goto err;
    }
    static const trace_limits lim = {0.0, 2000.0, "carbon intensity (g/kWh)"};
    for (int i = 0; i < s->nsites; i++) {
        const scn_site *st = &s->sites[i];
        if (st->trace_path) {
            if (trace_read_csv(st->trace_path, &lim, &a->sites[i].tr, err, errlen)) {
                size_t used = strlen(err);
                snprintf(err + used, errlen - used, " (grid trace of site %s, set at %s)", st->name, st->trace_where);
                goto err;
            }
            int64_t end = s->start_epoch + (int64_t)ceil(s->duration_s);
            if (!s->drain && !trace_covers(&a->sites[i].tr, s->start_epoch, end)) {
                char t0[32], t1[32], r0[32], r1[32];
                const trace *tr = &a->sites[i].tr;
                timeutil_format_iso(tr->t0, t0, sizeof t0);
                timeutil_format_iso(tr->t0 + (int64_t)tr->n * 3600, t1, sizeof t1);
                timeutil_format_iso(s->start_epoch, r0, sizeof r0);
                timeutil_format_iso(end, r1, sizeof r1);
                snprintf(err, errlen, "%s: covers %s to %s, but site %s is simulated from %s to %s (set at %s)",
                         st->trace_path, t0, t1, st->name, r0, r1, st->trace_where);
                goto err;
            }
        }
        if (load_site_weather(a, i, err, errlen))
            goto err;
        a->sites[i].intensity = step_intensity(a, i, 0);
        a->sites[i].pue = initial_pue(a, i);
    }
    return 0;
err:
    account_free(a);
    return -1;
}

void account_free(account *a)
{
    if (!a)
        return;
    if (a->sites)
        for (int i = 0; i < a->s->nsites; i++) {
            trace_free(&a->sites[i].tr);
            weather_free(&a->sites[i].wx);
        }
    free(a->sites);
    free(a->site_vals);
    free(a->pool_vals);
    memset(a, 0, sizeof *a);
}

int account_close_step(account *a, pool_state *pools, double t_end, char *err, size_t errlen)
{
    const scenario *s = a->s;
    double dt = t_end - a->step_t0, h = dt / 3600.0;
    for (int i = 0; i < s->nsites; i++) {
        const scn_site *st = &s->sites[i];
        site_state *ss = &a->sites[i];
        if (st->trace_path && s->drain && !trace_covers(&ss->tr, s->start_epoch, s->start_epoch + (int64_t)ceil(t_end))) {
            snprintf(err, errlen, "%s: the grid trace of site %s ends before the run does (%g days in)",
                     st->trace_path, st->name, t_end / 86400.0);
            return -1;
        }
        double air_j = 0, liquid_j = 0, busy_ns = 0, on_ns = 0, node_h_cost = 0;
        for (int k = st->first_pool; k < st->first_pool + st->npools; k++) {
            pool_state *p = &pools[k];
            fleet_advance(p, t_end);
            double *pv = &a->pool_vals[(size_t)k * PV_COUNT];
            pv[PV_POWER_KW] = dt > 0 ? p->step_energy_j / dt / 1e3 : NAN;
            pv[PV_BUSY_NODES] = dt > 0 ? p->step_busy_node_s / dt : NAN;
            pv[PV_NODES_ON] = dt > 0 ? p->step_on_node_s / dt : NAN;
            if (s->pools[k].liquid_cooled)
                liquid_j += p->step_energy_j;
            else
                air_j += p->step_energy_j;
            busy_ns += p->step_busy_node_s;
            on_ns += p->step_on_node_s;
            node_h_cost += p->step_on_node_s / 3600.0 * p->price_usd_per_h;
            fleet_close_step(p);
        }
        /* the facility at the step's mean IT power and its weather */
        facility_in in = {.it_air_kw = dt > 0 ? air_j / dt / 1e3 : 0, .it_liquid_kw = dt > 0 ? liquid_j / dt / 1e3 : 0};
        step_weather(a, i, a->step_t0, &in);
        facility_out out;
        facility_types[st->facility_model].eval(&st->fac, &in, &out);
        double it_kw = in.it_air_kw + in.it_liquid_kw;
        double it_kwh = it_kw * h, fac_kwh = out.facility_kw * h;
        double I = ss->intensity;
        double em_kg = fac_kwh * I / 1000.0;
        double w_on = out.water_l_per_h * h, w_off = fac_kwh * st->offsite_water_l_per_kwh;
        double cost = node_h_cost + fac_kwh * st->energy_price_usd_per_kwh;
        double *sv = &a->site_vals[(size_t)i * SV_COUNT];
        sv[SV_IT_POWER_KW] = dt > 0 ? it_kw : NAN;
        sv[SV_FACILITY_POWER_KW] = dt > 0 ? out.facility_kw : NAN;
        sv[SV_COOLING_POWER_KW] = dt > 0 ? out.cooling_kw : NAN;
        sv[SV_PUE] = it_kwh > 0 ? fac_kwh / it_kwh : NAN;
        sv[SV_INTENSITY] = I;
        sv[SV_ENERGY_KWH] = fac_kwh;
        sv[SV_IT_ENERGY_KWH] = it_kwh;
        sv[SV_EMISSIONS_KG] = em_kg;
        sv[SV_WATER_L] = w_on + w_off;
        sv[SV_WATER_ONSITE_L] = w_on;
        sv[SV_WATER_OFFSITE_L] = w_off;
        sv[SV_OUTDOOR_TEMP_C] = in.temp_c;
        sv[SV_WET_BULB_C] = in.wet_bulb_c;
        sv[SV_COST_USD] = cost;
        sv[SV_UTILIZATION] = on_ns > 0 ? busy_ns / on_ns : NAN;
        a->it_kwh += it_kwh;
        a->facility_kwh += fac_kwh;
        a->cooling_kwh += out.cooling_kw * h;
        a->emissions_kg += em_kg;
        a->water_onsite_l += w_on;
        a->water_offsite_l += w_off;
        a->cost_usd += cost;
        /* job attribution moves on with the PUE just used; the step's own
         * PUE attributes the next step */
        ss->cip_step0 += I * ss->pue * dt;
        ss->pi_step0 += ss->pue * dt;
        if (it_kwh > 0)
            ss->pue = fac_kwh / it_kwh;
    }
    a->step_t0 = t_end;
    a->steps++;
    for (int i = 0; i < s->nsites; i++) /* clamped past a trace's end: checked at the next close */
        a->sites[i].intensity = step_intensity(a, i, t_end);
    return 0;
}
