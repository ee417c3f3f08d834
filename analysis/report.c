/* report.c - prints the summary of a dcsim result file as text, Markdown, CSV, JSON or key=value.
 *
 * The file is read whole by analysis/metrics.c; this module only arranges
 * what was read: the run's header, the headline metrics by section (the
 * known ones in the order of metrics_defs, then any other /summary
 * attribute), then the tables of sites, pools, workloads and the optional
 * projection, each written by analysis/format.c.
 */
#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "metrics.h"

static report_sweep_fn sweep_reader;

void report_set_sweep_reader(report_sweep_fn fn)
{
    sweep_reader = fn;
}

int report_dispatch_other(const char *path, const char *kind, const char *format, FILE *out, char *err,
                          size_t errlen)
{
    if (strcmp(kind, "sweep") == 0 && sweep_reader)
        return sweep_reader(path, format, out, err, errlen);
    snprintf(err, errlen, "%s: a result of kind \"%s\": this command reads run results%s", path, kind,
             strcmp(kind, "sweep") == 0 ? " (this build has no sweep reader)" : "");
    return -1;
}

/* ---- helpers ------------------------------------------------------------- */

static int is_num(const metrics_value *v)
{
    return v->kind == MV_INT || v->kind == MV_UINT || v->kind == MV_FLOAT;
}

/* The units of summary attribute a: the file's, else the table's default. */
static const char *units_of(const metrics_attr *a, const metrics_def *d)
{
    if (a && a->units[0])
        return a->units;
    return d ? d->units : "";
}

/* Whether the headline metric d is printed for people: core metrics always;
 * others when present and not NaN; an alias only when its original is absent. */
static int shown_for_people(const metrics_file *mf, const metrics_def *d)
{
    const metrics_attr *a = metrics_attr_find(&mf->summary, d->name);
    if (d->alias && metrics_attr_find(&mf->summary, d->alias))
        return 0;
    if (d->core)
        return 1;
    return a && (a->v.kind == MV_STR || (is_num(&a->v) && !isnan(a->v.d)));
}

/* The "step" line: "3600 s (1 h)". */
static void fmt_step(double step, char *buf, size_t len)
{
    char n[64];
    format_num_human(step, n, sizeof n);
    if (step >= 86400 && fmod(step, 86400) == 0)
        snprintf(buf, len, "%s s (%.0f d)", n, step / 86400);
    else if (step >= 3600 && fmod(step, 3600) == 0)
        snprintf(buf, len, "%s s (%.0f h)", n, step / 3600);
    else if (step >= 60 && fmod(step, 60) == 0)
        snprintf(buf, len, "%s s (%.0f min)", n, step / 60);
    else
        snprintf(buf, len, "%s s", n);
}

/* ---- tables -------------------------------------------------------------- */

/* Sites: energy, PUE and WUE from the series (facility / IT energy,
 * on-site water / IT energy), emissions and water. NULL when no site has an
 * IT energy series, or out of memory (*oom = 1). */
static format_table *sites_table(const metrics_file *mf, int *oom)
{
    static const char *const head[] = {"site", "it_energy_mwh", "facility_energy_mwh", "pue",
                                       "wue_l_per_kwh", "emissions_location_t", "emissions_market_t",
                                       "water_m3"};
    static const char *const units[] = {"", "MWh", "MWh", "1", "L/kWh", "t", "t", "m3"};
    int any = 0;
    for (int i = 0; i < mf->nsites; i++)
        any |= !isnan(mf->sites[i].it_kwh);
    if (!any)
        return NULL;
    format_table *t = format_table_new("sites", 8, head, units);
    if (!t) {
        *oom = 1;
        return NULL;
    }
    for (int i = 0; i < mf->nsites; i++) {
        const metrics_site *s = &mf->sites[i];
        int r = format_table_row(t);
        if (r < 0)
            break;
        format_set_str(t, r, 0, s->name);
        format_set_num(t, r, 1, s->it_kwh / 1e3);
        format_set_num(t, r, 2, s->facility_kwh / 1e3);
        format_set_num(t, r, 3, s->it_kwh > 0 ? s->facility_kwh / s->it_kwh : NAN);
        format_set_num(t, r, 4, s->it_kwh > 0 ? s->water_onsite_l / s->it_kwh : NAN);
        format_set_num(t, r, 5, s->emissions_kg / 1e3);
        format_set_num(t, r, 6, s->market_kg / 1e3);
        format_set_num(t, r, 7, s->water_l / 1e3);
    }
    if (t->oom)
        *oom = 1;
    return t;
}

/* A table of groups (pools or workloads): first column `key`, then every
 * attribute any group has, in order of first appearance. Pools get a
 * "utilization" column in % in front (from mean_utilization). */
static format_table *groups_table(const char *title, const char *key, const metrics_group *g, int n,
                                  int percent_util, int *oom)
{
    if (n == 0)
        return NULL;
    int cap = 2, nc = 1;
    for (int i = 0; i < n; i++)
        cap += g[i].attrs.n;
    const char **head = calloc((size_t)cap, sizeof *head), **units = calloc((size_t)cap, sizeof *units);
    format_table *t = NULL;
    if (!head || !units)
        goto out;
    head[0] = key;
    units[0] = "";
    if (percent_util) {
        head[nc] = "utilization";
        units[nc++] = "%";
    }
    for (int i = 0; i < n; i++)
        for (int k = 0; k < g[i].attrs.n; k++) {
            const metrics_attr *a = &g[i].attrs.v[k];
            int seen = 0;
            if (a->v.kind == MV_NONE || (percent_util && !strcmp(a->name, "mean_utilization")))
                continue;
            for (int j = 1; j < nc && !seen; j++)
                seen = strcmp(head[j], a->name) == 0;
            if (!seen) {
                head[nc] = a->name;
                units[nc++] = a->units;
            }
        }
    t = format_table_new(title, nc, head, units);
    if (!t)
        goto out;
    for (int i = 0; i < n; i++) {
        int r = format_table_row(t);
        if (r < 0)
            break;
        format_set_str(t, r, 0, g[i].name);
        for (int j = 1; j < nc; j++) {
            const char *an = percent_util && j == 1 ? "mean_utilization" : head[j];
            const metrics_attr *a = metrics_attr_find(&g[i].attrs, an);
            if (!a)
                continue;
            if (a->v.kind == MV_STR) {
                format_set_str(t, r, j, a->v.s);
            } else if (is_num(&a->v)) {
                format_set_num(t, r, j, percent_util && j == 1 ? a->v.d * 100.0 : a->v.d);
            } else if (a->v.kind == MV_ARRAY) {
                char buf[2600];
                metrics_fmt_value(&a->v, 1, buf, sizeof buf);
                format_set_str(t, r, j, buf);
            }
        }
    }
out:
    if (!t || t->oom)
        *oom = 1;
    free(head);
    free(units);
    return t;
}

/* The /projection table, one row per year; NULL if the file has none. */
static format_table *projection_table(const metrics_file *mf, int *oom)
{
    if (mf->nproj == 0)
        return NULL;
    const char **head = calloc((size_t)mf->nproj, sizeof *head);
    const char **units = calloc((size_t)mf->nproj, sizeof *units);
    format_table *t = NULL;
    if (head && units) {
        for (int j = 0; j < mf->nproj; j++) {
            head[j] = mf->proj[j].name;
            units[j] = mf->proj[j].units;
        }
        t = format_table_new("projection", mf->nproj, head, units);
    }
    for (size_t i = 0; t && i < mf->proj_rows; i++) {
        int r = format_table_row(t);
        if (r < 0)
            break;
        for (int j = 0; j < mf->nproj; j++)
            format_set_num(t, r, j, mf->proj[j].v[i]);
    }
    if (!t || t->oom)
        *oom = 1;
    free(head);
    free(units);
    return t;
}

/* The headline metrics as a table (name, label, section, value, units,
 * aggregate): the known ones in order (for people, only those
 * shown_for_people; for machines, every core one and every present one),
 * then any other numeric or string /summary attribute. */
static format_table *headline_table(const metrics_file *mf, int for_people, int *oom)
{
    static const char *const head[] = {"name", "metric", "section", "value", "units", "aggregate"};
    format_table *t = format_table_new("totals", 6, head, NULL);
    size_t nd;
    const metrics_def *d = metrics_defs(&nd);
    if (!t) {
        *oom = 1;
        return NULL;
    }
    for (size_t k = 0; k < nd; k++) {
        const metrics_attr *a = metrics_attr_find(&mf->summary, d[k].name);
        if (for_people ? !shown_for_people(mf, &d[k]) : !(d[k].core || a))
            continue;
        int r = format_table_row(t);
        if (r < 0)
            break;
        format_set_str(t, r, 0, d[k].name);
        format_set_str(t, r, 1, d[k].label);
        format_set_str(t, r, 2, d[k].section);
        if (a && is_num(&a->v))
            format_set_num(t, r, 3, a->v.d);
        else if (a && a->v.kind == MV_STR)
            format_set_str(t, r, 3, a->v.s);
        format_set_str(t, r, 4, units_of(a, &d[k]));
        format_set_str(t, r, 5, metrics_agg_name(d[k].agg));
    }
    for (int i = 0; i < mf->summary.n; i++) {
        const metrics_attr *a = &mf->summary.v[i];
        if (metrics_find_def(a->name) || a->v.kind == MV_NONE)
            continue;
        int r = format_table_row(t);
        if (r < 0)
            break;
        format_set_str(t, r, 0, a->name);
        format_set_str(t, r, 1, a->name);
        format_set_str(t, r, 2, "other");
        if (is_num(&a->v)) {
            format_set_num(t, r, 3, a->v.d);
        } else {
            char buf[2600];
            metrics_fmt_value(&a->v, !for_people, buf, sizeof buf);
            format_set_str(t, r, 3, buf);
        }
        format_set_str(t, r, 4, a->units);
        format_set_str(t, r, 5, "");
    }
    if (t->oom)
        *oom = 1;
    return t;
}

/* ---- the formats ----------------------------------------------------------- */

typedef struct tables {
    format_table *head, *sites, *pools, *workloads, *groups, *proj;
} tables;

static void tables_free(tables *T)
{
    format_table_free(T->head);
    format_table_free(T->sites);
    format_table_free(T->pools);
    format_table_free(T->workloads);
    format_table_free(T->groups);
    format_table_free(T->proj);
}

static int build_tables(const metrics_file *mf, int for_people, tables *T)
{
    int oom = 0;
    memset(T, 0, sizeof *T);
    T->head = headline_table(mf, for_people, &oom);
    T->sites = sites_table(mf, &oom);
    T->pools = groups_table("pools", "pool", mf->pools, mf->npools, 1, &oom);
    T->workloads = groups_table("workloads", "workload", mf->workloads, mf->nworkloads, 0, &oom);
    /* groups only when some workload has a group of its own */
    if (mf->ngroups && mf->ngroups < mf->nworkloads)
        T->groups = groups_table("groups", "group", mf->groups, mf->ngroups, 0, &oom);
    T->proj = projection_table(mf, &oom);
    if (oom)
        tables_free(T);
    return oom ? -1 : 0;
}

/* Root attributes shown in the header for people, in this order. */
static const char *const header_attrs[] = {"scenario", "seed", "start", "step_s"};

static void header_value(const metrics_attr *a, char *buf, size_t len)
{
    if (strcmp(a->name, "step_s") == 0 && is_num(&a->v))
        fmt_step(a->v.d, buf, len);
    else
        metrics_fmt_value(&a->v, 0, buf, len);
}

static int write_text(const metrics_file *mf, const tables *T, FILE *out)
{
    for (size_t i = 0; i < sizeof header_attrs / sizeof header_attrs[0]; i++) {
        const metrics_attr *a = metrics_attr_find(&mf->root, header_attrs[i]);
        if (!a || a->v.kind == MV_NONE)
            continue;
        char buf[2600];
        header_value(a, buf, sizeof buf);
        fprintf(out, "%-10s %s\n", strcmp(a->name, "step_s") == 0 ? "step" : a->name, buf);
    }
    const char *section = "";
    for (int i = 0; i < T->head->nrows; i++) {
        const format_cell *c = &T->head->cells[(size_t)i * 6];
        if (strcmp(c[2].str, section) != 0) {
            section = c[2].str;
            fprintf(out, "\n%s\n", section);
        }
        char val[2600];
        if (c[3].kind == FC_NUM)
            format_num_human(c[3].num, val, sizeof val);
        else
            snprintf(val, sizeof val, "%s", c[3].kind == FC_STR ? c[3].str : "n/a");
        const char *u = c[4].str ? c[4].str : "";
        int has_unit = u[0] && strcmp(u, "1") != 0 && strcmp(val, "n/a") != 0;
        fprintf(out, "  %-26s %16s%s%s\n", c[1].str, val, has_unit ? " " : "", has_unit ? u : "");
    }
    format_table *rest[] = {T->sites, T->pools, T->workloads, T->groups, T->proj};
    for (size_t i = 0; i < sizeof rest / sizeof rest[0]; i++) {
        if (!rest[i])
            continue;
        fputc('\n', out);
        if (format_table_write(rest[i], FORMAT_TEXT, out) < 0)
            return -1;
    }
    return 0;
}

static int write_markdown(const metrics_file *mf, const tables *T, FILE *out)
{
    const metrics_attr *sc = metrics_attr_find(&mf->root, "scenario");
    fprintf(out, "## dcsim result: %s\n\n", sc && sc->v.kind == MV_STR ? sc->v.s : mf->path);
    fprintf(out, "| | |\n| --- | --- |\n| file | %s |\n", mf->path);
    for (size_t i = 0; i < sizeof header_attrs / sizeof header_attrs[0]; i++) {
        const metrics_attr *a = metrics_attr_find(&mf->root, header_attrs[i]);
        if (!a || a->v.kind == MV_NONE)
            continue;
        char buf[2600];
        header_value(a, buf, sizeof buf);
        fprintf(out, "| %s | %s |\n", strcmp(a->name, "step_s") == 0 ? "step" : a->name, buf);
    }
    /* the totals: metric, value, units (the machine columns are for csv and json) */
    static const char *const head[] = {"section", "metric", "value", "units"};
    format_table *t = format_table_new("totals", 4, head, NULL);
    for (int i = 0; t && i < T->head->nrows; i++) {
        const format_cell *c = &T->head->cells[(size_t)i * 6];
        int r = format_table_row(t);
        if (r < 0)
            break;
        format_set_str(t, r, 0, c[2].str);
        format_set_str(t, r, 1, c[1].str);
        if (c[3].kind == FC_NUM)
            format_set_num(t, r, 2, c[3].num);
        else
            format_set_str(t, r, 2, c[3].str);
        format_set_str(t, r, 3, c[4].str && strcmp(c[4].str, "1") ? c[4].str : "");
    }
    fputc('\n', out);
    int rc = format_table_write(t, FORMAT_MARKDOWN, out);
    format_table_free(t);
    format_table *rest[] = {T->sites, T->pools, T->workloads, T->groups, T->proj};
    for (size_t i = 0; rc == 0 && i < sizeof rest / sizeof rest[0]; i++) {
        if (!rest[i])
            continue;
        fputc('\n', out);
        rc = format_table_write(rest[i], FORMAT_MARKDOWN, out);
    }
    return rc;
}

/* CSV: one tidy table "table,row,column,value,units": the run's
 * attributes, the totals, then every cell of the other tables. */
static int write_csv(const metrics_file *mf, const tables *T, FILE *out)
{
    static const char *const head[] = {"table", "row", "column", "value", "units"};
    format_table *t = format_table_new(NULL, 5, head, NULL);
    for (int i = 0; t && i < mf->root.n; i++) {
        const metrics_attr *a = &mf->root.v[i];
        if (a->v.kind == MV_NONE)
            continue;
        int r = format_table_row(t);
        format_set_str(t, r, 0, "run");
        format_set_str(t, r, 2, a->name);
        if (is_num(&a->v)) {
            format_set_num(t, r, 3, a->v.d);
        } else {
            char buf[2600];
            metrics_fmt_value(&a->v, 1, buf, sizeof buf);
            format_set_str(t, r, 3, buf);
        }
    }
    for (int i = 0; t && i < T->head->nrows; i++) {
        const format_cell *c = &T->head->cells[(size_t)i * 6];
        int r = format_table_row(t);
        format_set_str(t, r, 0, "summary");
        format_set_str(t, r, 2, c[0].str);
        if (c[3].kind == FC_NUM)
            format_set_num(t, r, 3, c[3].num);
        else
            format_set_str(t, r, 3, c[3].str);
        format_set_str(t, r, 4, c[4].str);
    }
    const struct {
        const char *name;
        const format_table *tab;
    } rest[] = {{"site", T->sites}, {"pool", T->pools}, {"workload", T->workloads}, {"group", T->groups}, {"projection", T->proj}};
    for (size_t k = 0; t && k < sizeof rest / sizeof rest[0]; k++) {
        const format_table *s = rest[k].tab;
        for (int i = 0; s && i < s->nrows; i++) {
            const format_cell *row = &s->cells[(size_t)i * (size_t)s->ncols];
            char key[128];
            if (row[0].kind == FC_STR)
                snprintf(key, sizeof key, "%s", row[0].str);
            else
                format_num_exact(row[0].num, key, sizeof key);
            for (int j = s == T->proj ? 0 : 1; j < s->ncols; j++) {
                int r = format_table_row(t);
                format_set_str(t, r, 0, rest[k].name);
                format_set_str(t, r, 1, key);
                format_set_str(t, r, 2, s->head[j]);
                if (row[j].kind == FC_NUM)
                    format_set_num(t, r, 3, row[j].num);
                else
                    format_set_str(t, r, 3, row[j].str);
                format_set_str(t, r, 4, s->units[j]);
            }
        }
    }
    int rc = format_table_write(t, FORMAT_CSV, out);
    format_table_free(t);
    return rc;
}

static int write_json(const metrics_file *mf, const tables *T, FILE *out)
{
    fputs("{\"file\": ", out);
    format_json_str(out, mf->path);
    fputs(",\n\"attributes\": {", out);
    int first = 1;
    for (int i = 0; i < mf->root.n; i++) {
        const metrics_attr *a = &mf->root.v[i];
        if (a->v.kind == MV_NONE)
            continue;
        fputs(first ? "" : ", ", out);
        first = 0;
        format_json_str(out, a->name);
        fputs(": ", out);
        if (a->v.kind == MV_STR) {
            format_json_str(out, a->v.s);
        } else if (is_num(&a->v)) {
            format_json_num(out, a->v.d);
        } else {
            fputc('[', out);
            for (int k = 0; k < a->v.n; k++) {
                fputs(k ? ", " : "", out);
                format_json_num(out, a->v.arr[k]);
            }
            fputc(']', out);
        }
    }
    fputs("},\n\"totals\": ", out);
    int rc = format_table_write(T->head, FORMAT_JSON, out);
    const struct {
        const char *name;
        const format_table *tab;
    } rest[] = {{"sites", T->sites}, {"pools", T->pools}, {"workloads", T->workloads}, {"groups", T->groups}, {"projection", T->proj}};
    for (size_t k = 0; rc == 0 && k < sizeof rest / sizeof rest[0]; k++) {
        fputs(",\n", out);
        format_json_str(out, rest[k].name);
        fputs(": ", out);
        if (rest[k].tab)
            rc = format_table_write(rest[k].tab, FORMAT_JSON, out);
        else
            fputs("null", out);
    }
    fputs("}\n", out);
    return rc;
}

/* key=value: every root attribute, every /summary attribute, then
 * pool_<site>_<pool>_<attr> and site_<site>_<figure>. */
static void kv_put(FILE *out, int *first, const char *key, const metrics_value *v)
{
    if (v->kind == MV_NONE)
        return;
    fprintf(out, "%s%s=", *first ? "" : " ", key);
    *first = 0;
    if (v->kind != MV_STR) {
        char buf[2600];
        metrics_fmt_value(v, 1, buf, sizeof buf);
        fputs(buf, out);
        return;
    }
    const char *s = v->s;
    int quote = s[0] == '\0' || strpbrk(s, " \t\r\n=\"\\") != NULL;
    if (!quote) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        if (*s == '\n')
            fputs("\\n", out);
        else if (*s == '\t')
            fputs("\\t", out);
        else if (*s == '\r')
            fputs("\\r", out);
        else
            fputc(*s, out);
    }
    fputc('"', out);
}

static int write_kv(const metrics_file *mf, FILE *out)
{
    int first = 1;
    for (int i = 0; i < mf->root.n; i++)
        kv_put(out, &first, mf->root.v[i].name, &mf->root.v[i].v);
    for (int i = 0; i < mf->summary.n; i++)
        kv_put(out, &first, mf->summary.v[i].name, &mf->summary.v[i].v);
    for (int i = 0; i < mf->npools; i++) {
        const metrics_group *p = &mf->pools[i];
        for (int k = 0; k < p->attrs.n; k++) {
            size_t len = strlen(p->name) + strlen(p->attrs.v[k].name) + 8;
            char *key = malloc(len);
            if (!key)
                return -1;
            snprintf(key, len, "pool_%s_%s", p->name, p->attrs.v[k].name);
            char *slash = strchr(key + 5, '/');
            if (slash)
                *slash = '_';
            kv_put(out, &first, key, &p->attrs.v[k].v);
            free(key);
        }
    }
    for (int i = 0; i < mf->nsites; i++) {
        const metrics_site *s = &mf->sites[i];
        if (isnan(s->it_kwh))
            continue;
        const struct {
            const char *name;
            double x;
        } kvs[] = {{"it_energy_mwh", s->it_kwh / 1e3},
                   {"energy_mwh", s->facility_kwh / 1e3},
                   {"pue", s->facility_kwh / s->it_kwh},
                   {"wue_l_per_kwh", s->water_onsite_l / s->it_kwh},
                   {"emissions_t", s->emissions_kg / 1e3},
                   {"water_m3", s->water_l / 1e3}};
        for (size_t k = 0; k < sizeof kvs / sizeof kvs[0]; k++) {
            char num[64];
            metrics_fmt_exact(kvs[k].x, num, sizeof num);
            fprintf(out, "%ssite_%s_%s=%s", first ? "" : " ", s->name, kvs[k].name, num);
            first = 0;
        }
    }
    fputc('\n', out);
    return 0;
}

/* ---- entry points -------------------------------------------------------- */

int report_print(const char *path, const char *format, FILE *out, char *err, size_t errlen)
{
    format_kind k = FORMAT_TEXT;
    int kv = format && strcmp(format, "kv") == 0;
    if (err && errlen)
        err[0] = '\0';
    if (!path || !out) {
        snprintf(err, errlen, "%s: no file or no output stream", path ? path : "(null)");
        return -1;
    }
    if (!kv && format_parse(format, &k) < 0) {
        snprintf(err, errlen, "%s: unknown format \"%s\" (text, markdown, csv, json or kv)", path,
                 format ? format : "(null)");
        return -1;
    }
    metrics_file mf;
    int r = metrics_read(path, &mf, err, errlen);
    if (r == 1) {
        char kind[256];
        snprintf(kind, sizeof kind, "%s", mf.kind);
        metrics_free(&mf);
        return report_dispatch_other(path, kind, format, out, err, errlen);
    }
    if (r < 0) {
        metrics_free(&mf);
        return -1;
    }
    tables T;
    if (kv) {
        r = write_kv(&mf, out);
    } else if (build_tables(&mf, k == FORMAT_TEXT || k == FORMAT_MARKDOWN, &T) < 0) {
        r = -1;
    } else {
        switch (k) {
        case FORMAT_TEXT:
            r = write_text(&mf, &T, out);
            break;
        case FORMAT_MARKDOWN:
            r = write_markdown(&mf, &T, out);
            break;
        case FORMAT_CSV:
            r = write_csv(&mf, &T, out);
            break;
        case FORMAT_JSON:
            r = write_json(&mf, &T, out);
            break;
        }
        tables_free(&T);
    }
    if (r < 0)
        snprintf(err, errlen, "%s: out of memory or cannot write the report", path);
    else if (fflush(out) != 0 || ferror(out)) {
        snprintf(err, errlen, "%s: cannot write the report: %s", path, strerror(errno));
        r = -1;
    }
    metrics_free(&mf);
    return r;
}

int report_export_csv(const char *path, const char *dset, FILE *out, char *err, size_t errlen)
{
    return metrics_export_csv(path, dset, out, err, errlen);
}
