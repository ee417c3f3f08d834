/* perf.c - FLOP models and the inference roofline (see perf.h for the equations). */
#include "perf.h"

#include <math.h>
#include <stdio.h>

const char *const perf_method_names[] = {"pretrain",  "continued_pretrain", "full_finetune", "lora",
                                         "prefix_tuning", "p_tuning",       "distillation",  "embedding",
                                         "evaluation", "index_build",       NULL};
const double perf_method_factor[TM_COUNT] = {6, 6, 6, 4, 4, 4, 6, 2, 2, 0};

double perf_training_flops(int method, double n, double tokens, double n_teacher)
{
    double f = perf_method_factor[method] * n * tokens;
    if (method == TM_DISTILL) /* the teacher's forward pass on every token */
        f += 2.0 * n_teacher * tokens;
    return f;
}

double perf_index_flops(double vectors, double dim)
{
    const double iterations = 20.0;
    double lists = 4.0 * sqrt(vectors);
    return 2.0 * vectors * dim * lists * iterations;
}

double perf_precision_bytes(int precision)
{
    static const double b[PREC_COUNT] = {4.0, 2.0, 1.0, 1.0};
    return b[precision];
}

int perf_inference(const perf_infer_in *in, perf_infer_out *out, char *err, size_t errlen)
{
    const node_type *t = in->node;
    const model_spec *m = in->model;
    int devices = t->accelerators > 0 ? t->accelerators : 1;
    double peak = catalog_node_peak_flops(t, in->precision);     /* FLOP/s */
    double bw = t->mem_bw_gbs * 1e9 * devices;                   /* bytes/s */
    double ec = fmin(1.0, in->compute_eff * in->compile_factor);
    double em = fmin(1.0, in->bandwidth_eff * in->compile_factor);
    double n = m->active_params_b * 1e9 * (1.0 - in->sparsity); /* parameters used per token */
    double p = in->prompt_tokens, o = in->output_tokens;
    if (peak <= 0) {
        snprintf(err, errlen, "node type %s has no %s throughput in the catalog", t->name,
                 catalog_precision_names[in->precision]);
        return -1;
    }
    if (bw <= 0) {
        snprintf(err, errlen, "node type %s has no memory bandwidth in the catalog", t->name);
        return -1;
    }
    if (p + o > (double)m->context) {
        snprintf(err, errlen, "%g prompt + %g output tokens exceed the %d-token context of %s", p, o, m->context,
                 m->name);
        return -1;
    }
    /* all weights are stored (a mixture of experts keeps every expert) */
    double w_bytes = m->params_b * 1e9 * (1.0 - in->sparsity) * in->weight_bytes;
    double kv_tok = 2.0 * m->layers * m->kv_heads * ((double)m->hidden / m->heads) * in->kv_bytes;
    double mem = in->mem_fraction * devices * t->mem_gb * 1e9;
    out->weights_gb = w_bytes / 1e9;
    out->kv_gb_per_seq = kv_tok * (p + o) / 1e9;
    out->mem_gb = mem / 1e9;
    if (w_bytes > mem) {
        snprintf(err, errlen,
                 "%s does not fit on %s: %.1f GB of weights at %g bytes per parameter, %.1f GB usable (%d x %g GB x "
                 "%g); use a node with more memory, fewer bytes per parameter (quantisation) or a smaller model",
                 m->name, t->name, w_bytes / 1e9, in->weight_bytes, mem / 1e9, devices, t->mem_gb, in->mem_fraction);
        return -1;
    }
    double bmem = floor((mem - w_bytes) / (kv_tok * (p + o)));
    if (bmem < 1) {
        snprintf(err, errlen,
                 "%s on %s: no room for one sequence's KV cache (%.2f GB free after %.1f GB of weights, %.2f GB per "
                 "sequence of %g tokens)",
                 m->name, t->name, (mem - w_bytes) / 1e9, w_bytes / 1e9, kv_tok * (p + o) / 1e9, p + o);
        return -1;
    }
    out->batch_memory = bmem > 1e15 ? (long long)1e15 : (long long)bmem;
    long long b = out->batch_memory < in->max_batch ? out->batch_memory : in->max_batch;
    out->batch = b;
    double pf_flops = 2.0 * n * p + in->extra_flops;
    out->prefill_s = pf_flops / (peak * ec);
    double t_comp = 2.0 * n * (double)b / (peak * ec);
    double bytes = w_bytes + (double)b * kv_tok * (p + o / 2.0);
    double t_mem = bytes / (bw * em);
    out->decode_memory_bound = t_mem >= t_comp;
    out->step_s = fmax(t_comp, t_mem);
    double dec_s = o * out->step_s / (double)b;
    out->node_s_per_request = out->prefill_s + dec_s;
    out->tokens_per_s = out->node_s_per_request > 0 ? (p + o) / out->node_s_per_request : INFINITY;
    /* utilisation: prefill runs the compute roof at e_c; a decode step runs
     * the busier roof at its achieved fraction */
    double u_dec = fmax(2.0 * n * (double)b / out->step_s / peak, bytes / out->step_s / bw);
    out->u = out->node_s_per_request > 0 ? (out->prefill_s * ec + dec_s * u_dec) / out->node_s_per_request : ec;
    if (out->u > 1.0)
        out->u = 1.0;
    return 0;
}

double perf_decode_step_s(const perf_infer_in *in, double b)
{
    const node_type *t = in->node;
    const model_spec *m = in->model;
    int devices = t->accelerators > 0 ? t->accelerators : 1;
    double peak = catalog_node_peak_flops(t, in->precision);
    double bw = t->mem_bw_gbs * 1e9 * devices;
    double ec = fmin(1.0, in->compute_eff * in->compile_factor);
    double em = fmin(1.0, in->bandwidth_eff * in->compile_factor);
    double n = m->active_params_b * 1e9 * (1.0 - in->sparsity);
    double p = in->prompt_tokens, o = in->output_tokens;
    double w_bytes = m->params_b * 1e9 * (1.0 - in->sparsity) * in->weight_bytes;
    double kv_tok = 2.0 * m->layers * m->kv_heads * ((double)m->hidden / m->heads) * in->kv_bytes;
    double t_comp = 2.0 * n * b / (peak * ec);
    double t_mem = (w_bytes + b * kv_tok * (p + o / 2.0)) / (bw * em);
    return fmax(t_comp, t_mem);
}
