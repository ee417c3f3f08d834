/* test_timeutil.c - ISO 8601 timestamps and durations. */
#include "../grid/timeutil.h"
#include "check.h"

void test_timeutil_iso(void);
void test_timeutil_iso_errors(void);
void test_timeutil_duration(void);

void test_timeutil_iso(void)
{
    int64_t t;
    char err[200], buf[32];
    CHECK(timeutil_parse_iso("1970-01-01T00:00:00Z", 1, &t, err, sizeof err) == 0 && t == 0);
    CHECK(timeutil_parse_iso("2026-01-01T00:00:00Z", 1, &t, err, sizeof err) == 0);
    CHECK_INT(t, 1767225600); /* date -u -d 2026-01-01 +%s */
    CHECK(timeutil_parse_iso("2026-01-01T01:00:00+01:00", 1, &t, err, sizeof err) == 0);
    CHECK_INT(t, 1767225600);
    CHECK(timeutil_parse_iso("2025-12-31 19:00-0500", 1, &t, err, sizeof err) == 0);
    CHECK_INT(t, 1767225600);
    CHECK(timeutil_parse_iso("2024-02-29T12:00:00Z", 1, &t, err, sizeof err) == 0);
    timeutil_format_iso(t, buf, sizeof buf);
    CHECK_STR(buf, "2024-02-29T12:00:00Z");
    CHECK(timeutil_parse_iso("2023-01-01 00:00:00", 0, &t, err, sizeof err) == 0); /* zone optional */
    CHECK_INT(t, 1672531200);
}

void test_timeutil_iso_errors(void)
{
    int64_t t;
    char err[200];
    CHECK(timeutil_parse_iso("2023-02-29T00:00:00Z", 1, &t, err, sizeof err) == -1);
    CHECK(strstr(err, "day 29 out of range") != NULL);
    CHECK(timeutil_parse_iso("2023-13-01T00:00:00Z", 1, &t, err, sizeof err) == -1);
    CHECK(strstr(err, "month 13") != NULL);
    CHECK(timeutil_parse_iso("2023-01-01T00:00:00", 1, &t, err, sizeof err) == -1);
    CHECK(strstr(err, "needs a zone") != NULL);
    CHECK(timeutil_parse_iso("yesterday", 1, &t, err, sizeof err) == -1);
    CHECK(timeutil_parse_iso("2023-01-01T25:00:00Z", 1, &t, err, sizeof err) == -1);
    CHECK(timeutil_parse_iso("2023-01-01T00:00:00Zjunk", 1, &t, err, sizeof err) == -1);
    CHECK(timeutil_parse_iso("", 1, &t, err, sizeof err) == -1);
}

void test_timeutil_duration(void)
{
    double d;
    char err[200];
    CHECK(timeutil_parse_duration("1h", &d, err, sizeof err) == 0 && d == 3600.0);
    CHECK(timeutil_parse_duration("365d", &d, err, sizeof err) == 0 && d == 365.0 * 86400.0);
    CHECK(timeutil_parse_duration("15min", &d, err, sizeof err) == 0 && d == 900.0);
    CHECK(timeutil_parse_duration("1d12h", &d, err, sizeof err) == 0 && d == 129600.0);
    CHECK(timeutil_parse_duration("3600", &d, err, sizeof err) == 0 && d == 3600.0);
    CHECK(timeutil_parse_duration("0.5s", &d, err, sizeof err) == 0 && d == 0.5);
    CHECK(timeutil_parse_duration("1 fortnight", &d, err, sizeof err) == -1);
    CHECK(timeutil_parse_duration("5parsecs", &d, err, sizeof err) == -1);
    CHECK(strstr(err, "unknown unit") != NULL);
    CHECK(timeutil_parse_duration("-1h", &d, err, sizeof err) == -1);
    CHECK(timeutil_parse_duration("", &d, err, sizeof err) == -1);
    CHECK(timeutil_parse_duration("h", &d, err, sizeof err) == -1);
}
