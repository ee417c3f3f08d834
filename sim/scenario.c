/* scenario.c - loading and validating scenario files (see scenario.h). */
#include "scenario.h"

#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../grid/series.h"
#include "../grid/trace.h"
#include "../grid/timeutil.h"

const char *const scn_kind_names[] = {"training", "inference", "generic", "aggregate", NULL};
const char *const scn_tput_names[] = {"given", "measured", "roofline", NULL};
const char *const scn_serve_mode_names[] = {"batch", "request", "fluid", NULL};
static const char *const dist_names[] = {"fixed", "exponential", NULL};

static const char *const top_keys[] = {"name",      "seed",      "start",     "duration", "step",
                                       "node_types", "models", "measured_throughput", "sites",     "workloads", "scheduler",
                                       "output",     "projection", NULL};
static const char *const site_keys[] = {"name", "facility", "weather", "grid", "contracts", "battery", "pools",
                                        "power_cap", NULL};
static const char *const cap_keys[] = {"kw", "from_hour_utc", "to_hour_utc", NULL};
static const char *const pool_keys[] = {"name", "node", "count", "on", "price_usd_per_h", "discount", "liquid_cooled",
                                        "policy", "power", NULL};
static const char *const wl_keys[] = {"name",           "kind",         "pool",       "node",
                                      "nodes",          "accelerators", "utilization", "arrival",
                                      "model",          "tokens",       "flops",      "accelerator_hours",
                                      "mfu",            "precision",    "service",    "rate",
                                      "tokens_per_request", "tokens_per_s_per_node", "batch_interval",
                                      "max_nodes",      "group",        "method",     "teacher",
                                      "vectors",        "dim",          "power_per_accelerator_w",
                                      "student",        "prompt_tokens", "output_tokens", "weight_bits",
                                      "kv_bits",        "sparsity",     "compile_factor", "max_batch",
                                      "compute_efficiency", "bandwidth_efficiency", "memory_fraction",
                                      "rag",            "throughput",   "load",       "priority",
                                      "slack",          "deadline",     "checkpointable", "checkpoint_overhead",
                                      "allowed_sites",  "home_site",    "serving",    NULL};
static const char *const arrival_keys[] = {"at",   "process", "rate_per_s", "mean_interval", "load",
                                           "every", "first",  "count",      "daily", "diurnal_amplitude",
                                           "peak_hour_utc", "weekly", "growth_per_year", "bursts", "trace",
                                           "format", "columns", "header", "skip_incomplete", "time_scale",
                                           NULL};
static const char *const service_keys[] = {"dist", "mean", NULL};
static const char *const rate_keys[] = {"mean_per_s", "diurnal_amplitude", "peak_hour_utc", NULL};
static const char *const sched_keys[] = {"policy", "placement", "backfill_depth", "carbon_policy", "forecast",
                                         "forecast_noise_sd", "suspend_above_g_per_kwh", "suspend_above_percentile",
                                         "baseline", NULL};
const char *const scn_baseline_names[] = {"none", "fifo", NULL};
static const char *const output_keys[] = {"file", "jobs", NULL};

static void scn_site_free(scn_site *st)
{
    free(st->trace.path);
    free(st->marginal_trace.path);
    free(st->price_trace.path);
    free(st->weather_path);
    for (int k = 0; k < st->nppa; k++)
        free(st->ppa[k].profile.path);
}

void scenario_free(scenario *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nsites; i++)
        scn_site_free(&s->sites[i]);
    free(s->sites);
    free(s->pools);
    for (int i = 0; s->workloads && i < s->nworkloads; i++) {
        jobtrace_free(s->workloads[i].trace);
        free(s->workloads[i].trace);
        free(s->workloads[i].allowed);
    }
    free(s->workloads);
    catalog_free(&s->cat);
    free(s->path);
    free(s->output_file);
    free(s->config_text);
    for (int k = 0; k < s->proj.ntrends; k++) {
        if (s->proj.trends[k].values)
            for (int y = 0; y < s->proj.nyears; y++)
                free(s->proj.trends[k].values[y]);
        free(s->proj.trends[k].values);
    }
    free(s->proj.trends);
    memset(s, 0, sizeof *s);
}

/* Reads a timestamp setting into seconds since the epoch. */
static int read_time(cfg_err *e, const config_setting_t *g, const char *name, int required, int64_t *out)
{
    const char *v = NULL;
    if (cfgutil_string(e, g, name, required, 64, &v))
        return -1;
    if (!v)
        return 0;
    char why[200], path[256];
    if (timeutil_parse_iso(v, 1, out, why, sizeof why)) {
        config_setting_t *s = config_setting_get_member(g, name);
        cfgutil_path(s, path, sizeof path);
        return cfgutil_fail(e, s, "%s: %s", path, why);
    }
    return 0;
}

/* Reads a timestamp setting as seconds since the scenario start; it must lie
 * in [0, duration]. */
static int read_offset(cfg_err *e, const scenario *s, const config_setting_t *g, const char *name,
                       double *out)
{
    int64_t t = INT64_MIN;
    if (read_time(e, g, name, 0, &t))
        return -1;
    if (t == INT64_MIN)
        return 0;
    double off = (double)(t - s->start_epoch);
    if (off < 0 || (!s->drain && off > s->duration_s)) {
        char path[256];
        config_setting_t *c = config_setting_get_member(g, name);
        cfgutil_path(c, path, sizeof path);
        return cfgutil_fail(e, c, "%s lies outside the simulated period (start %s, %g days)", path, s->start_iso,
                            s->duration_s / 86400.0);
    }
    *out = off;
    return 0;
}


/* Relative path p from the scenario's folder (or p itself if absolute);
 * NULL if out of memory. */
static char *scenario_relative(const scenario *s, const char *p)
{
    char *dircopy = strdup(s->path);
    if (!dircopy)
        return NULL;
    const char *dir = dirname(dircopy);
    size_t len = strlen(dir) + strlen(p) + 2;
    char *out = malloc(len);
    if (out)
        snprintf(out, len, p[0] == '/' ? "%s%s" : "%s/%s", p[0] == '/' ? "" : dir, p);
    free(dircopy);
    return out;
}

/* Weather of a site, for the facility models that follow it:
 *   weather = { temp_c = 20.0; rh_pct = 50.0; }                   constant
 *   weather = { synthetic = "temperate"; mean_c = 14.0; ... }     a preset, fields overridable
 *   weather = { file = "x.json"; format = "open-meteo-json"; policy = "error"; }
 * with optionally heat_wave = { start = TIMESTAMP; days = 7.0; delta_c = 8.0; } */
static int load_weather(scenario *s, const config_setting_t *g, scn_site *st, cfg_err *e)
{
    static const char *const keys[] = {"temp_c", "rh_pct", "synthetic", "file", "format", "policy",
                                       "heat_wave", "mean_c", "annual_amp_c", "daily_amp_c", "warmest_day",
                                       "warmest_hour", "utc_offset_h", "rh_mean_pct", "rh_annual_amp_pct",
                                       "rh_daily_amp_pct", "rh_per_c", "rh_noise_sd_pct", "noise_sd_c",
                                       "noise_tau_h", NULL};
    static const char *const hw_keys[] = {"start", "days", "delta_c", NULL};
    config_setting_t *w = NULL, *hw = NULL;
    if (cfgutil_group(e, g, "weather", 0, &w))
        return -1;
    st->weather = WEATHER_NONE;
    if (!w) {
        if (facility_types[st->facility_model].needs_weather)
            return cfgutil_fail(e, config_setting_get_member(g, "facility"),
                                "facility model \"%s\" follows the weather: give sites[%d].weather",
                                facility_names[st->facility_model], config_setting_index(g));
        return 0;
    }
    if (cfgutil_check_keys(e, w, keys))
        return -1;
    const char *file = NULL, *preset = NULL;
    int has_const = config_setting_get_member(w, "temp_c") != NULL;
    if (cfgutil_string(e, w, "file", 0, 4000, &file) || cfgutil_string(e, w, "synthetic", 0, 64, &preset))
        return -1;
    if ((file != NULL) + (preset != NULL) + has_const != 1)
        return cfgutil_fail(e, w, "sites[%d].weather needs exactly one of temp_c (constant), synthetic (a climate) and file",
                            config_setting_index(g));
    if (s->drain)
        return cfgutil_fail(e, w, "weather needs a finite duration, not \"drain\"");
    const char *src = preset ? "synthetic" : file ? "file" : "temp_c";
    const config_setting_t *at = config_setting_get_member(w, src);
    const char *af = config_setting_source_file(at);
    snprintf(st->weather_where, sizeof st->weather_where, "%s:%u", af ? af : s->path, config_setting_source_line(at));
    if (has_const) {
        static const char *const only[] = {"temp_c", "rh_pct", "heat_wave", NULL};
        st->weather = WEATHER_CONSTANT;
        if (cfgutil_check_keys(e, w, only) || cfgutil_float(e, w, "temp_c", 1, -90.0, 60.0, &st->temp_c) ||
            cfgutil_float(e, w, "rh_pct", 1, 0.0, 100.0, &st->rh_pct))
            return -1;
    } else if (file) {
        static const char *const only[] = {"file", "format", "policy", "heat_wave", NULL};
        st->weather = WEATHER_FILE;
        st->weather_format = WEATHER_OPEN_METEO_JSON;
        st->weather_policy = SERIES_ERROR;
        if (cfgutil_check_keys(e, w, only) ||
            cfgutil_choice(e, w, "format", 0, weather_format_names, &st->weather_format) ||
            cfgutil_choice(e, w, "policy", 0, series_policy_names, &st->weather_policy))
            return -1;
        if (!(st->weather_path = scenario_relative(s, file)))
            return cfgutil_fail(e, NULL, "out of memory");
    } else {
        static const char *const dfields[] = {"mean_c", "annual_amp_c", "daily_amp_c", "warmest_hour",
                                              "utc_offset_h", "rh_mean_pct", "rh_annual_amp_pct",
                                              "rh_daily_amp_pct", "rh_per_c", "rh_noise_sd_pct",
                                              "noise_sd_c", "noise_tau_h", NULL};
        weather_climate *c = &st->climate;
        double *dptr[] = {&c->mean_c, &c->annual_amp_c, &c->daily_amp_c, &c->warmest_hour, &c->utc_offset_h,
                          &c->rh_mean_pct, &c->rh_annual_amp_pct, &c->rh_daily_amp_pct, &c->rh_per_c,
                          &c->rh_noise_sd_pct, &c->noise_sd_c, &c->noise_tau_h};
        st->weather = WEATHER_SYNTHETIC;
        if (weather_preset(preset, c)) {
            char list[400];
            cfgutil_join(weather_preset_names, list, sizeof list);
            return cfgutil_fail(e, config_setting_get_member(w, "synthetic"),
                                "sites[%d].weather.synthetic: unknown climate \"%s\" (choose one of %s)",
                                config_setting_index(g), preset, list);
        }
        if (config_setting_get_member(w, "format") || config_setting_get_member(w, "policy") ||
            config_setting_get_member(w, "rh_pct"))
            return cfgutil_fail(e, w, "sites[%d].weather: format, policy and rh_pct are not for a synthetic climate",
                                config_setting_index(g));
        for (int i = 0; dfields[i]; i++)
            if (cfgutil_float(e, w, dfields[i], 0, -1e6, 1e6, dptr[i]))
                return -1;
        long long day = c->warmest_day;
        if (cfgutil_int(e, w, "warmest_day", 0, 1, 366, &day))
            return -1;
        c->warmest_day = (int)day;
        char why[300];
        if (weather_climate_check(c, why, sizeof why))
            return cfgutil_fail(e, w, "sites[%d].weather: %s", config_setting_index(g), why);
    }
    if (cfgutil_group(e, w, "heat_wave", 0, &hw))
        return -1;
    if (hw) {
        double days = 7.0;
        st->heat_wave_start_s = -1;
        if (cfgutil_check_keys(e, hw, hw_keys) || read_offset(e, s, hw, "start", &st->heat_wave_start_s) ||
            cfgutil_float(e, hw, "days", 0, 1.0 / 24.0, 366.0, &days) ||
            cfgutil_float(e, hw, "delta_c", 1, -30.0, 30.0, &st->heat_wave_delta_c))
            return -1;
        if (st->heat_wave_start_s < 0)
            return cfgutil_fail(e, hw, "heat_wave.start is required");
        st->heat_wave_end_s = st->heat_wave_start_s + days * 86400.0;
    }
    return 0;
}

/* A file setting: its path (relative to the scenario's folder) and where it
 * was set. Absent: f->path stays NULL. */
static int read_file_setting(cfg_err *e, const scenario *s, const config_setting_t *g, const char *name,
                             scn_file *f)
{
    const char *v = NULL;
    if (cfgutil_string(e, g, name, 0, 4000, &v))
        return -1;
    if (!v)
        return 0;
    if (!(f->path = scenario_relative(s, v)))
        return cfgutil_fail(e, NULL, "out of memory");
    const config_setting_t *m = config_setting_get_member(g, name);
    const char *src = config_setting_source_file(m);
    snprintf(f->where, sizeof f->where, "%s:%u", src ? src : s->path, config_setting_source_line(m));
    return 0;
}

/* grid.synthetic = "preset" with optional demand_mean_mw, latitude_deg,
 * longitude_deg, capacity_mw = { source = MW; ... }, emission_factors =
 * "lifecycle" | "direct", consequential = true (the site's load joins the
 * demand). */
static int load_synthetic(const config_setting_t *grid, scn_site *st, int idx, cfg_err *e)
{
    static const char *const efs[] = {"lifecycle", "direct", NULL};
    const char *preset = NULL;
    config_setting_t *cap = NULL;
    if (cfgutil_string(e, grid, "synthetic", 0, 64, &preset))
        return -1;
    if (!preset) {
        static const char *const only[] = {"consequential", "emission_factors", "demand_mean_mw", "latitude_deg",
                                           "longitude_deg", "capacity_mw", NULL};
        for (int k = 0; only[k]; k++)
            if (config_setting_get_member(grid, only[k]))
                return cfgutil_fail(e, config_setting_get_member(grid, only[k]),
                                    "sites[%d].grid.%s is a setting of a synthetic grid (grid.synthetic)", idx, only[k]);
        return 0;
    }
    st->synthetic = 1;
    if (synthgrid_preset(preset, &st->synth)) {
        char list[400];
        cfgutil_join(synthgrid_preset_names, list, sizeof list);
        return cfgutil_fail(e, config_setting_get_member(grid, "synthetic"),
                            "sites[%d].grid.synthetic: unknown grid \"%s\" (choose one of %s)", idx, preset, list);
    }
    int ef = st->synth.use_direct_ef;
    if (cfgutil_bool(e, grid, "consequential", 0, &st->consequential) ||
        cfgutil_choice(e, grid, "emission_factors", 0, efs, &ef) ||
        cfgutil_float(e, grid, "demand_mean_mw", 0, 1.0, 1e7, &st->synth.demand_mean_mw) ||
        cfgutil_float(e, grid, "latitude_deg", 0, -90.0, 90.0, &st->synth.latitude_deg) ||
        cfgutil_float(e, grid, "longitude_deg", 0, -180.0, 180.0, &st->synth.longitude_deg) ||
        cfgutil_group(e, grid, "capacity_mw", 0, &cap))
        return -1;
    st->synth.use_direct_ef = ef;
    if (cap) {
        if (cfgutil_check_keys(e, cap, synthgrid_source_names))
            return -1;
        for (int k = 0; k < SRC_COUNT; k++)
            if (cfgutil_float(e, cap, synthgrid_source_names[k], 0, 0.0, 1e7, &st->synth.capacity_mw[k]))
                return -1;
    }
    char why[300];
    if (synthgrid_check(&st->synth, why, sizeof why))
        return cfgutil_fail(e, config_setting_get_member(grid, "synthetic"), "sites[%d].grid: %s", idx, why);
    return 0;
}

/* grid.new_demand = { preset = "gs-2025"; fossil_share = 0.6; }: the site's
 * energy counted as added demand met partly by fossil generation. */
static int load_new_demand(const config_setting_t *grid, scn_site *st, int idx, cfg_err *e)
{
    static const char *const keys[] = {"preset", "fossil_share", NULL};
    config_setting_t *nd = NULL;
    const char *preset = "gs-2025";
    if (cfgutil_group(e, grid, "new_demand", 0, &nd))
        return -1;
    if (!nd)
        return 0;
    st->has_new_demand = 1;
    if (cfgutil_check_keys(e, nd, keys) || cfgutil_string(e, nd, "preset", 0, 64, &preset))
        return -1;
    if (newdemand_preset(preset, &st->new_demand)) {
        char list[400];
        cfgutil_join(newdemand_preset_names, list, sizeof list);
        return cfgutil_fail(e, config_setting_get_member(nd, "preset"),
                            "sites[%d].grid.new_demand.preset: unknown \"%s\" (choose one of %s)", idx, preset, list);
    }
    if (cfgutil_float(e, nd, "fossil_share", 0, 0.0, 1.0, &st->new_demand.fossil_share))
        return -1;
    char why[300];
    if (newdemand_check(&st->new_demand, why, sizeof why))
        return cfgutil_fail(e, nd, "sites[%d].grid.%s", idx, why);
    return 0;
}

/* grid = { intensity_g_per_kwh | trace (+ format, column, unit, policy);
 *          marginal_intensity_g_per_kwh | marginal_trace; cfe_fraction;
 *          energy_price_usd_per_kwh | price_trace; water_l_per_kwh; } */
static int load_grid(scenario *s, const config_setting_t *site, scn_site *st, cfg_err *e)
{
    static const char *const keys[] = {"intensity_g_per_kwh", "trace", "synthetic", "format", "column", "unit",
                                       "policy", "marginal_intensity_g_per_kwh", "marginal_trace", "cfe_fraction",
                                       "energy_price_usd_per_kwh", "price_trace", "water_l_per_kwh",
                                       "consequential", "emission_factors", "demand_mean_mw", "latitude_deg",
                                       "longitude_deg", "capacity_mw", "new_demand", NULL};
    config_setting_t *grid = NULL;
    const char *unit = NULL;
    int idx = config_setting_index(site);
    if (cfgutil_group(e, site, "grid", 1, &grid) || cfgutil_check_keys(e, grid, keys))
        return -1;
    st->intensity_g_per_kwh = -1;
    st->offsite_water_l_per_kwh = -1; /* unknown: 0, or from a synthetic grid's mix */
    st->marginal_g_per_kwh = -1;
    st->grid_cfe_fraction = -1;
    st->trace_format = TRACE_PLAIN;
    st->trace_column = TRACE_LCA;
    st->trace_policy = SERIES_ERROR;
    if (cfgutil_float(e, grid, "intensity_g_per_kwh", 0, 0.0, 2000.0, &st->intensity_g_per_kwh) ||
        read_file_setting(e, s, grid, "trace", &st->trace) ||
        cfgutil_choice(e, grid, "format", 0, trace_format_names, &st->trace_format) ||
        cfgutil_choice(e, grid, "column", 0, trace_column_names, &st->trace_column) ||
        cfgutil_string(e, grid, "unit", 0, 60, &unit) ||
        cfgutil_choice(e, grid, "policy", 0, series_policy_names, &st->trace_policy) ||
        cfgutil_float(e, grid, "marginal_intensity_g_per_kwh", 0, 0.0, 2000.0, &st->marginal_g_per_kwh) ||
        read_file_setting(e, s, grid, "marginal_trace", &st->marginal_trace) ||
        cfgutil_float(e, grid, "cfe_fraction", 0, 0.0, 1.0, &st->grid_cfe_fraction) ||
        cfgutil_float(e, grid, "energy_price_usd_per_kwh", 0, 0.0, 100.0, &st->energy_price_usd_per_kwh) ||
        read_file_setting(e, s, grid, "price_trace", &st->price_trace) ||
        cfgutil_float(e, grid, "water_l_per_kwh", 0, 0.0, 100.0, &st->offsite_water_l_per_kwh))
        return -1;
    if (load_synthetic(grid, st, idx, e) || load_new_demand(grid, st, idx, e))
        return -1;
    if ((st->trace.path != NULL) + (st->intensity_g_per_kwh >= 0) + st->synthetic != 1)
        return cfgutil_fail(e, grid, "sites[%d].grid needs exactly one of intensity_g_per_kwh, trace and synthetic",
                            idx);
    if (st->synthetic && (st->marginal_g_per_kwh >= 0 || st->marginal_trace.path || st->grid_cfe_fraction >= 0))
        return cfgutil_fail(e, grid, "sites[%d].grid: a synthetic grid gives its marginal intensity and carbon-free share itself",
                            idx);
    if (!st->trace.path && (config_setting_get_member(grid, "format") || config_setting_get_member(grid, "column") ||
                            config_setting_get_member(grid, "unit")))
        return cfgutil_fail(e, grid, "sites[%d].grid: format, column and unit describe a trace; there is none", idx);
    if (unit) {
        if (st->trace_format != TRACE_PLAIN)
            return cfgutil_fail(e, config_setting_get_member(grid, "unit"),
                                "sites[%d].grid.unit: an Electricity Maps export is in gCO2eq/kWh already", idx);
        if (trace_unit_factor(TRACE_INTENSITY, unit) == 0)
            return cfgutil_fail(e, config_setting_get_member(grid, "unit"),
                                "sites[%d].grid.unit: unknown intensity unit \"%s\" (e.g. g/kWh, kg/MWh, kg/kWh, lb/MWh)",
                                idx, unit);
        snprintf(st->trace_unit, sizeof st->trace_unit, "%s", unit);
    }
    if (st->marginal_trace.path && st->marginal_g_per_kwh >= 0)
        return cfgutil_fail(e, grid, "sites[%d].grid: give marginal_intensity_g_per_kwh or marginal_trace, not both", idx);
    if (st->price_trace.path && config_setting_get_member(grid, "energy_price_usd_per_kwh"))
        return cfgutil_fail(e, grid, "sites[%d].grid: give energy_price_usd_per_kwh or price_trace, not both", idx);
    if (st->grid_cfe_fraction >= 0 && st->trace_format == TRACE_ELECTRICITY_MAPS && st->trace.path)
        return cfgutil_fail(e, config_setting_get_member(grid, "cfe_fraction"),
                            "sites[%d].grid.cfe_fraction: the Electricity Maps trace gives it hour by hour", idx);
    return 0;
}

/* contracts = { residual_mix_g_per_kwh; certificates_mwh_per_year;
 *               ppas = ( { name; mw; profile = "cf.csv"; }, ... ); } */
static int load_contracts(scenario *s, const config_setting_t *site, scn_site *st, cfg_err *e)
{
    static const char *const keys[] = {"residual_mix_g_per_kwh", "certificates_mwh_per_year", "ppas", NULL};
    static const char *const ppa_keys[] = {"name", "mw", "profile", "source", NULL};
    static const char *const sources[] = {"solar", "wind", NULL};
    config_setting_t *c = NULL, *ppas = NULL;
    if (cfgutil_group(e, site, "contracts", 0, &c))
        return -1;
    if (!c)
        return 0;
    st->has_contracts = 1;
    if (cfgutil_check_keys(e, c, keys) ||
        cfgutil_float(e, c, "residual_mix_g_per_kwh", 1, 0.0, 2000.0, &st->market.residual_mix_g_per_kwh) ||
        cfgutil_float(e, c, "certificates_mwh_per_year", 0, 0.0, 1e9, &st->market.certificates_mwh_per_year) ||
        cfgutil_list(e, c, "ppas", 0, &ppas))
        return -1;
    int n = ppas ? config_setting_length(ppas) : 0;
    if (n > SCN_MAX_PPA)
        return cfgutil_fail(e, ppas, "at most %d PPAs per site (got %d)", SCN_MAX_PPA, n);
    for (int k = 0; k < n; k++) {
        config_setting_t *pg = config_setting_get_elem(ppas, (unsigned)k);
        scn_ppa *pp = &st->ppa[k];
        const char *v = NULL;
        if (cfgutil_check_keys(e, pg, ppa_keys) || cfgutil_string(e, pg, "name", 1, SCN_NAME_MAX, &v))
            return -1;
        snprintf(pp->name, sizeof pp->name, "%s", v);
        st->nppa++;
        if (cfgutil_float(e, pg, "mw", 1, 1e-6, 1e6, &pp->mw) || read_file_setting(e, s, pg, "profile", &pp->profile))
            return -1;
        int src = -1;
        if (cfgutil_choice(e, pg, "source", 0, sources, &src))
            return -1;
        if ((pp->profile.path != NULL) == (src >= 0))
            return cfgutil_fail(e, pg, "PPA %s needs exactly one of profile (an hourly capacity-factor CSV) and source (\"solar\" or \"wind\" of a synthetic grid)",
                                pp->name);
        if (src >= 0 && !st->synthetic)
            return cfgutil_fail(e, config_setting_get_member(pg, "source"),
                                "PPA %s: a synthetic profile needs the site's grid to be synthetic; give a profile file", pp->name);
        pp->source = src == 0 ? SRC_SOLAR : SRC_WIND;
    }
    return 0;
}

/* battery = { capacity_mwh; power_mw; round_trip_efficiency; } */
static int load_battery(const config_setting_t *site, scn_site *st, cfg_err *e)
{
    static const char *const keys[] = {"capacity_mwh", "power_mw", "round_trip_efficiency", NULL};
    config_setting_t *b = NULL;
    double cap = 0, pw = 0;
    if (cfgutil_group(e, site, "battery", 0, &b))
        return -1;
    if (!b)
        return 0;
    st->has_battery = 1;
    st->battery.round_trip_eff = 0.88;
    if (cfgutil_check_keys(e, b, keys) || cfgutil_float(e, b, "capacity_mwh", 1, 1e-6, 1e6, &cap) ||
        cfgutil_float(e, b, "power_mw", 1, 1e-6, 1e6, &pw) ||
        cfgutil_float(e, b, "round_trip_efficiency", 0, 0.1, 1.0, &st->battery.round_trip_eff))
        return -1;
    st->battery.capacity_kwh = cap * 1e3;
    st->battery.power_kw = pw * 1e3;
    return 0;
}

/* pool.power = { idle_off_after; wake_latency; boot_energy_wh; min_on; }:
 * power management (sim/power.h). */
static int load_pool_power(const config_setting_t *pg, scn_pool *p, cfg_err *e)
{
    static const char *const keys[] = {"idle_off_after", "wake_latency", "boot_energy_wh", "min_on", NULL};
    config_setting_t *g = NULL;
    p->off_after_s = INFINITY;
    p->wake_s = 300.0;
    if (cfgutil_group(e, pg, "power", 0, &g))
        return -1;
    if (!g)
        return 0;
    double wh = 0;
    p->managed = 1;
    if (cfgutil_check_keys(e, g, keys) || cfgutil_duration(e, g, "idle_off_after", 0, 0.0, SCN_MAX_DURATION_S, &p->off_after_s) ||
        cfgutil_duration(e, g, "wake_latency", 0, 1.0, 86400.0, &p->wake_s) ||
        cfgutil_float(e, g, "boot_energy_wh", 0, 0.0, 1e6, &wh) ||
        cfgutil_int(e, g, "min_on", 0, 0, p->count, &p->min_on))
        return -1;
    p->boot_energy_j = wh * 3600.0;
    return 0;
}

/* power_cap = { kw; from_hour_utc; to_hour_utc; }: a limit on the site's IT
 * power, always or in a daily window [from, to) (UTC hours; from > to wraps
 * past midnight). Read after the site's pools: an always-on cap must leave
 * room above the site's power with every node idle. */
static int load_power_cap(const scenario *s, const config_setting_t *g, scn_site *st, cfg_err *e)
{
    config_setting_t *c = NULL;
    st->cap_kw = INFINITY;
    st->cap_from_h = st->cap_to_h = -1;
    if (cfgutil_group(e, g, "power_cap", 0, &c))
        return -1;
    if (!c)
        return 0;
    long long from = -1, to = -1;
    if (cfgutil_check_keys(e, c, cap_keys) || cfgutil_float(e, c, "kw", 1, 0.001, 1e9, &st->cap_kw) ||
        cfgutil_int(e, c, "from_hour_utc", 0, 0, 23, &from) || cfgutil_int(e, c, "to_hour_utc", 0, 0, 24, &to))
        return -1;
    if ((from < 0) != (to < 0))
        return cfgutil_fail(e, c, "site %s: power_cap needs both from_hour_utc and to_hour_utc, or neither", st->name);
    if (from >= 0 && from == to % 24)
        return cfgutil_fail(e, c, "site %s: power_cap window from_hour_utc = to_hour_utc is empty; leave both out for "
                            "an always-on cap", st->name);
    st->cap_from_h = (int)from;
    st->cap_to_h = (int)to;
    double base_kw = 0;
    for (int k = st->first_pool; k < s->npools; k++) {
        const scn_pool *p = &s->pools[k];
        const node_type *t = &s->cat.types[p->type];
        base_kw += ((double)p->on * t->idle_w + (double)(p->count - p->on) * t->off_w) / 1e3;
    }
    if (from < 0 && st->cap_kw <= base_kw)
        return cfgutil_fail(e, config_setting_get_member(c, "kw"),
                            "site %s: power_cap.kw (%g kW) is not above the site's IT power with every node idle "
                            "(%g kW): no job could start", st->name, st->cap_kw, base_kw);
    return 0;
}

static int load_sites(scenario *s, const config_setting_t *root, cfg_err *e)
{
    config_setting_t *sites = NULL;
    if (cfgutil_list(e, root, "sites", 1, &sites))
        return -1;
    int ns = config_setting_length(sites), np = 0;
    if (ns <= 0)
        return cfgutil_fail(e, sites, "sites must hold at least one site");
    for (int i = 0; i < ns; i++) {
        config_setting_t *pl = NULL;
        if (cfgutil_list(e, config_setting_get_elem(sites, (unsigned)i), "pools", 1, &pl))
            return -1;
        if (config_setting_length(pl) == 0)
            return cfgutil_fail(e, pl, "sites[%d].pools must hold at least one pool", i);
        np += config_setting_length(pl);
    }
    s->sites = calloc((size_t)ns, sizeof *s->sites);
    s->pools = calloc((size_t)np, sizeof *s->pools);
    if (!s->sites || !s->pools)
        return cfgutil_fail(e, NULL, "out of memory");
    for (int i = 0; i < ns; i++) {
        config_setting_t *g = config_setting_get_elem(sites, (unsigned)i), *fac = NULL, *pl = NULL;
        scn_site *st = &s->sites[i];
        const char *v = NULL;
        if (cfgutil_check_keys(e, g, site_keys) || cfgutil_string(e, g, "name", 1, SCN_NAME_MAX, &v))
            return -1;
        if (strchr(v, '/'))
            return cfgutil_fail(e, config_setting_get_member(g, "name"), "site name \"%s\" must not contain '/'", v);
        strcpy(st->name, v);
        for (int k = 0; k < i; k++)
            if (!strcmp(s->sites[k].name, v))
                return cfgutil_fail(e, g, "site \"%s\" is defined twice", v);
        s->nsites++;
        facility_defaults(&st->fac);
        st->facility_model = 0;
        if (cfgutil_group(e, g, "facility", 0, &fac))
            return -1;
        if (fac && (cfgutil_choice(e, fac, "model", 0, facility_names, &st->facility_model) ||
                    facility_types[st->facility_model].load(&st->fac, fac, e)))
            return -1;
        if (load_weather(s, g, st, e))
            return -1;
        if (load_grid(s, g, st, e) || load_contracts(s, g, st, e) || load_battery(g, st, e))
            return -1;
        if (cfgutil_list(e, g, "pools", 1, &pl))
            return -1;
        st->first_pool = s->npools;
        for (int j = 0; j < config_setting_length(pl); j++) {
            config_setting_t *pg = config_setting_get_elem(pl, (unsigned)j);
            scn_pool *p = &s->pools[s->npools];
            if (cfgutil_check_keys(e, pg, pool_keys) || cfgutil_string(e, pg, "name", 1, SCN_NAME_MAX, &v))
                return -1;
            if (strchr(v, '/'))
                return cfgutil_fail(e, config_setting_get_member(pg, "name"),
                                    "pool name \"%s\" must not contain '/'", v);
            strcpy(p->name, v);
            for (int k = st->first_pool; k < s->npools; k++)
                if (!strcmp(s->pools[k].name, v))
                    return cfgutil_fail(e, pg, "pool \"%s\" is defined twice in site \"%s\"", v, st->name);
            p->site = i;
            if (cfgutil_string(e, pg, "node", 1, CATALOG_NAME_MAX, &v))
                return -1;
            p->type = catalog_find_type(&s->cat, v);
            if (p->type < 0)
                return cfgutil_fail(e, config_setting_get_member(pg, "node"),
                                    "pool %s: unknown node type \"%s\" (see `dcsim catalog`, or @include \"hardware.cfg\")",
                                    p->name, v);
            if (cfgutil_int(e, pg, "count", 1, 1, SCN_MAX_NODES_PER_POOL, &p->count))
                return -1;
            p->on = p->count;
            if (cfgutil_int(e, pg, "on", 0, 0, p->count, &p->on))
                return -1;
            p->policy = -1;
            if (cfgutil_choice(e, pg, "policy", 0, sched_policy_names, &p->policy) || load_pool_power(pg, p, e))
                return -1;
            p->price_usd_per_h = s->cat.types[p->type].price_usd_per_h;
            p->liquid_cooled = s->cat.types[p->type].liquid_cooled;
            double discount = 0;
            if (cfgutil_float(e, pg, "price_usd_per_h", 0, 0.0, 1e6, &p->price_usd_per_h) ||
                cfgutil_float(e, pg, "discount", 0, 0.0, 1.0, &discount) ||
                cfgutil_bool(e, pg, "liquid_cooled", 0, &p->liquid_cooled))
                return -1;
            /* a reserved or committed-use price: the on-demand price less the discount */
            p->discount = discount;
            p->price_usd_per_h *= 1.0 - discount;
            s->npools++;
            st->npools++;
        }
        if (load_power_cap(s, g, st, e))
            return -1;
        /* the plant is built for the site's IT power at full load, unless told */
        if (st->fac.design_it_kw <= 0) {
            double kw = 0;
            for (int k = st->first_pool; k < s->npools; k++)
                kw += (double)s->pools[k].count * s->cat.types[s->pools[k].type].max_w / 1e3;
            st->fac.design_it_kw = kw > 0 ? kw : 1.0;
        }
    }
    return 0;
}

/* Resolves a workload's target: "pool", "site/pool", or a node type. */
static int resolve_target(scenario *s, const config_setting_t *g, scn_workload *w, cfg_err *e)
{
    const char *pool = NULL, *node = NULL;
    if (cfgutil_string(e, g, "pool", 0, 2 * SCN_NAME_MAX + 1, &pool) ||
        cfgutil_string(e, g, "node", 0, CATALOG_NAME_MAX, &node))
        return -1;
    if ((pool != NULL) == (node != NULL))
        return cfgutil_fail(e, g, "workload %s needs exactly one of pool (\"pool\" or \"site/pool\") and node (a node type)",
                            w->name);
    w->pool = -1;
    if (pool) {
        const char *slash = strchr(pool, '/');
        int matches = 0;
        for (int i = 0; i < s->npools; i++) {
            const scn_pool *p = &s->pools[i];
            int hit = slash ? (strlen(s->sites[p->site].name) == (size_t)(slash - pool) &&
                               !strncmp(s->sites[p->site].name, pool, (size_t)(slash - pool)) &&
                               !strcmp(p->name, slash + 1))
                            : !strcmp(p->name, pool);
            if (hit) {
                if (!matches)
                    w->pool = i;
                matches++;
            }
        }
        config_setting_t *c = config_setting_get_member(g, "pool");
        if (matches == 0)
            return cfgutil_fail(e, c, "workload %s: no pool \"%s\"", w->name, pool);
        if (matches > 1)
            return cfgutil_fail(e, c, "workload %s: pool \"%s\" is in several sites; write \"site/pool\"", w->name,
                                pool);
        w->node_type = s->pools[w->pool].type;
    } else {
        w->node_type = catalog_find_type(&s->cat, node);
        if (w->node_type < 0)
            return cfgutil_fail(e, config_setting_get_member(g, "node"),
                                "workload %s: unknown node type \"%s\" (see `dcsim catalog`)", w->name, node);
    }
    return 0;
}

/* Nodes on that a workload's jobs may use (the pools it may be placed on):
 * their sum (largest = 0) or the largest single pool (largest = 1). */
static long long target_capacity(const scenario *s, const scn_workload *w, int largest)
{
    if (w->pool >= 0)
        return s->pools[w->pool].on;
    long long n = 0;
    for (int i = 0; i < s->npools; i++)
        if (s->pools[i].type == w->node_type) {
            if (largest)
                n = s->pools[i].on > n ? s->pools[i].on : n;
            else
                n += s->pools[i].on;
        }
    return n;
}

static int refuse_keys(cfg_err *e, const config_setting_t *g, const char *name, const char *const *keys,
                       const char *why);

/* A shape: member `name` of a, an array of n non-negative numbers with a
 * positive mean, normalised to mean 1 into out (absent: all 1). */
static int read_shape(cfg_err *e, const config_setting_t *a, const char *name, int n, double *out)
{
    for (int k = 0; k < n; k++)
        out[k] = 1.0;
    config_setting_t *c = config_setting_get_member(a, name);
    if (!c)
        return 0;
    char path[256];
    cfgutil_path(c, path, sizeof path);
    if (!config_setting_is_array(c) || config_setting_length(c) != n)
        return cfgutil_fail(e, c, "%s must be an array of %d numbers ([1.0, 0.8, ...])", path, n);
    double sum = 0;
    for (int k = 0; k < n; k++) {
        config_setting_t *x = config_setting_get_elem(c, (unsigned)k);
        int t = config_setting_type(x);
        double v = t == CONFIG_TYPE_FLOAT ? config_setting_get_float(x) : (double)config_setting_get_int64(x);
        if (!isfinite(v) || v < 0 || v > 1e6)
            return cfgutil_fail(e, c, "%s[%d] must be a number in [0, 1e6] (got %g)", path, k, v);
        out[k] = v;
        sum += v;
    }
    if (!(sum > 0))
        return cfgutil_fail(e, c, "%s must have a positive mean", path);
    for (int k = 0; k < n; k++)
        out[k] *= n / sum;
    return 0;
}

/* The shape of a non-homogeneous Poisson process (ARR_NHPP): daily or
 * diurnal_amplitude and peak_hour_utc, weekly, growth_per_year, bursts;
 * and its thinning bound. */
static int load_nhpp(scenario *s, config_setting_t *a, scn_workload *w, cfg_err *e)
{
    static const char *const burst_keys[] = {"per_day", "factor", "duration", NULL};
    config_setting_t *b = NULL;
    double per_day = 0;
    if (read_shape(e, a, "daily", 24, w->daily) || read_shape(e, a, "weekly", 7, w->weekly) ||
        cfgutil_float(e, a, "diurnal_amplitude", 0, 0.0, 1.0, &w->diurnal_amplitude_arr) ||
        cfgutil_float(e, a, "peak_hour_utc", 0, 0.0, 24.0, &w->peak_hour_arr) ||
        cfgutil_float(e, a, "growth_per_year", 0, -0.99, 100.0, &w->growth_per_year) ||
        cfgutil_group(e, a, "bursts", 0, &b))
        return -1;
    if (config_setting_get_member(a, "daily") && config_setting_get_member(a, "diurnal_amplitude"))
        return cfgutil_fail(e, a, "give daily (24 hourly multipliers) or diurnal_amplitude, not both");
    w->burst_factor = 1.0;
    if (b && (cfgutil_check_keys(e, b, burst_keys) || cfgutil_float(e, b, "per_day", 1, 1e-6, 1e4, &per_day) ||
              cfgutil_float(e, b, "factor", 1, 1.0, 1000.0, &w->burst_factor) ||
              cfgutil_duration(e, b, "duration", 1, 1.0, 30 * 86400.0, &w->burst_s)))
        return -1;
    w->burst_per_s = per_day / 86400.0;
    double dmax = 1 + w->diurnal_amplitude_arr, wmax = 0, gmax;
    for (int k = 0; k < 24; k++)
        dmax = fmax(dmax, w->daily[k]);
    for (int k = 0; k < 7; k++)
        wmax = fmax(wmax, w->weekly[k]);
    gmax = fmax(1.0, pow(1.0 + w->growth_per_year, s->duration_s / (365.0 * 86400.0)));
    if (!isfinite(gmax) || gmax > 1e6)
        return cfgutil_fail(e, config_setting_get_member(a, "growth_per_year"),
                            "growth_per_year: the rate would grow %.3g-fold over the run; shorten the run or the growth",
                            gmax);
    w->rate_max_per_s = w->rate_per_s * dmax * wmax * gmax * w->burst_factor;
    return 0;
}

/* arrival = { process = "trace"; trace = "jobs.csv"; format; columns = {
 * role = "name" | "#N"; ... }; header; skip_incomplete; time_scale; first;
 * count; } */
static int load_trace_arrival(scenario *s, config_setting_t *a, scn_workload *w, cfg_err *e)
{
    const char *file = NULL;
    int format = JT_PLAIN;
    config_setting_t *cols = NULL;
    if (cfgutil_string(e, a, "trace", 1, 4000, &file) ||
        cfgutil_choice(e, a, "format", 0, jobtrace_format_names, &format))
        return -1;
    jobtrace_opts o;
    jobtrace_defaults(&o, format);
    o.accel_per_node = s->cat.types[w->node_type].accelerators;
    if (cfgutil_bool(e, a, "header", 0, &o.header) || cfgutil_bool(e, a, "skip_incomplete", 0, &o.skip_incomplete) ||
        cfgutil_float(e, a, "time_scale", 0, 1e-6, 1e6, &o.time_scale) || cfgutil_group(e, a, "columns", 0, &cols))
        return -1;
    if (cols) {
        if (cfgutil_check_keys(e, cols, jobtrace_role_names))
            return -1;
        for (int r = 0; jobtrace_role_names[r]; r++) {
            const char *v = NULL;
            if (cfgutil_string(e, cols, jobtrace_role_names[r], 0, 63, &v))
                return -1;
            if (v)
                snprintf(o.col[r], sizeof o.col[r], "%s", v);
        }
        /* a size or duration given replaces the format's other ways of giving it */
        if (config_setting_get_member(cols, "nodes") || config_setting_get_member(cols, "accelerators")) {
            int keep = config_setting_get_member(cols, "nodes") ? JTC_NODES : JTC_ACCEL;
            for (int r = JTC_NODES; r <= JTC_ACCEL_PCT; r++)
                if (r != keep)
                    o.col[r][0] = '\0';
        }
        if (config_setting_get_member(cols, "duration")) {
            o.col[JTC_START][0] = o.col[JTC_END][0] = '\0';
        }
    }
    char *path = scenario_relative(s, file);
    if (!path)
        return cfgutil_fail(e, NULL, "out of memory");
    w->trace = calloc(1, sizeof *w->trace);
    char why[1024];
    int rc = w->trace ? jobtrace_read(w->trace, path, &o, why, sizeof why) : -1;
    free(path);
    if (rc) {
        if (!w->trace)
            return cfgutil_fail(e, NULL, "out of memory");
        const config_setting_t *at = config_setting_get_member(a, "trace");
        const char *src = config_setting_source_file(at);
        /* the reader's message may fill e->msg: keep the tail readable */
        int n = snprintf(e->msg, sizeof e->msg, "%.700s (job trace of workload %s, set at %.200s:%u)", why, w->name,
                         src ? src : s->path, config_setting_source_line(at));
        (void)n;
        return -1;
    }
    w->arrival = ARR_TRACE;
    if (w->count < 0 || w->count > w->trace->n)
        w->count = w->trace->n;
    return 0;
}

static int load_arrival(scenario *s, const config_setting_t *g, scn_workload *w, cfg_err *e)
{
    static const char *const processes[] = {"poisson", "every", "nhpp", "trace", NULL};
    config_setting_t *a = NULL;
    if (cfgutil_group(e, g, "arrival", 1, &a) || cfgutil_check_keys(e, a, arrival_keys))
        return -1;
    char path[256];
    cfgutil_path(a, path, sizeof path);
    w->count = -1;
    w->first_s = 0;
    if (config_setting_get_member(a, "at")) {
        if (config_setting_get_member(a, "process"))
            return cfgutil_fail(e, a, "%s: give either at (one job) or process, not both", path);
        w->arrival = ARR_AT;
        w->count = 1;
        w->first_s = -1;
        if (read_offset(e, s, a, "at", &w->first_s))
            return -1;
        return 0;
    }
    int proc = -1;
    if (cfgutil_choice(e, a, "process", 1, processes, &proc))
        return -1;
    if (read_offset(e, s, a, "first", &w->first_s) ||
        cfgutil_int(e, a, "count", 0, 1, SCN_MAX_JOBS, &w->count))
        return -1;
    static const char *const shape_keys[] = {"daily", "diurnal_amplitude", "peak_hour_utc", "weekly",
                                             "growth_per_year", NULL};
    static const char *const trace_keys[] = {"trace", "format", "columns", "header", "skip_incomplete",
                                             "time_scale", NULL};
    if (proc != 2 && refuse_keys(e, a, w->name, shape_keys, "is a setting of process = \"nhpp\""))
        return -1;
    if (proc != 3 && refuse_keys(e, a, w->name, trace_keys, "is a setting of process = \"trace\""))
        return -1;
    if (proc == 3) {
        static const char *const not_trace[] = {"rate_per_s", "mean_interval", "load", "every", "bursts", NULL};
        if (w->kind != WL_GENERIC)
            return cfgutil_fail(e, a, "%s: trace replay is for generic workloads (the trace gives each job's run time)",
                                path);
        if (refuse_keys(e, a, w->name, not_trace, "is not a setting of process = \"trace\""))
            return -1;
        return load_trace_arrival(s, a, w, e);
    }
    if (proc == 1) {
        w->arrival = ARR_EVERY;
        if (config_setting_get_member(a, "bursts"))
            return cfgutil_fail(e, config_setting_get_member(a, "bursts"), "%s.bursts: for poisson and nhpp arrivals", path);
        return cfgutil_duration(e, a, "every", 1, 1.0, SCN_MAX_DURATION_S, &w->every_s);
    }
    w->arrival = ARR_POISSON;
    double mean_iv = -1, load = -1;
    w->rate_per_s = -1;
    if (cfgutil_float(e, a, "rate_per_s", 0, 1e-12, 1e9, &w->rate_per_s) ||
        cfgutil_duration(e, a, "mean_interval", 0, 1e-9, SCN_MAX_DURATION_S, &mean_iv) ||
        cfgutil_float(e, a, "load", 0, 1e-9, 100.0, &load))
        return -1;
    int given = (w->rate_per_s > 0) + (mean_iv > 0) + (load > 0);
    if (given != 1)
        return cfgutil_fail(e, a, "%s needs exactly one of rate_per_s, mean_interval and load", path);
    if (mean_iv > 0)
        w->rate_per_s = 1.0 / mean_iv;
    if (load > 0) {
        if (w->kind != WL_GENERIC && w->kind != WL_TRAINING)
            return cfgutil_fail(e, a, "%s.load is for training and generic workloads", path);
        /* offered load in erlangs: rate * nodes per job * mean service = load * capacity */
        w->rate_per_s = load * (double)target_capacity(s, w, 0) / ((double)w->nodes * w->service_mean_s);
    }
    if (proc == 2 || config_setting_get_member(a, "bursts")) {
        w->arrival = ARR_NHPP;
        return load_nhpp(s, a, w, e);
    }
    return 0;
}

/* A model by name from setting `key` of g, or -1 (absent); -2 on error. */
static int find_model(const scenario *s, const config_setting_t *g, const char *key, const scn_workload *w,
                      cfg_err *e)
{
    const char *v = NULL;
    if (cfgutil_string(e, g, key, 0, CATALOG_NAME_MAX, &v))
        return -2;
    if (!v)
        return -1;
    int m = catalog_find_model(&s->cat, v);
    if (m < 0) {
        cfgutil_fail(e, config_setting_get_member(g, key),
                     "workload %s: unknown model \"%s\" (see `dcsim catalog`, or @include \"models.cfg\")", w->name, v);
        return -2;
    }
    return m;
}

/* Fails on any of keys[] present in g: they do not apply to this workload. */
static int refuse_keys(cfg_err *e, const config_setting_t *g, const char *name, const char *const *keys,
                       const char *why)
{
    for (int i = 0; keys[i]; i++) {
        config_setting_t *c = config_setting_get_member(g, keys[i]);
        if (c)
            return cfgutil_fail(e, c, "workload %s: %s %s", name, keys[i], why);
    }
    return 0;
}

static int load_training(scenario *s, const config_setting_t *g, scn_workload *w, cfg_err *e)
{
    static const char *const serving[] = {"student",  "prompt_tokens",  "output_tokens",      "weight_bits",
                                          "kv_bits",  "sparsity",       "compile_factor",     "max_batch",
                                          "compute_efficiency", "bandwidth_efficiency", "memory_fraction", "rag",
                                          "throughput", "tokens_per_request", "tokens_per_s_per_node",
                                          "batch_interval", "max_nodes", "rate", "serving", NULL};
    const node_type *t = &s->cat.types[w->node_type];
    double tokens = -1, flops = -1, acc_h = -1, vectors = -1, dim = -1, pacc = -1;
    w->mfu = 0.4;
    w->precision = PREC_BF16;
    w->method = TM_PRETRAIN;
    w->node_power_w = -1;
    if (refuse_keys(e, g, w->name, serving, "is a setting of inference workloads") ||
        (w->model = find_model(s, g, "model", w, e)) == -2 || (w->teacher = find_model(s, g, "teacher", w, e)) == -2 ||
        cfgutil_choice(e, g, "method", 0, perf_method_names, &w->method) ||
        cfgutil_float(e, g, "tokens", 0, 1.0, 1e16, &tokens) || cfgutil_float(e, g, "flops", 0, 1.0, 1e30, &flops) ||
        cfgutil_float(e, g, "accelerator_hours", 0, 1e-6, 1e12, &acc_h) ||
        cfgutil_float(e, g, "vectors", 0, 1.0, 1e13, &vectors) || cfgutil_float(e, g, "dim", 0, 1.0, 1e6, &dim) ||
        cfgutil_float(e, g, "power_per_accelerator_w", 0, 1e-3, 1e5, &pacc) ||
        cfgutil_float(e, g, "mfu", 0, 0.001, 1.0, &w->mfu) ||
        cfgutil_choice(e, g, "precision", 0, catalog_precision_names, &w->precision))
        return -1;
    int devices = t->accelerators > 0 ? t->accelerators : 1;
    if (pacc > 0) {
        /* a measured average power (e.g. a paper's per-accelerator figure)
         * replaces the node's power curve while the job runs */
        if (config_setting_get_member(g, "utilization"))
            return cfgutil_fail(e, config_setting_get_member(g, "utilization"),
                                "workload %s: give utilization or power_per_accelerator_w, not both", w->name);
        w->node_power_w = pacc * devices;
    }
    if (w->teacher >= 0 && w->method != TM_DISTILL)
        return cfgutil_fail(e, config_setting_get_member(g, "teacher"),
                            "workload %s: teacher is for method = \"distillation\"", w->name);
    w->service_dist = DIST_FIXED;
    if (w->method == TM_INDEX) {
        if (vectors < 0 || dim < 0 || tokens > 0 || flops > 0 || acc_h > 0)
            return cfgutil_fail(e, g, "index_build workload %s needs vectors and dim (and no tokens, flops or "
                                      "accelerator_hours)", w->name);
        w->flops = perf_index_flops(vectors, dim);
    } else {
        if (vectors > 0 || dim > 0)
            return cfgutil_fail(e, config_setting_get_member(g, vectors > 0 ? "vectors" : "dim"),
                                "workload %s: vectors and dim are for method = \"index_build\"", w->name);
        int ways = (tokens > 0) + (flops > 0) + (acc_h > 0);
        if (ways != 1)
            return cfgutil_fail(e, g,
                                "training workload %s needs exactly one of tokens (with model), flops and "
                                "accelerator_hours",
                                w->name);
        if (tokens > 0 && w->model < 0)
            return cfgutil_fail(e, config_setting_get_member(g, "tokens"), "workload %s: tokens needs a model", w->name);
        if (tokens > 0 && w->method == TM_DISTILL && w->teacher < 0)
            return cfgutil_fail(e, g, "workload %s: distillation needs a teacher model (the model is the student)",
                                w->name);
        if (acc_h > 0) {
            w->flops = 0;
            w->service_mean_s = acc_h * 3600.0 / ((double)w->nodes * devices);
            return 0;
        }
        w->flops_given = flops > 0;
        w->flops = flops > 0 ? flops
                             : perf_training_flops(w->method, s->cat.models[w->model].active_params_b * 1e9, tokens,
                                                   w->teacher >= 0 ? s->cat.models[w->teacher].active_params_b * 1e9
                                                                   : 0.0);
    }
    double peak = catalog_node_peak_flops(t, w->precision);
    if (peak <= 0)
        return cfgutil_fail(e, g, "workload %s: node type %s has no %s throughput in the catalog", w->name, t->name,
                            catalog_precision_names[w->precision]);
    w->service_mean_s = w->flops / ((double)w->nodes * peak * w->mfu);
    return 0;
}

/* serving = { mode; max_batch; max_wait; slo_ttft; slo_e2e; target_utilization;
 *             autoscale = { min_nodes; max_nodes; scale_up_delay; scale_down_delay; interval; }; }
 * of an inference workload (sim/serve.h). prompt and output are the tokens
 * per request the workload gave (-1 if it gave tokens_per_request). */
static int load_serving(scenario *s, const config_setting_t *g, scn_workload *w, double prompt, double output,
                        cfg_err *e)
{
    static const char *const keys[] = {"mode",     "max_batch",          "max_wait", "slo_ttft",
                                       "slo_e2e",  "target_utilization", "autoscale", NULL};
    static const char *const as_keys[] = {"min_nodes", "max_nodes", "scale_up_delay", "scale_down_delay", "interval",
                                          NULL};
    scn_serving *v = &w->serving;
    config_setting_t *sg = NULL, *ag = NULL;
    memset(v, 0, sizeof *v);
    v->mode = SERVE_BATCH;
    v->max_batch = w->tput_source == TPUT_ROOFLINE ? w->roof.batch : 1;
    if (v->max_batch > SCN_MAX_SERVE_BATCH)
        v->max_batch = SCN_MAX_SERVE_BATCH;
    v->max_wait_s = 0.05;
    v->slo_ttft_s = v->slo_e2e_s = INFINITY;
    v->target_utilization = 0.7;
    v->up_delay_s = 60.0;
    v->down_delay_s = 600.0;
    v->interval_s = 60.0;
    v->prompt_tokens = w->tput_source == TPUT_ROOFLINE ? w->roof_in.prompt_tokens
                                                        : prompt >= 0 ? prompt + w->retrieved_tokens : 0.0;
    v->output_tokens = output > 0 ? output : 0.0;
    if (cfgutil_group(e, g, "serving", 0, &sg))
        return -1;
    if (!sg)
        return 0;
    long long bmax = w->tput_source == TPUT_ROOFLINE ? w->roof.batch : SCN_MAX_SERVE_BATCH;
    if (bmax > SCN_MAX_SERVE_BATCH)
        bmax = SCN_MAX_SERVE_BATCH;
    if (cfgutil_check_keys(e, sg, keys) || cfgutil_choice(e, sg, "mode", 0, scn_serve_mode_names, &v->mode) ||
        cfgutil_int(e, sg, "max_batch", 0, 1, bmax, &v->max_batch) ||
        cfgutil_duration(e, sg, "max_wait", 0, 0.0, 86400.0, &v->max_wait_s) ||
        cfgutil_duration(e, sg, "slo_ttft", 0, 1e-6, 86400.0, &v->slo_ttft_s) ||
        cfgutil_duration(e, sg, "slo_e2e", 0, 1e-6, 86400.0, &v->slo_e2e_s) ||
        cfgutil_float(e, sg, "target_utilization", 0, 0.01, 1.0, &v->target_utilization) ||
        cfgutil_group(e, sg, "autoscale", 0, &ag))
        return -1;
    if (v->mode == SERVE_BATCH) /* the other settings are checked but not used: modes can be swapped by --set */
        return 0;
    if (w->pool < 0)
        return cfgutil_fail(e, sg, "workload %s: serving mode \"%s\" needs the workload's own pool (give pool)", w->name,
                            scn_serve_mode_names[v->mode]);
    const scn_pool *p = &s->pools[w->pool];
    if (p->managed && isfinite(p->off_after_s))
        return cfgutil_fail(e, sg, "workload %s: pool %s has power.idle_off_after; a serving pool's nodes are switched "
                                   "off by serving.autoscale",
                            w->name, p->name);
    if (!ag)
        return 0;
    v->autoscale = 1;
    v->min_nodes = 1;
    v->max_nodes = p->count;
    if (cfgutil_check_keys(e, ag, as_keys) || cfgutil_int(e, ag, "min_nodes", 0, 0, p->count, &v->min_nodes) ||
        cfgutil_int(e, ag, "max_nodes", 0, 1, p->count, &v->max_nodes) ||
        cfgutil_duration(e, ag, "scale_up_delay", 0, 0.0, 86400.0, &v->up_delay_s) ||
        cfgutil_duration(e, ag, "scale_down_delay", 0, 0.0, 86400.0, &v->down_delay_s) ||
        cfgutil_duration(e, ag, "interval", 0, 1e-3, 86400.0, &v->interval_s))
        return -1;
    if (v->min_nodes > v->max_nodes)
        return cfgutil_fail(e, ag, "workload %s: autoscale.min_nodes (%lld) exceeds max_nodes (%lld)", w->name,
                            v->min_nodes, v->max_nodes);
    return 0;
}

/* A pool that serves requests (mode request or fluid) belongs to its workload:
 * no other workload may be placed there. */
static int check_serving_pools(const scenario *s, const config_setting_t *root, cfg_err *e)
{
    config_setting_t *list = config_setting_get_member(root, "workloads");
    for (int i = 0; i < s->nworkloads; i++) {
        const scn_workload *w = &s->workloads[i];
        if (w->kind != WL_INFERENCE || w->serving.mode == SERVE_BATCH)
            continue;
        for (int k = 0; k < s->nworkloads; k++) {
            const scn_workload *o = &s->workloads[k];
            if (k == i || !(o->pool == w->pool || (o->pool < 0 && o->node_type == w->node_type)))
                continue;
            return cfgutil_fail(e, list ? config_setting_get_elem(list, (unsigned)k) : NULL,
                                "workload %s may run on pool %s, which serves workload %s per %s; give it another "
                                "pool",
                                o->name, s->pools[w->pool].name, w->name,
                                w->serving.mode == SERVE_REQUEST ? "request" : "step (fluid)");
        }
    }
    return 0;
}

static int load_inference(scenario *s, const config_setting_t *g, scn_workload *w, cfg_err *e)
{
    static const char *const training[] = {"method", "teacher", "tokens", "flops", "accelerator_hours", "vectors",
                                           "dim", "power_per_accelerator_w", "mfu", "service", "nodes",
                                           "accelerators", NULL};
    static const char *const roof_only[] = {"student", "weight_bits", "kv_bits", "sparsity", "compile_factor",
                                            "max_batch", "compute_efficiency", "bandwidth_efficiency",
                                            "memory_fraction", NULL};
    static const char *const through[] = {"auto", "roofline", "measured", NULL};
    static const char *const rag_keys[] = {"retrieved_tokens", "embedding_model", NULL};
    const node_type *t = &s->cat.types[w->node_type];
    config_setting_t *r = NULL, *rag = NULL;
    if (refuse_keys(e, g, w->name, training, "is a setting of training and generic workloads") ||
        (w->model = find_model(s, g, "model", w, e)) == -2)
        return -1;
    if (cfgutil_group(e, g, "rate", 1, &r) || cfgutil_check_keys(e, r, rate_keys) ||
        cfgutil_float(e, r, "mean_per_s", 1, 0.0, 1e9, &w->rate_mean_per_s) ||
        cfgutil_float(e, r, "diurnal_amplitude", 0, 0.0, 1.0, &w->diurnal_amplitude) ||
        cfgutil_float(e, r, "peak_hour_utc", 0, 0.0, 24.0, &w->peak_hour_utc))
        return -1;
    /* RAG: retrieved context on every prompt, and the query's embedding */
    int emb = -1;
    w->retrieved_tokens = 0;
    if (cfgutil_group(e, g, "rag", 0, &rag))
        return -1;
    if (rag && (cfgutil_check_keys(e, rag, rag_keys) ||
                cfgutil_float(e, rag, "retrieved_tokens", 1, 0.0, 1e7, &w->retrieved_tokens) ||
                (emb = find_model(s, rag, "embedding_model", w, e)) == -2))
        return -1;
    double tps = -1, tpr = -1, prompt = -1, output = -1;
    if (cfgutil_float(e, g, "tokens_per_s_per_node", 0, 1e-3, 1e9, &tps) ||
        cfgutil_float(e, g, "tokens_per_request", 0, 1.0, 1e7, &tpr) ||
        cfgutil_float(e, g, "prompt_tokens", 0, 0.0, 1e7, &prompt) ||
        cfgutil_float(e, g, "output_tokens", 0, 1.0, 1e7, &output))
        return -1;
    if (tpr > 0 && (prompt >= 0 || output > 0))
        return cfgutil_fail(e, config_setting_get_member(g, "tokens_per_request"),
                            "workload %s: give tokens_per_request or prompt_tokens and output_tokens, not both",
                            w->name);
    if (tpr < 0 && (prompt < 0 || output < 0))
        return cfgutil_fail(e, g, "inference workload %s needs prompt_tokens and output_tokens (or tokens_per_request "
                                  "with tokens_per_s_per_node)", w->name);
    if (tps > 0) {
        /* a throughput the user gives: no roofline, so no lever acts on it */
        if (refuse_keys(e, g, w->name, roof_only, "acts through the roofline; remove tokens_per_s_per_node to use it") ||
            refuse_keys(e, g, w->name, (const char *const[]){"throughput", NULL}, "conflicts with tokens_per_s_per_node"))
            return -1;
        w->tput_source = TPUT_GIVEN;
        w->served_model = w->model;
        w->tokens_per_request = (tpr > 0 ? tpr : prompt + output) + w->retrieved_tokens;
        w->tokens_per_s_per_node = tps;
    } else {
        if (tpr > 0)
            return cfgutil_fail(e, config_setting_get_member(g, "tokens_per_request"),
                                "workload %s: tokens_per_request goes with tokens_per_s_per_node; for the roofline "
                                "give prompt_tokens and output_tokens",
                                w->name);
        if (w->model < 0)
            return cfgutil_fail(e, g, "inference workload %s needs a model (or tokens_per_s_per_node)", w->name);
        perf_infer_in *in = &w->roof_in;
        int student = -1, mode = 0;
        double wbits = -1, kvbits = 16;
        memset(in, 0, sizeof *in);
        in->precision = PREC_BF16;
        in->max_batch = 64;
        in->compute_eff = 0.5;
        in->bandwidth_eff = 0.6;
        in->compile_factor = 1.0;
        in->mem_fraction = 0.9;
        if ((student = find_model(s, g, "student", w, e)) == -2 ||
            cfgutil_choice(e, g, "precision", 0, catalog_precision_names, &in->precision) ||
            cfgutil_float(e, g, "weight_bits", 0, 1.0, 32.0, &wbits) ||
            cfgutil_float(e, g, "kv_bits", 0, 1.0, 32.0, &kvbits) ||
            cfgutil_float(e, g, "sparsity", 0, 0.0, 0.95, &in->sparsity) ||
            cfgutil_float(e, g, "compile_factor", 0, 1.0, 10.0, &in->compile_factor) ||
            cfgutil_int(e, g, "max_batch", 0, 1, 1000000, &in->max_batch) ||
            cfgutil_float(e, g, "compute_efficiency", 0, 0.01, 1.0, &in->compute_eff) ||
            cfgutil_float(e, g, "bandwidth_efficiency", 0, 0.01, 1.0, &in->bandwidth_eff) ||
            cfgutil_float(e, g, "memory_fraction", 0, 0.05, 1.0, &in->mem_fraction) ||
            cfgutil_choice(e, g, "throughput", 0, through, &mode))
            return -1;
        w->served_model = student >= 0 ? student : w->model;
        in->node = t;
        in->model = &s->cat.models[w->served_model];
        in->weight_bytes = wbits > 0 ? wbits / 8.0 : perf_precision_bytes(in->precision);
        in->kv_bytes = kvbits / 8.0;
        in->prompt_tokens = prompt + w->retrieved_tokens;
        in->output_tokens = output;
        /* the query is embedded once: 2 N_emb FLOPs per query token */
        in->extra_flops = emb >= 0 ? 2.0 * s->cat.models[emb].active_params_b * 1e9 * prompt : 0.0;
        w->tokens_per_request = in->prompt_tokens + output;
        double measured = catalog_measured(&s->cat, w->node_type, w->served_model, in->precision);
        int levers = in->sparsity > 0 || in->compile_factor != 1.0 || wbits > 0 || emb >= 0;
        if (mode == 2 && measured <= 0)
            return cfgutil_fail(e, config_setting_get_member(g, "throughput"),
                                "workload %s: the catalog has no measured throughput of %s on %s at %s", w->name,
                                in->model->name, t->name, catalog_precision_names[in->precision]);
        if (mode == 2 && levers)
            return cfgutil_fail(e, config_setting_get_member(g, "throughput"),
                                "workload %s: a measured throughput leaves no room for sparsity, compile_factor, "
                                "weight_bits or a RAG embedding model; use throughput = \"roofline\"",
                                w->name);
        if (mode == 2 || (mode == 0 && measured > 0 && !levers)) {
            w->tput_source = TPUT_MEASURED;
            w->tokens_per_s_per_node = measured;
        } else {
            char why[512];
            if (perf_inference(in, &w->roof, why, sizeof why))
                return cfgutil_fail(e, g, "workload %s: %s", w->name, why);
            w->tput_source = TPUT_ROOFLINE;
            w->tokens_per_s_per_node = w->roof.tokens_per_s;
            if (!config_setting_get_member(g, "utilization"))
                w->utilization = w->roof.u;
        }
    }
    w->node_s_per_request = w->tokens_per_request / w->tokens_per_s_per_node;
    w->every_s = 3600.0;
    if (cfgutil_duration(e, g, "batch_interval", 0, 1.0, 86400.0 * 7, &w->every_s))
        return -1;
    w->max_nodes = target_capacity(s, w, 1);
    if (w->max_nodes < 1)
        w->max_nodes = 1; /* no pool of this type is on: every batch is rejected */
    if (cfgutil_int(e, g, "max_nodes", 0, 1, SCN_MAX_NODES_PER_POOL, &w->max_nodes))
        return -1;
    if (config_setting_get_member(g, "arrival"))
        return cfgutil_fail(e, config_setting_get_member(g, "arrival"),
                            "inference workload %s: requests come from rate; batches every batch_interval (no arrival)",
                            w->name);
    if (s->drain)
        return cfgutil_fail(e, g, "inference workload %s never ends: use a finite duration, not \"drain\"", w->name);
    w->arrival = ARR_EVERY;
    w->first_s = 0;
    w->count = -1;
    return load_serving(s, g, w, prompt, output, e);
}

/* kind = "aggregate": demand stated as energy, not jobs (a country's or the
 * world's datacenters). load = { mean_mw | annual_twh; diurnal_amplitude;
 * peak_hour_utc; } is the mean IT power and its daily shape; each
 * batch_interval the interval's energy E runs on k = ceil(E / (max_w dt))
 * nodes at full load (u = 1) for E / (k max_w) s, so the pool's node type is
 * a block of capacity (e.g. 1 MW of IT). No randomness: E is the integral of
 * the shape. */
static int load_aggregate(scenario *s, const config_setting_t *g, scn_workload *w, cfg_err *e)
{
    static const char *const allowed[] = {"name", "kind", "pool", "node", "group", "load", "batch_interval",
                                          "max_nodes", NULL};
    static const char *const load_keys[] = {"mean_mw", "annual_twh", "diurnal_amplitude", "peak_hour_utc", NULL};
    const node_type *t = &s->cat.types[w->node_type];
    config_setting_t *l = NULL;
    double mw = -1, twh = -1;
    if (cfgutil_check_keys(e, g, allowed) || cfgutil_group(e, g, "load", 1, &l) ||
        cfgutil_check_keys(e, l, load_keys) || cfgutil_float(e, l, "mean_mw", 0, 0.0, 1e8, &mw) ||
        cfgutil_float(e, l, "annual_twh", 0, 0.0, 1e6, &twh) ||
        cfgutil_float(e, l, "diurnal_amplitude", 0, 0.0, 1.0, &w->diurnal_amplitude) ||
        cfgutil_float(e, l, "peak_hour_utc", 0, 0.0, 24.0, &w->peak_hour_utc))
        return -1;
    if ((mw >= 0) == (twh >= 0))
        return cfgutil_fail(e, l, "aggregate workload %s needs exactly one of load.mean_mw and load.annual_twh",
                            w->name);
    /* 1 TWh per year = 1e6 MWh / 8766 h (a year of 365.25 days) */
    w->rate_mean_per_s = (mw >= 0 ? mw : twh * 1e6 / 8766.0) * 1e6; /* W = J/s */
    if (t->max_w <= 0)
        return cfgutil_fail(e, g, "aggregate workload %s: node type %s has no max_w", w->name, t->name);
    w->node_s_per_request = 1.0 / t->max_w;
    w->utilization = 1.0;
    w->tput_source = TPUT_GIVEN;
    w->served_model = -1;
    w->model = -1;
    w->every_s = s->step_s;
    if (cfgutil_duration(e, g, "batch_interval", 0, 1.0, 86400.0 * 7, &w->every_s))
        return -1;
    w->max_nodes = target_capacity(s, w, 1);
    if (w->max_nodes < 1)
        w->max_nodes = 1;
    if (cfgutil_int(e, g, "max_nodes", 0, 1, SCN_MAX_NODES_PER_POOL, &w->max_nodes))
        return -1;
    if (s->drain)
        return cfgutil_fail(e, g, "aggregate workload %s never ends: use a finite duration, not \"drain\"", w->name);
    w->arrival = ARR_EVERY;
    w->first_s = 0;
    w->count = -1;
    return 0;
}

/* allowed_sites = ["a", "b"]: the sites a workload's jobs may run at (data
 * residency); home_site = "a": the site they are submitted to (default: the
 * site of the first candidate pool). */
static int load_residency(const scenario *s, const config_setting_t *g, scn_workload *w, cfg_err *e)
{
    const config_setting_t *a = config_setting_get_member(g, "allowed_sites");
    const char *home = NULL;
    w->allowed = NULL;
    w->home_site = -1;
    if (cfgutil_string(e, g, "home_site", 0, SCN_NAME_MAX, &home))
        return -1;
    if (home) {
        for (int i = 0; i < s->nsites; i++)
            if (!strcmp(s->sites[i].name, home))
                w->home_site = i;
        if (w->home_site < 0)
            return cfgutil_fail(e, config_setting_get_member(g, "home_site"), "workload %s: no site \"%s\"", w->name,
                                home);
    }
    if (a) {
        int n = config_setting_length(a);
        if ((config_setting_type(a) != CONFIG_TYPE_ARRAY && config_setting_type(a) != CONFIG_TYPE_LIST) || n < 1)
            return cfgutil_fail(e, a, "workload %s: allowed_sites must be a list of site names, e.g. [\"eu-west\"]",
                                w->name);
        w->allowed = calloc((size_t)s->nsites, 1);
        if (!w->allowed)
            return cfgutil_fail(e, a, "out of memory");
        for (int k = 0; k < n; k++) {
            const char *name = config_setting_get_string_elem(a, k);
            int site = -1;
            for (int i = 0; name && i < s->nsites; i++)
                if (!strcmp(s->sites[i].name, name))
                    site = i;
            if (!name)
                return cfgutil_fail(e, a, "workload %s: allowed_sites[%d] is not a string", w->name, k);
            if (site < 0)
                return cfgutil_fail(e, a, "workload %s: allowed_sites[%d]: no site \"%s\"", w->name, k, name);
            w->allowed[site] = 1;
        }
    }
    int any = 0;
    for (int i = 0; i < s->npools; i++)
        any |= scn_candidate(s, w, i);
    if (!any && w->pool >= 0)
        return cfgutil_fail(e, a, "workload %s: pool %s is at site %s, which allowed_sites leaves out", w->name,
                            s->pools[w->pool].name, s->sites[s->pools[w->pool].site].name);
    if (!any)
        return cfgutil_fail(e, a ? a : g, "workload %s: no pool of node type %s at its allowed sites", w->name,
                            s->cat.types[w->node_type].name);
    return 0;
}

/* checkpointable = true; checkpoint_overhead = DURATION: jobs that the
 * scheduler may suspend (docs/SCHEDULING.md). Training and generic only; a
 * suspended job must know how long it may wait, so it needs slack or a
 * deadline (a trace's deadline column for trace arrivals). */
static int load_checkpoint(const config_setting_t *g, scn_workload *w, cfg_err *e)
{
    const config_setting_t *ov = config_setting_get_member(g, "checkpoint_overhead");
    w->checkpoint_overhead_s = 0.0;
    if (cfgutil_bool(e, g, "checkpointable", 0, &w->checkpointable) ||
        cfgutil_duration(e, g, "checkpoint_overhead", 0, 0.0, 30.0 * 86400.0, &w->checkpoint_overhead_s))
        return -1;
    if (ov && !w->checkpointable)
        return cfgutil_fail(e, ov, "workload %s: checkpoint_overhead needs checkpointable = true", w->name);
    if (!w->checkpointable)
        return 0;
    const config_setting_t *c = config_setting_get_member(g, "checkpointable");
    if (w->kind != WL_TRAINING && w->kind != WL_GENERIC)
        return cfgutil_fail(e, c, "workload %s: only training and generic jobs can be checkpointable", w->name);
    const config_setting_t *a = config_setting_get_member(g, "arrival");
    const char *proc = NULL;
    int is_trace = a && config_setting_lookup_string(a, "process", &proc) && !strcmp(proc, "trace");
    if (w->slack_s < 0 && w->deadline_s < 0 && !is_trace)
        return cfgutil_fail(e, c, "workload %s: checkpointable jobs need slack or deadline (how long they may be suspended)",
                            w->name);
    return 0;
}

static int load_workloads(scenario *s, const config_setting_t *root, cfg_err *e)
{
    config_setting_t *wl = NULL;
    if (cfgutil_list(e, root, "workloads", 1, &wl))
        return -1;
    int n = config_setting_length(wl);
    if (n <= 0)
        return cfgutil_fail(e, wl, "workloads must hold at least one workload");
    s->workloads = calloc((size_t)n, sizeof *s->workloads);
    if (!s->workloads)
        return cfgutil_fail(e, NULL, "out of memory");
    for (int i = 0; i < n; i++) {
        config_setting_t *g = config_setting_get_elem(wl, (unsigned)i);
        scn_workload *w = &s->workloads[i];
        const char *v = NULL;
        if (cfgutil_check_keys(e, g, wl_keys) || cfgutil_string(e, g, "name", 1, SCN_NAME_MAX, &v))
            return -1;
        strcpy(w->name, v);
        strcpy(w->group, v);
        if (cfgutil_string(e, g, "group", 0, SCN_NAME_MAX, &v))
            return -1;
        if (config_setting_get_member(g, "group"))
            strcpy(w->group, v);
        for (int k = 0; k < 2; k++) {
            /* both name a group in the result file (/workloads, /groups) */
            const char *x = k ? w->group : w->name;
            if (strchr(x, '/') || !strcmp(x, ".") || !strcmp(x, "units") || !strcmp(x, "long_name"))
                return cfgutil_fail(e, config_setting_get_member(g, k ? "group" : "name"),
                                    "workload %s \"%s\" cannot name a result group (no '/', not \".\", \"units\" "
                                    "or \"long_name\")", k ? "group" : "name", x);
        }
        for (int k = 0; k < i; k++)
            if (!strcmp(s->workloads[k].name, w->name))
                return cfgutil_fail(e, g, "workload \"%s\" is defined twice", w->name);
        s->nworkloads++;
        if (cfgutil_choice(e, g, "kind", 1, scn_kind_names, &w->kind) || resolve_target(s, g, w, e) ||
            load_residency(s, g, w, e))
            return -1;
        const node_type *t = &s->cat.types[w->node_type];
        long long prio = 0;
        if (cfgutil_int(e, g, "priority", 0, -1000000, 1000000, &prio))
            return -1;
        w->priority = (int)prio;
        w->slack_s = w->deadline_s = -1;
        if (cfgutil_duration(e, g, "slack", 0, 0.0, SCN_MAX_DURATION_S, &w->slack_s) ||
            cfgutil_duration(e, g, "deadline", 0, 1.0, SCN_MAX_DURATION_S, &w->deadline_s))
            return -1;
        if (w->slack_s >= 0 && w->deadline_s > 0)
            return cfgutil_fail(e, g, "workload %s: give slack or deadline, not both", w->name);
        if (load_checkpoint(g, w, e))
            return -1;
        w->utilization = 1.0;
        w->nodes = 1;
        long long acc = -1;
        if (cfgutil_float(e, g, "utilization", 0, 0.0, 1.0, &w->utilization) ||
            cfgutil_int(e, g, "nodes", 0, 1, SCN_MAX_NODES_PER_POOL, &w->nodes) ||
            cfgutil_int(e, g, "accelerators", 0, 1, SCN_MAX_NODES_PER_POOL * 64, &acc))
            return -1;
        if (acc > 0) {
            if (config_setting_get_member(g, "nodes"))
                return cfgutil_fail(e, g, "workload %s: give nodes or accelerators, not both", w->name);
            if (t->accelerators == 0)
                return cfgutil_fail(e, config_setting_get_member(g, "accelerators"),
                                    "workload %s: node type %s has no accelerators; give nodes", w->name, t->name);
            w->nodes = (acc + t->accelerators - 1) / t->accelerators;
        }
        if (w->kind == WL_INFERENCE) {
            if (load_inference(s, g, w, e))
                return -1;
            continue;
        }
        if (w->kind == WL_AGGREGATE) {
            if (load_aggregate(s, g, w, e))
                return -1;
            continue;
        }
        if (w->kind == WL_TRAINING) {
            if (load_training(s, g, w, e))
                return -1;
        } else {
            static const char *const others[] = {"method", "teacher", "vectors", "dim", "student", "prompt_tokens",
                                                 "output_tokens", "rag", "throughput", "sparsity", "serving", NULL};
            config_setting_t *sv = NULL;
            w->service_dist = DIST_FIXED;
            if (refuse_keys(e, g, w->name, others, "is not a setting of generic workloads"))
                return -1;
            if (cfgutil_group(e, g, "service", 1, &sv) || cfgutil_check_keys(e, sv, service_keys) ||
                cfgutil_choice(e, sv, "dist", 0, dist_names, &w->service_dist) ||
                cfgutil_duration(e, sv, "mean", 1, 1e-6, SCN_MAX_DURATION_S, &w->service_mean_s))
                return -1;
        }
        if (load_arrival(s, g, w, e))
            return -1;
        if (s->drain && w->count < 0)
            return cfgutil_fail(e, config_setting_get_member(g, "arrival"),
                                "workload %s never ends: with duration = \"drain\" give arrival.count", w->name);
    }
    return 0;
}

static int load_projection(scenario *s, const config_t *cfg, cfg_err *e);

/* scheduler.suspend_above_g_per_kwh or suspend_above_percentile: the
 * intensity threshold above which checkpointable jobs are suspended. */
static int load_suspend(scenario *s, const config_setting_t *g, cfg_err *e)
{
    s->suspend_above_g_per_kwh = s->suspend_above_pct = -1.0;
    if (!g)
        return 0;
    const config_setting_t *a = config_setting_get_member(g, "suspend_above_g_per_kwh"),
                           *b = config_setting_get_member(g, "suspend_above_percentile");
    if (cfgutil_float(e, g, "suspend_above_g_per_kwh", 0, 0.0, 2000.0, &s->suspend_above_g_per_kwh) ||
        cfgutil_float(e, g, "suspend_above_percentile", 0, 0.0, 100.0, &s->suspend_above_pct))
        return -1;
    if (a && b)
        return cfgutil_fail(e, b, "scheduler: give suspend_above_g_per_kwh or suspend_above_percentile, not both");
    if ((a || b) && s->drain)
        return cfgutil_fail(e, a ? a : b, "scheduler: suspending jobs needs a finite duration, not \"drain\"");
    return 0;
}

/* scheduler = { policy; placement; backfill_depth; }: the defaults of every
 * pool (a pool's own `policy` wins). */
static int load_scheduler(scenario *s, const config_setting_t *root, cfg_err *e)
{
    config_setting_t *g = NULL;
    long long depth = 100;
    s->policy = SCHED_FIFO;
    s->placement = PLACE_FIRST_FIT;
    s->forecast_noise_sd = 0.1;
    if (cfgutil_group(e, root, "scheduler", 0, &g))
        return -1;
    if (g && (cfgutil_check_keys(e, g, sched_keys) ||
              cfgutil_choice(e, g, "policy", 0, sched_policy_names, &s->policy) ||
              cfgutil_choice(e, g, "placement", 0, sched_placement_names, &s->placement) ||
              cfgutil_int(e, g, "backfill_depth", 0, 1, 1000000, &depth) ||
              cfgutil_choice(e, g, "carbon_policy", 0, policy_carbon_names, &s->carbon_policy) ||
              cfgutil_choice(e, g, "forecast", 0, policy_forecast_names, &s->forecast) ||
              cfgutil_float(e, g, "forecast_noise_sd", 0, 0.0, 10.0, &s->forecast_noise_sd)))
        return -1;
    if (g && s->carbon_policy == CARBON_SHIFT && s->drain)
        return cfgutil_fail(e, config_setting_get_member(g, "carbon_policy"),
                            "scheduler.carbon_policy = \"shift\" needs a finite duration, not \"drain\"");
    if (load_suspend(s, g, e))
        return -1;
    s->baseline = 0;
    if (g && cfgutil_choice(e, g, "baseline", 0, scn_baseline_names, &s->baseline))
        return -1;
    if (g && s->placement == PLACE_LEAST_CARBON_FORECAST && s->drain)
        return cfgutil_fail(e, config_setting_get_member(g, "placement"),
                            "scheduler.placement = \"least_carbon_forecast\" needs a finite duration, not \"drain\"");
    if (g && config_setting_get_member(g, "forecast_noise_sd") && s->forecast != FORECAST_NOISY)
        return cfgutil_fail(e, config_setting_get_member(g, "forecast_noise_sd"),
                            "scheduler.forecast_noise_sd is for forecast = \"noisy\"");
    s->backfill_depth = (int)depth;
    for (int i = 0; i < s->npools; i++)
        if (s->pools[i].policy < 0)
            s->pools[i].policy = s->policy;
    return 0;
}

static int load_all(scenario *s, config_t *cfg, cfg_err *e)
{
    config_setting_t *root = config_root_setting(cfg), *types = NULL, *models = NULL, *g = NULL;
    const char *v = NULL;
    if (cfgutil_check_keys(e, root, top_keys) || cfgutil_string(e, root, "name", 1, SCN_NAME_MAX, &v))
        return -1;
    strcpy(s->name, v);
    long long seed = 1;
    if (cfgutil_int(e, root, "seed", 0, 0, 9223372036854775807LL, &seed))
        return -1;
    s->seed = (uint64_t)seed;
    if (read_time(e, root, "start", 1, &s->start_epoch))
        return -1;
    timeutil_format_iso(s->start_epoch, s->start_iso, sizeof s->start_iso);
    s->step_s = 3600.0;
    if (cfgutil_duration(e, root, "step", 0, 1.0, 3600.0, &s->step_s))
        return -1;
    config_setting_t *st = config_setting_get_member(root, "step");
    if (fmod(3600.0, s->step_s) != 0.0)
        return cfgutil_fail(e, st, "step must divide one hour (e.g. 1h, 30min, 15min, 5min, 1min), got %g s", s->step_s);
    if (s->start_epoch % (int64_t)s->step_s != 0)
        return cfgutil_fail(e, config_setting_get_member(root, "start"),
                            "start must be a multiple of the step (%g s) after a whole hour", s->step_s);
    config_setting_t *d = config_setting_get_member(root, "duration");
    if (d && config_setting_type(d) == CONFIG_TYPE_STRING && !strcmp(config_setting_get_string(d), "drain")) {
        s->drain = 1;
        s->duration_s = SCN_MAX_DURATION_S;
    } else {
        if (cfgutil_duration(e, root, "duration", 1, 1.0, SCN_MAX_DURATION_S, &s->duration_s))
            return -1;
        if (s->duration_s / s->step_s > SCN_MAX_STEPS)
            return cfgutil_fail(e, d, "duration / step is %.3g steps; at most %.3g are allowed", s->duration_s / s->step_s,
                                SCN_MAX_STEPS);
    }
    config_setting_t *measured = NULL;
    if (cfgutil_list(e, root, "node_types", 1, &types) || cfgutil_list(e, root, "models", 0, &models) ||
        cfgutil_list(e, root, "measured_throughput", 0, &measured) ||
        catalog_load(&s->cat, types, models, measured, e))
        return -1;
    if (load_sites(s, root, e) || load_workloads(s, root, e) || check_serving_pools(s, root, e))
        return -1;
    if (load_scheduler(s, root, e))
        return -1;
    s->output_jobs = 1;
    v = NULL;
    if (cfgutil_group(e, root, "output", 0, &g))
        return -1;
    if (g && (cfgutil_check_keys(e, g, output_keys) || cfgutil_string(e, g, "file", 0, 4000, &v) ||
              cfgutil_bool(e, g, "jobs", 0, &s->output_jobs)))
        return -1;
    if (v) {
        s->output_file = strdup(v);
    } else {
        size_t len = strlen(s->name) + 16;
        s->output_file = malloc(len);
        if (s->output_file)
            snprintf(s->output_file, len, "results/%s.h5", s->name);
    }
    if (!s->output_file)
        return cfgutil_fail(e, NULL, "out of memory");
    return load_projection(s, cfg, e);
}

const char *const scn_trend_names[] = {"values", "growth_per_year", "doubling_years", "change_per_year", NULL};

/* projection = { first_year; last_year; trends = ( { path; values | growth_per_year |
 * doubling_years | change_per_year; }, ... ); } */
static int load_projection(scenario *s, const config_t *cfg, cfg_err *e)
{
    static const char *const keys[] = {"first_year", "last_year", "trends", NULL};
    static const char *const trend_keys[] = {"path", "values", "growth_per_year", "doubling_years", "change_per_year",
                                             NULL};
    config_setting_t *g = NULL, *tl = NULL;
    if (cfgutil_group(e, config_root_setting(cfg), "projection", 0, &g) || !g)
        return g ? -1 : 0;
    long long y0 = 0, y1 = 0;
    if (cfgutil_check_keys(e, g, keys) || cfgutil_int(e, g, "first_year", 1, 1900, 2500, &y0) ||
        cfgutil_int(e, g, "last_year", 1, 1900, 2500, &y1) || cfgutil_list(e, g, "trends", 0, &tl))
        return -1;
    if (y1 < y0 || y1 - y0 + 1 > SCN_MAX_YEARS)
        return cfgutil_fail(e, config_setting_get_member(g, "last_year"),
                            "projection: last_year must be from first_year to first_year + %d", SCN_MAX_YEARS - 1);
    char sy[8];
    snprintf(sy, sizeof sy, "%.4s", s->start_iso);
    /* each year's run replaces the year of start (so its own load sees start
     * anywhere from first_year to last_year) */
    if (atoi(sy) < y0 || atoi(sy) > y1)
        return cfgutil_fail(e, config_setting_get_member(g, "first_year"),
                            "projection: start (%s) must fall in first_year .. last_year (%lld .. %lld)",
                            s->start_iso, y0, y1);
    if (!strncmp(s->start_iso + 4, "-02-29", 6))
        return cfgutil_fail(e, config_setting_get_member(config_root_setting(cfg), "start"),
                            "projection: start on 29 February cannot repeat every year");
    if (s->drain)
        return cfgutil_fail(e, g, "projection: each year runs the scenario's duration; \"drain\" has none");
    s->proj.first_year = (int)y0;
    s->proj.nyears = (int)(y1 - y0 + 1);
    int n = tl ? config_setting_length(tl) : 0;
    s->proj.trends = calloc((size_t)(n > 0 ? n : 1), sizeof *s->proj.trends);
    if (!s->proj.trends)
        return cfgutil_fail(e, NULL, "out of memory");
    for (int k = 0; k < n; k++) {
        config_setting_t *t = config_setting_get_elem(tl, (unsigned)k);
        scn_trend *tr = &s->proj.trends[k];
        const char *path = NULL;
        if (cfgutil_check_keys(e, t, trend_keys) || cfgutil_string(e, t, "path", 1, sizeof tr->path - 1, &path))
            return -1;
        s->proj.ntrends++;
        strcpy(tr->path, path);
        int ways = 0;
        for (int w = 0; scn_trend_names[w]; w++)
            if (config_setting_get_member(t, scn_trend_names[w])) {
                tr->kind = w;
                ways++;
            }
        if (ways != 1)
            return cfgutil_fail(e, t, "projection trend %s needs exactly one of values, growth_per_year, "
                                      "doubling_years and change_per_year", path);
        config_setting_t *target = cfgutil_lookup(cfg, path);
        if (!target)
            return cfgutil_fail(e, config_setting_get_member(t, "path"),
                                "projection trend: the scenario has no setting %s", path);
        int tt = config_setting_type(target);
        int numeric = tt == CONFIG_TYPE_INT || tt == CONFIG_TYPE_INT64 || tt == CONFIG_TYPE_FLOAT;
        if (!numeric && tt != CONFIG_TYPE_STRING && tt != CONFIG_TYPE_BOOL)
            return cfgutil_fail(e, config_setting_get_member(t, "path"),
                                "projection trend: %s is a group or list, not a value", path);
        if (tr->kind == TREND_VALUES) {
            config_setting_t *v = config_setting_get_member(t, "values");
            int vt = config_setting_type(v);
            if ((vt != CONFIG_TYPE_ARRAY && vt != CONFIG_TYPE_LIST) || config_setting_length(v) != s->proj.nyears)
                return cfgutil_fail(e, v, "projection trend %s: values needs one value per year (%d, %d to %lld)",
                                    path, s->proj.nyears, s->proj.first_year, y1);
            tr->values = calloc((size_t)s->proj.nyears, sizeof *tr->values);
            if (!tr->values)
                return cfgutil_fail(e, NULL, "out of memory");
            for (int y = 0; y < s->proj.nyears; y++) {
                config_setting_t *x = config_setting_get_elem(v, (unsigned)y);
                char buf[300];
                switch (config_setting_type(x)) {
                case CONFIG_TYPE_INT:
                case CONFIG_TYPE_INT64:
                    snprintf(buf, sizeof buf, "%lld", config_setting_get_int64(x));
                    break;
                case CONFIG_TYPE_FLOAT:
                    snprintf(buf, sizeof buf, "%.17g", config_setting_get_float(x));
                    break;
                case CONFIG_TYPE_STRING:
                    snprintf(buf, sizeof buf, "%s", config_setting_get_string(x));
                    break;
                case CONFIG_TYPE_BOOL:
                    snprintf(buf, sizeof buf, "%s", config_setting_get_bool(x) ? "true" : "false");
                    break;
                default:
                    return cfgutil_fail(e, x, "projection trend %s: each value must be a number, string or boolean",
                                        path);
                }
                if (!(tr->values[y] = strdup(buf)))
                    return cfgutil_fail(e, NULL, "out of memory");
            }
            continue;
        }
        if (!numeric)
            return cfgutil_fail(e, config_setting_get_member(t, "path"),
                                "projection trend: %s is not a number; give values", path);
        tr->base = tt == CONFIG_TYPE_FLOAT ? config_setting_get_float(target) : (double)config_setting_get_int64(target);
        if (tr->kind == TREND_GROWTH && cfgutil_float(e, t, "growth_per_year", 1, -0.99, 100.0, &tr->rate))
            return -1;
        if (tr->kind == TREND_DOUBLING && cfgutil_float(e, t, "doubling_years", 1, 0.1, 1000.0, &tr->rate))
            return -1;
        if (tr->kind == TREND_CHANGE && cfgutil_float(e, t, "change_per_year", 1, -1e12, 1e12, &tr->rate))
            return -1;
        tr->integer = tt != CONFIG_TYPE_FLOAT; /* e.g. a pool's count: rounded each year */
    }
    return 0;
}

void scenario_trend_set(const scenario *s, int k, int y, char *buf, size_t len)
{
    const scn_trend *t = &s->proj.trends[k];
    double v = t->base;
    switch (t->kind) {
    case TREND_VALUES:
        snprintf(buf, len, "%s=%s", t->path, t->values[y]);
        return;
    case TREND_GROWTH:
        v = t->base * pow(1.0 + t->rate, y);
        break;
    case TREND_DOUBLING:
        v = t->base * pow(2.0, y / t->rate);
        break;
    default:
        v = t->base + t->rate * y;
        break;
    }
    if (t->integer)
        snprintf(buf, len, "%s=%.0f", t->path, round(v));
    else
        snprintf(buf, len, "%s=%.17g", t->path, v);
}

/* libconfig 1.5 silently truncates an integer literal above 2^31 - 1 that has
 * no L suffix (10^12 nodes would read as -727379968). Scans the text of path
 * and the files it @includes for such literals; returns -1 with a located
 * message if one is found. */
static int scan_big_ints(const char *path, const char *dir, int depth, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f || depth > 10) {
        if (f)
            fclose(f);
        return 0; /* libconfig reports the missing file itself */
    }
    int c, prev = '\n', line = 1, rc = 0;
    char tok[128];
    while (rc == 0 && (c = fgetc(f)) != EOF) {
        if (c == '\n') {
            line++;
        } else if (c == '"') { /* a string, with escapes */
            while ((c = fgetc(f)) != EOF && c != '"') {
                if (c == '\\')
                    c = fgetc(f);
                if (c == '\n')
                    line++;
            }
        } else if (c == '#' || (c == '/' && prev == '/')) { /* comment to the end of the line */
            while ((c = fgetc(f)) != EOF && c != '\n')
                ;
            line++;
        } else if (c == '*' && prev == '/') { /* block comment */
            int p2 = 0;
            while ((c = fgetc(f)) != EOF && !(p2 == '*' && c == '/')) {
                if (c == '\n')
                    line++;
                p2 = c;
            }
            c = ' ';
        } else if (c == '@') { /* @include "file" */
            char word[16] = "", name[1024] = "";
            if (fscanf(f, "%15[a-z] \"%1023[^\"]\"", word, name) == 2 && !strcmp(word, "include")) {
                char inc[2048];
                snprintf(inc, sizeof inc, "%s/%s", dir, name);
                /* libconfig would only say "cannot open include file", and
                 * its scanner exits the process on a folder */
                FILE *probe = fopen(inc, "r");
                if (!probe || (fgetc(probe) == EOF && ferror(probe))) {
                    snprintf(err, errlen, "%s:%d: cannot %s @include \"%s\" (%s): %s", path, line,
                             probe ? "read" : "open", name, inc, strerror(errno));
                    if (probe)
                        fclose(probe);
                    rc = -1;
                } else {
                    fclose(probe);
                    rc = scan_big_ints(inc, dir, depth + 1, err, errlen);
                }
            }
        } else if (c >= '0' && c <= '9' && !(isalnum(prev) || prev == '_' || prev == '.')) {
            size_t n = 0;
            tok[n++] = (char)c;
            while ((c = fgetc(f)) != EOF && (isalnum(c) || c == '.' || c == '_'))
                if (n < sizeof tok - 1)
                    tok[n++] = (char)c;
            tok[n] = '\0';
            if (c == '\n')
                line++;
            int is_float = strpbrk(tok, ".eE") && !(tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X'));
            if (!is_float && tok[n - 1] != 'L' && !(tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X'))) {
                errno = 0;
                unsigned long long v = strtoull(tok, NULL, 10);
                if (errno || v > 2147483647ULL) {
                    snprintf(err, errlen,
                             "%s:%d: integer %s is too large for a plain integer (over 2147483647): "
                             "write %sL for a 64-bit integer, or %s.0 for a number",
                             path, line, tok, tok, tok);
                    rc = -1;
                }
            }
        }
        prev = c;
    }
    fclose(f);
    return rc;
}

/* Reads path (with @include relative to its folder) into cfg. */
static int read_config(config_t *cfg, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    if (fgetc(f) == EOF && ferror(f)) { /* a folder opens, but cannot be read */
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        fclose(f);
        return -1;
    }
    fclose(f);
    char *dircopy = strdup(path);
    if (!dircopy) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    const char *dir = dirname(dircopy);
    config_set_include_dir(cfg, dir);
    if (scan_big_ints(path, dir, 0, err, errlen)) {
        free(dircopy);
        return -1;
    }
    free(dircopy);
    if (config_read_file(cfg, path) != CONFIG_TRUE) {
        const char *file = config_error_file(cfg);
        snprintf(err, errlen, "%s:%d: %s", file ? file : path, config_error_line(cfg), config_error_text(cfg));
        return -1;
    }
    return 0;
}

int scenario_load(scenario *s, const char *path, const char *const *sets, int nsets, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    config_t cfg;
    config_init(&cfg);
    cfg_err e = {.msg = "", .default_file = path};
    int rc = -1;
    if (read_config(&cfg, path, err, errlen))
        goto done;
    for (int i = 0; i < nsets; i++)
        if (cfgutil_apply_set(&e, &cfg, sets[i])) {
            snprintf(err, errlen, "%s", e.msg);
            goto done;
        }
    s->path = strdup(path);
    if (!s->path) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    if (load_all(s, &cfg, &e)) {
        snprintf(err, errlen, "%s", e.msg);
        goto done;
    }
    /* the resolved text, includes and overrides applied */
    size_t len = 0;
    FILE *mem = open_memstream(&s->config_text, &len);
    if (!mem) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    config_write(&cfg, mem);
    int unwritten = ferror(mem);
    if (fclose(mem) != 0 || unwritten) { /* the text could not grow: out of memory */
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    rc = 0;
done:
    config_destroy(&cfg);
    if (rc)
        scenario_free(s);
    return rc;
}

int scenario_load_catalog(catalog *c, const char *path, char *err, size_t errlen)
{
    config_t cfg;
    config_init(&cfg);
    cfg_err e = {.msg = "", .default_file = path};
    int rc = -1;
    memset(c, 0, sizeof *c);
    if (read_config(&cfg, path, err, errlen))
        goto done;
    config_setting_t *root = config_root_setting(&cfg), *types = NULL, *models = NULL, *measured = NULL;
    if (cfgutil_list(&e, root, "node_types", 0, &types) || cfgutil_list(&e, root, "models", 0, &models) ||
        cfgutil_list(&e, root, "measured_throughput", 0, &measured) ||
        catalog_load(c, types, models, measured, &e)) {
        snprintf(err, errlen, "%s", e.msg);
        goto done;
    }
    rc = 0;
done:
    config_destroy(&cfg);
    return rc;
}

int scn_candidate(const scenario *s, const scn_workload *w, int pool)
{
    const scn_pool *p = &s->pools[pool];
    if (w->pool >= 0 ? w->pool != pool : p->type != w->node_type)
        return 0;
    return !w->allowed || w->allowed[p->site];
}
