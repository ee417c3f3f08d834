/* format.h - tables written as aligned text, Markdown, CSV or JSON.
 *
 * A table has named columns (each with units) and rows of cells; a cell is a
 * number, a string or missing. Missing cells, and numbers that are NaN, print
 * as "n/a" (text, Markdown), an empty field (CSV) or null (JSON): never as 0.
 * Text and Markdown show numbers for people (6 significant digits); CSV and
 * JSON show them exactly (%.17g), for scripts.
 */
#ifndef DCSIM_FORMAT_H
#define DCSIM_FORMAT_H

#include <stdio.h>

typedef enum format_kind { FORMAT_TEXT, FORMAT_MARKDOWN, FORMAT_CSV, FORMAT_JSON } format_kind;

/* "text", "markdown" (or "md"), "csv", "json" -> *k. Returns 0, or -1 if the
 * name is none of these. */
int format_parse(const char *name, format_kind *k);

typedef enum format_ckind { FC_NONE, FC_NUM, FC_STR } format_ckind;

typedef struct format_cell {
    format_ckind kind;
    double num; /* FC_NUM */
    char *str;  /* FC_STR (owned) */
} format_cell;

typedef struct format_table {
    char *title;        /* heading, or NULL (owned) */
    int ncols;
    char **head;        /* [ncols] column names: CSV header, JSON keys (owned) */
    char **units;       /* [ncols] units, "" or "1" for none (owned) */
    format_cell *cells; /* [nrows * ncols], row by row */
    int nrows, cap;
    int oom;            /* 1 once an allocation failed: the table is unusable */
} format_table;

/* A new table with ncols columns called head[i] with units units[i] (units
 * may be NULL: none). Returns NULL when out of memory. */
format_table *format_table_new(const char *title, int ncols, const char *const *head,
                               const char *const *units);

/* Appends a row of missing cells; returns its index, or -1 when out of memory. */
int format_table_row(format_table *t);

/* Sets a cell (row from format_table_row). format_set_str copies s (NULL:
 * missing). An allocation failure marks the table (oom). */
void format_set_num(format_table *t, int row, int col, double x);
void format_set_str(format_table *t, int row, int col, const char *s);

/* Frees the table (NULL is a no-op). */
void format_table_free(format_table *t);

/* Writes the table:
 * text      the title, a header line, a units line (when any column has
 *           units), then one aligned line per row; first column left-aligned,
 *           the others right-aligned;
 * markdown  "### title", then a pipe table whose headers carry the units
 *           ("energy (MWh)"), columns of numbers right-aligned; '|' in a cell is
 *           escaped;
 * csv       a header line of column names, then rows (RFC 4180 quoting);
 * json      {"units": {column: units, ...}, "rows": [{column: value, ...}, ...]}.
 * Returns 0, or -1 if the table is out of memory or the stream failed. */
int format_table_write(const format_table *t, format_kind k, FILE *out);

/* A number as text for people ("n/a" when NaN) or exactly (%.17g, integral
 * values as integers; "" when NaN). */
void format_num_human(double x, char *buf, size_t len);
void format_num_exact(double x, char *buf, size_t len);

/* Writes s as a JSON string literal (with quotes and escapes). */
void format_json_str(FILE *out, const char *s);
/* Writes x as a JSON number, or null when NaN or infinite. */
void format_json_num(FILE *out, double x);
/* Writes s as one CSV field, quoted when it holds a comma, quote or newline. */
void format_csv_str(FILE *out, const char *s);

#endif
