/* sweep.c - sweep files, their variants, their runs and statistics (see sweep.h). */
#define _POSIX_C_SOURCE 200809L
#include "sweep.h"

#include <errno.h>
#include <libconfig.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef _OPENMP
#include <omp.h>
#define SWEEP_PRAGMA(x) _Pragma(x)
#else
#define SWEEP_PRAGMA(x)
#endif

#include "account.h"
#include "cfgutil.h"
#include "scenario.h"
#include "sim.h"
#include "sweepstat.h"

/* ---- the metrics: the columns of /runs ---------------------------------- */

/* Figures taken from each run's /summary (by name), then the two the sweep
 * counts itself from the job records (slo_*). Order = column order. */
static const sweep_metric metric_table[] = {
    {"energy_mwh", "MWh", "energy drawn from the grid", 1},
    {"facility_energy_mwh", "MWh", "facility energy: IT + cooling + losses + fixed", 0},
    {"it_energy_mwh", "MWh", "IT energy of all nodes", 0},
    {"mean_pue", "1", "facility energy / IT energy", 0},
    {"emissions_t", "t", "location-based emissions, t CO2e", 1},
    {"emissions_market_t", "t", "market-based emissions, t CO2e", 0},
    {"embodied_t", "t", "embodied emissions of every node amortised over the run, t CO2e", 0},
    {"emissions_with_embodied_t", "t", "location-based plus embodied emissions, t CO2e", 0},
    {"water_m3", "m3", "water used, on-site plus off-site", 1},
    {"cost_usd", "USD", "node-hours x price + energy x energy price", 1},
    {"jobs_submitted", "1", "jobs submitted", 0},
    {"jobs_completed", "1", "jobs finished", 0},
    {"jobs_rejected", "1", "jobs no pool could ever hold", 0},
    {"jobs_queued_at_end", "1", "jobs still waiting when the run ended", 0},
    {"mean_wait_s", "s", "mean over started jobs of start - submit", 1},
    {"p_wait", "1", "fraction of started jobs that waited", 0},
    {"slo_violations", "1", "started jobs that waited longer than slo_max_wait_s", 1},
    {"slo_violation_fraction", "1", "slo_violations / started jobs", 0},
    {"busy_node_hours", "h", "node-hours spent running jobs", 0},
    {"requests", "1", "inference requests served", 0},
    {"events", "1", "events processed", 0},
};
enum { NMETRICS = (int)(sizeof metric_table / sizeof metric_table[0]) };
enum { M_SLO = 16, M_SLO_FRAC = 17 }; /* the two the sweep computes */

const sweep_metric *sweep_metrics(int *n)
{
    *n = NMETRICS;
    return metric_table;
}

int sweep_metric_index(const char *name)
{
    for (int i = 0; i < NMETRICS; i++)
        if (!strcmp(metric_table[i].name, name))
            return i;
    return -1;
}

/* ---- the sweep ---------------------------------------------------------- */

/* One override of a variant and where the sweep file wrote it. */
typedef struct sweep_set {
    char *text; /* "path=value" (owned) */
    int line;   /* line in the sweep file */
} sweep_set;

typedef struct variant {
    char *name;          /* (owned) */
    int line;            /* line of the variant (or of the first grid axis) */
    sweep_set *sets;     /* [nsets] */
    int nsets;
    scenario scn;        /* loaded with the common and variant overrides */
    int loaded;
    const char **site_names, **pool_names; /* [nsites], [npools]: into scn */
    int *pool_site;      /* [npools] */
} variant;

struct sweep {
    char *path, *name, *base, *output, *text;
    int base_line;       /* line of `base` in the sweep file */
    int has_seed;        /* 0 until seed0 is known (the file's, or the base scenario's) */
    int seed_line;       /* line of `seed` (or of `replications`) in the sweep file, 0 if neither */
    int nreps;
    uint64_t seed0;
    int reference;
    double slo_s;
    int series;
    sweep_set *common;   /* applied to every variant */
    int ncommon;
    variant *v;
    int nv;
    char **paths;        /* [npaths] every path a variant overrides */
    int npaths;
    char **settings;     /* [nv][npaths] (owned strings; "" = base) */
    const char **vnames; /* [nv] the variants' names */
    /* per run */
    double *values;      /* [nruns][NMETRICS] */
    double *run_wall;    /* [nruns] */
    sweep_series *ser;   /* [nruns] when series */
    long nruns_alloc;
    /* sweep_finish's output */
    uint64_t *seeds;
    sweep_stat *stats, *paired;
};

static void series_free(sweep_series *x)
{
    free(x->t);
    free(x->site_vals);
    free(x->pool_vals);
    memset(x, 0, sizeof *x);
}

static void free_runs(sweep *sw)
{
    if (sw->ser)
        for (long k = 0; k < sw->nruns_alloc; k++)
            series_free(&sw->ser[k]);
    free(sw->ser);
    free(sw->values);
    free(sw->run_wall);
    sw->ser = NULL;
    sw->values = sw->run_wall = NULL;
    sw->nruns_alloc = 0;
}

void sweep_free(sweep *sw)
{
    if (!sw)
        return;
    for (int i = 0; i < sw->nv; i++) {
        variant *v = &sw->v[i];
        free(v->name);
        for (int k = 0; k < v->nsets; k++)
            free(v->sets[k].text);
        free(v->sets);
        if (v->loaded)
            scenario_free(&v->scn);
        free(v->site_names);
        free(v->pool_names);
        free(v->pool_site);
    }
    free(sw->v);
    free(sw->vnames);
    for (int k = 0; k < sw->ncommon; k++)
        free(sw->common[k].text);
    free(sw->common);
    if (sw->settings)
        for (long i = 0; i < (long)sw->nv * sw->npaths; i++)
            free(sw->settings[i]);
    free(sw->settings);
    for (int i = 0; i < sw->npaths; i++)
        free(sw->paths[i]);
    free(sw->paths);
    free_runs(sw);
    free(sw->seeds);
    free(sw->stats);
    free(sw->paired);
    free(sw->path);
    free(sw->name);
    free(sw->base);
    free(sw->output);
    free(sw->text);
    free(sw);
}

/* ---- reading the sweep file --------------------------------------------- */

static const char *const top_keys[] = {"name", "base", "replications", "seed", "reference", "slo_max_wait",
                                       "series", "output", "set", "variants", "grid", NULL};
static const char *const variant_keys[] = {"name", "set", NULL};
static const char *const axis_keys[] = {"path", "label", "values", "from", "to", "step", NULL};

/* Formats a double so that it reads back to the same value, shortest first. */
static void fmt_double(double d, char *buf, size_t len)
{
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, len, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    /* a float value keeps a float look, so that an override creates a float */
    if (!strpbrk(buf, ".eEn"))
        strncat(buf, ".0", len - strlen(buf) - 1);
}

/* The text of a scalar setting, as an override value; -1 if not a scalar. */
static int scalar_text(const config_setting_t *s, char *buf, size_t len)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        snprintf(buf, len, "%lld", config_setting_get_int64(s));
        return 0;
    case CONFIG_TYPE_FLOAT:
        fmt_double(config_setting_get_float(s), buf, len);
        return 0;
    case CONFIG_TYPE_BOOL:
        snprintf(buf, len, "%s", config_setting_get_bool(s) ? "true" : "false");
        return 0;
    case CONFIG_TYPE_STRING:
        snprintf(buf, len, "%s", config_setting_get_string(s));
        return 0;
    default:
        return -1;
    }
}

static int line_of(const config_setting_t *s)
{
    return (int)config_setting_source_line(s);
}

/* Reads a `set` array or list of "path=value" strings. */
static int read_sets(cfg_err *e, const config_setting_t *g, sweep_set **out, int *n)
{
    config_setting_t *s = config_setting_get_member(g, "set");
    *out = NULL;
    *n = 0;
    if (!s)
        return 0;
    int t = config_setting_type(s);
    if (t == CONFIG_TYPE_STRING)
        return cfgutil_fail(e, s, "set must be a list of \"path=value\" strings: [ \"a.b=1\", ... ]");
    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
        return cfgutil_fail(e, s, "set must be a list of \"path=value\" strings: [ \"a.b=1\", ... ]");
    int len = config_setting_length(s);
    *out = calloc((size_t)len + 1, sizeof **out);
    if (!*out)
        return cfgutil_fail(e, NULL, "out of memory");
    for (int i = 0; i < len; i++) {
        config_setting_t *el = config_setting_get_elem(s, (unsigned)i);
        const char *txt = config_setting_type(el) == CONFIG_TYPE_STRING ? config_setting_get_string(el) : NULL;
        if (!txt)
            return cfgutil_fail(e, el, "set[%d] must be a string \"path=value\"", i);
        const char *eq = strchr(txt, '=');
        if (!eq || eq == txt)
            return cfgutil_fail(e, el, "set[%d] \"%s\" must read path=value (e.g. sites.dc.pools.gpu.count=64)", i,
                                txt);
        if ((eq - txt == 4 && !strncmp(txt, "seed", 4)))
            return cfgutil_fail(e, el, "set[%d] \"%s\": the seed of every run is set by the sweep (its seed "
                                       "and replications), not by an override", i, txt);
        (*out)[i].text = strdup(txt);
        (*out)[i].line = line_of(el) ? line_of(el) : line_of(s);
        (*n)++;
        if (!(*out)[i].text)
            return cfgutil_fail(e, NULL, "out of memory");
    }
    return 0;
}

/* One axis of the grid: a path and its values as override texts. */
typedef struct axis {
    const char *path, *label;
    char **values;
    int nvalues, line;
} axis;

static int read_axis(cfg_err *e, config_setting_t *g, axis *a)
{
    memset(a, 0, sizeof *a);
    a->line = line_of(g);
    if (cfgutil_check_keys(e, g, axis_keys) || cfgutil_string(e, g, "path", 1, 400, &a->path))
        return -1;
    if (!*a->path || strchr(a->path, '='))
        return cfgutil_fail(e, config_setting_get_member(g, "path"), "grid path \"%s\" must be a setting's path "
                                                                     "(e.g. sites.dc.pools.gpu.count)", a->path);
    if (!strcmp(a->path, "seed"))
        return cfgutil_fail(e, config_setting_get_member(g, "path"),
                            "the seed of every run is set by the sweep (its seed and replications), not by the grid");
    a->label = a->path;
    if (cfgutil_string(e, g, "label", 0, 60, &a->label))
        return -1;
    config_setting_t *vals = config_setting_get_member(g, "values");
    config_setting_t *from = config_setting_get_member(g, "from");
    if (!!vals == !!from)
        return cfgutil_fail(e, g, "grid axis %s needs either values = [ ... ] or from, to and step", a->path);
    if (vals) {
        int t = config_setting_type(vals);
        if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
            return cfgutil_fail(e, vals, "values must be a list [ v1, v2, ... ]");
        int n = config_setting_length(vals);
        if (n < 1 || n > SWEEP_MAX_VARIANTS)
            return cfgutil_fail(e, vals, "values must hold 1 to %d values (got %d)", SWEEP_MAX_VARIANTS, n);
        a->values = calloc((size_t)n, sizeof *a->values);
        if (!a->values)
            return cfgutil_fail(e, NULL, "out of memory");
        for (int i = 0; i < n; i++) {
            char buf[512];
            config_setting_t *el = config_setting_get_elem(vals, (unsigned)i);
            if (scalar_text(el, buf, sizeof buf))
                return cfgutil_fail(e, el, "values[%d] must be a number, string or boolean", i);
            for (int k = 0; k < i; k++)
                if (!strcmp(a->values[k], buf))
                    return cfgutil_fail(e, el, "values[%d] \"%s\" is given twice", i, buf);
            if (!(a->values[i] = strdup(buf)))
                return cfgutil_fail(e, NULL, "out of memory");
            a->nvalues++;
        }
        return 0;
    }
    double f, t, st;
    if (cfgutil_float(e, g, "from", 1, -HUGE_VAL, HUGE_VAL, &f) || cfgutil_float(e, g, "to", 1, -HUGE_VAL, HUGE_VAL, &t) ||
        cfgutil_float(e, g, "step", 1, -HUGE_VAL, HUGE_VAL, &st))
        return -1;
    config_setting_t *sst = config_setting_get_member(g, "step");
    if (!(st != 0) || (t - f) / st < 0)
        return cfgutil_fail(e, sst, "step must be non-zero and lead from %g to %g (got %g)", f, t, st);
    double cnt = floor((t - f) / st + 1e-9) + 1;
    if (cnt > SWEEP_MAX_VARIANTS)
        return cfgutil_fail(e, sst, "from %g to %g by %g gives %.0f values (at most %d)", f, t, st, cnt,
                            SWEEP_MAX_VARIANTS);
    int ints = 1;
    const char *nm[] = {"from", "to", "step"};
    for (int i = 0; i < 3; i++) {
        int ty = config_setting_type(config_setting_get_member(g, nm[i]));
        ints &= ty == CONFIG_TYPE_INT || ty == CONFIG_TYPE_INT64;
    }
    int n = (int)cnt;
    a->values = calloc((size_t)n, sizeof *a->values);
    if (!a->values)
        return cfgutil_fail(e, NULL, "out of memory");
    for (int i = 0; i < n; i++) {
        char buf[64];
        double x = f + (double)i * st; /* not accumulated: no drift */
        if (ints) {
            snprintf(buf, sizeof buf, "%lld", (long long)llround(x));
        } else { /* 12 digits: 0.1 + 2 x 0.1 is 0.3, not 0.30000000000000004 */
            snprintf(buf, sizeof buf, "%.12g", x);
            if (!strpbrk(buf, ".eEn"))
                strcat(buf, ".0");
        }
        if (!(a->values[i] = strdup(buf)))
            return cfgutil_fail(e, NULL, "out of memory");
        a->nvalues++;
    }
    return 0;
}

/* Adds override text at line to variant v. */
static int variant_add(variant *v, const char *text, int line)
{
    sweep_set *ns = realloc(v->sets, (size_t)(v->nsets + 1) * sizeof *ns);
    if (!ns)
        return -1;
    v->sets = ns;
    if (!(ns[v->nsets].text = strdup(text)))
        return -1;
    ns[v->nsets].line = line;
    v->nsets++;
    return 0;
}

/* The path of "path=value" into buf. */
static void set_path(const char *text, char *buf, size_t len)
{
    size_t n = (size_t)(strchr(text, '=') - text);
    if (n >= len)
        n = len - 1;
    memcpy(buf, text, n);
    buf[n] = '\0';
}

/* Expands the given variants and the grid into sw->v. */
static int expand(sweep *sw, cfg_err *e, config_setting_t *vlist, config_setting_t *grid)
{
    int ngiven = vlist ? config_setting_length(vlist) : 0;
    int naxes = grid ? config_setting_length(grid) : 0;
    if (vlist && ngiven == 0)
        return cfgutil_fail(e, vlist, "variants is empty: give at least one { name = ...; set = [ ... ]; }");
    if (grid && naxes == 0)
        return cfgutil_fail(e, grid, "grid is empty: give at least one { path = ...; values = [ ... ]; }");
    axis *ax = calloc((size_t)naxes + 1, sizeof *ax);
    if (!ax)
        return cfgutil_fail(e, NULL, "out of memory");
    int rc = -1;
    double npoints = 1;
    for (int i = 0; i < naxes; i++) {
        if (read_axis(e, config_setting_get_elem(grid, (unsigned)i), &ax[i]))
            goto done;
        npoints *= ax[i].nvalues;
    }
    double total = npoints * (ngiven ? ngiven : 1);
    if (total > SWEEP_MAX_VARIANTS) {
        cfgutil_fail(e, grid ? grid : vlist, "%.0f variants: at most %d", total, SWEEP_MAX_VARIANTS);
        goto done;
    }
    int nv = (int)total;
    sw->v = calloc((size_t)nv, sizeof *sw->v);
    if (!sw->v) {
        cfgutil_fail(e, NULL, "out of memory");
        goto done;
    }
    for (int g = 0; g < (ngiven ? ngiven : 1); g++) {
        config_setting_t *vg = vlist ? config_setting_get_elem(vlist, (unsigned)g) : NULL;
        const char *gname = NULL;
        sweep_set *gsets = NULL;
        int ngsets = 0;
        if (vg) {
            if (cfgutil_check_keys(e, vg, variant_keys) || cfgutil_string(e, vg, "name", 1, 200, &gname) ||
                read_sets(e, vg, &gsets, &ngsets)) {
                if (gsets)
                    for (int k = 0; k < ngsets; k++)
                        free(gsets[k].text);
                free(gsets);
                goto done;
            }
            if (!*gname) {
                cfgutil_fail(e, config_setting_get_member(vg, "name"), "a variant's name must not be empty");
                goto done;
            }
        }
        for (long p = 0; p < (long)npoints; p++) {
            variant *v = &sw->v[sw->nv++];
            char name[1024] = "";
            size_t used = 0;
            if (gname)
                used += (size_t)snprintf(name, sizeof name, "%s", gname);
            v->line = vg ? line_of(vg) : naxes ? ax[0].line : 0;
            int fail = 0;
            for (int k = 0; k < ngsets && !fail; k++)
                fail = variant_add(v, gsets[k].text, gsets[k].line);
            long rest = p;
            /* the last axis varies fastest */
            int idx[64] = {0};
            for (int i = naxes - 1; i >= 0; i--) {
                idx[i < 64 ? i : 63] = (int)(rest % ax[i].nvalues);
                rest /= ax[i].nvalues;
            }
            for (int i = 0; i < naxes && !fail && i < 64; i++) {
                char txt[1024];
                snprintf(txt, sizeof txt, "%s=%s", ax[i].path, ax[i].values[idx[i]]);
                fail = variant_add(v, txt, ax[i].line);
                if (used < sizeof name)
                    used += (size_t)snprintf(name + used, sizeof name - used, "%s%s=%s", used ? " " : "",
                                             ax[i].label, ax[i].values[idx[i]]);
            }
            if (!*name)
                snprintf(name, sizeof name, "base");
            if (fail || !(v->name = strdup(name))) {
                cfgutil_fail(e, NULL, "out of memory");
                for (int k = 0; k < ngsets; k++)
                    free(gsets[k].text);
                free(gsets);
                goto done;
            }
        }
        for (int k = 0; k < ngsets; k++)
            free(gsets[k].text);
        free(gsets);
    }
    if (naxes > 64) {
        cfgutil_fail(e, grid, "at most 64 grid axes (got %d)", naxes);
        goto done;
    }
    for (int i = 0; i < sw->nv; i++)
        for (int k = 0; k < i; k++)
            if (!strcmp(sw->v[i].name, sw->v[k].name)) {
                snprintf(e->msg, sizeof e->msg, "%s:%d: variant name \"%s\" is used twice", sw->path, sw->v[i].line,
                         sw->v[i].name);
                goto done;
            }
    rc = 0;
done:
    for (int i = 0; i < naxes; i++) {
        for (int k = 0; k < ax[i].nvalues; k++)
            free(ax[i].values[k]);
        free(ax[i].values);
    }
    free(ax);
    return rc;
}

/* The table of varied settings: every path a variant overrides, and each
 * variant's value ("" where the base applies; the last of repeated sets). */
static int build_settings(sweep *sw)
{
    for (int i = 0; i < sw->nv; i++)
        for (int k = 0; k < sw->v[i].nsets; k++) {
            char p[512];
            set_path(sw->v[i].sets[k].text, p, sizeof p);
            int found = 0;
            for (int j = 0; j < sw->npaths && !found; j++)
                found = !strcmp(sw->paths[j], p);
            if (found)
                continue;
            char **np = realloc(sw->paths, (size_t)(sw->npaths + 1) * sizeof *np);
            if (!np)
                return -1;
            sw->paths = np;
            if (!(np[sw->npaths] = strdup(p)))
                return -1;
            sw->npaths++;
        }
    sw->settings = calloc((size_t)sw->nv * (size_t)sw->npaths + 1, sizeof *sw->settings);
    if (!sw->settings)
        return -1;
    for (int i = 0; i < sw->nv; i++)
        for (int j = 0; j < sw->npaths; j++) {
            const char *val = "";
            for (int k = 0; k < sw->v[i].nsets; k++) {
                char p[512];
                set_path(sw->v[i].sets[k].text, p, sizeof p);
                if (!strcmp(p, sw->paths[j]))
                    val = strchr(sw->v[i].sets[k].text, '=') + 1;
            }
            if (!(sw->settings[(size_t)i * (size_t)sw->npaths + (size_t)j] = strdup(val)))
                return -1;
        }
    return 0;
}

/* Loads variant v's scenario: common sets, its own, and the first seed. On
 * failure finds the first override that breaks it, for the message. */
static int load_variant(sweep *sw, int vi, char *err, size_t errlen)
{
    variant *v = &sw->v[vi];
    int n = sw->ncommon + v->nsets + 1;
    const char **sets = calloc((size_t)n, sizeof *sets);
    char seedset[64];
    if (!sets) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int k = 0; k < sw->ncommon; k++)
        sets[k] = sw->common[k].text;
    for (int k = 0; k < v->nsets; k++)
        sets[sw->ncommon + k] = v->sets[k].text;
    snprintf(seedset, sizeof seedset, "seed=%llu", (unsigned long long)sw->seed0);
    sets[n - 1] = seedset;
    char msg[1200];
    if (!scenario_load(&v->scn, sw->base, sets, sw->has_seed ? n : n - 1, msg, sizeof msg)) {
        v->loaded = 1;
        free(sets);
        if (!sw->has_seed) { /* the base scenario's seed (no variant may set it) */
            sw->seed0 = v->scn.seed;
            sw->has_seed = 1;
        }
        const scenario *s = &v->scn;
        v->site_names = calloc((size_t)s->nsites + 1, sizeof *v->site_names);
        v->pool_names = calloc((size_t)s->npools + 1, sizeof *v->pool_names);
        v->pool_site = calloc((size_t)s->npools + 1, sizeof *v->pool_site);
        if (!v->site_names || !v->pool_names || !v->pool_site) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        for (int i = 0; i < s->nsites; i++)
            v->site_names[i] = s->sites[i].name;
        for (int i = 0; i < s->npools; i++) {
            v->pool_names[i] = s->pools[i].name;
            v->pool_site[i] = s->pools[i].site;
        }
        return 0;
    }
    /* which override breaks it: the shortest failing prefix */
    int culprit = -1;
    scenario t0;
    char m0[1200];
    if (scenario_load(&t0, sw->base, sets, 0, m0, sizeof m0)) { /* the base alone fails */
        snprintf(err, errlen, "%s:%d: base scenario: %s", sw->path, sw->base_line, m0);
        free(sets);
        return -1;
    }
    scenario_free(&t0);
    for (int k = 0; k < n - 1 && culprit < 0; k++) {
        scenario t;
        char m2[1200];
        if (scenario_load(&t, sw->base, sets, k + 1, m2, sizeof m2))
            culprit = k;
        else
            scenario_free(&t);
    }
    if (culprit < 0) /* the base itself (or its seed) */
        snprintf(err, errlen, "%s:%d: variant \"%s\": %s", sw->path, v->line, v->name, msg);
    else if (culprit < sw->ncommon)
        snprintf(err, errlen, "%s:%d: set \"%s\": %s", sw->path, sw->common[culprit].line, sets[culprit], msg);
    else
        snprintf(err, errlen, "%s:%d: variant \"%s\": override %s: %s", sw->path,
                 v->sets[culprit - sw->ncommon].line, v->name, sets[culprit], msg);
    free(sets);
    return -1;
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = (len + 4096 + 1) * 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + len, 1, 4096, f);
        len += got;
        if (got < 4096)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

/* The sweep file's folder joined with rel (rel as is if absolute). */
static char *relative_to(const char *file, const char *rel)
{
    if (rel[0] == '/')
        return strdup(rel);
    char *d = strdup(file);
    if (!d)
        return NULL;
    const char *dir = dirname(d);
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s/%s", dir, rel);
    free(d);
    return out;
}

static int read_file(sweep *sw, config_t *cfg, char *err, size_t errlen)
{
    cfg_err e = {.msg = "", .default_file = sw->path};
    FILE *f = fopen(sw->path, "r");
    if (!f || (fgetc(f) == EOF && ferror(f))) {
        snprintf(err, errlen, "%s: cannot %s: %s", sw->path, f ? "read" : "open", strerror(errno));
        if (f)
            fclose(f);
        return -1;
    }
    fclose(f);
    if (!(sw->text = read_text(sw->path))) {
        snprintf(err, errlen, "%s: cannot read: %s", sw->path, strerror(errno));
        return -1;
    }
    if (config_read_file(cfg, sw->path) != CONFIG_TRUE) {
        const char *file = config_error_file(cfg);
        snprintf(err, errlen, "%s:%d: %s", file ? file : sw->path, config_error_line(cfg), config_error_text(cfg));
        return -1;
    }
    config_setting_t *root = config_root_setting(cfg), *vlist = NULL, *grid = NULL;
    const char *name = NULL, *base = NULL, *ref = NULL, *out = NULL;
    long long reps = 1, seed = -1;
    int series = 0;
    double slo = 3600.0;
    if (cfgutil_check_keys(&e, root, top_keys) || cfgutil_string(&e, root, "name", 0, SCN_NAME_MAX, &name) ||
        cfgutil_string(&e, root, "base", 1, 4000, &base) ||
        cfgutil_int(&e, root, "replications", 0, 1, SWEEP_MAX_REPS, &reps) ||
        cfgutil_int(&e, root, "seed", 0, 0, 9223372036854775807LL, &seed) ||
        cfgutil_string(&e, root, "reference", 0, 200, &ref) ||
        cfgutil_duration(&e, root, "slo_max_wait", 0, 0.0, SCN_MAX_DURATION_S, &slo) ||
        cfgutil_bool(&e, root, "series", 0, &series) || cfgutil_string(&e, root, "output", 0, 4000, &out) ||
        cfgutil_list(&e, root, "variants", 0, &vlist) || read_sets(&e, root, &sw->common, &sw->ncommon))
        goto fail;
    grid = config_setting_get_member(root, "grid");
    if (grid && config_setting_type(grid) != CONFIG_TYPE_LIST) {
        cfgutil_fail(&e, grid, "grid must be a list ( { path = ...; values = [ ... ]; }, ... )");
        goto fail;
    }
    if (grid && cfgutil_list(&e, root, "grid", 0, &grid))
        goto fail;
    sw->base_line = line_of(config_setting_get_member(root, "base"));
    if (!*base) {
        cfgutil_fail(&e, config_setting_get_member(root, "base"), "base must name the base scenario file");
        goto fail;
    }
    sw->nreps = (int)reps;
    sw->slo_s = slo;
    sw->series = series;
    if (!name) { /* the file's name without folder and extension */
        char *d = strdup(sw->path);
        if (!d)
            goto oom;
        char *b = basename(d), *dot = strrchr(b, '.');
        if (dot && dot != b)
            *dot = '\0';
        sw->name = strndup(b, SCN_NAME_MAX);
        free(d);
    } else {
        sw->name = strdup(name);
    }
    sw->base = relative_to(sw->path, base);
    if (out)
        sw->output = strdup(out);
    else if ((sw->output = malloc(strlen(sw->name) + 16)))
        sprintf(sw->output, "results/%s.h5", sw->name);
    if (!sw->name || !sw->base || !sw->output)
        goto oom;
    if (expand(sw, &e, vlist, grid))
        goto fail;
    if (build_settings(sw))
        goto oom;
    sw->reference = 0;
    if (ref) {
        sw->reference = -1;
        for (int i = 0; i < sw->nv; i++)
            if (!strcmp(sw->v[i].name, ref))
                sw->reference = i;
        if (sw->reference < 0) {
            char list[600] = "";
            size_t used = 0;
            for (int i = 0; i < sw->nv && i < 8 && used < sizeof list; i++)
                used += (size_t)snprintf(list + used, sizeof list - used, "%s\"%s\"", i ? ", " : "", sw->v[i].name);
            cfgutil_fail(&e, config_setting_get_member(root, "reference"),
                         "reference \"%s\" is not a variant (variants: %s%s)", ref, list, sw->nv > 8 ? ", ..." : "");
            goto fail;
        }
    }
    /* seed: the file's, else the base scenario's (read when the first variant loads) */
    sw->has_seed = seed >= 0;
    sw->seed_line = line_of(config_setting_get_member(root, seed >= 0 ? "seed" : "replications") ?
                                config_setting_get_member(root, seed >= 0 ? "seed" : "replications") : root);
    sw->seed0 = seed >= 0 ? (uint64_t)seed : 0;
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    return -1;
fail:
    snprintf(err, errlen, "%s", e.msg);
    return -1;
}

sweep *sweep_load(const char *path, char *err, size_t errlen)
{
    sweep *sw = calloc(1, sizeof *sw);
    config_t cfg;
    config_init(&cfg);
    if (!sw || !(sw->path = strdup(path))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    if (read_file(sw, &cfg, err, errlen))
        goto fail;
    config_destroy(&cfg);
    if (!sw->has_seed && sw->nv > 0 && load_variant(sw, 0, err, errlen))
        goto fail_nocfg;
    if (sw->seed0 + (uint64_t)(sw->nreps - 1) > 9223372036854775807ULL) {
        if (sw->seed_line)
            snprintf(err, errlen, "%s:%d: seed %llu + replications %d - 1 must stay below 2^63", sw->path,
                     sw->seed_line, (unsigned long long)sw->seed0, sw->nreps);
        else
            snprintf(err, errlen, "%s: seed %llu + replications %d - 1 must stay below 2^63", sw->path,
                     (unsigned long long)sw->seed0, sw->nreps);
        goto fail_nocfg;
    }
    if (!(sw->vnames = calloc((size_t)sw->nv, sizeof *sw->vnames))) {
        snprintf(err, errlen, "out of memory");
        goto fail_nocfg;
    }
    for (int i = 0; i < sw->nv; i++)
        sw->vnames[i] = sw->v[i].name;
    for (int i = 0; i < sw->nv; i++) {
        if (!sw->v[i].loaded && load_variant(sw, i, err, errlen))
            goto fail_nocfg;
        /* the files the scenario names (traces, weather) are read by sim_alloc */
        char msg[1200];
        sim *m = sim_alloc(&sw->v[i].scn, msg, sizeof msg);
        if (!m) {
            snprintf(err, errlen, "%s:%d: variant \"%s\": %s", sw->path, sw->v[i].line, sw->v[i].name, msg);
            goto fail_nocfg;
        }
        sim_free(m);
    }
    return sw;
fail:
    config_destroy(&cfg);
fail_nocfg:
    sweep_free(sw);
    return NULL;
}

/* ---- accessors ---------------------------------------------------------- */

int sweep_set_replications(sweep *sw, int nreps)
{
    if (nreps < 1 || nreps > SWEEP_MAX_REPS || sw->seed0 + (uint64_t)(nreps - 1) > 9223372036854775807ULL)
        return -1;
    free_runs(sw);
    sw->nreps = nreps;
    return 0;
}

void sweep_set_series(sweep *sw, int on) { sw->series = on; }
int sweep_nvariants(const sweep *sw) { return sw->nv; }
int sweep_nreps(const sweep *sw) { return sw->nreps; }
long sweep_nruns(const sweep *sw) { return (long)sw->nv * sw->nreps; }
int sweep_nmetrics(const sweep *sw) { (void)sw; return NMETRICS; }
const char *sweep_name(const sweep *sw) { return sw->name; }
const char *sweep_variant_name(const sweep *sw, int v) { return sw->v[v].name; }
uint64_t sweep_seed(const sweep *sw, int rep) { return sw->seed0 + (uint64_t)rep; }
const char *sweep_output(const sweep *sw) { return sw->output; }
int sweep_series_on(const sweep *sw) { return sw->series; }

double sweep_series_bytes(const sweep *sw)
{
    double b = 0;
    for (int i = 0; i < sw->nv; i++) {
        const scenario *s = &sw->v[i].scn;
        double steps = ceil(s->duration_s / s->step_s);
        b += steps * 8.0 * (1.0 + s->nsites * (double)SV_COUNT + s->npools * (double)PV_COUNT);
    }
    return b * sw->nreps;
}

int sweep_alloc_runs(sweep *sw)
{
    long n = sweep_nruns(sw);
    if (sw->values && sw->nruns_alloc == n)
        return 0;
    free_runs(sw);
    sw->values = malloc((size_t)n * NMETRICS * sizeof *sw->values);
    sw->run_wall = calloc((size_t)n, sizeof *sw->run_wall);
    if (sw->series)
        sw->ser = calloc((size_t)n, sizeof *sw->ser);
    if (!sw->values || !sw->run_wall || (sw->series && !sw->ser)) {
        free_runs(sw);
        return -1;
    }
    for (long i = 0; i < n * NMETRICS; i++)
        sw->values[i] = NAN;
    sw->nruns_alloc = n;
    return 0;
}

double *sweep_row(sweep *sw, long k)
{
    if (sweep_alloc_runs(sw))
        return NULL;
    return &sw->values[k * NMETRICS];
}

long sweep_series_pack(const sweep *sw, long k, double **buf)
{
    const sweep_series *x = sw->ser ? &sw->ser[k] : NULL;
    *buf = NULL;
    if (!x)
        return -1;
    size_t a = (size_t)x->nsites * (size_t)x->nsv, b = (size_t)x->npools * (size_t)x->npv;
    size_t n = 1 + (size_t)x->nsteps * (1 + a + b);
    double *p = malloc(n * sizeof *p);
    if (!p)
        return -1;
    p[0] = (double)x->nsteps;
    memcpy(p + 1, x->t, (size_t)x->nsteps * sizeof *p);
    memcpy(p + 1 + x->nsteps, x->site_vals, (size_t)x->nsteps * a * sizeof *p);
    memcpy(p + 1 + (size_t)x->nsteps * (1 + a), x->pool_vals, (size_t)x->nsteps * b * sizeof *p);
    *buf = p;
    return (long)n;
}

int sweep_series_unpack(sweep *sw, long k, const double *buf, long n)
{
    if (!sw->ser || n < 1)
        return -1;
    const variant *v = &sw->v[k / sw->nreps];
    sweep_series *x = &sw->ser[k];
    series_free(x);
    x->nsites = v->scn.nsites;
    x->npools = v->scn.npools;
    x->nsv = SV_COUNT;
    x->npv = PV_COUNT;
    x->site_vars = account_site_vars;
    x->pool_vars = account_pool_vars;
    x->site_names = v->site_names;
    x->pool_names = v->pool_names;
    x->pool_site = v->pool_site;
    size_t a = (size_t)x->nsites * SV_COUNT, b = (size_t)x->npools * PV_COUNT;
    long steps = (long)buf[0];
    if (steps < 0 || (size_t)n != 1 + (size_t)steps * (1 + a + b))
        return -1;
    x->t = malloc((size_t)steps * sizeof *x->t + 1);
    x->site_vals = malloc((size_t)steps * a * sizeof *x->site_vals + 1);
    x->pool_vals = malloc((size_t)steps * b * sizeof *x->pool_vals + 1);
    if (!x->t || !x->site_vals || !x->pool_vals) {
        series_free(x);
        return -1;
    }
    memcpy(x->t, buf + 1, (size_t)steps * sizeof *x->t);
    memcpy(x->site_vals, buf + 1 + steps, (size_t)steps * a * sizeof *x->site_vals);
    memcpy(x->pool_vals, buf + 1 + (size_t)steps * (1 + a), (size_t)steps * b * sizeof *x->pool_vals);
    x->nsteps = steps;
    return 0;
}

void sweep_set_run_wall(sweep *sw, long k, double wall_s) { sw->run_wall[k] = wall_s; }
double sweep_run_wall(const sweep *sw, long k) { return sw->run_wall[k]; }

/* ---- one run: an in-memory sink that keeps the summary ------------------ */

typedef struct runsink {
    double slo_s;            /* wait above which a job violates the SLO, s */
    long long started, slo;  /* job rows seen; of them, waits over slo_s */
    double *row;             /* [NMETRICS] filled by close() */
    int keep;                /* 1: keep the series */
    sweep_series *ser;
    long cap;
    char msg[128];
} runsink;

static int rs_open(void *st, const sink_layout *L)
{
    runsink *r = st;
    if (r->keep) {
        sweep_series *x = r->ser;
        x->nsites = L->nsites;
        x->npools = L->npools;
        x->nsv = L->nsite_vars;
        x->npv = L->npool_vars;
        x->site_vars = L->site_vars;
        x->pool_vars = L->pool_vars;
        /* names and pool_site are filled in from the scenario by the caller */
    }
    return 0;
}

static int rs_step(void *st, double t, const double *sv, const double *pv)
{
    runsink *r = st;
    if (!r->keep)
        return 0;
    sweep_series *x = r->ser;
    size_t a = (size_t)x->nsites * (size_t)x->nsv, b = (size_t)x->npools * (size_t)x->npv;
    if (x->nsteps == r->cap) {
        long nc = r->cap ? r->cap * 2 : 1024;
        double *nt = realloc(x->t, (size_t)nc * sizeof *nt);
        if (nt)
            x->t = nt;
        double *ns = realloc(x->site_vals, (size_t)nc * a * sizeof *ns + 1);
        if (ns)
            x->site_vals = ns;
        double *np = realloc(x->pool_vals, (size_t)nc * b * sizeof *np + 1);
        if (np)
            x->pool_vals = np;
        if (!nt || !ns || !np) {
            snprintf(r->msg, sizeof r->msg, "out of memory keeping the series");
            return -1;
        }
        r->cap = nc;
    }
    x->t[x->nsteps] = t;
    memcpy(x->site_vals + (size_t)x->nsteps * a, sv, a * sizeof *sv);
    memcpy(x->pool_vals + (size_t)x->nsteps * b, pv, b * sizeof *pv);
    x->nsteps++;
    return 0;
}

static int rs_job(void *st, const sink_job *j)
{
    runsink *r = st;
    r->started++;
    if (j->start_s - j->submit_s > r->slo_s)
        r->slo++;
    return 0;
}

static int rs_close(void *st, int ok, const sink_attr *sum, int nsum, const sink_attr *pa, int npa)
{
    runsink *r = st;
    (void)pa;
    (void)npa;
    if (!ok)
        return 0;
    for (int m = 0; m < NMETRICS; m++) {
        r->row[m] = NAN;
        for (int i = 0; i < nsum; i++)
            if (!strcmp(sum[i].var.name, metric_table[m].name))
                r->row[m] = sum[i].value;
    }
    r->row[M_SLO] = (double)r->slo;
    r->row[M_SLO_FRAC] = r->started ? (double)r->slo / (double)r->started : NAN;
    return 0;
}

static const char *rs_errmsg(void *st)
{
    return ((runsink *)st)->msg;
}

static const sink_ops runsink_ops = {"sweep-memory", rs_open, rs_step, rs_job, rs_close, rs_errmsg, NULL, NULL};

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int sweep_run_one(sweep *sw, long k, volatile sig_atomic_t *stop, char *err, size_t errlen)
{
    if (k < 0 || k >= sweep_nruns(sw) || !sweep_row(sw, k)) {
        snprintf(err, errlen, k < 0 || k >= sweep_nruns(sw) ? "run %ld does not exist" : "out of memory", k);
        return -1;
    }
    double t0 = mono_s();
    int vi = (int)(k / sw->nreps), rep = (int)(k % sw->nreps);
    variant *v = &sw->v[vi];
    /* a shallow copy: the runs of one variant share its (read-only) scenario
     * and differ only in their seed; job records are needed for the SLO */
    scenario s = v->scn;
    s.seed = sweep_seed(sw, rep);
    s.output_jobs = 1;
    runsink rs = {.slo_s = sw->slo_s, .row = &sw->values[k * NMETRICS], .keep = sw->series};
    sweep_series *ser = sw->series ? &sw->ser[k] : NULL;
    if (ser) {
        series_free(ser);
        rs.ser = ser;
    }
    sim *m = sim_alloc(&s, err, errlen);
    if (!m)
        return -1;
    sink out = {&runsink_ops, &rs};
    sim_options opt = {.stop = stop};
    int r = sim_run(m, &out, &opt, err, errlen);
    sim_free(m);
    if (ser) {
        if (r == 0) { /* names borrowed from the variant */
            ser->site_names = v->site_names;
            ser->pool_names = v->pool_names;
            ser->pool_site = v->pool_site;
        } else {
            series_free(ser);
        }
    }
    sw->run_wall[k] = mono_s() - t0;
    return r;
}

int sweep_run_all(sweep *sw, int threads, volatile sig_atomic_t *stop, sweep_progress_fn progress, void *ctx,
                  char *err, size_t errlen)
{
    long n = sweep_nruns(sw);
    if (sweep_alloc_runs(sw)) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int status = 0; /* 0 ok, 1 stopped, -1 failed: the first to happen */
    long done = 0;
    (void)threads;
    SWEEP_PRAGMA("omp parallel for schedule(dynamic, 1) num_threads(threads)")
    for (long k = 0; k < n; k++) {
        int skip;
        SWEEP_PRAGMA("omp atomic read")
        skip = status;
        if (skip)
            continue;
        char msg[1200];
        int r = sweep_run_one(sw, k, stop, msg, sizeof msg);
        SWEEP_PRAGMA("omp critical(sweep_status)")
        {
            int cur;
            SWEEP_PRAGMA("omp atomic read")
            cur = status;
            if (r && !cur) {
                SWEEP_PRAGMA("omp atomic write")
                status = r < 0 ? -1 : 1;
                if (r < 0)
                    snprintf(err, errlen, "variant \"%s\", replication %ld (seed %llu): %s",
                             sw->v[k / sw->nreps].name, k % sw->nreps,
                             (unsigned long long)sweep_seed(sw, (int)(k % sw->nreps)), msg);
                else
                    snprintf(err, errlen, "%s", msg);
            }
            if (!r) {
                done++;
                if (progress)
                    progress(ctx, done, n);
            }
        }
    }
    return status;
}

/* ---- statistics --------------------------------------------------------- */

int sweep_finish(sweep *sw, sweep_result *r, double wall_s, int threads, int ranks, char *err, size_t errlen)
{
    int nv = sw->nv, nr = sw->nreps;
    if (sweep_alloc_runs(sw))
        goto oom;
    free(sw->seeds);
    free(sw->stats);
    free(sw->paired);
    sw->seeds = malloc((size_t)nr * sizeof *sw->seeds);
    sw->stats = malloc((size_t)NMETRICS * (size_t)nv * sizeof *sw->stats);
    sw->paired = malloc((size_t)NMETRICS * (size_t)nv * sizeof *sw->paired);
    double *scratch = malloc((size_t)nr * sizeof *scratch);
    if (!sw->seeds || !sw->stats || !sw->paired || !scratch) {
        free(scratch);
        goto oom;
    }
    for (int i = 0; i < nr; i++)
        sw->seeds[i] = sweep_seed(sw, i);
    const double *ref = &sw->values[(size_t)sw->reference * (size_t)nr * NMETRICS];
    for (int m = 0; m < NMETRICS; m++)
        for (int v = 0; v < nv; v++) {
            const double *x = &sw->values[(size_t)v * (size_t)nr * NMETRICS + (size_t)m];
            sw->stats[m * nv + v] = sweepstat_of(x, (size_t)nr, NMETRICS);
            sw->paired[m * nv + v] = sweepstat_paired(x, ref + m, (size_t)nr, NMETRICS, scratch);
        }
    free(scratch);
    double run_wall = 0;
    for (long k = 0; k < sweep_nruns(sw); k++)
        run_wall += sw->run_wall[k];
    memset(r, 0, sizeof *r);
    const variant *rv = &sw->v[sw->reference];
    r->version = DCSIM_VERSION;
    r->name = sw->name;
    r->sweep_path = sw->path;
    r->base_path = sw->base;
    r->sweep_text = sw->text;
    r->base_config = rv->scn.config_text;
    r->start_iso = rv->scn.start_iso;
    r->step_s = rv->scn.step_s;
    r->seed0 = sw->seed0;
    r->slo_max_wait_s = sw->slo_s;
    r->nvariants = nv;
    r->nreps = nr;
    r->variant_names = sw->vnames;
    r->nsettings = sw->npaths;
    r->setting_paths = (const char *const *)sw->paths;
    r->settings = (const char *const *)sw->settings;
    r->reference = sw->reference;
    r->nmetrics = NMETRICS;
    r->metrics = metric_table;
    r->values = sw->values;
    r->seeds = sw->seeds;
    r->stats = sw->stats;
    r->paired = sw->paired;
    r->t975 = sweepstat_t975((size_t)nr);
    r->series = sw->ser;
    r->wall_s = wall_s;
    r->run_wall_s = run_wall;
    r->threads = threads;
    r->ranks = ranks;
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    return -1;
}
