/* format.c - writes tables as aligned text, Markdown, CSV or JSON (see format.h). */
#define _POSIX_C_SOURCE 200809L
#include "format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int format_parse(const char *name, format_kind *k)
{
    static const struct {
        const char *name;
        format_kind k;
    } names[] = {{"text", FORMAT_TEXT}, {"markdown", FORMAT_MARKDOWN}, {"md", FORMAT_MARKDOWN},
                 {"csv", FORMAT_CSV},   {"json", FORMAT_JSON}};
    for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i].name) == 0) {
            *k = names[i].k;
            return 0;
        }
    return -1;
}

/* ---- numbers ------------------------------------------------------------- */

void format_num_human(double x, char *buf, size_t len)
{
    if (isnan(x))
        snprintf(buf, len, "n/a");
    else if (isinf(x))
        snprintf(buf, len, "%s", x > 0 ? "inf" : "-inf");
    else if (x == floor(x) && fabs(x) < 1e15)
        snprintf(buf, len, "%.0f", x);
    else if (fabs(x) >= 1e6 && fabs(x) < 1e15)
        snprintf(buf, len, "%.1f", x);
    else
        snprintf(buf, len, "%.6g", x);
}

void format_num_exact(double x, char *buf, size_t len)
{
    if (isnan(x))
        snprintf(buf, len, "%s", "");
    else if (isinf(x))
        snprintf(buf, len, "%s", x > 0 ? "inf" : "-inf");
    else if (x == floor(x) && fabs(x) < 1e15)
        snprintf(buf, len, "%.0f", x);
    else
        snprintf(buf, len, "%.17g", x);
}

void format_json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p == '\t')
            fputs("\\t", out);
        else if (*p == '\r')
            fputs("\\r", out);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

void format_json_num(FILE *out, double x)
{
    char buf[64];
    if (!isfinite(x)) {
        fputs("null", out);
        return;
    }
    format_num_exact(x, buf, sizeof buf);
    fputs(buf, out);
}

void format_csv_str(FILE *out, const char *s)
{
    s = s ? s : "";
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* ---- tables -------------------------------------------------------------- */

format_table *format_table_new(const char *title, int ncols, const char *const *head,
                               const char *const *units)
{
    format_table *t = calloc(1, sizeof *t);
    if (!t || ncols < 1)
        goto err;
    t->ncols = ncols;
    t->head = calloc((size_t)ncols, sizeof *t->head);
    t->units = calloc((size_t)ncols, sizeof *t->units);
    if (!t->head || !t->units || (title && !(t->title = strdup(title))))
        goto err;
    for (int i = 0; i < ncols; i++) {
        t->head[i] = strdup(head[i] ? head[i] : "");
        t->units[i] = strdup(units && units[i] ? units[i] : "");
        if (!t->head[i] || !t->units[i])
            goto err;
    }
    return t;
err:
    format_table_free(t);
    return NULL;
}

int format_table_row(format_table *t)
{
    if (t->oom)
        return -1;
    if (t->nrows == t->cap) {
        int cap = t->cap ? 2 * t->cap : 16;
        format_cell *nc = realloc(t->cells, (size_t)cap * (size_t)t->ncols * sizeof *nc);
        if (!nc) {
            t->oom = 1;
            return -1;
        }
        t->cells = nc;
        t->cap = cap;
    }
    memset(&t->cells[(size_t)t->nrows * (size_t)t->ncols], 0, (size_t)t->ncols * sizeof *t->cells);
    return t->nrows++;
}

static format_cell *cell(format_table *t, int row, int col)
{
    if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
        return NULL;
    return &t->cells[(size_t)row * (size_t)t->ncols + (size_t)col];
}

void format_set_num(format_table *t, int row, int col, double x)
{
    format_cell *c = cell(t, row, col);
    if (!c)
        return;
    free(c->str);
    c->str = NULL;
    c->kind = FC_NUM;
    c->num = x;
}

void format_set_str(format_table *t, int row, int col, const char *s)
{
    format_cell *c = cell(t, row, col);
    if (!c)
        return;
    free(c->str);
    c->str = NULL;
    c->kind = FC_NONE;
    if (!s)
        return;
    if (!(c->str = strdup(s))) {
        t->oom = 1;
        return;
    }
    c->kind = FC_STR;
}

void format_table_free(format_table *t)
{
    if (!t)
        return;
    for (int i = 0; t->cells && i < t->nrows * t->ncols; i++)
        free(t->cells[i].str);
    free(t->cells);
    for (int i = 0; i < t->ncols; i++) {
        if (t->head)
            free(t->head[i]);
        if (t->units)
            free(t->units[i]);
    }
    free(t->head);
    free(t->units);
    free(t->title);
    free(t);
}

static int has_units(const char *u)
{
    return u && u[0] && strcmp(u, "1") != 0;
}

/* The text of a cell for people or exactly. */
static void cell_text(const format_cell *c, int exact, char *buf, size_t len)
{
    if (c->kind == FC_STR)
        snprintf(buf, len, "%s", c->str);
    else if (c->kind == FC_NUM)
        (exact ? format_num_exact : format_num_human)(c->num, buf, len);
    else
        snprintf(buf, len, "%s", exact ? "" : "n/a");
}

static int write_text(const format_table *t, FILE *out)
{
    int *w = calloc((size_t)t->ncols, sizeof *w);
    int any_units = 0;
    char buf[512];
    if (!w)
        return -1;
    for (int j = 0; j < t->ncols; j++) {
        w[j] = (int)strlen(t->head[j]);
        if (has_units(t->units[j])) {
            any_units = 1;
            if ((int)strlen(t->units[j]) > w[j])
                w[j] = (int)strlen(t->units[j]);
        }
        for (int i = 0; i < t->nrows; i++) {
            cell_text(&t->cells[(size_t)i * (size_t)t->ncols + (size_t)j], 0, buf, sizeof buf);
            if ((int)strlen(buf) > w[j])
                w[j] = (int)strlen(buf);
        }
    }
    if (t->title)
        fprintf(out, "%s\n", t->title);
    for (int j = 0; j < t->ncols; j++)
        fprintf(out, j ? "  %*s" : "%-*s", w[j], t->head[j]);
    fputc('\n', out);
    if (any_units) {
        for (int j = 0; j < t->ncols; j++)
            fprintf(out, j ? "  %*s" : "%-*s", w[j], has_units(t->units[j]) ? t->units[j] : "");
        fputc('\n', out);
    }
    for (int i = 0; i < t->nrows; i++) {
        for (int j = 0; j < t->ncols; j++) {
            cell_text(&t->cells[(size_t)i * (size_t)t->ncols + (size_t)j], 0, buf, sizeof buf);
            fprintf(out, j ? "  %*s" : "%-*s", w[j], buf);
        }
        fputc('\n', out);
    }
    free(w);
    return 0;
}

static void md_cell(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", out);
        else if (*s == '\n')
            fputc(' ', out);
        else
            fputc(*s, out);
    }
}

static void write_markdown(const format_table *t, FILE *out)
{
    char buf[512];
    if (t->title)
        fprintf(out, "### %s\n\n", t->title);
    fputc('|', out);
    for (int j = 0; j < t->ncols; j++) {
        fputc(' ', out);
        md_cell(out, t->head[j]);
        if (has_units(t->units[j])) {
            fputs(" (", out);
            md_cell(out, t->units[j]);
            fputc(')', out);
        }
        fputs(" |", out);
    }
    fputs("\n|", out);
    for (int j = 0; j < t->ncols; j++) { /* numbers right-aligned, text left */
        int num = 0;
        for (int i = 0; i < t->nrows && !num; i++)
            num = t->cells[(size_t)i * (size_t)t->ncols + (size_t)j].kind == FC_NUM;
        fputs(num ? " ---: |" : " --- |", out);
    }
    fputc('\n', out);
    for (int i = 0; i < t->nrows; i++) {
        fputc('|', out);
        for (int j = 0; j < t->ncols; j++) {
            cell_text(&t->cells[(size_t)i * (size_t)t->ncols + (size_t)j], 0, buf, sizeof buf);
            fputc(' ', out);
            md_cell(out, buf);
            fputs(" |", out);
        }
        fputc('\n', out);
    }
}

static void write_csv(const format_table *t, FILE *out)
{
    char buf[512];
    for (int j = 0; j < t->ncols; j++) {
        if (j)
            fputc(',', out);
        format_csv_str(out, t->head[j]);
    }
    fputc('\n', out);
    for (int i = 0; i < t->nrows; i++) {
        for (int j = 0; j < t->ncols; j++) {
            const format_cell *c = &t->cells[(size_t)i * (size_t)t->ncols + (size_t)j];
            if (j)
                fputc(',', out);
            cell_text(c, 1, buf, sizeof buf);
            format_csv_str(out, buf);
        }
        fputc('\n', out);
    }
}

static void write_json(const format_table *t, FILE *out)
{
    fputs("{\"units\": {", out);
    for (int j = 0; j < t->ncols; j++) {
        if (j)
            fputs(", ", out);
        format_json_str(out, t->head[j]);
        fputs(": ", out);
        format_json_str(out, t->units[j]);
    }
    fputs("}, \"rows\": [", out);
    for (int i = 0; i < t->nrows; i++) {
        fputs(i ? ",\n  {" : "\n  {", out);
        for (int j = 0; j < t->ncols; j++) {
            const format_cell *c = &t->cells[(size_t)i * (size_t)t->ncols + (size_t)j];
            if (j)
                fputs(", ", out);
            format_json_str(out, t->head[j]);
            fputs(": ", out);
            if (c->kind == FC_STR)
                format_json_str(out, c->str);
            else if (c->kind == FC_NUM)
                format_json_num(out, c->num);
            else
                fputs("null", out);
        }
        fputc('}', out);
    }
    fputs(t->nrows ? "\n]}" : "]}", out);
}

int format_table_write(const format_table *t, format_kind k, FILE *out)
{
    if (!t || t->oom)
        return -1;
    switch (k) {
    case FORMAT_TEXT:
        if (write_text(t, out) < 0)
            return -1;
        break;
    case FORMAT_MARKDOWN:
        write_markdown(t, out);
        break;
    case FORMAT_CSV:
        write_csv(t, out);
        break;
    case FORMAT_JSON:
        write_json(t, out);
        break;
    }
    return ferror(out) ? -1 : 0;
}
