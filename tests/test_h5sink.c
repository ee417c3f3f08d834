/* test_h5sink.c - tests of output/h5sink.c: writes result files and reads them back with the HDF5 C API. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "../output/h5sink.h"
#include "check.h"

/* No HDF5 object (file, group, dataset, type, space, attribute) left open. */
static void check_no_open_handles(void)
{
    CHECK_INT(H5Fget_obj_count((hid_t)H5F_OBJ_ALL, H5F_OBJ_ALL), 0);
}

void test_h5sink_roundtrip(void);
void test_h5sink_discard(void);
void test_h5sink_discard_keeps_old(void);
void test_h5sink_free_open_discards(void);
void test_h5sink_commit_replaces_old(void);
void test_h5sink_close_fail_keeps_old(void);
void test_h5sink_bad_dir(void);
void test_h5sink_bad_layout(void);
void test_h5sink_no_jobs(void);
void test_h5sink_step_order(void);
void test_h5sink_start_offset(void);
void test_h5sink_empty_run(void);

/* ---- a layout of 2 sites, 3 pools, 3 site vars, 2 pool vars ---------- */

static const char *const site_names[] = {"us-east", "eu-north"};
static const char *const pool_names[] = {"trn2", "gpu", "inf2"};
static const int pool_site[] = {0, 0, 1};
static const sink_var site_vars[] = {
    {"it_power_kw", "kW", "mean IT power over the step"},
    {"energy_kwh", "kWh", "facility energy drawn from the grid in the step"},
    {"pue", "1", "power usage effectiveness of the step"},
};
static const sink_var pool_vars[] = {
    {"power_kw", "kW", "mean power of the pool over the step"},
    {"busy_nodes", "1", "mean number of busy nodes over the step"},
};
static const char *const workload_names[] = {"pretrain", "chat bot"};
static const char *const kind_names[] = {"training", "inference"};

static sink_layout test_layout(void)
{
    sink_layout L = {0};
    L.software = "dcsim";
    L.version = "0.1.0";
    L.scenario = "two-region-mix";
    L.config_text = "name = \"two-region-mix\";\nseed = 7;\n";
    L.start_iso = "2026-01-01T00:00:00Z";
    L.seed = 7;
    L.step_s = 3600.0;
    L.nsites = 2;
    L.site_names = site_names;
    L.npools = 3;
    L.pool_names = pool_names;
    L.pool_site = pool_site;
    L.nsite_vars = 3;
    L.site_vars = site_vars;
    L.npool_vars = 2;
    L.pool_vars = pool_vars;
    L.nworkloads = 2;
    L.workload_names = workload_names;
    L.nkinds = 2;
    L.kind_names = kind_names;
    L.write_jobs = 1;
    return L;
}

/* Values a person can recompute: site s, var v, step i. */
static double site_val(int s, int v, long i) { return s * 1e6 + v * 1e5 + (double)i * 0.5; }
static double pool_val(int p, int v, long i) { return p * 1e6 + v * 1e5 + (double)i * 0.25 + 7; }

static sink_job job_row(long i)
{
    sink_job j;
    memset(&j, 0, sizeof j);
    int placed = i % 5 != 4;
    j.id = (uint64_t)i;
    j.workload = (int32_t)(i % 2);
    j.kind = (int32_t)((i / 2) % 2);
    j.site = placed ? (int32_t)(i % 2) : -1;
    j.pool = !placed ? -1 : i % 2 ? 2 : (int32_t)((i / 2) % 2);
    j.nodes = (int32_t)(1 + i % 16);
    j.completed = (int8_t)(i % 7 != 0);
    j.submit_s = (double)i * 10.0;
    j.start_s = (double)i * 10.0 + 2.5;
    j.end_s = (double)i * 10.0 + 3602.5;
    j.energy_kwh = (double)(i % 100) * 0.12;
    j.emissions_kg = (double)(i % 100) * 0.048;
    j.cost_usd = (double)i * 0.001;
    j.home_site = j.site;
    j.deadline_met = -1;
    return j;
}

static const sink_attr summary[] = {
    {{"energy_mwh", "MWh", "facility energy"}, 12.5},
    {{"emissions_t", "t CO2e", "location-based emissions"}, 5.0},
    {{"water_m3", "m3", "water"}, 3.25},
    {{"jobs_completed", "1", "jobs completed"}, 150000},
};

/* [3 pools][2 attrs] */
static const sink_attr pool_attrs[] = {
    {{"mean_utilization", "1", "mean busy share"}, 0.25},
    {{"node_count", "1", "nodes"}, 512},
    {{"mean_utilization", "1", "mean busy share"}, 0.5},
    {{"node_count", "1", "nodes"}, 128},
    {{"mean_utilization", "1", "mean busy share"}, 0.75},
    {{"node_count", "1", "nodes"}, 64},
};

/* ---- helpers ------------------------------------------------------------ */

static void scratch_path(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", check_tmpdir(), name);
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Number of entries of dir whose name starts with prefix. */
static int count_prefix(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d));)
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            n++;
    closedir(d);
    return n;
}

/* Whole file into a new buffer (caller frees); NULL if unreadable. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 16);
    size_t n = buf ? fread(buf, 1, 1 << 16, f) : 0;
    fclose(f);
    *len = n;
    return buf;
}

static void write_bytes(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* String attribute (variable or fixed length) into buf; "" if absent. */
static void attr_str(hid_t obj, const char *name, char *buf, size_t len)
{
    buf[0] = '\0';
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a == H5I_INVALID_HID)
        return;
    hid_t ft = H5Aget_type(a);
    hid_t mt = H5Tcopy(H5T_C_S1);
    H5Tset_cset(mt, H5Tget_cset(ft));
    if (H5Tis_variable_str(ft) > 0) {
        char *p = NULL;
        H5Tset_size(mt, H5T_VARIABLE);
        if (H5Aread(a, mt, &p) >= 0 && p) {
            snprintf(buf, len, "%s", p);
            H5free_memory(p);
        }
    } else {
        size_t n = H5Tget_size(ft);
        char *tmp = calloc(n + 1, 1);
        H5Tset_size(mt, n + 1);
        if (tmp && H5Aread(a, mt, tmp) >= 0)
            snprintf(buf, len, "%s", tmp);
        free(tmp);
    }
    H5Tclose(mt);
    H5Tclose(ft);
    H5Aclose(a);
}

static double attr_f64(hid_t obj, const char *name)
{
    double v = NAN;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a != H5I_INVALID_HID) {
        if (H5Aread(a, H5T_NATIVE_DOUBLE, &v) < 0)
            v = NAN;
        H5Aclose(a);
    }
    return v;
}

static long long attr_int(hid_t obj, const char *name)
{
    long long v = -999;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a != H5I_INVALID_HID) {
        if (H5Aread(a, H5T_NATIVE_LLONG, &v) < 0)
            v = -999;
        H5Aclose(a);
    }
    return v;
}

/* Reads a whole 1-D dataset as mtype into a new buffer of *n elements. */
static void *read_all(hid_t f, const char *path, hid_t mtype, size_t size, hsize_t *n)
{
    *n = 0;
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
    if (d == H5I_INVALID_HID)
        return NULL;
    hid_t sp = H5Dget_space(d);
    hsize_t dim = 0;
    void *buf = NULL;
    if (H5Sget_simple_extent_ndims(sp) == 1 && H5Sget_simple_extent_dims(sp, &dim, NULL) == 1) {
        buf = malloc(dim ? dim * size : 1);
        if (buf && H5Dread(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
            free(buf);
            buf = NULL;
        } else {
            *n = dim;
        }
    }
    H5Sclose(sp);
    H5Dclose(d);
    return buf;
}

/* Writes the test layout with nsteps steps and njobs rows and commits. */
static int write_file(const char *path, const h5sink_options *o, long nsteps, long njobs)
{
    sink_layout L = test_layout();
    sink *s = h5sink_alloc(path, o);
    CHECK(s != NULL);
    if (!s)
        return -1;
    int r = s->ops->open(s->state, &L);
    CHECK_INT(r, 0);
    if (r) {
        fprintf(stderr, "  open: %s\n", s->ops->errmsg(s->state));
        h5sink_free(s);
        return -1;
    }
    double sv[6], pv[6];
    for (long i = 0; i < nsteps && r == 0; i++) {
        for (int a = 0; a < 2; a++)
            for (int v = 0; v < 3; v++)
                sv[a * 3 + v] = site_val(a, v, i);
        for (int p = 0; p < 3; p++)
            for (int v = 0; v < 2; v++)
                pv[p * 2 + v] = pool_val(p, v, i);
        r = s->ops->step(s->state, (double)i * 3600.0, sv, pv);
    }
    for (long i = 0; i < njobs && r == 0; i++) {
        sink_job j = job_row(i);
        r = s->ops->job(s->state, &j);
    }
    CHECK_INT(r, 0);
    if (r == 0)
        r = s->ops->close(s->state, 1, summary, 4, pool_attrs, 2);
    CHECK_INT(r, 0);
    if (r)
        fprintf(stderr, "  %s\n", s->ops->errmsg(s->state));
    h5sink_free(s);
    return r;
}

/* ---- tests -------------------------------------------------------------- */

static void check_series(hid_t f, hid_t time, const char *path, const sink_var *var, long nsteps,
                         int isite, int ipool, int v)
{
    hsize_t n;
    double *x = read_all(f, path, H5T_NATIVE_DOUBLE, sizeof(double), &n);
    CHECK(x != NULL);
    CHECK_INT(n, nsteps);
    long bad = 0;
    for (long i = 0; x && i < (long)n; i++) {
        double want = isite >= 0 ? site_val(isite, v, i) : pool_val(ipool, v, i);
        if (x[i] != want && bad++ == 0)
            CHECK_NEAR(x[i], want, 0, 0);
    }
    CHECK_INT(bad, 0);
    free(x);
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
    CHECK(d != H5I_INVALID_HID);
    char buf[256];
    attr_str(d, "units", buf, sizeof buf);
    CHECK_STR(buf, var->units);
    attr_str(d, "long_name", buf, sizeof buf);
    CHECK_STR(buf, var->long_name);
    CHECK_INT(H5DSis_attached(d, time, 0), 1);
    H5Dclose(d);
}

void test_h5sink_roundtrip(void)
{
    char path[512];
    scratch_path(path, sizeof path, "roundtrip.h5");
    h5sink_options o;
    h5sink_default_options(&o);
    o.series_chunk = 1024; /* 10,000 steps: 9 full chunks and a partial one */
    o.jobs_chunk = 4096;   /* 150,000 rows: 36 full chunks and a partial one */
    const long nsteps = 10000, njobs = 150000;
    if (write_file(path, &o, nsteps, njobs) != 0)
        return;
    CHECK_INT(count_prefix(check_tmpdir(), "roundtrip.h5.tmp"), 0);

    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    CHECK(f != H5I_INVALID_HID);
    if (f == H5I_INVALID_HID)
        return;
    char buf[512];
    attr_str(f, "software", buf, sizeof buf);
    CHECK_STR(buf, "dcsim");
    attr_str(f, "version", buf, sizeof buf);
    CHECK_STR(buf, "0.1.0");
    attr_str(f, "scenario", buf, sizeof buf);
    CHECK_STR(buf, "two-region-mix");
    attr_str(f, "start", buf, sizeof buf);
    CHECK_STR(buf, "2026-01-01T00:00:00Z");
    attr_str(f, "Conventions", buf, sizeof buf);
    CHECK_STR(buf, "CF-1.8");
    CHECK_INT(attr_int(f, "seed"), 7);
    CHECK_INT(attr_int(f, "layout_version"), 1);
    CHECK_NEAR(attr_f64(f, "step_s"), 3600.0, 0, 0);

    /* /config */
    hid_t d = H5Dopen2(f, "/config", H5P_DEFAULT);
    CHECK(d != H5I_INVALID_HID);
    if (d != H5I_INVALID_HID) {
        /* a fixed-length UTF-8 string as long as the text */
        hid_t t = H5Dget_type(d);
        size_t n = H5Tget_size(t);
        CHECK_INT(H5Tis_variable_str(t), 0);
        CHECK_INT(H5Tget_cset(t), H5T_CSET_UTF8);
        hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, n + 1);
        H5Tset_cset(mt, H5T_CSET_UTF8);
        char *text = calloc(n + 1, 1);
        CHECK(H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, text) >= 0);
        CHECK_STR(text, "name = \"two-region-mix\";\nseed = 7;\n");
        free(text);
        H5Tclose(mt);
        H5Tclose(t);
        H5Dclose(d);
    }

    /* /time: a dimension scale with CF attributes */
    hsize_t n;
    double *t = read_all(f, "/time", H5T_NATIVE_DOUBLE, sizeof(double), &n);
    CHECK_INT(n, nsteps);
    if (t) {
        CHECK_NEAR(t[0], 0, 0, 0);
        CHECK_NEAR(t[1023], 1023 * 3600.0, 0, 0);
        CHECK_NEAR(t[1024], 1024 * 3600.0, 0, 0);
        CHECK_NEAR(t[nsteps - 1], (nsteps - 1) * 3600.0, 0, 0);
    }
    free(t);
    hid_t time = H5Dopen2(f, "/time", H5P_DEFAULT);
    CHECK(time != H5I_INVALID_HID);
    CHECK_INT(H5DSis_scale(time), 1);
    attr_str(time, "units", buf, sizeof buf);
    CHECK_STR(buf, "seconds since 2026-01-01 00:00:00");
    attr_str(time, "calendar", buf, sizeof buf);
    CHECK_STR(buf, "standard");
    attr_str(time, "axis", buf, sizeof buf);
    CHECK_STR(buf, "T");
    attr_str(time, "long_name", buf, sizeof buf);
    CHECK(buf[0] != '\0');
    ssize_t ln = H5DSget_scale_name(time, buf, sizeof buf);
    CHECK(ln > 0);
    CHECK_STR(buf, "time");

    /* chunking and compression as asked */
    d = H5Dopen2(f, "/sites/us-east/pue", H5P_DEFAULT);
    hid_t dcpl = H5Dget_create_plist(d);
    hsize_t chunk = 0;
    CHECK_INT(H5Pget_chunk(dcpl, 1, &chunk), 1);
    CHECK_INT(chunk, 1024);
    CHECK_INT(H5Pget_filter_by_id2(dcpl, H5Z_FILTER_DEFLATE, NULL, NULL, NULL, 0, NULL, NULL), 0);
    H5Pclose(dcpl);
    H5Dclose(d);

    /* every series: values, length, units, long_name, attached to /time */
    for (int a = 0; a < 2; a++)
        for (int v = 0; v < 3; v++) {
            snprintf(buf, sizeof buf, "/sites/%s/%s", site_names[a], site_vars[v].name);
            check_series(f, time, buf, &site_vars[v], nsteps, a, -1, v);
        }
    for (int p = 0; p < 3; p++)
        for (int v = 0; v < 2; v++) {
            snprintf(buf, sizeof buf, "/sites/%s/pools/%s/%s", site_names[pool_site[p]],
                     pool_names[p], pool_vars[v].name);
            check_series(f, time, buf, &pool_vars[v], nsteps, -1, p, v);
        }
    /* /time is linked into each site and pool group (for netCDF readers) */
    t = read_all(f, "/sites/eu-north/time", H5T_NATIVE_DOUBLE, sizeof(double), &n);
    CHECK_INT(n, nsteps);
    free(t);
    t = read_all(f, "/sites/eu-north/pools/inf2/time", H5T_NATIVE_DOUBLE, sizeof(double), &n);
    CHECK_INT(n, nsteps);
    free(t);
    H5Dclose(time);

    /* /jobs */
    hid_t g = H5Gopen2(f, "/jobs", H5P_DEFAULT);
    CHECK_INT(attr_int(g, "written"), 1);
    H5Gclose(g);
    uint64_t *id = read_all(f, "/jobs/id", H5T_NATIVE_UINT64, 8, &n);
    CHECK_INT(n, njobs);
    int32_t *pool = read_all(f, "/jobs/pool", H5T_NATIVE_INT32, 4, &n);
    CHECK_INT(n, njobs);
    int32_t *site = read_all(f, "/jobs/site", H5T_NATIVE_INT32, 4, &n);
    CHECK_INT(n, njobs);
    int8_t *done = read_all(f, "/jobs/completed", H5T_NATIVE_INT8, 1, &n);
    CHECK_INT(n, njobs);
    double *end = read_all(f, "/jobs/end_s", H5T_NATIVE_DOUBLE, 8, &n);
    CHECK_INT(n, njobs);
    double *energy = read_all(f, "/jobs/energy_kwh", H5T_NATIVE_DOUBLE, 8, &n);
    CHECK_INT(n, njobs);
    long bad = 0;
    for (long i = 0; id && pool && site && done && end && energy && i < njobs; i++) {
        sink_job j = job_row(i);
        if (id[i] != j.id || pool[i] != j.pool || site[i] != j.site || done[i] != j.completed ||
            end[i] != j.end_s || energy[i] != j.energy_kwh) {
            if (bad++ == 0)
                fprintf(stderr, "  job row %ld differs\n", i);
        }
    }
    CHECK_INT(bad, 0);
    if (site)
        CHECK_INT(site[4], -1);
    free(id);
    free(pool);
    free(site);
    free(done);
    free(end);
    free(energy);
    static const char *const cols[] = {"id", "workload", "kind", "site", "pool", "nodes",
                                       "completed", "submit_s", "start_s", "end_s",
                                       "energy_kwh", "emissions_kg", "cost_usd"};
    hid_t jid = H5Dopen2(f, "/jobs/id", H5P_DEFAULT);
    CHECK_INT(H5DSis_scale(jid), 1);
    for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
        snprintf(buf, sizeof buf, "/jobs/%s", cols[c]);
        d = H5Dopen2(f, buf, H5P_DEFAULT);
        CHECK(d != H5I_INVALID_HID);
        attr_str(d, "units", buf, sizeof buf);
        CHECK(buf[0] != '\0');
        attr_str(d, "long_name", buf, sizeof buf);
        CHECK(buf[0] != '\0');
        if (c > 0)
            CHECK_INT(H5DSis_attached(d, jid, 0), 1);
        H5Dclose(d);
    }
    H5Dclose(jid);
    d = H5Dopen2(f, "/jobs/end_s", H5P_DEFAULT);
    attr_str(d, "units", buf, sizeof buf);
    CHECK_STR(buf, "s");
    H5Dclose(d);
    d = H5Dopen2(f, "/jobs/workload", H5P_DEFAULT);
    attr_str(d, "flag_meanings", buf, sizeof buf);
    CHECK_STR(buf, "pretrain chat_bot");
    H5Dclose(d);
    d = H5Dopen2(f, "/jobs/site", H5P_DEFAULT);
    attr_str(d, "flag_meanings", buf, sizeof buf);
    CHECK_STR(buf, "none us-east eu-north");
    H5Dclose(d);
    d = H5Dopen2(f, "/jobs/pool", H5P_DEFAULT);
    attr_str(d, "flag_meanings", buf, sizeof buf);
    CHECK_STR(buf, "none trn2 gpu inf2");
    int32_t fv[4] = {0};
    hid_t a = H5Aopen(d, "flag_values", H5P_DEFAULT);
    CHECK(H5Aread(a, H5T_NATIVE_INT32, fv) >= 0);
    CHECK_INT(fv[0], -1);
    CHECK_INT(fv[1], 0);
    CHECK_INT(fv[3], 2);
    H5Aclose(a);
    H5Dclose(d);

    /* /summary and pool attributes */
    g = H5Gopen2(f, "/summary", H5P_DEFAULT);
    CHECK_NEAR(attr_f64(g, "energy_mwh"), 12.5, 0, 0);
    CHECK_NEAR(attr_f64(g, "emissions_t"), 5.0, 0, 0);
    CHECK_NEAR(attr_f64(g, "water_m3"), 3.25, 0, 0);
    CHECK_NEAR(attr_f64(g, "jobs_completed"), 150000, 0, 0);
    H5Gclose(g);
    g = H5Gopen2(f, "/sites/us-east/pools/gpu", H5P_DEFAULT);
    CHECK_NEAR(attr_f64(g, "mean_utilization"), 0.5, 0, 0);
    CHECK_NEAR(attr_f64(g, "node_count"), 128, 0, 0);
    H5Gclose(g);
    g = H5Gopen2(f, "/sites/eu-north/pools/inf2", H5P_DEFAULT);
    CHECK_NEAR(attr_f64(g, "node_count"), 64, 0, 0);
    H5Gclose(g);
    CHECK(H5Fclose(f) >= 0);
    check_no_open_handles();
}

void test_h5sink_discard(void)
{
    char path[512];
    scratch_path(path, sizeof path, "discard.h5");
    sink_layout L = test_layout();
    sink *s = h5sink_alloc(path, NULL);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_INT(s->ops->open(s->state, &L), 0);
    CHECK_INT(count_prefix(check_tmpdir(), "discard.h5.tmp."), 1);
    double sv[6] = {0}, pv[6] = {0};
    CHECK_INT(s->ops->step(s->state, 0.0, sv, pv), 0);
    sink_job j = job_row(1);
    CHECK_INT(s->ops->job(s->state, &j), 0);
    CHECK_INT(s->ops->close(s->state, 0, NULL, 0, NULL, 0), 0);
    CHECK(!file_exists(path));
    CHECK_INT(count_prefix(check_tmpdir(), "discard.h5"), 0);
    h5sink_free(s);
    check_no_open_handles();
}

void test_h5sink_discard_keeps_old(void)
{
    char path[512];
    scratch_path(path, sizeof path, "keep.h5");
    const char *old = "an earlier result\n";
    write_bytes(path, old);
    sink_layout L = test_layout();
    sink *s = h5sink_alloc(path, NULL);
    CHECK_INT(s->ops->open(s->state, &L), 0);
    double sv[6] = {1, 2, 3, 4, 5, 6}, pv[6] = {0};
    for (int i = 0; i < 5000; i++)
        CHECK_INT(s->ops->step(s->state, i * 60.0, sv, pv), 0);
    CHECK_INT(s->ops->close(s->state, 0, NULL, 0, NULL, 0), 0);
    h5sink_free(s);
    size_t n = 0;
    char *got = slurp(path, &n);
    CHECK(got != NULL);
    CHECK_INT(n, strlen(old));
    CHECK(got && memcmp(got, old, strlen(old)) == 0);
    free(got);
    CHECK_INT(count_prefix(check_tmpdir(), "keep.h5.tmp"), 0);
    check_no_open_handles();
}

void test_h5sink_free_open_discards(void)
{
    char path[512];
    scratch_path(path, sizeof path, "freed.h5");
    sink_layout L = test_layout();
    sink *s = h5sink_alloc(path, NULL);
    CHECK_INT(s->ops->open(s->state, &L), 0);
    h5sink_free(s);
    CHECK(!file_exists(path));
    CHECK_INT(count_prefix(check_tmpdir(), "freed.h5"), 0);
    h5sink_free(NULL);
    check_no_open_handles();
}

void test_h5sink_commit_replaces_old(void)
{
    char path[512];
    scratch_path(path, sizeof path, "replace.h5");
    write_bytes(path, "old");
    if (write_file(path, NULL, 3, 2) != 0)
        return;
    CHECK_INT(H5Fis_hdf5(path), 1);
    CHECK_INT(count_prefix(check_tmpdir(), "replace.h5.tmp"), 0);
    check_no_open_handles();
}

void test_h5sink_close_fail_keeps_old(void)
{
    /* `path` is a non-empty directory: the final rename() must fail. */
    char path[512], inner[600];
    scratch_path(path, sizeof path, "isdir.h5");
    CHECK_INT(mkdir(path, 0755), 0);
    snprintf(inner, sizeof inner, "%s/keep.txt", path);
    write_bytes(inner, "x");
    sink_layout L = test_layout();
    sink *s = h5sink_alloc(path, NULL);
    CHECK_INT(s->ops->open(s->state, &L), 0);
    double sv[6] = {0}, pv[6] = {0};
    CHECK_INT(s->ops->step(s->state, 0.0, sv, pv), 0);
    CHECK_INT(s->ops->close(s->state, 1, summary, 4, pool_attrs, 2), -1);
    const char *msg = s->ops->errmsg(s->state);
    CHECK(strstr(msg, "cannot rename") != NULL);
    CHECK(strstr(msg, path) != NULL);
    h5sink_free(s);
    CHECK_INT(count_prefix(check_tmpdir(), "isdir.h5.tmp"), 0);
    CHECK(file_exists(inner));
    check_no_open_handles();
}

void test_h5sink_bad_dir(void)
{
    char path[512];
    scratch_path(path, sizeof path, "no/such/dir/x.h5");
    sink_layout L = test_layout();
    sink *s = h5sink_alloc(path, NULL);
    CHECK_INT(s->ops->open(s->state, &L), -1);
    const char *msg = s->ops->errmsg(s->state);
    CHECK(strncmp(msg, "cannot create ", 14) == 0);
    CHECK(strstr(msg, path) != NULL);
    CHECK(strstr(msg, "No such file or directory") != NULL);
    /* close(0) after a failed open is harmless; close(1) is an error */
    CHECK_INT(s->ops->close(s->state, 0, NULL, 0, NULL, 0), 0);
    CHECK_INT(s->ops->close(s->state, 1, NULL, 0, NULL, 0), -1);
    h5sink_free(s);
    check_no_open_handles();
}

void test_h5sink_bad_layout(void)
{
    char path[512];
    scratch_path(path, sizeof path, "badlayout.h5");
    static const char *const bad_pools[] = {"trn2", "g/pu", "inf2"};
    static const int bad_site[] = {0, 0, 2};
    sink_layout L = test_layout();
    L.pool_names = bad_pools;
    sink *s = h5sink_alloc(path, NULL);
    CHECK_INT(s->ops->open(s->state, &L), -1);
    CHECK(strstr(s->ops->errmsg(s->state), "g/pu") != NULL);
    L = test_layout();
    L.pool_site = bad_site;
    CHECK_INT(s->ops->open(s->state, &L), -1);
    CHECK(strstr(s->ops->errmsg(s->state), "site index 2") != NULL);
    L = test_layout();
    L.start_iso = "2026-13-01T00:00:00Z";
    CHECK_INT(s->ops->open(s->state, &L), -1);
    CHECK(strstr(s->ops->errmsg(s->state), "2026-13-01") != NULL);
    CHECK_INT(count_prefix(check_tmpdir(), "badlayout.h5"), 0);
    /* a job with an index out of range is refused */
    L = test_layout();
    CHECK_INT(s->ops->open(s->state, &L), 0);
    sink_job j = job_row(0);
    j.pool = 3;
    CHECK_INT(s->ops->job(s->state, &j), -1);
    CHECK(strstr(s->ops->errmsg(s->state), "out of range") != NULL);
    CHECK_INT(s->ops->close(s->state, 0, NULL, 0, NULL, 0), 0);
    CHECK_INT(count_prefix(check_tmpdir(), "badlayout.h5"), 0);
    h5sink_free(s);
    check_no_open_handles();
}

void test_h5sink_no_jobs(void)
{
    char path[512];
    scratch_path(path, sizeof path, "nojobs.h5");
    sink_layout L = test_layout();
    L.write_jobs = 0;
    sink *s = h5sink_alloc(path, NULL);
    CHECK_INT(s->ops->open(s->state, &L), 0);
    double sv[6] = {0}, pv[6] = {0};
    CHECK_INT(s->ops->step(s->state, 0.0, sv, pv), 0);
    sink_job j = job_row(0);
    CHECK_INT(s->ops->job(s->state, &j), 0);
    CHECK_INT(s->ops->close(s->state, 1, summary, 4, pool_attrs, 2), 0);
    h5sink_free(s);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    CHECK(f != H5I_INVALID_HID);
    hid_t g = H5Gopen2(f, "/jobs", H5P_DEFAULT);
    CHECK(g != H5I_INVALID_HID);
    CHECK_INT(attr_int(g, "written"), 0);
    H5G_info_t info;
    CHECK(H5Gget_info(g, &info) >= 0);
    CHECK_INT(info.nlinks, 0);
    H5Gclose(g);
    H5Fclose(f);
    check_no_open_handles();
}

void test_h5sink_step_order(void)
{
    char path[512];
    scratch_path(path, sizeof path, "order.h5");
    sink_layout L = test_layout();
    sink *s = h5sink_alloc(path, NULL);
    CHECK_INT(s->ops->open(s->state, &L), 0);
    double sv[6] = {0}, pv[6] = {0};
    CHECK_INT(s->ops->step(s->state, 3600.0, sv, pv), 0);
    CHECK_INT(s->ops->step(s->state, 3600.0, sv, pv), -1);
    CHECK(strstr(s->ops->errmsg(s->state), "not after") != NULL);
    CHECK_INT(s->ops->close(s->state, 0, NULL, 0, NULL, 0), 0);
    h5sink_free(s);
    CHECK_INT(count_prefix(check_tmpdir(), "order.h5"), 0);
    check_no_open_handles();
}

void test_h5sink_start_offset(void)
{
    char path[512];
    scratch_path(path, sizeof path, "offset.h5");
    sink_layout L = test_layout();
    L.start_iso = "2026-01-01T02:30:00+02:00"; /* 00:30 UTC */
    sink *s = h5sink_alloc(path, NULL);
    CHECK_INT(s->ops->open(s->state, &L), 0);
    CHECK_INT(s->ops->close(s->state, 1, NULL, 0, NULL, 0), 0);
    h5sink_free(s);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    char buf[128];
    attr_str(f, "start", buf, sizeof buf);
    CHECK_STR(buf, "2026-01-01T00:30:00Z");
    hid_t d = H5Dopen2(f, "/time", H5P_DEFAULT);
    attr_str(d, "units", buf, sizeof buf);
    CHECK_STR(buf, "seconds since 2026-01-01 00:30:00");
    H5Dclose(d);
    H5Fclose(f);
    check_no_open_handles();
}

void test_h5sink_empty_run(void)
{
    char path[512];
    scratch_path(path, sizeof path, "empty.h5");
    if (write_file(path, NULL, 0, 0) != 0)
        return;
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hsize_t n = 99;
    double *t = read_all(f, "/time", H5T_NATIVE_DOUBLE, 8, &n);
    CHECK_INT(n, 0);
    free(t);
    uint64_t *id = read_all(f, "/jobs/id", H5T_NATIVE_UINT64, 8, &n);
    CHECK_INT(n, 0);
    free(id);
    H5Fclose(f);
    check_no_open_handles();
}
