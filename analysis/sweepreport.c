/* sweepreport.c - the report of a sweep file (see sweepreport.h). */
#define _POSIX_C_SOURCE 200809L
#include "sweepreport.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#define MAXM 64 /* metrics read */

/* An open sweep file and what the report needs of it. */
typedef struct sfile {
    const char *path;
    hid_t f;
    char *err;
    size_t errlen;
    char name[256], reference[256], base[1024];
    int nv, nr, ref;
    uint64_t seed;
    double t975, slo_s;
    char **vnames;           /* [nv] */
    int nset;
    char **setpaths;         /* [nset] */
    char **setvals;          /* [nset * nv] */
    int nm;
    char *mname[MAXM], *munits[MAXM];
    int headline[MAXM];
    double *st[MAXM][4];     /* mean, sd, lo, hi [nv] */
    double *pd[MAXM][4];     /* paired */
} sfile;

static int bad(sfile *s, const char *fmt, ...)
{
    char what[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    H5Eclear2(H5E_DEFAULT);
    snprintf(s->err, s->errlen, "%s: %s", s->path, what);
    return -1;
}

/* A string attribute of obj (fixed or variable length) into buf. */
static int attr_string(hid_t obj, const char *name, char *buf, size_t len)
{
    int rc = -1;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT), t = H5I_INVALID_HID, mt = H5I_INVALID_HID;
    if (a == H5I_INVALID_HID)
        return -1;
    t = H5Aget_type(a);
    if (t == H5I_INVALID_HID || H5Tget_class(t) != H5T_STRING)
        goto done;
    if (H5Tis_variable_str(t) > 0) {
        char *v = NULL;
        mt = H5Tcopy(H5T_C_S1);
        if (mt == H5I_INVALID_HID || H5Tset_size(mt, H5T_VARIABLE) < 0 || H5Aread(a, mt, &v) < 0)
            goto done;
        snprintf(buf, len, "%s", v ? v : "");
        H5free_memory(v);
    } else {
        size_t n = H5Tget_size(t);
        char *v = calloc(n + 1, 1);
        mt = H5Tcopy(t);
        if (!v || mt == H5I_INVALID_HID || H5Aread(a, mt, v) < 0) {
            free(v);
            goto done;
        }
        snprintf(buf, len, "%s", v);
        free(v);
    }
    rc = 0;
done:
    if (mt != H5I_INVALID_HID)
        H5Tclose(mt);
    if (t != H5I_INVALID_HID)
        H5Tclose(t);
    H5Aclose(a);
    return rc;
}

static int attr_num(hid_t obj, const char *name, hid_t mtype, void *out)
{
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a == H5I_INVALID_HID)
        return -1;
    int rc = H5Aread(a, mtype, out) < 0 ? -1 : 0;
    H5Aclose(a);
    return rc;
}

/* A 1-D float64 dataset of exactly n values (caller frees). */
static double *read_f64(sfile *s, const char *path, int n)
{
    hid_t d = H5Dopen2(s->f, path, H5P_DEFAULT), sp = H5I_INVALID_HID;
    double *v = NULL;
    if (d == H5I_INVALID_HID) {
        bad(s, "no dataset %s (not a complete sweep file?)", path);
        return NULL;
    }
    sp = H5Dget_space(d);
    hsize_t dims[1] = {0};
    if (sp == H5I_INVALID_HID || H5Sget_simple_extent_ndims(sp) != 1 ||
        H5Sget_simple_extent_dims(sp, dims, NULL) < 0 || dims[0] != (hsize_t)n) {
        bad(s, "%s must hold %d values", path, n);
        goto done;
    }
    v = malloc((size_t)n * sizeof *v + 1);
    if (!v || H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
        bad(s, "cannot read %s", path);
        free(v);
        v = NULL;
    }
done:
    if (sp != H5I_INVALID_HID)
        H5Sclose(sp);
    H5Dclose(d);
    return v;
}

/* A 1-D fixed-length string dataset of n strings (caller frees each and the array). */
static char **read_strs(sfile *s, const char *path, int n)
{
    hid_t d = H5Dopen2(s->f, path, H5P_DEFAULT), t = H5I_INVALID_HID, sp = H5I_INVALID_HID;
    char **out = NULL, *buf = NULL;
    if (d == H5I_INVALID_HID) {
        bad(s, "no dataset %s", path);
        return NULL;
    }
    t = H5Dget_type(d);
    sp = H5Dget_space(d);
    hsize_t dims[1] = {0};
    if (t == H5I_INVALID_HID || sp == H5I_INVALID_HID || H5Tget_class(t) != H5T_STRING || H5Tis_variable_str(t) ||
        H5Sget_simple_extent_ndims(sp) != 1 || H5Sget_simple_extent_dims(sp, dims, NULL) < 0 ||
        dims[0] != (hsize_t)n) {
        bad(s, "%s must hold %d fixed-length strings", path, n);
        goto done;
    }
    size_t w = H5Tget_size(t);
    buf = calloc((size_t)n * w + 1, 1);
    out = calloc((size_t)n + 1, sizeof *out);
    if (!buf || !out || H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
        bad(s, "cannot read %s", path);
        free(out);
        out = NULL;
        goto done;
    }
    for (int i = 0; i < n; i++) {
        out[i] = strndup(buf + (size_t)i * w, w);
        if (!out[i]) {
            for (int k = 0; k < i; k++)
                free(out[k]);
            free(out);
            out = NULL;
            bad(s, "out of memory");
            break;
        }
    }
done:
    free(buf);
    if (sp != H5I_INVALID_HID)
        H5Sclose(sp);
    if (t != H5I_INVALID_HID)
        H5Tclose(t);
    H5Dclose(d);
    return out;
}

static void sfile_close(sfile *s)
{
    for (int i = 0; s->vnames && i < s->nv; i++)
        free(s->vnames[i]);
    free(s->vnames);
    for (int i = 0; s->setpaths && i < s->nset; i++)
        free(s->setpaths[i]);
    free(s->setpaths);
    for (int i = 0; s->setvals && i < s->nset * s->nv; i++)
        free(s->setvals[i]);
    free(s->setvals);
    for (int m = 0; m < s->nm; m++) {
        free(s->mname[m]);
        free(s->munits[m]);
        for (int p = 0; p < 4; p++) {
            free(s->st[m][p]);
            free(s->pd[m][p]);
        }
    }
    if (s->f != H5I_INVALID_HID)
        H5Fclose(s->f);
    s->f = H5I_INVALID_HID;
}

typedef struct names {
    char *v[512];
    int n;
} names;

static herr_t collect(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    (void)g;
    (void)info;
    names *nm = data;
    if (nm->n < 512)
        nm->v[nm->n++] = strdup(name);
    return 0;
}

/* The members of group path, in creation order (or by name). */
static int list_group(sfile *s, const char *path, names *out)
{
    out->n = 0;
    hid_t g = H5Gopen2(s->f, path, H5P_DEFAULT);
    if (g == H5I_INVALID_HID)
        return bad(s, "no group %s (not a complete sweep file?)", path);
    hsize_t idx = 0;
    herr_t r = H5Literate(g, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, collect, out);
    if (r < 0) {
        H5Eclear2(H5E_DEFAULT);
        for (int i = 0; i < out->n; i++)
            free(out->v[i]);
        out->n = 0;
        idx = 0;
        r = H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, collect, out);
    }
    H5Gclose(g);
    for (int i = 0; i < out->n; i++)
        if (!out->v[i])
            r = -1;
    if (r < 0) {
        for (int i = 0; i < out->n; i++)
            free(out->v[i]);
        out->n = 0;
        return bad(s, "cannot list %s", path);
    }
    return 0;
}

static int sfile_open(sfile *s, const char *path, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->path = path;
    s->err = err;
    s->errlen = errlen;
    s->f = H5I_INVALID_HID;
    (void)H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    htri_t is = H5Fis_hdf5(path);
    if (is <= 0)
        return bad(s, "cannot open: not an HDF5 file or not readable");
    s->f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (s->f == H5I_INVALID_HID)
        return bad(s, "cannot open");
    char kind[32] = "";
    if (attr_string(s->f, "kind", kind, sizeof kind) || strcmp(kind, "sweep"))
        return bad(s, "not a sweep file (no root attribute kind = \"sweep\")");
    if (attr_string(s->f, "sweep", s->name, sizeof s->name) ||
        attr_string(s->f, "reference", s->reference, sizeof s->reference) ||
        attr_string(s->f, "base", s->base, sizeof s->base) ||
        attr_num(s->f, "variants", H5T_NATIVE_INT, &s->nv) ||
        attr_num(s->f, "replications", H5T_NATIVE_INT, &s->nr) ||
        attr_num(s->f, "reference_index", H5T_NATIVE_INT, &s->ref) ||
        attr_num(s->f, "seed", H5T_NATIVE_UINT64, &s->seed) || attr_num(s->f, "t975", H5T_NATIVE_DOUBLE, &s->t975) ||
        attr_num(s->f, "slo_max_wait_s", H5T_NATIVE_DOUBLE, &s->slo_s))
        return bad(s, "a root attribute of the sweep file is missing or unreadable");
    if (s->nv < 1 || s->nv > 100000 || s->nr < 1 || s->ref < 0 || s->ref >= s->nv)
        return bad(s, "variants, replications or reference_index out of range");
    if (!(s->vnames = read_strs(s, "/variants/name", s->nv)))
        return -1;
    names nm;
    if (list_group(s, "/variants/settings", &nm))
        return -1;
    s->nset = nm.n;
    s->setpaths = calloc((size_t)nm.n + 1, sizeof *s->setpaths);
    s->setvals = calloc((size_t)nm.n * (size_t)s->nv + 1, sizeof *s->setvals);
    int rc = s->setpaths && s->setvals ? 0 : bad(s, "out of memory");
    for (int j = 0; j < nm.n; j++) {
        if (!rc) {
            char p[1200];
            snprintf(p, sizeof p, "/variants/settings/%s", nm.v[j]);
            char **col = read_strs(s, p, s->nv);
            if (!col)
                rc = -1;
            else {
                for (int i = 0; i < s->nv; i++)
                    s->setvals[(size_t)j * (size_t)s->nv + (size_t)i] = col[i];
                free(col);
            }
        }
        s->setpaths[j] = nm.v[j];
    }
    if (rc)
        return -1;
    if (list_group(s, "/statistics", &nm))
        return -1;
    for (int i = 0; i < nm.n; i++) {
        if (s->nm >= MAXM || rc) {
            free(nm.v[i]);
            continue;
        }
        int m = s->nm++;
        s->mname[m] = nm.v[i];
        char p[600], units[64] = "";
        snprintf(p, sizeof p, "/statistics/%s", nm.v[i]);
        hid_t g = H5Gopen2(s->f, p, H5P_DEFAULT);
        if (g == H5I_INVALID_HID) {
            rc = bad(s, "cannot open %s", p);
            continue;
        }
        attr_string(g, "units", units, sizeof units);
        if (attr_num(g, "headline", H5T_NATIVE_INT, &s->headline[m]))
            s->headline[m] = 0;
        H5Gclose(g);
        s->munits[m] = strdup(units);
        static const char *const part[] = {"mean", "sd", "ci95_low", "ci95_high"};
        for (int q = 0; q < 4 && !rc; q++) {
            snprintf(p, sizeof p, "/statistics/%s/%s", nm.v[i], part[q]);
            if (!(s->st[m][q] = read_f64(s, p, s->nv)))
                rc = -1;
            snprintf(p, sizeof p, "/paired/%s/%s", nm.v[i], part[q]);
            if (!rc && !(s->pd[m][q] = read_f64(s, p, s->nv)))
                rc = -1;
        }
    }
    return rc;
}

int sweepreport_is_sweep(const char *path)
{
    (void)H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (H5Fis_hdf5(path) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return 0;
    }
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f == H5I_INVALID_HID) {
        H5Eclear2(H5E_DEFAULT);
        return 0;
    }
    char kind[32] = "";
    int is = attr_string(f, "kind", kind, sizeof kind) == 0 && !strcmp(kind, "sweep");
    H5Fclose(f);
    H5Eclear2(H5E_DEFAULT);
    return is;
}

/* A number for a table: "n/a" for NaN. */
static const char *num(double x, char *buf, size_t len)
{
    if (isnan(x))
        snprintf(buf, len, "n/a");
    else if (x != 0 && (fabs(x) >= 1e7 || fabs(x) < 1e-3))
        snprintf(buf, len, "%.4g", x);
    else
        snprintf(buf, len, "%.2f", x);
    return buf;
}

static const char *interval(double lo, double hi, char *buf, size_t len)
{
    char a[32], b[32];
    if (isnan(lo) || isnan(hi))
        snprintf(buf, len, "n/a");
    else
        snprintf(buf, len, "[%s, %s]", num(lo, a, sizeof a), num(hi, b, sizeof b));
    return buf;
}

static void print_text(const sfile *s, FILE *out)
{
    int w = 8;
    for (int v = 0; v < s->nv; v++)
        if ((int)strlen(s->vnames[v]) > w)
            w = (int)strlen(s->vnames[v]);
    if (w > 40)
        w = 40;
    fprintf(out, "sweep %s: %d variant(s) x %d replication(s), seeds %llu..%llu (common to every variant)\n",
            s->name, s->nv, s->nr, (unsigned long long)s->seed, (unsigned long long)(s->seed + (uint64_t)s->nr - 1));
    fprintf(out, "base scenario: %s\n", s->base);
    if (s->nr > 1)
        fprintf(out, "95%% confidence intervals: mean +- t(0.975, %d) sd / sqrt(%d), t = %.4f\n", s->nr - 1, s->nr,
                s->t975);
    else
        fprintf(out, "one replication: standard deviations and intervals are undefined (n/a)\n");
    fprintf(out, "paired differences: variant - %s, replication by replication (same seeds)\n", s->reference);
    fprintf(out, "SLO: a job violates it when it waits longer than %g s\n\nvariants:\n", s->slo_s);
    for (int v = 0; v < s->nv; v++) {
        fprintf(out, "  %3d  %-*s", v, w, s->vnames[v]);
        for (int j = 0; j < s->nset; j++) {
            const char *val = s->setvals[(size_t)j * (size_t)s->nv + (size_t)v];
            if (*val)
                fprintf(out, "  %s=%s", s->setpaths[j], val);
        }
        fprintf(out, "%s\n", v == s->ref ? "  (reference)" : "");
    }
    for (int m = 0; m < s->nm; m++) {
        if (!s->headline[m])
            continue;
        fprintf(out, "\n%s (%s)\n", s->mname[m], s->munits[m]);
        fprintf(out, "  %-*s %14s %12s %30s %14s %30s\n", w, "variant", "mean", "sd", "95% CI", "- reference",
                "95% CI of the difference");
        for (int v = 0; v < s->nv; v++) {
            char a[32], b[32], c[80], d[32], e[80];
            fprintf(out, "  %-*.*s %14s %12s %30s", w, w, s->vnames[v], num(s->st[m][0][v], a, sizeof a),
                    num(s->st[m][1][v], b, sizeof b), interval(s->st[m][2][v], s->st[m][3][v], c, sizeof c));
            if (v == s->ref)
                fprintf(out, " %14s %30s\n", "0", "(reference)");
            else
                fprintf(out, " %14s %30s\n", num(s->pd[m][0][v], d, sizeof d),
                        interval(s->pd[m][2][v], s->pd[m][3][v], e, sizeof e));
        }
    }
}

static void print_kv(const sfile *s, FILE *out)
{
    for (int v = 0; v < s->nv; v++)
        for (int m = 0; m < s->nm; m++)
            fprintf(out,
                    "variant=%s metric=%s mean=%.17g sd=%.17g ci95_low=%.17g ci95_high=%.17g diff=%.17g "
                    "diff_ci95_low=%.17g diff_ci95_high=%.17g\n",
                    s->vnames[v], s->mname[m], s->st[m][0][v], s->st[m][1][v], s->st[m][2][v], s->st[m][3][v],
                    s->pd[m][0][v], s->pd[m][2][v], s->pd[m][3][v]);
}

int sweepreport_print(const char *path, const char *format, FILE *out, char *err, size_t errlen)
{
    sfile s;
    int rc = sfile_open(&s, path, err, errlen);
    if (!rc) {
        if (!strcmp(format, "kv"))
            print_kv(&s, out);
        else
            print_text(&s, out);
    }
    sfile_close(&s);
    return rc;
}

int sweepreport_compare(const char *a, const char *b, FILE *out, char *err, size_t errlen)
{
    sfile x, y;
    int rc = sfile_open(&x, a, err, errlen);
    if (rc) {
        sfile_close(&x);
        return rc;
    }
    rc = sfile_open(&y, b, err, errlen);
    if (rc) {
        sfile_close(&x);
        sfile_close(&y);
        return rc;
    }
    fprintf(out, "compare sweeps: A = %s (%s, %d replications), B = %s (%s, %d replications)\n", a, x.name, x.nr, b,
            y.name, y.nr);
    int common = 0;
    for (int m = 0; m < x.nm; m++) {
        int my = -1;
        for (int k = 0; k < y.nm; k++)
            if (!strcmp(x.mname[m], y.mname[k]))
                my = k;
        if (!x.headline[m] || my < 0)
            continue;
        fprintf(out, "\n%s (%s)\n  %-30s %14s %14s %14s\n", x.mname[m], x.munits[m], "variant", "mean A", "mean B",
                "B - A");
        for (int v = 0; v < x.nv; v++)
            for (int u = 0; u < y.nv; u++)
                if (!strcmp(x.vnames[v], y.vnames[u])) {
                    char p[32], q[32], r[32];
                    fprintf(out, "  %-30.30s %14s %14s %14s\n", x.vnames[v], num(x.st[m][0][v], p, sizeof p),
                            num(y.st[my][0][u], q, sizeof q), num(y.st[my][0][u] - x.st[m][0][v], r, sizeof r));
                    common++;
                }
    }
    if (!common)
        fprintf(out, "(no variant name is in both files)\n");
    sfile_close(&x);
    sfile_close(&y);
    return 0;
}
