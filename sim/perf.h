/* perf.h - how much work a job is and how fast a node does it: the FLOP
 * models of training and customisation, and the roofline of inference.
 *
 * Pure functions of the catalog (catalog.h); every lever of docs/LEVERS.md
 * acts through them, never through a fixed discount.
 *
 * Training and customisation, FLOPs per job (N parameters active per token,
 * D tokens; Kaplan et al. 2020, "Scaling Laws for Neural Language Models",
 * sec. 2.1: forward 2N per token, backward twice the forward):
 *   pretrain, continued_pretrain, full_finetune   6 N D
 *   lora, prefix_tuning, p_tuning                 4 N D  (forward 2ND plus the
 *       activation gradients 2ND that must flow back through every frozen
 *       layer; the weight gradients, the other 2ND, are skipped for frozen
 *       weights; the adapters' own FLOPs, < 1% of N, are left out)
 *   distillation                                  2 N_teacher D + 6 N D
 *   embedding, evaluation                         2 N D  (forward only)
 *   index_build   2 n d k i: k-means for an IVF index over n vectors of d
 *       dimensions, k = 4 sqrt(n) lists, i = 20 iterations (ESTIMATE after the
 *       Faiss guidelines, nlist 4..16 sqrt(n); 2 FLOPs per multiply-add)
 *
 * Inference, per node (the model tensor-parallel across the node's devices):
 *   weights  W = N (1 - s) b         b bytes per parameter, s pruned fraction
 *   KV cache per token  kv = 2 L h_kv (d / h) b_kv    (K and V of every layer)
 *   memory   M = f * devices * mem   f usable fraction (default 0.9)
 *   batch    B = min(max_batch, floor((M - W) / (kv (p + o))))
 *   prefill  t_p = 2 N (1 - s) p / (peak * e_c)                 (compute-bound)
 *   decode step for B sequences
 *            t_s = max(2 N (1 - s) B / (peak * e_c), (W + B kv (p + o/2)) / (bw * e_m))
 *   node time per request  t_r = t_p + o t_s / B,  throughput (p + o) / t_r tokens/s
 * p prompt tokens (RAG adds the retrieved context), o output tokens, e_c and
 * e_m the achievable fractions of peak compute and bandwidth, both times the
 * compiler factor c (capped at 1). The node's utilisation u for its power
 * curve is the busier roof's achieved fraction, time-weighted over t_r.
 */
#ifndef DCSIM_PERF_H
#define DCSIM_PERF_H

#include <stddef.h>

#include "catalog.h"

enum {
    TM_PRETRAIN,
    TM_CONTINUED,
    TM_FULL_FT,
    TM_LORA,
    TM_PREFIX,
    TM_PTUNING,
    TM_DISTILL,
    TM_EMBED,
    TM_EVAL,
    TM_INDEX,
    TM_COUNT
};
extern const char *const perf_method_names[]; /* "pretrain", ..., NULL (TM_* order) */
/* FLOPs per parameter per token of each method (6, 4 or 2; 0 for index_build). */
extern const double perf_method_factor[TM_COUNT];

/* FLOPs of a training-like job: method TM_*, n and n_teacher parameters
 * (active per token), tokens D. TM_INDEX: use perf_index_flops. */
double perf_training_flops(int method, double n, double tokens, double n_teacher);

/* FLOPs of an IVF index build over `vectors` vectors of `dim` dimensions. */
double perf_index_flops(double vectors, double dim);

/* Bytes per parameter of a compute precision (fp32 4, bf16 2, fp8 1, int8 1). */
double perf_precision_bytes(int precision);

typedef struct perf_infer_in {
    const node_type *node;
    const model_spec *model;   /* the model served (a distilled student, if any) */
    int precision;             /* PREC_*: the compute precision (its peak) */
    double weight_bytes;       /* bytes per parameter of the stored weights */
    double kv_bytes;           /* bytes per KV-cache element */
    double sparsity;           /* structured pruned fraction of the weights, 0..0.95 */
    double prompt_tokens;      /* per request, incl. retrieved context */
    double output_tokens;      /* per request */
    double extra_flops;        /* per request, e.g. the RAG query embedding, FLOP */
    long long max_batch;       /* most sequences decoded together */
    double compute_eff;        /* e_c, 0..1 */
    double bandwidth_eff;      /* e_m, 0..1 */
    double compile_factor;     /* c >= 1 multiplies e_c and e_m (capped at 1) */
    double mem_fraction;       /* f, usable share of the accelerator memory, 0..1 */
} perf_infer_in;

typedef struct perf_infer_out {
    double weights_gb;         /* W, GB (1e9 bytes) */
    double kv_gb_per_seq;      /* KV cache of one full sequence, GB */
    double mem_gb;             /* usable memory M, GB */
    long long batch;           /* B */
    long long batch_memory;    /* the memory's limit on B */
    double prefill_s;          /* t_p, s per request */
    double step_s;             /* t_s, s per decode step of B sequences */
    int decode_memory_bound;   /* 1 if the bandwidth roof sets t_s */
    double node_s_per_request; /* t_r, node-seconds */
    double tokens_per_s;       /* (p + o) / t_r per node */
    double u;                  /* utilisation for the node's power curve */
} perf_infer_out;

/* The roofline of one inference configuration. Returns 0, or -1 with a
 * message in err (the model does not fit, no room for one sequence, the
 * precision is not supported by the node, the context is too long). */
int perf_inference(const perf_infer_in *in, perf_infer_out *out, char *err, size_t errlen);

/* The decode step time t_s of a batch of b sequences (the equation above
 * with b for B), s, for a configuration perf_inference accepted. Used by
 * per-request serving (serve.h) for batches smaller than B. */
double perf_decode_step_s(const perf_infer_in *in, double b);

#endif
