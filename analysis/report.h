/* report.h - prints the summary of a dcsim result file and exports its series as CSV.
 *
 * Reads only the HDF5 file (layout in docs/RESULTS.md, layout_version 1); it
 * does not depend on the engine. Both functions turn off HDF5's automatic
 * error printing for the process and never abort on a broken file: every
 * failure comes back as -1 with a message naming the file.
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
 *   step), the totals of /summary in a fixed order with labels and units
 *   (energy_mwh, it_energy_mwh, idle_energy_mwh, mean_pue, emissions_t,
 *   water_m3, cost_usd, jobs_submitted, jobs_completed, jobs_rejected,
 *   jobs_running_at_end, jobs_queued_at_end, mean_wait_s, p_wait, sim_end_s,
 *   events, wall_s; missing ones skipped), any other /summary attribute as
 *   "name value units", then a table of pools (site/pool, mean utilisation in
 *   %, node count, busy node-hours).
 * format "kv": one line of space-separated key=value pairs: every root
 *   attribute, every /summary attribute, then pool_<site>_<pool>_<attr> for
 *   every pool attribute. Numbers print as integers when integral, else with
 *   %.17g; strings print bare, or double-quoted (with \" and \\ escapes) when
 *   they hold a space, '=', '"' or '\\' or are empty.
 * Returns 0, or -1 with a message in err (never NULL-terminated beyond
 * errlen), e.g. "results/x.h5: not a dcsim result file (no /summary)" or
 * "results/x.h5: layout_version 2 is not supported (this reader knows 1)".
 * Output may be partial when -1 is returned. */
int report_print(const char *path, const char *format, FILE *out, char *err, size_t errlen);

/* Writes the 1-D (or scalar) numeric dataset `dset` of file `path` (e.g.
 * "/sites/us-east/energy_kwh" or "/jobs/end_s") to out as CSV lines
 * "index,value", no header; floating-point values with %.17g, integers as
 * integers. Reads in blocks, so memory does not depend on the length.
 * Returns 0, or -1 with a message in err (no such dataset, not numeric, more
 * than one dimension, read or write error). */
int report_export_csv(const char *path, const char *dset, FILE *out, char *err, size_t errlen);

#endif
