/* catalog.h - node types and model architectures, read from libconfig lists
 * (scenarios/hardware.cfg and scenarios/models.cfg hold the sourced figures).
 *
 * Plain data: every field carries its unit. The power model of a node is
 * P(u) = idle_w + (max_w - idle_w) * u^alpha (fleet.h).
 */
#ifndef DCSIM_CATALOG_H
#define DCSIM_CATALOG_H

#include <libconfig.h>

#include "cfgutil.h"

enum { PREC_FP32, PREC_BF16, PREC_FP8, PREC_INT8, PREC_COUNT };
extern const char *const catalog_precision_names[]; /* "fp32", "bf16", "fp8", "int8", NULL */

#define CATALOG_NAME_MAX 63

typedef struct node_type {
    char name[CATALOG_NAME_MAX + 1];        /* instance type, e.g. "trn2.48xlarge" */
    char accelerator[CATALOG_NAME_MAX + 1]; /* device, e.g. "Trainium2"; "none" */
    int accelerators;                       /* devices per node; 0 = CPU-only node */
    int vcpus;                              /* vCPUs per node */
    double peak_tflops[PREC_COUNT];         /* dense peak per device (per node if accelerators = 0), TFLOPS */
    double mem_gb;                          /* memory per device (node DRAM if CPU-only), GB */
    double mem_bw_gbs;                      /* memory bandwidth per device (node if CPU-only), GB/s */
    double idle_w;                          /* node wall power at u = 0, W */
    double max_w;                           /* node wall power at u = 1, W */
    double alpha;                           /* exponent of the power curve, 1 = linear */
    double off_w;                           /* node power when switched off, W */
    double price_usd_per_h;                 /* on-demand price, USD per node-hour */
    double embodied_kgco2e;                 /* manufacturing emissions per node, kg CO2e */
    double lifetime_years;                  /* amortisation period, years */
    int liquid_cooled;                      /* 1 if direct-to-chip liquid cooled */
} node_type;

typedef struct model_spec {
    char name[CATALOG_NAME_MAX + 1]; /* e.g. "llama-3.1-8b" */
    double params_b;                 /* total parameters, billions */
    double active_params_b;          /* parameters used per token (MoE < total), billions */
    int layers, hidden, heads, kv_heads; /* transformer shape */
    int vocab;                       /* vocabulary size, tokens */
    int context;                     /* maximum context, tokens */
} model_spec;

/* A measured serving throughput of a model on a node type at a precision:
 * when present it wins over the roofline (perf.h) for that triple. */
typedef struct measured_tput {
    int type, model, precision;      /* catalog indices, PREC_* */
    double tokens_per_s;             /* prompt + output tokens per second per node */
} measured_tput;

typedef struct catalog {
    node_type *types; /* [ntypes] */
    int ntypes;
    model_spec *models; /* [nmodels] */
    int nmodels;
    measured_tput *measured; /* [nmeasured] */
    int nmeasured;
} catalog;

/* Reads the lists node_types, models and measured_throughput (any may be
 * NULL = empty) into c, which the caller embeds. Every field is required and
 * range-checked; names must be unique. Returns 0, or -1 with a located
 * message in e (c is then empty). Free with catalog_free. */
int catalog_load(catalog *c, const config_setting_t *node_types, const config_setting_t *models,
                 const config_setting_t *measured, cfg_err *e);

/* The measured throughput of model on node type at precision, tokens/s per
 * node, or 0 if the catalog has none. */
double catalog_measured(const catalog *c, int type, int model, int precision);
void catalog_free(catalog *c);

/* Index of the node type / model with this name, or -1. */
int catalog_find_type(const catalog *c, const char *name);
int catalog_find_model(const catalog *c, const char *name);

/* Dense peak of a whole node at precision p, FLOP/s (0 if unsupported). */
double catalog_node_peak_flops(const node_type *t, int p);

#endif
