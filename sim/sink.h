/* sink.h - the interface between the simulator and whatever stores its results.
 *
 * The simulator (sim/) hands plain records to a sink through a small table of
 * functions; it never sees HDF5. output/h5sink.c implements it for HDF5, and
 * tests may implement it in memory. Everything here is plain data: strings are
 * borrowed for the duration of the call unless said otherwise.
 *
 * Call order: open, then any number of step() and job() calls (interleaved,
 * step times strictly increasing), then exactly one close(). close() with
 * ok = 1 commits the result (e.g. renames the temporary file to its final
 * name); close() with ok = 0 discards everything written so far.
 */
#ifndef DCSIM_SINK_H
#define DCSIM_SINK_H

#include <stdint.h>

/* One named quantity: a series variable or a summary attribute. */
typedef struct sink_var {
    const char *name;      /* dataset or attribute name, e.g. "it_power_kw" */
    const char *units;     /* UDUNITS-style unit string, e.g. "kW", "1" for ratios */
    const char *long_name; /* one-line human description */
} sink_var;

/* What the run will produce; given once to open(). */
typedef struct sink_layout {
    const char *software;      /* "dcsim" */
    const char *version;       /* e.g. "0.1.0" */
    const char *scenario;      /* scenario name */
    const char *config_text;   /* the resolved scenario text (may be long) */
    const char *start_iso;     /* "2026-01-01T00:00:00Z" */
    uint64_t seed;             /* scenario seed */
    double step_s;             /* accounting step, s */

    int nsites;
    const char *const *site_names;    /* [nsites] */
    int npools;
    const char *const *pool_names;    /* [npools] */
    const int *pool_site;             /* [npools] index of the pool's site */

    int nsite_vars;
    const sink_var *site_vars;        /* [nsite_vars] series per site */
    int npool_vars;
    const sink_var *pool_vars;        /* [npool_vars] series per pool */

    /* Names for the categorical job columns (CF flag_values/flag_meanings). */
    int nworkloads;
    const char *const *workload_names; /* [nworkloads] */
    int nkinds;
    const char *const *kind_names;     /* [nkinds] */

    int write_jobs;            /* 0: the /jobs table is not written at all */
} sink_layout;

/* One job row. Times in s since the scenario start. */
typedef struct sink_job {
    uint64_t id;           /* unique per run, in order of submission */
    int32_t workload;      /* index into layout.workload_names */
    int32_t kind;          /* index into layout.kind_names */
    int32_t site;          /* index into layout.site_names, -1 if never placed */
    int32_t pool;          /* index into layout.pool_names, -1 if never placed */
    int32_t nodes;         /* nodes held while running */
    int8_t completed;      /* 1 finished; 0 still running when the run ended */
    double submit_s;       /* arrival time, s */
    double start_s;        /* start time, s */
    double end_s;          /* end time, s (the run's end if not completed) */
    double energy_kwh;     /* IT energy of the job's nodes while it ran, kWh */
    double emissions_kg;   /* facility energy x hourly intensity over the run, kg CO2e */
    double cost_usd;       /* node-hours x price + energy cost, USD */
    double embodied_kg;    /* node-hours x embodied carbon per node-hour, kg CO2e */
    double water_l;        /* water of the job's energy, on-site + off-site, L */
    double requests;       /* inference requests served (0 for other kinds) */
    double wait_s;         /* start - submit: time queued or held back, s */
    double slowdown;       /* (end - submit) / time running; NaN if not completed */
    double deadline_s;     /* latest end allowed, s since start; NaN if none */
    int8_t deadline_met;   /* 1 ended by the deadline, 0 missed (or not completed past it), -1 no deadline */
    double suspended_s;    /* time suspended between start and end, s */
    int32_t home_site;     /* site the job was submitted to; != site when moved */
} sink_job;

/* A named scalar (summary and per-pool attributes). */
typedef struct sink_attr {
    sink_var var;
    double value;
} sink_attr;

typedef struct sink_ops {
    const char *name;
    /* Returns 0 on success, -1 on failure (message via errmsg). */
    int (*open)(void *state, const sink_layout *layout);
    /* One accounting step beginning at t_s: site_vals is [nsites][nsite_vars]
     * row-major, pool_vals is [npools][npool_vars]. */
    int (*step)(void *state, double t_s, const double *site_vals, const double *pool_vals);
    /* One job row; ignored if layout.write_jobs is 0. */
    int (*job)(void *state, const sink_job *job);
    /* Ends the result. ok = 1: write the summary (root attributes of /summary)
     * and the per-pool attributes ([npools][npool_attrs]) and commit;
     * ok = 0: discard. Returns 0 on success, -1 on failure (then nothing
     * is committed). Always releases what open() acquired. */
    int (*close)(void *state, int ok, const sink_attr *summary, int nsummary,
                 const sink_attr *pool_attrs, int npool_attrs);
    /* The last error as text; never NULL. */
    const char *(*errmsg)(void *state);
    /* Optional (NULL: not stored): totals of named things, called just
     * before close(ok = 1), once with table "workloads" (names[n] the
     * workloads in the layout's order, groups[n] the label each is summed
     * under) and once with table "groups" (groups NULL). attrs is
     * [n][nattrs]. Returns 0, or -1 (message via errmsg). */
    int (*totals)(void *state, const char *table, int n, const char *const *names, const char *const *groups,
                  const sink_attr *attrs, int nattrs);
    /* Optional (NULL: not stored): a table of ncols float columns of nrows
     * rows, stored as /<name>/<column>, column-major values[ncols][nrows];
     * the first column is the row coordinate (e.g. year). Called before
     * close(ok = 1). Returns 0, or -1 (message via errmsg). */
    int (*table)(void *state, const char *name, int ncols, const sink_var *cols, long nrows, const double *values);
} sink_ops;

/* A sink instance: its functions and its private state. */
typedef struct sink {
    const sink_ops *ops;
    void *state;
} sink;

#endif
