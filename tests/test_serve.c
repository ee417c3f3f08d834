/* test_serve.c - inference serving (sim/serve.c): per-request mode against
 * M/D/1 (Pollaczek-Khinchine) and hand-checked batching, fluid against
 * per-request on the same case, the autoscaler by hand. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/account.h"
#include "../sim/serve.h"
#include "../sim/sim.h"
#include "check.h"
#include "testutil.h"

void test_serve_md1(void);
void test_serve_batching_by_hand(void);
void test_serve_fluid_agrees(void);
void test_serve_autoscale_by_hand(void);
void test_serve_autoscale_request(void);

#define SVHEAD "name = \"t\"; seed = 3; start = \"2026-01-01T00:00:00Z\"; step = \"1h\";\n" TEST_CATALOG

/* Loads text, runs it into ms, and copies workload 0's serving results. */
static int run_serving(const char *text, memsink *ms, serve_result *r, sim_stats *st)
{
    scenario s;
    char err[1024];
    if (test_load(&s, "serve.cfg", text, err, sizeof err)) {
        fprintf(stderr, "  %s\n", err);
        return -1;
    }
    sim *m = sim_alloc(&s, err, sizeof err);
    if (!m) {
        fprintf(stderr, "  sim_alloc: %s\n", err);
        scenario_free(&s);
        return -1;
    }
    sink k = memsink_init(ms);
    int rc = sim_run(m, &k, NULL, err, sizeof err);
    if (rc)
        fprintf(stderr, "  sim_run: %s\n", err);
    const serve_result *sr = sim_serve_result(m, 0);
    if (sr)
        *r = *sr;
    else
        rc = -1;
    if (st)
        *st = *sim_get_stats(m);
    sim_free(m);
    scenario_free(&s);
    return rc;
}

/* One node, batches of one, no waiting for a batch, 1 s per request
 * (1000 tokens at 1000 tokens/s), Poisson arrivals at 0.5/s: an M/D/1 queue.
 * Pollaczek-Khinchine: Wq = lambda S^2 / (2 (1 - rho)) = 0.5 s, so the mean
 * time to first token (no prompt split: the wait) is 0.5 s and the mean
 * end-to-end latency 1.5 s; the node is busy half the time at 400 W. */
void test_serve_md1(void)
{
    static const char *text =
        SVHEAD "duration = \"60d\";\n"
               "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 0.0; };\n"
               "  pools = ( { name = \"p\"; node = \"n100\"; count = 1; } ); } );\n"
               "workloads = ( { name = \"w\"; kind = \"inference\"; pool = \"p\"; tokens_per_request = 1000.0;\n"
               "  tokens_per_s_per_node = 1000.0; rate = { mean_per_s = 0.5; };\n"
               "  serving = { mode = \"request\"; max_wait = 0.0; slo_e2e = \"5s\"; }; } );\n";
    memsink ms, ms2;
    serve_result r, r2;
    sim_stats st;
    CHECK(run_serving(text, &ms, &r, &st) == 0);
    double T = 60.0 * 86400.0;
    CHECK_NEAR(r.requests, 0.5 * T, 0.01, 0);
    CHECK_NEAR(r.mean_ttft_s, 0.5, 0.03, 0);
    CHECK_NEAR(r.mean_e2e_s, 1.5, 0.01, 0);
    CHECK_NEAR(r.batches, r.requests, 0, 0);
    CHECK_NEAR(st.busy_node_s / T, 0.5, 0.01, 0);
    /* IT energy = 100 W all the time + 300 W more while busy */
    double it_kwh = memsink_site_sum(&ms, 0, SV_IT_ENERGY_KWH);
    CHECK_NEAR(it_kwh, (100.0 * T + 300.0 * st.busy_node_s) / 3.6e6, 1e-9, 0);
    CHECK_NEAR(st.job_energy_kwh + st.idle_energy_kwh, it_kwh, 1e-9, 0);
    /* P(e2e > 5 s) for M/D/1 at rho 0.5 is small but not zero */
    CHECK(r.slo_violations > 0 && r.slo_violations < 0.01 * r.requests);
    /* the per-step series sum to the totals */
    double req = 0, viol = 0;
    for (long k = 0; k < ms.trows; k++) {
        req += memsink_table(&ms, "requests", k);
        viol += memsink_table(&ms, "slo_violations", k);
    }
    CHECK_INT(ms.trows, 1440);
    CHECK_NEAR(req, r.requests, 0, 0);
    CHECK_NEAR(viol, r.slo_violations, 0, 0);
    /* the same seed gives the same run, bit for bit */
    CHECK(run_serving(text, &ms2, &r2, NULL) == 0);
    CHECK(memcmp(&r, &r2, sizeof r) == 0);
    memsink_free(&ms);
    memsink_free(&ms2);
}

/* 0.1 s per request (1000 tokens at 10,000 tokens/s; 500 of them prompt, so
 * the first token comes at half the batch time). At 0.001 requests/s and a
 * 2 s max_wait almost every batch is one request that waited 2 s: TTFT
 * 2.05 s, end to end 2.1 s, both over slo_e2e = 2 s. At 1000 requests/s and
 * max_batch 8 every batch is full (8 requests, 0.8 s). */
void test_serve_batching_by_hand(void)
{
    char text[2048];
    const char *fmt =
        SVHEAD "duration = \"%s\";\n"
               "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 0.0; };\n"
               "  pools = ( { name = \"p\"; node = \"n100\"; count = %d; } ); } );\n"
               "workloads = ( { name = \"w\"; kind = \"inference\"; pool = \"p\"; prompt_tokens = 500.0;\n"
               "  output_tokens = 500.0; tokens_per_s_per_node = 10000.0; rate = { mean_per_s = %g; };\n"
               "  serving = { mode = \"request\"; max_batch = 8; max_wait = \"%s\"; slo_e2e = \"2s\"; }; } );\n";
    memsink ms;
    serve_result r;
    snprintf(text, sizeof text, fmt, "30d", 1, 0.001, "2s");
    CHECK(run_serving(text, &ms, &r, NULL) == 0);
    CHECK(r.requests > 2000);
    CHECK_NEAR(r.ttft_s[0], 2.05, 0.004, 0);
    CHECK_NEAR(r.e2e_s[0], 2.1, 0.004, 0);
    CHECK_NEAR(r.e2e_s[1], 2.1, 0.004, 0);
    CHECK(r.requests / r.batches >= 1.0 && r.requests / r.batches < 1.01);
    CHECK(r.slo_violations >= 0.99 * r.requests);
    memsink_free(&ms);

    snprintf(text, sizeof text, fmt, "1h", 200, 1000.0, "10s");
    CHECK(run_serving(text, &ms, &r, NULL) == 0);
    CHECK_NEAR(r.requests / r.batches, 8.0, 1e-3, 0);
    /* end to end: the 0.8 s batch plus at most the 7 gaps of formation */
    CHECK(r.e2e_s[0] > 0.8 && r.e2e_s[0] < 0.82);
    CHECK_NEAR(r.ttft_s[0] - r.e2e_s[0], -0.4, 0.02, 0);
    CHECK(r.unserved < 8);
    memsink_free(&ms);
}

/* The same day of 25 requests/s of a 1B model on ten nodes (roofline:
 * prefill 0.02 s, decode steps of 6.9 ms at batch 64), served per request
 * and per step. Documented agreement (docs/SCHEDULING.md): energy within 2%,
 * requests within 1%, p95 end-to-end within 20%, p95 TTFT within 30%. */
void test_serve_fluid_agrees(void)
{
    char text[2048];
    const char *fmt =
        SVHEAD "duration = \"1d\";\n"
               "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 400.0; };\n"
               "  pools = ( { name = \"p\"; node = \"n100\"; count = 10; } ); } );\n"
               "workloads = ( { name = \"w\"; kind = \"inference\"; pool = \"p\"; model = \"m1b\";\n"
               "  prompt_tokens = 500.0; output_tokens = 500.0;\n"
               "  rate = { mean_per_s = 25.0; diurnal_amplitude = 0.3; peak_hour_utc = 14.0; };\n"
               "  serving = { mode = \"%s\"; max_wait = \"100ms\"; slo_ttft = \"300ms\"; }; } );\n";
    memsink mr, mf;
    serve_result rr, rf;
    snprintf(text, sizeof text, fmt, "request");
    CHECK(run_serving(text, &mr, &rr, NULL) == 0);
    snprintf(text, sizeof text, fmt, "fluid");
    CHECK(run_serving(text, &mf, &rf, NULL) == 0);
    double er = memsink_site_sum(&mr, 0, SV_IT_ENERGY_KWH), ef = memsink_site_sum(&mf, 0, SV_IT_ENERGY_KWH);
    printf("  energy %.4f / %.4f kWh, p95 e2e %.3f / %.3f s, p95 ttft %.3f / %.3f s, batch %.2f / %.2f\n", er, ef,
           rr.e2e_s[1], rf.e2e_s[1], rr.ttft_s[1], rf.ttft_s[1], rr.requests / rr.batches, rf.requests / rf.batches);
    CHECK_NEAR(ef, er, 0.02, 0);
    CHECK_NEAR(rf.requests, rr.requests, 0.01, 0);
    CHECK_NEAR(rf.e2e_s[1], rr.e2e_s[1], 0.20, 0);
    CHECK_NEAR(rf.ttft_s[1], rr.ttft_s[1], 0.30, 0);
    CHECK_NEAR(rf.requests / rf.batches, rr.requests / rr.batches, 0.05, 0);
    memsink_free(&mr);
    memsink_free(&mf);
}

/* Fluid autoscaler by hand. 20 nodes (100 W idle, 400 W busy, 10 W off), 5
 * on; 1 s per request, batches of one, 7 requests/s: 7 busy nodes, so 10 at
 * a target of 0.7. Wake 10 min at 50 Wh (300 W while waking); scale up at
 * once, down after 2 h.
 *   h0: 5 more wake at 0; the 5 up serve 5/s (2/s, 7200 requests, wait):
 *       10 min at 5x400 + 5x300 + 10x10 = 3600 W, then 2600 W: 2766.67 Wh
 *   h1: 9/s offered (7 + the backlog): 13 wanted, 3 wake:
 *       10 min at 9x400 + 100 + 3x300 + 7x10 = 4670 W, then 4070 W: 4170 Wh
 *   h2, h3: 10 wanted, fewer than 13 for < 2 h: 7x400 + 6x100 + 70 = 3470 Wh
 *   h4: 2 h since fewer were wanted: 3 go off: 7x400 + 3x100 + 10x10 = 3200 Wh
 * 8 boots; nodes on 10, 13, 13, 13, 10. */
void test_serve_autoscale_by_hand(void)
{
    static const char *text =
        SVHEAD "duration = \"5h\";\n"
               "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 0.0; };\n"
               "  pools = ( { name = \"p\"; node = \"n100\"; count = 20; on = 5;\n"
               "    power = { wake_latency = \"10min\"; boot_energy_wh = 50.0; }; } ); } );\n"
               "workloads = ( { name = \"w\"; kind = \"inference\"; pool = \"p\"; tokens_per_request = 1000.0;\n"
               "  tokens_per_s_per_node = 1000.0; rate = { mean_per_s = 7.0; };\n"
               "  serving = { mode = \"fluid\"; target_utilization = 0.7;\n"
               "    autoscale = { min_nodes = 1; max_nodes = 20; scale_up_delay = 0; scale_down_delay = \"2h\"; }; }; } );\n";
    memsink ms;
    serve_result r;
    CHECK(run_serving(text, &ms, &r, NULL) == 0);
    static const double wh[5] = {2766.6666666666667, 4170.0, 3470.0, 3470.0, 3200.0};
    static const double on[5] = {10, 13, 13, 13, 10};
    static const double queue[5] = {7200, 0, 0, 0, 0};
    CHECK_INT(ms.nsteps, 5);
    for (long k = 0; k < ms.nsteps && k < 5; k++) {
        CHECK_NEAR(ms.site_vals[(size_t)k * (size_t)ms.nsv + SV_IT_ENERGY_KWH] * 1e3, wh[k], 1e-9, 0);
        CHECK_NEAR(ms.pool_vals[(size_t)k * (size_t)ms.npv + PV_NODES_ON], on[k], 1e-9, 0);
        CHECK_NEAR(memsink_table(&ms, "queue", k), queue[k], 1e-9, 1e-6);
    }
    CHECK_NEAR(memsink_summary(&ms, "node_boots"), 8.0, 0, 0);
    CHECK_NEAR(r.requests, 7.0 * 5 * 3600, 1e-12, 0);
    memsink_free(&ms);
}

/* Request-mode autoscaler: ten nodes on, 2 requests/s of 1 s each. Every
 * minute it wants ceil(busy / 0.7) nodes (about 3); the idle rest go off,
 * and nodes wake (1 min) when the queue grows. Less energy than all ten on,
 * nobody left behind, and the energy identity holds. */
void test_serve_autoscale_request(void)
{
    char text[2048];
    const char *fmt =
        SVHEAD "duration = \"2d\";\n"
               "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 0.0; };\n"
               "  pools = ( { name = \"p\"; node = \"n100\"; count = 10;\n"
               "    power = { wake_latency = \"1min\"; boot_energy_wh = 5.0; }; } ); } );\n"
               "workloads = ( { name = \"w\"; kind = \"inference\"; pool = \"p\"; tokens_per_request = 1000.0;\n"
               "  tokens_per_s_per_node = 1000.0; rate = { mean_per_s = 2.0; };\n"
               "  serving = { mode = \"request\"; max_wait = 0.0; %s }; } );\n";
    memsink ma, mb;
    serve_result ra, rb;
    sim_stats sa;
    snprintf(text, sizeof text, fmt,
             "autoscale = { min_nodes = 2; max_nodes = 10; scale_up_delay = 0; scale_down_delay = \"5min\"; };");
    CHECK(run_serving(text, &ma, &ra, &sa) == 0);
    snprintf(text, sizeof text, fmt, "");
    CHECK(run_serving(text, &mb, &rb, NULL) == 0);
    double ea = memsink_site_sum(&ma, 0, SV_IT_ENERGY_KWH), eb = memsink_site_sum(&mb, 0, SV_IT_ENERGY_KWH);
    printf("  energy %.3f kWh autoscaled, %.3f kWh all on; %g boots; p95 e2e %.2f s / %.2f s\n", ea, eb,
           memsink_summary(&ma, "node_boots"), ra.e2e_s[1], rb.e2e_s[1]);
    CHECK(ea < 0.8 * eb);
    CHECK(memsink_summary(&ma, "node_boots") > 0);
    CHECK_NEAR(ra.requests + ra.unserved, rb.requests + rb.unserved, 0, 0); /* same arrivals */
    CHECK(ra.unserved < 20);
    CHECK(ra.e2e_s[1] >= rb.e2e_s[1]);
    CHECK_NEAR(sa.job_energy_kwh + sa.idle_energy_kwh, ea, 1e-9, 0);
    /* mean nodes on in the second day: between min_nodes and all */
    double on = 0;
    for (long k = 24; k < ma.nsteps; k++)
        on += ma.pool_vals[(size_t)k * (size_t)ma.npv + PV_NODES_ON] / 24.0;
    CHECK(on > 2.5 && on < 7.0);
    memsink_free(&ma);
    memsink_free(&mb);
}
