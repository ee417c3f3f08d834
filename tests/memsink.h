/* memsink.h - a sink that keeps everything in memory, for tests. */
#ifndef DCSIM_MEMSINK_H
#define DCSIM_MEMSINK_H

#include "../sim/sink.h"

typedef struct memsink {
    int nsites, npools, nsv, npv;
    int opened, closed, committed;
    long nsteps;
    double *t;          /* [nsteps] */
    double *site_vals;  /* [nsteps][nsites * nsv] */
    double *pool_vals;  /* [nsteps][npools * npv] */
    long njobs, job_cap, step_cap; /* rows kept, and room for them */
    sink_job *jobs;     /* [njobs] */
    sink_attr summary[128];
    int nsummary;
    int fail_step_at;   /* make step() fail at this step index (-1: never) */
    int tcols;          /* the table given to table(), if any */
    long trows;
    double *tvals;      /* [tcols][trows] */
    char tnames[32][300], tunits[32][32];
} memsink;

/* A sink writing into ms (zeroed by this call). */
sink memsink_init(memsink *ms);
void memsink_free(memsink *ms);
/* Value of summary attribute name (NAN if absent). */
double memsink_summary(const memsink *ms, const char *name);
/* Value of the table's column col at row (NAN if absent). */
double memsink_table(const memsink *ms, const char *col, long row);
/* Sum over steps of site variable v (index) of site i. */
double memsink_site_sum(const memsink *ms, int site, int v);

#endif
