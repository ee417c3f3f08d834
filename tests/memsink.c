/* memsink.c - in-memory sink for tests (see memsink.h). */
#include "memsink.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int ms_open(void *st, const sink_layout *L)
{
    memsink *ms = st;
    ms->nsites = L->nsites;
    ms->npools = L->npools;
    ms->nsv = L->nsite_vars;
    ms->npv = L->npool_vars;
    ms->opened = 1;
    return 0;
}

static int ms_step(void *st, double t, const double *sv, const double *pv)
{
    memsink *ms = st;
    if (ms->fail_step_at >= 0 && ms->nsteps == ms->fail_step_at)
        return -1;
    long n = ms->nsteps + 1;
    size_t a = (size_t)(ms->nsites * ms->nsv), b = (size_t)(ms->npools * ms->npv);
    if (n > ms->step_cap) { /* geometric growth: realloc by one is quadratic under ASan */
        long cap = ms->step_cap ? 2 * ms->step_cap : 64;
        ms->t = realloc(ms->t, (size_t)cap * sizeof *ms->t);
        ms->site_vals = realloc(ms->site_vals, (size_t)cap * a * sizeof(double));
        ms->pool_vals = realloc(ms->pool_vals, (size_t)cap * b * sizeof(double));
        ms->step_cap = cap;
    }
    ms->t[n - 1] = t;
    memcpy(ms->site_vals + (size_t)(n - 1) * a, sv, a * sizeof(double));
    memcpy(ms->pool_vals + (size_t)(n - 1) * b, pv, b * sizeof(double));
    ms->nsteps = n;
    return 0;
}

static int ms_job(void *st, const sink_job *j)
{
    memsink *ms = st;
    if (ms->njobs == ms->job_cap) {
        ms->job_cap = ms->job_cap ? 2 * ms->job_cap : 64;
        ms->jobs = realloc(ms->jobs, (size_t)ms->job_cap * sizeof *ms->jobs);
    }
    ms->jobs[ms->njobs++] = *j;
    return 0;
}

static int ms_close(void *st, int ok, const sink_attr *sum, int nsum, const sink_attr *pa, int npa)
{
    memsink *ms = st;
    (void)pa;
    (void)npa;
    ms->closed = 1;
    ms->committed = ok;
    if (ok)
        for (int i = 0; i < nsum && i < (int)(sizeof ms->summary / sizeof ms->summary[0]); i++)
            ms->summary[ms->nsummary++] = sum[i];
    return 0;
}

static const char *ms_errmsg(void *st)
{
    (void)st;
    return "memsink: step failed on purpose";
}

static int ms_table(void *st, const char *name, int ncols, const sink_var *cols, long nrows, const double *values)
{
    memsink *ms = st;
    (void)name;
    ms->tcols = ncols < 32 ? ncols : 32;
    ms->trows = nrows;
    free(ms->tvals);
    ms->tvals = malloc((size_t)ncols * (size_t)nrows * sizeof *ms->tvals);
    memcpy(ms->tvals, values, (size_t)ncols * (size_t)nrows * sizeof *ms->tvals);
    for (int c = 0; c < ms->tcols; c++) {
        snprintf(ms->tnames[c], sizeof ms->tnames[c], "%s", cols[c].name);
        snprintf(ms->tunits[c], sizeof ms->tunits[c], "%s", cols[c].units ? cols[c].units : "");
    }
    return 0;
}

static const sink_ops memsink_ops = {"memory", ms_open, ms_step, ms_job, ms_close, ms_errmsg, NULL, ms_table};

double memsink_table(const memsink *ms, const char *col, long row)
{
    for (int c = 0; c < ms->tcols; c++)
        if (!strcmp(ms->tnames[c], col) && row < ms->trows)
            return ms->tvals[(size_t)c * (size_t)ms->trows + (size_t)row];
    return NAN;
}

sink memsink_init(memsink *ms)
{
    memset(ms, 0, sizeof *ms);
    ms->fail_step_at = -1;
    return (sink){&memsink_ops, ms};
}

void memsink_free(memsink *ms)
{
    free(ms->t);
    free(ms->site_vals);
    free(ms->pool_vals);
    free(ms->jobs);
    free(ms->tvals);
    memset(ms, 0, sizeof *ms);
}

double memsink_summary(const memsink *ms, const char *name)
{
    for (int i = 0; i < ms->nsummary; i++)
        if (!strcmp(ms->summary[i].var.name, name))
            return ms->summary[i].value;
    return NAN;
}

double memsink_site_sum(const memsink *ms, int site, int v)
{
    double s = 0;
    for (long k = 0; k < ms->nsteps; k++)
        s += ms->site_vals[(size_t)k * (size_t)(ms->nsites * ms->nsv) + (size_t)(site * ms->nsv + v)];
    return s;
}
