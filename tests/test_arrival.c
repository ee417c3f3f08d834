/* test_arrival.c - arrival processes (sim/workload.c) and job traces
 * (sim/jobtrace.c): the shapes of a non-homogeneous Poisson process, growth,
 * bursts, common random numbers, and trace replay in each format. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/jobtrace.h"
#include "../sim/sim.h"
#include "check.h"
#include "testutil.h"

void test_arrival_nhpp_shapes(void);
void test_arrival_nhpp_growth(void);
void test_arrival_bursts_crn(void);
void test_arrival_trace_formats(void);
void test_arrival_trace_errors(void);

#define AHEAD "name = \"t\"; seed = 3; start = \"2026-01-05T00:00:00Z\";\n" TEST_CATALOG /* a Monday */

static int load_run(const char *name, const char *text, scenario *s, memsink *ms)
{
    char err[1024];
    if (test_load(s, name, text, err, sizeof err)) {
        fprintf(stderr, "  %s\n", err);
        return -1;
    }
    if (test_run(s, ms)) {
        scenario_free(s);
        return -1;
    }
    return 0;
}

/* Four whole weeks from a Monday at 0.01/s, daily shape zero before noon
 * (UTC), weekly shape zero at weekends: no arrival in the mornings or at the
 * weekends, and the count is r x 28 d = 24192 (both shapes have mean 1 over
 * whole weeks) within 4 Poisson SD (622). */
void test_arrival_nhpp_shapes(void)
{
    scenario s;
    memsink ms;
    if (load_run("nhpp.cfg",
                 AHEAD "duration = \"28d\";\n"
                       "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 0.0; };\n"
                       "  pools = ( { name = \"p\"; node = \"n100\"; count = 100; } ); } );\n"
                       "workloads = ( { name = \"w\"; kind = \"generic\"; pool = \"p\"; service = { mean = 1.0; };\n"
                       "  arrival = { process = \"nhpp\"; rate_per_s = 0.01;\n"
                       "    daily = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];\n"
                       "    weekly = [1, 1, 1, 1, 1, 0, 0]; }; } );\n",
                 &s, &ms)) {
        CHECK(0);
        return;
    }
    CHECK_NEAR(s.workloads[0].daily[12], 2.0, 1e-15, 0);
    CHECK_NEAR(s.workloads[0].weekly[0], 1.4, 1e-15, 0);
    CHECK_NEAR(s.workloads[0].rate_max_per_s, 0.01 * 2.0 * 1.4, 1e-15, 0);
    long morning = 0, weekend = 0;
    for (long k = 0; k < ms.njobs; k++) {
        double t = ms.jobs[k].submit_s;
        morning += fmod(t, 86400.0) < 43200.0;
        weekend += fmod(t, 7 * 86400.0) >= 5 * 86400.0;
    }
    CHECK_INT(morning, 0);
    CHECK_INT(weekend, 0);
    CHECK_NEAR((double)ms.njobs, 24192.0, 0, 4 * sqrt(24192.0));
    memsink_free(&ms);
    scenario_free(&s);
}

/* Doubling per year: over one year the count is r T / ln 2 (r T = 31536 at
 * 0.001/s), and the first half-year holds (sqrt 2 - 1) / (2 - sqrt 2) =
 * 0.7071 as many arrivals as the second. */
void test_arrival_nhpp_growth(void)
{
    scenario s;
    memsink ms;
    if (load_run("growth.cfg",
                 AHEAD "duration = \"365d\";\n"
                       "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 0.0; };\n"
                       "  pools = ( { name = \"p\"; node = \"n100\"; count = 100; } ); } );\n"
                       "workloads = ( { name = \"w\"; kind = \"generic\"; pool = \"p\"; service = { mean = 1.0; };\n"
                       "  arrival = { process = \"nhpp\"; rate_per_s = 0.001; growth_per_year = 1.0; }; } );\n",
                 &s, &ms)) {
        CHECK(0);
        return;
    }
    double want = 31536.0 / log(2.0);
    CHECK_NEAR((double)ms.njobs, want, 0, 4 * sqrt(want));
    long first = 0;
    for (long k = 0; k < ms.njobs; k++)
        first += ms.jobs[k].submit_s < 365 * 86400.0 / 2;
    double ratio = (double)first / (double)(ms.njobs - first);
    CHECK_NEAR(ratio, (sqrt(2.0) - 1) / (2 - sqrt(2.0)), 0.04, 0);
    memsink_free(&ms);
    scenario_free(&s);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Bursts (2 a day, 1 h, x10) on a flat 0.01/s for 60 days: about
 * 1 + 9 (1 - exp(-2/24)) = 1.72 times the arrivals. Another workload's
 * arrivals are the same with and without them, and the same under another
 * queueing policy (common random numbers). */
void test_arrival_bursts_crn(void)
{
    const char *fmt = AHEAD "duration = \"60d\"; scheduler = { policy = \"%s\"; };\n"
                            "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 0.0; };\n"
                            "  pools = ( { name = \"p\"; node = \"n100\"; count = 2; } ); } );\n"
                            "workloads = ( { name = \"b\"; kind = \"generic\"; pool = \"p\"; service = { mean = 60.0; };\n"
                            "  arrival = { process = \"poisson\"; rate_per_s = 0.01; %s }; },\n"
                            " { name = \"o\"; kind = \"generic\"; pool = \"p\"; service = { dist = \"exponential\"; mean = 600.0; };\n"
                            "  arrival = { process = \"poisson\"; rate_per_s = 0.001; }; } );\n";
    const char *pol[3] = {"fifo", "fifo", "easy_backfill"};
    const char *burst[3] = {"", "bursts = { per_day = 2.0; factor = 10.0; duration = \"1h\"; };",
                            "bursts = { per_day = 2.0; factor = 10.0; duration = \"1h\"; };"};
    long nb[3] = {0, 0, 0};
    double *other[3] = {NULL, NULL, NULL};
    long no[3] = {0, 0, 0};
    for (int v = 0; v < 3; v++) {
        char text[4096];
        snprintf(text, sizeof text, fmt, pol[v], burst[v]);
        scenario s;
        memsink ms;
        if (load_run("burst.cfg", text, &s, &ms)) {
            CHECK(0);
            return;
        }
        if (v > 0)
            CHECK_INT(s.workloads[0].arrival, ARR_NHPP);
        other[v] = calloc((size_t)ms.njobs + 1, sizeof *other[v]);
        for (long k = 0; k < ms.njobs; k++) {
            if (ms.jobs[k].workload == 0)
                nb[v]++;
            else
                other[v][no[v]++] = ms.jobs[k].submit_s;
        }
        memsink_free(&ms);
        scenario_free(&s);
    }
    for (int v = 0; v < 3; v++) /* rows come in order of job ends */
        qsort(other[v], (size_t)no[v], sizeof *other[v], cmp_double);
    double ratio = (double)nb[1] / (double)nb[0];
    CHECK_NEAR(ratio, 1 + 9 * (1 - exp(-2.0 / 24)), 0.15, 0);
    CHECK_INT(nb[1], nb[2]);
    int same = no[0] == no[1] && no[1] == no[2];
    for (long k = 0; same && k < no[0]; k++)
        same = other[0][k] == other[1][k] && other[1][k] == other[2][k];
    CHECK(same);
    for (int v = 0; v < 3; v++)
        free(other[v]);
}

/* The same three jobs in each format (one CPU-only row skipped): the
 * earliest submission lands at the arrival's first time (1 h), the others
 * keep their offsets; 8 accelerators on one-accelerator nodes are 8 nodes. */
void test_arrival_trace_formats(void)
{
    const char *files[4] = {
        "submit,duration_s,accelerators,deadline,priority\n"
        "2020-04-01T00:10:00Z,600,8,2020-04-01T02:00:00Z,3\n"
        "2020-04-01T00:00:00Z,300,2,,\n"
        "2020-04-01T00:00:30Z,100,0,,\n"
        "2020-04-01T00:20:00Z,60,1,,\n",
        "job_id,user,gpu_num,cpu_num,node_num,state,submit_time,start_time,end_time,duration,queue\n"
        "a,u1,8,64,1,COMPLETED,2020-04-01 00:10:00,2020-04-01 00:11:00,2020-04-01 00:21:00,600,vc1\n"
        "b,u2,2,16,1,COMPLETED,2020-04-01 00:00:00,2020-04-01 00:00:00,2020-04-01 00:05:00,300,vc1\n"
        "c,u2,0,4,1,COMPLETED,2020-04-01 00:00:30,2020-04-01 00:00:30,2020-04-01 00:02:10,100,vc1\n"
        "d,u3,1,8,1,FAILED,2020-04-01 00:20:00,2020-04-01 00:20:00,2020-04-01 00:21:00,60,vc2\n",
        "jobid,submitted_time,run_time_s,num_gpus\n"
        "a,2017-10-03 00:10:00,600,8\nb,2017-10-03 00:00:00,300,2\nc,2017-10-03 00:00:30,100,0\n"
        "d,2017-10-03 00:20:00,60,1\n",
        "j1,worker,2,Terminated,1000600,1001200,600,29.3,400,V100\n"
        "j2,worker,1,Terminated,1000000,1000300,600,29.3,200,V100\n"
        "j3,worker,1,Terminated,1000030,1000130,600,29.3,,\n"
        "j4,worker,2,Failed,1001200,1001260,600,29.3,50,T4\n",
    };
    const char *fmt[4] = {"plain", "helios", "philly", "alibaba-pai"};
    for (int v = 0; v < 4; v++) {
        test_write("jobs.csv", files[v]);
        char text[4096];
        snprintf(text, sizeof text,
                 AHEAD "duration = \"1d\";\n"
                       "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 0.0; };\n"
                       "  pools = ( { name = \"p\"; node = \"n100\"; count = 16; } ); } );\n"
                       "workloads = ( { name = \"w\"; kind = \"generic\"; pool = \"p\"; service = { mean = 1.0; };\n"
                       "  arrival = { process = \"trace\"; trace = \"jobs.csv\"; format = \"%s\";%s\n"
                       "    first = \"2026-01-05T01:00:00Z\"; }; } );\n",
                 fmt[v], v == 3 ? " skip_incomplete = true;" : "");
        scenario s;
        memsink ms;
        if (load_run("trace.cfg", text, &s, &ms)) {
            CHECK(0);
            return;
        }
        const jobtrace *t = s.workloads[0].trace;
        CHECK_INT(t->n, 3);
        CHECK_INT(t->skipped_cpu + t->skipped_bad, 1);
        CHECK_INT(ms.njobs, 3);
        double sub[3] = {3600, 4200, 4800}, dur[3] = {300, 600, 60};
        int nodes[3] = {2, 8, 1};
        for (long k = 0; k < ms.njobs && k < 3; k++) {
            CHECK_NEAR(ms.jobs[k].submit_s, sub[ms.jobs[k].id], 0, 0);
            CHECK_NEAR(ms.jobs[k].end_s - ms.jobs[k].start_s, dur[ms.jobs[k].id], 1e-9, 0);
            CHECK_INT(ms.jobs[k].nodes, nodes[ms.jobs[k].id]);
            if (v == 0 && ms.jobs[k].id == 1) { /* deadline 1 h 50 min after its submission */
                CHECK_NEAR(ms.jobs[k].deadline_s, 4200 + 6600, 0, 0);
                CHECK_INT(ms.jobs[k].deadline_met, 1);
            }
        }
        memsink_free(&ms);
        scenario_free(&s);
    }
}

/* Bad rows are errors with file and line; skip_incomplete skips them. */
void test_arrival_trace_errors(void)
{
    struct {
        const char *text, *want;
    } cases[] = {
        {"submit,duration_s,nodes\n0,10,1\n5,abc,1\n", "jobs.csv:3: column duration (field 2): \"abc\" is not a finite number"},
        {"submit,duration_s,nodes\n0,10,1\nyesterday,10,1\n",
         "jobs.csv:3: column submit (field 1): \"yesterday\" is neither seconds nor a timestamp (YYYY-MM-DD HH:MM:SS)"},
        {"submit,duration_s,nodes\n0,10\n", "jobs.csv:2: 2 fields; column nodes is field 3"},
        {"submit,duration_s\n0,10\n", "jobs.csv: give a nodes or accelerators column, or instances and accelerator_percent"},
        {"submit,duration,nodes\n0,10,1\n", "jobs.csv:1: no column \"duration_s\" (for duration) in the header"},
        {"submit,duration_s,nodes\n0,-5,1\n", "jobs.csv:2: column duration (field 2): -5 is below 0"},
        {"submit,duration_s,nodes\n0,,1\n", "jobs.csv:2: column duration (field 2) is empty"},
        {"submit,duration_s,nodes,deadline\n100,50,1,120\n", "jobs.csv:2: column deadline: the deadline is before submit + duration"},
        {"# only a comment\n", "jobs.csv: no jobs (1 lines, 0 rows without accelerators, 0 skipped)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *path = test_write("jobs.csv", cases[i].text);
        jobtrace_opts o;
        jobtrace_defaults(&o, JT_PLAIN);
        if (i == 3)
            o.col[JTC_NODES][0] = '\0';
        if (i == 7)
            strcpy(o.col[JTC_DEADLINE], "deadline");
        jobtrace t;
        char err[1024] = "";
        CHECK(jobtrace_read(&t, path, &o, err, sizeof err) == -1);
        const char *tail = strstr(err, "jobs.csv");
        CHECK_STR(tail, cases[i].want);
        CHECK(t.jobs == NULL);
    }
    const char *path = test_write("jobs.csv", "submit,duration_s,nodes\n0,10,1\n5,abc,1\n9,1,2\n");
    jobtrace_opts o;
    jobtrace_defaults(&o, JT_PLAIN);
    o.skip_incomplete = 1;
    jobtrace t;
    char err[1024];
    CHECK(jobtrace_read(&t, path, &o, err, sizeof err) == 0);
    CHECK_INT(t.n, 2);
    CHECK_INT(t.skipped_bad, 1);
    jobtrace_free(&t);
}
