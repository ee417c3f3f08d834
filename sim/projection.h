/* projection.h - multi-year projections: a scenario with a `projection`
 * block runs once per year from first_year to last_year; year y runs the
 * scenario with start moved to year y and each trend applied as a --set
 * override (scenario.h: values per year, compound growth, a doubling time or
 * a linear change per year). The final year's run writes the full result
 * (series, jobs, summary) and one more table, /projection, with one row per
 * year: the year, each numeric trend's value and the year's headline totals.
 * Years are independent runs with the scenario's seed, so a projection is
 * reproducible bit for bit. docs/PROJECTION.md has the worked examples.
 */
#ifndef DCSIM_PROJECTION_H
#define DCSIM_PROJECTION_H

#include <stddef.h>

#include "scenario.h"
#include "sim.h"
#include "sink.h"

/* The columns of /projection after `year` and the trends: each a /summary
 * attribute of every year's run, stored under a column name. */
typedef struct proj_column {
    const char *column;  /* e.g. "emissions_location_t" */
    const char *summary; /* the /summary attribute it comes from, e.g. "emissions_t" */
} proj_column;
extern const proj_column proj_columns[];
extern const int proj_ncolumns;

/* Loads the scenario of year index y (0 = first_year) of base: base->path
 * with sets[0..nsets) and the year's overrides. Returns 0, or -1 with
 * "year Y: ..." in err (the scenario is then empty). */
int proj_load_year(const scenario *base, const char *const *sets, int nsets, int y, scenario *out, char *err,
                   size_t errlen);

/* Runs every year of base's projection (base->proj.nyears > 0). Every
 * year's scenario is loaded and checked first, so a bad year fails before
 * anything runs. The final year writes into out (which it closes), with the
 * /projection table. progress(ctx, y, nyears) is called before each year if
 * not NULL. Returns 0, 1 if stopped through opt->stop, -1 on error (err). */
int proj_run(const scenario *base, const char *const *sets, int nsets, sink *out, const sim_options *opt,
             void (*progress)(void *ctx, int year, int index, int nyears), void *ctx, char *err, size_t errlen);

#endif
