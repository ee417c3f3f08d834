/* compare.c - prints the headline metrics of several result files side by side, with differences against the first. */
#define _POSIX_C_SOURCE 200809L
#include "compare.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "metrics.h"

/* One row of the comparison: a /summary metric or a pool's utilisation. */
typedef struct row {
    const char *name;   /* summary attribute, or pool name for utilisation */
    const char *label;
    const char *units;
    metrics_agg agg;
    int pool;           /* 1: the mean_utilization of pool `name`, in % */
} row;

/* The value of row r in file mf, NAN if absent. */
static double row_value(const metrics_file *mf, const row *r)
{
    double x = NAN;
    if (!r->pool) {
        metrics_num(&mf->summary, r->name, &x);
        return x;
    }
    for (int i = 0; i < mf->npools; i++)
        if (strcmp(mf->pools[i].name, r->name) == 0 && metrics_num(&mf->pools[i].attrs, "mean_utilization", &x))
            return x * 100.0;
    return NAN;
}

static int has_row(const row *rows, int n, const char *name, int pool)
{
    for (int i = 0; i < n; i++)
        if (rows[i].pool == pool && strcmp(rows[i].name, name) == 0)
            return 1;
    return 0;
}

/* The rows to show, in order (caller frees the array; the strings belong to
 * the definitions or to the files). Returns the count, or -1 out of memory. */
static int collect_rows(const metrics_file *mf, int n, row **out)
{
    size_t nd;
    const metrics_def *d = metrics_defs(&nd);
    int cap = (int)nd;
    for (int f = 0; f < n; f++)
        cap += mf[f].summary.n + mf[f].npools;
    row *rows = calloc((size_t)cap, sizeof *rows);
    int nr = 0;
    if (!rows)
        return -1;
    for (size_t k = 0; k < nd; k++) {
        int present = 0, alias_present = 0;
        for (int f = 0; f < n; f++) {
            double x;
            present |= metrics_num(&mf[f].summary, d[k].name, &x) && !isnan(x);
            alias_present |= d[k].alias && metrics_attr_find(&mf[f].summary, d[k].alias);
        }
        if (alias_present || !(d[k].core || present))
            continue;
        const char *units = d[k].units;
        for (int f = 0; f < n; f++) {
            const metrics_attr *a = metrics_attr_find(&mf[f].summary, d[k].name);
            if (a && a->units[0]) {
                units = a->units;
                break;
            }
        }
        rows[nr++] = (row){d[k].name, d[k].label, units, d[k].agg, 0};
    }
    for (int f = 0; f < n; f++)
        for (int i = 0; i < mf[f].summary.n; i++) {
            const metrics_attr *a = &mf[f].summary.v[i];
            if (metrics_find_def(a->name) || a->v.kind == MV_STR || a->v.kind == MV_NONE ||
                a->v.kind == MV_ARRAY || has_row(rows, nr, a->name, 0))
                continue;
            rows[nr++] = (row){a->name, a->name, a->units, AGG_SUM, 0};
        }
    for (int f = 0; f < n; f++)
        for (int i = 0; i < mf[f].npools; i++)
            if (!has_row(rows, nr, mf[f].pools[i].name, 1))
                rows[nr++] = (row){mf[f].pools[i].name, mf[f].pools[i].name, "%", AGG_RATIO, 1};
    *out = rows;
    return nr;
}

static void legend(const metrics_file *mf, int n, int markdown, FILE *out)
{
    for (int f = 0; f < n; f++) {
        const metrics_attr *sc = metrics_attr_find(&mf[f].root, "scenario");
        const metrics_attr *seed = metrics_attr_find(&mf[f].root, "seed");
        char s[64] = "";
        if (seed && seed->v.kind != MV_NONE && seed->v.kind != MV_ARRAY)
            metrics_fmt_value(&seed->v, 1, s, sizeof s);
        fprintf(out, "%s%c = %s (scenario %s, seed %s)\n", markdown ? "- " : "", 'A' + f, mf[f].path,
                sc && sc->v.kind == MV_STR ? sc->v.s : "?", s[0] ? s : "?");
    }
    fputc('\n', out);
}

static void json_files(const metrics_file *mf, int n, FILE *out)
{
    fputs("{\"files\": [", out);
    for (int f = 0; f < n; f++) {
        const metrics_attr *sc = metrics_attr_find(&mf[f].root, "scenario");
        fprintf(out, "%s\n  {\"label\": \"%c\", \"path\": ", f ? "," : "", 'A' + f);
        format_json_str(out, mf[f].path);
        fputs(", \"scenario\": ", out);
        if (sc && sc->v.kind == MV_STR)
            format_json_str(out, sc->v.s);
        else
            fputs("null", out);
        fputc('}', out);
    }
    fputs("],\n\"metrics\": ", out);
}

int compare_print(int n, const char *const *paths, const char *format, FILE *out, char *err, size_t errlen)
{
    format_kind k;
    if (err && errlen)
        err[0] = '\0';
    if (n < 2 || n > COMPARE_MAX_FILES || !paths || !out) {
        snprintf(err, errlen, "compare needs 2 to %d result files (got %d)", COMPARE_MAX_FILES, n);
        return -1;
    }
    if (format_parse(format, &k) < 0) {
        snprintf(err, errlen, "unknown format \"%s\" (text, markdown, csv or json)", format ? format : "(null)");
        return -1;
    }
    metrics_file *mf = calloc((size_t)n, sizeof *mf);
    row *rows = NULL;
    format_table *t = NULL;
    char **head = NULL, **units = NULL;
    int rc = -1, nf = 0, ncols = 0;
    if (!mf) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (; nf < n; nf++) {
        int r = metrics_read(paths[nf], &mf[nf], err, errlen);
        if (r == 1)
            snprintf(err, errlen, "%s: a result of kind \"%s\": compare reads run results", paths[nf],
                     mf[nf].kind);
        if (r != 0) {
            nf++;
            goto out;
        }
    }
    int nr = collect_rows(mf, n, &rows);
    int machine = k == FORMAT_CSV || k == FORMAT_JSON; /* the stable name column is for scripts */
    int c0 = machine ? 1 : 0;                          /* first column after the name */
    ncols = c0 + 2 + n + 2 * (n - 1);
    head = calloc((size_t)ncols, sizeof *head);
    units = calloc((size_t)ncols, sizeof *units);
    if (nr < 0 || !head || !units)
        goto oom;
    for (int j = 0; j < ncols; j++)
        if (!(head[j] = malloc(16)) || !(units[j] = strdup("")))
            goto oom;
    if (machine)
        snprintf(head[0], 16, "name");
    snprintf(head[c0], 16, "metric");
    snprintf(head[c0 + 1], 16, "units");
    for (int f = 0, j = c0 + 2; f < n; f++) {
        snprintf(head[j++], 16, "%c", 'A' + f);
        if (f) {
            snprintf(head[j++], 16, "%c-A", 'A' + f);
            snprintf(head[j++], 16, "%c-A %%", 'A' + f);
        }
    }
    t = format_table_new(NULL, ncols, (const char *const *)head, (const char *const *)units);
    if (!t)
        goto oom;
    for (int i = 0; i < nr; i++) {
        int r = format_table_row(t);
        if (r < 0)
            goto oom;
        char label[600];
        if (rows[i].pool)
            snprintf(label, sizeof label, "utilization %s", rows[i].label);
        if (machine)
            format_set_str(t, r, 0, rows[i].pool ? "pool_mean_utilization_pct" : rows[i].name);
        format_set_str(t, r, c0, rows[i].pool ? label : rows[i].label);
        format_set_str(t, r, c0 + 1, strcmp(rows[i].units, "1") ? rows[i].units : "");
        double a = row_value(&mf[0], &rows[i]);
        format_set_num(t, r, c0 + 2, a);
        for (int f = 1, j = c0 + 3; f < n; f++) {
            double b = row_value(&mf[f], &rows[i]);
            int compared = rows[i].agg != AGG_INFO;
            /* for people, a difference within rounding of the sums (1e-9 relative) is 0 */
            if (!machine && fabs(b - a) <= 1e-9 * fmax(fabs(a), fabs(b)))
                b = a;
            format_set_num(t, r, j++, b);
            format_set_num(t, r, j++, compared ? b - a : NAN);
            format_set_num(t, r, j++, compared && a != 0 ? (b - a) / fabs(a) * 100.0 : NAN);
        }
    }
    if (t->oom)
        goto oom;
    if (k == FORMAT_TEXT || k == FORMAT_MARKDOWN)
        legend(mf, n, k == FORMAT_MARKDOWN, out);
    if (k == FORMAT_JSON)
        json_files(mf, n, out);
    if (format_table_write(t, k, out) < 0)
        goto oom;
    if (k == FORMAT_JSON)
        fputs("}\n", out);
    if (fflush(out) != 0 || ferror(out)) {
        snprintf(err, errlen, "cannot write the comparison: %s", strerror(errno));
        goto out;
    }
    rc = 0;
    goto out;
oom:
    snprintf(err, errlen, "out of memory");
out:
    format_table_free(t);
    for (int j = 0; head && units && j < ncols; j++) {
        free(head[j]);
        free(units[j]);
    }
    free(head);
    free(units);
    free(rows);
    for (int f = 0; f < nf; f++)
        metrics_free(&mf[f]);
    free(mf);
    return rc;
}
