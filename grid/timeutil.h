/* timeutil.h - calendar arithmetic in UTC: ISO 8601 timestamps and durations.
 *
 * Times are seconds since the Unix epoch (UTC) as int64 for parsing and
 * formatting; the engine works in double seconds since the scenario start.
 * No time zone database is used: a timestamp must carry "Z" or a numeric
 * offset (e.g. "+02:00"), so nothing depends on the machine's TZ.
 */
#ifndef DCSIM_TIMEUTIL_H
#define DCSIM_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Parses "YYYY-MM-DDTHH:MM[:SS]" followed by "Z" or "+HH:MM"/"-HH:MM"/"+HHMM"
 * (a space may replace the "T"). If require_zone is 0, a timestamp without a
 * zone is taken as UTC. Stores seconds since the Unix epoch (UTC) in *out.
 * Returns 0, or -1 with a reason in err (e.g. "month 13 out of range"). */
int timeutil_parse_iso(const char *s, int require_zone, int64_t *out, char *err, size_t errlen);

/* Formats epoch seconds as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes). */
void timeutil_format_iso(int64_t t, char *buf, size_t len);

/* Parses a duration: a number and a unit, "90s", "15min", "1h", "365d", "1w",
 * or plain seconds ("3600"). Several terms may be added: "1d12h". Returns 0
 * and the seconds in *out (> 0 not required), or -1 with a reason in err. */
int timeutil_parse_duration(const char *s, double *out, char *err, size_t errlen);

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil algorithm, public domain description). */
int64_t timeutil_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
