/* trace.h - hourly time series read from CSV files (carbon intensity, prices).
 *
 * Format: an optional header line, then "timestamp,value" rows, one per hour,
 * with ISO 8601 timestamps carrying "Z" or a UTC offset; '#' starts a comment
 * line. The series must be hourly, sorted, without duplicates or gaps, and
 * every value finite and inside [min, max] (e.g. 0..2000 g/kWh for carbon
 * intensity). Errors name the file, line and what is wrong.
 */
#ifndef DCSIM_TRACE_H
#define DCSIM_TRACE_H

#include <stddef.h>
#include <stdint.h>

typedef struct trace {
    int64_t t0;      /* epoch seconds (UTC) of the first sample */
    double dt_s;     /* sample spacing, s (3600) */
    size_t n;        /* number of samples */
    double *v;       /* [n] values, in the unit of the file's header */
} trace;

/* Limits a reader checks every value against. */
typedef struct trace_limits {
    double min;          /* smallest accepted value */
    double max;          /* largest accepted value */
    const char *what;    /* e.g. "carbon intensity (g/kWh)", for messages */
} trace_limits;

/* Reads path into *tr (caller embeds tr; free with trace_free). Returns 0, or
 * -1 with "path:line: reason" in err and *tr left empty. */
int trace_read_csv(const char *path, const trace_limits *lim, trace *tr, char *err, size_t errlen);

/* Releases the samples; the struct may be reused. */
void trace_free(trace *tr);

/* 1 if [from, to) (epoch s) lies within the trace's hours, else 0. */
int trace_covers(const trace *tr, int64_t from, int64_t to);

/* The value of the sample whose hour contains epoch second t (clamped to the
 * ends; check trace_covers first). */
double trace_at(const trace *tr, int64_t t);

#endif
