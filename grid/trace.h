/* trace.h - hourly series read from CSV files: carbon intensity, prices,
 * generation profiles.
 *
 * Formats (trace_format_names):
 *   plain             an optional header, then "timestamp,value" rows, one per
 *                     hour; ISO 8601 timestamps with "Z" or a UTC offset; '#'
 *                     starts a comment line. The unit is named in the header
 *                     ("timestamp,gco2_per_kwh") or by the scenario.
 *   electricity-maps  Electricity Maps' hourly CSV export: "Datetime (UTC)"
 *                     (UTC, no zone suffix), "Carbon Intensity gCO2eq/kWh
 *                     (direct)" and "(LCA)" (either one is read), and the
 *                     "Low Carbon Percentage" and "Renewable Percentage"
 *                     columns, which are kept. An empty intensity is a missing
 *                     hour.
 * Every value must be finite and within the quantity's limits (e.g. 0..2000
 * g/kWh); the rows must be whole hours, sorted, without duplicates. Gaps and
 * coverage of the simulated period follow the scenario's policy (series.h:
 * error by default). Errors name the file, line and what is wrong.
 */
#ifndef DCSIM_TRACE_H
#define DCSIM_TRACE_H

#include <stddef.h>
#include <stdint.h>

enum { TRACE_PLAIN, TRACE_ELECTRICITY_MAPS };
extern const char *const trace_format_names[]; /* "plain", "electricity-maps", NULL */

/* What a series measures, and so its canonical unit, its accepted units and its limits. */
enum {
    TRACE_INTENSITY, /* gCO2e/kWh, 0..2000 */
    TRACE_PRICE,     /* USD/MWh, -1000..20000 (prices can be negative) */
    TRACE_FRACTION   /* 0..1 (e.g. a capacity factor; "%" accepted) */
};

enum { TRACE_LCA, TRACE_DIRECT };
extern const char *const trace_column_names[]; /* "lca", "direct", NULL */

typedef struct trace_opts {
    int format;       /* TRACE_PLAIN or TRACE_ELECTRICITY_MAPS */
    int quantity;     /* TRACE_INTENSITY, ... */
    int column;       /* electricity-maps: TRACE_LCA or TRACE_DIRECT */
    const char *unit; /* plain: the unit, or NULL to read it from the header */
    int policy;       /* SERIES_ERROR, ... (series.h) */
    int64_t from, to; /* epoch s the run needs; from >= to: the file's own span */
} trace_opts;

typedef struct trace {
    int64_t t0;            /* epoch seconds (UTC) of the first hour */
    double dt_s;           /* sample spacing, s (3600) */
    size_t n;              /* number of hours */
    double *v;             /* [n] values in the canonical unit */
    double *low_carbon;    /* [n] low-carbon share of generation, 0..1, or NULL (plain) */
    double *renewable;     /* [n] renewable share, 0..1, or NULL */
} trace;

/* Reads path into *tr (caller embeds tr; free with trace_free). Returns 0, or
 * -1 with "path:line: reason" in err and *tr empty. notice (if not NULL)
 * receives what a gap policy filled, or "". */
int trace_read(const char *path, const trace_opts *opt, trace *tr, char *notice, size_t nlen, char *err,
               size_t errlen);

/* The unit factor to the canonical unit of quantity q for a unit name such as
 * "kg/MWh", "gco2_per_kwh", "USD/kWh" or "%" (case and spaces ignored);
 * 0 if the unit is not known for q. */
double trace_unit_factor(int q, const char *unit);

/* Releases the samples; the struct may be reused. */
void trace_free(trace *tr);

/* 1 if [from, to) (epoch s) lies within the trace's hours, else 0. */
int trace_covers(const trace *tr, int64_t from, int64_t to);

/* The value of the sample whose hour contains epoch second t (clamped to the
 * ends; check trace_covers first). */
double trace_at(const trace *tr, int64_t t);

#endif
