/* scenario.h - a validated scenario: sites, pools, workloads, scheduler, output.
 *
 * scenario_load parses a libconfig file (with @include relative to the file's
 * folder), applies --set overrides, checks every setting (unknown names,
 * types, ranges, references) and resolves names to indices. All user errors
 * are found here and reported as "file:line: what is wrong"; a scenario that
 * loads can be simulated. The setting names, units and defaults are listed
 * in docs/SCENARIO.md.
 */
#ifndef DCSIM_SCENARIO_H
#define DCSIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "../grid/battery.h"
#include "../grid/market.h"
#include "../grid/newdemand.h"
#include "../grid/synthgrid.h"
#include "../grid/weather.h"
#include "catalog.h"
#include "facility.h"
#include "jobtrace.h"
#include "perf.h"
#include "policy.h"
#include "sched.h"

#define SCN_NAME_MAX 63

/* Limits that refuse absurd inputs before anything is allocated. */
#define SCN_MAX_NODES_PER_POOL 10000000LL  /* 10^7 nodes */
#define SCN_MAX_STEPS 20000000.0           /* accounting steps in a run */
#define SCN_MAX_DURATION_S (200.0 * 365.0 * 86400.0)
#define SCN_MAX_JOBS 1000000000LL          /* arrivals per workload */

/* A file a scenario names: its path and where it was named (for messages). */
typedef struct scn_file {
    char *path;                  /* relative to the scenario's folder already resolved (owned), or NULL */
    char where[320];             /* "scenario.cfg:18" */
} scn_file;

#define SCN_MAX_PPA 8

/* A power purchase agreement: an hourly capacity-factor profile times a size. */
typedef struct scn_ppa {
    char name[SCN_NAME_MAX + 1];
    double mw;                   /* contracted capacity, MW */
    scn_file profile;            /* hourly capacity factor, 0..1 (or %), or no path ... */
    int source;                  /* ... then SRC_SOLAR or SRC_WIND of the site's synthetic grid */
} scn_ppa;

typedef struct scn_site {
    char name[SCN_NAME_MAX + 1];
    int facility_model;          /* index in facility_types (facility.h) */
    facility_params fac;         /* the model's parameters (PUE, WUE) */
    double intensity_g_per_kwh;  /* constant grid intensity, g CO2e/kWh (if no trace, no synthetic grid) */
    int synthetic;               /* 1: a synthetic generation-mix grid (grid/synthgrid.h) */
    synthgrid_params synth;      /* its parameters */
    int consequential;           /* 1: the site's load is added to the grid's demand */
    int has_new_demand;          /* 1: emissions of the site's energy as added demand (grid/newdemand.h) */
    newdemand_params new_demand;
    scn_file trace;              /* hourly average intensity, or no path */
    int trace_format;            /* TRACE_PLAIN or TRACE_ELECTRICITY_MAPS (grid/trace.h) */
    int trace_column;            /* electricity-maps: TRACE_LCA or TRACE_DIRECT */
    char trace_unit[64];         /* plain: the unit named by the scenario, or "" (from the header) */
    int trace_policy;            /* SERIES_ERROR, ...: gaps and coverage of every trace of the site */
    double marginal_g_per_kwh;   /* constant marginal intensity, g/kWh, or -1 */
    scn_file marginal_trace;     /* hourly marginal intensity, or no path */
    double grid_cfe_fraction;    /* the grid's carbon-free share when not given by a trace, 0..1, or -1 (0) */
    scn_file price_trace;        /* hourly energy price (USD/MWh unless the header says), or no path */
    double energy_price_usd_per_kwh; /* grid energy price, USD/kWh (default 0: in the node price) */
    int has_contracts;           /* market-based accounting */
    market_params market;        /* residual mix and certificates */
    int nppa;
    scn_ppa ppa[SCN_MAX_PPA];    /* power purchase agreements */
    int has_battery;
    battery_params battery;      /* on-site storage */
    double offsite_water_l_per_kwh;  /* water consumed to generate grid electricity, L/kWh; -1: from a
                                        synthetic grid's mix, else 0 */
    int weather;                 /* WEATHER_* */
    double temp_c, rh_pct;       /* WEATHER_CONSTANT: outdoor dry bulb, C; relative humidity, % */
    weather_climate climate;     /* WEATHER_SYNTHETIC: the climate */
    char *weather_path;          /* WEATHER_FILE: the file (owned) */
    int weather_format;          /* WEATHER_FILE: WEATHER_OPEN_METEO_JSON, ... */
    int weather_policy;          /* WEATHER_FILE: SERIES_ERROR, ... for gaps and coverage */
    char weather_where[320];     /* "scenario.cfg:18", where the weather was set */
    double heat_wave_start_s;    /* a heat wave from this time (s since start) ... */
    double heat_wave_end_s;      /* ... to this time adds ... */
    double heat_wave_delta_c;    /* ... this many K to the dry bulb (vapour pressure kept), 0 = none */
    double cap_kw;               /* limit on the site's IT power, kW (INFINITY: none) */
    int cap_from_h, cap_to_h;    /* the cap holds daily in [from, to) UTC hours; -1: always */
    int first_pool, npools;      /* pools of this site: [first_pool, first_pool + npools) */
} scn_site;

typedef struct scn_pool {
    char name[SCN_NAME_MAX + 1];
    int site;                    /* index of its site */
    int type;                    /* index of its node type in the catalog */
    long long count;             /* nodes in the pool */
    long long on;                /* nodes powered on (the rest are off), default count */
    double price_usd_per_h;      /* per node-hour, after the discount (default: the node type's price), USD */
    double discount;             /* reserved / committed-use discount on the price, 0..1 */
    int liquid_cooled;           /* 1: direct-to-chip liquid cooling (default: the node type's) */
    int policy;                  /* SCHED_* queueing policy of this pool (default: scheduler.policy) */
    int managed;                 /* 1: power management (sim/power.h): off nodes are switched on for waiting jobs */
    double off_after_s;          /* idle time before a node is switched off, s (INFINITY: never) */
    double wake_s;               /* wake latency, s */
    double boot_energy_j;        /* energy of one node's boot, J */
    long long min_on;            /* nodes never switched off */
} scn_pool;

enum { WEATHER_NONE, WEATHER_CONSTANT, WEATHER_SYNTHETIC, WEATHER_FILE };

enum { WL_TRAINING, WL_INFERENCE, WL_GENERIC, WL_AGGREGATE, WL_KIND_COUNT };
extern const char *const scn_kind_names[]; /* "training", "inference", "generic", "aggregate", NULL */

enum { ARR_AT, ARR_POISSON, ARR_EVERY, ARR_NHPP, ARR_TRACE };
enum { DIST_FIXED, DIST_EXPONENTIAL };

enum { TPUT_GIVEN, TPUT_MEASURED, TPUT_ROOFLINE };
extern const char *const scn_baseline_names[]; /* "none", "fifo", NULL: scheduler.baseline */
extern const char *const scn_tput_names[]; /* "given", "measured", "roofline", NULL */

/* How an inference workload is served (docs/SCHEDULING.md, "Inference
 * serving"; sim/serve.h): `batch` is the hourly batch job of workload.h;
 * `request` simulates every request with dynamic batching on the nodes of
 * the workload's pool; `fluid` computes per step the load, the nodes and an
 * M/G/c latency estimate. */
enum { SERVE_BATCH, SERVE_REQUEST, SERVE_FLUID };
extern const char *const scn_serve_mode_names[]; /* "batch", "request", "fluid", NULL */
#define SCN_MAX_SERVE_BATCH 100000

typedef struct scn_serving {
    int mode;                    /* SERVE_* */
    long long max_batch;         /* most requests in one batch on one node */
    double max_wait_s;           /* a batch starts once its oldest request waited this long, s */
    double slo_ttft_s;           /* time-to-first-token objective, s (INFINITY: none) */
    double slo_e2e_s;            /* end-to-end objective, s (INFINITY: none) */
    double target_utilization;   /* fluid nodes needed and autoscaler target: busy / on, 0..1 */
    int autoscale;               /* 1: the autoscaler sets the nodes on */
    long long min_nodes, max_nodes; /* autoscaler bounds, nodes */
    double up_delay_s;           /* more nodes must be wanted this long before they are switched on, s */
    double down_delay_s;         /* fewer nodes must be wanted this long before nodes go off, s */
    double interval_s;           /* autoscaler evaluation period, s (request mode) */
    double prompt_tokens;        /* per request, incl. retrieved context (0 if not given) */
    double output_tokens;        /* per request (0 if not given) */
} scn_serving;

typedef struct scn_workload {
    char name[SCN_NAME_MAX + 1];
    char group[SCN_NAME_MAX + 1]; /* label the results are summed by (default: the name) */
    int kind;                    /* WL_* */
    int pool;                    /* target pool index, or -1: any pool of node_type */
    int node_type;               /* target node type index */
    long long nodes;             /* nodes per job (training, generic) */
    double utilization;          /* u in P(u) while a job runs, 0..1 (default 1) */

    int priority;                /* queue priority under policy "priority": higher first (default 0) */
    double slack_s;              /* a job may start up to this long after submission, s (-1: not flexible) */
    double deadline_s;           /* a job must end within this long after submission, s (-1: none) */
    unsigned char *allowed;      /* [nsites] 1: jobs may run there (allowed_sites, data residency); NULL: any (owned) */
    int home_site;               /* site jobs are submitted to, or -1: the first candidate pool's */
    int checkpointable;          /* 1: a running job may be suspended and resumed (scheduler.suspend_above_*) */
    double checkpoint_overhead_s; /* extra run time paid at each resume (checkpoint save + restore), s */

    int arrival;                 /* ARR_* */
    double first_s;              /* first arrival (ARR_AT: the only one), s since start */
    double rate_per_s;           /* ARR_POISSON: mean arrivals per s */
    double every_s;              /* ARR_EVERY: interval, s */
    long long count;             /* arrivals in all; -1 = unbounded */
    /* ARR_NHPP (workload.h): rate(t) = rate_per_s x daily x weekly x (1 + growth)^(t / 365 d) x burst */
    double daily[24];            /* multiplier per UTC hour of day, mean 1 (all 1: flat) */
    double diurnal_amplitude_arr; /* instead of daily: 1 + A cos(2 pi (h - peak) / 24), 0..1 */
    double peak_hour_arr;        /* hour of that peak, UTC */
    double weekly[7];            /* multiplier per UTC day of week, Monday first, mean 1 */
    double growth_per_year;      /* fractional growth of the rate per 365 days (0.5 = +50%) */
    double burst_per_s;          /* burst starts per s (Poisson), 0: no bursts */
    double burst_factor;         /* rate multiplier within a burst, >= 1 */
    double burst_s;              /* burst length, s */
    double rate_max_per_s;       /* the thinning bound: max of rate(t) over the run */
    jobtrace *trace;             /* ARR_TRACE: the jobs (owned) */

    /* training */
    int model;                   /* catalog model index, -1 if none */
    int method;                  /* TM_* (perf.h): the FLOP model */
    int teacher;                 /* distillation: the teacher model, -1 if none */
    double flops;                /* work per job, FLOP (perf.h, or given) */
    int flops_given;             /* 1: flops was set directly (no FLOP model) */
    double node_power_w;         /* > 0: measured mean power per node while running, W (replaces P(u)) */
    double mfu;                  /* model FLOPs utilisation, 0..1 */
    int precision;               /* PREC_* */

    /* generic and training: job duration */
    int service_dist;            /* DIST_* */
    double service_mean_s;       /* mean duration per job, s */

    /* inference (one batch job per every_s of demand); aggregate uses the
     * same fields with joules for requests: rate_mean_per_s is the mean IT
     * power, W, and node_s_per_request = 1 / (node max_w), s per J */
    double rate_mean_per_s;      /* mean request rate, requests/s */
    double diurnal_amplitude;    /* 0..1: rate = mean (1 + A cos(2 pi (h - peak)/24)) */
    double peak_hour_utc;        /* hour of the daily peak, 0..24 */
    double tokens_per_request;   /* prompt + output tokens per request */
    double tokens_per_s_per_node; /* serving throughput of one node, tokens/s */
    long long max_nodes;         /* most nodes one batch job may take */
    int tput_source;             /* TPUT_*: where tokens_per_s_per_node came from */
    int served_model;            /* the model served (the student if distilled), -1 if none */
    double retrieved_tokens;     /* RAG: context added to every prompt, tokens */
    perf_infer_in roof_in;       /* TPUT_ROOFLINE: the roofline's inputs ... */
    perf_infer_out roof;         /* ... and figures */
    double node_s_per_request;   /* node-seconds one request takes */
    scn_serving serving;         /* inference: how it is served */
} scn_workload;


/* A multi-year projection: the scenario runs once per year, each year with
 * its trends applied as overrides (docs/PROJECTION.md). */
enum { TREND_VALUES, TREND_GROWTH, TREND_DOUBLING, TREND_CHANGE };
extern const char *const scn_trend_names[]; /* "values", "growth_per_year", "doubling_years", "change_per_year", NULL */
#define SCN_MAX_YEARS 200
typedef struct scn_trend {
    char path[256];              /* a setting path, as --set takes it */
    int kind;                    /* TREND_* */
    double rate;                 /* growth per year (fraction), doubling time (years) or change per year */
    double base;                 /* the base scenario's value at path (numeric kinds) */
    int integer;                 /* the setting is an integer: each year's value is rounded */
    char **values;               /* TREND_VALUES: the text of each year's value [nyears] (owned) */
} scn_trend;

typedef struct scn_projection {
    int first_year, nyears;      /* nyears = 0: no projection */
    scn_trend *trends;           /* [ntrends] (owned) */
    int ntrends;
} scn_projection;

typedef struct scenario {
    char *path;                  /* the scenario file (owned) */
    char name[SCN_NAME_MAX + 1];
    uint64_t seed;
    int64_t start_epoch;         /* UTC epoch seconds of t = 0 */
    char start_iso[32];          /* "2026-01-01T00:00:00Z" */
    double duration_s;           /* simulated span, s (drain: upper bound) */
    int drain;                   /* 1: run until every job has finished */
    double step_s;               /* accounting step, s (divides 1 h) */

    catalog cat;
    scn_site *sites;  int nsites;
    scn_pool *pools;  int npools;
    scn_workload *workloads; int nworkloads;

    int policy;                  /* SCHED_* */
    int placement;               /* PLACE_* */
    int backfill_depth;          /* easy_backfill: queued jobs scanned per pass (default 100) */
    int carbon_policy;           /* CARBON_* (policy.h): temporal shifting of flexible jobs */
    int forecast;                /* FORECAST_* */
    double forecast_noise_sd;    /* noisy forecast: relative SD per hour */
    double suspend_above_g_per_kwh; /* suspend checkpointable jobs in hours above this intensity, g/kWh (-1: no) */
    double suspend_above_pct;    /* ... or above this percentile of the site's day, 0..100 (-1: no) */
    int baseline;                /* 1: also run FIFO, first fit, no carbon policy on the same arrivals (/summary savings) */

    char *output_file;           /* result path (owned) */
    int output_jobs;             /* write the /jobs table (default 1) */

    char *config_text;           /* resolved scenario text (owned) */
    scn_projection proj;         /* the `projection` block, if any */
} scenario;

/* Loads and validates path with the overrides sets[0..nsets) ("a.b=v").
 * Returns 0, or -1 with one located message in err (s is then empty).
 * Free with scenario_free. */
int scenario_load(scenario *s, const char *path, const char *const *sets, int nsets, char *err, size_t errlen);
void scenario_free(scenario *s);

/* The override "path=value" trend k applies in year index y (0 = first
 * year) of s's projection, written into buf. */
void scenario_trend_set(const scenario *s, int k, int y, char *buf, size_t len);

/* 1 if pool may run jobs of workload w: its target pool, or a pool of its
 * node type, at one of its allowed sites. */
int scn_candidate(const scenario *s, const scn_workload *w, int pool);

/* Loads only the catalog lists of a file (for `dcsim catalog`). */
int scenario_load_catalog(catalog *c, const char *path, char *err, size_t errlen);

#endif
