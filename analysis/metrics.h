/* metrics.h - reads a dcsim result file into memory: root attributes, the
 * headline totals of /summary, per-site, per-pool and per-workload tables and
 * the optional /projection table; and the table of known headline metrics.
 *
 * Only the layout of docs/RESULTS.md is assumed (layout_version 1). Turns off
 * HDF5's automatic error printing for the process and never aborts on a
 * broken file: every failure comes back as -1 with a message naming the file.
 * No HDF5 object is left open when a function returns.
 */
#ifndef DCSIM_METRICS_H
#define DCSIM_METRICS_H

#include <stddef.h>
#include <stdio.h>

#define METRICS_LAYOUT_VERSION 1 /* the major layout version this reader knows */
#define METRICS_MAX_ARRAY 64     /* longest numeric attribute array read, elements */

typedef enum metrics_vkind { MV_NONE, MV_STR, MV_INT, MV_UINT, MV_FLOAT, MV_ARRAY } metrics_vkind;

/* One attribute's value. MV_NONE: a type this reader does not show. */
typedef struct metrics_value {
    metrics_vkind kind;
    char *s;                       /* MV_STR (owned) */
    long long i;                   /* MV_INT */
    unsigned long long u;          /* MV_UINT */
    double d;                      /* MV_FLOAT; also set for MV_INT and MV_UINT */
    double arr[METRICS_MAX_ARRAY]; /* MV_ARRAY */
    int n;                         /* MV_ARRAY length */
} metrics_value;

/* A named value with its units and description ("" when the file has none). */
typedef struct metrics_attr {
    char *name, *units, *long_name; /* owned */
    metrics_value v;
} metrics_attr;

typedef struct metrics_attrs {
    metrics_attr *v; /* [n], in the file's creation order */
    int n;
} metrics_attrs;

/* A group with attributes: a pool ("site/pool") or a workload (its name). */
typedef struct metrics_group {
    char *name; /* owned */
    metrics_attrs attrs;
} metrics_group;

/* Totals of one site, summed from its series; NAN where a series is absent. */
typedef struct metrics_site {
    char *name;           /* owned */
    double it_kwh;        /* sum of it_energy_kwh, kWh */
    double facility_kwh;  /* sum of facility_energy_kwh (energy_kwh in older files), kWh */
    double emissions_kg;  /* sum of emissions_kg (location-based), kg */
    double market_kg;     /* sum of emissions_market_kg, kg */
    double water_onsite_l;/* sum of water_onsite_l, L */
    double water_l;       /* sum of water_l, L */
} metrics_site;

/* One column of /projection. */
typedef struct metrics_column {
    char *name, *units, *long_name; /* owned */
    double *v;                      /* [rows] (owned) */
} metrics_column;

typedef struct metrics_file {
    char *path;                 /* owned copy */
    char *kind;                 /* root attribute "kind", "" for a run result */
    metrics_attrs root;         /* root attributes */
    metrics_attrs summary;      /* /summary attributes, units from /summary/units */
    metrics_group *pools;       /* [npools] "site/pool", units from /summary/pool_units */
    int npools;
    metrics_site *sites;        /* [nsites] */
    int nsites;
    metrics_group *workloads;   /* [nworkloads] /workloads/<name>, units from /workloads/units */
    int nworkloads;
    metrics_group *groups;      /* [ngroups] /groups/<name>: the totals of each group of workloads */
    int ngroups;
    metrics_column *proj;       /* [nproj] /projection columns, year first if present */
    int nproj;
    size_t proj_rows;           /* rows of every /projection column */
} metrics_file;

/* How a metric combines across sites, steps or runs. */
typedef enum metrics_agg {
    AGG_SUM,   /* additive: totals add over sites, steps and runs */
    AGG_RATIO, /* a quotient of two totals: never add or average it */
    AGG_COUNT, /* a count of things (jobs, requests): adds */
    AGG_INFO   /* a fact about the run (events, wall time): shown, not compared */
} metrics_agg;

/* A known headline metric. */
typedef struct metrics_def {
    const char *name;    /* /summary attribute */
    const char *label;   /* for a person */
    const char *units;   /* default units (the file's /summary/units win) */
    const char *section; /* energy, emissions, water, cost, jobs and SLOs, run */
    metrics_agg agg;
    int core;            /* 1: always shown, "n/a" when the file lacks it */
    const char *alias;   /* NULL, or the metric this one repeats (hidden in text when both exist) */
} metrics_def;

/* The known metrics in the order reports print them; *n gets their count. */
const metrics_def *metrics_defs(size_t *n);

/* The definition of summary attribute `name`, or NULL. */
const metrics_def *metrics_find_def(const char *name);

/* "sum", "ratio", "count" or "info". */
const char *metrics_agg_name(metrics_agg a);

/* Reads result file `path` into *mf (which the caller frees with
 * metrics_free, whatever the result). Returns
 *   0  a run result, read whole;
 *   1  a file whose root attribute `kind` is neither absent nor "run" (e.g.
 *      "sweep"): only mf->path, mf->kind and mf->root are read;
 *  -1  error, with "<path>: what is wrong" in err: missing, not HDF5,
 *      damaged, not a dcsim result (no /summary or no layout_version), a
 *      layout_version of another major version ("layout_version 2 is not
 *      supported (this reader knows 1)"), a malformed /projection. */
int metrics_read(const char *path, metrics_file *mf, char *err, size_t errlen);

void metrics_free(metrics_file *mf);

/* The attribute called `name` in l, or NULL. */
const metrics_attr *metrics_attr_find(const metrics_attrs *l, const char *name);

/* The numeric value of attribute `name` of l in *x: 1 if it exists and is a
 * finite-or-not number, 0 otherwise (*x = NAN). */
int metrics_num(const metrics_attrs *l, const char *name, double *x);

/* Number formats: exact (integers as integers, else %.17g) for machines,
 * human (integral as an integer, else 6 significant digits; one decimal from
 * 1e6 up) for people. */
void metrics_fmt_exact(double x, char *buf, size_t len);
void metrics_fmt_human(double x, char *buf, size_t len);

/* A value as text (exact = 1 for machines); arrays as comma-separated lists. */
void metrics_fmt_value(const metrics_value *v, int exact, char *buf, size_t len);

/* Writes the 1-D (or scalar) numeric dataset `dset` of file `path` to out as
 * CSV lines "index,value" (see report_export_csv in report.h). Returns 0 or
 * -1 with the message in err. */
int metrics_export_csv(const char *path, const char *dset, FILE *out, char *err, size_t errlen);

#endif
