/* timeutil.c - ISO 8601 timestamps and durations in UTC (see timeutil.h). */
#include "timeutil.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int64_t timeutil_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);                          /* [0, 399] */
    unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1; /* [0, 365] */
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;              /* [0, 146096] */
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Reads exactly n digits; returns -1 if any is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int timeutil_parse_iso(const char *s, int require_zone, int64_t *out, char *err, size_t errlen)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!s) {
        snprintf(err, errlen, "missing timestamp");
        return -1;
    }
    size_t n = strlen(s);
    if (n < 16 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':') {
        snprintf(err, errlen, "\"%.40s\" is not an ISO 8601 timestamp (YYYY-MM-DDTHH:MM:SSZ)", s);
        return -1;
    }
    int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
    int h = digits(s + 11, 2), mi = digits(s + 14, 2), sec = 0;
    const char *p = s + 16;
    if (*p == ':') {
        sec = digits(p + 1, 2);
        p += sec < 0 ? 1 : 3; /* never past the end of s ("...T00:00:" is an error below) */
        if (*p == '.') { /* fractional seconds: accepted, must be zero */
            p++;
            while (*p == '0')
                p++;
            if (isdigit((unsigned char)*p)) {
                snprintf(err, errlen, "\"%.40s\": fractional seconds are not supported", s);
                return -1;
            }
        }
    }
    if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) {
        snprintf(err, errlen, "\"%.40s\" is not an ISO 8601 timestamp (YYYY-MM-DDTHH:MM:SSZ)", s);
        return -1;
    }
    if (mo < 1 || mo > 12) {
        snprintf(err, errlen, "\"%.40s\": month %d out of range", s, mo);
        return -1;
    }
    int dim = mdays[mo - 1] + (mo == 2 && is_leap(y));
    if (d < 1 || d > dim) {
        snprintf(err, errlen, "\"%.40s\": day %d out of range", s, d);
        return -1;
    }
    if (h > 23 || mi > 59 || sec > 59) {
        snprintf(err, errlen, "\"%.40s\": time of day out of range", s);
        return -1;
    }
    int offset_s = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1;
        int oh = digits(p + 1, 2), om = -1;
        if (oh < 0) {
            /* p[3] may lie past the end of s: reported below */
        } else if (p[3] == ':') {
            om = digits(p + 4, 2);
            p += 6;
        } else {
            om = digits(p + 3, 2);
            p += 5;
        }
        if (oh < 0 || om < 0 || oh > 14 || om > 59) {
            snprintf(err, errlen, "\"%.40s\": bad UTC offset", s);
            return -1;
        }
        offset_s = sign * (oh * 3600 + om * 60);
    } else if (require_zone || *p) {
        snprintf(err, errlen, "\"%.40s\": the timestamp needs a zone, \"Z\" for UTC or an offset like +01:00", s);
        return -1;
    }
    if (*p) {
        snprintf(err, errlen, "\"%.40s\": unexpected text after the timestamp", s);
        return -1;
    }
    int64_t days = timeutil_days_from_civil(y, (unsigned)mo, (unsigned)d);
    *out = days * 86400 + h * 3600 + mi * 60 + sec - offset_s;
    return 0;
}

void timeutil_format_iso(int64_t t, char *buf, size_t len)
{
    int64_t days = t / 86400, rem = t % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(buf, len, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d, (int)(rem / 3600),
             (int)(rem % 3600 / 60), (int)(rem % 60));
}

int timeutil_parse_duration(const char *s, double *out, char *err, size_t errlen)
{
    static const struct {
        const char *unit;
        double seconds;
    } units[] = {{"ms", 1e-3}, {"s", 1.0},    {"sec", 1.0},     {"min", 60.0},   {"m", 60.0},
                 {"h", 3600.0}, {"hr", 3600.0}, {"d", 86400.0}, {"w", 604800.0}, {"y", 31536000.0}};
    if (!s || !*s) {
        snprintf(err, errlen, "empty duration");
        return -1;
    }
    double total = 0;
    const char *p = s;
    while (*p) {
        char *end;
        errno = 0;
        double v = strtod(p, &end);
        if (end == p || errno || !isfinite(v) || v < 0) {
            snprintf(err, errlen, "\"%.40s\" is not a duration (e.g. \"90s\", \"15min\", \"1h\", \"365d\")", s);
            return -1;
        }
        p = end;
        while (*p == ' ')
            p++;
        size_t ulen = 0;
        while (isalpha((unsigned char)p[ulen]))
            ulen++;
        double mult = 0;
        if (ulen == 0) {
            if (p != s + strlen(s) || total != 0) { /* a bare number must be the whole string */
                snprintf(err, errlen, "\"%.40s\": a number needs a unit here", s);
                return -1;
            }
            mult = 1.0;
        } else {
            for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
                if (strlen(units[i].unit) == ulen && strncmp(units[i].unit, p, ulen) == 0)
                    mult = units[i].seconds;
            if (mult == 0) {
                snprintf(err, errlen, "\"%.40s\": unknown unit \"%.*s\" (use s, min, h, d, w, y)", s,
                         (int)ulen, p);
                return -1;
            }
        }
        total += v * mult;
        p += ulen;
        while (*p == ' ')
            p++;
    }
    *out = total;
    return 0;
}
