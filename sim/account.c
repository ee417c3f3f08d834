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
    {"marginal_intensity_g_per_kwh", "g/kWh", "marginal grid carbon intensity of the step, gCO2e/kWh (NaN if unknown)"},
    {"energy_kwh", "kWh", "energy drawn from the grid in the step (facility + battery charge - discharge)"},
    {"facility_energy_kwh", "kWh", "facility energy of the step (IT + cooling + losses + fixed)"},
    {"it_energy_kwh", "kWh", "IT energy of the site's nodes in the step"},
    {"emissions_kg", "kg", "location-based emissions of the step, kg CO2e"},
    {"emissions_location_kg", "kg", "location-based emissions of the step (energy x average intensity), kg CO2e"},
    {"emissions_marginal_kg", "kg", "energy x marginal intensity, kg CO2e (NaN if unknown)"},
    {"emissions_market_kg", "kg", "market-based emissions of the step (GHG Protocol Scope 2), kg CO2e"},
    {"emissions_new_demand_kg", "kg", "energy x emission factor of added demand (fossil-share model), kg CO2e (NaN if not set)"},
    {"cfe_fraction", "1", "share of the step's energy met by carbon-free supply in the same step"},
    {"ppa_kwh", "kWh", "generation of the site's power purchase agreements in the step"},
    {"battery_state_mwh", "MWh", "energy stored in the site's battery at the end of the step"},
    {"battery_power_kw", "kW", "battery flow at its terminals: + charging, - discharging"},
    {"price_usd_per_mwh", "USD/MWh", "grid energy price of the step"},
    {"water_l", "L", "water used in the step, on-site plus off-site"},
    {"water_onsite_l", "L", "water evaporated and bled on site in the step"},
    {"water_offsite_l", "L", "water consumed to generate the step's grid energy"},
    {"outdoor_temp_c", "degC", "outdoor dry-bulb temperature of the step (NaN without weather)"},
    {"wet_bulb_c", "degC", "outdoor wet-bulb temperature of the step (NaN without weather)"},
    {"cost_usd", "USD", "cost of the step: node-hours powered on x price + grid energy x energy price"},
    {"embodied_kg", "kg", "embodied (manufacturing) emissions of the site's nodes amortised over the step, kg CO2e"},
    {"utilization", "1", "busy node-seconds / powered-on node-seconds over the step"},
};
const sink_var account_pool_vars[PV_COUNT] = {
    {"power_kw", "kW", "mean power of the pool's nodes over the step"},
    {"busy_nodes", "1", "time-mean number of nodes running a job over the step"},
    {"nodes_on", "1", "time-mean number of nodes powered on over the step"},
    {"queue_length", "1", "time-mean number of jobs waiting at the pool over the step"},
};

/* Average intensity of site i for the hour containing epoch second e. */
static double hour_intensity(const account *a, int i, int64_t e)
{
    const site_state *ss = &a->sites[i];
    if (ss->sg) {
        synthgrid_hour gh;
        synthgrid_dispatch(ss->sg, synthgrid_index(ss->sg, e), 0.0, &gh);
        return gh.avg_g_per_kwh;
    }
    return ss->avg ? trace_at(ss->avg, e) : a->s->sites[i].intensity_g_per_kwh;
}

double account_hour_intensity(const account *a, int site, int64_t epoch) { return hour_intensity(a, site, epoch); }

/* Sets the grid figures of the step starting at t (s since start) for site i. */
static void step_grid(account *a, int i, double t)
{
    const scn_site *st = &a->s->sites[i];
    site_state *ss = &a->sites[i];
    int64_t e = a->s->start_epoch + (int64_t)t;
    ss->price_usd_per_mwh = ss->price ? trace_at(ss->price, e) : st->energy_price_usd_per_kwh * 1000.0;
    if (ss->sg) { /* the region alone; a consequential site is re-dispatched at the step's close */
        synthgrid_hour gh;
        synthgrid_dispatch(ss->sg, synthgrid_index(ss->sg, e), 0.0, &gh);
        ss->intensity = gh.avg_g_per_kwh;
        ss->marginal = gh.marginal_g_per_kwh;
        ss->cfe = gh.low_carbon_frac;
        /* off-site water from the mix, unless the scenario gives a figure */
        ss->water_l_per_kwh = st->offsite_water_l_per_kwh >= 0 ? st->offsite_water_l_per_kwh : gh.water_l_per_kwh;
        return;
    }
    ss->water_l_per_kwh = st->offsite_water_l_per_kwh >= 0 ? st->offsite_water_l_per_kwh : 0.0;
    ss->intensity = hour_intensity(a, i, e);
    ss->marginal = ss->marg ? trace_at(ss->marg, e) : st->marginal_g_per_kwh >= 0 ? st->marginal_g_per_kwh : NAN;
    if (ss->avg && ss->avg->low_carbon) {
        int64_t k = e >= ss->avg->t0 ? (e - ss->avg->t0) / 3600 : 0;
        ss->cfe = ss->avg->low_carbon[k < (int64_t)ss->avg->n ? k : (int64_t)ss->avg->n - 1];
    } else {
        ss->cfe = st->grid_cfe_fraction >= 0 ? st->grid_cfe_fraction : 0.0;
    }
}

/* The shared trace for (path, options), reading it on first use. Returns
 * NULL with a message naming where the scenario set it. */
static const trace *get_trace(account *a, const scn_file *f, int format, int column, const char *unit, int quantity,
                              int policy, const char *what, const char *site, char *err, size_t errlen)
{
    char key[4200];
    snprintf(key, sizeof key, "%s|%d|%d|%s|%d|%d", f->path, format, column, unit ? unit : "", quantity, policy);
    for (int k = 0; k < a->ntraces; k++)
        if (!strcmp(a->traces[k].key, key))
            return &a->traces[k].tr;
    account_trace *at = &a->traces[a->ntraces];
    const scenario *s = a->s;
    trace_opts o = {format, quantity, column, unit && unit[0] ? unit : NULL, policy, s->start_epoch,
                    s->drain ? s->start_epoch : s->start_epoch + (int64_t)ceil(s->duration_s)};
    char notice[512];
    if (trace_read(f->path, &o, &at->tr, notice, sizeof notice, err, errlen)) {
        size_t used = strlen(err);
        snprintf(err + used, errlen - used, " (%s of site %s, set at %s)", what, site, f->where);
        return NULL;
    }
    if (notice[0]) { /* a policy filled hours: say so, never silently */
        size_t used = strlen(a->notice);
        snprintf(a->notice + used, sizeof a->notice - used, "%s%s of site %s: %s", used ? "\n" : "", what, site, notice);
    }
    snprintf(at->key, sizeof at->key, "%s", key);
    a->ntraces++;
    return &at->tr;
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
/* The PUE and water per IT kWh of the first step, from the facility at the
 * fleet's idle power (the attribution of the first step needs them before it
 * closes). */
static double initial_pue(const account *a, int i, double *water_per_it)
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
    double pue = it > 0 ? out.facility_kw / it : 1.0;
    *water_per_it = it > 0 ? out.water_l_per_h / it + pue * a->sites[i].water_l_per_kwh : 0.0;
    return pue;
}

int account_init(account *a, const scenario *s, char *err, size_t errlen)
{
    memset(a, 0, sizeof *a);
    a->s = s;
    int maxtr = 0;
    for (int i = 0; i < s->nsites; i++)
        maxtr += 3 + s->sites[i].nppa;
    a->sites = calloc((size_t)s->nsites, sizeof *a->sites);
    a->traces = calloc((size_t)maxtr, sizeof *a->traces);
    a->site_vals = calloc((size_t)s->nsites * SV_COUNT, sizeof *a->site_vals);
    a->pool_vals = calloc((size_t)s->npools * PV_COUNT, sizeof *a->pool_vals);
    if (!a->sites || !a->traces || !a->site_vals || !a->pool_vals) {
        snprintf(err, errlen, "out of memory");
        goto err;
    }
    a->marginal_known = 1;
    for (int i = 0; i < s->nsites; i++) {
        const scn_site *st = &s->sites[i];
        site_state *ss = &a->sites[i];
        ss->plan_day = -1;
        if (st->trace.path &&
            !(ss->avg = get_trace(a, &st->trace, st->trace_format, st->trace_column, st->trace_unit, TRACE_INTENSITY,
                                  st->trace_policy, "grid trace", st->name, err, errlen)))
            goto err;
        if (st->marginal_trace.path &&
            !(ss->marg = get_trace(a, &st->marginal_trace, TRACE_PLAIN, 0, NULL, TRACE_INTENSITY, st->trace_policy,
                                   "marginal trace", st->name, err, errlen)))
            goto err;
        if (st->price_trace.path &&
            !(ss->price = get_trace(a, &st->price_trace, TRACE_PLAIN, 0, NULL, TRACE_PRICE, st->trace_policy,
                                    "price trace", st->name, err, errlen)))
            goto err;
        int64_t from = s->start_epoch, to = s->start_epoch + (int64_t)ceil(s->duration_s);
        if (st->synthetic) {
            char name[SCN_NAME_MAX + 16], why[600];
            snprintf(name, sizeof name, "grid/%s", st->name);
            if (s->drain) {
                snprintf(err, errlen, "%s: a synthetic grid needs a finite duration, not \"drain\"", s->path);
                goto err;
            }
            if (!(ss->sg = synthgrid_alloc(&st->synth, rng_stream_seed(s->seed, name), from, to, why, sizeof why))) {
                snprintf(err, errlen, "%s: synthetic grid of site %s: %s", s->path, st->name, why);
                goto err;
            }
        }
        for (int k = 0; k < st->nppa; k++) {
            char what[SCN_NAME_MAX + 16];
            snprintf(what, sizeof what, "PPA %s profile", st->ppa[k].name);
            if (!st->ppa[k].profile.path) { /* from the synthetic grid's weather, its own draw */
                char name[2 * SCN_NAME_MAX + 16], why[600];
                trace *t = &ss->ppa_own[k];
                snprintf(name, sizeof name, "ppa/%s/%s", st->name, st->ppa[k].name);
                if (synthgrid_profile(st->ppa[k].source, &st->synth, rng_stream_seed(s->seed, name), from, to, &t->v,
                                      &t->n, why, sizeof why)) {
                    snprintf(err, errlen, "%s: PPA %s of site %s: %s", s->path, st->ppa[k].name, st->name, why);
                    goto err;
                }
                t->t0 = from - from % 3600;
                t->dt_s = 3600.0;
                ss->ppa[k] = t;
                continue;
            }
            if (!(ss->ppa[k] = get_trace(a, &st->ppa[k].profile, TRACE_PLAIN, 0, NULL, TRACE_FRACTION,
                                         st->trace_policy, what, st->name, err, errlen)))
                goto err;
        }
        a->marginal_known &= ss->marg || st->marginal_g_per_kwh >= 0 || st->synthetic;
        a->new_demand_any |= st->has_new_demand;
        if (load_site_weather(a, i, err, errlen))
            goto err;
        step_grid(a, i, 0);
        ss->pue = initial_pue(a, i, &ss->water_per_it);
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
            weather_free(&a->sites[i].wx);
            synthgrid_free(a->sites[i].sg);
            for (int k = 0; k < SCN_MAX_PPA; k++)
                trace_free(&a->sites[i].ppa_own[k]);
        }
    if (a->traces)
        for (int k = 0; k < a->ntraces; k++)
            trace_free(&a->traces[k].tr);
    free(a->traces);
    free(a->sites);
    free(a->site_vals);
    free(a->pool_vals);
    memset(a, 0, sizeof *a);
}

double account_market_annual_kg(const account *a)
{
    double kg = 0;
    for (int i = 0; i < a->s->nsites; i++) {
        const scn_site *st = &a->s->sites[i];
        kg += st->has_contracts ? market_annual_kg(&st->market, &a->sites[i].mk) : a->sites[i].market_kg;
    }
    return kg;
}

/* Plans site i's battery for the UTC day containing epoch second e. */
static void plan_battery(account *a, int i, int64_t e)
{
    site_state *ss = &a->sites[i];
    int64_t day = e >= 0 ? e / 86400 : (e - 86399) / 86400;
    if (day == ss->plan_day)
        return;
    ss->plan_day = day;
    const scenario *s = a->s;
    double I[24];
    for (int h = 0; h < 24; h++) {
        int64_t he = day * 86400 + h * 3600;
        double t = (double)(he - s->start_epoch);
        I[h] = t >= 0 && t < s->duration_s ? hour_intensity(a, i, he) : NAN;
    }
    battery_plan(&s->sites[i].battery, I, ss->bat.plan);
}

int account_close_step(account *a, pool_state *pools, double t_end, char *err, size_t errlen)
{
    const scenario *s = a->s;
    double dt = t_end - a->step_t0, h = dt / 3600.0;
    int64_t e0 = s->start_epoch + (int64_t)a->step_t0;
    for (int i = 0; i < s->nsites; i++) {
        const scn_site *st = &s->sites[i];
        site_state *ss = &a->sites[i];
        if (s->drain && ss->avg && !trace_covers(ss->avg, s->start_epoch, s->start_epoch + (int64_t)ceil(t_end))) {
            snprintf(err, errlen, "%s: the grid trace of site %s ends before the run does (%g days in)", st->trace.path,
                     st->name, t_end / 86400.0);
            return -1;
        }
        double air_j = 0, liquid_j = 0, busy_ns = 0, on_ns = 0, node_h_cost = 0, emb_kg = 0;
        for (int k = st->first_pool; k < st->first_pool + st->npools; k++) {
            pool_state *p = &pools[k];
            fleet_advance(p, t_end);
            double *pv = &a->pool_vals[(size_t)k * PV_COUNT];
            pv[PV_POWER_KW] = dt > 0 ? p->step_energy_j / dt / 1e3 : NAN;
            pv[PV_BUSY_NODES] = dt > 0 ? p->step_busy_node_s / dt : NAN;
            pv[PV_NODES_ON] = dt > 0 ? p->step_on_node_s / dt : NAN;
            pv[PV_QUEUE_LENGTH] = dt > 0 ? p->step_queued_s / dt : NAN;
            if (s->pools[k].liquid_cooled)
                liquid_j += p->step_energy_j;
            else
                air_j += p->step_energy_j;
            busy_ns += p->step_busy_node_s;
            on_ns += p->step_on_node_s;
            node_h_cost += p->step_on_node_s / 3600.0 * p->price_usd_per_h;
            emb_kg += (double)p->count * dt * p->embodied_kg_per_node_s;
            fleet_close_step(p);
        }
        /* the facility at the step's mean IT power and its weather */
        facility_in in = {.it_air_kw = dt > 0 ? air_j / dt / 1e3 : 0, .it_liquid_kw = dt > 0 ? liquid_j / dt / 1e3 : 0};
        step_weather(a, i, a->step_t0, &in);
        facility_out out;
        facility_types[st->facility_model].eval(&st->fac, &in, &out);
        double it_kw = in.it_air_kw + in.it_liquid_kw;
        double it_kwh = it_kw * h, fac_kwh = out.facility_kw * h;
        /* storage between the facility and the grid */
        double grid_kw = out.facility_kw, ch = 0, dis = 0;
        if (st->has_battery) {
            plan_battery(a, i, e0);
            int hour = (int)(((e0 % 86400) + 86400) % 86400 / 3600);
            double soc0 = ss->bat.soc_kwh;
            grid_kw = battery_step(&st->battery, &ss->bat, ss->bat.plan[hour], out.facility_kw, dt, &ch, &dis);
            ss->charged_kwh += ch * h;
            ss->discharged_kwh += dis * h;
            /* the battery's losses in the step count as facility energy */
            fac_kwh += ch * h - dis * h - (ss->bat.soc_kwh - soc0);
        }
        double grid_kwh = grid_kw * h;
        if (ss->sg && st->consequential) { /* the site's load joins the region's demand */
            size_t hh = synthgrid_index(ss->sg, e0);
            synthgrid_hour gh;
            synthgrid_dispatch(ss->sg, hh, grid_kw / 1e3, &gh);
            ss->intensity = gh.avg_g_per_kwh;
            ss->cfe = gh.low_carbon_frac;
            ss->marginal = synthgrid_added_g_per_kwh(ss->sg, hh, grid_kw / 1e3); /* dispatch difference */
            if (st->offsite_water_l_per_kwh < 0)
                ss->water_l_per_kwh = gh.water_l_per_kwh;
        }
        double I = ss->intensity, M = ss->marginal;
        double em_kg = grid_kwh * I / 1000.0;
        /* contracts: PPA generation of the step, market-based emissions, CFE */
        double ppa_kwh = 0;
        for (int k = 0; k < st->nppa; k++)
            ppa_kwh += trace_at(ss->ppa[k], e0) * st->ppa[k].mw * 1e3 * h;
        market_step ms;
        if (st->has_contracts) {
            market_account(&st->market, &ss->mk, dt, grid_kwh, ppa_kwh, ss->cfe, &ms);
        } else { /* no instruments: the market-based figure falls back to the average intensity */
            ms.emissions_kg = em_kg;
            ms.cfe_kwh = ss->cfe * grid_kwh;
        }
        double w_on = out.water_l_per_h * h, w_off = grid_kwh * ss->water_l_per_kwh;
        double cost = node_h_cost + grid_kwh * ss->price_usd_per_mwh / 1000.0;
        double *sv = &a->site_vals[(size_t)i * SV_COUNT];
        sv[SV_IT_POWER_KW] = dt > 0 ? it_kw : NAN;
        sv[SV_FACILITY_POWER_KW] = dt > 0 ? out.facility_kw : NAN;
        sv[SV_COOLING_POWER_KW] = dt > 0 ? out.cooling_kw : NAN;
        sv[SV_PUE] = it_kwh > 0 ? fac_kwh / it_kwh : NAN;
        sv[SV_INTENSITY] = I;
        sv[SV_MARGINAL_INTENSITY] = M;
        sv[SV_ENERGY_KWH] = grid_kwh;
        sv[SV_FACILITY_ENERGY_KWH] = fac_kwh;
        sv[SV_IT_ENERGY_KWH] = it_kwh;
        sv[SV_EMISSIONS_KG] = em_kg;
        sv[SV_EMISSIONS_LOCATION_KG] = em_kg;
        sv[SV_EMISSIONS_MARGINAL_KG] = grid_kwh * M / 1000.0;
        sv[SV_EMISSIONS_MARKET_KG] = ms.emissions_kg;
        double nd_kg = st->has_new_demand ? newdemand_emissions_kg(&st->new_demand, grid_kwh) : NAN;
        sv[SV_EMISSIONS_NEW_DEMAND_KG] = nd_kg;
        if (st->has_new_demand)
            a->emissions_new_demand_kg += nd_kg;
        sv[SV_CFE_FRACTION] = grid_kwh > 0 ? ms.cfe_kwh / grid_kwh : NAN;
        sv[SV_PPA_KWH] = ppa_kwh;
        sv[SV_BATTERY_STATE_MWH] = st->has_battery ? ss->bat.soc_kwh / 1e3 : 0.0;
        sv[SV_BATTERY_POWER_KW] = ch - dis;
        sv[SV_PRICE_USD_PER_MWH] = ss->price_usd_per_mwh;
        sv[SV_WATER_L] = w_on + w_off;
        sv[SV_WATER_ONSITE_L] = w_on;
        sv[SV_WATER_OFFSITE_L] = w_off;
        sv[SV_OUTDOOR_TEMP_C] = in.temp_c;
        sv[SV_WET_BULB_C] = in.wet_bulb_c;
        sv[SV_COST_USD] = cost;
        sv[SV_EMBODIED_KG] = emb_kg;
        sv[SV_UTILIZATION] = on_ns > 0 ? busy_ns / on_ns : NAN;
        a->it_kwh += it_kwh;
        a->facility_kwh += fac_kwh;
        a->grid_kwh += grid_kwh;
        a->cooling_kwh += out.cooling_kw * h;
        a->emissions_kg += em_kg;
        if (!isnan(M))
            a->emissions_marginal_kg += grid_kwh * M / 1000.0;
        a->emissions_market_kg += ms.emissions_kg;
        ss->market_kg += ms.emissions_kg;
        a->cfe_kwh += ms.cfe_kwh;
        a->ppa_kwh += ppa_kwh;
        a->water_onsite_l += w_on;
        a->water_offsite_l += w_off;
        a->cost_usd += cost;
        a->embodied_kg += emb_kg;
        /* job attribution moves on with the PUE just used; the step's own
         * PUE attributes the next step */
        ss->cip_step0 += I * ss->pue * dt;
        ss->pi_step0 += ss->pue * dt;
        ss->wi_step0 += ss->water_per_it * dt;
        ss->ppi_step0 += ss->price_usd_per_mwh / 1000.0 * ss->pue * dt;
        if (it_kwh > 0) {
            ss->pue = fac_kwh / it_kwh;
            ss->water_per_it = (w_on + w_off) / it_kwh;
        }
    }
    a->step_t0 = t_end;
    a->steps++;
    for (int i = 0; i < s->nsites; i++) /* clamped past a trace's end: checked at the next close */
        step_grid(a, i, t_end);
    return 0;
}
