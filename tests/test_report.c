/* test_report.c - tests of analysis/report.c on files written by output/h5sink.c and on broken files. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "../analysis/report.h"
#include "../output/h5sink.h"
#include "check.h"

/* No HDF5 object (file, group, dataset, type, space, attribute) left open. */
static void check_no_open_handles(void)
{
    CHECK_INT(H5Fget_obj_count((hid_t)H5F_OBJ_ALL, H5F_OBJ_ALL), 0);
}

void test_report_text(void);
void test_report_kv(void);
void test_report_csv(void);
void test_report_not_hdf5(void);
void test_report_missing(void);
void test_report_not_dcsim(void);
void test_report_bad_version(void);
void test_report_truncated(void);

/* A small run a person can check: us-east draws 125 kW of facility power
 * for 100 h = 12.5 MWh; at 400 g/kWh that is 5 t CO2e; IT energy 10 MWh,
 * so the energy-weighted PUE is 1.25. Pool trn2: 512 nodes, 25% busy for
 * 1 h = 128 busy node-hours. */
static const char *const r_sites[] = {"us-east", "eu-north"};
static const char *const r_pools[] = {"trn2", "gpu", "inf2"};
static const int r_pool_site[] = {0, 0, 1};
static const sink_var r_site_vars[] = {{"energy_kwh", "kWh", "facility energy in the step"}};
static const sink_var r_pool_vars[] = {{"power_kw", "kW", "pool power"}};
static const char *const r_workloads[] = {"pretrain"};
static const char *const r_kinds[] = {"training"};

static const sink_attr r_summary[] = {
    {{"cost_usd", "USD", "cost"}, 1875.5},
    {{"renewable_share", "1", "share of energy from contracts"}, 0.5},
    {{"emissions_t", "t CO2e", "location-based emissions"}, 5.0},
    {{"energy_mwh", "MWh", "facility energy"}, 12.5},
    {{"it_energy_mwh", "MWh", "IT energy"}, 10.0},
    {{"mean_pue", "1", "facility energy / IT energy"}, 1.25},
    {{"jobs_completed", "1", "jobs completed"}, 3},
};
#define R_NSUM ((int)(sizeof r_summary / sizeof r_summary[0]))

static const sink_attr r_pool_attrs[] = {
    {{"mean_utilization", "1", "mean busy share"}, 0.25},
    {{"node_count", "1", "nodes"}, 512},
    {{"busy_node_hours", "h", "busy node-hours"}, 128},
    {{"mean_utilization", "1", "mean busy share"}, 0.5},
    {{"node_count", "1", "nodes"}, 128},
    {{"busy_node_hours", "h", "busy node-hours"}, 64},
    {{"mean_utilization", "1", "mean busy share"}, 0.125},
    {{"node_count", "1", "nodes"}, 64},
    {{"busy_node_hours", "h", "busy node-hours"}, 8},
};

/* Writes the small run to check_tmpdir()/name; returns 0 on success. */
static int make_result(const char *name, char *path, size_t len)
{
    snprintf(path, len, "%s/%s", check_tmpdir(), name);
    sink_layout L = {0};
    L.software = "dcsim";
    L.version = "0.1.0";
    L.scenario = "two regions";
    L.config_text = "name = \"two regions\";";
    L.start_iso = "2026-01-01T00:00:00Z";
    L.seed = 7;
    L.step_s = 3600;
    L.nsites = 2;
    L.site_names = r_sites;
    L.npools = 3;
    L.pool_names = r_pools;
    L.pool_site = r_pool_site;
    L.nsite_vars = 1;
    L.site_vars = r_site_vars;
    L.npool_vars = 1;
    L.pool_vars = r_pool_vars;
    L.nworkloads = 1;
    L.workload_names = r_workloads;
    L.nkinds = 1;
    L.kind_names = r_kinds;
    L.write_jobs = 1;
    sink *s = h5sink_alloc(path, NULL);
    if (!s)
        return -1;
    int r = s->ops->open(s->state, &L);
    static const double energy[3][2] = {{125, 1}, {250.5, 2}, {0.1, 3}};
    const double pool_power[3] = {10, 20, 30};
    for (int i = 0; r == 0 && i < 3; i++)
        r = s->ops->step(s->state, i * 3600.0, energy[i], pool_power);
    for (int i = 0; r == 0 && i < 3; i++) {
        sink_job j = {.id = (uint64_t)(100 + i), .nodes = 4, .completed = 1, .end_s = 3600, .energy_kwh = 1,
                      .emissions_kg = 0.4, .cost_usd = 2};
        r = s->ops->job(s->state, &j);
    }
    if (r == 0)
        r = s->ops->close(s->state, 1, r_summary, R_NSUM, r_pool_attrs, 3);
    if (r)
        fprintf(stderr, "  make_result: %s\n", s->ops->errmsg(s->state));
    h5sink_free(s);
    return r;
}

/* Runs report_print into a new string (caller frees); *rc gets its result. */
static char *report_to_string(const char *path, const char *format, int *rc, char *err,
                              size_t errlen)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (!out)
        return NULL;
    *rc = report_print(path, format, out, err, errlen);
    fclose(out);
    return buf;
}

/* The line of text that contains `key`, copied into line; 0 if none. */
static int line_with(const char *text, const char *key, char *line, size_t len)
{
    const char *p = text ? strstr(text, key) : NULL;
    if (!p)
        return 0;
    while (p > text && p[-1] != '\n')
        p--;
    size_t n = strcspn(p, "\n");
    snprintf(line, len, "%.*s", (int)n, p);
    return 1;
}

void test_report_text(void)
{
    char path[512], err[512];
    if (make_result("text.h5", path, sizeof path) != 0) {
        CHECK(0);
        return;
    }
    int rc = 99;
    char *out = report_to_string(path, "text", &rc, err, sizeof err);
    CHECK_INT(rc, 0);
    CHECK(out != NULL);
    if (!out)
        return;
    char line[256];
    CHECK(line_with(out, "scenario", line, sizeof line));
    CHECK(strstr(line, "two regions") != NULL);
    CHECK(line_with(out, "seed", line, sizeof line));
    CHECK(strstr(line, "7") != NULL);
    CHECK(line_with(out, "start", line, sizeof line));
    CHECK(strstr(line, "2026-01-01T00:00:00Z") != NULL);
    CHECK(line_with(out, "step", line, sizeof line));
    CHECK(strstr(line, "3600 s (1 h)") != NULL);
    CHECK(line_with(out, "grid energy", line, sizeof line));
    CHECK(strstr(line, " 12.5 MWh") != NULL);
    CHECK(line_with(out, "IT energy", line, sizeof line));
    CHECK(strstr(line, " 10 MWh") != NULL);
    CHECK(line_with(out, "  PUE", line, sizeof line));
    CHECK(strstr(line, " 1.25") != NULL);
    CHECK(line_with(out, "emissions, location-based", line, sizeof line));
    CHECK(strstr(line, " 5 t CO2e") != NULL);
    CHECK(line_with(out, "  cost ", line, sizeof line));
    CHECK(strstr(line, " 1875.5 USD") != NULL);
    CHECK(line_with(out, "jobs completed", line, sizeof line));
    CHECK(strstr(line, " 3") != NULL);
    CHECK(line_with(out, "renewable_share", line, sizeof line));
    CHECK(strstr(line, " 0.5") != NULL);
    /* core metrics the file lacks print as n/a, never as 0 */
    CHECK(line_with(out, "facility energy", line, sizeof line));
    CHECK(strstr(line, " n/a") != NULL && strstr(line, "MWh") == NULL);
    CHECK(line_with(out, "emissions, market-based", line, sizeof line));
    CHECK(strstr(line, " n/a") != NULL);
    CHECK(line_with(out, "embodied emissions", line, sizeof line));
    CHECK(strstr(line, " n/a") != NULL);
    CHECK(line_with(out, "WUE", line, sizeof line));
    CHECK(strstr(line, " n/a") != NULL);
    /* fixed order: IT energy, grid energy, PUE, emissions, cost, jobs; others last */
    const char *it = strstr(out, "IT energy"), *e = strstr(out, "grid energy"),
               *pue = strstr(out, "  PUE"), *em = strstr(out, "emissions, location"),
               *co = strstr(out, "  cost "), *jc = strstr(out, "jobs completed"),
               *rs = strstr(out, "renewable_share");
    CHECK(e && it && pue && em && co && jc && rs);
    CHECK(it < e && e < pue && pue < em && em < co && co < jc && jc < rs);
    /* other missing totals are skipped (no "water" total line) */
    CHECK(strstr(out, "\n  water") == NULL);
    CHECK(line_with(out, "us-east/trn2", line, sizeof line));
    CHECK(strstr(line, " 25 ") != NULL);
    CHECK(strstr(line, " 512 ") != NULL);
    CHECK(strstr(line, " 128") != NULL);
    CHECK(line_with(out, "eu-north/inf2", line, sizeof line));
    CHECK(strstr(line, " 12.5 ") != NULL);
    CHECK(strstr(line, " 64 ") != NULL);
    const char *p1 = strstr(out, "us-east/trn2"), *p2 = strstr(out, "us-east/gpu"),
               *p3 = strstr(out, "eu-north/inf2");
    CHECK(p1 && p2 && p3 && p1 < p2 && p2 < p3);
    free(out);
    check_no_open_handles();
}

void test_report_kv(void)
{
    char path[512], err[512];
    if (make_result("kv.h5", path, sizeof path) != 0) {
        CHECK(0);
        return;
    }
    int rc = 99;
    char *out = report_to_string(path, "kv", &rc, err, sizeof err);
    CHECK_INT(rc, 0);
    CHECK(out != NULL);
    if (!out)
        return;
    /* one line */
    CHECK(strchr(out, '\n') == out + strlen(out) - 1);
    static const char *const want[] = {
        "software=dcsim",
        "version=0.1.0",
        "scenario=\"two regions\"",
        "start=2026-01-01T00:00:00Z",
        "seed=7",
        "step_s=3600",
        "layout_version=1",
        "Conventions=CF-1.8",
        "energy_mwh=12.5",
        "emissions_t=5",
        "mean_pue=1.25",
        "cost_usd=1875.5",
        "jobs_completed=3",
        "renewable_share=0.5",
        "pool_us-east_trn2_mean_utilization=0.25",
        "pool_us-east_trn2_node_count=512",
        "pool_us-east_gpu_busy_node_hours=64",
        "pool_eu-north_inf2_mean_utilization=0.125",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        /* a whole token: preceded by the start or a space, followed by a space or the end */
        size_t n = strlen(want[i]);
        const char *p = out;
        int found = 0;
        while ((p = strstr(p, want[i])) != NULL) {
            if ((p == out || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n')) {
                found = 1;
                break;
            }
            p++;
        }
        if (!found)
            fprintf(stderr, "  kv lacks %s in: %s", want[i], out);
        CHECK(found);
    }
    free(out);
    check_no_open_handles();
}

void test_report_csv(void)
{
    char path[512], err[512];
    if (make_result("csv.h5", path, sizeof path) != 0) {
        CHECK(0);
        return;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    CHECK_INT(report_export_csv(path, "/sites/us-east/energy_kwh", out, err, sizeof err), 0);
    fclose(out);
    CHECK_STR(buf, "0,125\n1,250.5\n2,0.10000000000000001\n");
    free(buf);

    out = open_memstream(&buf, &len);
    CHECK_INT(report_export_csv(path, "/jobs/id", out, err, sizeof err), 0);
    fclose(out);
    CHECK_STR(buf, "0,100\n1,101\n2,102\n");
    free(buf);

    out = open_memstream(&buf, &len);
    CHECK_INT(report_export_csv(path, "/sites/nowhere/energy_kwh", out, err, sizeof err), -1);
    CHECK(strstr(err, "no dataset /sites/nowhere/energy_kwh") != NULL);
    CHECK_INT(report_export_csv(path, "/config", out, err, sizeof err), -1);
    CHECK(strstr(err, "not numeric") != NULL);
    fclose(out);
    free(buf);
    check_no_open_handles();
}

void test_report_not_hdf5(void)
{
    char path[512], err[512] = "";
    snprintf(path, sizeof path, "%s/notes.h5", check_tmpdir());
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("this is not HDF5\n", f);
    fclose(f);
    int rc = 99;
    char *out = report_to_string(path, "text", &rc, err, sizeof err);
    CHECK_INT(rc, -1);
    CHECK(strstr(err, path) == err);
    CHECK(strstr(err, "not an HDF5 file") != NULL);
    free(out);
    CHECK_INT(report_export_csv(path, "/time", stdout, err, sizeof err), -1);
    CHECK(strstr(err, "not an HDF5 file") != NULL);
    check_no_open_handles();
}

void test_report_missing(void)
{
    char path[512], err[512] = "";
    snprintf(path, sizeof path, "%s/missing.h5", check_tmpdir());
    int rc = 99;
    char *out = report_to_string(path, "kv", &rc, err, sizeof err);
    CHECK_INT(rc, -1);
    CHECK(strstr(err, path) == err);
    CHECK(strstr(err, "No such file or directory") != NULL);
    free(out);
    out = report_to_string(path, "yaml", &rc, err, sizeof err);
    CHECK_INT(rc, -1);
    CHECK(strstr(err, "unknown format") != NULL);
    free(out);
    check_no_open_handles();
}

/* An HDF5 file with a root attribute layout_version = `version` (none if
 * version < 0) and, if with_summary, an empty /summary group. */
static void make_plain(const char *path, int version, int with_summary)
{
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    CHECK(f != H5I_INVALID_HID);
    if (version >= 0) {
        hid_t sp = H5Screate(H5S_SCALAR);
        hid_t a = H5Acreate2(f, "layout_version", H5T_STD_I32LE, sp, H5P_DEFAULT, H5P_DEFAULT);
        CHECK(H5Awrite(a, H5T_NATIVE_INT, &version) >= 0);
        H5Aclose(a);
        H5Sclose(sp);
    }
    if (with_summary) {
        hid_t g = H5Gcreate2(f, "summary", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        CHECK(g != H5I_INVALID_HID);
        H5Gclose(g);
    }
    CHECK(H5Fclose(f) >= 0);
}

void test_report_not_dcsim(void)
{
    char path[512], err[512] = "";
    snprintf(path, sizeof path, "%s/plain.h5", check_tmpdir());
    make_plain(path, -1, 0);
    int rc = 99;
    char *out = report_to_string(path, "text", &rc, err, sizeof err);
    CHECK_INT(rc, -1);
    char want[600];
    snprintf(want, sizeof want, "%s: not a dcsim result file (no /summary)", path);
    CHECK_STR(err, want);
    free(out);
    /* layout_version 1 and an empty /summary: a valid (if empty) result */
    make_plain(path, 1, 1);
    out = report_to_string(path, "kv", &rc, err, sizeof err);
    CHECK_INT(rc, 0);
    CHECK_STR(out, "layout_version=1\n");
    free(out);
    check_no_open_handles();
}

void test_report_bad_version(void)
{
    char path[512], err[512] = "";
    snprintf(path, sizeof path, "%s/v2.h5", check_tmpdir());
    make_plain(path, 2, 1);
    int rc = 99;
    char *out = report_to_string(path, "text", &rc, err, sizeof err);
    CHECK_INT(rc, -1);
    CHECK(strstr(err, "layout_version 2 is not supported") != NULL);
    free(out);
    check_no_open_handles();
}

void test_report_truncated(void)
{
    char path[512], cut[600], err[512];
    if (make_result("whole.h5", path, sizeof path) != 0) {
        CHECK(0);
        return;
    }
    FILE *in = fopen(path, "rb");
    CHECK(in != NULL);
    if (!in)
        return;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, in);
    fclose(in);
    snprintf(cut, sizeof cut, "%s/cut.h5", check_tmpdir());
    /* several cut points: inside the superblock, the root, the data */
    const size_t cuts[] = {8, 100, 1000, n / 3, n / 2, n - 100};
    for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++) {
        FILE *out = fopen(cut, "wb");
        CHECK(out != NULL);
        if (!out)
            return;
        fwrite(buf, 1, cuts[k] < n ? cuts[k] : n, out);
        fclose(out);
        int rc = 99;
        err[0] = '\0';
        char *text = report_to_string(cut, "text", &rc, err, sizeof err);
        CHECK_INT(rc, -1);
        CHECK(strstr(err, cut) == err);
        free(text);
    }
    check_no_open_handles();
}
