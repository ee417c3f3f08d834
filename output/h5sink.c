/* h5sink.c - streams a run's series, job rows and summary into an HDF5 file (layout in docs/RESULTS.md).
 *
 * Series: one chunked, extendible float64 dataset per site and pool variable,
 * plus /time. step() copies a row of values into per-dataset buffers of
 * series_chunk steps; a full buffer is written with one H5Dwrite per dataset,
 * exactly one chunk, so HDF5 never reads a chunk back. Jobs: one buffer of
 * jobs_chunk rows per column, appended the same way. Memory is
 * O(datasets x series_chunk + jobs_chunk), independent of steps and jobs.
 *
 * Every handle starts at H5I_INVALID_HID and is closed in reverse order of
 * creation; the file access list uses H5F_CLOSE_STRONG only as a safety net
 * for the discard path.
 */
#define _POSIX_C_SOURCE 200809L
#include "h5sink.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#define LAYOUT_VERSION 1

/* ---- job columns ---------------------------------------------------- */

enum coltype { COL_U64, COL_I32, COL_I8, COL_F64 };

enum {
    JC_ID, JC_WORKLOAD, JC_KIND, JC_SITE, JC_POOL, JC_NODES, JC_COMPLETED,
    JC_SUBMIT, JC_START, JC_END, JC_ENERGY, JC_EMISSIONS, JC_COST, JC_EMBODIED, JC_WATER,
    JC_REQUESTS, JC_WAIT, JC_SLOWDOWN, JC_DEADLINE, JC_DEADLINE_MET, JC_SUSPENDED, JC_HOME_SITE, JC_N
};

static const struct jobcol {
    const char *name;
    enum coltype type;
    const char *units;
    const char *long_name;
} jobcols[JC_N] = {
    {"id", COL_U64, "1", "job id, unique per run, in order of submission"},
    {"workload", COL_I32, "1", "workload of the job (index, see flag_values/flag_meanings)"},
    {"kind", COL_I32, "1", "kind of work (index, see flag_values/flag_meanings)"},
    {"site", COL_I32, "1", "site the job ran at (index, see flag_meanings; -1 never placed)"},
    {"pool", COL_I32, "1", "pool the job ran on (index, see flag_meanings; -1 never placed)"},
    {"nodes", COL_I32, "1", "nodes held while running"},
    {"completed", COL_I8, "1", "1 if the job finished, 0 if still running when the run ended"},
    {"submit_s", COL_F64, "s", "arrival time, seconds after the root attribute start"},
    {"start_s", COL_F64, "s", "start time, seconds after the root attribute start"},
    {"end_s", COL_F64, "s",
     "end time, seconds after the root attribute start (the run's end if not completed)"},
    {"energy_kwh", COL_F64, "kWh", "IT energy of the job's nodes while it ran"},
    {"emissions_kg", COL_F64, "kg", "location-based emissions of the job's facility energy, CO2e"},
    {"cost_usd", COL_F64, "USD", "cost of the job: node-hours at their price plus energy"},
    {"embodied_kg", COL_F64, "kg", "embodied emissions of the job's nodes for its node-hours, CO2e"},
    {"water_l", COL_F64, "L", "water (on-site + off-site) of the job's energy"},
    {"requests", COL_F64, "1", "inference requests served by the job (0 for other kinds)"},
    {"wait_s", COL_F64, "s", "start - submit: time the job queued or was held back"},
    {"slowdown", COL_F64, "1", "(end - submit) / time running (NaN if not completed)"},
    {"deadline_s", COL_F64, "s", "latest end allowed, seconds after the root attribute start (NaN: none)"},
    {"deadline_met", COL_I8, "1", "1 ended by its deadline, 0 missed, -1 no deadline"},
    {"suspended_s", COL_F64, "s", "time suspended between start and end (checkpointed training)"},
    {"home_site", COL_I32, "1", "site the job was submitted to (index, see flag_meanings); differs from site when moved"},
};

static size_t coltype_size(enum coltype t)
{
    switch (t) {
    case COL_U64: return 8;
    case COL_I32: return 4;
    case COL_I8: return 1;
    default: return 8;
    }
}

/* H5T_NATIVE_* are function calls, not constants, hence a function. */
static hid_t coltype_hid(enum coltype t)
{
    switch (t) {
    case COL_U64: return H5T_NATIVE_UINT64;
    case COL_I32: return H5T_NATIVE_INT32;
    case COL_I8: return H5T_NATIVE_INT8;
    default: return H5T_NATIVE_DOUBLE;
    }
}

static hid_t coltype_file(enum coltype t)
{
    switch (t) {
    case COL_U64: return H5T_STD_U64LE;
    case COL_I32: return H5T_STD_I32LE;
    case COL_I8: return H5T_STD_I8LE;
    default: return H5T_IEEE_F64LE;
    }
}

/* ---- state ------------------------------------------------------------ */

typedef struct h5s {
    char *path;          /* final file name (owned) */
    char *tmp;           /* "<path>.tmp.<pid>" (owned) */
    h5sink_options opt;
    char err[4096];      /* last error message */
    int is_open;         /* 1 between a successful open() and close() */
    int created;         /* 1 once the temporary file exists and is ours */

    hid_t file;
    hid_t time_ds;       /* /time */
    hid_t *ser;          /* [nser] series datasets: sites then pools, row-major */
    size_t nser;
    double *sbuf;        /* [nser + 1][series_chunk]: row 0 time, then series */
    size_t sfill;        /* steps buffered, < series_chunk */
    hsize_t swritten;    /* steps on file */
    double last_t;       /* start of the last step, s */
    int have_step;

    int nsites, npools, nsite_vars, npool_vars;
    int nworkloads, nkinds;
    char **pool_paths;   /* [npools] "/sites/<site>/pools/<pool>" (owned) */

    int write_jobs;
    hid_t jds[JC_N];     /* job columns */
    void *jbuf[JC_N];    /* [jobs_chunk] elements each, of the column's type */
    size_t jfill;        /* rows buffered, < jobs_chunk */
    hsize_t jwritten;    /* rows on file */
} h5s;

/* ---- errors ------------------------------------------------------------ */

typedef struct reason {
    char text[512];
} reason;

static herr_t walk_cb(unsigned n, const H5E_error2_t *e, void *data)
{
    reason *r = data;
    (void)n;
    if (e->desc && e->desc[0])
        snprintf(r->text, sizeof r->text, "%s", e->desc);
    return 0;
}

/* The innermost HDF5 error description (the most specific), reduced to the
 * system's message when it carries one ("error message = '...'"); clears
 * the HDF5 error stack. */
static void h5_reason(char *buf, size_t len)
{
    reason r;
    r.text[0] = '\0';
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, walk_cb, &r);
    H5Eclear2(H5E_DEFAULT);
    const char *sys = strstr(r.text, "error message = '");
    if (sys) {
        sys += strlen("error message = '");
        const char *q = strchr(sys, '\'');
        size_t n = q ? (size_t)(q - sys) : strlen(sys);
        snprintf(buf, len, "%.*s", (int)n, sys);
    } else if (r.text[0]) {
        snprintf(buf, len, "%s", r.text);
    } else {
        snprintf(buf, len, "HDF5 error");
    }
}

/* Records "<tmp>: <what>: <HDF5 reason>" as the error message. Returns -1. */
static int fail_h5(h5s *s, const char *fmt, ...)
{
    char what[600], why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    h5_reason(why, sizeof why);
    snprintf(s->err, sizeof s->err, "%s: %s: %s", s->tmp, what, why);
    return -1;
}

/* Records a message as given. Returns -1. */
static int fail_msg(h5s *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    return -1;
}

/* Returns a new string a + b + c (caller frees), or NULL. */
static char *cat3(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *r = malloc(la + lb + lc + 1);
    if (r) {
        memcpy(r, a, la);
        memcpy(r + la, b, lb);
        memcpy(r + la + lb, c, lc + 1);
    }
    return r;
}

/* ---- small HDF5 helpers; each returns 0 or -1 with s->err set ---------- */

static int close_space(hid_t *h)
{
    herr_t r = 0;
    if (*h != H5I_INVALID_HID)
        r = H5Sclose(*h);
    *h = H5I_INVALID_HID;
    return r < 0 ? -1 : 0;
}

static int close_type(hid_t *h)
{
    herr_t r = 0;
    if (*h != H5I_INVALID_HID)
        r = H5Tclose(*h);
    *h = H5I_INVALID_HID;
    return r < 0 ? -1 : 0;
}

static int close_attr(hid_t *h)
{
    herr_t r = 0;
    if (*h != H5I_INVALID_HID)
        r = H5Aclose(*h);
    *h = H5I_INVALID_HID;
    return r < 0 ? -1 : 0;
}

static int close_dset(hid_t *h)
{
    herr_t r = 0;
    if (*h != H5I_INVALID_HID)
        r = H5Dclose(*h);
    *h = H5I_INVALID_HID;
    return r < 0 ? -1 : 0;
}

static int close_group(hid_t *h)
{
    herr_t r = 0;
    if (*h != H5I_INVALID_HID)
        r = H5Gclose(*h);
    *h = H5I_INVALID_HID;
    return r < 0 ? -1 : 0;
}

static int close_plist(hid_t *h)
{
    herr_t r = 0;
    if (*h != H5I_INVALID_HID)
        r = H5Pclose(*h);
    *h = H5I_INVALID_HID;
    return r < 0 ? -1 : 0;
}

/* A fixed-length UTF-8 string type of len bytes (at least 1), padded with
 * NULs, as netCDF writes text (caller closes). Fixed-length rather than
 * variable-length strings: readers then never touch the global heap, whose
 * reader in HDF5 1.10 can crash on a damaged file. */
static hid_t str_type(size_t len)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t == H5I_INVALID_HID)
        return t;
    if (H5Tset_size(t, len ? len : 1) < 0 || H5Tset_strpad(t, H5T_STR_NULLPAD) < 0 ||
        H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        hid_t stack = H5Eget_current_stack(); /* keep the reason across H5Tclose */
        H5Tclose(t);
        if (stack != H5I_INVALID_HID)
            H5Eset_current_stack(stack);
        return H5I_INVALID_HID;
    }
    return t;
}

/* Writes one attribute of `n` elements (n = 0: scalar) of file type ftype
 * from memory type mtype. */
static int put_attr(h5s *s, hid_t obj, const char *objname, const char *name, hid_t ftype,
                    hid_t mtype, hsize_t n, const void *val)
{
    hid_t sp = H5I_INVALID_HID, a = H5I_INVALID_HID;
    sp = n ? H5Screate_simple(1, &n, NULL) : H5Screate(H5S_SCALAR);
    if (sp == H5I_INVALID_HID)
        goto err;
    a = H5Acreate2(obj, name, ftype, sp, H5P_DEFAULT, H5P_DEFAULT);
    if (a == H5I_INVALID_HID)
        goto err;
    if (H5Awrite(a, mtype, val) < 0)
        goto err;
    if (close_attr(&a) < 0 || close_space(&sp) < 0)
        goto err;
    return 0;
err:
    fail_h5(s, "cannot write attribute %s of %s", name, objname);
    close_attr(&a);
    close_space(&sp);
    return -1;
}

static int attr_str(h5s *s, hid_t obj, const char *objname, const char *name, const char *val)
{
    const char *v = val && val[0] ? val : "\0"; /* 1 byte even when empty */
    hid_t t = str_type(strlen(v));
    if (t == H5I_INVALID_HID)
        return fail_h5(s, "cannot make a string type");
    int r = put_attr(s, obj, objname, name, t, t, 0, v);
    if (close_type(&t) < 0 && r == 0)
        r = fail_h5(s, "cannot close a string type");
    return r;
}

static int attr_f64(h5s *s, hid_t obj, const char *objname, const char *name, double v)
{
    return put_attr(s, obj, objname, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 0, &v);
}

static int attr_i32(h5s *s, hid_t obj, const char *objname, const char *name, int32_t v)
{
    return put_attr(s, obj, objname, name, H5T_STD_I32LE, H5T_NATIVE_INT32, 0, &v);
}

/* Writes the CF-style units and long_name attributes. */
static int attr_meta(h5s *s, hid_t obj, const char *objname, const char *units,
                     const char *long_name)
{
    if (attr_str(s, obj, objname, "units", units ? units : "1") < 0)
        return -1;
    return attr_str(s, obj, objname, "long_name", long_name ? long_name : "");
}

/* A group creation list that tracks link and attribute creation order, so
 * readers can list children and attributes in the order they were written. */
static hid_t ordered_gcpl(void)
{
    hid_t p = H5Pcreate(H5P_GROUP_CREATE);
    if (p == H5I_INVALID_HID)
        return p;
    if (H5Pset_link_creation_order(p, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
        H5Pset_attr_creation_order(p, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0) {
        H5Pclose(p);
        return H5I_INVALID_HID;
    }
    return p;
}

/* Creates group `name` under loc (path `path`, for messages). Returns the
 * group or H5I_INVALID_HID with s->err set. */
static hid_t make_group(h5s *s, hid_t loc, const char *name, const char *path)
{
    hid_t p = ordered_gcpl();
    if (p == H5I_INVALID_HID) {
        fail_h5(s, "cannot make a group property list");
        return H5I_INVALID_HID;
    }
    hid_t g = H5Gcreate2(loc, name, H5P_DEFAULT, p, H5P_DEFAULT);
    if (g == H5I_INVALID_HID)
        fail_h5(s, "cannot create group %s", path);
    if (close_plist(&p) < 0 && g != H5I_INVALID_HID) {
        fail_h5(s, "cannot close a property list");
        H5Gclose(g);
        return H5I_INVALID_HID;
    }
    return g;
}

/* Creates an empty, extendible, chunked 1-D dataset of file type ftype. */
static hid_t make_column(h5s *s, hid_t loc, const char *name, const char *path, hid_t ftype,
                         hsize_t chunk, int deflate)
{
    hid_t sp = H5I_INVALID_HID, dcpl = H5I_INVALID_HID, d = H5I_INVALID_HID;
    hsize_t dim = 0, maxdim = H5S_UNLIMITED;
    sp = H5Screate_simple(1, &dim, &maxdim);
    if (sp == H5I_INVALID_HID)
        goto err;
    dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (dcpl == H5I_INVALID_HID)
        goto err;
    if (H5Pset_chunk(dcpl, 1, &chunk) < 0)
        goto err;
    /* Attribute creation order gives a v2 object header, which can hold the
     * many REFERENCE_LIST entries of a dimension scale in dense storage. */
    if (H5Pset_attr_creation_order(dcpl, H5P_CRT_ORDER_TRACKED) < 0)
        goto err;
    if (s->opt.shuffle && deflate > 0 && H5Pset_shuffle(dcpl) < 0)
        goto err;
    if (deflate > 0 && H5Pset_deflate(dcpl, (unsigned)deflate) < 0)
        goto err;
    d = H5Dcreate2(loc, name, ftype, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (d == H5I_INVALID_HID)
        goto err;
    if (close_plist(&dcpl) < 0 || close_space(&sp) < 0)
        goto err;
    return d;
err:
    fail_h5(s, "cannot create dataset %s", path);
    close_dset(&d);
    close_plist(&dcpl);
    close_space(&sp);
    return H5I_INVALID_HID;
}

/* Appends n elements of memory type mtype from buf at row `at` of d. */
static int append(h5s *s, hid_t d, const char *what, hid_t mtype, hsize_t at, hsize_t n,
                  const void *buf)
{
    hid_t fsp = H5I_INVALID_HID, msp = H5I_INVALID_HID;
    hsize_t size = at + n;
    if (H5Dset_extent(d, &size) < 0)
        goto err;
    fsp = H5Dget_space(d);
    if (fsp == H5I_INVALID_HID)
        goto err;
    if (H5Sselect_hyperslab(fsp, H5S_SELECT_SET, &at, NULL, &n, NULL) < 0)
        goto err;
    msp = H5Screate_simple(1, &n, NULL);
    if (msp == H5I_INVALID_HID)
        goto err;
    if (H5Dwrite(d, mtype, msp, fsp, H5P_DEFAULT, buf) < 0)
        goto err;
    if (close_space(&msp) < 0 || close_space(&fsp) < 0)
        goto err;
    return 0;
err:
    fail_h5(s, "cannot write %s", what);
    close_space(&msp);
    close_space(&fsp);
    return -1;
}

/* ---- layout checks ----------------------------------------------------- */

/* A name usable as an HDF5 link: non-empty, no '/', not "." */
static int bad_name(const char *n)
{
    return !n || !n[0] || strchr(n, '/') || strcmp(n, ".") == 0;
}

/* Parses "YYYY-MM-DD[T ]HH:MM[:SS]" + "Z" | "+HH:MM" | "-HH:MM" | "+HHMM" |
 * nothing (UTC) into seconds since 1970-01-01 UTC. Returns 0 or -1. */
static int parse_iso_utc(const char *str, int64_t *out)
{
    int y, mo, d, h, mi, sec = 0, n = 0;
    if (sscanf(str, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
        return -1;
    const char *p = str + n;
    if (*p != 'T' && *p != 't' && *p != ' ')
        return -1;
    p++;
    if (sscanf(p, "%2d:%2d%n", &h, &mi, &n) != 2 || n != 5)
        return -1;
    p += n;
    if (*p == ':') {
        if (sscanf(p, ":%2d%n", &sec, &n) != 1 || n != 3)
            return -1;
        p += n;
    }
    int off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1, oh, om;
        p++;
        if (sscanf(p, "%2d:%2d%n", &oh, &om, &n) == 2 && n == 5)
            p += n;
        else if (sscanf(p, "%2d%2d%n", &oh, &om, &n) == 2 && n == 4)
            p += n;
        else
            return -1;
        if (oh > 23 || om > 59)
            return -1;
        off = sign * (oh * 3600 + om * 60);
    }
    if (*p)
        return -1;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || sec > 59)
        return -1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo == 2 && d == 29 && !leap)
        return -1;
    /* days from civil (proleptic Gregorian) */
    int64_t yy = mo <= 2 ? y - 1 : y;
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + doe - 719468;
    *out = days * 86400 + h * 3600 + mi * 60 + sec - off;
    return 0;
}

/* Formats epoch seconds as "YYYY-MM-DD?HH:MM:SS" with `sep` between date and
 * time and `zone` appended. Returns 0 or -1 (date out of range). */
static int format_utc(int64_t t, char sep, const char *zone, char *buf, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm))
        return -1;
    snprintf(buf, len, "%04d-%02d-%02d%c%02d:%02d:%02d%s", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, sep, tm.tm_hour, tm.tm_min, tm.tm_sec, zone);
    return 0;
}

static int check_layout(h5s *s, const sink_layout *L)
{
    if (L->nsites < 0 || L->npools < 0 || L->nsite_vars < 0 || L->npool_vars < 0 ||
        L->nworkloads < 0 || L->nkinds < 0)
        return fail_msg(s, "%s: layout has a negative count", s->path);
    if ((L->nsites && !L->site_names) || (L->npools && (!L->pool_names || !L->pool_site)) ||
        (L->nsite_vars && !L->site_vars) || (L->npool_vars && !L->pool_vars) ||
        (L->nworkloads && !L->workload_names) || (L->nkinds && !L->kind_names))
        return fail_msg(s, "%s: layout has a missing array", s->path);
    if (!(L->step_s > 0) || !isfinite(L->step_s))
        return fail_msg(s, "%s: step_s must be > 0 (got %g)", s->path, L->step_s);
    for (int i = 0; i < L->nsites; i++)
        if (bad_name(L->site_names[i]))
            return fail_msg(s, "%s: site %d has an invalid name \"%s\" (empty, \".\" or with '/')",
                            s->path, i, L->site_names[i] ? L->site_names[i] : "(null)");
    for (int i = 0; i < L->npools; i++) {
        if (bad_name(L->pool_names[i]))
            return fail_msg(s, "%s: pool %d has an invalid name \"%s\" (empty, \".\" or with '/')",
                            s->path, i, L->pool_names[i] ? L->pool_names[i] : "(null)");
        if (L->pool_site[i] < 0 || L->pool_site[i] >= L->nsites)
            return fail_msg(s, "%s: pool %s has site index %d, not in 0..%d", s->path,
                            L->pool_names[i], L->pool_site[i], L->nsites - 1);
    }
    for (int i = 0; i < L->nsite_vars; i++)
        if (bad_name(L->site_vars[i].name) || strcmp(L->site_vars[i].name, "pools") == 0 ||
            strcmp(L->site_vars[i].name, "time") == 0)
            return fail_msg(s, "%s: site variable %d has an invalid name \"%s\"", s->path, i,
                            L->site_vars[i].name ? L->site_vars[i].name : "(null)");
    for (int i = 0; i < L->npool_vars; i++)
        if (bad_name(L->pool_vars[i].name) || strcmp(L->pool_vars[i].name, "time") == 0)
            return fail_msg(s, "%s: pool variable %d has an invalid name \"%s\"", s->path, i,
                            L->pool_vars[i].name ? L->pool_vars[i].name : "(null)");
    for (int i = 0; i < L->nworkloads; i++)
        if (!L->workload_names[i])
            return fail_msg(s, "%s: workload %d has no name", s->path, i);
    for (int i = 0; i < L->nkinds; i++)
        if (!L->kind_names[i])
            return fail_msg(s, "%s: kind %d has no name", s->path, i);
    return 0;
}

/* ---- release ----------------------------------------------------------- */

static int h5_broken; /* 1: an H5Fclose failed (see h5_close_at_exit) */

/* Closes every handle in reverse order of creation and frees the buffers;
 * the sink is then closed whatever happens. Returns 0, or -1 with s->err
 * set (by the first close that failed). */
static int release(h5s *s)
{
    int bad = 0;
    /* The first failure is recorded at once: later successful calls clear
     * HDF5's error stack. */
#define RELEASE_CHECK(r, what)                                                   \
    do {                                                                         \
        if ((r) < 0 && !bad++)                                                   \
            fail_h5(s, "cannot close %s", what);                                 \
    } while (0)
    for (int c = JC_N - 1; c >= 0; c--) {
        RELEASE_CHECK(close_dset(&s->jds[c]), jobcols[c].name);
        free(s->jbuf[c]);
        s->jbuf[c] = NULL;
    }
    for (size_t i = s->ser ? s->nser : 0; i-- > 0;)
        RELEASE_CHECK(close_dset(&s->ser[i]), "a series");
    RELEASE_CHECK(close_dset(&s->time_ds), "/time");
    if (s->file != H5I_INVALID_HID) {
        if (H5Fclose(s->file) < 0) {
            h5_broken = 1; /* HDF5 must not touch it again, even at exit */
            RELEASE_CHECK(-1, "the file");
        }
        s->file = H5I_INVALID_HID;
    }
#undef RELEASE_CHECK
    free(s->ser);
    s->ser = NULL;
    s->nser = 0;
    free(s->sbuf);
    s->sbuf = NULL;
    if (s->pool_paths)
        for (int i = 0; i < s->npools; i++)
            free(s->pool_paths[i]);
    free(s->pool_paths);
    s->pool_paths = NULL;
    s->is_open = 0;
    return bad ? -1 : 0;
}

/* Releases everything and removes the temporary file if we created it. */
static void discard(h5s *s)
{
    char keep[sizeof s->err];
    memcpy(keep, s->err, sizeof keep);
    release(s);
    memcpy(s->err, keep, sizeof keep); /* the first error is the one to report */
    if (s->created)
        remove(s->tmp);
    s->created = 0;
}

/* ---- open -------------------------------------------------------------- */

/* Writes flag_values/flag_meanings for a categorical column. With
 * with_none, -1 is a value meaning "none". */
static int attr_flags(h5s *s, hid_t d, const char *path, int n, const char *const *names,
                      int with_none)
{
    int total = n + (with_none ? 1 : 0);
    if (total == 0)
        return 0;
    int32_t *vals = malloc((size_t)total * sizeof *vals);
    size_t len = with_none ? 5 : 0;
    for (int i = 0; i < n; i++)
        len += strlen(names[i]) + 1;
    char *mean = malloc(len + 1);
    if (!vals || !mean) {
        free(vals);
        free(mean);
        return fail_msg(s, "%s: out of memory", s->tmp);
    }
    char *p = mean;
    int k = 0;
    if (with_none) {
        vals[k++] = -1;
        memcpy(p, "none", 4);
        p += 4;
    }
    for (int i = 0; i < n; i++) {
        vals[k++] = i;
        if (p != mean)
            *p++ = ' ';
        for (const char *q = names[i]; *q; q++)
            *p++ = (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r') ? '_' : *q;
        if (!names[i][0])
            *p++ = '_';
    }
    *p = '\0';
    int r = put_attr(s, d, path, "flag_values", H5T_STD_I32LE, H5T_NATIVE_INT32, (hsize_t)total,
                     vals);
    if (r == 0)
        r = attr_str(s, d, path, "flag_meanings", mean);
    free(vals);
    free(mean);
    return r;
}

static int write_config(h5s *s, const char *text)
{
    hid_t t = H5I_INVALID_HID, sp = H5I_INVALID_HID, d = H5I_INVALID_HID;
    const char *v = text && text[0] ? text : "\0";
    t = str_type(strlen(v));
    if (t == H5I_INVALID_HID)
        goto err;
    sp = H5Screate(H5S_SCALAR);
    if (sp == H5I_INVALID_HID)
        goto err;
    d = H5Dcreate2(s->file, "config", t, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (d == H5I_INVALID_HID)
        goto err;
    if (H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0)
        goto err;
    if (attr_meta(s, d, "/config", "1", "the resolved scenario text of this run") < 0) {
        close_dset(&d);
        close_space(&sp);
        close_type(&t);
        return -1;
    }
    if (close_dset(&d) < 0 || close_space(&sp) < 0 || close_type(&t) < 0)
        goto err;
    return 0;
err:
    fail_h5(s, "cannot write /config");
    close_dset(&d);
    close_space(&sp);
    close_type(&t);
    return -1;
}

static int write_root(h5s *s, const sink_layout *L, const char *start_utc)
{
    hid_t f = s->file;
    uint64_t seed = L->seed;
    if (attr_str(s, f, "/", "software", L->software) < 0 ||
        attr_str(s, f, "/", "version", L->version) < 0 ||
        attr_str(s, f, "/", "scenario", L->scenario) < 0 ||
        attr_str(s, f, "/", "start", start_utc) < 0 ||
        put_attr(s, f, "/", "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, 0, &seed) < 0 ||
        attr_f64(s, f, "/", "step_s", L->step_s) < 0 ||
        attr_i32(s, f, "/", "layout_version", LAYOUT_VERSION) < 0 ||
        attr_str(s, f, "/", "Conventions", "CF-1.8") < 0 ||
        attr_str(s, f, "/", "title", "dcsim result") < 0)
        return -1;
    return 0;
}

static int make_time(h5s *s, const char *units)
{
    s->time_ds = make_column(s, s->file, "time", "/time", H5T_IEEE_F64LE,
                             (hsize_t)s->opt.series_chunk, s->opt.series_deflate);
    if (s->time_ds == H5I_INVALID_HID)
        return -1;
    if (H5DSset_scale(s->time_ds, "time") < 0)
        return fail_h5(s, "cannot make /time a dimension scale");
    if (attr_str(s, s->time_ds, "/time", "units", units) < 0 ||
        attr_str(s, s->time_ds, "/time", "long_name", "start of the accounting step") < 0 ||
        attr_str(s, s->time_ds, "/time", "standard_name", "time") < 0 ||
        attr_str(s, s->time_ds, "/time", "calendar", "standard") < 0 ||
        attr_str(s, s->time_ds, "/time", "axis", "T") < 0)
        return -1;
    return 0;
}

/* Creates one series dataset under loc, attached to /time. */
static int make_series(h5s *s, hid_t loc, const char *gpath, const sink_var *v, hid_t *out)
{
    char *path = cat3(gpath, "/", v->name);
    if (!path)
        return fail_msg(s, "%s: out of memory", s->tmp);
    int r = 0;
    *out = make_column(s, loc, v->name, path, H5T_IEEE_F64LE, (hsize_t)s->opt.series_chunk,
                       s->opt.series_deflate);
    if (*out == H5I_INVALID_HID || attr_meta(s, *out, path, v->units, v->long_name) < 0)
        r = -1;
    else if (H5DSattach_scale(*out, s->time_ds, 0) < 0)
        r = fail_h5(s, "cannot attach /time to %s", path);
    free(path);
    return r;
}

/* Links /time into group g as "time" (the same dataset, no copy), so that a
 * netCDF reader opening only that group (xarray's group="sites/x") finds the
 * time coordinate next to the series. */
static int link_time(h5s *s, hid_t g, const char *gpath)
{
    if (H5Lcreate_hard(s->file, "/time", g, "time", H5P_DEFAULT, H5P_DEFAULT) < 0)
        return fail_h5(s, "cannot link /time into %s", gpath);
    return 0;
}

static int make_sites(h5s *s, const sink_layout *L)
{
    hid_t sites = H5I_INVALID_HID, site = H5I_INVALID_HID, pools = H5I_INVALID_HID,
          pool = H5I_INVALID_HID;
    char *spath = NULL, *gpath = NULL;
    sites = make_group(s, s->file, "sites", "/sites");
    if (sites == H5I_INVALID_HID)
        goto err;
    for (int i = 0; i < L->nsites; i++) {
        spath = cat3("/sites/", L->site_names[i], "");
        gpath = spath ? cat3(spath, "/pools", "") : NULL;
        if (!gpath) {
            fail_msg(s, "%s: out of memory", s->tmp);
            goto err;
        }
        site = make_group(s, sites, L->site_names[i], spath);
        if (site == H5I_INVALID_HID || link_time(s, site, spath) < 0)
            goto err;
        for (int v = 0; v < L->nsite_vars; v++)
            if (make_series(s, site, spath, &L->site_vars[v],
                            &s->ser[(size_t)i * (size_t)L->nsite_vars + (size_t)v]) < 0)
                goto err;
        pools = make_group(s, site, "pools", gpath);
        if (pools == H5I_INVALID_HID)
            goto err;
        for (int p = 0; p < L->npools; p++) {
            if (L->pool_site[p] != i)
                continue;
            const char *ppath = s->pool_paths[p] = cat3(gpath, "/", L->pool_names[p]);
            if (!ppath) {
                fail_msg(s, "%s: out of memory", s->tmp);
                goto err;
            }
            pool = make_group(s, pools, L->pool_names[p], ppath);
            if (pool == H5I_INVALID_HID || link_time(s, pool, ppath) < 0)
                goto err;
            size_t base = (size_t)L->nsites * (size_t)L->nsite_vars;
            for (int v = 0; v < L->npool_vars; v++)
                if (make_series(s, pool, ppath, &L->pool_vars[v],
                                &s->ser[base + (size_t)p * (size_t)L->npool_vars + (size_t)v]) < 0)
                    goto err;
            if (close_group(&pool) < 0) {
                fail_h5(s, "cannot close group %s", ppath);
                goto err;
            }
        }
        if (close_group(&pools) < 0 || close_group(&site) < 0) {
            fail_h5(s, "cannot close group %s", spath);
            goto err;
        }
        free(gpath);
        free(spath);
        gpath = spath = NULL;
    }
    if (close_group(&sites) < 0) {
        fail_h5(s, "cannot close group /sites");
        goto err;
    }
    return 0;
err:
    close_group(&pool);
    close_group(&pools);
    close_group(&site);
    close_group(&sites);
    free(gpath);
    free(spath);
    return -1;
}

static int make_jobs(h5s *s, const sink_layout *L)
{
    hid_t g = make_group(s, s->file, "jobs", "/jobs");
    if (g == H5I_INVALID_HID)
        return -1;
    if (attr_i32(s, g, "/jobs", "written", L->write_jobs ? 1 : 0) < 0)
        goto err;
    if (L->write_jobs) {
        for (int c = 0; c < JC_N; c++) {
            char path[64];
            snprintf(path, sizeof path, "/jobs/%s", jobcols[c].name);
            s->jds[c] = make_column(s, g, jobcols[c].name, path, coltype_file(jobcols[c].type),
                                    (hsize_t)s->opt.jobs_chunk,
                                    jobcols[c].type == COL_F64 ? s->opt.jobs_deflate
                                                               : s->opt.jobs_int_deflate);
            if (s->jds[c] == H5I_INVALID_HID)
                goto err;
            if (attr_meta(s, s->jds[c], path, jobcols[c].units, jobcols[c].long_name) < 0)
                goto err;
        }
        if (H5DSset_scale(s->jds[JC_ID], "job") < 0) {
            fail_h5(s, "cannot make /jobs/id a dimension scale");
            goto err;
        }
        for (int c = 0; c < JC_N; c++)
            if (c != JC_ID && H5DSattach_scale(s->jds[c], s->jds[JC_ID], 0) < 0) {
                fail_h5(s, "cannot attach /jobs/id to /jobs/%s", jobcols[c].name);
                goto err;
            }
        if (attr_flags(s, s->jds[JC_WORKLOAD], "/jobs/workload", L->nworkloads,
                       L->workload_names, 0) < 0 ||
            attr_flags(s, s->jds[JC_KIND], "/jobs/kind", L->nkinds, L->kind_names, 0) < 0 ||
            attr_flags(s, s->jds[JC_SITE], "/jobs/site", L->nsites, L->site_names, 1) < 0 ||
            attr_flags(s, s->jds[JC_POOL], "/jobs/pool", L->npools, L->pool_names, 1) < 0 ||
            attr_flags(s, s->jds[JC_HOME_SITE], "/jobs/home_site", L->nsites, L->site_names, 1) < 0)
            goto err;
        if (L->npools > 0 &&
            put_attr(s, s->jds[JC_POOL], "/jobs/pool", "pool_site", H5T_STD_I32LE,
                     H5T_NATIVE_INT, (hsize_t)L->npools, L->pool_site) < 0)
            goto err;
    }
    if (close_group(&g) < 0) {
        fail_h5(s, "cannot close group /jobs");
        return -1;
    }
    return 0;
err:
    close_group(&g);
    return -1;
}

static int op_open(void *state, const sink_layout *L)
{
    h5s *s = state;
    hid_t fcpl = H5I_INVALID_HID, fapl = H5I_INVALID_HID, g = H5I_INVALID_HID;
    int64_t t0;
    char start_utc[40], units[64];

    if (s->is_open)
        return fail_msg(s, "%s: open() called twice", s->path);
    s->err[0] = '\0';
    if (!L)
        return fail_msg(s, "%s: no layout", s->path);
    if (check_layout(s, L) < 0)
        return -1;
    if (!L->start_iso || parse_iso_utc(L->start_iso, &t0) < 0 ||
        format_utc(t0, 'T', "Z", start_utc, sizeof start_utc) < 0)
        return fail_msg(s, "%s: start \"%s\" is not an ISO 8601 time like 2026-01-01T00:00:00Z",
                        s->path, L->start_iso ? L->start_iso : "(null)");
    char date[32];
    format_utc(t0, ' ', "", date, sizeof date);
    snprintf(units, sizeof units, "seconds since %s", date);

    s->nsites = L->nsites;
    s->npools = L->npools;
    s->nsite_vars = L->nsite_vars;
    s->npool_vars = L->npool_vars;
    s->nworkloads = L->nworkloads;
    s->nkinds = L->nkinds;
    s->write_jobs = L->write_jobs ? 1 : 0;
    s->nser = (size_t)L->nsites * (size_t)L->nsite_vars + (size_t)L->npools * (size_t)L->npool_vars;
    s->sfill = 0;
    s->swritten = 0;
    s->have_step = 0;
    s->jfill = 0;
    s->jwritten = 0;
    s->is_open = 1; /* from here on, failures go through discard() */

    s->ser = malloc((s->nser ? s->nser : 1) * sizeof *s->ser);
    s->sbuf = malloc((s->nser + 1) * (size_t)s->opt.series_chunk * sizeof *s->sbuf);
    s->pool_paths = calloc(L->npools ? (size_t)L->npools : 1, sizeof *s->pool_paths);
    if (s->ser) /* before any failure: release() closes what is not invalid */
        for (size_t i = 0; i < s->nser; i++)
            s->ser[i] = H5I_INVALID_HID;
    if (!s->ser || !s->sbuf || !s->pool_paths) {
        fail_msg(s, "%s: out of memory", s->path);
        goto err;
    }
    if (s->write_jobs)
        for (int c = 0; c < JC_N; c++) {
            s->jbuf[c] = malloc((size_t)s->opt.jobs_chunk * coltype_size(jobcols[c].type));
            if (!s->jbuf[c]) {
                fail_msg(s, "%s: out of memory", s->path);
                goto err;
            }
        }

    fcpl = H5Pcreate(H5P_FILE_CREATE);
    fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fcpl == H5I_INVALID_HID || fapl == H5I_INVALID_HID ||
        H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
        H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
        H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18) < 0 ||
        H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0) {
        fail_h5(s, "cannot make file property lists");
        goto err;
    }
    s->file = H5Fcreate(s->tmp, H5F_ACC_EXCL, fcpl, fapl);
    if (s->file == H5I_INVALID_HID) {
        char why[512];
        h5_reason(why, sizeof why);
        fail_msg(s, "cannot create %s: %s", s->tmp, why);
        goto err;
    }
    s->created = 1;
    if (close_plist(&fapl) < 0 || close_plist(&fcpl) < 0) {
        fail_h5(s, "cannot close file property lists");
        goto err;
    }

    if (write_root(s, L, start_utc) < 0 || write_config(s, L->config_text) < 0 ||
        make_time(s, units) < 0 || make_sites(s, L) < 0 || make_jobs(s, L) < 0)
        goto err;
    g = make_group(s, s->file, "summary", "/summary");
    if (g == H5I_INVALID_HID)
        goto err;
    if (close_group(&g) < 0) {
        fail_h5(s, "cannot close group /summary");
        goto err;
    }
    return 0;
err:
    close_plist(&fapl);
    close_plist(&fcpl);
    discard(s);
    return -1;
}

/* ---- step, job --------------------------------------------------------- */

static int flush_series(h5s *s)
{
    if (s->sfill == 0)
        return 0;
    size_t chunk = (size_t)s->opt.series_chunk;
    hsize_t n = (hsize_t)s->sfill;
    if (append(s, s->time_ds, "/time", H5T_NATIVE_DOUBLE, s->swritten, n, s->sbuf) < 0)
        return -1;
    for (size_t i = 0; i < s->nser; i++) {
        char what[512];
        if (H5Iget_name(s->ser[i], what, sizeof what) <= 0)
            snprintf(what, sizeof what, "series %zu", i);
        if (append(s, s->ser[i], what, H5T_NATIVE_DOUBLE, s->swritten, n,
                   s->sbuf + (i + 1) * chunk) < 0)
            return -1;
    }
    s->swritten += n;
    s->sfill = 0;
    return 0;
}

static int op_step(void *state, double t_s, const double *site_vals, const double *pool_vals)
{
    h5s *s = state;
    if (!s->is_open)
        return fail_msg(s, "%s: step() on a sink that is not open", s->path);
    if (!isfinite(t_s) || (s->have_step && !(t_s > s->last_t)))
        return fail_msg(s, "%s: step time %.17g s is not after the previous %.17g s", s->path,
                        t_s, s->last_t);
    size_t chunk = (size_t)s->opt.series_chunk, k = s->sfill;
    size_t nsv = (size_t)s->nsites * (size_t)s->nsite_vars;
    double *b = s->sbuf;
    b[k] = t_s;
    b += chunk;
    for (size_t i = 0; i < nsv; i++, b += chunk)
        b[k] = site_vals[i];
    for (size_t i = nsv; i < s->nser; i++, b += chunk)
        b[k] = pool_vals[i - nsv];
    s->last_t = t_s;
    s->have_step = 1;
    if (++s->sfill == chunk)
        return flush_series(s);
    return 0;
}

static int flush_jobs(h5s *s)
{
    if (s->jfill == 0)
        return 0;
    for (int c = 0; c < JC_N; c++) {
        char what[64];
        snprintf(what, sizeof what, "/jobs/%s", jobcols[c].name);
        if (append(s, s->jds[c], what, coltype_hid(jobcols[c].type), s->jwritten,
                   (hsize_t)s->jfill, s->jbuf[c]) < 0)
            return -1;
    }
    s->jwritten += s->jfill;
    s->jfill = 0;
    return 0;
}

static int op_job(void *state, const sink_job *j)
{
    h5s *s = state;
    if (!s->is_open)
        return fail_msg(s, "%s: job() on a sink that is not open", s->path);
    if (!s->write_jobs)
        return 0;
    if (j->workload < 0 || j->workload >= s->nworkloads || j->kind < 0 || j->kind >= s->nkinds ||
        j->site < -1 || j->site >= s->nsites || j->pool < -1 || j->pool >= s->npools ||
        j->home_site < -1 || j->home_site >= s->nsites)
        return fail_msg(s, "%s: job %llu has an index out of range (workload %d, kind %d, "
                        "site %d, pool %d)", s->path, (unsigned long long)j->id,
                        (int)j->workload, (int)j->kind, (int)j->site, (int)j->pool);
    size_t k = s->jfill;
    ((uint64_t *)s->jbuf[JC_ID])[k] = j->id;
    ((int32_t *)s->jbuf[JC_WORKLOAD])[k] = j->workload;
    ((int32_t *)s->jbuf[JC_KIND])[k] = j->kind;
    ((int32_t *)s->jbuf[JC_SITE])[k] = j->site;
    ((int32_t *)s->jbuf[JC_POOL])[k] = j->pool;
    ((int32_t *)s->jbuf[JC_NODES])[k] = j->nodes;
    ((int8_t *)s->jbuf[JC_COMPLETED])[k] = j->completed;
    ((double *)s->jbuf[JC_SUBMIT])[k] = j->submit_s;
    ((double *)s->jbuf[JC_START])[k] = j->start_s;
    ((double *)s->jbuf[JC_END])[k] = j->end_s;
    ((double *)s->jbuf[JC_ENERGY])[k] = j->energy_kwh;
    ((double *)s->jbuf[JC_EMISSIONS])[k] = j->emissions_kg;
    ((double *)s->jbuf[JC_COST])[k] = j->cost_usd;
    ((double *)s->jbuf[JC_EMBODIED])[k] = j->embodied_kg;
    ((double *)s->jbuf[JC_WATER])[k] = j->water_l;
    ((double *)s->jbuf[JC_REQUESTS])[k] = j->requests;
    ((double *)s->jbuf[JC_WAIT])[k] = j->wait_s;
    ((double *)s->jbuf[JC_SLOWDOWN])[k] = j->slowdown;
    ((double *)s->jbuf[JC_DEADLINE])[k] = j->deadline_s;
    ((int8_t *)s->jbuf[JC_DEADLINE_MET])[k] = j->deadline_met;
    ((double *)s->jbuf[JC_SUSPENDED])[k] = j->suspended_s;
    ((int32_t *)s->jbuf[JC_HOME_SITE])[k] = j->home_site;
    if (++s->jfill == (size_t)s->opt.jobs_chunk)
        return flush_jobs(s);
    return 0;
}

/* ---- close ------------------------------------------------------------- */

/* Describes the attributes a[0..n-1] by two groups under g (path gpath):
 * <prefix>units and <prefix>long_name, each with one string attribute per
 * described attribute, under the same name. Plain attributes rather than
 * string datasets: netCDF-C 4.9 misreads 1-D fixed-length string datasets. */
static int write_attr_meta(h5s *s, hid_t g, const char *gpath, const char *prefix,
                           const sink_attr *a, int n)
{
    for (int k = 0; k < 2; k++) {
        char name[64], path[128];
        snprintf(name, sizeof name, "%s%s", prefix, k == 0 ? "units" : "long_name");
        snprintf(path, sizeof path, "%s/%s", gpath, name);
        hid_t m = make_group(s, g, name, path);
        if (m == H5I_INVALID_HID)
            return -1;
        for (int i = 0; i < n; i++) {
            const char *v = k == 0 ? (a[i].var.units ? a[i].var.units : "1")
                                   : (a[i].var.long_name ? a[i].var.long_name : "");
            if (attr_str(s, m, path, a[i].var.name, v) < 0) {
                close_group(&m);
                return -1;
            }
        }
        if (close_group(&m) < 0)
            return fail_h5(s, "cannot close %s", path);
    }
    return 0;
}

static int write_summary(h5s *s, const sink_attr *sum, int nsum, const sink_attr *pa, int npa)
{
    if (nsum < 0 || npa < 0 || (nsum && !sum) || (npa && s->npools && !pa))
        return fail_msg(s, "%s: close() given a negative count or a missing array", s->path);
    hid_t g = H5Gopen2(s->file, "/summary", H5P_DEFAULT);
    if (g == H5I_INVALID_HID)
        return fail_h5(s, "cannot open /summary");
    for (int i = 0; i < nsum; i++)
        if (bad_name(sum[i].var.name) ||
            attr_f64(s, g, "/summary", sum[i].var.name, sum[i].value) < 0)
            goto err;
    if (write_attr_meta(s, g, "/summary", "", sum, nsum) < 0)
        goto err;
    if (write_attr_meta(s, g, "/summary", "pool_", pa, s->npools > 0 ? npa : 0) < 0)
        goto err;
    if (close_group(&g) < 0)
        return fail_h5(s, "cannot close /summary");

    for (int p = 0; p < s->npools && npa > 0; p++) {
        g = H5Gopen2(s->file, s->pool_paths[p], H5P_DEFAULT);
        if (g == H5I_INVALID_HID)
            return fail_h5(s, "cannot open %s", s->pool_paths[p]);
        for (int i = 0; i < npa; i++) {
            const sink_attr *a = &pa[(size_t)p * (size_t)npa + (size_t)i];
            if (bad_name(a->var.name) || attr_f64(s, g, s->pool_paths[p], a->var.name, a->value) < 0)
                goto err;
        }
        if (close_group(&g) < 0)
            return fail_h5(s, "cannot close %s", s->pool_paths[p]);
    }
    return 0;
err:
    if (!s->err[0])
        fail_msg(s, "%s: a summary attribute has an invalid name", s->path);
    close_group(&g);
    return -1;
}

/* /<table>/<name> (table "workloads" or "groups"): the totals as
 * attributes, and for workloads the group label; units and descriptions on
 * /<table>/units and /<table>/long_name. */
static int op_totals(void *state, const char *table, int n, const char *const *names, const char *const *groups,
                     const sink_attr *attrs, int nattrs)
{
    h5s *s = state;
    if (!s->is_open)
        return fail_msg(s, "%s: totals() on a sink that is not open", s->path);
    if (!table || (strcmp(table, "workloads") && strcmp(table, "groups")))
        return fail_msg(s, "%s: totals() of an unknown table", s->path);
    if (n < 0 || nattrs < 0 || (n && (!names || (nattrs && !attrs))))
        return fail_msg(s, "%s: totals() given a negative count or a missing array", s->path);
    char tpath[32];
    snprintf(tpath, sizeof tpath, "/%s", table);
    hid_t top = make_group(s, s->file, table, tpath);
    if (top == H5I_INVALID_HID)
        return -1;
    if (n > 0 && write_attr_meta(s, top, tpath, "", attrs, nattrs) < 0)
        goto err;
    for (int w = 0; w < n; w++) {
        char path[320];
        snprintf(path, sizeof path, "%s/%s", tpath, names[w]);
        if (bad_name(names[w]) || !strcmp(names[w], "units") || !strcmp(names[w], "long_name")) {
            fail_msg(s, "%s: name \"%s\" in %s cannot name an HDF5 group", s->path, names[w], tpath);
            goto err;
        }
        hid_t g = make_group(s, top, names[w], path);
        if (g == H5I_INVALID_HID)
            goto err;
        int bad = groups && attr_str(s, g, path, "group", groups[w]) < 0;
        for (int i = 0; i < nattrs && !bad; i++) {
            const sink_attr *a = &attrs[(size_t)w * (size_t)nattrs + (size_t)i];
            bad = bad_name(a->var.name) || attr_f64(s, g, path, a->var.name, a->value) < 0;
        }
        if (close_group(&g) < 0 || bad) {
            if (!s->err[0])
                fail_msg(s, "%s: an attribute in %s has an invalid name", s->path, tpath);
            goto err;
        }
    }
    if (close_group(&top) < 0)
        return fail_h5(s, "cannot close %s", tpath);
    return 0;
err:
    close_group(&top);
    return -1;
}

/* /<name>/<column>: one float64 dataset per column; the first column is a
 * dimension scale the others are attached to (a netCDF coordinate). */
static int op_table(void *state, const char *name, int ncols, const sink_var *cols, long nrows, const double *values)
{
    h5s *s = state;
    if (!s->is_open)
        return fail_msg(s, "%s: table() on a sink that is not open", s->path);
    /* "parent/name": the table goes into group parent, made if missing */
    const char *slash = name ? strchr(name, '/') : NULL;
    char parent[128] = "";
    if (slash && (size_t)(slash - name) < sizeof parent) {
        memcpy(parent, name, (size_t)(slash - name));
        parent[slash - name] = '\0';
    }
    const char *leaf = slash ? slash + 1 : name;
    if (!name || (slash && bad_name(parent)) || bad_name(leaf) || ncols < 1 || nrows < 0 || !cols ||
        (nrows && !values))
        return fail_msg(s, "%s: table() given a bad name, count or array", s->path);
    char gpath[300];
    snprintf(gpath, sizeof gpath, "/%s", name);
    hid_t top = s->file;
    if (slash) {
        char ppath[160];
        snprintf(ppath, sizeof ppath, "/%s", parent);
        htri_t ex = H5Lexists(s->file, parent, H5P_DEFAULT);
        if (ex < 0)
            return fail_h5(s, "cannot look up %s", ppath);
        top = ex > 0 ? H5Gopen2(s->file, parent, H5P_DEFAULT) : make_group(s, s->file, parent, ppath);
        if (top == H5I_INVALID_HID)
            return ex > 0 ? fail_h5(s, "cannot open %s", ppath) : -1;
    }
    hid_t g = make_group(s, top, leaf, gpath), scale = H5I_INVALID_HID;
    if (slash && close_group(&top) < 0) {
        close_group(&g);
        return fail_h5(s, "cannot close the parent of %s", gpath);
    }
    if (g == H5I_INVALID_HID)
        return -1;
    for (int c = 0; c < ncols; c++) {
        char path[600];
        snprintf(path, sizeof path, "%s/%s", gpath, cols[c].name);
        if (bad_name(cols[c].name)) {
            fail_msg(s, "%s: column name \"%s\" in %s cannot name a dataset", s->path, cols[c].name, gpath);
            goto err;
        }
        hid_t d = make_column(s, g, cols[c].name, path, H5T_IEEE_F64LE, nrows > 0 ? (hsize_t)nrows : 1, 0);
        if (d == H5I_INVALID_HID)
            goto err;
        int bad = (nrows > 0 && append(s, d, path, H5T_NATIVE_DOUBLE, 0, (hsize_t)nrows,
                                       values + (size_t)c * (size_t)nrows) < 0) ||
                  attr_meta(s, d, path, cols[c].units, cols[c].long_name) < 0;
        if (!bad && c == 0) {
            bad = H5DSset_scale(d, cols[0].name) < 0;
            if (bad)
                fail_h5(s, "cannot make %s a dimension scale", path);
            scale = d;
            if (bad)
                goto err;
            continue;
        }
        if (!bad && H5DSattach_scale(d, scale, 0) < 0)
            bad = fail_h5(s, "cannot attach %s to its coordinate", path) < 0;
        if (close_dset(&d) < 0 || bad)
            goto err;
    }
    if (close_dset(&scale) < 0 || close_group(&g) < 0)
        return fail_h5(s, "cannot close %s", gpath);
    return 0;
err:
    close_dset(&scale);
    close_group(&g);
    return -1;
}

static int op_close(void *state, int ok, const sink_attr *summary, int nsummary,
                    const sink_attr *pool_attrs, int npool_attrs)
{
    h5s *s = state;
    if (!s->is_open) {
        if (!ok)
            return 0;
        return fail_msg(s, "%s: close() on a sink that is not open", s->path);
    }
    if (!ok) {
        discard(s);
        return 0;
    }
    s->err[0] = '\0';
    if (flush_series(s) < 0 || (s->write_jobs && flush_jobs(s) < 0) ||
        write_summary(s, summary, nsummary, pool_attrs, npool_attrs) < 0)
        goto err;
    if (H5Fflush(s->file, H5F_SCOPE_LOCAL) < 0) {
        fail_h5(s, "cannot flush");
        goto err;
    }
    if (release(s) < 0)
        goto err;
    /* The data must be on disk before the name points at it. */
    int fd = open(s->tmp, O_RDONLY);
    if (fd < 0 || fsync(fd) < 0) {
        fail_msg(s, "cannot sync %s: %s", s->tmp, strerror(errno));
        if (fd >= 0)
            close(fd);
        goto err;
    }
    close(fd);
    if (rename(s->tmp, s->path) < 0) {
        fail_msg(s, "cannot rename %s to %s: %s", s->tmp, s->path, strerror(errno));
        goto err;
    }
    s->created = 0;
    return 0;
err:
    discard(s);
    return -1;
}

static const char *op_errmsg(void *state)
{
    h5s *s = state;
    return s->err;
}

static const sink_ops h5sink_ops = {"hdf5", op_open, op_step, op_job, op_close, op_errmsg, op_totals, op_table};

/* ---- public ------------------------------------------------------------ */

void h5sink_default_options(h5sink_options *o)
{
    o->series_deflate = 4;
    o->jobs_deflate = 0;
    o->jobs_int_deflate = 1;
    o->series_chunk = 4096;
    o->jobs_chunk = 65536;
    o->shuffle = 1;
}

/* HDF5 1.10.8 keeps a file whose H5Fclose failed (on a full disk) half
 * closed, and its exit-time cleanup then crashes closing it again. So the
 * sink turns that cleanup off (H5dont_atexit, effective before the
 * library's first use) and runs H5close at exit itself unless a close
 * failed: every other file is closed explicitly by then. */
static void h5_close_at_exit(void)
{
    if (!h5_broken)
        H5close();
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

sink *h5sink_alloc(const char *path, const h5sink_options *opt)
{
    sink *sk = NULL;
    h5s *s = NULL;
    if (!path)
        return NULL;
    static int at_exit_set;
    if (!at_exit_set) { /* see h5_close_at_exit */
        (void)H5dont_atexit();
        at_exit_set = atexit(h5_close_at_exit) == 0;
    }
    (void)H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* errors come back as messages */
    sk = calloc(1, sizeof *sk);
    s = calloc(1, sizeof *s);
    if (!sk || !s)
        goto err;
    s->path = strdup(path);
    size_t n = strlen(path) + 32;
    s->tmp = malloc(n);
    if (!s->path || !s->tmp)
        goto err;
    snprintf(s->tmp, n, "%s.tmp.%ld", path, (long)getpid());
    if (opt)
        s->opt = *opt;
    else
        h5sink_default_options(&s->opt);
    s->opt.series_deflate = clamp(s->opt.series_deflate, 0, 9);
    s->opt.jobs_deflate = clamp(s->opt.jobs_deflate, 0, 9);
    s->opt.jobs_int_deflate = clamp(s->opt.jobs_int_deflate, 0, 9);
    s->opt.series_chunk = clamp(s->opt.series_chunk, 1, 1 << 24);
    s->opt.jobs_chunk = clamp(s->opt.jobs_chunk, 1, 1 << 24);
    s->opt.shuffle = s->opt.shuffle ? 1 : 0;
    s->file = H5I_INVALID_HID;
    s->time_ds = H5I_INVALID_HID;
    for (int c = 0; c < JC_N; c++)
        s->jds[c] = H5I_INVALID_HID;
    sk->ops = &h5sink_ops;
    sk->state = s;
    return sk;
err:
    if (s) {
        free(s->path);
        free(s->tmp);
    }
    free(s);
    free(sk);
    return NULL;
}

void h5sink_free(sink *sk)
{
    if (!sk)
        return;
    h5s *s = sk->state;
    if (s) {
        if (s->is_open)
            discard(s);
        free(s->path);
        free(s->tmp);
        free(s);
    }
    free(sk);
}
