/* report.c - reads a dcsim result file (HDF5) and prints its summary as text or key=value, or a dataset as CSV.
 *
 * Only the layout of docs/RESULTS.md is assumed: root attributes, /summary
 * attributes and /sites/<site>/pools/<pool> group attributes. Attributes are
 * listed in creation order where the file tracks it, else by name. Every
 * HDF5 call is checked; handles start at H5I_INVALID_HID and are closed in
 * reverse order.
 */
#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <hdf5.h>

#define LAYOUT_VERSION 1
#define MAX_ARRAY 64 /* longest numeric attribute array printed, elements */

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

enum vkind { V_NONE, V_STR, V_INT, V_UINT, V_FLOAT, V_ARRAY };

/* One attribute's value. */
typedef struct value {
    enum vkind kind;
    char *s;              /* V_STR (owned) */
    long long i;          /* V_INT */
    unsigned long long u; /* V_UINT */
    double d;             /* V_FLOAT; also set for V_INT and V_UINT */
    double arr[MAX_ARRAY];/* V_ARRAY */
    int n;                /* V_ARRAY length */
} value;

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
    v->kind = r == 0 ? V_STR : V_NONE;
    hid_t stack = r < 0 ? H5Eget_current_stack() : H5I_INVALID_HID; /* keep the reason */
    if (H5Tclose(mt) < 0)
        r = -1;
    if (stack != H5I_INVALID_HID)
        H5Eset_current_stack(stack);
    return r;
}

/* Reads attribute `name` of obj into v. Types other than scalar strings and
 * numbers (or numeric arrays up to MAX_ARRAY) give V_NONE and 0. Returns 0,
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
            v->kind = V_UINT;
            v->d = (double)v->u;
        } else if (cls == H5T_INTEGER) {
            if (H5Aread(a, H5T_NATIVE_LLONG, &v->i) < 0)
                goto err;
            v->kind = V_INT;
            v->d = (double)v->i;
        } else {
            if (H5Aread(a, H5T_NATIVE_DOUBLE, &v->d) < 0)
                goto err;
            v->kind = V_FLOAT;
        }
    } else if ((cls == H5T_INTEGER || cls == H5T_FLOAT) && n > 1 && n <= MAX_ARRAY) {
        if (H5Aread(a, H5T_NATIVE_DOUBLE, v->arr) < 0)
            goto err;
        v->kind = V_ARRAY;
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
    if (t == H5I_GROUP)
        names_add(gl->out, name);
    return 0;
}

/* Lists the child groups of g in creation order (by name if untracked). */
static int list_groups(ctx *c, hid_t g, const char *gname, names *out)
{
    group_list gl = {out, g};
    hsize_t idx = 0;
    memset(out, 0, sizeof *out);
    if (H5Literate(g, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, link_cb, &gl) < 0) {
        H5Eclear2(H5E_DEFAULT);
        names_free(out);
        idx = 0;
        if (H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, link_cb, &gl) < 0) {
            names_free(out);
            return fail(c, 1, "cannot list the groups in %s", gname);
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

/* Checks layout_version and /summary. Returns 0 or -1 with the message. */
static int check_result(ctx *c, hid_t f)
{
    value v;
    int r = get_attr(c, f, "/", "layout_version", &v);
    if (r < 0)
        return -1;
    if (r == 1) {
        int ok = (v.kind == V_INT && v.i == LAYOUT_VERSION) ||
                 (v.kind == V_UINT && v.u == LAYOUT_VERSION) ||
                 (v.kind == V_FLOAT && v.d == LAYOUT_VERSION);
        if (!ok) {
            char shown[64];
            if (v.kind == V_INT || v.kind == V_UINT || v.kind == V_FLOAT)
                snprintf(shown, sizeof shown, "%.17g", v.d);
            else
                snprintf(shown, sizeof shown, "of an unexpected type");
            value_clear(&v);
            return fail(c, 0, "layout_version %s is not supported (this reader knows %d)", shown,
                        LAYOUT_VERSION);
        }
        value_clear(&v);
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

/* ---- printing ------------------------------------------------------------ */

/* A number as an integer when integral, else %.17g. */
static void fmt_exact(double x, char *buf, size_t len)
{
    if (x == floor(x) && fabs(x) < 1e18)
        snprintf(buf, len, "%lld", (long long)x);
    else
        snprintf(buf, len, "%.17g", x);
}

/* A number for a person: integral as an integer, else 6 significant digits
 * (one decimal from 1e6 up, so large totals never turn into exponents). */
static void fmt_human(double x, char *buf, size_t len)
{
    if (x == floor(x) && fabs(x) < 1e15)
        snprintf(buf, len, "%.0f", x);
    else if (fabs(x) >= 1e6 && fabs(x) < 1e15)
        snprintf(buf, len, "%.1f", x);
    else
        snprintf(buf, len, "%.6g", x);
}

/* A value as text: exact = 1 for kv, 0 for people. */
static void fmt_value(const value *v, int exact, char *buf, size_t len)
{
    switch (v->kind) {
    case V_STR:
        snprintf(buf, len, "%s", v->s);
        break;
    case V_INT:
        snprintf(buf, len, "%lld", v->i);
        break;
    case V_UINT:
        snprintf(buf, len, "%llu", v->u);
        break;
    case V_FLOAT:
        if (exact)
            fmt_exact(v->d, buf, len);
        else
            fmt_human(v->d, buf, len);
        break;
    case V_ARRAY: {
        size_t k = 0;
        buf[0] = '\0';
        for (int i = 0; i < v->n && k + 32 < len; i++) {
            char one[40];
            if (exact)
                fmt_exact(v->arr[i], one, sizeof one);
            else
                fmt_human(v->arr[i], one, sizeof one);
            k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? "," : "", one);
        }
        break;
    }
    default:
        snprintf(buf, len, "?");
    }
}

/* Prints " key=value" for kv, quoting strings that need it. */
static void kv_put(FILE *out, int *first, const char *key, const value *v)
{
    if (v->kind == V_NONE)
        return;
    fprintf(out, "%s%s=", *first ? "" : " ", key);
    *first = 0;
    if (v->kind != V_STR) {
        char buf[2600];
        fmt_value(v, 1, buf, sizeof buf);
        fputs(buf, out);
        return;
    }
    const char *s = v->s;
    int quote = s[0] == '\0' || strpbrk(s, " \t\r\n=\"\\") != NULL;
    if (!quote) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        if (*s == '\n')
            fputs("\\n", out);
        else if (*s == '\t')
            fputs("\\t", out);
        else if (*s == '\r')
            fputs("\\r", out);
        else
            fputc(*s, out);
    }
    fputc('"', out);
}

/* The totals printed first, in this order, with a label and a default unit
 * (the file's /summary/attributes table overrides the unit). */
static const struct known {
    const char *name, *label, *units;
} known[] = {
    {"facility_energy_mwh", "facility energy", "MWh"},
    {"energy_mwh", "grid energy", "MWh"},
    {"it_energy_mwh", "IT energy", "MWh"},
    {"idle_energy_mwh", "idle energy", "MWh"},
    {"cooling_energy_mwh", "cooling energy", "MWh"},
    {"mean_pue", "mean PUE", "1"},
    {"emissions_t", "emissions", "t CO2e"},
    {"emissions_marginal_t", "emissions, marginal", "t CO2e"},
    {"emissions_market_t", "emissions, market-based", "t CO2e"},
    {"emissions_market_annual_t", "  (annual matching)", "t CO2e"},
    {"emissions_new_demand_t", "emissions, as new demand", "t CO2e"},
    {"cfe_fraction", "hourly CFE score", "1"},
    {"ppa_mwh", "PPA generation", "MWh"},
    {"battery_loss_mwh", "battery losses", "MWh"},
    {"water_m3", "water", "m3"},
    {"water_onsite_m3", "  on site", "m3"},
    {"water_offsite_m3", "  off site", "m3"},
    {"wue_l_per_kwh", "WUE", "L/kWh"},
    {"cost_usd", "cost", "USD"},
    {"jobs_submitted", "jobs submitted", "1"},
    {"jobs_completed", "jobs completed", "1"},
    {"jobs_rejected", "jobs rejected", "1"},
    {"jobs_running_at_end", "jobs running at end", "1"},
    {"jobs_queued_at_end", "jobs queued at end", "1"},
    {"mean_wait_s", "mean wait", "s"},
    {"p_wait", "p_wait", "1"},
    {"sim_end_s", "simulated time", "s"},
    {"events", "events", "1"},
    {"wall_s", "wall-clock time", "s"},
};
#define NKNOWN (sizeof known / sizeof known[0])

/* The units of /summary attribute `name` as the file gives them (string
 * attribute `name` of group /summary/units) in buf, else dflt. */
static const char *unit_of(hid_t sum, const char *name, const char *dflt, char *buf, size_t len)
{
    ctx quiet = {"", NULL, 0}; /* a missing or odd unit is not an error */
    value v;
    const char *r = dflt;
    int absent;
    hid_t g = open_group_if(&quiet, sum, "units", "/summary/units", &absent);
    if (g == H5I_INVALID_HID) {
        H5Eclear2(H5E_DEFAULT);
        return dflt;
    }
    if (get_attr(&quiet, g, "/summary/units", name, &v) == 1 && v.kind == V_STR) {
        snprintf(buf, len, "%s", v.s);
        r = buf;
    }
    value_clear(&v);
    H5Gclose(g);
    H5Eclear2(H5E_DEFAULT);
    return r;
}

/* Prints "  label  value unit" (no unit for "1" or empty). */
static void text_line(FILE *out, const char *label, const char *val, const char *units)
{
    int has_unit = units && units[0] && strcmp(units, "1") != 0;
    fprintf(out, "  %-22s %16s%s%s\n", label, val, has_unit ? " " : "", has_unit ? units : "");
}

/* One pool: its "site/pool" name and the group's attributes. */
typedef struct pool_rec {
    char *site, *pool;
    names attrs;      /* attribute names */
    value *vals;      /* [attrs.n] */
} pool_rec;

typedef struct pool_set {
    pool_rec *v;
    int n;
} pool_set;

static void pools_free(pool_set *ps)
{
    for (int i = 0; i < ps->n; i++) {
        for (int k = 0; k < ps->v[i].attrs.n; k++)
            value_clear(&ps->v[i].vals[k]);
        free(ps->v[i].vals);
        names_free(&ps->v[i].attrs);
        free(ps->v[i].site);
        free(ps->v[i].pool);
    }
    free(ps->v);
    memset(ps, 0, sizeof *ps);
}

/* Reads the attributes of one pool group into a new record of ps. */
static int read_pool(ctx *c, hid_t pools, const char *site, const char *pool, pool_set *ps)
{
    char shown[1024];
    snprintf(shown, sizeof shown, "/sites/%s/pools/%s", site, pool);
    hid_t g = H5Gopen2(pools, pool, H5P_DEFAULT);
    if (g == H5I_INVALID_HID)
        return fail(c, 1, "cannot open %s", shown);
    pool_rec *nv = realloc(ps->v, (size_t)(ps->n + 1) * sizeof *nv);
    if (!nv) {
        H5Gclose(g);
        return fail(c, 0, "out of memory");
    }
    ps->v = nv;
    pool_rec *p = &ps->v[ps->n];
    memset(p, 0, sizeof *p);
    p->site = strdup(site);
    p->pool = strdup(pool);
    ps->n++;
    int r = 0;
    if (!p->site || !p->pool)
        r = fail(c, 0, "out of memory");
    if (r == 0)
        r = list_attrs(c, g, shown, &p->attrs);
    if (r == 0 && p->attrs.n) {
        p->vals = calloc((size_t)p->attrs.n, sizeof *p->vals);
        if (!p->vals) {
            names_free(&p->attrs);
            r = fail(c, 0, "out of memory");
        }
    }
    for (int k = 0; r == 0 && k < p->attrs.n; k++)
        r = read_attr(c, g, shown, p->attrs.v[k], &p->vals[k]);
    if (H5Gclose(g) < 0 && r == 0)
        r = fail(c, 1, "cannot close %s", shown);
    return r;
}

/* Reads every /sites/<site>/pools/<pool> group's attributes, in order. */
static int read_pools(ctx *c, hid_t f, pool_set *ps)
{
    names sites = {0}, pools = {0};
    hid_t sg = H5I_INVALID_HID, site = H5I_INVALID_HID, pg = H5I_INVALID_HID;
    int absent, r = 0;
    memset(ps, 0, sizeof *ps);
    sg = open_group_if(c, f, "sites", "/sites", &absent);
    if (sg == H5I_INVALID_HID)
        return absent ? 0 : -1;
    if (list_groups(c, sg, "/sites", &sites) < 0) {
        r = -1;
        goto out;
    }
    for (int i = 0; i < sites.n && r == 0; i++) {
        char shown[1024];
        snprintf(shown, sizeof shown, "/sites/%s", sites.v[i]);
        site = H5Gopen2(sg, sites.v[i], H5P_DEFAULT);
        if (site == H5I_INVALID_HID) {
            r = fail(c, 1, "cannot open %s", shown);
            break;
        }
        snprintf(shown, sizeof shown, "/sites/%s/pools", sites.v[i]);
        pg = open_group_if(c, site, "pools", shown, &absent);
        if (pg != H5I_INVALID_HID) {
            if (list_groups(c, pg, shown, &pools) < 0)
                r = -1;
            for (int k = 0; k < pools.n && r == 0; k++)
                r = read_pool(c, pg, sites.v[i], pools.v[k], ps);
            names_free(&pools);
            if (H5Gclose(pg) < 0 && r == 0)
                r = fail(c, 1, "cannot close %s", shown);
            pg = H5I_INVALID_HID;
        } else if (!absent) {
            r = -1;
        }
        if (H5Gclose(site) < 0 && r == 0)
            r = fail(c, 1, "cannot close /sites/%s", sites.v[i]);
        site = H5I_INVALID_HID;
    }
out:
    names_free(&sites);
    if (sg != H5I_INVALID_HID && H5Gclose(sg) < 0 && r == 0)
        r = fail(c, 1, "cannot close /sites");
    if (r < 0)
        pools_free(ps);
    return r;
}

static const value *pool_attr(const pool_rec *p, const char *name)
{
    int i = find_name(&p->attrs, name);
    return i >= 0 && p->vals[i].kind != V_NONE && p->vals[i].kind != V_STR ? &p->vals[i] : NULL;
}

/* The "step" line: "3600 s (1 h)". */
static void fmt_step(double step, char *buf, size_t len)
{
    char n[64];
    fmt_human(step, n, sizeof n);
    if (step >= 86400 && fmod(step, 86400) == 0)
        snprintf(buf, len, "%s s (%.0f d)", n, step / 86400);
    else if (step >= 3600 && fmod(step, 3600) == 0)
        snprintf(buf, len, "%s s (%.0f h)", n, step / 3600);
    else if (step >= 60 && fmod(step, 60) == 0)
        snprintf(buf, len, "%s s (%.0f min)", n, step / 60);
    else
        snprintf(buf, len, "%s s", n);
}

/* ---- per-site totals, summed from the series ---------------------------- */

enum { ST_IT, ST_FAC, ST_EM, ST_WON, ST_WALL, ST_N };
static const char *const site_series[ST_N] = {"it_energy_kwh", "facility_energy_kwh", "emissions_kg",
                                              "water_onsite_l", "water_l"};

typedef struct site_tot {
    char name[256];
    double v[ST_N]; /* sums of site_series; NAN if a dataset is absent */
} site_tot;

/* Sum of the 1-D float dataset `name` in group g; NAN if it is absent.
 * Returns 0, or -1 on a read error. */
static int sum_dataset(ctx *c, hid_t g, const char *gname, const char *name, double *out)
{
    *out = NAN;
    if (H5Lexists(g, name, H5P_DEFAULT) <= 0) {
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

/* Reads every site's totals into *out (malloc'd, *n entries). Returns 0 or -1. */
static int read_sites(ctx *c, hid_t f, site_tot **out, int *n)
{
    *out = NULL;
    *n = 0;
    int absent = 0;
    hid_t sg = open_group_if(c, f, "sites", "/sites", &absent);
    if (sg == H5I_INVALID_HID)
        return absent ? 0 : -1;
    names sites = {0};
    int r = list_groups(c, sg, "/sites", &sites);
    if (r == 0 && sites.n > 0 && !(*out = calloc((size_t)sites.n, sizeof **out)))
        r = fail(c, 0, "out of memory");
    for (int i = 0; i < sites.n && r == 0; i++) {
        site_tot *t = &(*out)[i];
        char shown[300];
        snprintf(t->name, sizeof t->name, "%s", sites.v[i]);
        snprintf(shown, sizeof shown, "/sites/%s", sites.v[i]);
        hid_t g = H5Gopen2(sg, sites.v[i], H5P_DEFAULT);
        if (g == H5I_INVALID_HID) {
            r = fail(c, 1, "cannot open %s", shown);
            break;
        }
        for (int k = 0; k < ST_N && r == 0; k++)
            r = sum_dataset(c, g, shown, site_series[k], &t->v[k]);
        if (r == 0 && isnan(t->v[ST_FAC])) /* files without storage: facility energy = grid energy */
            r = sum_dataset(c, g, shown, "energy_kwh", &t->v[ST_FAC]);
        H5Gclose(g);
        (*n)++;
    }
    names_free(&sites);
    H5Gclose(sg);
    if (r) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return r;
}

/* Prints the per-site table: energy, PUE (facility / IT energy), WUE
 * (on-site water / IT energy), emissions, water. */
static void print_sites(const site_tot *st, int n, FILE *out)
{
    int w = 4, shown = 0;
    for (int i = 0; i < n; i++) {
        w = (int)strlen(st[i].name) > w ? (int)strlen(st[i].name) : w;
        shown += !isnan(st[i].v[ST_IT]);
    }
    if (shown == 0) /* no energy series: nothing to tabulate */
        return;
    fprintf(out, "\n%-*s %12s %13s %7s %11s %13s %10s\n", w, "site", "IT MWh", "facility MWh", "PUE",
            "WUE L/kWh", "emissions t", "water m3");
    for (int i = 0; i < n; i++) {
        const double *v = st[i].v;
        if (isnan(v[ST_IT]))
            continue;
        fprintf(out, "%-*s %12.6g %13.6g %7.4f %11.4f %13.6g %10.6g\n", w, st[i].name, v[ST_IT] / 1e3,
                v[ST_FAC] / 1e3, v[ST_FAC] / v[ST_IT], v[ST_WON] / v[ST_IT], v[ST_EM] / 1e3, v[ST_WALL] / 1e3);
    }
}

static int print_text(ctx *c, hid_t f, hid_t sum, const names *sattrs, const value *svals,
                      const pool_set *ps, FILE *out)
{
    static const char *const head[] = {"scenario", "seed", "start", "step_s"};
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++) {
        value v;
        int r = get_attr(c, f, "/", head[i], &v);
        if (r < 0)
            return -1;
        if (r == 0 || v.kind == V_NONE) {
            value_clear(&v);
            continue;
        }
        char buf[2600];
        if (strcmp(head[i], "step_s") == 0 && v.kind != V_STR)
            fmt_step(v.d, buf, sizeof buf);
        else
            fmt_value(&v, 0, buf, sizeof buf);
        fprintf(out, "%-10s %s\n", strcmp(head[i], "step_s") == 0 ? "step" : head[i], buf);
        value_clear(&v);
    }

    fprintf(out, "\ntotals\n");
    for (size_t k = 0; k < NKNOWN; k++) {
        int i = find_name(sattrs, known[k].name);
        /* absent, or NaN: not applicable to this run (e.g. no marginal intensity) */
        if (i < 0 || svals[i].kind == V_NONE || (svals[i].kind == V_FLOAT && isnan(svals[i].d)))
            continue;
        char buf[2600];
        fmt_value(&svals[i], 0, buf, sizeof buf);
        char ubuf[256];
        text_line(out, known[k].label, buf, unit_of(sum, known[k].name, known[k].units, ubuf,
                                                    sizeof ubuf));
    }
    int others = 0;
    for (int i = 0; i < sattrs->n; i++) {
        int is_known = 0;
        for (size_t k = 0; k < NKNOWN && !is_known; k++)
            is_known = strcmp(sattrs->v[i], known[k].name) == 0;
        if (is_known || svals[i].kind == V_NONE)
            continue;
        if (!others++)
            fprintf(out, "\nother\n");
        char buf[2600];
        fmt_value(&svals[i], 0, buf, sizeof buf);
        char ubuf[256];
        text_line(out, sattrs->v[i], buf, unit_of(sum, sattrs->v[i], "", ubuf, sizeof ubuf));
    }

    site_tot *st = NULL;
    int nst = 0;
    if (read_sites(c, f, &st, &nst) < 0)
        return -1;
    print_sites(st, nst, out);
    free(st);

    if (ps->n) {
        int w = 4;
        for (int i = 0; i < ps->n; i++) {
            int l = (int)(strlen(ps->v[i].site) + 1 + strlen(ps->v[i].pool));
            if (l > w)
                w = l;
        }
        fprintf(out, "\n%-*s %12s %10s %16s\n", w, "pool", "utilization", "nodes",
                "busy node-hours");
        for (int i = 0; i < ps->n; i++) {
            const pool_rec *p = &ps->v[i];
            const value *u = pool_attr(p, "mean_utilization");
            const value *n = pool_attr(p, "node_count");
            const value *b = pool_attr(p, "busy_node_hours");
            char name[1024], su[64] = "-", sn[64] = "-", sb[64] = "-";
            snprintf(name, sizeof name, "%s/%s", p->site, p->pool);
            if (u && u->kind != V_ARRAY)
                snprintf(su, sizeof su, "%.1f%%", u->d * 100.0);
            if (n)
                fmt_value(n, 0, sn, sizeof sn);
            if (b)
                fmt_value(b, 0, sb, sizeof sb);
            fprintf(out, "%-*s %12s %10s %16s\n", w, name, su, sn, sb);
        }
    }
    return 0;
}

static int print_kv(ctx *c, hid_t f, const names *sattrs, const value *svals, const pool_set *ps,
                    FILE *out)
{
    names root;
    int first = 1;
    if (list_attrs(c, f, "/", &root) < 0)
        return -1;
    for (int i = 0; i < root.n; i++) {
        value v;
        if (read_attr(c, f, "/", root.v[i], &v) < 0) {
            names_free(&root);
            return -1;
        }
        kv_put(out, &first, root.v[i], &v);
        value_clear(&v);
    }
    names_free(&root);
    for (int i = 0; i < sattrs->n; i++)
        kv_put(out, &first, sattrs->v[i], &svals[i]);
    for (int i = 0; i < ps->n; i++) {
        const pool_rec *p = &ps->v[i];
        for (int k = 0; k < p->attrs.n; k++) {
            size_t len = strlen(p->site) + strlen(p->pool) + strlen(p->attrs.v[k]) + 8;
            char *key = malloc(len);
            if (!key)
                return fail(c, 0, "out of memory");
            snprintf(key, len, "pool_%s_%s_%s", p->site, p->pool, p->attrs.v[k]);
            kv_put(out, &first, key, &p->vals[k]);
            free(key);
        }
    }
    site_tot *st = NULL;
    int nst = 0;
    if (read_sites(c, f, &st, &nst) < 0)
        return -1;
    for (int i = 0; i < nst; i++) {
        const double *v = st[i].v;
        const struct {
            const char *name;
            double x;
        } kvs[] = {{"it_energy_mwh", v[ST_IT] / 1e3}, {"energy_mwh", v[ST_FAC] / 1e3},
                   {"pue", v[ST_FAC] / v[ST_IT]},     {"wue_l_per_kwh", v[ST_WON] / v[ST_IT]},
                   {"emissions_t", v[ST_EM] / 1e3},   {"water_m3", v[ST_WALL] / 1e3}};
        for (size_t k = 0; k < sizeof kvs / sizeof kvs[0]; k++) {
            char key[400], num[64];
            snprintf(key, sizeof key, "site_%s_%s", st[i].name, kvs[k].name);
            fmt_exact(kvs[k].x, num, sizeof num);
            fprintf(out, "%s%s=%s", first ? "" : " ", key, num);
            first = 0;
        }
    }
    free(st);
    fputc('\n', out);
    return 0;
}

int report_print(const char *path, const char *format, FILE *out, char *err, size_t errlen)
{
    ctx c = {path ? path : "(null)", err, errlen};
    hid_t f = H5I_INVALID_HID, sum = H5I_INVALID_HID;
    names sattrs = {0};
    value *svals = NULL;
    pool_set ps = {0};
    int r = -1, text;

    if (err && errlen)
        err[0] = '\0';
    if (!path || !out)
        return fail(&c, 0, "no file or no output stream");
    if (format && strcmp(format, "text") == 0)
        text = 1;
    else if (format && strcmp(format, "kv") == 0)
        text = 0;
    else
        return fail(&c, 0, "unknown format \"%s\" (text or kv)", format ? format : "(null)");

    f = open_file(&c);
    if (f == H5I_INVALID_HID)
        return -1;
    if (check_result(&c, f) < 0)
        goto out;
    sum = H5Gopen2(f, "summary", H5P_DEFAULT);
    if (sum == H5I_INVALID_HID) {
        fail(&c, 1, "cannot open /summary");
        goto out;
    }
    if (list_attrs(&c, sum, "/summary", &sattrs) < 0)
        goto out;
    svals = calloc(sattrs.n ? (size_t)sattrs.n : 1, sizeof *svals);
    if (!svals) {
        fail(&c, 0, "out of memory");
        goto out;
    }
    for (int i = 0; i < sattrs.n; i++)
        if (read_attr(&c, sum, "/summary", sattrs.v[i], &svals[i]) < 0)
            goto out;
    if (read_pools(&c, f, &ps) < 0)
        goto out;
    if ((text ? print_text(&c, f, sum, &sattrs, svals, &ps, out)
              : print_kv(&c, f, &sattrs, svals, &ps, out)) < 0)
        goto out;
    if (fflush(out) != 0 || ferror(out)) {
        fail(&c, 0, "cannot write the report: %s", strerror(errno));
        goto out;
    }
    r = 0;
out:
    pools_free(&ps);
    if (svals)
        for (int i = 0; i < sattrs.n; i++)
            value_clear(&svals[i]);
    free(svals);
    names_free(&sattrs);
    if (sum != H5I_INVALID_HID && H5Gclose(sum) < 0 && r == 0)
        r = fail(&c, 1, "cannot close /summary");
    if (H5Fclose(f) < 0 && r == 0)
        r = fail(&c, 1, "cannot close the file");
    return r;
}

/* ---- CSV export ---------------------------------------------------------- */

#define CSV_BLOCK 65536 /* elements read per H5Dread */

int report_export_csv(const char *path, const char *dset, FILE *out, char *err, size_t errlen)
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
