/* sweepreport.h - reads a sweep file (docs/RESULTS.md, "Sweep files") and
 * prints its variants, the statistics of the headline metrics and the paired
 * differences against the reference variant. Reads HDF5 only; never links
 * the engine.
 */
#ifndef DCSIM_SWEEPREPORT_H
#define DCSIM_SWEEPREPORT_H

#include <stddef.h>
#include <stdio.h>

/* 1 if path is an HDF5 file whose root attribute kind is "sweep", else 0
 * (also when it cannot be opened: the caller's ordinary reader reports that). */
int sweepreport_is_sweep(const char *path);

/* Prints the report of the sweep file at path to out. format "text": tables
 * for people; "kv": one line of key=value per variant and metric. Returns 0,
 * or -1 with "file: what is wrong" in err. */
int sweepreport_print(const char *path, const char *format, FILE *out, char *err, size_t errlen);

/* Compares two sweep files: for each variant present in both (by name), the
 * mean of each headline metric in a and b and b - a. Returns 0 or -1 (err). */
int sweepreport_compare(const char *a, const char *b, FILE *out, char *err, size_t errlen);

#endif
