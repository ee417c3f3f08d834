/* test_calibrate.c - unit tests of analysis/calibrate.c: recovery of known
 * curves from synthetic telemetry, hand-checked linear fits, both readers on
 * the fixtures in tests/fixtures/telemetry/ and their error messages. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/calibrate.h"
#include "check.h"
#include "testutil.h"

#define T(name) void name(void);
#include "tests_calibrate.def"
#undef T

#define FIX "tests/fixtures/telemetry/"

/* n samples of P(u) = idle + (max - idle) u^alpha + N(0, sigma), u on a 1 %
 * grid (as nvidia-smi reports it), from a seeded mt19937. */
static calib_sample *synth(size_t n, double idle, double max, double alpha, double sigma, unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    calib_sample *s = malloc(n * sizeof *s);
    for (size_t i = 0; i < n; i++) {
        double u = (double)gsl_rng_uniform_int(r, 101) / 100.0;
        s[i].u = u;
        s[i].p_w = idle + (max - idle) * pow(u, alpha) + gsl_ran_gaussian_ziggurat(r, sigma);
    }
    gsl_rng_free(r);
    return s;
}

void test_calib_recover_synthetic(void)
{
    /* (idle W, max W, alpha, noise sigma W): an A100, a Trainium, a convex and a concave curve */
    static const double cases[][4] = {
        {57.0, 392.0, 1.3, 4.0}, {40.0, 262.0, 0.8, 2.0}, {90.0, 700.0, 2.0, 10.0}, {20.0, 75.0, 0.5, 1.0}};
    char err[512];
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        calib_sample *s = synth(3000, cases[k][0], cases[k][1], cases[k][2], cases[k][3], 1000 + k);
        calib_fit f;
        CHECK_INT(calib_fit_curve(s, 3000, 0.0, &f, err, sizeof err), CALIB_OK);
        CHECK_NEAR(f.idle_w, cases[k][0], 0.02, 0.0);
        CHECK_NEAR(f.max_w, cases[k][1], 0.02, 0.0);
        CHECK_NEAR(f.alpha, cases[k][2], 0.02, 0.0);
        CHECK_NEAR(f.rmse_w, cases[k][3], 0.05, 0.0); /* the residuals are the noise */
        CHECK(f.r2 > 0.99 && f.r2 < 1.0);
        CHECK(f.se_alpha > 0.0 && f.se_alpha < 0.02 * cases[k][2]);
        CHECK(fabs(f.alpha - cases[k][2]) < 4.0 * f.se_alpha); /* the standard error is honest */
        CHECK_INT(f.levels, 101);
        CHECK(!f.alpha_fixed && f.iterations > 0);
        free(s);
    }
    /* no noise: exact */
    calib_sample *s = synth(200, 57.0, 392.0, 1.3, 0.0, 7);
    calib_fit f;
    CHECK_INT(calib_fit_curve(s, 200, 0.0, &f, err, sizeof err), CALIB_OK);
    CHECK_NEAR(f.idle_w, 57.0, 1e-7, 0.0);
    CHECK_NEAR(f.max_w, 392.0, 1e-7, 0.0);
    CHECK_NEAR(f.alpha, 1.3, 1e-7, 0.0);
    CHECK(f.rmse_w < 1e-6);
    free(s);
}

void test_calib_fixed_alpha(void)
{
    /* by hand: u = 0, 0.5, 1 and p = 100, 260, 400; the line through them has
     * slope sum((u - 0.5)(p - 253.33)) / sum((u - 0.5)^2) = 150 / 0.5 = 300 and
     * intercept 253.33 - 150 = 103.33; residuals -3.33, 6.67, -3.33, so
     * RMSE = sqrt(66.67 / 3) = 4.714 W, R^2 = 1 - 66.67 / 45066.67. */
    calib_sample s[3] = {{0.0, 100.0}, {0.5, 260.0}, {1.0, 400.0}};
    calib_fit f;
    char err[512];
    CHECK_INT(calib_fit_curve(s, 3, 1.0, &f, err, sizeof err), CALIB_OK);
    CHECK_NEAR(f.idle_w, 310.0 / 3.0, 1e-12, 0.0);
    CHECK_NEAR(f.max_w, 1210.0 / 3.0, 1e-12, 0.0);
    CHECK_NEAR(f.alpha, 1.0, 0.0, 0.0);
    CHECK_NEAR(f.rmse_w, sqrt(200.0 / 9.0), 1e-12, 0.0);
    CHECK_NEAR(f.r2, 1.0 - (200.0 / 3.0) / (135200.0 / 3.0), 1e-12, 0.0);
    /* se(idle)^2 = s^2 (1/n + ubar^2 / Sxx) = 66.67 (1/3 + 0.25/0.5) = 55.56 */
    CHECK_NEAR(f.se_idle_w, sqrt(200.0 / 3.0 * (1.0 / 3.0 + 0.5)), 1e-10, 0.0);
    CHECK(f.alpha_fixed && f.iterations == 0 && f.se_alpha == 0.0);
    /* alpha 2 on exact quadratic data: x = u^2 is a line */
    calib_sample q[4] = {{0.0, 50.0}, {0.5, 50.0 + 200.0 * 0.25}, {0.8, 50.0 + 200.0 * 0.64}, {1.0, 250.0}};
    CHECK_INT(calib_fit_curve(q, 4, 2.0, &f, err, sizeof err), CALIB_OK);
    CHECK_NEAR(f.idle_w, 50.0, 1e-12, 1e-12);
    CHECK_NEAR(f.max_w, 250.0, 1e-12, 1e-12);
}

void test_calib_refuses(void)
{
    char err[512];
    calib_fit f;
    calib_sample two[4] = {{0.0, 60.0}, {1.0, 390.0}, {0.0, 61.0}, {1.0, 391.0}};
    CHECK_INT(calib_fit_curve(two, 4, 0.0, &f, err, sizeof err), CALIB_EINPUT);
    CHECK_STR(err, "the data cannot determine the curve: 2 distinct utilisation levels in 4 samples; fitting idle, "
                   "max and alpha needs at least 3 (record a run with varied load, or fix the exponent, e.g. "
                   "--alpha 1)");
    CHECK_INT(calib_fit_curve(two, 4, 1.0, &f, err, sizeof err), CALIB_OK);
    CHECK_NEAR(f.idle_w, 60.5, 1e-12, 0.0);
    CHECK_NEAR(f.max_w, 390.5, 1e-12, 0.0);
    calib_sample one[2] = {{0.3, 60.0}, {0.3, 61.0}};
    CHECK_INT(calib_fit_curve(one, 2, 1.0, &f, err, sizeof err), CALIB_EINPUT);
    CHECK_STR(err, "the data cannot determine the curve: 1 distinct utilisation level in 2 samples; a line needs at "
                   "least 2");
    calib_sample three[3] = {{0.0, 60.0}, {0.5, 200.0}, {1.0, 390.0}};
    CHECK_INT(calib_fit_curve(three, 3, 0.0, &f, err, sizeof err), CALIB_EINPUT);
    CHECK_STR(err, "the data cannot determine the curve: 3 samples for 3 parameters");
    CHECK_INT(calib_fit_curve(NULL, 0, 0.0, &f, err, sizeof err), CALIB_EINPUT);
}

void test_calib_nvsmi_fixture(void)
{
    /* an A100 node (8 GPUs) generated with idle 57 W, max 392 W, alpha 1.3, sigma 4 W */
    calib_data d;
    calib_data_init(&d);
    char err[512];
    CHECK_INT(calib_read_nvsmi(FIX "a100-nvidia-smi.csv", NULL, &d, err, sizeof err), CALIB_OK);
    CHECK_INT(d.n, 1437);
    CHECK_INT(d.skipped_na, 3);
    CHECK_INT(d.ndev, 8);
    CHECK_STR(d.first, "2024/05/01 12:00:00.124");
    calib_fit f;
    CHECK_INT(calib_fit_curve(d.s, d.n, 0.0, &f, err, sizeof err), CALIB_OK);
    CHECK_NEAR(f.idle_w, 57.0, 0.02, 0.0);
    CHECK_NEAR(f.max_w, 392.0, 0.02, 0.0);
    CHECK_NEAR(f.alpha, 1.3, 0.02, 0.0);
    CHECK_NEAR(f.rmse_w, 4.0, 0.1, 0.0);
    calib_data_free(&d);
    calib_data_free(NULL);
}

void test_calib_neuron_fixture(void)
{
    /* a trn1.32xlarge (16 devices) generated with idle 40 W, max 262 W, alpha 0.8 at 285 W = 100 % */
    calib_data d;
    calib_data_init(&d);
    char err[512];
    CHECK_INT(calib_read_neuron(FIX "trn1-neuron-monitor.log", FIX "trn1-power.log", 285.0, 20.0, &d, err,
                                sizeof err),
              CALIB_OK);
    /* 20 minutes x 16 devices = 320 records (+16 repeated): 1 NO_DATA, 1 unsteady minute */
    CHECK_INT(d.n, 318);
    CHECK_INT(d.skipped_status, 1);
    CHECK_INT(d.skipped_dup, 16);
    CHECK_INT(d.skipped_unsteady, 1);
    CHECK_INT(d.skipped_nomon, 0);
    CHECK_INT(d.ndev, 16);
    CHECK_STR(d.instance_type, "trn1.32xlarge");
    CHECK_STR(d.first, "2024-05-01T12:00:00Z");
    CHECK_STR(d.last, "2024-05-01T12:20:00Z");
    calib_fit f;
    CHECK_INT(calib_fit_curve(d.s, d.n, 0.0, &f, err, sizeof err), CALIB_OK);
    CHECK_NEAR(f.idle_w, 40.0, 0.02, 0.0);
    CHECK_NEAR(f.max_w, 262.0, 0.02, 0.0);
    CHECK_NEAR(f.alpha, 0.8, 0.02, 0.0);
    calib_data_free(&d);
    /* with no spread limit the unsteady minute (10 % / 90 % swings) is kept */
    calib_data_init(&d);
    CHECK_INT(calib_read_neuron(FIX "trn1-neuron-monitor.log", FIX "trn1-power.log", 285.0, 100.0, &d, err,
                                sizeof err),
              CALIB_OK);
    CHECK_INT(d.n, 319);
    calib_data_free(&d);
}

/* reads text as an nvidia-smi log; returns the status, err and d filled */
static int nv(const char *text, const char *cols, calib_data *d, char *err, size_t errlen, char *path, size_t plen)
{
    const char *p = test_write("calib.csv", text);
    snprintf(path, plen, "%s", p);
    calib_data_free(d);
    return calib_read_nvsmi(p, cols, d, err, errlen);
}

void test_calib_nvsmi_variants(void)
{
    calib_data d;
    calib_data_init(&d);
    char err[512], path[512];
    /* the documented query, header with units, units in the cells */
    CHECK_INT(nv("timestamp, utilization.gpu [%], power.draw [W]\n"
                 "2024/05/01 12:00:00.123, 87 %, 312.45 W\n"
                 "2024/05/01 12:00:01.123, 0 %, 55.00 W\n",
                 NULL, &d, err, sizeof err, path, sizeof path),
              CALIB_OK);
    CHECK_INT(d.n, 2);
    CHECK_NEAR(d.s[0].u, 0.87, 1e-15, 0.0);
    CHECK_NEAR(d.s[0].p_w, 312.45, 1e-15, 0.0);
    CHECK_INT(d.ndev, -1); /* no device column: --devices-per-node is needed */
    CHECK_STR(d.last, "2024/05/01 12:00:01.123");
    /* noheader,nounits with an index: guessed from 4 fields */
    CHECK_INT(nv("2024/05/01 12:00:00.123, 0, 87, 312.45\n2024/05/01 12:00:00.124, 1, 85, 300.1\n"
                 "2024/05/01 12:00:05.123, 0, 10, [N/A]\n",
                 NULL, &d, err, sizeof err, path, sizeof path),
              CALIB_OK);
    CHECK_INT(d.n, 2);
    CHECK_INT(d.ndev, 2);
    CHECK_INT(d.skipped_na, 1);
    /* pci.bus_id, extra columns, power.draw.average preferred, repeated header, [Not Supported] */
    CHECK_INT(nv("timestamp, name, pci.bus_id, utilization.gpu [%], power.draw [W], power.draw.average [W]\n"
                 "2024/05/01 12:00:00.1, NVIDIA A100-SXM4-40GB, 00000000:07:00.0, 50 %, 999.00 W, 200.00 W\n"
                 "timestamp, name, pci.bus_id, utilization.gpu [%], power.draw [W], power.draw.average [W]\n"
                 "2024/05/01 12:00:00.2, NVIDIA A100-SXM4-40GB, 00000000:0F:00.0, [Not Supported], 1.00 W, 1.00 W\n"
                 "\n",
                 NULL, &d, err, sizeof err, path, sizeof path),
              CALIB_OK);
    CHECK_INT(d.n, 1);
    CHECK_NEAR(d.s[0].p_w, 200.0, 0.0, 0.0);
    CHECK_INT(d.ndev, 2);
    CHECK_INT(d.skipped_na, 1);
    /* --columns for a headerless file in another order */
    CHECK_INT(nv("312.5, 87, 3\n", "power.draw,utilization.gpu,index", &d, err, sizeof err, path, sizeof path),
              CALIB_OK);
    CHECK_INT(d.n, 1);
    CHECK_NEAR(d.s[0].p_w, 312.5, 0.0, 0.0);
    calib_data_free(&d);
}

void test_calib_nvsmi_errors(void)
{
    static const struct {
        const char *text, *cols, *want; /* want: the message after "<path>:" */
    } cases[] = {
        {"timestamp, utilization.gpu [%], power.draw [W]\n2024/05/01 12:00:00.123, 87 %\n", NULL,
         "2: 2 fields, expected 3"},
        {"timestamp, utilization.gpu [%], power.draw [W]\n2024/05/01 12:00:00.123, high, 312.45 W\n", NULL,
         "2: utilization.gpu \"high\" is not a number (percent)"},
        {"timestamp, utilization.gpu [%], power.draw [W]\n\n2024/05/01 12:00:00.123, 87 %, 312.45 kW\n", NULL,
         "3: power.draw \"312.45 kW\" is not a number (W)"},
        {"timestamp, utilization.gpu [%], power.draw [W]\nx, 187 %, 312.45 W\n", NULL,
         "2: utilization.gpu 187 % is outside [0, 100]"},
        {"timestamp, utilization.gpu [%], power.draw [W]\nx, 87 %, -3 W\n", NULL,
         "2: power.draw -3 W is outside [0, 10000]"},
        {"timestamp, index, temperature.gpu\nx, 0, 40\n", NULL,
         "1: the columns must include utilization.gpu and power.draw (or power.draw.average / power.draw.instant)"},
        {"x, 0, 87, 312, 40\n", NULL,
         "1: no header line and 5 fields: give --columns with the --query-gpu list (3 or 4 fields are read as "
         "timestamp,[index,]utilization.gpu,power.draw)"},
        {"timestamp, utilization.gpu [%], power.draw [W]\n", NULL, " no data rows"},
        {"timestamp, utilization.gpu [%], power.draw [W]\nx, 8 %, 31 W\n", "timestamp,utilization.gpu,power.draw",
         "1: the file has a header line: --columns is for files without one"},
        {"timestamp, index, utilization.gpu, index, power.draw\n", NULL, "1: column index appears twice"},
    };
    char err[512], path[512], want[1024];
    calib_data d;
    calib_data_init(&d);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        CHECK_INT(nv(cases[k].text, cases[k].cols, &d, err, sizeof err, path, sizeof path), CALIB_EINPUT);
        snprintf(want, sizeof want, "%s:%s", path, cases[k].want);
        CHECK_STR(err, want);
    }
    CHECK_INT(calib_read_nvsmi("tests/fixtures/telemetry/none.csv", NULL, &d, err, sizeof err), CALIB_EINPUT);
    CHECK_STR(err, "tests/fixtures/telemetry/none.csv: cannot open: No such file or directory");
    calib_data_free(&d);
}

#define REPORT(t, cores)                                                                                     \
    t " {\"neuron_runtime_data\":[{\"pid\":1,\"error\":\"\",\"report\":{\"neuroncore_counters\":{"          \
      "\"period\":5.0,\"neuroncores_in_use\":{" cores "},\"error\":\"\"}}}],\"system_data\":{},"              \
      "\"instance_info\":{\"instance_type\":\"trn1.2xlarge\"},\"neuron_hardware_info\":{"                    \
      "\"neuron_device_count\":1,\"neuroncore_per_device_count\":2,\"error\":\"\"}}\n"

void test_calib_neuron_small(void)
{
    /* one device of 2 cores; hand-checkable joins: minute (0, 60] has reports at
     * 10 (cores 40, 60: device 50 %) and 40 (30, 50: 40 %) -> u = 45 %; minute
     * (60, 120] has one report at 90 with core 0 only at 80 % -> device 40 %. */
    char mon[512], pw[512], err[512], want[1024];
    snprintf(mon, sizeof mon, "%s",
             test_write("mon.log", REPORT("10", "\"0\":{\"neuroncore_utilization\":40},\"1\":{\"neuroncore_utilization\":60}")
                                       REPORT("40.5", "\"0\":{\"neuroncore_utilization\":30},\"1\":{\"neuroncore_utilization\":50}")
                                       REPORT("90", "\"0\":{\"neuroncore_utilization\":80}")));
    snprintf(pw, sizeof pw, "%s",
             test_write("pw.log", "0,POWER_STATUS_VALID,60,10.00,50.00,40.00\n"
                                  "0,POWER_STATUS_VALID,120,10.00,50.00,30.00\n"
                                  "0,POWER_STATUS_VALID,300,10.00,50.00,30.00\n"
                                  "0,POWER_STATUS_INVALID,180,0.00,0.00,0.00\n"));
    calib_data d;
    calib_data_init(&d);
    CHECK_INT(calib_read_neuron(mon, pw, 200.0, 20.0, &d, err, sizeof err), CALIB_OK);
    CHECK_INT(d.n, 2);
    CHECK_NEAR(d.s[0].u, 0.45, 1e-12, 0.0);
    CHECK_NEAR(d.s[0].p_w, 80.0, 1e-12, 0.0);
    CHECK_NEAR(d.s[1].u, 0.40, 1e-12, 0.0);
    CHECK_NEAR(d.s[1].p_w, 60.0, 1e-12, 0.0);
    CHECK_INT(d.skipped_nomon, 1);
    CHECK_INT(d.skipped_status, 1);
    CHECK_STR(d.instance_type, "trn1.2xlarge");
    /* spread 10 points in minute 1: skipped with --max-spread 5 */
    calib_data_free(&d);
    CHECK_INT(calib_read_neuron(mon, pw, 200.0, 5.0, &d, err, sizeof err), CALIB_OK);
    CHECK_INT(d.n, 1);
    CHECK_INT(d.skipped_unsteady, 1);
    calib_data_free(&d);

    /* errors in the power log */
    static const struct {
        const char *text, *want;
    } perr[] = {
        {"0,POWER_STATUS_VALID,60,10.00,50.00\n", "1: 5 fields, expected 6: device,status,unix_time,min_pct,max_pct,avg_pct"},
        {"0,POWER_OK,60,10.00,50.00,40.00\n",
         "1: unknown status \"POWER_OK\" (POWER_STATUS_VALID, POWER_STATUS_NO_DATA or POWER_STATUS_INVALID)"},
        {"0,POWER_STATUS_VALID,60,10.00,50.00,140.00\n", "1: avg_pct \"140.00\" is not a percentage in [0, 100]"},
        {"0,POWER_STATUS_VALID,1:00,10.00,50.00,40.00\n", "1: time \"1:00\" is not a Unix time in seconds"},
        {"x,POWER_STATUS_VALID,60,10.00,50.00,40.00\n", "1: device \"x\" is not an index in [0, 63]"},
        {"0,POWER_STATUS_VALID,60,10.00,50.00,40.00\n0,POWER_STATUS_VALID,60,10.00,50.00,41.00\n",
         "2: device 0 has another record for time 60 (line 1) with another value"},
        {"3,POWER_STATUS_VALID,60,10.00,50.00,40.00\n", "1: device 3, but the reports of MON have 1 devices"},
    };
    for (size_t k = 0; k < sizeof perr / sizeof perr[0]; k++) {
        const char *p = test_write("pwbad.log", perr[k].text);
        CHECK_INT(calib_read_neuron(mon, p, 200.0, 20.0, &d, err, sizeof err), CALIB_EINPUT);
        char w[512];
        snprintf(w, sizeof w, "%s", perr[k].want);
        char *m = strstr(w, "MON");
        if (m) {
            *m = '\0';
            snprintf(want, sizeof want, "%s:%s%s%s", p, w, mon, m + 3);
        } else
            snprintf(want, sizeof want, "%s:%s", p, w);
        CHECK_STR(err, want);
        calib_data_free(&d);
    }

    /* errors in the report log */
    static const struct {
        const char *text, *want;
    } merr[] = {
        {"{\"neuron_runtime_data\":[]}\n",
         "1: expected the report's Unix time, a space and the JSON report (record with neuron-monitor | while read "
         "-r l; do echo \"$(date +%s.%N) $l\"; done)"},
        {"10 {\"neuron_runtime_data\":[}\n", "1: not a JSON report: unexpected token near '}'"},
        {"10 [1]\n", "1: the report is an array, expected an object"},
        {REPORT("10", "\"0\":{\"neuroncore_utilization\":40}") REPORT("5", "\"0\":{\"neuroncore_utilization\":40}"),
         "2: time 5.000 is before the previous report's 10.000"},
        {REPORT("10", "\"7\":{\"neuroncore_utilization\":40}"), "1: NeuronCore \"7\" is not an index in [0, 1]"},
        {REPORT("10", "\"1\":{\"neuroncore_utilization\":\"x\"}"),
         "1: NeuronCore 1: neuroncore_utilization is a string, expected a percentage in [0, 100]"},
        {"10 {\"neuron_runtime_data\":[],\"neuron_hardware_info\":{}}\n",
         "1: neuron_hardware_info.neuron_device_count and .neuroncore_per_device_count must be integers (got missing "
         "and missing)"},
        {"10 {\"neuron_runtime_data\":[{\"error\":\"\",\"report\":{}}],\"neuron_hardware_info\":{"
         "\"neuron_device_count\":1,\"neuroncore_per_device_count\":2}}\n",
         "1: neuron_runtime_data[0].report.neuroncore_counters.neuroncores_in_use is missing: enable the "
         "neuroncore_counters metric group"},
    };
    for (size_t k = 0; k < sizeof merr / sizeof merr[0]; k++) {
        const char *p = test_write("monbad.log", merr[k].text);
        CHECK_INT(calib_read_neuron(p, pw, 200.0, 20.0, &d, err, sizeof err), CALIB_EINPUT);
        snprintf(want, sizeof want, "%s:%s", p, merr[k].want);
        CHECK_STR(err, want);
        calib_data_free(&d);
    }
    /* a runtime that reports an error: the report is skipped */
    const char *p = test_write("monrt.log", REPORT("10", "\"0\":{\"neuroncore_utilization\":40}")
                                                "20 {\"neuron_runtime_data\":[{\"error\":\"connection lost\"}],"
                                                "\"neuron_hardware_info\":{\"neuron_device_count\":1,"
                                                "\"neuroncore_per_device_count\":2}}\n");
    CHECK_INT(calib_read_neuron(p, pw, 200.0, 20.0, &d, err, sizeof err), CALIB_OK);
    CHECK_INT(d.skipped_rterr, 1);
    CHECK_INT(d.n, 1);
    CHECK_NEAR(d.s[0].u, 0.2, 1e-12, 0.0);
    calib_data_free(&d);
}

void test_calib_detect(void)
{
    const char *fmt = NULL;
    char err[512];
    CHECK_INT(calib_detect_format(FIX "a100-nvidia-smi.csv", &fmt, err, sizeof err), CALIB_OK);
    CHECK_STR(fmt, "nvidia-smi");
    CHECK_INT(calib_detect_format(FIX "trn1-neuron-monitor.log", &fmt, err, sizeof err), CALIB_OK);
    CHECK_STR(fmt, "neuron-monitor");
    CHECK_INT(calib_detect_format(test_write("bare.log", "\n{\"a\":1}\n"), &fmt, err, sizeof err), CALIB_OK);
    CHECK_STR(fmt, "neuron-monitor");
    CHECK_INT(calib_detect_format(test_write("nh.csv", "2024/05/01 12:00:00.123, 87, 312.45\n"), &fmt, err, sizeof err),
              CALIB_OK);
    CHECK_STR(fmt, "nvidia-smi");
    const char *e = test_write("empty.csv", "\n  \n");
    CHECK_INT(calib_detect_format(e, &fmt, err, sizeof err), CALIB_EINPUT);
    char want[600];
    snprintf(want, sizeof want, "%s: the file is empty", e);
    CHECK_STR(err, want);
}

void test_calib_print_parses(void)
{
    /* the printed fragment is libconfig, and its figures are the node's */
    calib_sample *s = synth(2000, 57.0, 392.0, 1.3, 4.0, 99);
    calib_fit f;
    char err[512];
    CHECK_INT(calib_fit_curve(s, 2000, 0.0, &f, err, sizeof err), CALIB_OK);
    calib_data d;
    calib_data_init(&d);
    calib_node node = {"p4d.24xlarge", 8, 400.0, 1300.0, "nvidia-smi CSV test"};
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    calib_print(out, &d, &f, &node);
    fclose(out);
    CHECK(strstr(buf, "# Paste into the entry of \"p4d.24xlarge\"") != NULL);
    CHECK(strstr(buf, "RMSE") && strstr(buf, "R^2") && strstr(buf, "2000 samples") && strstr(buf, "se "));
    config_t c;
    config_init(&c);
    CHECK(config_read_string(&c, buf) == CONFIG_TRUE);
    double idle = 0, max = 0, alpha = 0;
    CHECK(config_lookup_float(&c, "idle_w", &idle) == CONFIG_TRUE);
    CHECK(config_lookup_float(&c, "max_w", &max) == CONFIG_TRUE);
    CHECK(config_lookup_float(&c, "alpha", &alpha) == CONFIG_TRUE);
    CHECK_NEAR(idle, 8 * f.idle_w + 400.0, 0.0, 0.05);
    CHECK_NEAR(max, 8 * f.max_w + 1300.0, 0.0, 0.05);
    CHECK_NEAR(idle, 8 * 57.0 + 400.0, 0.02, 0.0);
    CHECK_NEAR(max, 8 * 392.0 + 1300.0, 0.02, 0.0);
    CHECK_NEAR(alpha, 1.3, 0.02, 0.0);
    config_destroy(&c);
    free(buf);
    free(s);
}
