/* trace.c - reader for hourly "timestamp,value" CSV series (see trace.h). */
#include "trace.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeutil.h"

#define TRACE_MAX_SAMPLES 2000000 /* 228 years of hours: refuses absurd files early */

void trace_free(trace *tr)
{
    if (!tr)
        return;
    free(tr->v);
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

int trace_read_csv(const char *path, const trace_limits *lim, trace *tr, char *err, size_t errlen)
{
    memset(tr, 0, sizeof *tr);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 0;
    char *line = NULL;
    ssize_t got;
    size_t vcap = 0;
    long lineno = 0;
    int seen_data = 0;
    int64_t prev = 0;
    while ((got = getline(&line, &cap, f)) != -1) {
        lineno++;
        if ((size_t)got != strlen(line)) {
            snprintf(err, errlen, "%s:%ld: line holds a NUL byte", path, lineno);
            goto fail;
        }
        char *s = trim(line);
        if (*s == '\0' || *s == '#')
            continue;
        char *comma = strchr(s, ',');
        if (!comma) {
            snprintf(err, errlen, "%s:%ld: expected \"timestamp,value\"", path, lineno);
            goto fail;
        }
        *comma = '\0';
        char *ts = trim(s), *vs = trim(comma + 1);
        if (strchr(vs, ',')) {
            snprintf(err, errlen, "%s:%ld: expected 2 columns \"timestamp,value\", got more", path, lineno);
            goto fail;
        }
        int64_t t;
        char why[160];
        if (timeutil_parse_iso(ts, 1, &t, why, sizeof why) != 0) {
            if (!seen_data && lineno == 1 && !(ts[0] >= '0' && ts[0] <= '9'))
                continue; /* header line */
            snprintf(err, errlen, "%s:%ld: column 1: %s", path, lineno, why);
            goto fail;
        }
        char *end;
        errno = 0;
        double v = strtod(vs, &end);
        if (end == vs || *end || errno == ERANGE) {
            snprintf(err, errlen, "%s:%ld: column 2: \"%.40s\" is not a number", path, lineno, vs);
            goto fail;
        }
        if (!isfinite(v)) {
            snprintf(err, errlen, "%s:%ld: column 2: value is %s", path, lineno, isnan(v) ? "NaN" : "infinite");
            goto fail;
        }
        if (v < lim->min || v > lim->max) {
            snprintf(err, errlen, "%s:%ld: column 2: %s %g outside [%g, %g]", path, lineno, lim->what, v,
                     lim->min, lim->max);
            goto fail;
        }
        if (seen_data) {
            if (t == prev) {
                snprintf(err, errlen, "%s:%ld: duplicate timestamp %s", path, lineno, ts);
                goto fail;
            }
            if (t < prev) {
                snprintf(err, errlen, "%s:%ld: timestamp %s is earlier than the row before (rows must be sorted)",
                         path, lineno, ts);
                goto fail;
            }
            if (t != prev + 3600) {
                snprintf(err, errlen, "%s:%ld: gap: %s is %.4g h after the row before (rows must be hourly)",
                         path, lineno, ts, (double)(t - prev) / 3600.0);
                goto fail;
            }
        } else {
            if (t % 3600 != 0) {
                snprintf(err, errlen, "%s:%ld: timestamp %s is not on a whole UTC hour", path, lineno, ts);
                goto fail;
            }
            tr->t0 = t;
        }
        if (tr->n == vcap) {
            if (vcap >= TRACE_MAX_SAMPLES) {
                snprintf(err, errlen, "%s:%ld: more than %d rows", path, lineno, TRACE_MAX_SAMPLES);
                goto fail;
            }
            size_t ncap = vcap ? vcap * 2 : 1024;
            double *nv = realloc(tr->v, ncap * sizeof *nv);
            if (!nv) {
                snprintf(err, errlen, "%s:%ld: out of memory", path, lineno);
                goto fail;
            }
            tr->v = nv;
            vcap = ncap;
        }
        tr->v[tr->n++] = v;
        prev = t;
        seen_data = 1;
    }
    if (ferror(f) || !feof(f)) { /* getline also stops, without ferror, when out of memory */
        snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
        goto fail;
    }
    if (!seen_data) {
        snprintf(err, errlen, "%s:%ld: no data rows", path, lineno);
        goto fail;
    }
    tr->dt_s = 3600.0;
    free(line);
    fclose(f);
    return 0;
fail:
    free(line);
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
