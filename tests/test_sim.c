/* test_sim.c - whole runs with figures a person can check by hand, and the
 * invariants: energy conservation, summary = series, determinism, common
 * random numbers, FIFO waits, rejection, and M/M/c against Erlang C. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/account.h"
#include "../sim/sim.h"
#include "../sim/workload.h"
#include "check.h"
#include "testutil.h"

void test_sim_idle_node(void);
void test_sim_training_duration(void);
void test_sim_trace_emissions(void);
void test_sim_fifo_waits(void);
void test_sim_reject(void);
void test_sim_energy_invariant(void);
void test_sim_deterministic(void);
void test_sim_common_random_numbers(void);
void test_sim_erlang_c(void);
void test_sim_inference_batches(void);
void test_sim_sink_failure(void);

#define HEAD "name = \"t\"; seed = 1; start = \"2026-01-01T00:00:00Z\";\n" TEST_CATALOG

static double sv(const memsink *ms, long step, int site, int v)
{
    return ms->site_vals[(size_t)step * (size_t)(ms->nsites * ms->nsv) + (size_t)(site * ms->nsv + v)];
}

/* One idle node of 100 W for one hour: 0.1 kWh; at 400 g/kWh, 40 g. */
void test_sim_idle_node(void)
{
    scenario s;
    memsink ms;
    char err[1024];
    int rc = test_load(&s, "idle.cfg",
                       HEAD "duration = \"1h\";\n"
                            "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 400.0; };\n"
                            "  pools = ( { name = \"p\"; node = \"n100\"; count = 1; } ); } );\n"
                            "workloads = ( { name = \"w\"; kind = \"generic\"; pool = \"p\"; service = { mean = \"1h\"; };\n"
                            "  arrival = { at = \"2026-01-01T01:00:00Z\"; }; } );\n",
                       err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK(test_run(&s, &ms) == 0);
    CHECK_INT(ms.nsteps, 1);
    CHECK(ms.committed);
    CHECK_NEAR(sv(&ms, 0, 0, SV_IT_ENERGY_KWH), 0.1, 1e-12, 0);
    CHECK_NEAR(sv(&ms, 0, 0, SV_ENERGY_KWH), 0.1, 1e-12, 0);
    CHECK_NEAR(sv(&ms, 0, 0, SV_EMISSIONS_KG), 0.040, 1e-12, 0);
    CHECK_NEAR(sv(&ms, 0, 0, SV_IT_POWER_KW), 0.1, 1e-12, 0);
    CHECK_NEAR(sv(&ms, 0, 0, SV_COST_USD), 2.0, 1e-12, 0); /* one node-hour at 2 USD */
    CHECK_NEAR(sv(&ms, 0, 0, SV_UTILIZATION), 0.0, 0, 0);
    CHECK_NEAR(memsink_summary(&ms, "emissions_t"), 40e-6, 1e-12, 0);
    CHECK_NEAR(memsink_summary(&ms, "idle_energy_mwh"), 1e-4, 1e-12, 0);
    CHECK_INT(memsink_summary(&ms, "jobs_submitted"), 0);
    memsink_free(&ms);
    scenario_free(&s);
}

/* 3.6e17 FLOPs (6 x 1e9 params x 6e7 tokens) on one 100 TFLOPS device at
 * MFU 0.5 take 7200 s; at 400 W that is 0.8 kWh; PUE 1.5 at 400 g/kWh: 0.48 kg. */
void test_sim_training_duration(void)
{
    scenario s;
    memsink ms;
    char err[1024];
    int rc = test_load(&s, "train.cfg",
                       HEAD "duration = \"4h\";\n"
                            "sites = ( { name = \"s\"; facility = { model = \"constant\"; pue = 1.5; };\n"
                            "  grid = { intensity_g_per_kwh = 400.0; };\n"
                            "  pools = ( { name = \"p\"; node = \"n100\"; count = 1; } ); } );\n"
                            "workloads = ( { name = \"pt\"; kind = \"training\"; node = \"n100\"; model = \"m1b\";\n"
                            "  tokens = 6.0e7; mfu = 0.5; arrival = { at = \"2026-01-01T00:00:00Z\"; }; } );\n",
                       err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK_NEAR(s.workloads[0].flops, 3.6e17, 1e-15, 0);
    CHECK_NEAR(s.workloads[0].service_mean_s, 7200.0, 1e-12, 0);
    CHECK(test_run(&s, &ms) == 0);
    CHECK_INT(ms.njobs, 1);
    if (ms.njobs == 1) {
        CHECK_NEAR(ms.jobs[0].end_s - ms.jobs[0].start_s, 7200.0, 1e-12, 0);
        CHECK_NEAR(ms.jobs[0].energy_kwh, 0.8, 1e-12, 0);
        CHECK_NEAR(ms.jobs[0].emissions_kg, 0.48, 1e-12, 0);
        CHECK_NEAR(ms.jobs[0].cost_usd, 4.0, 1e-12, 0); /* 2 node-hours at 2 USD */
        CHECK_INT(ms.jobs[0].completed, 1);
    }
    /* series: 2 h at 400 W + 2 h at 100 W = 1.0 kWh IT, 1.5 kWh facility, 0.6 kg */
    CHECK_NEAR(memsink_site_sum(&ms, 0, SV_IT_ENERGY_KWH), 1.0, 1e-12, 0);
    CHECK_NEAR(memsink_site_sum(&ms, 0, SV_ENERGY_KWH), 1.5, 1e-12, 0);
    CHECK_NEAR(memsink_site_sum(&ms, 0, SV_EMISSIONS_KG), 0.6, 1e-12, 0);
    CHECK_NEAR(sv(&ms, 0, 0, SV_PUE), 1.5, 1e-12, 0);
    CHECK_NEAR(memsink_summary(&ms, "mean_pue"), 1.5, 1e-12, 0);
    CHECK_NEAR(memsink_summary(&ms, "idle_energy_mwh"), 0.2e-3, 1e-12, 0);
    memsink_free(&ms);
    scenario_free(&s);
}

/* Intensity 100, 200, 300 g/kWh in three hours; a 400 W job from 00:30 to
 * 02:30 emits 0.4 kW x (0.5 h x 100 + 1 h x 200 + 0.5 h x 300) = 160 g; the
 * site adds 100 W idle for 0.5 h at 100 and 0.5 h at 300: 20 g. */
void test_sim_trace_emissions(void)
{
    test_write("ci.csv", "timestamp,gco2_per_kwh\n2026-01-01T00:00:00Z,100\n2026-01-01T01:00:00Z,200\n"
                         "2026-01-01T02:00:00Z,300\n");
    scenario s;
    memsink ms;
    char err[1024];
    int rc = test_load(&s, "trace.cfg",
                       HEAD "duration = \"3h\"; step = \"30min\";\n"
                            "sites = ( { name = \"s\"; grid = { trace = \"ci.csv\"; };\n"
                            "  pools = ( { name = \"p\"; node = \"n100\"; count = 1; } ); } );\n"
                            "workloads = ( { name = \"w\"; kind = \"generic\"; pool = \"p\"; service = { mean = \"2h\"; };\n"
                            "  arrival = { at = \"2026-01-01T00:30:00Z\"; }; } );\n",
                       err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK(test_run(&s, &ms) == 0);
    CHECK_INT(ms.nsteps, 6);
    CHECK_INT(ms.njobs, 1);
    if (ms.njobs == 1)
        CHECK_NEAR(ms.jobs[0].emissions_kg, 0.160, 1e-12, 0);
    CHECK_NEAR(memsink_site_sum(&ms, 0, SV_EMISSIONS_KG), 0.180, 1e-12, 0);
    CHECK_NEAR(sv(&ms, 2, 0, SV_INTENSITY), 200.0, 0, 0);
    CHECK_NEAR(ms.t[5], 9000.0, 0, 0);
    memsink_free(&ms);
    scenario_free(&s);
}

/* One node, 2 h jobs arriving every hour: they wait 0, 1 h and 2 h. */
void test_sim_fifo_waits(void)
{
    scenario s;
    memsink ms;
    char err[1024];
    int rc = test_load(&s, "fifo.cfg",
                       HEAD "duration = \"drain\";\n"
                            "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 0.0; };\n"
                            "  pools = ( { name = \"p\"; node = \"n100\"; count = 1; } ); } );\n"
                            "workloads = ( { name = \"w\"; kind = \"generic\"; pool = \"p\"; service = { mean = \"2h\"; };\n"
                            "  arrival = { process = \"every\"; every = \"1h\"; count = 3; }; } );\n",
                       err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK(test_run(&s, &ms) == 0);
    CHECK_INT(ms.njobs, 3);
    for (long k = 0; k < ms.njobs && k < 3; k++) {
        CHECK_NEAR(ms.jobs[k].submit_s, 3600.0 * (double)k, 0, 0);
        CHECK_NEAR(ms.jobs[k].start_s, 7200.0 * (double)k, 0, 0);
    }
    CHECK_NEAR(memsink_summary(&ms, "mean_wait_s"), 3600.0, 1e-12, 0);
    CHECK_NEAR(memsink_summary(&ms, "p_wait"), 2.0 / 3.0, 1e-12, 0);
    CHECK_NEAR(memsink_summary(&ms, "sim_end_s"), 21600.0, 0, 0);
    CHECK_NEAR(memsink_summary(&ms, "it_energy_mwh"), 2.4e-3, 1e-12, 0); /* 6 h at 400 W */
    CHECK_INT(ms.nsteps, 6);
    memsink_free(&ms);
    scenario_free(&s);
}

/* A job larger than every candidate pool is rejected and counted, never queued. */
void test_sim_reject(void)
{
    scenario s;
    memsink ms;
    char err[1024];
    int rc = test_load(&s, "reject.cfg",
                       HEAD "duration = \"2h\";\n"
                            "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 1.0; };\n"
                            "  pools = ( { name = \"p\"; node = \"n100\"; count = 4; on = 2; } ); } );\n"
                            "workloads = ( { name = \"w\"; kind = \"generic\"; pool = \"p\"; nodes = 3;\n"
                            "  service = { mean = \"1h\"; }; arrival = { at = \"2026-01-01T00:00:00Z\"; }; } );\n",
                       err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK(test_run(&s, &ms) == 0);
    CHECK_INT(memsink_summary(&ms, "jobs_rejected"), 1);
    CHECK_INT(memsink_summary(&ms, "jobs_queued_at_end"), 0);
    CHECK_INT(ms.njobs, 0);
    /* 2 nodes on at 100 W, 2 off at 10 W, for 2 h: 0.44 kWh */
    CHECK_NEAR(memsink_summary(&ms, "it_energy_mwh"), 0.44e-3, 1e-12, 0);
    memsink_free(&ms);
    scenario_free(&s);
}

static const char *const busy_scenario =
    HEAD "duration = \"30d\"; step = \"15min\";\n"
         "sites = ( { name = \"a\"; facility = { pue = 1.2; wue_l_per_kwh = 0.5; };\n"
         "    grid = { intensity_g_per_kwh = 350.0; energy_price_usd_per_kwh = 0.1; };\n"
         "    pools = ( { name = \"p\"; node = \"n100\"; count = 8; }, { name = \"q\"; node = \"n100\"; count = 4; on = 3; } ); },\n"
         "  { name = \"b\"; grid = { intensity_g_per_kwh = 50.0; };\n"
         "    pools = ( { name = \"p\"; node = \"n100\"; count = 6; } ); } );\n"
         "workloads = (\n"
         "  { name = \"x\"; kind = \"generic\"; node = \"n100\"; nodes = 2; utilization = 0.6;\n"
         "    service = { dist = \"exponential\"; mean = \"3h\"; }; arrival = { process = \"poisson\"; load = 0.9; }; },\n"
         "  { name = \"y\"; kind = \"generic\"; pool = \"b/p\"; nodes = 1; utilization = 0.3;\n"
         "    service = { dist = \"exponential\"; mean = \"20min\"; }; arrival = { process = \"poisson\"; rate_per_s = 0.002; }; } );\n";

/* Energy in the series = energy of the jobs + energy of idle and off nodes;
 * /summary totals = sums of the series. */
void test_sim_energy_invariant(void)
{
    scenario s;
    memsink ms;
    char err[1024];
    int rc = test_load(&s, "busy.cfg", busy_scenario, err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK(test_run(&s, &ms) == 0);
    double series_it = memsink_site_sum(&ms, 0, SV_IT_ENERGY_KWH) + memsink_site_sum(&ms, 1, SV_IT_ENERGY_KWH);
    double jobs = 0;
    for (long k = 0; k < ms.njobs; k++)
        jobs += ms.jobs[k].energy_kwh;
    double idle = memsink_summary(&ms, "idle_energy_mwh") * 1e3;
    CHECK(ms.njobs > 1000);
    CHECK(memsink_summary(&ms, "jobs_running_at_end") > 0);
    CHECK_NEAR(series_it, jobs + idle, 1e-9, 0);
    CHECK_NEAR(memsink_summary(&ms, "job_energy_mwh") * 1e3, jobs, 1e-9, 0);
    CHECK_NEAR(memsink_summary(&ms, "it_energy_mwh") * 1e3, series_it, 1e-12, 0);
    double fac = memsink_site_sum(&ms, 0, SV_ENERGY_KWH) + memsink_site_sum(&ms, 1, SV_ENERGY_KWH);
    double em = memsink_site_sum(&ms, 0, SV_EMISSIONS_KG) + memsink_site_sum(&ms, 1, SV_EMISSIONS_KG);
    double cost = memsink_site_sum(&ms, 0, SV_COST_USD) + memsink_site_sum(&ms, 1, SV_COST_USD);
    double water = memsink_site_sum(&ms, 0, SV_WATER_L) + memsink_site_sum(&ms, 1, SV_WATER_L);
    CHECK_NEAR(memsink_summary(&ms, "energy_mwh") * 1e3, fac, 1e-12, 0);
    CHECK_NEAR(memsink_summary(&ms, "emissions_t") * 1e3, em, 1e-12, 0);
    CHECK_NEAR(memsink_summary(&ms, "cost_usd"), cost, 1e-12, 0);
    CHECK_NEAR(memsink_summary(&ms, "water_m3") * 1e3, water, 1e-12, 0);
    CHECK_NEAR(water, 0.5 * memsink_site_sum(&ms, 0, SV_IT_ENERGY_KWH), 1e-12, 0);
    /* the job emissions add up to the site emissions less the idle part */
    double jem = 0;
    for (long k = 0; k < ms.njobs; k++)
        jem += ms.jobs[k].emissions_kg;
    CHECK(jem < em && jem > 0.3 * em);
    CHECK_INT(ms.nsteps, 30 * 96);
    memsink_free(&ms);
    scenario_free(&s);
}

/* The same scenario and seed give identical series and job rows, bit for bit. */
void test_sim_deterministic(void)
{
    scenario s;
    memsink a, b;
    char err[1024];
    if (test_load(&s, "busy2.cfg", busy_scenario, err, sizeof err)) {
        CHECK(0);
        return;
    }
    CHECK(test_run(&s, &a) == 0 && test_run(&s, &b) == 0);
    CHECK_INT(a.nsteps, b.nsteps);
    CHECK_INT(a.njobs, b.njobs);
    size_t ns = (size_t)a.nsteps * (size_t)(a.nsites * a.nsv);
    CHECK(a.nsteps == b.nsteps && memcmp(a.site_vals, b.site_vals, ns * sizeof(double)) == 0);
    CHECK(a.njobs == b.njobs && memcmp(a.jobs, b.jobs, (size_t)a.njobs * sizeof(sink_job)) == 0);
    memsink_free(&a);
    memsink_free(&b);
    scenario_free(&s);
}

/* Submit times of workload "x" are the same whether or not another workload
 * exists and whatever the fleet (common random numbers). */
void test_sim_common_random_numbers(void)
{
    const char *base = HEAD "duration = \"10d\";\n"
                            "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 1.0; };\n"
                            "  pools = ( { name = \"p\"; node = \"n100\"; count = %d; } ); } );\n"
                            "workloads = ( { name = \"x\"; kind = \"generic\"; pool = \"p\";\n"
                            "    service = { dist = \"exponential\"; mean = \"1h\"; }; arrival = { process = \"poisson\"; rate_per_s = 0.001; }; }%s );\n";
    const char *other = ", { name = \"z\"; kind = \"generic\"; pool = \"p\"; service = { dist = \"exponential\"; mean = \"2h\"; };\n"
                        "    arrival = { process = \"poisson\"; rate_per_s = 0.0005; }; }";
    char text[3][4096];
    snprintf(text[0], sizeof text[0], base, 16, "");
    snprintf(text[1], sizeof text[1], base, 16, other);
    snprintf(text[2], sizeof text[2], base, 64, other);
    memsink ms[3];
    double *submit[3];
    long n[3];
    for (int v = 0; v < 3; v++) {
        scenario s;
        char err[1024], name[32];
        snprintf(name, sizeof name, "crn%d.cfg", v);
        if (test_load(&s, name, text[v], err, sizeof err)) {
            fprintf(stderr, "  %s\n", err);
            CHECK(0);
            return;
        }
        CHECK(test_run(&s, &ms[v]) == 0);
        submit[v] = malloc((size_t)(ms[v].njobs + 1) * sizeof(double));
        n[v] = 0;
        for (long k = 0; k < ms[v].njobs; k++)
            if (ms[v].jobs[k].workload == 0)
                submit[v][n[v]++] = ms[v].jobs[k].submit_s;
        scenario_free(&s);
    }
    /* job rows come in order of end; sort the submit times */
    for (int v = 0; v < 3; v++)
        for (long i = 1; i < n[v]; i++)
            for (long j = i; j > 0 && submit[v][j - 1] > submit[v][j]; j--) {
                double t = submit[v][j];
                submit[v][j] = submit[v][j - 1];
                submit[v][j - 1] = t;
            }
    CHECK(n[0] > 500);
    CHECK(ms[1].njobs > ms[0].njobs);
    long common = n[0] < n[1] ? n[0] : n[1];
    common = common < n[2] ? common : n[2];
    CHECK(common > n[0] - 10); /* only jobs still running at the end may differ */
    int same = 1;
    for (long k = 0; k < common; k++)
        same &= submit[0][k] == submit[1][k] && submit[0][k] == submit[2][k];
    CHECK(same);
    for (int v = 0; v < 3; v++) {
        free(submit[v]);
        memsink_free(&ms[v]);
    }
}

/* W1 at M = 10 (M/M/10, load 0.8): Erlang C gives P(wait) = 0.40918 and
 * Wq = 736.5 s. With 200k jobs the replication SD of the mean wait is about
 * 35 s: the tolerance is 5 SD. */
void test_sim_erlang_c(void)
{
    scenario s;
    memsink ms;
    char err[1024];
    int rc = test_load(&s, "mmc.cfg",
                       HEAD "duration = \"drain\";\n"
                            "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 0.0; };\n"
                            "  pools = ( { name = \"p\"; node = \"n100\"; count = 10; } ); } );\n"
                            "workloads = ( { name = \"w1\"; kind = \"generic\"; pool = \"p\";\n"
                            "  service = { dist = \"exponential\"; mean = 3600.0; };\n"
                            "  arrival = { process = \"poisson\"; load = 0.8; count = 200000; }; } );\n"
                            "output = { jobs = false; };\n",
                       err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK_NEAR(s.workloads[0].rate_per_s, 0.8 * 10 / 3600.0, 1e-15, 0);
    CHECK(test_run(&s, &ms) == 0);
    CHECK_INT(ms.njobs, 0); /* the job table is off */
    CHECK_INT(memsink_summary(&ms, "jobs_completed"), 200000);
    CHECK_NEAR(memsink_summary(&ms, "mean_wait_s"), 736.5, 0, 175.0);
    CHECK_NEAR(memsink_summary(&ms, "p_wait"), 0.40918, 0, 0.015);
    /* W1's exact identity: E = 100 M T_end + 300 sum(service) */
    double t_end = memsink_summary(&ms, "sim_end_s"), busy_h = memsink_summary(&ms, "busy_node_hours");
    CHECK_NEAR(memsink_summary(&ms, "it_energy_mwh") * 3.6e9, 100.0 * 10 * t_end + 300.0 * busy_h * 3600.0, 1e-9, 0);
    memsink_free(&ms);
    scenario_free(&s);
}

/* 10 requests/s of 100 tokens on nodes serving 500 tokens/s: an hour of
 * demand is ~36000 requests = 7200 node-seconds = 2 nodes for the hour. */
void test_sim_inference_batches(void)
{
    scenario s;
    memsink ms;
    char err[1024];
    int rc = test_load(&s, "inf.cfg",
                       HEAD "duration = \"2d\";\n"
                            "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 1.0; };\n"
                            "  pools = ( { name = \"p\"; node = \"n100\"; count = 8; } ); } );\n"
                            "workloads = ( { name = \"chat\"; kind = \"inference\"; pool = \"p\";\n"
                            "  rate = { mean_per_s = 10.0; diurnal_amplitude = 0.5; peak_hour_utc = 15.0; };\n"
                            "  tokens_per_request = 100.0; tokens_per_s_per_node = 500.0; } );\n",
                       err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    const scn_workload *w = &s.workloads[0];
    CHECK_NEAR(workload_expected_requests(w, s.start_epoch, 0, 86400.0), 864000.0, 1e-12, 0);
    /* peak hour 15:00 UTC: rate 15/s there, 5/s at 03:00 */
    CHECK_NEAR(workload_expected_requests(w, s.start_epoch, 15 * 3600.0 - 0.5, 15 * 3600.0 + 0.5), 15.0, 1e-6, 0);
    CHECK_NEAR(workload_expected_requests(w, s.start_epoch, 3 * 3600.0 - 0.5, 3 * 3600.0 + 0.5), 5.0, 1e-6, 0);
    CHECK(test_run(&s, &ms) == 0);
    CHECK_INT(ms.njobs, 48);
    double node_s = 0;
    for (long k = 0; k < ms.njobs; k++)
        node_s += (double)ms.jobs[k].nodes * (ms.jobs[k].end_s - ms.jobs[k].start_s);
    /* 2 days x 864000 requests x 100 tokens / 500 tokens/s, +- 4 Poisson SD */
    CHECK_NEAR(node_s, 2 * 864000.0 * 0.2, 0, 4 * sqrt(2 * 864000.0) * 0.2 + 1);
    memsink_free(&ms);
    scenario_free(&s);
}

/* A sink that fails mid-run: the run reports an error and discards. */
void test_sim_sink_failure(void)
{
    scenario s;
    char err[1024];
    if (test_load(&s, "busy3.cfg", busy_scenario, err, sizeof err)) {
        CHECK(0);
        return;
    }
    sim *m = sim_alloc(&s, err, sizeof err);
    memsink ms;
    sink k = memsink_init(&ms);
    ms.fail_step_at = 10;
    CHECK(sim_run(m, &k, NULL, err, sizeof err) == -1);
    CHECK(strstr(err, "failed on purpose") != NULL);
    CHECK(ms.closed && !ms.committed);
    sim_free(m);
    memsink_free(&ms);
    scenario_free(&s);
}
