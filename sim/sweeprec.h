/* sweeprec.h - the records of a finished sweep: what the sweep runner (sim/sweep.c)
 * hands to the sweep file writer (output/h5sweep.c).
 *
 * Plain data, like sink.h: output/ may include this file, never the engine.
 * Layout of the file these records become: docs/RESULTS.md, "Sweep files".
 */
#ifndef DCSIM_SWEEPREC_H
#define DCSIM_SWEEPREC_H

#include <stdint.h>

#include "sink.h"

/* One figure of a run: a column of /runs (a /summary attribute of the run, or
 * one the sweep adds). Strings are static. */
typedef struct sweep_metric {
    const char *name;      /* e.g. "energy_mwh" */
    const char *units;     /* UDUNITS string, "1" for counts and ratios */
    const char *long_name; /* one-line description */
    int headline;          /* 1: shown by `dcsim report` (energy, emissions, cost, water, wait, SLO) */
} sweep_metric;

/* Mean, standard deviation and 95% confidence interval of n values. With
 * n = 1 (or a NaN among the values) sd, lo and hi are NaN: no interval. */
typedef struct sweep_stat {
    double mean; /* arithmetic mean */
    double sd;   /* sample standard deviation (n - 1 in the denominator) */
    double lo;   /* mean - t(0.975, n - 1) sd / sqrt(n) */
    double hi;   /* mean + t(0.975, n - 1) sd / sqrt(n) */
} sweep_stat;

/* One run's full series (only when the sweep file asks for them). Names and
 * variables are borrowed from the sweep (valid until sweep_free). */
typedef struct sweep_series {
    int nsites, npools, nsv, npv;
    const char *const *site_names; /* [nsites] */
    const char *const *pool_names; /* [npools] */
    const int *pool_site;          /* [npools] site index of each pool */
    const sink_var *site_vars;     /* [nsv] */
    const sink_var *pool_vars;     /* [npv] */
    long nsteps;
    double *t;                     /* [nsteps] start of each step, s since start (owned) */
    double *site_vals;             /* [nsteps][nsites][nsv] (owned) */
    double *pool_vals;             /* [nsteps][npools][npv] (owned) */
} sweep_series;

/* Everything a sweep file holds. Runs are numbered k = variant * nreps + rep. */
typedef struct sweep_result {
    const char *version;          /* simulator version (DCSIM_VERSION) */
    const char *name;             /* sweep name */
    const char *sweep_path;       /* the sweep file as given */
    const char *base_path;        /* the base scenario, resolved against the sweep file's folder */
    const char *sweep_text;       /* the sweep file's text */
    const char *base_config;      /* the reference variant's resolved scenario text */
    const char *start_iso;        /* the base scenario's start */
    double step_s;                /* accounting step, s */
    uint64_t seed0;               /* replication r runs with seed0 + r */
    double slo_max_wait_s;        /* a job violates the SLO when it waits longer than this, s */
    int nvariants, nreps;
    int nsettings;
    const char *const *setting_paths;  /* [nsettings] every path a variant overrides */
    const char *const *variant_names;  /* [nvariants] */
    const char *const *settings;       /* [nvariants][nsettings] the value set, "" where the base applies */
    int reference;                /* variant the paired differences are against */

    int nmetrics;
    const sweep_metric *metrics;  /* [nmetrics] the columns of /runs */
    const double *values;         /* [nvariants * nreps][nmetrics] */
    const uint64_t *seeds;        /* [nreps] */

    const sweep_stat *stats;      /* [nmetrics][nvariants] */
    const sweep_stat *paired;     /* [nmetrics][nvariants] of (variant - reference), replication by replication */
    double t975;                  /* t quantile used, t(0.975, nreps - 1); NaN with one replication */

    const sweep_series *series;   /* [nvariants * nreps] or NULL */

    /* timing: the only figures that differ between two runs of one sweep */
    double wall_s;                /* wall-clock time of the whole sweep (runs and statistics), s */
    double run_wall_s;            /* sum of the runs' own wall-clock times, s */
    int threads;                  /* OpenMP threads per rank */
    int ranks;                    /* MPI ranks (1 without MPI) */
} sweep_result;

#endif
