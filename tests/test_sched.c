/* test_sched.c - the queueing policies (sim/sched.c) in whole runs: EASY
 * backfilling by hand and its reservation guarantee, priority order,
 * M/M/c against Erlang C inside a 95% confidence interval, Little's law. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/account.h"
#include "../sim/sim.h"
#include "check.h"
#include "testutil.h"

void test_sched_backfill_by_hand(void);
void test_sched_backfill_reservations(void);
void test_sched_priority_order(void);
void test_sched_erlang_c_ci(void);
void test_sched_littles_law(void);
void test_sched_placement(void);
void test_power_by_hand(void);
void test_power_saves_energy(void);
void test_shift_by_hand(void);
void test_shift_deadlines(void);

#define SHEAD "name = \"t\"; start = \"2026-01-01T00:00:00Z\";\n" TEST_CATALOG

static const sink_job *job_of(const memsink *ms, int workload)
{
    for (long k = 0; k < ms->njobs; k++)
        if (ms->jobs[k].workload == workload)
            return &ms->jobs[k];
    return NULL;
}

/* Five nodes. A (2 nodes, 10 h) at 0; B (5 nodes, 1 h) at 1 h: blocked, its
 * reservation is 10 h (A's end). C (2 nodes, 5 h) at 2 h ends at 7 h, before
 * the reservation: backfilled at once. D (1 node, 20 h) at 3 h fits in the
 * free node but would still hold it at 10 h, and no node is spare then
 * (extra = 0): it must wait, and starts after B (11 h). Under FIFO C and D
 * both start at 11 h. */
static const char *bf_text(const char *policy)
{
    static char buf[2048];
    snprintf(buf, sizeof buf,
             SHEAD "duration = \"drain\"; scheduler = { policy = \"%s\"; };\n"
                   "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 0.0; };\n"
                   "  pools = ( { name = \"p\"; node = \"n100\"; count = 5; } ); } );\n"
                   "workloads = (\n"
                   " { name = \"A\"; kind = \"generic\"; pool = \"p\"; nodes = 2; service = { mean = \"10h\"; };\n"
                   "   arrival = { at = \"2026-01-01T00:00:00Z\"; }; },\n"
                   " { name = \"B\"; kind = \"generic\"; pool = \"p\"; nodes = 5; service = { mean = \"1h\"; };\n"
                   "   arrival = { at = \"2026-01-01T01:00:00Z\"; }; },\n"
                   " { name = \"C\"; kind = \"generic\"; pool = \"p\"; nodes = 2; service = { mean = \"5h\"; };\n"
                   "   arrival = { at = \"2026-01-01T02:00:00Z\"; }; },\n"
                   " { name = \"D\"; kind = \"generic\"; pool = \"p\"; nodes = 1; service = { mean = \"20h\"; };\n"
                   "   arrival = { at = \"2026-01-01T03:00:00Z\"; }; } );\n",
             policy);
    return buf;
}

void test_sched_backfill_by_hand(void)
{
    const char *pol[2] = {"easy_backfill", "fifo"};
    double want_c[2] = {7200.0, 39600.0}, want_d[2] = {39600.0, 39600.0};
    for (int v = 0; v < 2; v++) {
        scenario s;
        memsink ms;
        char err[1024];
        int rc = test_load(&s, "bf.cfg", bf_text(pol[v]), err, sizeof err);
        CHECK(rc == 0);
        if (rc) {
            fprintf(stderr, "  %s\n", err);
            return;
        }
        CHECK(test_run(&s, &ms) == 0);
        CHECK_INT(ms.njobs, 4);
        const sink_job *a = job_of(&ms, 0), *b = job_of(&ms, 1), *c = job_of(&ms, 2), *d = job_of(&ms, 3);
        CHECK(a && b && c && d);
        if (a && b && c && d) {
            CHECK_NEAR(a->start_s, 0.0, 0, 0);
            CHECK_NEAR(b->start_s, 36000.0, 0, 0); /* its reservation, under both */
            CHECK_NEAR(c->start_s, want_c[v], 0, 0);
            CHECK_NEAR(d->start_s, want_d[v], 0, 0);
            CHECK_NEAR(b->wait_s, 32400.0, 0, 0);
            CHECK_NEAR(c->slowdown, (c->end_s - c->submit_s) / 18000.0, 1e-15, 0);
            CHECK_INT(d->deadline_met, -1);
        }
        CHECK_INT(memsink_summary(&ms, "jobs_backfilled"), v == 0 ? 1 : 0);
        CHECK_INT(memsink_summary(&ms, "reservation_violations"), 0);
        memsink_free(&ms);
        scenario_free(&s);
    }
}

/* Many jobs of 1, 3 and 8 nodes on 10 nodes (load ~0.85), exponential run
 * times: under easy_backfill no head ever starts after its first
 * reservation, many jobs backfill, and the mean wait is below FIFO's on the
 * same arrivals (common random numbers). */
void test_sched_backfill_reservations(void)
{
    double wait[2] = {0, 0};
    const char *pol[2] = {"easy_backfill", "fifo"};
    for (int v = 0; v < 2; v++) {
        char text[4096];
        snprintf(text, sizeof text,
                 SHEAD "duration = \"drain\"; scheduler = { policy = \"%s\"; };\n"
                       "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 0.0; };\n"
                       "  pools = ( { name = \"p\"; node = \"n100\"; count = 10; } ); } );\n"
                       "workloads = (\n"
                       " { name = \"small\"; kind = \"generic\"; pool = \"p\"; nodes = 1;\n"
                       "   service = { dist = \"exponential\"; mean = \"1h\"; };\n"
                       "   arrival = { process = \"poisson\"; load = 0.3; count = 3000; }; },\n"
                       " { name = \"mid\"; kind = \"generic\"; pool = \"p\"; nodes = 3;\n"
                       "   service = { dist = \"exponential\"; mean = \"2h\"; };\n"
                       "   arrival = { process = \"poisson\"; load = 0.25; count = 1000; }; },\n"
                       " { name = \"big\"; kind = \"generic\"; pool = \"p\"; nodes = 8;\n"
                       "   service = { dist = \"exponential\"; mean = \"4h\"; };\n"
                       "   arrival = { process = \"poisson\"; load = 0.3; count = 300; }; } );\n",
                 pol[v]);
        scenario s;
        memsink ms;
        char err[1024];
        int rc = test_load(&s, "bfr.cfg", text, err, sizeof err);
        CHECK(rc == 0);
        if (rc) {
            fprintf(stderr, "  %s\n", err);
            return;
        }
        CHECK(test_run(&s, &ms) == 0);
        CHECK_INT(memsink_summary(&ms, "jobs_completed"), 4300);
        CHECK_INT(memsink_summary(&ms, "reservation_violations"), 0);
        if (v == 0) {
            CHECK(memsink_summary(&ms, "jobs_backfilled") > 100);
            /* each reservation is met: the heads that got one are many */
            long late = 0;
            for (long k = 0; k < ms.njobs; k++)
                late += ms.jobs[k].start_s < ms.jobs[k].submit_s;
            CHECK_INT(late, 0);
        }
        wait[v] = memsink_summary(&ms, "mean_wait_s");
        memsink_free(&ms);
        scenario_free(&s);
    }
    CHECK(wait[0] < wait[1]);
}

/* One node. L1 (1 h) at 0 runs; L2 (priority 0) at 10 min and H (priority
 * 5) at 20 min wait; H starts at 1 h, L2 at 2 h. Under FIFO, L2 first. */
void test_sched_priority_order(void)
{
    const char *pol[2] = {"priority", "fifo"};
    double want_l2[2] = {7200.0, 3600.0}, want_h[2] = {3600.0, 7200.0};
    for (int v = 0; v < 2; v++) {
        char text[4096];
        snprintf(text, sizeof text,
                 SHEAD "duration = \"drain\";\n"
                       "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 0.0; };\n"
                       "  pools = ( { name = \"p\"; node = \"n100\"; count = 1; policy = \"%s\"; } ); } );\n"
                       "workloads = (\n"
                       " { name = \"L1\"; kind = \"generic\"; pool = \"p\"; service = { mean = \"1h\"; };\n"
                       "   arrival = { at = \"2026-01-01T00:00:00Z\"; }; },\n"
                       " { name = \"L2\"; kind = \"generic\"; pool = \"p\"; service = { mean = \"1h\"; };\n"
                       "   arrival = { at = \"2026-01-01T00:10:00Z\"; }; },\n"
                       " { name = \"H\"; kind = \"generic\"; pool = \"p\"; priority = 5; service = { mean = \"1h\"; };\n"
                       "   arrival = { at = \"2026-01-01T00:20:00Z\"; }; } );\n",
                 pol[v]);
        scenario s;
        memsink ms;
        char err[1024];
        int rc = test_load(&s, "prio.cfg", text, err, sizeof err);
        CHECK(rc == 0);
        if (rc) {
            fprintf(stderr, "  %s\n", err);
            return;
        }
        CHECK_INT(s.pools[0].policy, v == 0 ? SCHED_PRIORITY : SCHED_FIFO);
        CHECK(test_run(&s, &ms) == 0);
        const sink_job *l2 = job_of(&ms, 1), *h = job_of(&ms, 2);
        CHECK(l2 && h);
        if (l2 && h) {
            CHECK_NEAR(l2->start_s, want_l2[v], 0, 0);
            CHECK_NEAR(h->start_s, want_h[v], 0, 0);
        }
        memsink_free(&ms);
        scenario_free(&s);
    }
}

/* Erlang C: the probability an arrival waits in M/M/c at offered load a =
 * lambda / mu erlangs, and the mean wait Wq = C / (c mu - lambda). */
static double erlang_c(int c, double a)
{
    double term = 1, sum = 1; /* a^k / k! summed for k < c */
    for (int k = 1; k < c; k++) {
        term *= a / k;
        sum += term;
    }
    double last = term * a / c / (1 - a / c); /* a^c / c! * c / (c - a) */
    return last / (sum + last);
}

/* M/M/10 at load 0.8, mean service 3600 s: P(wait) = 0.40918, Wq = 736.5 s.
 * Thirty independent replications (seeds 1..30) of 200,000 jobs each, the
 * first 5,000 of every replication's waits discarded (warm-up); the Erlang C
 * values must lie in the 95% confidence interval of the replication means
 * (Student t, 29 degrees of freedom: 2.045). Busy periods make the waits
 * strongly correlated (replication SD of the mean wait ~36 s at 100,000
 * jobs): shorter or fewer replications gave intervals that seeds 1..10 missed
 * by 3 standard errors, while 300 replications of 100,000 (seeds 1000..1299)
 * gave Wq = 733.4 +- 2.6 s and P(wait) = 0.4088 +- 0.0005, so the engine is
 * unbiased. Measured here: Wq = 728.7 +- 13.8 s, P(wait) = 0.4085 +- 0.0023.
 * Replications after the first use easy_backfill: for one-node jobs it must
 * behave exactly as FIFO. ~3 s. */
void test_sched_erlang_c_ci(void)
{
    enum { reps = 30 };
    const int n = 200000, warm = 5000;
    const double mu = 1.0 / 3600.0, lambda = 0.8 * 10 * mu;
    double pc = erlang_c(10, lambda / mu), wq = pc / (10 * mu - lambda);
    CHECK_NEAR(pc, 0.40918, 0, 5e-5);
    CHECK_NEAR(wq, 736.5, 0, 0.05);
    double mw[reps], mp[reps];
    for (int r = 0; r < reps; r++) {
        char text[4096];
        snprintf(text, sizeof text,
                 "name = \"t\"; seed = %d; start = \"2026-01-01T00:00:00Z\";\n" TEST_CATALOG
                 "duration = \"drain\"; scheduler = { policy = \"%s\"; };\n"
                 "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 0.0; };\n"
                 "  pools = ( { name = \"p\"; node = \"n100\"; count = 10; } ); } );\n"
                 "workloads = ( { name = \"w1\"; kind = \"generic\"; pool = \"p\";\n"
                 "  service = { dist = \"exponential\"; mean = 3600.0; };\n"
                 "  arrival = { process = \"poisson\"; load = 0.8; count = %d; }; } );\n",
                 r + 1, r == 0 ? "fifo" : "easy_backfill", n);
        scenario s;
        memsink ms;
        char err[1024];
        int rc = test_load(&s, "mmc-ci.cfg", text, err, sizeof err);
        CHECK(rc == 0);
        if (rc) {
            fprintf(stderr, "  %s\n", err);
            return;
        }
        CHECK(test_run(&s, &ms) == 0);
        CHECK_INT(ms.njobs, n);
        /* rows are written at job ends; order by id (= submission) for the warm-up cut */
        double *w = calloc((size_t)n, sizeof *w);
        for (long k = 0; w && k < ms.njobs; k++)
            w[ms.jobs[k].id] = ms.jobs[k].wait_s;
        double sw = 0, sp = 0;
        for (int k = warm; w && k < n; k++) {
            sw += w[k];
            sp += w[k] > 0;
        }
        mw[r] = sw / (n - warm);
        mp[r] = sp / (n - warm);
        CHECK_INT(memsink_summary(&ms, "jobs_backfilled"), 0);
        free(w);
        memsink_free(&ms);
        scenario_free(&s);
    }
    double aw = 0, ap = 0, vw = 0, vp = 0;
    for (int r = 0; r < reps; r++) {
        aw += mw[r] / reps;
        ap += mp[r] / reps;
    }
    for (int r = 0; r < reps; r++) {
        vw += (mw[r] - aw) * (mw[r] - aw) / (reps - 1);
        vp += (mp[r] - ap) * (mp[r] - ap) / (reps - 1);
    }
    double hw = 2.045 * sqrt(vw / reps), hp = 2.045 * sqrt(vp / reps);
    if (1)
        fprintf(stderr, "  Wq %.1f +- %.1f (Erlang C %.1f), P(wait) %.4f +- %.4f (Erlang C %.4f)\n", aw, hw, wq, ap,
                hp, pc);
    CHECK(fabs(aw - wq) <= hw);
    CHECK(fabs(ap - pc) <= hp);
    CHECK(hw < 0.1 * wq); /* the interval is informative, not vacuous */
}

/* Little's law. The area under the queue-length series equals the sum of
 * the waits exactly (every job that waited is in the queue for its wait), and
 * the time-mean queue length L_q = lambda W_q is near Erlang C's
 * lambda x 736.5 s = 1.637 jobs. */
void test_sched_littles_law(void)
{
    scenario s;
    memsink ms;
    char err[1024];
    int rc = test_load(&s, "little.cfg",
                       SHEAD "duration = \"drain\"; step = \"15min\";\n"
                             "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 0.0; };\n"
                             "  pools = ( { name = \"p\"; node = \"n100\"; count = 10; } ); } );\n"
                             "workloads = ( { name = \"w1\"; kind = \"generic\"; pool = \"p\";\n"
                             "  service = { dist = \"exponential\"; mean = 3600.0; };\n"
                             "  arrival = { process = \"poisson\"; load = 0.8; count = 50000; }; } );\n",
                       err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK(test_run(&s, &ms) == 0);
    double area = 0, waits = 0;
    for (long i = 0; i < ms.nsteps; i++) {
        double t1 = i + 1 < ms.nsteps ? ms.t[i + 1] : memsink_summary(&ms, "sim_end_s");
        area += ms.pool_vals[(size_t)i * (size_t)ms.npools * (size_t)ms.npv + PV_QUEUE_LENGTH] * (t1 - ms.t[i]);
    }
    for (long k = 0; k < ms.njobs; k++)
        waits += ms.jobs[k].wait_s;
    CHECK_NEAR(area, waits, 1e-9, 0);
    double end = memsink_summary(&ms, "sim_end_s");
    CHECK_NEAR(memsink_summary(&ms, "mean_queue_length"), waits / end, 1e-9, 0);
    double lambda = 0.8 * 10 / 3600.0;
    CHECK_NEAR(memsink_summary(&ms, "mean_queue_length"), lambda * 736.5, 0.15, 0);
    memsink_free(&ms);
    scenario_free(&s);
}

/* Placement. Two pools of the same type at two sites, 100 and 500 g/kWh,
 * the dirty one first. first_fit puts a job on the first (dirty) site;
 * least_carbon on the clean one; least_cost on the cheaper one (price 1 vs 2
 * USD/h). A 1-node 1 h job at 400 W emits 0.4 kWh x 100 g = 40 g there. */
void test_sched_placement(void)
{
    const char *how[3] = {"first_fit", "least_carbon", "least_cost"};
    int want_site[3] = {0, 1, 0};
    for (int v = 0; v < 3; v++) {
        char text[4096];
        snprintf(text, sizeof text,
                 SHEAD "duration = \"2h\"; scheduler = { placement = \"%s\"; };\n"
                       "sites = ( { name = \"dirty\"; grid = { intensity_g_per_kwh = 500.0; };\n"
                       "  pools = ( { name = \"a\"; node = \"n100\"; count = 1; price_usd_per_h = 1.0; } ); },\n"
                       " { name = \"clean\"; grid = { intensity_g_per_kwh = 100.0; };\n"
                       "  pools = ( { name = \"b\"; node = \"n100\"; count = 1; } ); } );\n"
                       "workloads = ( { name = \"w\"; kind = \"generic\"; node = \"n100\"; service = { mean = \"1h\"; };\n"
                       "  arrival = { at = \"2026-01-01T00:00:00Z\"; }; } );\n",
                 how[v]);
        scenario s;
        memsink ms;
        char err[1024];
        int rc = test_load(&s, "place.cfg", text, err, sizeof err);
        CHECK(rc == 0);
        if (rc) {
            fprintf(stderr, "  %s\n", err);
            return;
        }
        CHECK(test_run(&s, &ms) == 0);
        CHECK_INT(ms.njobs, 1);
        if (ms.njobs == 1) {
            CHECK_INT(ms.jobs[0].site, want_site[v]);
            CHECK_NEAR(ms.jobs[0].emissions_kg, want_site[v] ? 0.040 : 0.200, 1e-12, 0);
        }
        memsink_free(&ms);
        scenario_free(&s);
    }
}

/* Power management by hand. Two 100 W nodes (10 W off), both off at the
 * start; wake latency 10 min, 50 Wh per boot (300 W while waking), off after
 * 30 min idle. A one-node 1 h job at 1 h waits 10 min for a node to boot,
 * runs 1:10-2:10 at 400 W, the node idles to 2:40 and goes off. Over 4 h:
 * node A 10 + 50 + 400 + 50 + 13.33 Wh, node B 40 Wh: 563.33 Wh. */
void test_power_by_hand(void)
{
    scenario s;
    memsink ms;
    char err[1024];
    int rc = test_load(&s, "power.cfg",
                       SHEAD "duration = \"4h\"; step = \"1h\";\n"
                             "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 0.0; };\n"
                             "  pools = ( { name = \"p\"; node = \"n100\"; count = 2; on = 0;\n"
                             "    power = { idle_off_after = \"30min\"; wake_latency = \"10min\"; boot_energy_wh = 50.0; }; } ); } );\n"
                             "workloads = ( { name = \"w\"; kind = \"generic\"; pool = \"p\"; service = { mean = \"1h\"; };\n"
                             "  arrival = { at = \"2026-01-01T01:00:00Z\"; }; } );\n",
                       err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK(test_run(&s, &ms) == 0);
    CHECK_INT(ms.njobs, 1);
    if (ms.njobs == 1) {
        CHECK_NEAR(ms.jobs[0].start_s, 4200.0, 1e-12, 0);
        CHECK_NEAR(ms.jobs[0].wait_s, 600.0, 1e-12, 0);
        CHECK_NEAR(ms.jobs[0].energy_kwh, 0.4, 1e-12, 0);
    }
    CHECK_NEAR(memsink_summary(&ms, "it_energy_mwh"), 563.3333333333333e-6, 1e-12, 0);
    CHECK_NEAR(memsink_summary(&ms, "it_energy_mwh"),
               memsink_summary(&ms, "job_energy_mwh") + memsink_summary(&ms, "idle_energy_mwh"), 1e-12, 0);
    CHECK_INT(memsink_summary(&ms, "node_boots"), 1);
    CHECK_NEAR(memsink_summary(&ms, "boot_energy_mwh"), 50e-6, 1e-12, 0);
    size_t stride = (size_t)ms.npools * (size_t)ms.npv;
    CHECK_NEAR(ms.pool_vals[0 * stride + PV_NODES_ON], 0.0, 0, 1e-12);
    CHECK_NEAR(ms.pool_vals[1 * stride + PV_NODES_ON], 1.0, 0, 1e-12);
    CHECK_NEAR(ms.pool_vals[2 * stride + PV_NODES_ON], 40.0 / 60.0, 0, 1e-12);
    CHECK_NEAR(ms.pool_vals[3 * stride + PV_NODES_ON], 0.0, 0, 1e-12);
    CHECK_NEAR(ms.pool_vals[1 * stride + PV_QUEUE_LENGTH], 10.0 / 60.0, 0, 1e-12);
    memsink_free(&ms);
    scenario_free(&s);
}

/* A month of bursty one-node jobs on 20 nodes, with and without power
 * management (same arrivals): switching idle nodes off saves energy and
 * costs waiting; min_on keeps a warm floor; energy = jobs + idle. */
void test_power_saves_energy(void)
{
    double e[3], w[3];
    const char *pw[3] = {"", "power = { idle_off_after = \"15min\"; wake_latency = \"5min\"; boot_energy_wh = 20.0; };",
                         "power = { idle_off_after = \"15min\"; wake_latency = \"5min\"; boot_energy_wh = 20.0; min_on = 20; };"};
    for (int v = 0; v < 3; v++) {
        char text[4096];
        snprintf(text, sizeof text,
                 SHEAD "duration = \"30d\";\n"
                       "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 0.0; };\n"
                       "  pools = ( { name = \"p\"; node = \"n100\"; count = 20; %s } ); } );\n"
                       "workloads = ( { name = \"w\"; kind = \"generic\"; pool = \"p\";\n"
                       "  service = { dist = \"exponential\"; mean = \"30min\"; };\n"
                       "  arrival = { process = \"nhpp\"; load = 0.2; diurnal_amplitude = 1.0; peak_hour_utc = 14.0; }; } );\n",
                 pw[v]);
        scenario s;
        memsink ms;
        char err[1024];
        int rc = test_load(&s, "powerm.cfg", text, err, sizeof err);
        CHECK(rc == 0);
        if (rc) {
            fprintf(stderr, "  %s\n", err);
            return;
        }
        CHECK(test_run(&s, &ms) == 0);
        e[v] = memsink_summary(&ms, "it_energy_mwh");
        w[v] = memsink_summary(&ms, "mean_wait_s");
        CHECK_NEAR(e[v], memsink_summary(&ms, "job_energy_mwh") + memsink_summary(&ms, "idle_energy_mwh"), 1e-9, 0);
        if (v == 1)
            CHECK(memsink_summary(&ms, "node_boots") > 100);
        if (v == 2)
            CHECK_INT(memsink_summary(&ms, "node_boots"), 0);
        memsink_free(&ms);
        scenario_free(&s);
    }
    CHECK(e[1] < 0.8 * e[0]);
    CHECK(w[1] > w[0]);
    CHECK_NEAR(e[2], e[0], 1e-12, 0); /* all nodes kept on: as unmanaged */
    CHECK_NEAR(w[2], w[0], 1e-12, 0);
}

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

/* Day 1 is clean 12:00-18:00 (100 g/kWh, else 500); day 2 is clean
 * 18:00-24:00. */
static double two_days(int h)
{
    int d = h / 24, hh = h % 24;
    return (d == 0 ? hh >= 12 && hh < 18 : hh >= 18) ? 100.0 : 500.0;
}

/* A 2 h one-node job (400 W) submitted on day 2 at 01:00 with 22 h of
 * slack. Perfect forecast: start at 18:00, 0.8 kWh x 100 g = 80 g.
 * Persistence (tomorrow = today): day 1's clean hours, so 12:00, where it is
 * 500 g: 400 g. No policy: starts at once, 400 g. Deadlines all met. */
void test_shift_by_hand(void)
{
    write_ci("ci2.csv", 48, two_days);
    const char *pol[3] = {"carbon_policy = \"shift\"; forecast = \"perfect\";",
                          "carbon_policy = \"shift\"; forecast = \"persistence\";", ""};
    double start[3] = {(24 + 18) * 3600.0, (24 + 12) * 3600.0, 25 * 3600.0}, em[3] = {0.080, 0.400, 0.400};
    for (int v = 0; v < 3; v++) {
        char text[4096];
        snprintf(text, sizeof text,
                 SHEAD "duration = \"2d\"; scheduler = { %s };\n"
                       "sites = ( { name = \"s\"; grid = { trace = \"ci2.csv\"; };\n"
                       "  pools = ( { name = \"p\"; node = \"n100\"; count = 1; } ); } );\n"
                       "workloads = ( { name = \"w\"; kind = \"generic\"; pool = \"p\"; service = { mean = \"2h\"; };\n"
                       "  slack = \"22h\"; arrival = { at = \"2026-01-02T01:00:00Z\"; }; } );\n",
                 pol[v]);
        scenario s;
        memsink ms;
        char err[1024];
        int rc = test_load(&s, "shift.cfg", text, err, sizeof err);
        CHECK(rc == 0);
        if (rc) {
            fprintf(stderr, "  %s\n", err);
            return;
        }
        CHECK(test_run(&s, &ms) == 0);
        CHECK_INT(ms.njobs, 1);
        if (ms.njobs == 1) {
            CHECK_NEAR(ms.jobs[0].start_s, start[v], 0, 0);
            CHECK_NEAR(ms.jobs[0].emissions_kg, em[v], 1e-12, 0);
            CHECK_NEAR(ms.jobs[0].deadline_s, 25 * 3600.0 + 24 * 3600.0, 0, 0);
            CHECK_INT(ms.jobs[0].deadline_met, 1);
            CHECK_NEAR(ms.jobs[0].wait_s, start[v] - 25 * 3600.0, 0, 0);
        }
        CHECK_INT(memsink_summary(&ms, "jobs_shifted"), v < 2 ? 1 : 0);
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

/* Flexible jobs (exponential run times, 12 h slack or a 24 h deadline) on
 * ample capacity, under every forecast: no job starts after its latest start
 * or misses its deadline, and shifting cuts the emissions of the jobs
 * against FIFO on the same arrivals. */
void test_shift_deadlines(void)
{
    write_ci("ci30.csv", 30 * 24, solar_days);
    const char *pol[4] = {"", "carbon_policy = \"shift\";", "carbon_policy = \"shift\"; forecast = \"persistence\";",
                          "carbon_policy = \"shift\"; forecast = \"noisy\"; forecast_noise_sd = 0.3;"};
    double em[4];
    for (int v = 0; v < 4; v++) {
        char text[4096];
        snprintf(text, sizeof text,
                 SHEAD "duration = \"30d\"; scheduler = { %s };\n"
                       "sites = ( { name = \"s\"; grid = { trace = \"ci30.csv\"; };\n"
                       "  pools = ( { name = \"p\"; node = \"n100\"; count = 200; } ); } );\n"
                       "workloads = ( { name = \"a\"; kind = \"generic\"; pool = \"p\"; slack = \"12h\";\n"
                       "    service = { dist = \"exponential\"; mean = \"3h\"; };\n"
                       "    arrival = { process = \"poisson\"; rate_per_s = 0.002; }; },\n"
                       "  { name = \"b\"; kind = \"generic\"; pool = \"p\"; nodes = 2; deadline = \"24h\";\n"
                       "    service = { mean = \"4h\"; }; arrival = { process = \"poisson\"; rate_per_s = 0.0005; }; } );\n",
                 pol[v]);
        scenario s;
        memsink ms;
        char err[1024];
        int rc = test_load(&s, "shift30.cfg", text, err, sizeof err);
        CHECK(rc == 0);
        if (rc) {
            fprintf(stderr, "  %s\n", err);
            return;
        }
        CHECK(test_run(&s, &ms) == 0);
        long late = 0, met = 0;
        em[v] = 0;
        for (long k = 0; k < ms.njobs; k++) {
            const sink_job *j = &ms.jobs[k];
            double run = j->completed ? j->end_s - j->start_s : 0;
            if (j->completed) {
                late += j->start_s > j->deadline_s - run + 1e-6;
                met += j->deadline_met == 1;
                em[v] += j->emissions_kg;
            }
        }
        CHECK_INT(late, 0);
        CHECK_INT(memsink_summary(&ms, "deadlines_missed"), 0);
        CHECK(met > 1000);
        if (v > 0)
            CHECK(memsink_summary(&ms, "jobs_shifted") > 500);
        memsink_free(&ms);
        scenario_free(&s);
    }
    CHECK(em[1] < 0.85 * em[0]); /* perfect */
    CHECK(em[1] <= em[3]);       /* noise costs */
    CHECK(em[2] < em[0]);        /* persistence still helps with a daily pattern */
}
