/* report.h - prints the summary of a dcsim result file and exports its series as CSV.
 *
 * Reads only the HDF5 file (layout in docs/RESULTS.md, layout_version 1),
 * through analysis/metrics.c; it does not depend on the engine. Both
 * functions turn off HDF5's automatic error printing for the process and
 * never abort on a broken file: every failure comes back as -1 with a
 * message naming the file.
 *
 * Link with -L/usr/lib/x86_64-linux-gnu/hdf5/serial -lhdf5 -lm
 * (include path -I/usr/include/hdf5/serial).
 */
#ifndef DCSIM_REPORT_H
#define DCSIM_REPORT_H

#include <stddef.h>
#include <stdio.h>

/* Prints the summary of result file `path` to out.
 * format "text": aligned lines for a person: the scenario (name, seed, start,
 *   step); the headline metrics by section (energy, emissions, water, cost,
 *   jobs and SLOs, run) in the order of metrics_defs (analysis/metrics.c),
 *   with labels and units; the core ones (IT and facility energy, PUE,
 *   emissions location- and market-based, embodied, WUE, cost, jobs) always,
 *   as "n/a" when the file lacks them, the others when present; then any
 *   other /summary attribute ("other"); then the tables of sites (from the
 *   series), pools (utilisation in %, and every pool attribute), workloads
 *   (one row per /workloads group, columns = its attributes with the units
 *   of /workloads/units) and the /projection table when present.
 * format "markdown" (or "md"): the same as Markdown tables, for pasting.
 * format "csv": one tidy table "table,row,column,value,units" (tables run,
 *   summary, site, pool, workload, projection); numbers exact; missing empty.
 * format "json": one object {file, attributes, totals, sites, pools,
 *   workloads, projection}; each table is {"units": {...}, "rows": [...]},
 *   absent tables and missing numbers are null.
 * format "kv": one line of space-separated key=value pairs: every root
 *   attribute, every /summary attribute, then pool_<site>_<pool>_<attr> for
 *   every pool attribute and site_<site>_<figure> for the site totals.
 *   Numbers print as integers when integral, else with %.17g; strings print
 *   bare, or double-quoted (with \" and \\ escapes) when they hold a space,
 *   '=', '"' or '\\' or are empty.
 * A file whose root attribute `kind` is "sweep" goes to the reader set with
 * report_set_sweep_reader (see report_dispatch_other).
 * Returns 0, or -1 with a message in err, e.g. "results/x.h5: not a dcsim
 * result file (no /summary)" or "results/x.h5: layout_version 2 is not
 * supported (this reader knows 1)". Output may be partial when -1 is
 * returned. */
int report_print(const char *path, const char *format, FILE *out, char *err, size_t errlen);

/* Writes the 1-D (or scalar) numeric dataset `dset` of file `path` (e.g.
 * "/sites/us-east/energy_kwh" or "/jobs/end_s") to out as CSV lines
 * "index,value", no header; floating-point values with %.17g, integers as
 * integers. Reads in blocks, so memory does not depend on the length.
 * Returns 0, or -1 with a message in err (no such dataset, not numeric, more
 * than one dimension, read or write error). */
int report_export_csv(const char *path, const char *dset, FILE *out, char *err, size_t errlen);

/* A reader of result files of another kind (the root attribute `kind`,
 * e.g. "sweep"): same contract as report_print. */
typedef int (*report_sweep_fn)(const char *path, const char *format, FILE *out, char *err, size_t errlen);

/* Sets the reader that report_print hands files of kind "sweep" to (NULL:
 * none; such files are then refused with a message). */
void report_set_sweep_reader(report_sweep_fn fn);

/* Hands `path`, whose root attribute kind is `kind` (not a run), to the
 * reader of that kind: the sweep reader for "sweep", if one is set; else
 * returns -1 with "<path>: a result of kind "<kind>": this command reads run
 * results". */
int report_dispatch_other(const char *path, const char *kind, const char *format, FILE *out, char *err,
                          size_t errlen);

#endif
