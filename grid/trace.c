/* trace.c - readers for hourly CSV series: plain and Electricity Maps (see trace.h). */
#include "trace.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "series.h"
#include "timeutil.h"

const char *const trace_format_names[] = {"plain", "electricity-maps", NULL};
const char *const trace_column_names[] = {"lca", "direct", NULL};

#define TRACE_MAX_ROWS 2000000 /* 228 years of hours: refuses absurd files early */
#define TRACE_MAX_COLS 64

static const struct {
    double lo, hi;
    const char *what;
} limits[] = {
    {0.0, 2000.0, "carbon intensity (g/kWh)"},
    {-1000.0, 20000.0, "price (USD/MWh)"},
    {0.0, 1.0, "fraction"},
};

/* Unit names per quantity, normalised (lower case, no spaces), and their
 * factor to the canonical unit. */
static const struct {
    int q;
    const char *name;
    double factor;
} units[] = {
    {TRACE_INTENSITY, "g/kwh", 1.0},          {TRACE_INTENSITY, "gco2/kwh", 1.0},
    {TRACE_INTENSITY, "gco2e/kwh", 1.0},      {TRACE_INTENSITY, "gco2eq/kwh", 1.0},
    {TRACE_INTENSITY, "gco2_per_kwh", 1.0},   {TRACE_INTENSITY, "gco2e_per_kwh", 1.0},
    {TRACE_INTENSITY, "g_per_kwh", 1.0},      {TRACE_INTENSITY, "kg/mwh", 1.0},
    {TRACE_INTENSITY, "kgco2/mwh", 1.0},      {TRACE_INTENSITY, "kg_per_mwh", 1.0},
    {TRACE_INTENSITY, "kg/kwh", 1000.0},      {TRACE_INTENSITY, "kg_per_kwh", 1000.0},
    {TRACE_INTENSITY, "t/mwh", 1000.0},       {TRACE_INTENSITY, "lb/mwh", 0.45359237},
    {TRACE_INTENSITY, "lbs/mwh", 0.45359237}, {TRACE_INTENSITY, "lb_per_mwh", 0.45359237},
    {TRACE_PRICE, "usd/mwh", 1.0},            {TRACE_PRICE, "usd_per_mwh", 1.0},
    {TRACE_PRICE, "$/mwh", 1.0},              {TRACE_PRICE, "usd/kwh", 1000.0},
    {TRACE_PRICE, "usd_per_kwh", 1000.0},     {TRACE_PRICE, "$/kwh", 1000.0},
    {TRACE_FRACTION, "fraction", 1.0},        {TRACE_FRACTION, "cf", 1.0},
    {TRACE_FRACTION, "capacity_factor", 1.0}, {TRACE_FRACTION, "%", 0.01},
    {TRACE_FRACTION, "pct", 0.01},            {TRACE_FRACTION, "percent", 0.01},
};

static void normalise(const char *in, char *out, size_t len)
{
    size_t k = 0;
    for (; *in && k + 1 < len; in++)
        if (!isspace((unsigned char)*in))
            out[k++] = (char)tolower((unsigned char)*in);
    out[k] = '\0';
}

double trace_unit_factor(int q, const char *unit)
{
    char u[64];
    normalise(unit, u, sizeof u);
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (units[i].q == q && strcmp(units[i].name, u) == 0)
            return units[i].factor;
    return 0;
}

/* The unit a header cell names: the longest known unit that ends the cell
 * ("carbon_intensity_gco2_per_kwh" -> gco2_per_kwh). Returns its factor, 0 if none. */
static double header_unit(int q, const char *cell, char *found, size_t flen)
{
    char c[256];
    normalise(cell, c, sizeof c);
    size_t cl = strlen(c), best = 0;
    double f = 0;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        size_t ul = strlen(units[i].name);
        if (units[i].q != q || ul > cl || ul <= best || strcmp(c + cl - ul, units[i].name) != 0)
            continue;
        /* a unit must stand alone: start of cell, or after '_', '(', '[' */
        if (cl > ul && !strchr("_([ ", c[cl - ul - 1]) && units[i].name[0] != '%')
            continue;
        best = ul;
        f = units[i].factor;
        snprintf(found, flen, "%s", units[i].name);
    }
    return f;
}

void trace_free(trace *tr)
{
    if (!tr)
        return;
    free(tr->v);
    free(tr->low_carbon);
    free(tr->renewable);
    memset(tr, 0, sizeof *tr);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

/* Splits line (modified in place) at commas into at most max cells. */
static int split(char *line, char **cell, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        char *c = strchr(p, ',');
        if (c)
            *c = '\0';
        cell[n++] = trim(p);
        if (!c)
            break;
        p = c + 1;
    }
    return n;
}

/* Growing arrays of samples. */
typedef struct samples {
    size_t n, cap;
    int64_t *t;
    long *line;
    double *v[3];
    int k;
} samples;

static int samples_add(samples *s, int64_t t, long line, const double *v)
{
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 1024;
        int64_t *nt = realloc(s->t, ncap * sizeof *nt);
        if (nt)
            s->t = nt;
        long *nl = realloc(s->line, ncap * sizeof *nl);
        if (nl)
            s->line = nl;
        int ok = nt && nl;
        for (int j = 0; j < s->k; j++) {
            double *nv = realloc(s->v[j], ncap * sizeof *nv);
            if (nv)
                s->v[j] = nv;
            ok = ok && nv;
        }
        if (!ok)
            return -1;
        s->cap = ncap;
    }
    s->t[s->n] = t;
    s->line[s->n] = line;
    for (int j = 0; j < s->k; j++)
        s->v[j][s->n] = v[j];
    s->n++;
    return 0;
}

static void samples_free(samples *s)
{
    free(s->t);
    free(s->line);
    for (int j = 0; j < 3; j++)
        free(s->v[j]);
}

/* Parses a number cell; returns 0, or -1 with a reason. */
static int number(const char *cell, double *out, char *why, size_t wlen)
{
    char *end;
    errno = 0;
    double v = strtod(cell, &end);
    if (end == cell || *end || errno == ERANGE) {
        snprintf(why, wlen, "\"%.40s\" is not a number", cell);
        return -1;
    }
    if (!isfinite(v)) {
        snprintf(why, wlen, "value is %s", isnan(v) ? "NaN" : "infinite");
        return -1;
    }
    *out = v;
    return 0;
}

int trace_read(const char *path, const trace_opts *opt, trace *tr, char *notice, size_t nlen, char *err,
               size_t errlen)
{
    memset(tr, 0, sizeof *tr);
    if (notice && nlen)
        notice[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    const int em = opt->format == TRACE_ELECTRICITY_MAPS;
    const int q = opt->quantity;
    samples s = {.k = em ? 3 : 1};
    char *line = NULL, *cell[TRACE_MAX_COLS], why[300], unit[64] = "";
    size_t cap = 0;
    ssize_t got;
    long lineno = 0;
    int header_done = 0, col_v = 1, col_lc = -1, col_re = -1, ncols = 2;
    double factor = 0;
    if (!em && opt->unit) {
        factor = trace_unit_factor(q, opt->unit);
        if (factor == 0) {
            snprintf(err, errlen, "%s: unknown unit \"%s\" for a %s", path, opt->unit, limits[q].what);
            goto fail;
        }
    }
    if (em)
        factor = 1.0; /* gCO2eq/kWh, fixed by the format */
    while ((got = getline(&line, &cap, f)) != -1) {
        lineno++;
        if ((size_t)got != strlen(line)) {
            snprintf(err, errlen, "%s:%ld: line holds a NUL byte", path, lineno);
            goto fail;
        }
        char *l = trim(line);
        if (*l == '\0' || *l == '#')
            continue;
        int nc = split(l, cell, TRACE_MAX_COLS);
        if (!header_done) {
            header_done = 1;
            int64_t t;
            int is_header = timeutil_parse_iso(cell[0], 0, &t, why, sizeof why) != 0;
            if (em) {
                if (!is_header || strcmp(cell[0], "Datetime (UTC)") != 0) {
                    snprintf(err, errlen, "%s:%ld: not an Electricity Maps export (the header must start with \"Datetime (UTC)\")",
                             path, lineno);
                    goto fail;
                }
                const char *want = opt->column == TRACE_DIRECT ? "(direct)" : "(LCA)";
                col_v = -1;
                for (int i = 1; i < nc; i++) {
                    size_t cl = strlen(cell[i]), wl = strlen(want);
                    if (!strncmp(cell[i], "Carbon Intensity", 16) && cl >= wl && !strcmp(cell[i] + cl - wl, want))
                        col_v = i;
                    else if (!strcmp(cell[i], "Low Carbon Percentage"))
                        col_lc = i;
                    else if (!strcmp(cell[i], "Renewable Percentage"))
                        col_re = i;
                }
                if (col_v < 0 || col_lc < 0 || col_re < 0) {
                    snprintf(err, errlen, "%s:%ld: the header lacks %s", path, lineno,
                             col_v < 0 ? (opt->column == TRACE_DIRECT ? "\"Carbon Intensity gCO2eq/kWh (direct)\""
                                                                      : "\"Carbon Intensity gCO2eq/kWh (LCA)\"")
                             : col_lc < 0 ? "\"Low Carbon Percentage\""
                                          : "\"Renewable Percentage\"");
                    goto fail;
                }
                ncols = nc;
                continue;
            }
            if (is_header) {
                if (nc != 2) {
                    snprintf(err, errlen, "%s:%ld: the header must have 2 columns (timestamp,value), got %d", path,
                             lineno, nc);
                    goto fail;
                }
                if (!opt->unit) {
                    factor = header_unit(q, cell[1], unit, sizeof unit);
                    if (factor == 0) {
                        snprintf(err, errlen, "%s:%ld: the header \"%.60s\" names no unit of %s (e.g. %s); name it there or in the scenario",
                                 path, lineno, cell[1], limits[q].what,
                                 q == TRACE_INTENSITY ? "gco2_per_kwh" : q == TRACE_PRICE ? "usd_per_mwh" : "fraction");
                        goto fail;
                    }
                }
                continue;
            }
            if (!opt->unit) {
                snprintf(err, errlen, "%s:%ld: no header naming the unit (e.g. \"timestamp,%s\"), and the scenario names none",
                         path, lineno, q == TRACE_INTENSITY ? "gco2_per_kwh" : q == TRACE_PRICE ? "usd_per_mwh" : "fraction");
                goto fail;
            }
        }
        if (nc != ncols) {
            snprintf(err, errlen, "%s:%ld: expected %d columns, got %d", path, lineno, ncols, nc);
            goto fail;
        }
        int64_t t;
        if (timeutil_parse_iso(cell[0], em ? 0 : 1, &t, why, sizeof why)) {
            snprintf(err, errlen, "%s:%ld: column 1: %s", path, lineno, why);
            goto fail;
        }
        if (em && cell[col_v][0] == '\0')
            continue; /* a missing hour: the gap policy decides */
        double v[3];
        if (number(cell[col_v], &v[0], why, sizeof why)) {
            snprintf(err, errlen, "%s:%ld: column %d: %s", path, lineno, col_v + 1, why);
            goto fail;
        }
        v[0] *= factor;
        if (v[0] < limits[q].lo || v[0] > limits[q].hi) {
            snprintf(err, errlen, "%s:%ld: column %d: %s %g outside [%g, %g]", path, lineno, col_v + 1,
                     limits[q].what, v[0], limits[q].lo, limits[q].hi);
            goto fail;
        }
        if (em) {
            int cols[2] = {col_lc, col_re};
            for (int j = 0; j < 2; j++) {
                const char *c = cell[cols[j]];
                if (c[0] == '\0') {
                    v[1 + j] = NAN;
                    continue;
                }
                if (number(c, &v[1 + j], why, sizeof why) || v[1 + j] < 0 || v[1 + j] > 100) {
                    snprintf(err, errlen, "%s:%ld: column %d: %s", path, lineno, cols[j] + 1,
                             why[0] && !(v[1 + j] < 0 || v[1 + j] > 100) ? why : "a percentage must be in [0, 100]");
                    goto fail;
                }
                v[1 + j] /= 100.0;
            }
        }
        if (s.n >= TRACE_MAX_ROWS) {
            snprintf(err, errlen, "%s:%ld: more than %d rows", path, lineno, TRACE_MAX_ROWS);
            goto fail;
        }
        if (samples_add(&s, t, lineno, v)) {
            snprintf(err, errlen, "%s:%ld: out of memory", path, lineno);
            goto fail;
        }
    }
    if (ferror(f) || !feof(f)) { /* getline also stops, without ferror, when out of memory */
        snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
        goto fail;
    }
    if (s.n == 0) {
        snprintf(err, errlen, "%s:%ld: no data rows", path, lineno);
        goto fail;
    }
    if (em) /* a percentage left empty where the intensity is given: hold the last one */
        for (size_t i = 0; i < s.n; i++)
            for (int j = 1; j < 3; j++)
                if (isnan(s.v[j][i]))
                    s.v[j][i] = i ? s.v[j][i - 1] : 0.0;
    const double *cols[3] = {s.v[0], s.v[1], s.v[2]};
    series_in in = {path, s.line, NULL, s.n, s.t, (size_t)s.k, cols};
    double *out[3] = {NULL, NULL, NULL};
    if (series_fill(&in, opt->policy, opt->from, opt->to, &tr->t0, &tr->n, out, notice, nlen, err, errlen))
        goto fail;
    tr->v = out[0];
    tr->low_carbon = out[1];
    tr->renewable = out[2];
    tr->dt_s = 3600.0;
    free(line);
    samples_free(&s);
    fclose(f);
    return 0;
fail:
    free(line);
    samples_free(&s);
    fclose(f);
    trace_free(tr);
    return -1;
}

int trace_covers(const trace *tr, int64_t from, int64_t to)
{
    return tr->n > 0 && from >= tr->t0 && to <= tr->t0 + (int64_t)tr->n * 3600;
}

double trace_at(const trace *tr, int64_t t)
{
    int64_t k = t >= tr->t0 ? (t - tr->t0) / 3600 : 0;
    if (k >= (int64_t)tr->n)
        k = (int64_t)tr->n - 1;
    return tr->v[k];
}
