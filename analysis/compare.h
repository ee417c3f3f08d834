/* compare.h - the headline metrics of several dcsim result files side by side.
 *
 * Reads the files through analysis/metrics.c (never the engine). The first
 * file is the reference: every other file's column is followed by its
 * absolute difference and its percent difference against the first.
 */
#ifndef DCSIM_COMPARE_H
#define DCSIM_COMPARE_H

#include <stddef.h>
#include <stdio.h>

#define COMPARE_MAX_FILES 26 /* labelled A to Z */

/* Prints the comparison of the n result files paths[0..n-1] (2 <= n <=
 * COMPARE_MAX_FILES) to out in format "text", "markdown" (or "md"), "csv" or
 * "json". Rows: every known headline metric that is core or present in any
 * file (in the order of metrics_defs), then any other numeric /summary
 * attribute, then each pool's mean utilisation in %. Columns: name, metric
 * label, units, then per file its value, and for every file after the first
 * the difference and the percent difference against the first ("n/a" when
 * either value is missing, when the first is 0, and for facts of the run
 * such as wall-clock time, which are not compared). Text and Markdown open
 * with a legend "A = path (scenario, seed)"; JSON is {files, metrics}.
 * Every file is read and checked before anything is printed: a file that
 * cannot be read, is not a dcsim run result, or has another major
 * layout_version gives -1 with "<path>: what is wrong" in err, and no output.
 * Returns 0 or -1. */
int compare_print(int n, const char *const *paths, const char *format, FILE *out, char *err, size_t errlen);

#endif
