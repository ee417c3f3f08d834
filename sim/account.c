/* account.c - per-step accounting of energy, carbon, water and cost (see account.h). */
#include "account.h"

#include "../grid/timeutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const sink_var account_site_vars[SV_COUNT] = {
    {"it_power_kw", "kW", "mean IT power of the site's nodes over the step"},
    {"facility_power_kw", "kW", "mean facility power (IT + cooling + losses) over the step"},
    {"pue", "1", "power usage effectiveness: facility / IT energy of the step"},
    {"carbon_intensity_g_per_kwh", "g/kWh", "average (location-based) grid carbon intensity of the step, gCO2e/kWh"},
    {"energy_kwh", "kWh", "facility energy drawn from the grid in the step"},
    {"it_energy_kwh", "kWh", "IT energy of the site's nodes in the step"},
    {"emissions_kg", "kg", "location-based emissions of the step, kg CO2e"},
    {"water_l", "L", "water used in the step (WUE x IT energy)"},
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
        a->sites[i].intensity = step_intensity(a, i, 0);
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
        for (int i = 0; i < a->s->nsites; i++)
            trace_free(&a->sites[i].tr);
    free(a->sites);
    free(a->site_vals);
    free(a->pool_vals);
    memset(a, 0, sizeof *a);
}

int account_close_step(account *a, pool_state *pools, double t_end, char *err, size_t errlen)
{
    const scenario *s = a->s;
    double dt = t_end - a->step_t0;
    for (int i = 0; i < s->nsites; i++) {
        const scn_site *st = &s->sites[i];
        if (st->trace_path && s->drain &&
            !trace_covers(&a->sites[i].tr, s->start_epoch, s->start_epoch + (int64_t)ceil(t_end))) {
            snprintf(err, errlen, "%s: the grid trace of site %s ends before the run does (%g days in)",
                     st->trace_path, st->name, t_end / 86400.0);
            return -1;
        }
        double it_j = 0, busy_ns = 0, on_ns = 0, node_h_cost = 0;
        for (int k = st->first_pool; k < st->first_pool + st->npools; k++) {
            pool_state *p = &pools[k];
            fleet_advance(p, t_end);
            double *pv = &a->pool_vals[(size_t)k * PV_COUNT];
            pv[PV_POWER_KW] = dt > 0 ? p->step_energy_j / dt / 1e3 : NAN;
            pv[PV_BUSY_NODES] = dt > 0 ? p->step_busy_node_s / dt : NAN;
            pv[PV_NODES_ON] = dt > 0 ? p->step_on_node_s / dt : NAN;
            it_j += p->step_energy_j;
            busy_ns += p->step_busy_node_s;
            on_ns += p->step_on_node_s;
            node_h_cost += p->step_on_node_s / 3600.0 * p->price_usd_per_h;
            fleet_close_step(p);
        }
        const facility_type *ft = &facility_types[st->facility_model];
        double it_kwh = it_j / 3.6e6;
        double it_kw = dt > 0 ? it_j / dt / 1e3 : 0;
        double fac_kw = ft->power_kw(&st->fac, it_kw);
        double fac_kwh = fac_kw * dt / 3600.0;
        double I = a->sites[i].intensity;
        double em_kg = fac_kwh * I / 1000.0;
        double water = ft->water_l(&st->fac, it_kwh);
        double cost = node_h_cost + fac_kwh * st->energy_price_usd_per_kwh;
        double *sv = &a->site_vals[(size_t)i * SV_COUNT];
        sv[SV_IT_POWER_KW] = dt > 0 ? it_kw : NAN;
        sv[SV_FACILITY_POWER_KW] = dt > 0 ? fac_kw : NAN;
        sv[SV_PUE] = it_kwh > 0 ? fac_kwh / it_kwh : NAN;
        sv[SV_INTENSITY] = I;
        sv[SV_ENERGY_KWH] = fac_kwh;
        sv[SV_IT_ENERGY_KWH] = it_kwh;
        sv[SV_EMISSIONS_KG] = em_kg;
        sv[SV_WATER_L] = water;
        sv[SV_COST_USD] = cost;
        sv[SV_UTILIZATION] = on_ns > 0 ? busy_ns / on_ns : NAN;
        a->it_kwh += it_kwh;
        a->facility_kwh += fac_kwh;
        a->emissions_kg += em_kg;
        a->water_l += water;
        a->cost_usd += cost;
        /* move on to the next step */
        a->sites[i].ci_step0 += I * dt;
    }
    a->step_t0 = t_end;
    a->steps++;
    for (int i = 0; i < s->nsites; i++) /* clamped past a trace's end: checked at the next close */
        a->sites[i].intensity = step_intensity(a, i, t_end);
    return 0;
}
