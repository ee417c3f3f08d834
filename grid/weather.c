/* weather.c - hourly temperature and humidity: Open-Meteo and CSV readers, the
 * synthetic climate, and the wet-bulb temperature (see weather.h).
 *
 * Synthetic model (hour i starts at UTC epoch second t_i; Y = 365.2425 d, the
 * mean Gregorian year, so the phase does not drift across years):
 *
 *   tau(t)  = (t + 3600 off) / 86400                 local days since 1970-01-01
 *   tau_w   = days(2000-01-01) + warmest_day - 0.5   noon of the warmest day (year 2000 as phase origin)
 *   lam(t)  = 24 frac(tau(t))                        local hour
 *   a(t)    = cos(2 pi (tau - tau_w) / Y)            annual cycle, +1 on the warmest day
 *   b(t)    = cos(2 pi (lam - warmest_hour) / 24)    daily cycle, +1 at the warmest hour
 *   T_i     = mean_c + annual_amp_c a + daily_amp_c b + X_i               clamped to [-90, 60] C
 *   RH_i    = rh_mean - rh_annual_amp a - rh_daily_amp b + rh_per_c X_i + Z_i   clamped to [5, 100] %
 *   X_{i+1} = phi X_i + noise_sd_c sqrt(1 - phi^2) e_i,      phi = exp(-1 h / noise_tau_h)
 *   Z_{i+1} = phi Z_i + rh_noise_sd_pct sqrt(1 - phi^2) f_i
 *
 * X and Z are Ornstein-Uhlenbeck processes sampled hourly (AR(1) with
 * stationary standard deviations noise_sd_c and rh_noise_sd_pct), started
 * from their stationary law on Jan 1 00:00 UTC of the first hour's year; e_i
 * and f_i are independent standard normal draws (GSL mt19937, ziggurat).
 */
#include "weather.h"

#include <errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "series.h"
#include "timeutil.h"

#define WEATHER_MAX_ROWS 2000000 /* 228 years of hours: refuses absurd files early */
#define MAX_FIELDS 64            /* CSV columns looked at */
#define MAX_OFFSET_S 50400       /* UTC+14:00, the largest offset in use */
#define UNIX_MIN_S (-62167219200LL) /* 0000-01-01T00:00:00Z */
#define UNIX_MAX_S 253402300799LL   /* 9999-12-31T23:59:59Z */

const char *const weather_format_names[] = {"open-meteo-json", "open-meteo-csv", "csv", NULL};

int weather_format_from_name(const char *name)
{
    for (int i = 0; name && weather_format_names[i]; i++)
        if (strcmp(name, weather_format_names[i]) == 0)
            return i;
    return -1;
}

void weather_free(weather *w)
{
    if (!w)
        return;
    free(w->temp_c);
    free(w->rh_pct);
    memset(w, 0, sizeof *w);
}

static double value_at(const weather *w, const double *v, int64_t t)
{
    if (w->n == 0)
        return NAN;
    int64_t k = t >= w->t0 ? (t - w->t0) / 3600 : 0;
    if (k >= (int64_t)w->n)
        k = (int64_t)w->n - 1;
    return v[k];
}

double weather_temp_at(const weather *w, int64_t t) { return value_at(w, w->temp_c, t); }

double weather_rh_at(const weather *w, int64_t t) { return value_at(w, w->rh_pct, t); }

/* ---- samples as read ---------------------------------------------------- */

/* Rows collected by a reader before the gap policy: sorted by the reader or
 * checked by series_fill. */
typedef struct rows {
    size_t n, cap;
    int64_t *t;   /* [n] epoch s, UTC */
    double *temp; /* [n] C */
    double *rh;   /* [n] % */
    long *where;  /* [n] line (CSV) or array index (JSON) */
} rows;

static void rows_free(rows *r)
{
    free(r->t);
    free(r->temp);
    free(r->rh);
    free(r->where);
    memset(r, 0, sizeof *r);
}

/* Appends a row. Returns 0, or -1 if out of memory or past WEATHER_MAX_ROWS. */
static int rows_push(rows *r, int64_t t, double temp, double rh, long where)
{
    if (r->n == r->cap) {
        if (r->cap >= WEATHER_MAX_ROWS)
            return -1;
        size_t ncap = r->cap ? r->cap * 2 : 1024;
        int64_t *nt = realloc(r->t, ncap * sizeof *nt);
        if (nt)
            r->t = nt;
        double *ntemp = realloc(r->temp, ncap * sizeof *ntemp);
        if (ntemp)
            r->temp = ntemp;
        double *nrh = realloc(r->rh, ncap * sizeof *nrh);
        if (nrh)
            r->rh = nrh;
        long *nw = realloc(r->where, ncap * sizeof *nw);
        if (nw)
            r->where = nw;
        if (!nt || !ntemp || !nrh || !nw)
            return -1;
        r->cap = ncap;
    }
    r->t[r->n] = t;
    r->temp[r->n] = temp;
    r->rh[r->n] = rh;
    r->where[r->n] = where;
    r->n++;
    return 0;
}

/* ---- values -------------------------------------------------------------- */

enum { COL_TEMP, COL_RH };

static const struct {
    double lo, hi;
    const char *what;
} value_limits[2] = {
    {WEATHER_TEMP_MIN_C, WEATHER_TEMP_MAX_C, "temperature (C)"},
    {WEATHER_RH_MIN_PCT, WEATHER_RH_MAX_PCT, "relative humidity (%)"},
};

/* Checks a value of column kind (COL_*). Returns 0, or -1 with why. */
static int check_value(double v, int kind, char *why, size_t len)
{
    if (isnan(v) || isinf(v)) {
        snprintf(why, len, "value is %s", isnan(v) ? "NaN" : "infinite");
        return -1;
    }
    if (v < value_limits[kind].lo || v > value_limits[kind].hi) {
        snprintf(why, len, "%s %g outside [%g, %g]", value_limits[kind].what, v, value_limits[kind].lo,
                 value_limits[kind].hi);
        return -1;
    }
    return 0;
}

/* Parses a CSV cell of column kind. Returns 0 with *v, 1 if the cell is empty
 * (a missing value), or -1 with why. */
static int parse_cell(const char *s, int kind, double *v, char *why, size_t len)
{
    if (!*s)
        return 1;
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    if (end == s || *end || errno == ERANGE) {
        snprintf(why, len, "\"%.40s\" is not a number", s);
        return -1;
    }
    return check_value(*v, kind, why, len);
}

/* ---- times --------------------------------------------------------------- */

/* Checks an Open-Meteo utc_offset_seconds, and the timezone_abbreviation if it
 * has the form "GMT", "GMT+H", "GMT-H" or "GMT+H:MM" (others are not checked).
 * Returns 0, or -1 with why. */
static int check_offset(long long off, const char *abbrev, char *why, size_t len)
{
    if (off < -MAX_OFFSET_S || off > MAX_OFFSET_S) {
        snprintf(why, len, "utc_offset_seconds %lld outside [%d, %d]", off, -MAX_OFFSET_S, MAX_OFFSET_S);
        return -1;
    }
    if (off % 3600 != 0) {
        snprintf(why, len,
                 "utc_offset_seconds %lld is not a whole number of hours, so local hours are not whole UTC hours "
                 "(download with timezone=GMT)",
                 off);
        return -1;
    }
    if (!abbrev || strncmp(abbrev, "GMT", 3) != 0)
        return 0;
    const char *p = abbrev + 3;
    long long a = 0;
    if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1;
        char *end;
        long h = strtol(p + 1, &end, 10), m = 0;
        if (end == p + 1)
            return 0;
        if (*end == ':')
            m = strtol(end + 1, &end, 10);
        if (*end || h < 0 || h > 18 || m < 0 || m > 59) /* not an offset: nothing to cross-check */
            return 0;
        a = sign * (h * 3600 + m * 60);
    } else if (*p) {
        return 0;
    }
    if (a != off) {
        snprintf(why, len, "timezone_abbreviation \"%s\" disagrees with utc_offset_seconds %lld", abbrev, off);
        return -1;
    }
    return 0;
}

static int all_digits(const char *s)
{
    if (*s == '-')
        s++;
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* Parses an Open-Meteo time: local "YYYY-MM-DDTHH:MM[:SS]" (UTC = local - off)
 * or Unix seconds (UTC, timeformat=unixtime). Returns 0, or -1 with why. */
static int parse_local(const char *s, long long off, int64_t *t, char *why, size_t len)
{
    if (all_digits(s)) {
        errno = 0;
        long long v = strtoll(s, NULL, 10);
        if (errno == ERANGE || v < UNIX_MIN_S || v > UNIX_MAX_S) {
            snprintf(why, len, "Unix time \"%.40s\" is outside the years 0000 to 9999", s);
            return -1;
        }
        *t = v;
        return 0;
    }
    size_t n = strlen(s);
    if (n != 16 && n != 19) {
        snprintf(why, len, "\"%.40s\" is not a local time YYYY-MM-DDTHH:MM (Open-Meteo gives no zone)", s);
        return -1;
    }
    int64_t tl;
    if (timeutil_parse_iso(s, 0, &tl, why, len) != 0)
        return -1;
    *t = tl - off;
    return 0;
}

/* The message for a local time that does not move forward. */
static void order_error(char *why, size_t len, const char *ts, int repeat, long long off)
{
    if (repeat && all_digits(ts))
        snprintf(why, len, "duplicate time %s", ts);
    else if (repeat)
        snprintf(why, len,
                 "local time %s repeats the one before (a daylight-saving change? Open-Meteo times are read with "
                 "the one utc_offset_seconds, %lld; download with timezone=GMT)",
                 ts, off);
    else
        snprintf(why, len, "time %s is earlier than the one before (times must be sorted)", ts);
}

/* ---- lines --------------------------------------------------------------- */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

/* Reads the next line of f into *buf and points *s at it, trimmed (a UTF-8
 * byte-order mark on line 1 is dropped). Returns 1, 0 at end of file, or -1
 * with err (NUL byte, read error). */
static int next_line(FILE *f, const char *path, char **buf, size_t *cap, long *lineno, char **s, char *err,
                     size_t errlen)
{
    errno = 0;
    ssize_t got = getline(buf, cap, f);
    if (got == -1) {
        if (ferror(f) || !feof(f)) { /* getline also stops, without ferror, when out of memory */
            snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
            return -1;
        }
        return 0;
    }
    ++*lineno;
    if ((size_t)got != strlen(*buf)) {
        snprintf(err, errlen, "%s:%ld: line holds a NUL byte", path, *lineno);
        return -1;
    }
    char *p = *buf;
    if (*lineno == 1 && strncmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    *s = trim(p);
    return 1;
}

/* Splits s in place at commas into trimmed fields (the first MAX_FIELDS kept
 * in f). Returns the number of fields. */
static int split(char *s, char **f)
{
    int n = 0;
    for (char *p = s;;) {
        char *c = strchr(p, ',');
        if (c)
            *c = '\0';
        if (n < MAX_FIELDS)
            f[n] = trim(p);
        n++;
        if (!c)
            return n;
        p = c + 1;
    }
}

static int find_field(char **f, int n, const char *name)
{
    for (int i = 0; i < n && i < MAX_FIELDS; i++)
        if (strcmp(f[i], name) == 0)
            return i;
    return -1;
}

/* ---- Open-Meteo JSON ----------------------------------------------------- */

static const char *json_kind(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a real";
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    default: return "null";
    }
}

/* Checks hourly_units.<key> against the unit the reader expects (absent keys
 * are not checked). Returns 0 or -1 with err. */
static int check_unit(const char *path, const json_t *units, const char *key, const char *want, const char *hint,
                      char *err, size_t errlen)
{
    const char *u = json_string_value(json_object_get(units, key));
    if (!u || strcmp(u, want) == 0)
        return 0;
    snprintf(err, errlen, "%s: hourly_units.%s is \"%.20s\", expected \"%s\"%s", path, key, u, want, hint);
    return -1;
}

static int read_om_json(const char *path, int policy, rows *r, char *err, size_t errlen)
{
    static const char *const keys[3] = {"time", "temperature_2m", "relative_humidity_2m"};
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    json_error_t je;
    json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
    fclose(f);
    if (!root) {
        if (je.line > 0)
            snprintf(err, errlen, "%s:%d: column %d: JSON: %s", path, je.line, je.column, je.text);
        else
            snprintf(err, errlen, "%s: JSON: %s", path, je.text);
        return -1;
    }
    int rc = -1;
    char why[300];
    if (!json_is_object(root)) {
        snprintf(err, errlen, "%s: JSON: the top level is %s, expected an object (an Open-Meteo response)", path,
                 json_kind(root));
        goto out;
    }
    if (json_is_true(json_object_get(root, "error"))) {
        const char *reason = json_string_value(json_object_get(root, "reason"));
        snprintf(err, errlen, "%s: an Open-Meteo error response: %.200s", path, reason ? reason : "(no reason)");
        goto out;
    }
    json_t *jo = json_object_get(root, "utc_offset_seconds");
    if (!jo) {
        snprintf(err, errlen, "%s: missing key \"utc_offset_seconds\" (the UTC offset of the local times, s)", path);
        goto out;
    }
    if (!json_is_integer(jo)) {
        snprintf(err, errlen, "%s: utc_offset_seconds is %s, expected an integer (s)", path, json_kind(jo));
        goto out;
    }
    long long off = (long long)json_integer_value(jo);
    if (check_offset(off, json_string_value(json_object_get(root, "timezone_abbreviation")), why, sizeof why)) {
        snprintf(err, errlen, "%s: %s", path, why);
        goto out;
    }
    json_t *units = json_object_get(root, "hourly_units");
    if (json_is_object(units) &&
        (check_unit(path, units, "temperature_2m", "\302\260C", " (download with temperature_unit=celsius)", err,
                    errlen) ||
         check_unit(path, units, "relative_humidity_2m", "%", "", err, errlen)))
        goto out;
    json_t *hourly = json_object_get(root, "hourly");
    if (!hourly) {
        snprintf(err, errlen, "%s: missing key \"hourly\"", path);
        goto out;
    }
    if (!json_is_object(hourly)) {
        snprintf(err, errlen, "%s: hourly is %s, expected an object", path, json_kind(hourly));
        goto out;
    }
    json_t *arr[3];
    for (int k = 0; k < 3; k++) {
        arr[k] = json_object_get(hourly, keys[k]);
        if (!arr[k]) {
            snprintf(err, errlen, "%s: missing key \"hourly.%s\"", path, keys[k]);
            goto out;
        }
        if (!json_is_array(arr[k])) {
            snprintf(err, errlen, "%s: hourly.%s is %s, expected an array", path, keys[k], json_kind(arr[k]));
            goto out;
        }
    }
    size_t n = json_array_size(arr[0]);
    if (n == 0) {
        snprintf(err, errlen, "%s: hourly.time is empty (no data)", path);
        goto out;
    }
    for (int k = 1; k < 3; k++)
        if (json_array_size(arr[k]) != n) {
            snprintf(err, errlen, "%s: hourly.%s has %zu values, hourly.time has %zu", path, keys[k],
                     json_array_size(arr[k]), n);
            goto out;
        }
    int64_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *jt = json_array_get(arr[0], i);
        char tbuf[48];
        const char *ts = tbuf;
        int64_t t;
        if (json_is_string(jt)) {
            ts = json_string_value(jt);
        } else if (json_is_integer(jt)) {
            snprintf(tbuf, sizeof tbuf, "%lld", (long long)json_integer_value(jt));
        } else {
            snprintf(err, errlen, "%s: hourly.time[%zu] is %s, expected a local time or Unix seconds", path, i,
                     json_kind(jt));
            goto out;
        }
        if (parse_local(ts, json_is_string(jt) ? off : 0, &t, why, sizeof why)) {
            snprintf(err, errlen, "%s: hourly.time[%zu]: %s", path, i, why);
            goto out;
        }
        if (i > 0 && t <= prev) {
            order_error(why, sizeof why, ts, t == prev, off);
            snprintf(err, errlen, "%s: hourly.time[%zu]: %s", path, i, why);
            goto out;
        }
        prev = t;
        double v[2];
        int missing = 0;
        for (int k = 0; k < 2; k++) {
            json_t *jv = json_array_get(arr[k + 1], i);
            if (json_is_null(jv)) {
                if (policy == SERIES_ERROR) {
                    snprintf(err, errlen, "%s: hourly.%s[%zu]: null (a missing value; gap policy \"error\")", path,
                             keys[k + 1], i);
                    goto out;
                }
                missing = 1;
                continue;
            }
            if (!json_is_number(jv)) {
                snprintf(err, errlen, "%s: hourly.%s[%zu] is %s, expected a number", path, keys[k + 1], i,
                         json_kind(jv));
                goto out;
            }
            v[k] = json_number_value(jv);
            if (check_value(v[k], k, why, sizeof why)) {
                snprintf(err, errlen, "%s: hourly.%s[%zu]: %s", path, keys[k + 1], i, why);
                goto out;
            }
        }
        if (!missing && rows_push(r, t, v[0], v[1], (long)i)) {
            snprintf(err, errlen, "%s: hourly.time[%zu]: out of memory or more than %d hours", path, i,
                     WEATHER_MAX_ROWS);
            goto out;
        }
    }
    rc = 0;
out:
    json_decref(root);
    return rc;
}

/* ---- Open-Meteo CSV ------------------------------------------------------ */

static int read_om_csv(FILE *f, const char *path, int policy, rows *r, char *err, size_t errlen)
{
    static const char *const cols[3] = {"time", "temperature_2m (\302\260C)", "relative_humidity_2m (%)"};
    char *buf = NULL, *s, *fld[MAX_FIELDS], why[300], ts[64];
    size_t cap = 0;
    long lineno = 0;
    int got, rc = -1, state = 0, nmeta = 0, ioff = -1, iabbr = -1, nhdr = 0, ci[3] = {-1, -1, -1}, have_prev = 0;
    long long off = 0;
    int64_t prev = 0;
    while ((got = next_line(f, path, &buf, &cap, &lineno, &s, err, errlen)) == 1) {
        if (state == 0) { /* metadata header */
            char line[80];
            snprintf(line, sizeof line, "%s", s);
            nmeta = split(s, fld);
            ioff = find_field(fld, nmeta, "utc_offset_seconds");
            iabbr = find_field(fld, nmeta, "timezone_abbreviation");
            if (ioff < 0) {
                snprintf(err, errlen,
                         "%s:%ld: expected the Open-Meteo metadata header \"latitude,longitude,...,"
                         "utc_offset_seconds,...\" (got \"%.60s\")",
                         path, lineno, line);
                goto out;
            }
            state = 1;
        } else if (state == 1) { /* metadata values */
            int nf = split(s, fld);
            if (nf != nmeta) {
                snprintf(err, errlen, "%s:%ld: expected %d metadata values, got %d", path, lineno, nmeta, nf);
                goto out;
            }
            char *end;
            errno = 0;
            off = strtoll(fld[ioff], &end, 10);
            if (end == fld[ioff] || *end || errno == ERANGE) {
                snprintf(err, errlen, "%s:%ld: utc_offset_seconds \"%.40s\" is not an integer", path, lineno,
                         fld[ioff]);
                goto out;
            }
            if (check_offset(off, iabbr >= 0 && iabbr < MAX_FIELDS ? fld[iabbr] : NULL, why, sizeof why)) {
                snprintf(err, errlen, "%s:%ld: %s", path, lineno, why);
                goto out;
            }
            state = 2;
        } else if (state == 2) { /* blank lines, then the hourly header */
            if (!*s)
                continue;
            nhdr = split(s, fld);
            for (int k = 0; k < 3; k++) {
                ci[k] = find_field(fld, nhdr, cols[k]);
                if (ci[k] >= 0)
                    continue;
                if (k == 1)
                    for (int i = 0; i < nhdr && i < MAX_FIELDS; i++)
                        if (strncmp(fld[i], "temperature_2m (", 16) == 0) {
                            snprintf(err, errlen,
                                     "%s:%ld: column %d is \"%.40s\", expected \"%s\" (download with "
                                     "temperature_unit=celsius)",
                                     path, lineno, i + 1, fld[i], cols[1]);
                            goto out;
                        }
                snprintf(err, errlen, "%s:%ld: the hourly header lacks \"%s\" (expected \"%s,%s,%s\")", path, lineno,
                         cols[k], cols[0], cols[1], cols[2]);
                goto out;
            }
            state = 3;
        } else { /* hourly rows, up to a blank line (a daily block may follow) */
            if (!*s)
                break;
            int nf = split(s, fld);
            if (nf != nhdr) {
                snprintf(err, errlen, "%s:%ld: expected %d columns, got %d", path, lineno, nhdr, nf);
                goto out;
            }
            int64_t t;
            snprintf(ts, sizeof ts, "%s", fld[ci[0]]);
            if (parse_local(ts, all_digits(ts) ? 0 : off, &t, why, sizeof why)) {
                snprintf(err, errlen, "%s:%ld: column %d: %s", path, lineno, ci[0] + 1, why);
                goto out;
            }
            if (have_prev && t <= prev) {
                order_error(why, sizeof why, ts, t == prev, off);
                snprintf(err, errlen, "%s:%ld: %s", path, lineno, why);
                goto out;
            }
            double v[2];
            int missing = 0;
            for (int k = 0; k < 2; k++) {
                int c = parse_cell(fld[ci[k + 1]], k, &v[k], why, sizeof why);
                if (c == 1 && policy == SERIES_ERROR) {
                    snprintf(err, errlen, "%s:%ld: column %d: empty (a missing value; gap policy \"error\")", path,
                             lineno, ci[k + 1] + 1);
                    goto out;
                }
                if (c < 0) {
                    snprintf(err, errlen, "%s:%ld: column %d: %s", path, lineno, ci[k + 1] + 1, why);
                    goto out;
                }
                missing |= c == 1;
            }
            prev = t;
            have_prev = 1;
            if (!missing && rows_push(r, t, v[0], v[1], lineno)) {
                snprintf(err, errlen, "%s:%ld: out of memory or more than %d rows", path, lineno, WEATHER_MAX_ROWS);
                goto out;
            }
        }
    }
    if (got < 0)
        goto out;
    if (state < 3 || r->n == 0) {
        snprintf(err, errlen, "%s:%ld: no data rows", path, lineno);
        goto out;
    }
    rc = 0;
out:
    free(buf);
    return rc;
}

/* ---- plain CSV ------------------------------------------------------------ */

static int read_csv(FILE *f, const char *path, int policy, rows *r, char *err, size_t errlen)
{
    char *buf = NULL, *s, *fld[MAX_FIELDS], why[300];
    size_t cap = 0;
    long lineno = 0;
    int got, rc = -1, seen = 0;
    while ((got = next_line(f, path, &buf, &cap, &lineno, &s, err, errlen)) == 1) {
        if (!*s || *s == '#')
            continue;
        if (!seen++ && !(*s >= '0' && *s <= '9')) { /* header */
            char line[80];
            snprintf(line, sizeof line, "%s", s);
            int nf = split(s, fld);
            if (nf != 3 || strcmp(fld[0], "timestamp") || strcmp(fld[1], "temp_c") || strcmp(fld[2], "rh_pct")) {
                snprintf(err, errlen, "%s:%ld: header must be \"timestamp,temp_c,rh_pct\" (got \"%.60s\")", path,
                         lineno, line);
                goto out;
            }
            continue;
        }
        int nf = split(s, fld);
        if (nf != 3) {
            snprintf(err, errlen, "%s:%ld: expected 3 columns \"timestamp,temp_c,rh_pct\", got %d", path, lineno, nf);
            goto out;
        }
        int64_t t;
        if (timeutil_parse_iso(fld[0], 1, &t, why, sizeof why)) {
            snprintf(err, errlen, "%s:%ld: column 1: %s", path, lineno, why);
            goto out;
        }
        double v[2];
        int missing = 0;
        for (int k = 0; k < 2; k++) {
            int c = parse_cell(fld[k + 1], k, &v[k], why, sizeof why);
            if (c == 1 && policy == SERIES_ERROR) {
                snprintf(err, errlen, "%s:%ld: column %d: empty (a missing value; gap policy \"error\")", path, lineno,
                         k + 2);
                goto out;
            }
            if (c < 0) {
                snprintf(err, errlen, "%s:%ld: column %d: %s", path, lineno, k + 2, why);
                goto out;
            }
            missing |= c == 1;
        }
        if (!missing && rows_push(r, t, v[0], v[1], lineno)) {
            snprintf(err, errlen, "%s:%ld: out of memory or more than %d rows", path, lineno, WEATHER_MAX_ROWS);
            goto out;
        }
    }
    if (got < 0)
        goto out;
    if (r->n == 0) {
        snprintf(err, errlen, "%s:%ld: no data rows", path, lineno);
        goto out;
    }
    rc = 0;
out:
    free(buf);
    return rc;
}

int weather_read(const char *path, int format, int policy, int64_t from, int64_t to, weather *w, char *notice,
                 size_t nlen, char *err, size_t errlen)
{
    memset(w, 0, sizeof *w);
    if (notice && nlen)
        notice[0] = '\0';
    if (format < WEATHER_OPEN_METEO_JSON || format > WEATHER_CSV) {
        snprintf(err, errlen, "%s: unknown weather format %d", path, format);
        return -1;
    }
    if (policy < SERIES_ERROR || policy > SERIES_REPEAT_YEAR) {
        snprintf(err, errlen, "%s: unknown gap policy %d", path, policy);
        return -1;
    }
    rows r = {0};
    int rc;
    if (format == WEATHER_OPEN_METEO_JSON) {
        rc = read_om_json(path, policy, &r, err, errlen);
    } else {
        FILE *f = fopen(path, "r");
        if (!f) {
            snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
            return -1;
        }
        rc = format == WEATHER_CSV ? read_csv(f, path, policy, &r, err, errlen)
                                   : read_om_csv(f, path, policy, &r, err, errlen);
        fclose(f);
    }
    if (rc == 0) {
        const double *cols[2] = {r.temp, r.rh};
        series_in in = {path, r.where, format == WEATHER_OPEN_METEO_JSON ? "hourly.time" : NULL, r.n, r.t, 2, cols};
        double *out[2];
        rc = series_fill(&in, policy, from, to, &w->t0, &w->n, out, notice, nlen, err, errlen);
        if (rc == 0) {
            w->temp_c = out[0];
            w->rh_pct = out[1];
        }
    }
    rows_free(&r);
    if (rc)
        memset(w, 0, sizeof *w);
    return rc;
}

/* ---- synthetic climate --------------------------------------------------- */

const char *const weather_preset_names[] = {"temperate", "hot-humid", "cold", NULL};

/* Sources and the fitting method: docs/WEATHER.md. "fit" = fitted to the
 * Open-Meteo 2023 hourly series of the city; "est." = estimate. */
static const weather_climate presets[] = {
    /* temperate: Frankfurt am Main (50.1 N, 8.7 E), clock CET (UTC+1).
     * mean, annual amplitude: 1991-2020 normals (Jan 2.2 C, Jul 20.6 C, year
     * 11.1 C); the rest: fit. */
    {.mean_c = 11.1, .annual_amp_c = 9.2, .daily_amp_c = 3.3, .warmest_day = 204, .warmest_hour = 15.0,
     .utc_offset_h = 1.0, .rh_mean_pct = 75.0, .rh_annual_amp_pct = 12.5, .rh_daily_amp_pct = 12.0,
     .rh_per_c = -1.0, .rh_noise_sd_pct = 11.0, .noise_sd_c = 3.7, .noise_tau_h = 36.0},
    /* hot-humid: Singapore (1.3 N, 103.9 E), clock SGT (UTC+8). Fit, except
     * warmest_day: May, the warmest month in the normals and in 2023. */
    {.mean_c = 27.3, .annual_amp_c = 1.1, .daily_amp_c = 1.8, .warmest_day = 140, .warmest_hour = 15.0,
     .utc_offset_h = 8.0, .rh_mean_pct = 82.5, .rh_annual_amp_pct = 3.0, .rh_daily_amp_pct = 9.0,
     .rh_per_c = -3.8, .rh_noise_sd_pct = 4.0, .noise_sd_c = 1.2, .noise_tau_h = 15.0},
    /* cold: Lulea, Sweden (65.6 N, 22.1 E), clock CET (UTC+1). mean, annual
     * and daily amplitude from monthly normals (Jan -9.3 C, Jul 16.8 C); the
     * rest est. (no hourly data here). */
    {.mean_c = 2.9, .annual_amp_c = 13.0, .daily_amp_c = 2.9, .warmest_day = 200, .warmest_hour = 15.0,
     .utc_offset_h = 1.0, .rh_mean_pct = 80.0, .rh_annual_amp_pct = 8.0, .rh_daily_amp_pct = 8.0,
     .rh_per_c = -1.0, .rh_noise_sd_pct = 10.0, .noise_sd_c = 4.5, .noise_tau_h = 36.0},
};

int weather_preset(const char *name, weather_climate *c)
{
    for (int i = 0; name && weather_preset_names[i]; i++)
        if (strcmp(name, weather_preset_names[i]) == 0) {
            *c = presets[i];
            return 0;
        }
    return -1;
}

int weather_climate_check(const weather_climate *c, char *err, size_t errlen)
{
    const struct {
        const char *name;
        double v, lo, hi;
        const char *unit;
    } f[] = {
        {"mean_c", c->mean_c, -60, 45, "C"},
        {"annual_amp_c", c->annual_amp_c, 0, 40, "K"},
        {"daily_amp_c", c->daily_amp_c, 0, 20, "K"},
        {"warmest_day", c->warmest_day, 1, 366, "(day of year)"},
        {"warmest_hour", c->warmest_hour, 0, 24, "h"},
        {"utc_offset_h", c->utc_offset_h, -14, 14, "h"},
        {"rh_mean_pct", c->rh_mean_pct, 0, 100, "%"},
        {"rh_annual_amp_pct", c->rh_annual_amp_pct, 0, 50, "%"},
        {"rh_daily_amp_pct", c->rh_daily_amp_pct, 0, 50, "%"},
        {"rh_per_c", c->rh_per_c, -20, 20, "%/K"},
        {"rh_noise_sd_pct", c->rh_noise_sd_pct, 0, 50, "%"},
        {"noise_sd_c", c->noise_sd_c, 0, 20, "K"},
        {"noise_tau_h", c->noise_tau_h, 0.1, 10000, "h"},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (!(f[i].v >= f[i].lo && f[i].v <= f[i].hi)) {
            snprintf(err, errlen, "climate: %s %g outside [%g, %g] %s", f[i].name, f[i].v, f[i].lo, f[i].hi,
                     f[i].unit);
            return -1;
        }
    double swing = c->annual_amp_c + c->daily_amp_c;
    if (c->mean_c - swing < WEATHER_TEMP_MIN_C || c->mean_c + swing > WEATHER_TEMP_MAX_C) {
        snprintf(err, errlen, "climate: mean_c +- (annual_amp_c + daily_amp_c) spans %g to %g C, outside [%g, %g] C",
                 c->mean_c - swing, c->mean_c + swing, WEATHER_TEMP_MIN_C, WEATHER_TEMP_MAX_C);
        return -1;
    }
    return 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if (a % b != 0 && (a < 0) != (b < 0))
        q--;
    return q;
}

/* Epoch second of Jan 1 00:00 UTC of the year holding epoch second t. */
static int64_t year_start(int64_t t)
{
    int64_t days = floor_div(t, 86400);
    int64_t y = 1970 + (int64_t)floor((double)days / 365.2425);
    while (timeutil_days_from_civil(y, 1, 1) > days)
        y--;
    while (timeutil_days_from_civil(y + 1, 1, 1) <= days)
        y++;
    return timeutil_days_from_civil(y, 1, 1) * 86400;
}

static double clamp(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

int weather_synth(const weather_climate *c, uint64_t seed, int64_t from, int64_t to, weather *w, char *err,
                  size_t errlen)
{
    memset(w, 0, sizeof *w);
    if (weather_climate_check(c, err, errlen))
        return -1;
    if (from >= to) {
        char a[32], b[32];
        timeutil_format_iso(from, a, sizeof a);
        timeutil_format_iso(to, b, sizeof b);
        snprintf(err, errlen, "climate: empty period %s to %s", a, b);
        return -1;
    }
    int64_t h0 = floor_div(from, 3600) * 3600, h1 = -floor_div(-to, 3600) * 3600;
    if ((double)h1 - (double)h0 > 3600.0 * SERIES_MAX_HOURS) { /* in double: no overflow */
        snprintf(err, errlen, "climate: the period is longer than %d hours", SERIES_MAX_HOURS);
        return -1;
    }
    size_t n = (size_t)((h1 - h0) / 3600);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    w->temp_c = malloc(n * sizeof *w->temp_c);
    w->rh_pct = malloc(n * sizeof *w->rh_pct);
    if (!rng || !w->temp_c || !w->rh_pct) {
        snprintf(err, errlen, "climate: out of memory for %zu hours", n);
        gsl_rng_free(rng);
        weather_free(w);
        return -1;
    }
    /* mt19937 takes 32 bits of seed: fold the 64 (0 would select GSL's default) */
    unsigned long s32 = (unsigned long)((seed ^ (seed >> 32)) & 0xffffffffUL);
    gsl_rng_set(rng, s32 ? s32 : 1UL);

    const double two_pi = 6.283185307179586, year_d = 365.2425;
    const double tau_w = (double)timeutil_days_from_civil(2000, 1, 1) + c->warmest_day - 0.5;
    const double phi = exp(-1.0 / c->noise_tau_h), innov = sqrt(1.0 - phi * phi);
    double x = c->noise_sd_c * gsl_ran_gaussian_ziggurat(rng, 1.0);
    double z = c->rh_noise_sd_pct * gsl_ran_gaussian_ziggurat(rng, 1.0);
    for (int64_t t = year_start(h0); t < h1; t += 3600) {
        if (t >= h0) {
            double tau = ((double)t + 3600.0 * c->utc_offset_h) / 86400.0;
            double lam = 24.0 * (tau - floor(tau));
            double a = cos(two_pi * (tau - tau_w) / year_d);
            double b = cos(two_pi * (lam - c->warmest_hour) / 24.0);
            size_t i = (size_t)((t - h0) / 3600);
            w->temp_c[i] = clamp(c->mean_c + c->annual_amp_c * a + c->daily_amp_c * b + x, WEATHER_TEMP_MIN_C,
                                 WEATHER_TEMP_MAX_C);
            w->rh_pct[i] = clamp(c->rh_mean_pct - c->rh_annual_amp_pct * a - c->rh_daily_amp_pct * b +
                                     c->rh_per_c * x + z,
                                 5.0, 100.0);
        }
        x = phi * x + c->noise_sd_c * innov * gsl_ran_gaussian_ziggurat(rng, 1.0);
        z = phi * z + c->rh_noise_sd_pct * innov * gsl_ran_gaussian_ziggurat(rng, 1.0);
    }
    gsl_rng_free(rng);
    w->t0 = h0;
    w->n = n;
    return 0;
}

/* ---- wet bulb ------------------------------------------------------------ */

double weather_wet_bulb_c(double temp_c, double rh_pct)
{
    double t = temp_c, rh = clamp(rh_pct, 0.0, 100.0);
    /* Stull (2011), eq. 1; atan in radians */
    double tw = t * atan(0.151977 * sqrt(rh + 8.313659)) + atan(t + rh) - atan(rh - 1.676331) +
                0.00391838 * pow(rh, 1.5) * atan(0.023101 * rh) - 4.686035;
    return tw < t ? tw : t;
}
