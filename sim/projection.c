/* projection.c - one run per year and the /projection table (see projection.h). */
#include "projection.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const proj_column proj_columns[] = {
    {"it_energy_mwh", "it_energy_mwh"},
    {"facility_energy_mwh", "facility_energy_mwh"},
    {"grid_energy_mwh", "energy_mwh"},
    {"mean_pue", "mean_pue"},
    {"emissions_location_t", "emissions_t"},
    {"emissions_market_t", "emissions_market_t"},
    {"emissions_new_demand_t", "emissions_new_demand_t"},
    {"embodied_t", "embodied_t"},
    {"water_m3", "water_m3"},
    {"cost_usd", "cost_usd"},
    {"requests", "requests"},
};
const int proj_ncolumns = (int)(sizeof proj_columns / sizeof proj_columns[0]);

int proj_load_year(const scenario *base, const char *const *sets, int nsets, int y, scenario *out, char *err,
                   size_t errlen)
{
    const scn_projection *p = &base->proj;
    int n = nsets + p->ntrends + 1;
    char **all = calloc((size_t)n, sizeof *all);
    char *buf = malloc((size_t)(p->ntrends + 1) * 600);
    int rc = -1;
    if (!all || !buf) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    for (int i = 0; i < nsets; i++)
        all[i] = (char *)sets[i];
    /* the start moves by whole years: same month, day and time */
    all[nsets] = buf;
    snprintf(buf, 600, "start=%04d%s", p->first_year + y, base->start_iso + 4);
    for (int k = 0; k < p->ntrends; k++) {
        all[nsets + 1 + k] = buf + (size_t)(k + 1) * 600;
        scenario_trend_set(base, k, y, all[nsets + 1 + k], 600);
    }
    char why[1100];
    if (scenario_load(out, base->path, (const char *const *)all, n, why, sizeof why)) {
        snprintf(err, errlen, "projection year %d: %s", p->first_year + y, why);
        goto done;
    }
    rc = 0;
done:
    free(all);
    free(buf);
    return rc;
}

/* ---- a sink that keeps only the summary, for the years before the last */

typedef struct sumsink {
    double *row; /* the year's values of proj_columns */
    sink *inner; /* the last year: the real sink, else NULL */
    /* the last year: the table to write before closing inner */
    const char *name;
    int ncols;
    sink_var *cols; /* the columns; those of proj_columns take the summary's units */
    long nrows;
    double *values; /* [ncols][nrows] */
    int year_index; /* this year's row */
} sumsink;

static void take_row(sumsink *ss, const sink_attr *sum, int nsum)
{
    int first = ss->ncols - proj_ncolumns;
    for (int c = 0; c < proj_ncolumns; c++) {
        ss->row[c] = NAN;
        for (int i = 0; i < nsum; i++)
            if (!strcmp(sum[i].var.name, proj_columns[c].summary)) {
                ss->row[c] = sum[i].value;
                ss->cols[first + c].units = sum[i].var.units;
                ss->cols[first + c].long_name = sum[i].var.long_name;
            }
    }
}

static int ss_open(void *st, const sink_layout *L)
{
    sumsink *ss = st;
    return ss->inner ? ss->inner->ops->open(ss->inner->state, L) : 0;
}

static int ss_step(void *st, double t, const double *sv, const double *pv)
{
    sumsink *ss = st;
    return ss->inner ? ss->inner->ops->step(ss->inner->state, t, sv, pv) : 0;
}

static int ss_job(void *st, const sink_job *j)
{
    sumsink *ss = st;
    return ss->inner ? ss->inner->ops->job(ss->inner->state, j) : 0;
}

static const char *ss_errmsg(void *st)
{
    sumsink *ss = st;
    return ss->inner ? ss->inner->ops->errmsg(ss->inner->state) : "projection: out of memory";
}

static int ss_totals(void *st, const char *table, int n, const char *const *names, const char *const *groups,
                     const sink_attr *attrs, int nattrs)
{
    sumsink *ss = st;
    if (!ss->inner || !ss->inner->ops->totals)
        return 0;
    return ss->inner->ops->totals(ss->inner->state, table, n, names, groups, attrs, nattrs);
}

static int ss_close(void *st, int ok, const sink_attr *sum, int nsum, const sink_attr *pa, int npa)
{
    sumsink *ss = st;
    if (ok)
        take_row(ss, sum, nsum);
    if (!ss->inner)
        return 0;
    if (ok && ss->inner->ops->table) {
        /* the last year's row completes the table */
        int ntrend = ss->ncols - 1 - proj_ncolumns;
        for (int c = 0; c < proj_ncolumns; c++)
            ss->values[(size_t)(1 + ntrend + c) * (size_t)ss->nrows + (size_t)ss->year_index] = ss->row[c];
        if (ss->inner->ops->table(ss->inner->state, ss->name, ss->ncols, ss->cols, ss->nrows, ss->values)) {
            ss->inner->ops->close(ss->inner->state, 0, NULL, 0, NULL, 0);
            return -1;
        }
    }
    return ss->inner->ops->close(ss->inner->state, ok, sum, nsum, pa, npa);
}

static const sink_ops sumsink_ops = {"projection", ss_open, ss_step, ss_job, ss_close, ss_errmsg, ss_totals, NULL};

int proj_run(const scenario *base, const char *const *sets, int nsets, sink *out, const sim_options *opt,
             void (*progress)(void *ctx, int year, int index, int nyears), void *ctx, char *err, size_t errlen)
{
    const scn_projection *p = &base->proj;
    int ny = p->nyears;
    int ncols = 1 + p->ntrends + proj_ncolumns; /* at most: text trends have no column */
    sink_var *cols = calloc((size_t)ncols, sizeof *cols);
    double *values = calloc((size_t)ncols * (size_t)ny, sizeof *values);
    scenario *years = calloc((size_t)ny, sizeof *years);
    int rc = -1, loaded = 0;
    if (!cols || !values || !years) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    /* every year is loaded and checked before anything runs */
    for (int y = 0; y < ny; y++, loaded++)
        if (proj_load_year(base, sets, nsets, y, &years[y], err, errlen))
            goto done;
    cols[0] = (sink_var){"year", "1", "calendar year of the run"};
    int c = 1;
    for (int k = 0; k < p->ntrends; k++) {
        const scn_trend *t = &p->trends[k];
        char *end;
        if (t->kind == TREND_VALUES && (strtod(t->values[0], &end), *end != '\0' || end == t->values[0]))
            continue; /* a text trend (e.g. a node type) has no numeric column */
        cols[c] = (sink_var){t->path, "1", "the trend's value that year (the setting's own unit)"};
        for (int y = 0; y < ny; y++) {
            char buf[600];
            scenario_trend_set(base, k, y, buf, sizeof buf);
            values[(size_t)c * (size_t)ny + (size_t)y] = strtod(strchr(buf, '=') + 1, NULL);
        }
        c++;
    }
    ncols = c + proj_ncolumns;
    for (int j = 0; j < proj_ncolumns; j++)
        cols[c + j] = (sink_var){proj_columns[j].column, NULL, NULL};
    for (int y = 0; y < ny; y++)
        values[y] = p->first_year + y;

    double row[64];
    for (int y = 0; y < ny; y++) {
        if (progress)
            progress(ctx, p->first_year + y, y, ny);
        sumsink ss = {.row = row, .inner = y == ny - 1 ? out : NULL, .name = "projection", .ncols = ncols,
                      .cols = cols, .nrows = ny, .values = values, .year_index = y};
        sink s = {&sumsink_ops, &ss};
        sim *m = sim_alloc(&years[y], err, errlen);
        if (!m) {
            char why[1100];
            snprintf(why, sizeof why, "%s", err);
            snprintf(err, errlen, "projection year %d: %s", p->first_year + y, why);
            goto done;
        }
        int r = sim_run(m, &s, opt, err, errlen);
        sim_free(m);
        if (r) {
            rc = r;
            goto done;
        }
        if (y < ny - 1)
            for (int j = 0; j < proj_ncolumns; j++)
                values[(size_t)(c + j) * (size_t)ny + (size_t)y] = row[j];
    }
    rc = 0;
done:
    for (int y = 0; y < loaded; y++)
        scenario_free(&years[y]);
    free(years);
    free(cols);
    free(values);
    return rc;
}
