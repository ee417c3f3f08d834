/* metrics.c - reads a dcsim result file (HDF5) into memory and holds the table of known headline metrics.
 *
 * Only the layout of docs/RESULTS.md is assumed: root attributes, /summary
 * attributes, /sites/<site> series and /sites/<site>/pools/<pool> group
 * attributes, /workloads/<name> group attributes and the optional
 * /projection table. Attributes and groups are listed in creation order
 * where the file tracks it, else by name. Every HDF5 call is checked;
 * handles start at H5I_INVALID_HID and are closed in reverse order.
 */
#define _POSIX_C_SOURCE 200809L
#include "metrics.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <hdf5.h>

/* ---- the known metrics --------------------------------------------------- */

static const metrics_def defs[] = {
    {"it_energy_mwh", "IT energy", "MWh", "energy", AGG_SUM, 1, NULL},
    {"facility_energy_mwh", "facility energy", "MWh", "energy", AGG_SUM, 1, NULL},
    {"energy_mwh", "grid energy", "MWh", "energy", AGG_SUM, 0, NULL},
    {"idle_energy_mwh", "idle energy", "MWh", "energy", AGG_SUM, 0, NULL},
    {"job_energy_mwh", "job energy", "MWh", "energy", AGG_SUM, 0, NULL},
    {"cooling_energy_mwh", "cooling energy", "MWh", "energy", AGG_SUM, 0, NULL},
    {"mean_pue", "PUE", "1", "energy", AGG_RATIO, 1, NULL},
    {"ppa_mwh", "PPA generation", "MWh", "energy", AGG_SUM, 0, NULL},
    {"battery_loss_mwh", "battery losses", "MWh", "energy", AGG_SUM, 0, NULL},
    {"cfe_fraction", "hourly CFE score", "1", "energy", AGG_RATIO, 0, NULL},
    {"emissions_t", "emissions, location-based", "t", "emissions", AGG_SUM, 1, NULL},
    {"emissions_location_t", "emissions, location-based", "t", "emissions", AGG_SUM, 0, "emissions_t"},
    {"emissions_market_t", "emissions, market-based", "t", "emissions", AGG_SUM, 1, NULL},
    {"emissions_market_annual_t", "  (annual matching)", "t", "emissions", AGG_SUM, 0, NULL},
    {"emissions_marginal_t", "emissions, marginal", "t", "emissions", AGG_SUM, 0, NULL},
    {"emissions_new_demand_t", "emissions, as new demand", "t", "emissions", AGG_SUM, 0, NULL},
    {"embodied_t", "embodied emissions", "t", "emissions", AGG_SUM, 1, NULL},
    {"embodied_jobs_t", "  of jobs", "t", "emissions", AGG_SUM, 0, NULL},
    {"embodied_idle_t", "  of idle capacity", "t", "emissions", AGG_SUM, 0, NULL},
    {"emissions_with_embodied_t", "location-based + embodied", "t", "emissions", AGG_SUM, 0, NULL},
    {"water_m3", "water", "m3", "water", AGG_SUM, 0, NULL},
    {"water_onsite_m3", "  on site", "m3", "water", AGG_SUM, 0, NULL},
    {"water_offsite_m3", "  off site", "m3", "water", AGG_SUM, 0, NULL},
    {"wue_l_per_kwh", "WUE", "L/kWh", "water", AGG_RATIO, 1, NULL},
    {"cost_usd", "cost", "USD", "cost", AGG_SUM, 1, NULL},
    {"cost_per_1k_requests_usd", "cost per 1k requests", "USD", "cost", AGG_RATIO, 0, NULL},
    {"energy_per_request_wh", "energy per request", "Wh", "cost", AGG_RATIO, 0, NULL},
    {"jobs_submitted", "jobs submitted", "1", "jobs and SLOs", AGG_COUNT, 1, NULL},
    {"jobs_completed", "jobs completed", "1", "jobs and SLOs", AGG_COUNT, 1, NULL},
    {"jobs_rejected", "jobs rejected", "1", "jobs and SLOs", AGG_COUNT, 0, NULL},
    {"jobs_running_at_end", "jobs running at end", "1", "jobs and SLOs", AGG_COUNT, 0, NULL},
    {"jobs_queued_at_end", "jobs queued at end", "1", "jobs and SLOs", AGG_COUNT, 0, NULL},
    {"requests", "requests served", "1", "jobs and SLOs", AGG_COUNT, 0, NULL},
    {"busy_node_hours", "busy node-hours", "h", "jobs and SLOs", AGG_SUM, 0, NULL},
    {"mean_wait_s", "mean wait", "s", "jobs and SLOs", AGG_RATIO, 0, NULL},
    {"p_wait", "share of jobs that waited", "1", "jobs and SLOs", AGG_RATIO, 0, NULL},
    {"jobs_backfilled", "jobs backfilled", "1", "scheduling", AGG_COUNT, 0, NULL},
    {"reservation_violations", "reservations broken", "1", "scheduling", AGG_COUNT, 0, NULL},
    {"mean_queue_length", "mean queue length", "1", "scheduling", AGG_RATIO, 0, NULL},
    {"node_boots", "node boots", "1", "scheduling", AGG_COUNT, 0, NULL},
    {"boot_energy_mwh", "boot energy", "MWh", "scheduling", AGG_SUM, 0, NULL},
    {"jobs_shifted", "jobs shifted in time", "1", "scheduling", AGG_COUNT, 0, NULL},
    {"mean_shift_h", "mean shift", "h", "scheduling", AGG_RATIO, 0, NULL},
    {"deadlines_missed", "deadlines missed", "1", "scheduling", AGG_COUNT, 0, NULL},
    {"jobs_suspended", "jobs suspended", "1", "scheduling", AGG_COUNT, 0, NULL},
    {"suspensions", "suspensions", "1", "scheduling", AGG_COUNT, 0, NULL},
    {"suspended_h", "time suspended", "h", "scheduling", AGG_SUM, 0, NULL},
    {"checkpoint_overhead_h", "checkpoint overhead", "h", "scheduling", AGG_SUM, 0, NULL},
    {"jobs_moved", "jobs moved to another site", "1", "scheduling", AGG_COUNT, 0, NULL},
    {"baseline_emissions_t", "emissions under FIFO (baseline)", "t", "scheduling", AGG_SUM, 0, NULL},
    {"emissions_saved_t", "emissions saved vs the baseline", "t", "scheduling", AGG_SUM, 0, NULL},
    {"emissions_saved_pct", "  as a share", "%", "scheduling", AGG_RATIO, 0, NULL},
    {"mean_delay_h", "mean delay paid vs the baseline", "h", "scheduling", AGG_RATIO, 0, NULL},
    {"baseline_jobs_completed", "jobs completed under the baseline", "1", "scheduling", AGG_COUNT, 0, NULL},
    {"sim_end_s", "simulated time", "s", "run", AGG_INFO, 0, NULL},
    {"steps", "steps", "1", "run", AGG_INFO, 0, NULL},
    {"events", "events", "1", "run", AGG_INFO, 0, NULL},
    {"wall_s", "wall-clock time", "s", "run", AGG_INFO, 0, NULL},
};
#define NDEFS (sizeof defs / sizeof defs[0])

const metrics_def *metrics_defs(size_t *n)
{
    *n = NDEFS;
    return defs;
}

const metrics_def *metrics_find_def(const char *name)
{
    for (size_t i = 0; name && i < NDEFS; i++)
        if (strcmp(defs[i].name, name) == 0)
            return &defs[i];
    return NULL;
}

const char *metrics_agg_name(metrics_agg a)
{
    switch (a) {
    case AGG_SUM:
        return "sum";
    case AGG_RATIO:
        return "ratio";
    case AGG_COUNT:
        return "count";
    default:
        return "info";
    }
}

/* ---- number formats ------------------------------------------------------ */

void metrics_fmt_exact(double x, char *buf, size_t len)
{
    if (x == floor(x) && fabs(x) < 1e18)
        snprintf(buf, len, "%lld", (long long)x);
    else
        snprintf(buf, len, "%.17g", x);
}

void metrics_fmt_human(double x, char *buf, size_t len)
{
    if (x == floor(x) && fabs(x) < 1e15)
        snprintf(buf, len, "%.0f", x);
    else if (fabs(x) >= 1e6 && fabs(x) < 1e15)
        snprintf(buf, len, "%.1f", x);
    else
        snprintf(buf, len, "%.6g", x);
}

void metrics_fmt_value(const metrics_value *v, int exact, char *buf, size_t len)
{
    void (*num)(double, char *, size_t) = exact ? metrics_fmt_exact : metrics_fmt_human;
    switch (v->kind) {
    case MV_STR:
        snprintf(buf, len, "%s", v->s);
        break;
    case MV_INT:
        snprintf(buf, len, "%lld", v->i);
        break;
    case MV_UINT:
        snprintf(buf, len, "%llu", v->u);
        break;
    case MV_FLOAT:
        num(v->d, buf, len);
        break;
    case MV_ARRAY: {
        size_t k = 0;
        buf[0] = '\0';
        for (int i = 0; i < v->n && k + 32 < len; i++) {
            char one[40];
            num(v->arr[i], one, sizeof one);
            k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? "," : "", one);
        }
        break;
    }
    default:
        snprintf(buf, len, "?");
    }
}

/* ---- errors ------------------------------------------------------------ */

typedef struct ctx {
    const char *path; /* the file, for messages */
    char *err;        /* caller's buffer */
    size_t errlen;
} ctx;

static herr_t walk_cb(unsigned n, const H5E_error2_t *e, void *data)
{
    char *buf = data;
    (void)n;
    if (e->desc && e->desc[0])
        snprintf(buf, 256, "%s", e->desc);
    return 0;
}

/* Records "<path>: <message>" in the caller's buffer; with h5 = 1 the
 * innermost HDF5 error description is appended. Returns -1. */
static int fail(ctx *c, int h5, const char *fmt, ...)
{
    char what[512], why[256] = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (h5) {
        H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, walk_cb, why);
        H5Eclear2(H5E_DEFAULT);
    }
    if (c->err && c->errlen) {
        if (why[0])
            snprintf(c->err, c->errlen, "%s: %s: %s", c->path, what, why);
        else
            snprintf(c->err, c->errlen, "%s: %s", c->path, what);
    }
    return -1;
}

/* ---- values ------------------------------------------------------------ */

typedef metrics_value value;

static void value_clear(value *v)
{
    free(v->s);
    memset(v, 0, sizeof *v);
}

/* Reads a scalar string attribute (variable or fixed length) into v->s. */
static int read_str_attr(hid_t a, hid_t ftype, value *v)
{
    hid_t mt = H5I_INVALID_HID;
    htri_t var = H5Tis_variable_str(ftype);
    int r = -1;
    if (var < 0)
        return -1;
    H5T_cset_t cset = H5Tget_cset(ftype);
    if (cset < 0)
        return -1;
    mt = H5Tcopy(H5T_C_S1);
    if (mt == H5I_INVALID_HID)
        return -1;
    if (H5Tset_cset(mt, cset) < 0) /* HDF5 does not convert between character sets */
        var = -1;
    else if (var) {
        char *p = NULL;
        if (H5Tset_size(mt, H5T_VARIABLE) >= 0 && H5Aread(a, mt, &p) >= 0) {
            v->s = strdup(p ? p : "");
            if (p)
                H5free_memory(p);
            r = v->s ? 0 : -1;
        }
    } else {
        size_t n = H5Tget_size(ftype);
        char *buf = n ? malloc(n + 1) : NULL;
        if (buf && H5Tset_size(mt, n + 1) >= 0 && H5Aread(a, mt, buf) >= 0) {
            buf[n] = '\0';
            v->s = buf;
            buf = NULL;
            r = 0;
        }
        free(buf);
    }
    v->kind = r == 0 ? MV_STR : MV_NONE;
    hid_t stack = r < 0 ? H5Eget_current_stack() : H5I_INVALID_HID; /* keep the reason */
    if (H5Tclose(mt) < 0)
        r = -1;
    if (stack != H5I_INVALID_HID)
        H5Eset_current_stack(stack);
    return r;
}

/* Reads attribute `name` of obj into v. Types other than scalar strings and
 * numbers (or numeric arrays up to METRICS_MAX_ARRAY) give MV_NONE and 0. Returns 0,
 * or -1 with the message recorded. */
static int read_attr(ctx *c, hid_t obj, const char *objname, const char *name, value *v)
{
    hid_t a = H5I_INVALID_HID, t = H5I_INVALID_HID, sp = H5I_INVALID_HID;
    memset(v, 0, sizeof *v);
    a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a == H5I_INVALID_HID)
        goto err;
    t = H5Aget_type(a);
    sp = H5Aget_space(a);
    if (t == H5I_INVALID_HID || sp == H5I_INVALID_HID)
        goto err;
    hssize_t n = H5Sget_simple_extent_npoints(sp);
    H5T_class_t cls = H5Tget_class(t);
    if (n < 0 || cls == H5T_NO_CLASS)
        goto err;
    if (cls == H5T_STRING && n == 1) {
        if (read_str_attr(a, t, v) < 0)
            goto err;
    } else if ((cls == H5T_INTEGER || cls == H5T_FLOAT) && n == 1) {
        if (cls == H5T_INTEGER && H5Tget_sign(t) == H5T_SGN_NONE) {
            if (H5Aread(a, H5T_NATIVE_ULLONG, &v->u) < 0)
                goto err;
            v->kind = MV_UINT;
            v->d = (double)v->u;
        } else if (cls == H5T_INTEGER) {
            if (H5Aread(a, H5T_NATIVE_LLONG, &v->i) < 0)
                goto err;
            v->kind = MV_INT;
            v->d = (double)v->i;
        } else {
            if (H5Aread(a, H5T_NATIVE_DOUBLE, &v->d) < 0)
                goto err;
            v->kind = MV_FLOAT;
        }
    } else if ((cls == H5T_INTEGER || cls == H5T_FLOAT) && n > 1 && n <= METRICS_MAX_ARRAY) {
        if (H5Aread(a, H5T_NATIVE_DOUBLE, v->arr) < 0)
            goto err;
        v->kind = MV_ARRAY;
        v->n = (int)n;
    }
    if (H5Sclose(sp) < 0 || H5Tclose(t) < 0 || H5Aclose(a) < 0) {
        sp = t = a = H5I_INVALID_HID;
        goto err;
    }
    return 0;
err:
    fail(c, 1, "cannot read attribute %s of %s", name, objname);
    if (sp != H5I_INVALID_HID)
        H5Sclose(sp);
    if (t != H5I_INVALID_HID)
        H5Tclose(t);
    if (a != H5I_INVALID_HID)
        H5Aclose(a);
    value_clear(v);
    return -1;
}

/* Reads attribute `name` of obj if it exists: returns 1 (read), 0 (absent)
 * or -1 (error recorded). */
static int get_attr(ctx *c, hid_t obj, const char *objname, const char *name, value *v)
{
    memset(v, 0, sizeof *v);
    htri_t e = H5Aexists(obj, name);
    if (e < 0)
        return fail(c, 1, "cannot look for attribute %s of %s", name, objname);
    if (!e)
        return 0;
    return read_attr(c, obj, objname, name, v) < 0 ? -1 : 1;
}

/* ---- name lists ---------------------------------------------------------- */

typedef struct names {
    char **v; /* [n] owned */
    int n, cap;
    int oom;  /* 1 if an append failed */
} names;

static void names_free(names *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static void names_add(names *l, const char *s)
{
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 16;
        char **nv = realloc(l->v, (size_t)cap * sizeof *nv);
        if (!nv) {
            l->oom = 1;
            return;
        }
        l->v = nv;
        l->cap = cap;
    }
    char *d = strdup(s);
    if (!d) {
        l->oom = 1;
        return;
    }
    l->v[l->n++] = d;
}

static int find_name(const names *l, const char *s)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return i;
    return -1;
}

static herr_t attr_name_cb(hid_t loc, const char *name, const H5A_info_t *info, void *data)
{
    (void)loc;
    (void)info;
    names_add(data, name);
    return 0;
}

/* Lists the attribute names of obj in creation order (by name if the file
 * does not track the order). Returns 0 or -1 with the message recorded. */
static int list_attrs(ctx *c, hid_t obj, const char *objname, names *out)
{
    hsize_t idx = 0;
    memset(out, 0, sizeof *out);
    if (H5Aiterate2(obj, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, attr_name_cb, out) < 0) {
        H5Eclear2(H5E_DEFAULT);
        names_free(out);
        idx = 0;
        if (H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, &idx, attr_name_cb, out) < 0) {
            names_free(out);
            return fail(c, 1, "cannot list the attributes of %s", objname);
        }
    }
    if (out->oom) {
        names_free(out);
        return fail(c, 0, "out of memory");
    }
    return 0;
}

typedef struct group_list {
    names *out;
    hid_t loc;
    H5I_type_t want; /* H5I_GROUP or H5I_DATASET */
} group_list;

static herr_t link_cb(hid_t loc, const char *name, const H5L_info_t *info, void *data)
{
    group_list *gl = data;
    (void)loc;
    if (info->type != H5L_TYPE_HARD)
        return 0;
    hid_t o = H5Oopen(gl->loc, name, H5P_DEFAULT);
    if (o == H5I_INVALID_HID)
        return -1;
    H5I_type_t t = H5Iget_type(o);
    if (H5Oclose(o) < 0)
        return -1;
    if (t == gl->want)
        names_add(gl->out, name);
    return 0;
}

/* Lists the children of g of type `want` (H5I_GROUP or H5I_DATASET) in
 * creation order (by name if untracked). */
static int list_links(ctx *c, hid_t g, const char *gname, H5I_type_t want, names *out)
{
    group_list gl = {out, g, want};
    hsize_t idx = 0;
    memset(out, 0, sizeof *out);
    if (H5Literate(g, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, link_cb, &gl) < 0) {
        H5Eclear2(H5E_DEFAULT);
        names_free(out);
        idx = 0;
        if (H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, link_cb, &gl) < 0) {
            names_free(out);
            return fail(c, 1, "cannot list the %s in %s", want == H5I_GROUP ? "groups" : "datasets", gname);
        }
    }
    if (out->oom) {
        names_free(out);
        return fail(c, 0, "out of memory");
    }
    return 0;
}

/* Opens group `name` under loc if it exists as a group: returns the group,
 * or H5I_INVALID_HID with *absent = 1 when it does not exist, or
 * H5I_INVALID_HID with the error recorded. */
static hid_t open_group_if(ctx *c, hid_t loc, const char *name, const char *shown, int *absent)
{
    *absent = 0;
    htri_t e = H5Lexists(loc, name, H5P_DEFAULT);
    if (e < 0) {
        fail(c, 1, "cannot look for %s", shown);
        return H5I_INVALID_HID;
    }
    if (!e) {
        *absent = 1;
        return H5I_INVALID_HID;
    }
    hid_t o = H5Oopen(loc, name, H5P_DEFAULT);
    if (o == H5I_INVALID_HID) {
        fail(c, 1, "cannot open %s", shown);
        return H5I_INVALID_HID;
    }
    if (H5Iget_type(o) != H5I_GROUP) {
        H5Oclose(o);
        *absent = 1;
        return H5I_INVALID_HID;
    }
    return o;
}

/* ---- opening ------------------------------------------------------------- */

/* Opens path read-only. Returns the file or H5I_INVALID_HID with the error
 * recorded (missing, unreadable, not HDF5, damaged). */
static hid_t open_file(ctx *c)
{
    struct stat st;
    (void)H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* errors come back as messages */
    if (stat(c->path, &st) < 0) {
        fail(c, 0, "%s", strerror(errno));
        return H5I_INVALID_HID;
    }
    if (!S_ISREG(st.st_mode)) {
        fail(c, 0, "not a regular file");
        return H5I_INVALID_HID;
    }
    FILE *probe = fopen(c->path, "rb");
    if (!probe) {
        fail(c, 0, "%s", strerror(errno));
        return H5I_INVALID_HID;
    }
    fclose(probe);
    htri_t is = H5Fis_hdf5(c->path);
    if (is <= 0) {
        H5Eclear2(H5E_DEFAULT);
        fail(c, 0, "not an HDF5 file");
        return H5I_INVALID_HID;
    }
    hid_t f = H5Fopen(c->path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f == H5I_INVALID_HID)
        fail(c, 1, "cannot open (damaged or truncated HDF5 file?)");
    return f;
}

/* Checks layout_version (the major version must be METRICS_LAYOUT_VERSION:
 * 1, 1.x as a number or "1", "1.x" as a string) and /summary. Returns 0 or
 * -1 with the message. */
static int check_result(ctx *c, hid_t f)
{
    value v;
    int r = get_attr(c, f, "/", "layout_version", &v);
    if (r < 0)
        return -1;
    if (r == 1) {
        double major = NAN;
        char shown[96];
        if (v.kind == MV_INT || v.kind == MV_UINT || v.kind == MV_FLOAT) {
            major = floor(v.d);
            snprintf(shown, sizeof shown, "%.17g", v.d);
        } else if (v.kind == MV_STR) {
            char *end = NULL;
            errno = 0;
            long m = strtol(v.s, &end, 10);
            if (end != v.s && errno == 0 && (*end == '\0' || *end == '.'))
                major = (double)m;
            snprintf(shown, sizeof shown, "\"%.80s\"", v.s);
        } else {
            snprintf(shown, sizeof shown, "of an unexpected type");
        }
        value_clear(&v);
        if (major != METRICS_LAYOUT_VERSION)
            return fail(c, 0, "layout_version %s is not supported (this reader knows %d)", shown,
                        METRICS_LAYOUT_VERSION);
    }
    htri_t e = H5Lexists(f, "summary", H5P_DEFAULT);
    if (e < 0)
        return fail(c, 1, "cannot look for /summary");
    if (!e)
        return fail(c, 0, "not a dcsim result file (no /summary)");
    if (r == 0)
        return fail(c, 0, "not a dcsim result file (no layout_version attribute)");
    return 0;
}
/* ---- reading into memory ------------------------------------------------- */

static void attrs_free(metrics_attrs *l)
{
    for (int i = 0; i < l->n; i++) {
        free(l->v[i].name);
        free(l->v[i].units);
        free(l->v[i].long_name);
        value_clear(&l->v[i].v);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* The string attribute `name` of group g (H5I_INVALID_HID: none) as a new
 * string, "" when absent or not a string; NULL when out of memory. A broken
 * units table is not an error: the value is shown without units. */
static char *meta_str(hid_t g, const char *name)
{
    ctx quiet = {"", NULL, 0};
    value v;
    char *r;
    if (g != H5I_INVALID_HID && get_attr(&quiet, g, "", name, &v) == 1 && v.kind == MV_STR)
        r = strdup(v.s);
    else
        r = strdup("");
    if (g != H5I_INVALID_HID)
        value_clear(&v);
    H5Eclear2(H5E_DEFAULT);
    return r;
}

/* Opens the group parent/name quietly; H5I_INVALID_HID if absent or broken. */
static hid_t open_meta(hid_t parent, const char *name)
{
    ctx quiet = {"", NULL, 0};
    int absent;
    hid_t g = open_group_if(&quiet, parent, name, name, &absent);
    H5Eclear2(H5E_DEFAULT);
    return g;
}

static void close_meta(hid_t g)
{
    if (g != H5I_INVALID_HID)
        H5Gclose(g);
}

/* Reads every attribute of obj into *out (empty first), with units and
 * descriptions from the attributes of the same name on groups ug and lg
 * (either may be H5I_INVALID_HID). Returns 0 or -1 with the message. */
static int read_attrs(ctx *c, hid_t obj, const char *objname, hid_t ug, hid_t lg, metrics_attrs *out)
{
    names l;
    memset(out, 0, sizeof *out);
    if (list_attrs(c, obj, objname, &l) < 0)
        return -1;
    int r = 0;
    if (l.n && !(out->v = calloc((size_t)l.n, sizeof *out->v)))
        r = fail(c, 0, "out of memory");
    for (int i = 0; i < l.n && r == 0; i++) {
        metrics_attr *a = &out->v[out->n];
        if (read_attr(c, obj, objname, l.v[i], &a->v) < 0) {
            r = -1;
            break;
        }
        a->name = strdup(l.v[i]);
        a->units = meta_str(ug, l.v[i]);
        a->long_name = meta_str(lg, l.v[i]);
        out->n++;
        if (!a->name || !a->units || !a->long_name)
            r = fail(c, 0, "out of memory");
    }
    names_free(&l);
    if (r)
        attrs_free(out);
    return r;
}

/* Sum of the 1-D numeric dataset `name` in group g; NAN if it is absent.
 * Returns 0, or -1 on a read error. */
static int sum_dataset(ctx *c, hid_t g, const char *gname, const char *name, double *out)
{
    *out = NAN;
    htri_t e = H5Lexists(g, name, H5P_DEFAULT);
    if (e <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return 0;
    }
    hid_t d = H5Dopen2(g, name, H5P_DEFAULT), sp = H5I_INVALID_HID;
    if (d == H5I_INVALID_HID || (sp = H5Dget_space(d)) == H5I_INVALID_HID) {
        if (d != H5I_INVALID_HID)
            H5Dclose(d);
        return fail(c, 1, "cannot open %s/%s", gname, name);
    }
    hssize_t n = H5Sget_simple_extent_npoints(sp);
    int rank = H5Sget_simple_extent_ndims(sp);
    double *buf = n > 0 && rank == 1 ? malloc((size_t)n * sizeof *buf) : NULL;
    int r = 0;
    if (n < 0 || rank != 1)
        r = fail(c, 0, "%s/%s is not a 1-D series", gname, name);
    else if (n > 0 && !buf)
        r = fail(c, 0, "out of memory");
    else if (n > 0 && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
        r = fail(c, 1, "cannot read %s/%s", gname, name);
    if (r == 0) {
        double t = 0;
        for (hssize_t i = 0; i < n; i++)
            t += buf[i];
        *out = t;
    }
    free(buf);
    H5Sclose(sp);
    H5Dclose(d);
    return r;
}

/* Reads the pools of one site group into mf->pools. */
static int read_site_pools(ctx *c, hid_t site, const char *sname, hid_t ug, hid_t lg, metrics_file *mf)
{
    char shown[1200];
    int absent, r = 0;
    snprintf(shown, sizeof shown, "/sites/%s/pools", sname);
    hid_t pg = open_group_if(c, site, "pools", shown, &absent);
    if (pg == H5I_INVALID_HID)
        return absent ? 0 : -1;
    names pools;
    if (list_links(c, pg, shown, H5I_GROUP, &pools) < 0) {
        H5Gclose(pg);
        return -1;
    }
    for (int k = 0; k < pools.n && r == 0; k++) {
        snprintf(shown, sizeof shown, "/sites/%s/pools/%s", sname, pools.v[k]);
        metrics_group *nv = realloc(mf->pools, (size_t)(mf->npools + 1) * sizeof *nv);
        if (!nv) {
            r = fail(c, 0, "out of memory");
            break;
        }
        mf->pools = nv;
        metrics_group *p = &mf->pools[mf->npools];
        memset(p, 0, sizeof *p);
        hid_t g = H5Gopen2(pg, pools.v[k], H5P_DEFAULT);
        if (g == H5I_INVALID_HID) {
            r = fail(c, 1, "cannot open %s", shown);
            break;
        }
        mf->npools++;
        p->name = strdup(shown + strlen("/sites/"));
        if (!p->name) {
            r = fail(c, 0, "out of memory");
        } else {
            char *slash = strstr(p->name, "/pools/"); /* "site/pools/pool" -> "site/pool" */
            if (slash)
                memmove(slash, slash + 6, strlen(slash + 6) + 1);
            r = read_attrs(c, g, shown, ug, lg, &p->attrs);
        }
        if (H5Gclose(g) < 0 && r == 0)
            r = fail(c, 1, "cannot close %s", shown);
    }
    names_free(&pools);
    if (H5Gclose(pg) < 0 && r == 0)
        r = fail(c, 1, "cannot close /sites/%s/pools", sname);
    return r;
}

/* Reads every site's totals and pools. */
static int read_sites(ctx *c, hid_t f, metrics_file *mf)
{
    int absent = 0;
    hid_t sg = open_group_if(c, f, "sites", "/sites", &absent);
    if (sg == H5I_INVALID_HID)
        return absent ? 0 : -1;
    hid_t sum = open_meta(f, "summary");
    hid_t ug = sum != H5I_INVALID_HID ? open_meta(sum, "pool_units") : H5I_INVALID_HID;
    hid_t lg = sum != H5I_INVALID_HID ? open_meta(sum, "pool_long_name") : H5I_INVALID_HID;
    names sites;
    int r = list_links(c, sg, "/sites", H5I_GROUP, &sites);
    if (r == 0 && sites.n > 0 && !(mf->sites = calloc((size_t)sites.n, sizeof *mf->sites)))
        r = fail(c, 0, "out of memory");
    for (int i = 0; i < sites.n && r == 0; i++) {
        metrics_site *t = &mf->sites[i];
        char shown[1100];
        snprintf(shown, sizeof shown, "/sites/%s", sites.v[i]);
        hid_t g = H5Gopen2(sg, sites.v[i], H5P_DEFAULT);
        if (g == H5I_INVALID_HID) {
            r = fail(c, 1, "cannot open %s", shown);
            break;
        }
        mf->nsites++;
        if (!(t->name = strdup(sites.v[i])))
            r = fail(c, 0, "out of memory");
        const struct {
            const char *series;
            double *x;
        } sums[] = {{"it_energy_kwh", &t->it_kwh},         {"facility_energy_kwh", &t->facility_kwh},
                    {"emissions_kg", &t->emissions_kg},    {"emissions_market_kg", &t->market_kg},
                    {"water_onsite_l", &t->water_onsite_l}, {"water_l", &t->water_l}};
        for (size_t k = 0; k < sizeof sums / sizeof sums[0]; k++) {
            *sums[k].x = NAN;
            if (r == 0)
                r = sum_dataset(c, g, shown, sums[k].series, sums[k].x);
        }
        if (r == 0 && isnan(t->facility_kwh)) /* files without storage: facility energy = grid energy */
            r = sum_dataset(c, g, shown, "energy_kwh", &t->facility_kwh);
        if (r == 0)
            r = read_site_pools(c, g, sites.v[i], ug, lg, mf);
        if (H5Gclose(g) < 0 && r == 0)
            r = fail(c, 1, "cannot close %s", shown);
    }
    names_free(&sites);
    close_meta(lg);
    close_meta(ug);
    close_meta(sum);
    if (H5Gclose(sg) < 0 && r == 0)
        r = fail(c, 1, "cannot close /sites");
    return r;
}

/* Reads /<table>/<name> groups (not the units and long_name tables):
 * table "workloads" or "groups" (the totals of each workload and of each
 * group of workloads; same shape). */
static int read_totals(ctx *c, hid_t f, const char *table, metrics_group **out, int *nout)
{
    int absent = 0;
    char tpath[32];
    snprintf(tpath, sizeof tpath, "/%s", table);
    hid_t wg = open_group_if(c, f, table, tpath, &absent);
    if (wg == H5I_INVALID_HID)
        return absent ? 0 : -1;
    hid_t ug = open_meta(wg, "units"), lg = open_meta(wg, "long_name");
    names l;
    int r = list_links(c, wg, tpath, H5I_GROUP, &l);
    if (r == 0 && l.n && !(*out = calloc((size_t)l.n, sizeof **out)))
        r = fail(c, 0, "out of memory");
    for (int i = 0; i < l.n && r == 0; i++) {
        if (!strcmp(l.v[i], "units") || !strcmp(l.v[i], "long_name"))
            continue;
        char shown[1100];
        snprintf(shown, sizeof shown, "%s/%s", tpath, l.v[i]);
        hid_t g = H5Gopen2(wg, l.v[i], H5P_DEFAULT);
        if (g == H5I_INVALID_HID) {
            r = fail(c, 1, "cannot open %s", shown);
            break;
        }
        metrics_group *w = &(*out)[(*nout)++];
        if (!(w->name = strdup(l.v[i])))
            r = fail(c, 0, "out of memory");
        else
            r = read_attrs(c, g, shown, ug, lg, &w->attrs);
        if (H5Gclose(g) < 0 && r == 0)
            r = fail(c, 1, "cannot close %s", shown);
    }
    names_free(&l);
    close_meta(lg);
    close_meta(ug);
    if (H5Gclose(wg) < 0 && r == 0)
        r = fail(c, 1, "cannot close %s", tpath);
    return r;
}

/* The string attribute `name` of dataset d as a new string ("" if absent). */
static char *dset_meta(hid_t d, const char *name)
{
    return meta_str(d, name);
}

/* Reads one /projection column (1-D, numeric, `rows` long unless rows is
 * (size_t)-1, which takes its length). */
static int read_column(ctx *c, hid_t pg, const char *name, metrics_column *col, size_t *rows)
{
    char shown[1100];
    snprintf(shown, sizeof shown, "/projection/%s", name);
    hid_t d = H5Dopen2(pg, name, H5P_DEFAULT), t = H5I_INVALID_HID, sp = H5I_INVALID_HID;
    int r = 0;
    if (d == H5I_INVALID_HID)
        return fail(c, 1, "cannot open %s", shown);
    t = H5Dget_type(d);
    sp = H5Dget_space(d);
    if (t == H5I_INVALID_HID || sp == H5I_INVALID_HID) {
        r = fail(c, 1, "cannot read the type of %s", shown);
        goto out;
    }
    H5T_class_t cls = H5Tget_class(t);
    int rank = H5Sget_simple_extent_ndims(sp);
    hssize_t n = H5Sget_simple_extent_npoints(sp);
    if (cls != H5T_INTEGER && cls != H5T_FLOAT) {
        r = fail(c, 0, "%s is not numeric (a projection column holds one number per year)", shown);
        goto out;
    }
    if (rank != 1 || n < 0) {
        r = fail(c, 0, "%s has %d dimensions (a projection column is 1-D)", shown, rank);
        goto out;
    }
    if (*rows != (size_t)-1 && (size_t)n != *rows) {
        r = fail(c, 0, "%s has %lld rows, the other projection columns %zu", shown, (long long)n, *rows);
        goto out;
    }
    *rows = (size_t)n;
    col->name = strdup(name);
    col->units = dset_meta(d, "units");
    col->long_name = dset_meta(d, "long_name");
    col->v = malloc((n ? (size_t)n : 1) * sizeof *col->v);
    if (!col->name || !col->units || !col->long_name || !col->v) {
        r = fail(c, 0, "out of memory");
        goto out;
    }
    if (n > 0 && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, col->v) < 0)
        r = fail(c, 1, "cannot read %s", shown);
out:
    if (sp != H5I_INVALID_HID)
        H5Sclose(sp);
    if (t != H5I_INVALID_HID)
        H5Tclose(t);
    H5Dclose(d);
    return r;
}

/* Reads the optional /projection table; "year" becomes the first column. */
static int read_projection(ctx *c, hid_t f, metrics_file *mf)
{
    int absent = 0;
    hid_t pg = open_group_if(c, f, "projection", "/projection", &absent);
    if (pg == H5I_INVALID_HID)
        return absent ? 0 : -1;
    names l;
    int r = list_links(c, pg, "/projection", H5I_DATASET, &l);
    size_t rows = (size_t)-1;
    if (r == 0 && l.n && !(mf->proj = calloc((size_t)l.n, sizeof *mf->proj)))
        r = fail(c, 0, "out of memory");
    int y = find_name(&l, "year");
    for (int k = -1; k < l.n && r == 0; k++) {
        int i = k < 0 ? y : k;
        if (i < 0 || (k >= 0 && i == y))
            continue;
        r = read_column(c, pg, l.v[i], &mf->proj[mf->nproj], &rows);
        mf->nproj++;
    }
    mf->proj_rows = rows == (size_t)-1 ? 0 : rows;
    names_free(&l);
    if (H5Gclose(pg) < 0 && r == 0)
        r = fail(c, 1, "cannot close /projection");
    return r;
}

int metrics_read(const char *path, metrics_file *mf, char *err, size_t errlen)
{
    ctx c = {path ? path : "(null)", err, errlen};
    hid_t f = H5I_INVALID_HID, sum = H5I_INVALID_HID, ug = H5I_INVALID_HID, lg = H5I_INVALID_HID;
    int r = -1;

    memset(mf, 0, sizeof *mf);
    if (err && errlen)
        err[0] = '\0';
    if (!path)
        return fail(&c, 0, "no file");
    mf->path = strdup(path);
    mf->kind = strdup("");
    if (!mf->path || !mf->kind)
        return fail(&c, 0, "out of memory");
    f = open_file(&c);
    if (f == H5I_INVALID_HID)
        return -1;
    if (read_attrs(&c, f, "/", H5I_INVALID_HID, H5I_INVALID_HID, &mf->root) < 0)
        goto out;
    const metrics_attr *k = metrics_attr_find(&mf->root, "kind");
    if (k && k->v.kind == MV_STR && k->v.s[0] && strcmp(k->v.s, "run") != 0) {
        free(mf->kind);
        if (!(mf->kind = strdup(k->v.s))) {
            fail(&c, 0, "out of memory");
            goto out;
        }
        r = 1;
        goto out;
    }
    if (check_result(&c, f) < 0)
        goto out;
    sum = H5Gopen2(f, "summary", H5P_DEFAULT);
    if (sum == H5I_INVALID_HID) {
        fail(&c, 1, "cannot open /summary");
        goto out;
    }
    ug = open_meta(sum, "units");
    lg = open_meta(sum, "long_name");
    if (read_attrs(&c, sum, "/summary", ug, lg, &mf->summary) < 0 || read_sites(&c, f, mf) < 0 ||
        read_totals(&c, f, "workloads", &mf->workloads, &mf->nworkloads) < 0 ||
        read_totals(&c, f, "groups", &mf->groups, &mf->ngroups) < 0 || read_projection(&c, f, mf) < 0)
        goto out;
    r = 0;
out:
    close_meta(lg);
    close_meta(ug);
    if (sum != H5I_INVALID_HID && H5Gclose(sum) < 0 && r >= 0)
        r = fail(&c, 1, "cannot close /summary");
    if (H5Fclose(f) < 0 && r >= 0)
        r = fail(&c, 1, "cannot close the file");
    return r;
}

void metrics_free(metrics_file *mf)
{
    if (!mf)
        return;
    attrs_free(&mf->root);
    attrs_free(&mf->summary);
    for (int i = 0; i < mf->npools; i++) {
        free(mf->pools[i].name);
        attrs_free(&mf->pools[i].attrs);
    }
    free(mf->pools);
    for (int i = 0; i < mf->nworkloads; i++) {
        free(mf->workloads[i].name);
        attrs_free(&mf->workloads[i].attrs);
    }
    free(mf->workloads);
    for (int i = 0; i < mf->ngroups; i++) {
        free(mf->groups[i].name);
        attrs_free(&mf->groups[i].attrs);
    }
    free(mf->groups);
    for (int i = 0; i < mf->nsites; i++)
        free(mf->sites[i].name);
    free(mf->sites);
    for (int i = 0; i < mf->nproj; i++) {
        free(mf->proj[i].name);
        free(mf->proj[i].units);
        free(mf->proj[i].long_name);
        free(mf->proj[i].v);
    }
    free(mf->proj);
    free(mf->path);
    free(mf->kind);
    memset(mf, 0, sizeof *mf);
}

const metrics_attr *metrics_attr_find(const metrics_attrs *l, const char *name)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->v[i].name, name) == 0)
            return &l->v[i];
    return NULL;
}

int metrics_num(const metrics_attrs *l, const char *name, double *x)
{
    const metrics_attr *a = metrics_attr_find(l, name);
    *x = NAN;
    if (!a || (a->v.kind != MV_INT && a->v.kind != MV_UINT && a->v.kind != MV_FLOAT))
        return 0;
    *x = a->v.d;
    return 1;
}

/* ---- CSV export ---------------------------------------------------------- */

#define CSV_BLOCK 65536 /* elements read per H5Dread */

int metrics_export_csv(const char *path, const char *dset, FILE *out, char *err, size_t errlen)
{
    ctx c = {path ? path : "(null)", err, errlen};
    hid_t f = H5I_INVALID_HID, d = H5I_INVALID_HID, t = H5I_INVALID_HID,
          fsp = H5I_INVALID_HID, msp = H5I_INVALID_HID;
    void *buf = NULL;
    int r = -1;

    if (err && errlen)
        err[0] = '\0';
    if (!path || !dset || !out)
        return fail(&c, 0, "no file, dataset or output stream");
    f = open_file(&c);
    if (f == H5I_INVALID_HID)
        return -1;
    d = H5Dopen2(f, dset, H5P_DEFAULT);
    if (d == H5I_INVALID_HID) {
        H5Eclear2(H5E_DEFAULT);
        fail(&c, 0, "no dataset %s", dset);
        goto out;
    }
    t = H5Dget_type(d);
    fsp = H5Dget_space(d);
    if (t == H5I_INVALID_HID || fsp == H5I_INVALID_HID) {
        fail(&c, 1, "cannot read the type of %s", dset);
        goto out;
    }
    H5T_class_t cls = H5Tget_class(t);
    int rank = H5Sget_simple_extent_ndims(fsp);
    if (cls != H5T_INTEGER && cls != H5T_FLOAT) {
        fail(&c, 0, "%s is not numeric", dset);
        goto out;
    }
    if (rank < 0 || rank > 1) {
        fail(&c, 0, "%s has %d dimensions (only 1-D datasets export)", dset, rank);
        goto out;
    }
    hssize_t total = H5Sget_simple_extent_npoints(fsp);
    if (total < 0) {
        fail(&c, 1, "cannot read the size of %s", dset);
        goto out;
    }
    /* kind: 0 double, 1 signed, 2 unsigned */
    int kind = cls == H5T_FLOAT ? 0 : H5Tget_sign(t) == H5T_SGN_NONE ? 2 : 1;
    hid_t mtype = kind == 0 ? H5T_NATIVE_DOUBLE : kind == 1 ? H5T_NATIVE_LLONG : H5T_NATIVE_ULLONG;
    buf = malloc(CSV_BLOCK * 8);
    if (!buf) {
        fail(&c, 0, "out of memory");
        goto out;
    }
    for (hsize_t at = 0; at < (hsize_t)total;) {
        hsize_t n = (hsize_t)total - at < CSV_BLOCK ? (hsize_t)total - at : CSV_BLOCK;
        if (rank == 1) {
            if (H5Sselect_hyperslab(fsp, H5S_SELECT_SET, &at, NULL, &n, NULL) < 0)
                goto h5err;
            msp = H5Screate_simple(1, &n, NULL);
        } else {
            msp = H5Screate(H5S_SCALAR);
        }
        if (msp == H5I_INVALID_HID)
            goto h5err;
        if (H5Dread(d, mtype, msp, fsp, H5P_DEFAULT, buf) < 0)
            goto h5err;
        if (H5Sclose(msp) < 0) {
            msp = H5I_INVALID_HID;
            goto h5err;
        }
        msp = H5I_INVALID_HID;
        for (hsize_t i = 0; i < n; i++) {
            unsigned long long idx = (unsigned long long)(at + i);
            if (kind == 0)
                fprintf(out, "%llu,%.17g\n", idx, ((double *)buf)[i]);
            else if (kind == 1)
                fprintf(out, "%llu,%lld\n", idx, ((long long *)buf)[i]);
            else
                fprintf(out, "%llu,%llu\n", idx, ((unsigned long long *)buf)[i]);
        }
        if (ferror(out)) {
            fail(&c, 0, "cannot write the CSV: %s", strerror(errno));
            goto out;
        }
        at += n;
    }
    if (fflush(out) != 0) {
        fail(&c, 0, "cannot write the CSV: %s", strerror(errno));
        goto out;
    }
    r = 0;
    goto out;
h5err:
    fail(&c, 1, "cannot read %s", dset);
out:
    free(buf);
    if (msp != H5I_INVALID_HID)
        H5Sclose(msp);
    if (fsp != H5I_INVALID_HID && H5Sclose(fsp) < 0 && r == 0)
        r = fail(&c, 1, "cannot close %s", dset);
    if (t != H5I_INVALID_HID && H5Tclose(t) < 0 && r == 0)
        r = fail(&c, 1, "cannot close %s", dset);
    if (d != H5I_INVALID_HID && H5Dclose(d) < 0 && r == 0)
        r = fail(&c, 1, "cannot close %s", dset);
    if (H5Fclose(f) < 0 && r == 0)
        r = fail(&c, 1, "cannot close the file");
    return r;
}
