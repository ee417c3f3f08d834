/* h5sweep.c - the sweep result file (see h5sweep.h; layout in docs/RESULTS.md).
 *
 * Everything is small and known at the end of the sweep, so every dataset is
 * written whole, contiguous and uncompressed, in a fixed order: the same
 * records give the same bytes. Handles start at H5I_INVALID_HID and are
 * closed in reverse order; the first error is kept as the message.
 */
#define _POSIX_C_SOURCE 200809L
#include "h5sweep.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#define SWEEP_LAYOUT_VERSION 1

typedef struct writer {
    hid_t file, gcpl, dcpl;
    const char *tmp;
    char err[1024];
} writer;

static herr_t reason_cb(unsigned n, const H5E_error2_t *e, void *data)
{
    (void)n;
    if (e->desc && e->desc[0])
        snprintf(data, 256, "%s", e->desc);
    return 0;
}

/* Keeps the first error: "<tmp>: <what>: <innermost HDF5 reason>". Returns -1. */
static int fail(writer *w, const char *fmt, ...)
{
    if (w->err[0])
        return -1;
    char what[600], why[256] = "HDF5 error";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, reason_cb, why);
    H5Eclear2(H5E_DEFAULT);
    snprintf(w->err, sizeof w->err, "%s: %s: %s", w->tmp, what, why);
    return -1;
}

static hid_t group(writer *w, hid_t loc, const char *name)
{
    hid_t g = H5Gcreate2(loc, name, H5P_DEFAULT, w->gcpl, H5P_DEFAULT);
    if (g == H5I_INVALID_HID)
        fail(w, "cannot create group %s", name);
    return g;
}

static void close_group(hid_t *g)
{
    if (*g != H5I_INVALID_HID)
        H5Gclose(*g);
    *g = H5I_INVALID_HID;
}

/* A fixed-length, NUL-padded UTF-8 string type of len (>= 1) bytes. */
static hid_t str_type(size_t len)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t == H5I_INVALID_HID)
        return t;
    if (H5Tset_size(t, len ? len : 1) < 0 || H5Tset_strpad(t, H5T_STR_NULLPAD) < 0 ||
        H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return H5I_INVALID_HID;
    }
    return t;
}

/* An attribute of n elements (n = 0: scalar). */
static int put_attr(writer *w, hid_t obj, const char *name, hid_t ftype, hid_t mtype, hsize_t n, const void *v)
{
    hid_t sp = n ? H5Screate_simple(1, &n, NULL) : H5Screate(H5S_SCALAR), a = H5I_INVALID_HID;
    int rc = -1;
    if (sp == H5I_INVALID_HID)
        goto done;
    a = H5Acreate2(obj, name, ftype, sp, H5P_DEFAULT, H5P_DEFAULT);
    if (a == H5I_INVALID_HID || H5Awrite(a, mtype, v) < 0)
        goto done;
    rc = 0;
done:
    if (a != H5I_INVALID_HID && H5Aclose(a) < 0)
        rc = -1;
    if (sp != H5I_INVALID_HID && H5Sclose(sp) < 0)
        rc = -1;
    return rc ? fail(w, "cannot write attribute %s", name) : 0;
}

static int attr_str(writer *w, hid_t obj, const char *name, const char *v)
{
    if (!v || !*v)
        v = "\0";
    hid_t t = str_type(strlen(v));
    if (t == H5I_INVALID_HID)
        return fail(w, "cannot make a string type");
    int r = put_attr(w, obj, name, t, t, 0, v);
    H5Tclose(t);
    return r;
}

static int attr_f64(writer *w, hid_t obj, const char *name, double v)
{
    return put_attr(w, obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 0, &v);
}

static int attr_i32(writer *w, hid_t obj, const char *name, int v)
{
    int32_t x = v;
    return put_attr(w, obj, name, H5T_STD_I32LE, H5T_NATIVE_INT32, 0, &x);
}

static int attr_u64(writer *w, hid_t obj, const char *name, uint64_t v)
{
    return put_attr(w, obj, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, 0, &v);
}

/* A 1-D dataset of n elements (n = 0: scalar), written whole. Returns the
 * open dataset (caller closes) or H5I_INVALID_HID. */
static hid_t dset(writer *w, hid_t loc, const char *name, hid_t ftype, hid_t mtype, hsize_t n, const void *v,
                  int scalar)
{
    hid_t sp = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, NULL);
    hid_t d = H5I_INVALID_HID;
    if (sp == H5I_INVALID_HID) {
        fail(w, "cannot make the dataspace of %s", name);
        return d;
    }
    d = H5Dcreate2(loc, name, ftype, sp, H5P_DEFAULT, w->dcpl, H5P_DEFAULT);
    if (d == H5I_INVALID_HID)
        fail(w, "cannot create dataset %s", name);
    else if ((scalar || n > 0) && H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
        fail(w, "cannot write dataset %s", name);
        H5Dclose(d);
        d = H5I_INVALID_HID;
    }
    H5Sclose(sp);
    return d;
}

/* A float64 column with units and long_name. */
static int col_f64(writer *w, hid_t loc, const char *name, hsize_t n, const double *v, const char *units,
                   const char *long_name)
{
    hid_t d = dset(w, loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, n, v, 0);
    if (d == H5I_INVALID_HID)
        return -1;
    int r = attr_str(w, d, "units", units) || attr_str(w, d, "long_name", long_name) ? -1 : 0;
    if (H5Dclose(d) < 0)
        r = fail(w, "cannot close %s", name);
    return r;
}

static int col_i32(writer *w, hid_t loc, const char *name, hsize_t n, const int32_t *v, const char *long_name)
{
    hid_t d = dset(w, loc, name, H5T_STD_I32LE, H5T_NATIVE_INT32, n, v, 0);
    if (d == H5I_INVALID_HID)
        return -1;
    int r = attr_str(w, d, "units", "1") || attr_str(w, d, "long_name", long_name) ? -1 : 0;
    if (H5Dclose(d) < 0)
        r = fail(w, "cannot close %s", name);
    return r;
}

/* n strings as a fixed-length string column (width: the longest). */
static int col_str(writer *w, hid_t loc, const char *name, hsize_t n, const char *const *v, const char *long_name)
{
    size_t width = 1;
    for (hsize_t i = 0; i < n; i++)
        if (strlen(v[i]) > width)
            width = strlen(v[i]);
    char *buf = calloc((size_t)n * width + 1, 1);
    hid_t t = str_type(width);
    int r = -1;
    if (!buf || t == H5I_INVALID_HID) {
        fail(w, "out of memory writing %s", name);
        goto done;
    }
    for (hsize_t i = 0; i < n; i++)
        memcpy(buf + i * width, v[i], strlen(v[i]));
    hid_t d = dset(w, loc, name, t, t, n, buf, 0);
    if (d == H5I_INVALID_HID)
        goto done;
    r = attr_str(w, d, "long_name", long_name);
    if (H5Dclose(d) < 0)
        r = fail(w, "cannot close %s", name);
done:
    if (t != H5I_INVALID_HID)
        H5Tclose(t);
    free(buf);
    return r;
}

/* A text as a scalar string dataset. */
static int text(writer *w, hid_t loc, const char *name, const char *txt, const char *long_name)
{
    if (!txt || !*txt)
        txt = "\0";
    hid_t t = str_type(strlen(txt));
    if (t == H5I_INVALID_HID)
        return fail(w, "cannot make a string type");
    hid_t d = dset(w, loc, name, t, t, 0, txt, 1);
    H5Tclose(t);
    if (d == H5I_INVALID_HID)
        return -1;
    int r = attr_str(w, d, "long_name", long_name);
    if (H5Dclose(d) < 0)
        r = fail(w, "cannot close %s", name);
    return r;
}

static int write_root(writer *w, const sweep_result *r)
{
    hid_t f = w->file;
    return attr_str(w, f, "software", "dcsim") || attr_str(w, f, "version", r->version) ||
                   attr_str(w, f, "kind", "sweep") ||
                   attr_i32(w, f, "layout_version", SWEEP_LAYOUT_VERSION) ||
                   attr_str(w, f, "Conventions", "CF-1.8") || attr_str(w, f, "title", "dcsim sweep") ||
                   attr_str(w, f, "sweep", r->name) || attr_str(w, f, "sweep_file", r->sweep_path) ||
                   attr_str(w, f, "base", r->base_path) || attr_str(w, f, "start", r->start_iso) ||
                   attr_f64(w, f, "step_s", r->step_s) || attr_u64(w, f, "seed", r->seed0) ||
                   attr_i32(w, f, "variants", r->nvariants) || attr_i32(w, f, "replications", r->nreps) ||
                   attr_str(w, f, "reference", r->variant_names[r->reference]) ||
                   attr_i32(w, f, "reference_index", r->reference) ||
                   attr_f64(w, f, "slo_max_wait_s", r->slo_max_wait_s) || attr_f64(w, f, "t975", r->t975) ||
                   attr_i32(w, f, "series", r->series ? 1 : 0)
               ? -1
               : 0;
}

static int write_config(writer *w, const sweep_result *r)
{
    hid_t g = group(w, w->file, "config");
    if (g == H5I_INVALID_HID)
        return -1;
    int rc = text(w, g, "sweep", r->sweep_text, "the sweep file") ||
                     text(w, g, "base", r->base_config,
                          "the reference variant's resolved scenario (includes and overrides applied)")
                 ? -1
                 : 0;
    close_group(&g);
    return rc;
}

static int write_variants(writer *w, const sweep_result *r)
{
    int nv = r->nvariants, rc = -1;
    hid_t g = group(w, w->file, "variants"), gs = H5I_INVALID_HID;
    int32_t *idx = malloc((size_t)nv * sizeof *idx);
    const char **col = malloc((size_t)nv * sizeof *col + 1);
    if (g == H5I_INVALID_HID || !idx || !col)
        goto done;
    for (int i = 0; i < nv; i++)
        idx[i] = i;
    if (col_i32(w, g, "index", (hsize_t)nv, idx, "variant index") ||
        col_str(w, g, "name", (hsize_t)nv, r->variant_names, "variant name"))
        goto done;
    gs = group(w, g, "settings");
    if (gs == H5I_INVALID_HID)
        goto done;
    for (int j = 0; j < r->nsettings; j++) {
        for (int i = 0; i < nv; i++)
            col[i] = r->settings[(size_t)i * (size_t)r->nsettings + (size_t)j];
        char ln[600];
        snprintf(ln, sizeof ln, "value of %s (empty: the base scenario's)", r->setting_paths[j]);
        if (col_str(w, gs, r->setting_paths[j], (hsize_t)nv, col, ln))
            goto done;
    }
    rc = 0;
done:
    if (rc && !w->err[0])
        fail(w, "out of memory writing /variants");
    close_group(&gs);
    close_group(&g);
    free(idx);
    free(col);
    return rc;
}

static int write_runs(writer *w, const sweep_result *r)
{
    long n = (long)r->nvariants * r->nreps;
    int rc = -1;
    hid_t g = group(w, w->file, "runs");
    int32_t *vi = malloc((size_t)n * sizeof *vi + 1), *ri = malloc((size_t)n * sizeof *ri + 1);
    uint64_t *seed = malloc((size_t)n * sizeof *seed + 1);
    double *x = malloc((size_t)n * sizeof *x + 1);
    if (g == H5I_INVALID_HID || !vi || !ri || !seed || !x)
        goto done;
    for (long k = 0; k < n; k++) {
        vi[k] = (int32_t)(k / r->nreps);
        ri[k] = (int32_t)(k % r->nreps);
        seed[k] = r->seeds[k % r->nreps];
    }
    if (col_i32(w, g, "variant", (hsize_t)n, vi, "variant index (row of /variants)") ||
        col_i32(w, g, "replication", (hsize_t)n, ri, "replication, 0-based"))
        goto done;
    hid_t d = dset(w, g, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, (hsize_t)n, seed, 0);
    if (d == H5I_INVALID_HID)
        goto done;
    int bad = attr_str(w, d, "long_name", "seed of the run (the same for every variant in one replication)");
    if (H5Dclose(d) < 0 || bad)
        goto done;
    for (int m = 0; m < r->nmetrics; m++) {
        for (long k = 0; k < n; k++)
            x[k] = r->values[(size_t)k * (size_t)r->nmetrics + (size_t)m];
        if (col_f64(w, g, r->metrics[m].name, (hsize_t)n, x, r->metrics[m].units, r->metrics[m].long_name))
            goto done;
    }
    rc = 0;
done:
    if (rc && !w->err[0])
        fail(w, "out of memory writing /runs");
    close_group(&g);
    free(vi);
    free(ri);
    free(seed);
    free(x);
    return rc;
}

/* /statistics or /paired: per metric a group of mean, sd, ci95_low, ci95_high [V]. */
static int write_stats(writer *w, const sweep_result *r, const char *name, const sweep_stat *st, int paired)
{
    int nv = r->nvariants, rc = -1;
    hid_t g = group(w, w->file, name), gm = H5I_INVALID_HID;
    double *x = malloc((size_t)nv * sizeof *x + 1);
    if (g == H5I_INVALID_HID || !x)
        goto done;
    if (attr_i32(w, g, "n", r->nreps) || attr_f64(w, g, "t975", r->t975))
        goto done;
    if (paired && (attr_str(w, g, "reference", r->variant_names[r->reference]) ||
                   attr_i32(w, g, "reference_index", r->reference)))
        goto done;
    for (int m = 0; m < r->nmetrics; m++) {
        const sweep_metric *mt = &r->metrics[m];
        gm = group(w, g, mt->name);
        if (gm == H5I_INVALID_HID || attr_str(w, gm, "units", mt->units) ||
            attr_str(w, gm, "long_name", mt->long_name) || attr_i32(w, gm, "headline", mt->headline))
            goto done;
        static const char *const part[] = {"mean", "sd", "ci95_low", "ci95_high"};
        static const char *const what[] = {"mean over replications", "sample standard deviation",
                                           "lower end of the 95% confidence interval of the mean",
                                           "upper end of the 95% confidence interval of the mean"};
        for (int p = 0; p < 4; p++) {
            for (int v = 0; v < nv; v++) {
                const sweep_stat *s = &st[m * nv + v];
                x[v] = p == 0 ? s->mean : p == 1 ? s->sd : p == 2 ? s->lo : s->hi;
            }
            char ln[300];
            snprintf(ln, sizeof ln, "%s%s", paired ? "variant - reference, paired by replication: " : "", what[p]);
            if (col_f64(w, gm, part[p], (hsize_t)nv, x, mt->units, ln))
                goto done;
        }
        close_group(&gm);
    }
    rc = 0;
done:
    if (rc && !w->err[0])
        fail(w, "out of memory writing /%s", name);
    close_group(&gm);
    close_group(&g);
    free(x);
    return rc;
}

/* One run's full series under /series/run_<k>. */
static int write_series_run(writer *w, hid_t parent, const sweep_result *r, long k)
{
    const sweep_series *x = &r->series[k];
    char name[64];
    snprintf(name, sizeof name, "run_%06ld", k);
    hid_t g = group(w, parent, name), gsites = H5I_INVALID_HID, gsite = H5I_INVALID_HID,
          gpools = H5I_INVALID_HID, gpool = H5I_INVALID_HID;
    int rc = -1;
    double *col = malloc((size_t)x->nsteps * sizeof *col + 1);
    if (g == H5I_INVALID_HID || !col)
        goto done;
    if (attr_i32(w, g, "variant", (int)(k / r->nreps)) || attr_i32(w, g, "replication", (int)(k % r->nreps)) ||
        attr_u64(w, g, "seed", r->seeds[k % r->nreps]))
        goto done;
    if (col_f64(w, g, "time", (hsize_t)x->nsteps, x->t, "s", "start of the step, s since the scenario's start"))
        goto done;
    gsites = group(w, g, "sites");
    if (gsites == H5I_INVALID_HID)
        goto done;
    for (int s = 0; s < x->nsites; s++) {
        gsite = group(w, gsites, x->site_names[s]);
        if (gsite == H5I_INVALID_HID)
            goto done;
        for (int v = 0; v < x->nsv; v++) {
            for (long t = 0; t < x->nsteps; t++)
                col[t] = x->site_vals[((size_t)t * (size_t)x->nsites + (size_t)s) * (size_t)x->nsv + (size_t)v];
            if (col_f64(w, gsite, x->site_vars[v].name, (hsize_t)x->nsteps, col, x->site_vars[v].units,
                        x->site_vars[v].long_name))
                goto done;
        }
        gpools = group(w, gsite, "pools");
        if (gpools == H5I_INVALID_HID)
            goto done;
        for (int p = 0; p < x->npools; p++) {
            if (x->pool_site[p] != s)
                continue;
            gpool = group(w, gpools, x->pool_names[p]);
            if (gpool == H5I_INVALID_HID)
                goto done;
            for (int v = 0; v < x->npv; v++) {
                for (long t = 0; t < x->nsteps; t++)
                    col[t] = x->pool_vals[((size_t)t * (size_t)x->npools + (size_t)p) * (size_t)x->npv + (size_t)v];
                if (col_f64(w, gpool, x->pool_vars[v].name, (hsize_t)x->nsteps, col, x->pool_vars[v].units,
                            x->pool_vars[v].long_name))
                    goto done;
            }
            close_group(&gpool);
        }
        close_group(&gpools);
        close_group(&gsite);
    }
    rc = 0;
done:
    if (rc && !w->err[0])
        fail(w, "out of memory writing /series/%s", name);
    close_group(&gpool);
    close_group(&gpools);
    close_group(&gsite);
    close_group(&gsites);
    close_group(&g);
    free(col);
    return rc;
}

static int write_series(writer *w, const sweep_result *r)
{
    hid_t g = group(w, w->file, "series");
    if (g == H5I_INVALID_HID)
        return -1;
    int rc = 0;
    for (long k = 0; k < (long)r->nvariants * r->nreps && !rc; k++)
        rc = write_series_run(w, g, r, k);
    close_group(&g);
    return rc;
}

/* /timing: one compound record, contiguous and allocated at creation, so
 * that its bytes sit at one known offset (`h5dump -p -d /timing` shows it):
 * the only bytes two files of the same sweep may differ in. */
typedef struct timing_rec {
    double wall_s, run_wall_s;
    int32_t threads, ranks;
} timing_rec;

static int write_timing(writer *w, const sweep_result *r)
{
    timing_rec rec = {r->wall_s, r->run_wall_s, r->threads, r->ranks};
    hid_t ft = H5Tcreate(H5T_COMPOUND, 24), mt = H5Tcreate(H5T_COMPOUND, sizeof rec);
    hid_t dcpl = H5Pcopy(w->dcpl), d = H5I_INVALID_HID;
    int rc = -1;
    if (ft == H5I_INVALID_HID || mt == H5I_INVALID_HID || dcpl == H5I_INVALID_HID ||
        H5Tinsert(ft, "wall_s", 0, H5T_IEEE_F64LE) < 0 || H5Tinsert(ft, "run_wall_s", 8, H5T_IEEE_F64LE) < 0 ||
        H5Tinsert(ft, "threads", 16, H5T_STD_I32LE) < 0 || H5Tinsert(ft, "ranks", 20, H5T_STD_I32LE) < 0 ||
        H5Tinsert(mt, "wall_s", HOFFSET(timing_rec, wall_s), H5T_NATIVE_DOUBLE) < 0 ||
        H5Tinsert(mt, "run_wall_s", HOFFSET(timing_rec, run_wall_s), H5T_NATIVE_DOUBLE) < 0 ||
        H5Tinsert(mt, "threads", HOFFSET(timing_rec, threads), H5T_NATIVE_INT32) < 0 ||
        H5Tinsert(mt, "ranks", HOFFSET(timing_rec, ranks), H5T_NATIVE_INT32) < 0 ||
        H5Pset_layout(dcpl, H5D_CONTIGUOUS) < 0 || H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY) < 0) {
        fail(w, "cannot make the /timing type");
        goto done;
    }
    hid_t sp = H5Screate(H5S_SCALAR);
    if (sp == H5I_INVALID_HID) {
        fail(w, "cannot make a dataspace");
        goto done;
    }
    d = H5Dcreate2(w->file, "timing", ft, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    H5Sclose(sp);
    if (d == H5I_INVALID_HID || H5Dwrite(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, &rec) < 0) {
        fail(w, "cannot write /timing");
        goto done;
    }
    if (attr_str(w, d, "long_name",
                 "wall-clock time of the sweep and the sum of its runs' (s), OpenMP threads per rank, MPI ranks: "
                 "the only figures that change between two runs of one sweep"))
        goto done;
    rc = 0;
done:
    if (d != H5I_INVALID_HID && H5Dclose(d) < 0 && !rc)
        rc = fail(w, "cannot close /timing");
    if (dcpl != H5I_INVALID_HID)
        H5Pclose(dcpl);
    if (mt != H5I_INVALID_HID)
        H5Tclose(mt);
    if (ft != H5I_INVALID_HID)
        H5Tclose(ft);
    return rc;
}

int h5sweep_write(const sweep_result *r, const char *path, char *err, size_t errlen)
{
    writer w = {H5I_INVALID_HID, H5I_INVALID_HID, H5I_INVALID_HID, NULL, ""};
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (!tmp) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    w.tmp = tmp;
    (void)H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* errors come back as messages */
    int rc = -1;
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    w.gcpl = H5Pcreate(H5P_GROUP_CREATE);
    w.dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (fcpl == H5I_INVALID_HID || w.gcpl == H5I_INVALID_HID || w.dcpl == H5I_INVALID_HID ||
        H5Pset_link_creation_order(w.gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
        H5Pset_attr_creation_order(w.gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
        H5Pset_obj_track_times(w.gcpl, 0) < 0 || H5Pset_obj_track_times(w.dcpl, 0) < 0 ||
        H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
        H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
        H5Pset_obj_track_times(fcpl, 0) < 0) {
        fail(&w, "cannot make property lists");
        goto done;
    }
    w.file = H5Fcreate(tmp, H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
    if (w.file == H5I_INVALID_HID) {
        snprintf(w.err, sizeof w.err, "cannot create %s: %s", tmp, strerror(errno ? errno : EIO));
        H5Eclear2(H5E_DEFAULT);
        goto done;
    }
    if (write_root(&w, r) || write_config(&w, r) || write_variants(&w, r) || write_runs(&w, r) ||
        write_stats(&w, r, "statistics", r->stats, 0) || write_stats(&w, r, "paired", r->paired, 1) ||
        (r->series && write_series(&w, r)) || write_timing(&w, r))
        goto done;
    hid_t f = w.file;
    w.file = H5I_INVALID_HID;
    if (H5Fclose(f) < 0) {
        fail(&w, "cannot close the file");
        goto done;
    }
    if (rename(tmp, path) != 0) {
        snprintf(w.err, sizeof w.err, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
        goto done;
    }
    rc = 0;
done:
    if (w.file != H5I_INVALID_HID)
        H5Fclose(w.file);
    if (rc)
        unlink(tmp);
    if (w.dcpl != H5I_INVALID_HID)
        H5Pclose(w.dcpl);
    if (w.gcpl != H5I_INVALID_HID)
        H5Pclose(w.gcpl);
    if (fcpl != H5I_INVALID_HID)
        H5Pclose(fcpl);
    if (rc)
        snprintf(err, errlen, "%s", w.err[0] ? w.err : "cannot write the sweep file");
    free(tmp);
    return rc;
}
