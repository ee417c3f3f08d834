/* test_perf.c - the levers (issue 5): FLOP models, the inference roofline by
 * hand, each lever's direction through the roofline, the errors, measured
 * throughput, accelerator-hour jobs, discount, embodied carbon and the
 * per-request figures. The node "n100" and model "m1b" are those of
 * testutil.h: 1 device of 100 TFLOPS bf16 (200 int8), 80 GB, 2000 GB/s;
 * 1e9 parameters, 16 layers, hidden 2048, 16 heads, 16 KV heads. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../sim/account.h"
#include "../sim/perf.h"
#include "../sim/sim.h"
#include "check.h"
#include "testutil.h"

void test_perf_training_flops(void);
void test_perf_roofline_by_hand(void);
void test_perf_levers_direction(void);
void test_perf_errors(void);
void test_perf_scenario_roofline(void);
void test_perf_scenario_measured(void);
void test_perf_scenario_errors(void);
void test_perf_accelerator_hours(void);
void test_perf_cost_and_embodied(void);
void test_perf_requests(void);

#define HEAD "name = \"t\"; seed = 1; start = \"2026-01-01T00:00:00Z\";\n" TEST_CATALOG

static node_type n100(void)
{
    node_type t;
    memset(&t, 0, sizeof t);
    strcpy(t.name, "n100");
    t.accelerators = 1;
    t.peak_tflops[PREC_FP32] = 25;
    t.peak_tflops[PREC_BF16] = 100;
    t.peak_tflops[PREC_FP8] = 0; /* unsupported */
    t.peak_tflops[PREC_INT8] = 200;
    t.mem_gb = 80;
    t.mem_bw_gbs = 2000;
    return t;
}

static model_spec model(const char *name, double params_b, int layers, int hidden, int heads)
{
    model_spec m;
    memset(&m, 0, sizeof m);
    strcpy(m.name, name);
    m.params_b = m.active_params_b = params_b;
    m.layers = layers;
    m.hidden = hidden;
    m.heads = m.kv_heads = heads;
    m.context = 4096;
    return m;
}

static perf_infer_in base_in(const node_type *t, const model_spec *m)
{
    perf_infer_in in;
    memset(&in, 0, sizeof in);
    in.node = t;
    in.model = m;
    in.precision = PREC_BF16;
    in.weight_bytes = 2;
    in.kv_bytes = 2;
    in.prompt_tokens = 500;
    in.output_tokens = 500;
    in.max_batch = 64;
    in.compute_eff = 0.5;
    in.bandwidth_eff = 0.6;
    in.compile_factor = 1;
    in.mem_fraction = 0.9;
    return in;
}

void test_perf_training_flops(void)
{
    /* 6 N D: 7e9 x 1e12 x 6 = 4.2e22; LoRA 4 N D = 2.8e22 */
    CHECK_NEAR(perf_training_flops(TM_PRETRAIN, 7e9, 1e12, 0), 4.2e22, 1e-12, 0);
    CHECK_NEAR(perf_training_flops(TM_FULL_FT, 7e9, 1e9, 0), 4.2e19, 1e-12, 0);
    CHECK_NEAR(perf_training_flops(TM_LORA, 7e9, 1e12, 0), 2.8e22, 1e-12, 0);
    CHECK_NEAR(perf_training_flops(TM_PTUNING, 7e9, 1e12, 0), 2.8e22, 1e-12, 0);
    /* distillation: 6 x 1e9 x 1e9 + 2 x 7e9 x 1e9 = 6e18 + 1.4e19 = 2.0e19 */
    CHECK_NEAR(perf_training_flops(TM_DISTILL, 1e9, 1e9, 7e9), 2.0e19, 1e-12, 0);
    CHECK_NEAR(perf_training_flops(TM_EMBED, 3.35e8, 1e9, 0), 6.7e17, 1e-12, 0);
    /* IVF: n = 1e6, d = 768, k = 4 sqrt(n) = 4000, 20 iterations:
     * 2 x 1e6 x 768 x 4000 x 20 = 1.2288e14 */
    CHECK_NEAR(perf_index_flops(1e6, 768), 1.2288e14, 1e-12, 0);
}

/* The roofline of m1b on n100 at bf16, 500 + 500 tokens, by hand:
 *   W = 1e9 x 2 B = 2 GB; kv/token = 2 x 16 x 16 x 128 x 2 B = 131,072 B;
 *   M = 0.9 x 80 GB = 72 GB; B_mem = floor(70e9 / (131,072 x 1000)) = 534;
 *   B = min(64, 534) = 64;
 *   prefill = 2 x 1e9 x 500 / (100e12 x 0.5) = 0.02 s;
 *   step: compute 2e9 x 64 / 5e13 = 2.56 ms; memory (2e9 + 64 x 131,072 x
 *   750) / (2e12 x 0.6) = 8.291456e9 / 1.2e12 = 6.909547 ms (memory-bound);
 *   t_r = 0.02 + 500 x 6.909547 ms / 64 = 0.0739808 s; 1000 / t_r =
 *   13,517.0 tokens/s; u = (0.02 x 0.5 + 0.0539808 x 0.6) / 0.0739808 =
 *   0.572966. */
void test_perf_roofline_by_hand(void)
{
    node_type t = n100();
    model_spec m = model("m1b", 1.0, 16, 2048, 16);
    perf_infer_in in = base_in(&t, &m);
    perf_infer_out o;
    char err[512];
    CHECK(perf_inference(&in, &o, err, sizeof err) == 0);
    CHECK_NEAR(o.weights_gb, 2.0, 1e-12, 0);
    CHECK_NEAR(o.kv_gb_per_seq, 0.131072, 1e-12, 0);
    CHECK_NEAR(o.mem_gb, 72.0, 1e-12, 0);
    CHECK_INT(o.batch_memory, 534);
    CHECK_INT(o.batch, 64);
    CHECK_NEAR(o.prefill_s, 0.02, 1e-12, 0);
    CHECK_NEAR(o.step_s, 6.909546667e-3, 1e-9, 0);
    CHECK(o.decode_memory_bound);
    CHECK_NEAR(o.node_s_per_request, 0.07398083333, 1e-9, 0);
    CHECK_NEAR(o.tokens_per_s, 13517.0145, 1e-8, 0);
    CHECK_NEAR(o.u, 0.57296597, 1e-7, 0);
}

/* Every lever moves throughput the way its arithmetic says, and by the
 * roofline's amount, not a fixed discount. */
void test_perf_levers_direction(void)
{
    node_type t = n100();
    model_spec m = model("m1b", 1.0, 16, 2048, 16), small = model("m250m", 0.25, 8, 1024, 8);
    perf_infer_in in = base_in(&t, &m);
    perf_infer_out base, o;
    char err[512];
    CHECK(perf_inference(&in, &base, err, sizeof err) == 0);

    /* quantisation to int8: 1 B weights, the int8 peak (200 TFLOPS). By hand:
     * prefill 1e12 / 1e14 = 0.01 s; step (1e9 + 6.291456e9) / 1.2e12 =
     * 6.07621 ms; t_r = 0.01 + 500 x 6.07621e-3 / 64 = 0.0574704 s;
     * 1000 / t_r = 17,400.26 tokens/s. */
    perf_infer_in q = in;
    q.precision = PREC_INT8;
    q.weight_bytes = 1;
    CHECK(perf_inference(&q, &o, err, sizeof err) == 0);
    CHECK_NEAR(o.weights_gb, 1.0, 1e-12, 0);
    CHECK_NEAR(o.node_s_per_request, 0.05747041667, 1e-9, 0);
    CHECK_NEAR(o.tokens_per_s, 17400.2567, 1e-8, 0);

    /* pruning half the weights: fewer FLOPs and fewer bytes per step */
    perf_infer_in p = in;
    p.sparsity = 0.5;
    CHECK(perf_inference(&p, &o, err, sizeof err) == 0);
    CHECK_NEAR(o.weights_gb, 1.0, 1e-12, 0);
    CHECK_NEAR(o.prefill_s, 0.01, 1e-12, 0);
    CHECK(o.tokens_per_s > base.tokens_per_s);

    /* compilation: e_c and e_m x 1.5 = 0.75 and 0.9: every time / 1.5 here,
     * as both roofs scale alike */
    perf_infer_in c = in;
    c.compile_factor = 1.5;
    CHECK(perf_inference(&c, &o, err, sizeof err) == 0);
    CHECK_NEAR(o.node_s_per_request, base.node_s_per_request / 1.5, 1e-12, 0);
    /* capped at 1: factor 10 gives e_c = e_m = 1 */
    c.compile_factor = 10;
    CHECK(perf_inference(&c, &o, err, sizeof err) == 0);
    CHECK_NEAR(o.prefill_s, 0.01, 1e-12, 0);

    /* distillation to a 4x smaller student: 2 N p halves twice */
    perf_infer_in d = in;
    d.model = &small;
    CHECK(perf_inference(&d, &o, err, sizeof err) == 0);
    CHECK_NEAR(o.prefill_s, 0.005, 1e-12, 0);
    CHECK(o.tokens_per_s > 3.0 * base.tokens_per_s);

    /* RAG: 2,000 retrieved tokens per prompt cost more prefill and KV */
    perf_infer_in r = in;
    r.prompt_tokens = 2500;
    CHECK(perf_inference(&r, &o, err, sizeof err) == 0);
    CHECK_NEAR(o.prefill_s, 0.1, 1e-12, 0);
    CHECK(o.node_s_per_request > 2.0 * base.node_s_per_request);

    /* a memory-limited batch: max_batch 1000 is cut to the 534 that fit */
    perf_infer_in b = in;
    b.max_batch = 1000;
    CHECK(perf_inference(&b, &o, err, sizeof err) == 0);
    CHECK_INT(o.batch, 534);
    CHECK(o.tokens_per_s > base.tokens_per_s);
}

void test_perf_errors(void)
{
    node_type t = n100();
    model_spec big = model("m70b", 70.0, 80, 8192, 64);
    model_spec m = model("m1b", 1.0, 16, 2048, 16);
    perf_infer_out o;
    char err[512];
    /* 70e9 x 2 B = 140 GB > 72 GB usable */
    perf_infer_in in = base_in(&t, &big);
    CHECK(perf_inference(&in, &o, err, sizeof err) == -1);
    CHECK(strstr(err, "m70b does not fit on n100: 140.0 GB of weights at 2 bytes per parameter, 72.0 GB usable") !=
          NULL);
    /* at int8 (70 GB) it fits, with 2 GB for the KV cache: 80 layers x 8192
     * x 2 x 1 B = 1.31 MB per token, 1000 tokens: 1 sequence */
    in.precision = PREC_INT8;
    in.weight_bytes = 1;
    in.kv_bytes = 1;
    CHECK(perf_inference(&in, &o, err, sizeof err) == 0);
    CHECK_INT(o.batch, 1);
    /* 4 bits: a weight-only quantisation still computes at bf16 */
    in.precision = PREC_BF16;
    in.weight_bytes = 0.5;
    CHECK(perf_inference(&in, &o, err, sizeof err) == 0);
    CHECK_NEAR(o.weights_gb, 35.0, 1e-12, 0);
    /* no room for one sequence */
    in.weight_bytes = 1.02;
    in.kv_bytes = 2;
    CHECK(perf_inference(&in, &o, err, sizeof err) == -1);
    CHECK(strstr(err, "no room for one sequence's KV cache") != NULL);
    /* unsupported precision */
    perf_infer_in f = base_in(&t, &m);
    f.precision = PREC_FP8;
    CHECK(perf_inference(&f, &o, err, sizeof err) == -1);
    CHECK_STR(err, "node type n100 has no fp8 throughput in the catalog");
    /* context */
    f = base_in(&t, &m);
    f.prompt_tokens = 4000;
    CHECK(perf_inference(&f, &o, err, sizeof err) == -1);
    CHECK_STR(err, "4000 prompt + 500 output tokens exceed the 4096-token context of m1b");
}

#define INFER(extra)                                                                                    \
    "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 400.0; };\n"                              \
    "  pools = ( { name = \"p\"; node = \"n100\"; count = 4; } ); } );\n"                               \
    "workloads = ( { name = \"w\"; kind = \"inference\"; pool = \"p\"; model = \"m1b\";\n"              \
    "  rate = { mean_per_s = 10.0; }; prompt_tokens = 500.0; output_tokens = 500.0; " extra " } );\n"

void test_perf_scenario_roofline(void)
{
    scenario s;
    char err[1024];
    int rc = test_load(&s, "roof.cfg", HEAD "duration = \"1h\";\n" INFER(""), err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    const scn_workload *w = &s.workloads[0];
    CHECK_INT(w->tput_source, TPUT_ROOFLINE);
    CHECK_NEAR(w->tokens_per_s_per_node, 13517.0145, 1e-8, 0);
    CHECK_NEAR(w->node_s_per_request, 0.07398083333, 1e-9, 0);
    CHECK_NEAR(w->utilization, 0.57296597, 1e-7, 0);
    scenario_free(&s);

    /* the levers by setting: int8 weights and compute as in the direct test */
    rc = test_load(&s, "roof8.cfg",
                   HEAD "duration = \"1h\";\n" INFER("precision = \"int8\"; weight_bits = 8.0;"), err, sizeof err);
    CHECK(rc == 0);
    if (!rc) {
        CHECK_NEAR(s.workloads[0].tokens_per_s_per_node, 17400.2567, 1e-8, 0);
        scenario_free(&s);
    }
    /* RAG: 2000 retrieved tokens join every prompt, so a request is 3000 tokens */
    rc = test_load(&s, "rag.cfg", HEAD "duration = \"1h\";\n" INFER("rag = { retrieved_tokens = 2000.0; };"), err,
                   sizeof err);
    CHECK(rc == 0);
    if (!rc) {
        CHECK_NEAR(s.workloads[0].tokens_per_request, 3000.0, 1e-12, 0);
        CHECK_NEAR(s.workloads[0].roof.prefill_s, 0.1, 1e-12, 0);
        scenario_free(&s);
    }
}

void test_perf_scenario_measured(void)
{
    scenario s;
    char err[1024];
    const char *meas = "measured_throughput = ( { node = \"n100\"; model = \"m1b\"; precision = \"bf16\";\n"
                       "  tokens_per_s = 5000.0; source = \"test\"; } );\n";
    char text[4096];
    snprintf(text, sizeof text, HEAD "%sduration = \"1h\";\n" INFER(""), meas);
    int rc = test_load(&s, "meas.cfg", text, err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    /* the measured figure wins over the roofline; 1000 tokens / 5000 = 0.2 s */
    CHECK_INT(s.workloads[0].tput_source, TPUT_MEASURED);
    CHECK_NEAR(s.workloads[0].node_s_per_request, 0.2, 1e-12, 0);
    scenario_free(&s);
    /* with a lever the roofline is used (a measurement cannot say what int8 does) */
    snprintf(text, sizeof text, HEAD "%sduration = \"1h\";\n" INFER("sparsity = 0.5;"), meas);
    rc = test_load(&s, "meas2.cfg", text, err, sizeof err);
    CHECK(rc == 0);
    if (!rc) {
        CHECK_INT(s.workloads[0].tput_source, TPUT_ROOFLINE);
        scenario_free(&s);
    }
    /* asked for, and refused with a lever */
    snprintf(text, sizeof text, HEAD "%sduration = \"1h\";\n" INFER("throughput = \"measured\"; sparsity = 0.5;"),
             meas);
    CHECK(test_load(&s, "meas3.cfg", text, err, sizeof err) == -1);
    CHECK(strstr(err, "a measured throughput leaves no room for sparsity") != NULL);
    /* roofline forced */
    snprintf(text, sizeof text, HEAD "%sduration = \"1h\";\n" INFER("throughput = \"roofline\";"), meas);
    rc = test_load(&s, "meas4.cfg", text, err, sizeof err);
    CHECK(rc == 0);
    if (!rc) {
        CHECK_INT(s.workloads[0].tput_source, TPUT_ROOFLINE);
        scenario_free(&s);
    }
}

void test_perf_scenario_errors(void)
{
    scenario s;
    char err[1024];
    CHECK(test_load(&s, "e1.cfg", HEAD "duration = \"1h\";\n" INFER("throughput = \"measured\";"), err, sizeof err) ==
          -1);
    CHECK(strstr(err, "the catalog has no measured throughput of m1b on n100 at bf16") != NULL);
    CHECK(test_load(&s, "e2.cfg", HEAD "duration = \"1h\";\n" INFER("precision = \"fp8\";"), err, sizeof err) == 0);
    scenario_free(&s);
    CHECK(test_load(&s, "e3.cfg", HEAD "duration = \"1h\";\n" INFER("prompt_tokens = 4000.0;"), err, sizeof err) ==
          -1);
    CHECK(test_load(&s, "e4.cfg", HEAD "duration = \"1h\";\n" INFER("weight_bits = 600.0;"), err, sizeof err) == -1);
    CHECK(test_load(&s, "e5.cfg", HEAD "duration = \"1h\";\n" INFER("student = \"nope\";"), err, sizeof err) == -1);
    CHECK(strstr(err, "nope") != NULL);
}

/* A job stated by accelerator-hours and a measured power per accelerator:
 * 2 devices (2 nodes of 1) x 3 h at 300 W = 1.8 kWh IT, at PUE 1.5 2.7 kWh,
 * at 400 g/kWh 1.08 kg. */
void test_perf_accelerator_hours(void)
{
    scenario s;
    memsink ms;
    char err[1024];
    int rc = test_load(&s, "acch.cfg",
                       HEAD "duration = \"drain\";\n"
                            "sites = ( { name = \"s\"; facility = { model = \"constant\"; pue = 1.5; };\n"
                            "  grid = { intensity_g_per_kwh = 400.0; };\n"
                            "  pools = ( { name = \"p\"; node = \"n100\"; count = 2; } ); } );\n"
                            "workloads = ( { name = \"w\"; kind = \"training\"; pool = \"p\"; accelerators = 2;\n"
                            "  accelerator_hours = 6.0; power_per_accelerator_w = 300.0;\n"
                            "  arrival = { at = \"2026-01-01T00:00:00Z\"; count = 1; }; } );\n",
                       err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK(test_run(&s, &ms) == 0);
    CHECK_NEAR(memsink_summary(&ms, "it_energy_mwh"), 1.8e-3, 1e-12, 0);
    CHECK_NEAR(memsink_summary(&ms, "energy_mwh"), 2.7e-3, 1e-12, 0);
    CHECK_NEAR(memsink_summary(&ms, "emissions_t"), 1.08e-3, 1e-12, 0);
    memsink_free(&ms);
    scenario_free(&s);
    /* both a power per accelerator and a utilization: refused */
    rc = test_load(&s, "acch2.cfg",
                   HEAD "duration = \"drain\";\n"
                        "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 400.0; };\n"
                        "  pools = ( { name = \"p\"; node = \"n100\"; count = 2; } ); } );\n"
                        "workloads = ( { name = \"w\"; kind = \"training\"; pool = \"p\"; accelerators = 2;\n"
                        "  accelerator_hours = 6.0; power_per_accelerator_w = 300.0; utilization = 0.5;\n"
                        "  arrival = { at = \"2026-01-01T00:00:00Z\"; count = 1; }; } );\n",
                   err, sizeof err);
    CHECK(rc == -1);
    CHECK(strstr(err, "give utilization or power_per_accelerator_w, not both") != NULL);
}

/* One node, 2 h, one 1-h job: cost 2 node-hours x 2 USD x (1 - 0.25) = 3 USD;
 * embodied 1000 kg / (4 y x 8766 h) = 0.0285193 kg per node-hour, one hour
 * to the job, one to idle. */
void test_perf_cost_and_embodied(void)
{
    scenario s;
    memsink ms;
    char err[1024];
    int rc = test_load(&s, "cost.cfg",
                       HEAD "duration = \"2h\";\n"
                            "sites = ( { name = \"s\"; grid = { intensity_g_per_kwh = 400.0; };\n"
                            "  pools = ( { name = \"p\"; node = \"n100\"; count = 1; discount = 0.25; } ); } );\n"
                            "workloads = ( { name = \"w\"; kind = \"generic\"; pool = \"p\"; service = { mean = \"1h\"; };\n"
                            "  arrival = { at = \"2026-01-01T00:00:00Z\"; }; } );\n",
                       err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK(test_run(&s, &ms) == 0);
    double per_h = 1000.0 / (4.0 * 365.25 * 24.0);
    CHECK_NEAR(memsink_summary(&ms, "cost_usd"), 3.0, 1e-12, 0);
    CHECK_NEAR(memsink_summary(&ms, "embodied_t"), 2 * per_h / 1e3, 1e-9, 0);
    CHECK_NEAR(memsink_summary(&ms, "embodied_jobs_t"), per_h / 1e3, 1e-9, 0);
    CHECK_NEAR(memsink_summary(&ms, "embodied_idle_t"), per_h / 1e3, 1e-9, 0);
    CHECK_NEAR(memsink_site_sum(&ms, 0, SV_EMBODIED_KG), 2 * per_h, 1e-9, 0);
    /* 1 h at 400 W + 1 h at 100 W = 0.5 kWh = 0.2 kg at 400 g/kWh */
    CHECK_NEAR(memsink_summary(&ms, "emissions_with_embodied_t"), (0.2 + 2 * per_h) / 1e3, 1e-9, 0);
    memsink_free(&ms);
    scenario_free(&s);
}

/* Inference per request: 10 requests/s for 1 h = 36,000 requests (Poisson
 * in each hourly batch, so close to it); energy per request is the facility
 * energy of the workload's jobs over its requests. */
void test_perf_requests(void)
{
    scenario s;
    memsink ms;
    char err[1024];
    int rc = test_load(&s, "req.cfg", HEAD "duration = \"1h\";\n" INFER(""), err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK(test_run(&s, &ms) == 0);
    double req = memsink_summary(&ms, "requests");
    CHECK(fabs(req - 36000.0) < 5 * sqrt(36000.0));
    /* node-seconds = requests x 0.0739808 s; power while busy = 100 + 300 u */
    double node_s = req * 0.07398083333;
    double kwh = node_s / 3600.0 * (100.0 + 300.0 * 0.57296597) / 1e3;
    CHECK_NEAR(memsink_summary(&ms, "energy_per_request_wh"), kwh * 1e3 / req, 1e-6, 0);
    memsink_free(&ms);
    scenario_free(&s);
}
