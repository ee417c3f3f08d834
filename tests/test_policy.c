/* test_policy.c - the carbon-aware policies beyond temporal shifting:
 * suspend and resume of checkpointable jobs, geographic shifting with data
 * residency, site power caps, and the FIFO baseline in /summary. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/account.h"
#include "../sim/scenario.h"
#include "check.h"
#include "memsink.h"
#include "testutil.h"

void test_suspend_by_hand(void);
void test_suspend_conserves_work(void);
void test_geo_residency(void);
void test_geo_forecast(void);
void test_cap_by_hand(void);
void test_cap_never_exceeded(void);
void test_baseline_savings(void);
void test_managed_vs_self(void);

#define PHEAD "name = \"t\"; start = \"2026-01-01T00:00:00Z\";\n" TEST_CATALOG

/* Writes an hourly plain intensity trace of n hours from 2026-01-01: f(h). */
static void write_ci(const char *name, int n, double (*f)(int))
{
    size_t cap = (size_t)n * 40 + 64;
    char *buf = malloc(cap), *p = buf;
    p += sprintf(p, "timestamp,gco2_per_kwh\n");
    for (int h = 0; h < n; h++)
        p += sprintf(p, "2026-01-%02dT%02d:00:00Z,%.1f\n", 1 + h / 24, h % 24, f(h));
    test_write(name, buf);
    free(buf);
}

static int load_or_say(scenario *s, const char *name, const char *text)
{
    char err[1024];
    int rc = test_load(s, name, text, err, sizeof err);
    if (rc)
        fprintf(stderr, "  %s\n", err);
    return rc;
}

/* 100 g/kWh except hours 2-3 (500 g/kWh) on day 1. */
static double dirty_2_4(int h) { return h >= 2 && h < 4 ? 500.0 : 100.0; }
/* 100 g/kWh except hours 2-5 (500 g/kWh) on day 1. */
static double dirty_2_6(int h) { return h >= 2 && h < 6 ? 500.0 : 100.0; }

/* One 400 W node, a 4 h checkpointable job at 00:00 with 30 min overhead,
 * suspension above 300 g/kWh.
 * (a) dirty 02-04, deadline 24 h: runs 0-2 h, suspended at 2 h (it can wait:
 *     24 - 2 - 0.5 >= 3), resumed at 4 h, ends at 4 + 2 + 0.5 = 6.5 h.
 *     Run time 4.5 h = 4 h + 1 x 0.5 h; suspended 2 h; 4.5 h x 0.4 kW x
 *     100 g = 180 g (without suspension 0.8 x 100 + 0.8 x 500 = 480 g).
 * (b) dirty 02-06, deadline 7 h: suspended at 2 h (7 - 2 - 0.5 = 4.5 >= 3),
 *     still dirty at 3 and 4 h, forced back at 4.5 h, ends at exactly 7 h:
 *     deadline met. Emissions 0.8 x 100 + 1.5 h x 0.4 x 500 + 1 h x 0.4 x
 *     100 = 80 + 300 + 40 = 420 g.
 * (c) as (b) with deadline 5 h: 5 - 2 - 0.5 < 3, never suspended: 0-4 h. */
void test_suspend_by_hand(void)
{
    write_ci("ci-a.csv", 48, dirty_2_4);
    write_ci("ci-b.csv", 48, dirty_2_6);
    const char *tr[3] = {"ci-a.csv", "ci-b.csv", "ci-b.csv"}, *dl[3] = {"24h", "7h", "5h"};
    double end[3] = {6.5 * 3600, 7 * 3600, 4 * 3600}, susp[3] = {7200, 9000, 0}, em[3] = {0.180, 0.420, 0.480};
    int n[3] = {1, 1, 0};
    for (int v = 0; v < 3; v++) {
        char text[4096];
        snprintf(text, sizeof text,
                 PHEAD "duration = \"2d\"; scheduler = { suspend_above_g_per_kwh = 300.0; };\n"
                       "sites = ( { name = \"s\"; grid = { trace = \"%s\"; };\n"
                       "  pools = ( { name = \"p\"; node = \"n100\"; count = 1; } ); } );\n"
                       "workloads = ( { name = \"w\"; kind = \"generic\"; pool = \"p\"; service = { mean = \"4h\"; };\n"
                       "  checkpointable = true; checkpoint_overhead = \"30min\"; deadline = \"%s\";\n"
                       "  arrival = { at = \"2026-01-01T00:00:00Z\"; }; } );\n",
                 tr[v], dl[v]);
        scenario s;
        memsink ms;
        if (load_or_say(&s, "susp.cfg", text)) {
            CHECK(0);
            return;
        }
        CHECK(test_run(&s, &ms) == 0);
        CHECK_INT(ms.njobs, 1);
        if (ms.njobs == 1) {
            const sink_job *j = &ms.jobs[0];
            CHECK_NEAR(j->start_s, 0.0, 0, 0);
            CHECK_NEAR(j->end_s, end[v], 0, 0);
            CHECK_NEAR(j->suspended_s, susp[v], 0, 0);
            CHECK_NEAR(j->end_s - j->start_s - j->suspended_s, 4 * 3600.0 + n[v] * 1800.0, 0, 0);
            CHECK_NEAR(j->energy_kwh, (4.0 + n[v] * 0.5) * 0.4, 1e-12, 0);
            CHECK_NEAR(j->emissions_kg, em[v], 1e-12, 0);
            CHECK_INT(j->deadline_met, 1);
            CHECK_NEAR(j->slowdown, j->end_s / (4 * 3600.0 + n[v] * 1800.0), 1e-15, 0);
        }
        CHECK_INT(memsink_summary(&ms, "suspensions"), n[v]);
        CHECK_INT(memsink_summary(&ms, "jobs_suspended"), n[v]);
        CHECK_NEAR(memsink_summary(&ms, "suspended_h"), susp[v] / 3600.0, 1e-12, 0);
        CHECK_NEAR(memsink_summary(&ms, "checkpoint_overhead_h"), n[v] * 0.5, 0, 0);
        CHECK_INT(memsink_summary(&ms, "deadlines_missed"), 0);
        /* the site: IT energy = job energy + idle energy (the held node idles) */
        CHECK_NEAR(memsink_site_sum(&ms, 0, SV_IT_ENERGY_KWH),
                   (4.0 + n[v] * 0.5) * 0.4 + (48.0 - 4.0 - n[v] * 0.5) * 0.1, 1e-9, 0);
        memsink_free(&ms);
        scenario_free(&s);
    }
}

/* Thirty days with a midday dip (solar) and noise. */
static double solar_days(int h)
{
    int hh = h % 24;
    double dip = hh >= 9 && hh < 17 ? 250.0 * sin(M_PI * (hh - 9 + 0.5) / 8.0) : 0.0;
    return 450.0 - dip + 40.0 * sin(h * 0.7);
}

/* A month of 6 h checkpointable jobs (10 min overhead, 24 h deadline; 250
 * of them, all done in the month) and 3 h non-checkpointable ones sharing 40
 * nodes; suspension above the median of each day. Work is conserved: each
 * job runs 6 h plus whole overheads, and summed, run time = 6 h x jobs +
 * 10 min x suspensions; no deadline is missed; and the checkpointable jobs
 * emit less than without suspension on the same arrivals. */
void test_suspend_conserves_work(void)
{
    write_ci("ci30s.csv", 30 * 24, solar_days);
    double em[2] = {0, 0};
    for (int v = 0; v < 2; v++) {
        char text[4096];
        snprintf(text, sizeof text,
                 PHEAD "duration = \"30d\"; scheduler = { %s };\n"
                       "sites = ( { name = \"s\"; grid = { trace = \"ci30s.csv\"; };\n"
                       "  pools = ( { name = \"p\"; node = \"n100\"; count = 40; } ); } );\n"
                       "workloads = ( { name = \"ck\"; kind = \"generic\"; pool = \"p\"; nodes = 2; deadline = \"24h\";\n"
                       "    checkpointable = true; checkpoint_overhead = \"10min\"; service = { mean = \"6h\"; };\n"
                       "    arrival = { process = \"poisson\"; mean_interval = \"2h\"; count = 250; }; },\n"
                       "  { name = \"other\"; kind = \"generic\"; pool = \"p\"; service = { dist = \"exponential\"; mean = \"3h\"; };\n"
                       "    arrival = { process = \"poisson\"; mean_interval = \"30min\"; count = 1000; }; } );\n",
                 v ? "suspend_above_percentile = 50.0;" : "");
        scenario s;
        memsink ms;
        if (load_or_say(&s, "susp30.cfg", text)) {
            CHECK(0);
            return;
        }
        CHECK(test_run(&s, &ms) == 0);
        double ran = 0;
        long done = 0, suspended = 0;
        for (long k = 0; k < ms.njobs; k++) {
            const sink_job *j = &ms.jobs[k];
            if (j->workload != 0)
                continue;
            CHECK(j->completed);
            done++;
            ran += j->end_s - j->start_s - j->suspended_s;
            em[v] += j->emissions_kg;
            CHECK(j->end_s <= j->deadline_s);
            suspended += j->suspended_s > 0;
            double extra = (j->end_s - j->start_s - j->suspended_s - 6 * 3600.0) / 600.0; /* overheads */
            CHECK_NEAR(extra, round(extra), 0, 1e-9);
        }
        double nsusp = memsink_summary(&ms, "suspensions");
        CHECK_INT(done, 250);
        CHECK_NEAR(ran, 250 * 6 * 3600.0 + nsusp * 600.0, 1e-12, 0);
        CHECK_INT(memsink_summary(&ms, "jobs_suspended"), suspended);
        CHECK_NEAR(memsink_summary(&ms, "checkpoint_overhead_h"), nsusp / 6.0, 1e-12, 0);
        if (v == 0)
            CHECK_INT(nsusp, 0);
        else
            CHECK(suspended > 100);
        CHECK_INT(memsink_summary(&ms, "deadlines_missed"), 0);
        memsink_free(&ms);
        scenario_free(&s);
    }
    fprintf(stderr, "  checkpointable jobs: %.1f kg without suspension, %.1f kg with\n", em[0], em[1]);
    CHECK(em[1] < 0.9 * em[0]);
}

/* Three one-node sites: "dirty" 500 g/kWh (home), "clean" 100, "cleanest"
 * 50, which allowed_sites leaves out. Two 1 h jobs at 00:00 and a third at
 * 01:00. least_carbon: the first goes to "clean" (moved), the second finds
 * "clean" full and goes to "dirty" (room, allowed) rather than "cleanest";
 * the third to "clean" again. first_fit: the scenario order of the allowed
 * pools ("dirty" first, then "clean"). No job ever runs at "cleanest". */
void test_geo_residency(void)
{
    const char *place[2] = {"least_carbon", "first_fit"};
    int want[2][3] = {{1, 0, 1}, {0, 1, 0}};
    for (int v = 0; v < 2; v++) {
        char text[4096];
        snprintf(text, sizeof text,
                 PHEAD "duration = \"1d\"; scheduler = { placement = \"%s\"; };\n"
                       "sites = ( { name = \"dirty\"; grid = { intensity_g_per_kwh = 500.0; };\n"
                       "    pools = ( { name = \"a\"; node = \"n100\"; count = 1; } ); },\n"
                       "  { name = \"clean\"; grid = { intensity_g_per_kwh = 100.0; };\n"
                       "    pools = ( { name = \"b\"; node = \"n100\"; count = 1; } ); },\n"
                       "  { name = \"cleanest\"; grid = { intensity_g_per_kwh = 50.0; };\n"
                       "    pools = ( { name = \"c\"; node = \"n100\"; count = 1; } ); } );\n"
                       "workloads = ( { name = \"w\"; kind = \"generic\"; node = \"n100\"; service = { mean = \"1h\"; };\n"
                       "  allowed_sites = [\"clean\", \"dirty\"]; home_site = \"dirty\";\n"
                       "  arrival = { process = \"every\"; every = \"1h\"; count = 2; }; },\n"
                       " { name = \"x\"; kind = \"generic\"; node = \"n100\"; service = { mean = \"1h\"; };\n"
                       "  allowed_sites = [\"clean\", \"dirty\"]; home_site = \"dirty\";\n"
                       "  arrival = { at = \"2026-01-01T00:00:00Z\"; }; } );\n",
                 place[v]);
        scenario s;
        memsink ms;
        if (load_or_say(&s, "geo.cfg", text)) {
            CHECK(0);
            return;
        }
        CHECK(test_run(&s, &ms) == 0);
        CHECK_INT(ms.njobs, 3);
        /* jobs in submission order: w at 0 (id 0), x at 0 (id 1), w at 1 h (id 2) */
        int moved = 0;
        for (long k = 0; k < ms.njobs; k++) {
            const sink_job *j = &ms.jobs[k];
            CHECK(j->site != 2);
            CHECK_INT(j->home_site, 0);
            CHECK_NEAR(j->wait_s, 0.0, 0, 0);
            if (j->id < 3)
                CHECK_INT(j->site, want[v][j->id]);
            moved += j->site != j->home_site;
        }
        CHECK_INT(memsink_summary(&ms, "jobs_moved"), moved);
        CHECK_INT(moved, v == 0 ? 2 : 1);
        memsink_free(&ms);
        scenario_free(&s);
    }
}

/* 100 g/kWh in hour 0, then 500 g/kWh. */
static double clean_first_hour(int h) { return h == 0 ? 100.0 : 500.0; }

/* Site "now" is 100 g/kWh in the first hour and 500 after; site "flat" 200
 * all day. A 3 h job at 00:00: least_carbon looks at the current hour and
 * takes "now" (100 < 200): 1.2 kWh x (100 + 500 + 500)/3 = 440 g;
 * least_carbon_forecast (perfect) compares the means over the run, 366.7 vs
 * 200, and takes "flat": 1.2 x 200 = 240 g. */
void test_geo_forecast(void)
{
    write_ci("ci-now.csv", 48, clean_first_hour);
    const char *place[2] = {"least_carbon", "least_carbon_forecast"};
    int want[2] = {0, 1};
    double em[2] = {0.440, 0.240};
    for (int v = 0; v < 2; v++) {
        char text[4096];
        snprintf(text, sizeof text,
                 PHEAD "duration = \"1d\"; scheduler = { placement = \"%s\"; };\n"
                       "sites = ( { name = \"now\"; grid = { trace = \"ci-now.csv\"; };\n"
                       "    pools = ( { name = \"a\"; node = \"n100\"; count = 1; } ); },\n"
                       "  { name = \"flat\"; grid = { intensity_g_per_kwh = 200.0; };\n"
                       "    pools = ( { name = \"b\"; node = \"n100\"; count = 1; } ); } );\n"
                       "workloads = ( { name = \"w\"; kind = \"generic\"; node = \"n100\"; service = { mean = \"3h\"; };\n"
                       "  arrival = { at = \"2026-01-01T00:00:00Z\"; }; } );\n",
                 place[v]);
        scenario s;
        memsink ms;
        if (load_or_say(&s, "geof.cfg", text)) {
            CHECK(0);
            return;
        }
        CHECK(test_run(&s, &ms) == 0);
        CHECK_INT(ms.njobs, 1);
        if (ms.njobs == 1) {
            CHECK_INT(ms.jobs[0].site, want[v]);
            CHECK_NEAR(ms.jobs[0].emissions_kg, em[v], 1e-12, 0);
            CHECK_INT(ms.jobs[0].home_site, 0);
        }
        memsink_free(&ms);
        scenario_free(&s);
    }
}

/* Ten 100/400 W nodes (idle 1 kW), eight one-node 1 h jobs at 00:00.
 * (a) no cap: all start at once; hour 0 at 8 x 400 + 2 x 100 = 3.4 kW.
 * (b) power_cap 2.5 kW: room 1.5 kW = 5 nodes at +300 W: five start at 0
 *     (2.5 kW exactly), three at 1 h (wait 3 x 3600 s / 8 = 1350 s mean);
 *     hour 1 at 3 x 400 + 7 x 100 = 1.9 kW.
 * (c) a 1.5 kW cap in the window 00-02 UTC: one job at a time (0, 1 h),
 *     the other six when the window closes at 2 h. */
void test_cap_by_hand(void)
{
    const char *cap[3] = {"", "power_cap = { kw = 2.5; };", "power_cap = { kw = 1.5; from_hour_utc = 0; to_hour_utc = 2; };"};
    double h0[3] = {3.4, 2.5, 1.3}, wait[3] = {0, 1350.0, (3600.0 + 6 * 7200.0) / 8};
    int at0[3] = {8, 5, 1};
    for (int v = 0; v < 3; v++) {
        char all[8192]; /* eight workloads of one job each, all at 00:00 */
        int n = snprintf(all, sizeof all,
                         PHEAD "duration = \"1d\";\n"
                               "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 100.0; }; %s\n"
                               "    pools = ( { name = \"a\"; node = \"n100\"; count = 10; } ); } );\n"
                               "workloads = (",
                         cap[v]);
        for (int k = 0; k < 8; k++)
            n += snprintf(all + n, sizeof all - (size_t)n,
                          "%s { name = \"w%d\"; kind = \"generic\"; pool = \"a\"; service = { mean = \"1h\"; };\n"
                          "  arrival = { at = \"2026-01-01T00:00:00Z\"; }; }",
                          k ? "," : "", k);
        snprintf(all + n, sizeof all - (size_t)n, " );\n");
        scenario s;
        memsink ms;
        if (load_or_say(&s, "cap.cfg", all)) {
            CHECK(0);
            return;
        }
        CHECK(test_run(&s, &ms) == 0);
        CHECK_INT(ms.njobs, 8);
        int started0 = 0;
        double sum_wait = 0;
        for (long k = 0; k < ms.njobs; k++) {
            started0 += ms.jobs[k].start_s == 0.0;
            sum_wait += ms.jobs[k].wait_s;
        }
        CHECK_INT(started0, at0[v]);
        CHECK_NEAR(sum_wait / 8, wait[v], 1e-12, 0);
        CHECK_NEAR(memsink_summary(&ms, "mean_wait_s"), wait[v], 1e-12, 0);
        CHECK(ms.nsteps >= 3);
        if (ms.nsteps >= 3) {
            CHECK_NEAR(ms.site_vals[0 * ms.nsv + SV_IT_POWER_KW], h0[v], 1e-12, 0);
            if (v == 1)
                CHECK_NEAR(ms.site_vals[1 * ms.nsv + SV_IT_POWER_KW], 1.9, 1e-12, 0);
            if (v == 2) /* hour 2: six jobs at once, the window closed */
                CHECK_NEAR(ms.site_vals[2 * ms.nsv + SV_IT_POWER_KW], 6 * 0.4 + 4 * 0.1, 1e-12, 0);
        }
        memsink_free(&ms);
        scenario_free(&s);
    }
}

/* A month of mixed jobs on two pools of one site (20 + 10 nodes, idle 3 kW)
 * under a 7 kW cap and without: with the cap the site's IT power never
 * exceeds 7 kW in any step (and, in -DSIM_CHECK builds, at any instant),
 * the jobs wait longer, and all of them still run. */
void test_cap_never_exceeded(void)
{
    double wait[2] = {0, 0}, peak[2] = {0, 0};
    long done[2] = {0, 0};
    for (int v = 0; v < 2; v++) {
        char text[4096];
        snprintf(text, sizeof text,
                 PHEAD "duration = \"30d\";\n"
                       "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 100.0; }; %s\n"
                       "    pools = ( { name = \"a\"; node = \"n100\"; count = 20; },\n"
                       "              { name = \"b\"; node = \"n100\"; count = 10; } ); } );\n"
                       "workloads = ( { name = \"x\"; kind = \"generic\"; pool = \"a\"; nodes = 2; utilization = 0.7;\n"
                       "    service = { dist = \"exponential\"; mean = \"2h\"; };\n"
                       "    arrival = { process = \"poisson\"; mean_interval = \"40min\"; count = 900; }; },\n"
                       "  { name = \"y\"; kind = \"generic\"; pool = \"b\"; service = { dist = \"exponential\"; mean = \"1h\"; };\n"
                       "    arrival = { process = \"poisson\"; mean_interval = \"15min\"; count = 2500; }; } );\n",
                 v ? "power_cap = { kw = 7.0; };" : "");
        scenario s;
        memsink ms;
        if (load_or_say(&s, "cap30.cfg", text)) {
            CHECK(0);
            return;
        }
        CHECK(test_run(&s, &ms) == 0);
        for (long t = 0; t < ms.nsteps; t++)
            peak[v] = fmax(peak[v], ms.site_vals[t * ms.nsv + SV_IT_POWER_KW]);
        wait[v] = memsink_summary(&ms, "mean_wait_s");
        done[v] = (long)memsink_summary(&ms, "jobs_completed");
        memsink_free(&ms);
        scenario_free(&s);
    }
    fprintf(stderr, "  peak step power %.2f kW uncapped, %.2f kW capped; mean wait %.0f s vs %.0f s\n", peak[0], peak[1],
            wait[0], wait[1]);
    CHECK(peak[0] > 7.0);
    CHECK(peak[1] <= 7.0 + 1e-9);
    CHECK(wait[1] > 2 * wait[0]);
    CHECK_INT(done[0], 3400);
    CHECK_INT(done[1], 3400);
}

/* scheduler.baseline = "fifo" on the suspend case (a) of
 * test_suspend_by_hand: one 100/400 W node over 48 h at 100 g/kWh but
 * 500 in hours 2-4. Baseline (no suspension): busy 0-4 h, 0.8 x 100 + 0.8
 * x 500 = 480 g, idle 44 h x 0.1 kWh x 100 = 440 g: 920 g. Suspended: 80 g
 * + held idle 2-4 h 0.2 x 500 = 100 g + 2.5 h busy 1.0 x 100 = 100 g + idle
 * 41.5 h 415 g = 695 g. Saved 225 g (24.46%), at a delay of 6.5 - 4 =
 * 2.5 h. And the baseline equals a plain run of the same arrivals (common
 * random numbers) on a month of random work. */
void test_baseline_savings(void)
{
    write_ci("ci-a.csv", 48, dirty_2_4);
    char text[4096];
    snprintf(text, sizeof text,
             PHEAD "duration = \"2d\"; scheduler = { suspend_above_g_per_kwh = 300.0; baseline = \"fifo\"; };\n"
                   "sites = ( { name = \"s\"; grid = { trace = \"ci-a.csv\"; };\n"
                   "  pools = ( { name = \"p\"; node = \"n100\"; count = 1; } ); } );\n"
                   "workloads = ( { name = \"w\"; kind = \"generic\"; pool = \"p\"; service = { mean = \"4h\"; };\n"
                   "  checkpointable = true; checkpoint_overhead = \"30min\"; deadline = \"24h\";\n"
                   "  arrival = { at = \"2026-01-01T00:00:00Z\"; }; } );\n");
    scenario s;
    memsink ms;
    if (load_or_say(&s, "base.cfg", text)) {
        CHECK(0);
        return;
    }
    CHECK(test_run(&s, &ms) == 0);
    CHECK_NEAR(memsink_summary(&ms, "emissions_t"), 695e-6, 1e-12, 0);
    CHECK_NEAR(memsink_summary(&ms, "baseline_emissions_t"), 920e-6, 1e-12, 0);
    CHECK_NEAR(memsink_summary(&ms, "emissions_saved_t"), 225e-6, 1e-9, 0);
    CHECK_NEAR(memsink_summary(&ms, "emissions_saved_pct"), 100.0 * 225.0 / 920.0, 1e-9, 0);
    CHECK_NEAR(memsink_summary(&ms, "mean_delay_h"), 2.5, 1e-12, 0);
    CHECK_INT(memsink_summary(&ms, "baseline_jobs_completed"), 1);
    memsink_free(&ms);
    scenario_free(&s);

    /* common random numbers: the baseline of a shifted, suspended, moved run = the plain run */
    write_ci("ci30s.csv", 30 * 24, solar_days);
    double plain = NAN, base = NAN, saved = NAN;
    for (int v = 0; v < 2; v++) {
        snprintf(text, sizeof text,
                 PHEAD "duration = \"30d\"; scheduler = { %s };\n"
                       "sites = ( { name = \"s\"; grid = { trace = \"ci30s.csv\"; };\n"
                       "    pools = ( { name = \"p\"; node = \"n100\"; count = 30; } ); },\n"
                       "  { name = \"t\"; grid = { intensity_g_per_kwh = 300.0; };\n"
                       "    pools = ( { name = \"q\"; node = \"n100\"; count = 30; } ); } );\n"
                       "workloads = ( { name = \"ck\"; kind = \"generic\"; node = \"n100\"; nodes = 2; deadline = \"24h\";\n"
                       "    checkpointable = true; checkpoint_overhead = \"10min\"; service = { mean = \"6h\"; };\n"
                       "    arrival = { process = \"poisson\"; mean_interval = \"2h\"; }; },\n"
                       "  { name = \"flex\"; kind = \"generic\"; node = \"n100\"; slack = \"12h\";\n"
                       "    service = { dist = \"exponential\"; mean = \"3h\"; };\n"
                       "    arrival = { process = \"poisson\"; mean_interval = \"20min\"; }; } );\n",
                 v ? "carbon_policy = \"shift\"; suspend_above_percentile = 50.0; placement = \"least_carbon\";"
                     " policy = \"easy_backfill\"; baseline = \"fifo\";"
                   : "");
        if (load_or_say(&s, "base30.cfg", text)) {
            CHECK(0);
            return;
        }
        CHECK(test_run(&s, &ms) == 0);
        if (v == 0) {
            plain = memsink_summary(&ms, "emissions_t");
            CHECK(isnan(memsink_summary(&ms, "baseline_emissions_t"))); /* not written without a baseline */
        } else {
            base = memsink_summary(&ms, "baseline_emissions_t");
            saved = memsink_summary(&ms, "emissions_saved_t");
            CHECK(memsink_summary(&ms, "mean_delay_h") > 0);
        }
        memsink_free(&ms);
        scenario_free(&s);
    }
    CHECK_NEAR(base, plain, 0, 0);
    CHECK(saved > 0);
}

/* scenarios/managed-vs-self: the same requests on 16 dedicated always-on
 * nodes (4 per team) and on one shared pool of 6. The work is identical
 * (same requests, same job energy); the difference is the idle capacity:
 * idle energy = (nodes x 672 h - busy node-hours) x P_idle, and the cost
 * difference is 10 nodes x 672 h x the node-hour price (energy is in the
 * price). Managed uses less energy, emits less and costs less. */
void test_managed_vs_self(void)
{
    const char *files[2] = {"scenarios/managed-vs-self/self-managed.cfg", "scenarios/managed-vs-self/managed.cfg"};
    double nodes[2] = {16, 6}, it[2], idle[2], job[2], busy[2], em[2], cost[2], req[2], util[2];
    double idle_w = 0, price = 0;
    for (int v = 0; v < 2; v++) {
        scenario s;
        memsink ms;
        char err[1024];
        if (scenario_load(&s, files[v], NULL, 0, err, sizeof err)) {
            fprintf(stderr, "  %s\n", err);
            CHECK(0);
            return;
        }
        idle_w = s.cat.types[s.pools[0].type].idle_w;
        price = s.pools[0].price_usd_per_h;
        CHECK(test_run(&s, &ms) == 0);
        it[v] = memsink_summary(&ms, "it_energy_mwh");
        idle[v] = memsink_summary(&ms, "idle_energy_mwh");
        job[v] = memsink_summary(&ms, "job_energy_mwh");
        busy[v] = memsink_summary(&ms, "busy_node_hours");
        em[v] = memsink_summary(&ms, "emissions_t");
        cost[v] = memsink_summary(&ms, "cost_usd");
        req[v] = memsink_summary(&ms, "requests");
        util[v] = busy[v] / (nodes[v] * 672.0);
        CHECK_INT(memsink_summary(&ms, "jobs_queued_at_end"), 0);
        memsink_free(&ms);
        scenario_free(&s);
    }
    fprintf(stderr, "  self-managed: %.2f MWh, %.2f t, %.0f USD, utilisation %.2f; managed: %.2f MWh, %.2f t, %.0f USD, %.2f\n",
            it[0], em[0], cost[0], util[0], it[1], em[1], cost[1], util[1]);
    CHECK_NEAR(req[1], req[0], 0, 0);          /* the same requests (common random numbers) */
    CHECK_NEAR(job[1], job[0], 1e-9, 0);       /* the same work */
    CHECK_NEAR(busy[1], busy[0], 1e-9, 0);
    for (int v = 0; v < 2; v++)                /* idle energy by hand (no node switched off at this load) */
        CHECK_NEAR(idle[v], (nodes[v] * 672.0 - busy[v]) * idle_w / 1e6, 1e-6, 0);
    CHECK_NEAR(cost[0] - cost[1], 10 * 672.0 * price, 1e-9, 0);
    CHECK(it[1] < 0.7 * it[0]);
    CHECK(em[1] < 0.7 * em[0]);
    CHECK(util[0] < 0.3 && util[1] > 0.7);
}
