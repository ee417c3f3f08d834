/* test_weather.c - weather readers (Open-Meteo JSON and CSV, plain CSV), their
 * errors and gap policies, the synthetic climate, the wet bulb, and the real
 * Open-Meteo files in ../shared/data/weather when that folder exists. */
#include <dirent.h>
#include <stdlib.h>

#include "../grid/series.h"
#include "../grid/timeutil.h"
#include "../grid/weather.h"
#include "check.h"

void test_weather_names(void);
void test_weather_read_formats(void);
void test_weather_errors(void);
void test_weather_policies(void);
void test_weather_synth_equations(void);
void test_weather_synth_noise(void);
void test_weather_synth_errors(void);
void test_weather_presets(void);
void test_weather_wet_bulb(void);
void test_weather_real_data(void);

#define FIX "tests/fixtures/weather/"
#define H 3600
static const int64_t BASE = 1767225600;  /* 2026-01-01T00:00:00Z */
static const int64_t LOCAL0 = 1672527600; /* 2023-01-01T00:00 at UTC+1 = 2022-12-31T23:00:00Z */

static int64_t iso(const char *s)
{
    int64_t t = 0;
    char err[200];
    if (timeutil_parse_iso(s, 1, &t, err, sizeof err))
        fprintf(stderr, "  bad test time %s: %s\n", s, err);
    return t;
}

void test_weather_names(void)
{
    CHECK_STR(weather_format_names[WEATHER_OPEN_METEO_JSON], "open-meteo-json");
    CHECK_STR(weather_format_names[WEATHER_OPEN_METEO_CSV], "open-meteo-csv");
    CHECK_STR(weather_format_names[WEATHER_CSV], "csv");
    CHECK(weather_format_names[3] == NULL);
    CHECK_INT(weather_format_from_name("csv"), WEATHER_CSV);
    CHECK_INT(weather_format_from_name("json"), -1);
    CHECK_STR(weather_preset_names[0], "temperate");
    CHECK_STR(weather_preset_names[1], "hot-humid");
    CHECK_STR(weather_preset_names[2], "cold");
    CHECK(weather_preset_names[3] == NULL);
}

/* Reads a good file; checks it holds 4 hours from t0 of the fixtures'
 * values (1.5, 2, 2.5, 3 C; 80..83 %). */
static void expect_four(const char *path, int format, int64_t t0)
{
    weather w;
    char notice[600] = "x", err[600];
    if (weather_read(path, format, SERIES_ERROR, 0, 0, &w, notice, sizeof notice, err, sizeof err)) {
        fprintf(stderr, "  %s\n", err);
        CHECK(0);
        return;
    }
    CHECK_INT(w.t0, t0);
    CHECK_INT(w.n, 4);
    CHECK_STR(notice, "");
    if (w.n == 4) {
        CHECK(w.temp_c[0] == 1.5 && w.temp_c[1] == 2.0 && w.temp_c[2] == 2.5 && w.temp_c[3] == 3.0);
        CHECK(w.rh_pct[0] == 80.0 && w.rh_pct[3] == 83.0);
    }
    CHECK(weather_temp_at(&w, t0 + 2 * H + 3599) == 2.5);
    CHECK(weather_rh_at(&w, t0 + H) == 81.0);
    CHECK(weather_temp_at(&w, t0 - 10 * H) == 1.5); /* clamped */
    CHECK(weather_temp_at(&w, t0 + 10 * H) == 3.0);
    weather_free(&w);
    CHECK(w.temp_c == NULL && w.n == 0);
    CHECK(isnan(weather_temp_at(&w, t0)));
}

void test_weather_read_formats(void)
{
    expect_four(FIX "om-ok.json", WEATHER_OPEN_METEO_JSON, LOCAL0);
    expect_four(FIX "om-ok.csv", WEATHER_OPEN_METEO_CSV, LOCAL0);
    /* ok.csv: a "+01:00" row, a comment, spaces, CRLF; 2026 in UTC */
    weather w;
    char err[600];
    CHECK(weather_read(FIX "ok.csv", WEATHER_CSV, SERIES_ERROR, 0, 0, &w, NULL, 0, err, sizeof err) == 0);
    CHECK_INT(w.t0, BASE);
    CHECK_INT(w.n, 4);
    CHECK(w.temp_c[1] == 2.0 && w.temp_c[2] == 2.5 && w.temp_c[3] == -3.0 && w.rh_pct[3] == 100.0);
    weather_free(&w);
    /* timeformat=unixtime: integers, already UTC */
    CHECK(weather_read(FIX "om-unixtime.json", WEATHER_OPEN_METEO_JSON, SERIES_ERROR, 0, 0, &w, NULL, 0, err,
                       sizeof err) == 0);
    CHECK_INT(w.t0, 1672531200);
    CHECK_INT(w.n, 3);
    CHECK(w.temp_c[0] == -1.0 && w.rh_pct[2] == 70.0);
    weather_free(&w);
    weather_free(NULL);
}

static const struct {
    const char *file;
    int format;
    const char *msg; /* after "tests/fixtures/weather/<file>" */
} bad_files[] = {
    /* Open-Meteo JSON */
    {"om-syntax.json", WEATHER_OPEN_METEO_JSON, ":14: column 37: JSON: ']' expected near '2.5'"},
    {"om-nan.json", WEATHER_OPEN_METEO_JSON, ":14: column 38: JSON: invalid token near 'NaN'"},
    {"om-dup-key.json", WEATHER_OPEN_METEO_JSON,
     ":5: column 24: JSON: duplicate object key near '\"utc_offset_seconds\"'"},
    {"om-top-array.json", WEATHER_OPEN_METEO_JSON,
     ": JSON: the top level is an array, expected an object (an Open-Meteo response)"},
    {"om-error.json", WEATHER_OPEN_METEO_JSON,
     ": an Open-Meteo error response: Cannot initialize WeatherVariable from invalid String value temperature_3m for "
     "key hourly"},
    {"om-no-offset.json", WEATHER_OPEN_METEO_JSON,
     ": missing key \"utc_offset_seconds\" (the UTC offset of the local times, s)"},
    {"om-offset-string.json", WEATHER_OPEN_METEO_JSON, ": utc_offset_seconds is a string, expected an integer (s)"},
    {"om-offset-half.json", WEATHER_OPEN_METEO_JSON,
     ": utc_offset_seconds 19800 is not a whole number of hours, so local hours are not whole UTC hours (download "
     "with timezone=GMT)"},
    {"om-abbrev.json", WEATHER_OPEN_METEO_JSON,
     ": timezone_abbreviation \"GMT+2\" disagrees with utc_offset_seconds 3600"},
    {"om-fahrenheit.json", WEATHER_OPEN_METEO_JSON,
     ": hourly_units.temperature_2m is \"\302\260F\", expected \"\302\260C\" (download with temperature_unit=celsius)"},
    {"om-no-hourly.json", WEATHER_OPEN_METEO_JSON, ": missing key \"hourly\""},
    {"om-no-rh.json", WEATHER_OPEN_METEO_JSON, ": missing key \"hourly.relative_humidity_2m\""},
    {"om-time-not-array.json", WEATHER_OPEN_METEO_JSON, ": hourly.time is a string, expected an array"},
    {"om-empty.json", WEATHER_OPEN_METEO_JSON, ": hourly.time is empty (no data)"},
    {"om-lengths.json", WEATHER_OPEN_METEO_JSON, ": hourly.temperature_2m has 3 values, hourly.time has 4"},
    {"om-null.json", WEATHER_OPEN_METEO_JSON,
     ": hourly.temperature_2m[2]: null (a missing value; gap policy \"error\")"},
    {"om-string-value.json", WEATHER_OPEN_METEO_JSON, ": hourly.temperature_2m[2] is a string, expected a number"},
    {"om-temp-range.json", WEATHER_OPEN_METEO_JSON, ": hourly.temperature_2m[2]: temperature (C) 75 outside [-90, 60]"},
    {"om-rh-range.json", WEATHER_OPEN_METEO_JSON,
     ": hourly.relative_humidity_2m[2]: relative humidity (%) 101 outside [0, 100]"},
    {"om-bad-time.json", WEATHER_OPEN_METEO_JSON, ": hourly.time[1]: \"2023-13-01T01:00\": month 13 out of range"},
    {"om-time-zone.json", WEATHER_OPEN_METEO_JSON,
     ": hourly.time[1]: \"2023-01-01T01:00Z\" is not a local time YYYY-MM-DDTHH:MM (Open-Meteo gives no zone)"},
    {"om-time-type.json", WEATHER_OPEN_METEO_JSON, ": hourly.time[1] is true, expected a local time or Unix seconds"},
    {"om-unix-range.json", WEATHER_OPEN_METEO_JSON,
     ": hourly.time[0]: Unix time \"99999999999999\" is outside the years 0000 to 9999"},
    {"om-dst-repeat.json", WEATHER_OPEN_METEO_JSON,
     ": hourly.time[2]: local time 2023-11-05T01:00 repeats the one before (a daylight-saving change? Open-Meteo "
     "times are read with the one utc_offset_seconds, -14400; download with timezone=GMT)"},
    {"om-unsorted.json", WEATHER_OPEN_METEO_JSON,
     ": hourly.time[1]: time 2023-01-01T00:00 is earlier than the one before (times must be sorted)"},
    {"om-gap.json", WEATHER_OPEN_METEO_JSON,
     ": hourly.time[2]: gap: 2023-01-01T02:00:00Z is 2 h after the element before (elements must be hourly)"},
    /* Open-Meteo CSV */
    {"om-no-meta.csv", WEATHER_OPEN_METEO_CSV,
     ":1: expected the Open-Meteo metadata header \"latitude,longitude,...,utc_offset_seconds,...\" (got "
     "\"time,temperature_2m (\302\260C),relative_humidity_2m (%)\")"},
    {"om-meta-count.csv", WEATHER_OPEN_METEO_CSV, ":2: expected 6 metadata values, got 5"},
    {"om-offset-word.csv", WEATHER_OPEN_METEO_CSV, ":2: utc_offset_seconds \"one hour\" is not an integer"},
    {"om-fahrenheit.csv", WEATHER_OPEN_METEO_CSV,
     ":4: column 2 is \"temperature_2m (\302\260F)\", expected \"temperature_2m (\302\260C)\" (download with "
     "temperature_unit=celsius)"},
    {"om-no-rh.csv", WEATHER_OPEN_METEO_CSV,
     ":4: the hourly header lacks \"relative_humidity_2m (%)\" (expected \"time,temperature_2m (\302\260"
     "C),relative_humidity_2m (%)\")"},
    {"om-cols.csv", WEATHER_OPEN_METEO_CSV, ":6: expected 3 columns, got 2"},
    {"om-empty-cell.csv", WEATHER_OPEN_METEO_CSV, ":6: column 2: empty (a missing value; gap policy \"error\")"},
    {"om-no-rows.csv", WEATHER_OPEN_METEO_CSV, ":4: no data rows"},
    {"om-bad-time.csv", WEATHER_OPEN_METEO_CSV,
     ":6: column 1: \"01/01/2023 01:00\" is not an ISO 8601 timestamp (YYYY-MM-DDTHH:MM:SSZ)"},
    {"om-dst-repeat.csv", WEATHER_OPEN_METEO_CSV,
     ":7: local time 2023-11-05T01:00 repeats the one before (a daylight-saving change? Open-Meteo times are read "
     "with the one utc_offset_seconds, -14400; download with timezone=GMT)"},
    /* plain CSV */
    {"nozone.csv", WEATHER_CSV,
     ":2: column 1: \"2026-01-01T01:00:00\": the timestamp needs a zone, \"Z\" for UTC or an offset like +01:00"},
    {"header.csv", WEATHER_CSV, ":1: header must be \"timestamp,temp_c,rh_pct\" (got \"timestamp,rh_pct,temp_c\")"},
    {"cols.csv", WEATHER_CSV, ":2: expected 3 columns \"timestamp,temp_c,rh_pct\", got 2"},
    {"nan.csv", WEATHER_CSV, ":2: column 2: value is NaN"},
    {"inf.csv", WEATHER_CSV, ":2: column 3: value is infinite"},
    {"temp-range.csv", WEATHER_CSV, ":2: column 2: temperature (C) -95 outside [-90, 60]"},
    {"rh-range.csv", WEATHER_CSV, ":2: column 3: relative humidity (%) -1 outside [0, 100]"},
    {"word.csv", WEATHER_CSV, ":2: column 2: \"warm\" is not a number"},
    {"dup.csv", WEATHER_CSV, ":3: duplicate timestamp 2026-01-01T00:00:00Z"},
    {"unsorted.csv", WEATHER_CSV,
     ":3: timestamp 2026-01-01T00:00:00Z is earlier than the row before (rows must be sorted)"},
    {"gap.csv", WEATHER_CSV, ":4: gap: 2026-01-01T04:00:00Z is 3 h after the row before (rows must be hourly)"},
    {"half.csv", WEATHER_CSV, ":2: timestamp 2026-01-01T00:30:00Z is not on a whole UTC hour"},
    {"empty-cell.csv", WEATHER_CSV, ":3: column 3: empty (a missing value; gap policy \"error\")"},
    {"empty.csv", WEATHER_CSV, ":1: no data rows"},
};

void test_weather_errors(void)
{
    char err[700], want[800], notice[600];
    weather w;
    for (size_t i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++) {
        snprintf(want, sizeof want, FIX "%s%s", bad_files[i].file, bad_files[i].msg);
        strcpy(notice, "x");
        char path[300];
        snprintf(path, sizeof path, FIX "%s", bad_files[i].file);
        CHECK(weather_read(path, bad_files[i].format, SERIES_ERROR, 0, 0, &w, notice, sizeof notice, err,
                           sizeof err) == -1);
        CHECK_STR(err, want);
        CHECK(w.temp_c == NULL && w.rh_pct == NULL && w.n == 0);
        CHECK_STR(notice, "");
    }
    CHECK(weather_read("/nonexistent/w.json", WEATHER_OPEN_METEO_JSON, SERIES_ERROR, 0, 0, &w, NULL, 0, err,
                       sizeof err) == -1);
    CHECK_STR(err, "/nonexistent/w.json: cannot open: No such file or directory");
    CHECK(weather_read("/nonexistent/w.csv", WEATHER_CSV, SERIES_ERROR, 0, 0, &w, NULL, 0, err, sizeof err) == -1);
    CHECK_STR(err, "/nonexistent/w.csv: cannot open: No such file or directory");
    CHECK(weather_read(FIX "ok.csv", 3, SERIES_ERROR, 0, 0, &w, NULL, 0, err, sizeof err) == -1);
    CHECK_STR(err, FIX "ok.csv: unknown weather format 3");
    CHECK(weather_read(FIX "ok.csv", WEATHER_CSV, -1, 0, 0, &w, NULL, 0, err, sizeof err) == -1);
    CHECK_STR(err, FIX "ok.csv: unknown gap policy -1");
}

void test_weather_policies(void)
{
    weather w;
    char notice[600], err[600];
    /* gap.csv: 1, 2 C at 00, 01; 5, 6 C at 04, 05 (RH 80, 80, 50, 50) */
    CHECK(weather_read(FIX "gap.csv", WEATHER_CSV, SERIES_INTERPOLATE, 0, 0, &w, notice, sizeof notice, err,
                       sizeof err) == 0);
    CHECK_INT(w.n, 6);
    CHECK(w.temp_c[2] == 3.0 && w.temp_c[3] == 4.0 && w.rh_pct[2] == 70.0 && w.rh_pct[3] == 60.0);
    CHECK_STR(notice, FIX "gap.csv: gap policy \"interpolate\": filled 2 of 6 hours (longest run 2 h from "
                          "2026-01-01T02:00:00Z)");
    weather_free(&w);
    CHECK(weather_read(FIX "gap.csv", WEATHER_CSV, SERIES_HOLD, 0, 0, &w, notice, sizeof notice, err, sizeof err) == 0);
    CHECK(w.temp_c[2] == 2.0 && w.temp_c[3] == 2.0 && w.rh_pct[3] == 80.0 && w.temp_c[4] == 5.0);
    CHECK_STR(notice, FIX "gap.csv: gap policy \"hold\": filled 2 of 6 hours (longest run 2 h from "
                          "2026-01-01T02:00:00Z)");
    weather_free(&w);
    CHECK(weather_read(FIX "gap.csv", WEATHER_CSV, SERIES_REPEAT_YEAR, 0, 0, &w, notice, sizeof notice, err,
                       sizeof err) == -1);
    CHECK_STR(err, FIX "gap.csv:4: gap: 2026-01-01T04:00:00Z is 3 h after the row before (no other year of the data "
                       "holds 2026-01-01T02:00:00Z; gap policy \"repeat_year\")");

    /* a null (JSON) or an empty cell (CSV) is a gap under the other policies */
    CHECK(weather_read(FIX "om-null.json", WEATHER_OPEN_METEO_JSON, SERIES_INTERPOLATE, 0, 0, &w, notice,
                       sizeof notice, err, sizeof err) == 0);
    CHECK_INT(w.n, 4);
    CHECK(w.temp_c[2] == 2.5 && w.rh_pct[2] == 82.0);
    CHECK_STR(notice, FIX "om-null.json: gap policy \"interpolate\": filled 1 of 4 hours (longest run 1 h from "
                          "2023-01-01T01:00:00Z)");
    weather_free(&w);
    CHECK(weather_read(FIX "empty-cell.csv", WEATHER_CSV, SERIES_HOLD, 0, 0, &w, notice, sizeof notice, err,
                       sizeof err) == 0);
    CHECK(w.temp_c[1] == 1.0 && w.rh_pct[1] == 80.0 && w.rh_pct[2] == 70.0);
    weather_free(&w);
    CHECK(weather_read(FIX "om-empty-cell.csv", WEATHER_OPEN_METEO_CSV, SERIES_INTERPOLATE, 0, 0, &w, notice,
                       sizeof notice, err, sizeof err) == 0);
    CHECK(w.t0 == LOCAL0 && w.n == 3 && w.temp_c[1] == 2.0);
    weather_free(&w);
    CHECK(weather_read(FIX "om-gap.json", WEATHER_OPEN_METEO_JSON, SERIES_REPEAT_YEAR, 0, 0, &w, notice, sizeof notice,
                       err, sizeof err) == -1);
    CHECK_STR(err, FIX "om-gap.json: hourly.time[2]: gap: 2023-01-01T02:00:00Z is 2 h after the element before (no "
                       "other year of the data holds 2023-01-01T01:00:00Z; gap policy \"repeat_year\")");

    /* coverage: short.csv holds 2026-01-01 00:00..05:00 (0..5 C, 50..55 %) */
    CHECK(weather_read(FIX "short.csv", WEATHER_CSV, SERIES_ERROR, BASE, BASE + 8 * H, &w, notice, sizeof notice, err,
                       sizeof err) == -1);
    CHECK_STR(err, FIX "short.csv: no data from 2026-01-01T06:00:00Z to 2026-01-01T08:00:00Z (the data covers "
                       "2026-01-01T00:00:00Z to 2026-01-01T06:00:00Z; gap policy \"error\")");
    CHECK(weather_read(FIX "short.csv", WEATHER_CSV, SERIES_ERROR, BASE - 2 * H, BASE + 3 * H, &w, notice,
                       sizeof notice, err, sizeof err) == -1);
    CHECK_STR(err, FIX "short.csv: no data from 2025-12-31T22:00:00Z to 2026-01-01T00:00:00Z (the data covers "
                       "2026-01-01T00:00:00Z to 2026-01-01T06:00:00Z; gap policy \"error\")");
    CHECK(weather_read(FIX "short.csv", WEATHER_CSV, SERIES_ERROR, BASE + 1800, BASE + 3 * H + 1, &w, notice,
                       sizeof notice, err, sizeof err) == 0);
    CHECK(w.t0 == BASE && w.n == 4 && w.temp_c[3] == 3.0);
    weather_free(&w);
    CHECK(weather_read(FIX "short.csv", WEATHER_CSV, SERIES_HOLD, BASE - 2 * H, BASE + 8 * H, &w, notice,
                       sizeof notice, err, sizeof err) == 0);
    CHECK(w.n == 10 && w.temp_c[0] == 0.0 && w.temp_c[9] == 5.0 && w.rh_pct[9] == 55.0);
    CHECK_STR(notice, FIX "short.csv: gap policy \"hold\": filled 4 of 10 hours (longest run 2 h from "
                          "2025-12-31T22:00:00Z)");
    weather_free(&w);
    CHECK(weather_read(FIX "short.csv", WEATHER_CSV, SERIES_INTERPOLATE, BASE + 24 * H, BASE + 48 * H, &w, notice,
                       sizeof notice, err, sizeof err) == -1);
    CHECK_STR(err, FIX "short.csv: the data covers 2026-01-01T00:00:00Z to 2026-01-01T06:00:00Z, none of "
                       "2026-01-02T00:00:00Z to 2026-01-03T00:00:00Z (gap policy \"interpolate\" fills gaps and ends, "
                       "not a whole period; \"repeat_year\" can reuse a year)");
    int64_t y2027 = iso("2027-01-01T00:00:00Z");
    CHECK(weather_read(FIX "short.csv", WEATHER_CSV, SERIES_REPEAT_YEAR, y2027 + H, y2027 + 3 * H, &w, notice,
                       sizeof notice, err, sizeof err) == 0);
    CHECK(w.t0 == y2027 + H && w.n == 2 && w.temp_c[0] == 1.0 && w.temp_c[1] == 2.0 && w.rh_pct[1] == 52.0);
    CHECK_STR(notice, FIX "short.csv: gap policy \"repeat_year\": 2 of 2 hours taken from the same UTC date and hour "
                          "of 2026");
    weather_free(&w);
    CHECK(weather_read(FIX "short.csv", WEATHER_CSV, SERIES_REPEAT_YEAR, y2027 + 7 * H, y2027 + 9 * H, &w, notice,
                       sizeof notice, err, sizeof err) == -1);
    CHECK_STR(err, FIX "short.csv: no year of the data holds 01-01T07:00Z, needed for 2027-01-01T07:00:00Z (the data "
                       "covers 2026-01-01T00:00:00Z to 2026-01-01T06:00:00Z; gap policy \"repeat_year\")");
}

/* A climate with every term off; tests switch on what they check. */
static weather_climate flat(void)
{
    weather_climate c = {.mean_c = 10.0, .warmest_day = 200, .warmest_hour = 15.0, .rh_mean_pct = 50.0,
                         .noise_tau_h = 10.0};
    return c;
}

void test_weather_synth_equations(void)
{
    weather w;
    char err[600];
    /* daily cycle: 10 +- 5 C peaking at 15:00 UTC; RH 50 -+ 10 % */
    weather_climate c = flat();
    c.daily_amp_c = 5.0;
    c.rh_daily_amp_pct = 10.0;
    CHECK(weather_synth(&c, 1, BASE, BASE + 24 * H, &w, err, sizeof err) == 0);
    CHECK_INT(w.t0, BASE);
    CHECK_INT(w.n, 24);
    CHECK_NEAR(w.temp_c[15], 15.0, 0, 1e-12);
    CHECK_NEAR(w.temp_c[3], 5.0, 0, 1e-12);
    CHECK_NEAR(w.temp_c[9], 10.0, 0, 1e-12);
    CHECK_NEAR(w.rh_pct[15], 40.0, 0, 1e-12);
    CHECK_NEAR(w.rh_pct[3], 60.0, 0, 1e-12);
    weather_free(&w);
    /* the local clock: at UTC+1 the peak is at 14:00 UTC; hours widen */
    c.utc_offset_h = 1.0;
    CHECK(weather_synth(&c, 1, BASE + 1800, BASE + 23 * H + 1, &w, err, sizeof err) == 0);
    CHECK_INT(w.n, 24);
    CHECK_NEAR(w.temp_c[14], 15.0, 0, 1e-12);
    weather_free(&w);
    /* RH is clamped to [5, 100] */
    c.rh_mean_pct = 98.0;
    CHECK(weather_synth(&c, 1, BASE, BASE + 24 * H, &w, err, sizeof err) == 0);
    CHECK(w.rh_pct[2] == 100.0);
    CHECK_NEAR(w.rh_pct[14], 88.0, 0, 1e-12);
    weather_free(&w);
    /* annual cycle: 0 +- 10 C, warmest at noon of day 200 (2000-07-18, the phase origin) */
    c = flat();
    c.mean_c = 0.0;
    c.annual_amp_c = 10.0;
    c.rh_annual_amp_pct = 20.0;
    int64_t peak = iso("2000-07-18T12:00:00Z");
    CHECK(weather_synth(&c, 1, peak, peak + H, &w, err, sizeof err) == 0);
    CHECK_NEAR(w.temp_c[0], 10.0, 0, 1e-9);
    CHECK_NEAR(w.rh_pct[0], 30.0, 0, 1e-9);
    weather_free(&w);
    /* 26 years on, the same day (day 200 = Jul 19 in 2026) is within 0.01 K of it */
    int64_t p2026 = iso("2026-07-19T12:00:00Z");
    CHECK(weather_synth(&c, 1, p2026, p2026 + H, &w, err, sizeof err) == 0);
    CHECK_NEAR(w.temp_c[0], 10.0, 0, 0.01);
    weather_free(&w);
    int64_t cold = iso("2026-01-17T00:00:00Z"); /* half a year before */
    CHECK(weather_synth(&c, 1, cold, cold + H, &w, err, sizeof err) == 0);
    CHECK(w.temp_c[0] < -9.99);
    weather_free(&w);
}

void test_weather_synth_noise(void)
{
    weather_climate c;
    CHECK(weather_preset("temperate", &c) == 0);
    weather_climate clean = c;
    clean.noise_sd_c = 0.0;
    clean.rh_noise_sd_pct = 0.0;
    int64_t y0 = BASE, y1 = iso("2046-01-01T00:00:00Z"); /* 20 years */
    weather a, b, d, e;
    char err[600];
    CHECK(weather_synth(&c, 42, y0, y1, &a, err, sizeof err) == 0);
    CHECK(weather_synth(&c, 42, y0, y1, &b, err, sizeof err) == 0);
    CHECK(weather_synth(&c, 43, y0, y0 + 24 * H, &d, err, sizeof err) == 0);
    CHECK(weather_synth(&clean, 42, y0, y1, &e, err, sizeof err) == 0);
    CHECK(memcmp(a.temp_c, b.temp_c, a.n * sizeof *a.temp_c) == 0);
    CHECK(memcmp(a.rh_pct, b.rh_pct, a.n * sizeof *a.rh_pct) == 0);
    CHECK(memcmp(a.temp_c, d.temp_c, d.n * sizeof *d.temp_c) != 0);
    /* the noise X = T - (T without noise): mean 0, sd noise_sd_c, lag-1
     * correlation exp(-1/tau); RH's residual falls as X rises */
    double sx = 0, sxx = 0, sxy = 0, sxr = 0, mean_t = 0;
    size_t n = a.n;
    for (size_t i = 0; i < n; i++) {
        double x = a.temp_c[i] - e.temp_c[i], r = a.rh_pct[i] - e.rh_pct[i];
        sx += x;
        sxx += x * x;
        sxr += x * r;
        if (i + 1 < n)
            sxy += x * (a.temp_c[i + 1] - e.temp_c[i + 1]);
        mean_t += a.temp_c[i];
        CHECK(a.rh_pct[i] >= 5.0 && a.rh_pct[i] <= 100.0);
    }
    double m = sx / (double)n, var = sxx / (double)n - m * m;
    CHECK_NEAR(m, 0.0, 0, 0.15);
    CHECK_NEAR(sqrt(var), c.noise_sd_c, 0.03, 0);
    CHECK_NEAR(sxy / (double)(n - 1) / var, exp(-1.0 / c.noise_tau_h), 0, 0.003);
    CHECK(sxr < 0);
    CHECK_NEAR(mean_t / (double)n, c.mean_c, 0, 0.15);
    /* common random numbers: the same hours whatever the period (same year) */
    weather p, q;
    int64_t jan15 = iso("2026-01-15T00:00:00Z"), feb1 = iso("2026-02-01T00:00:00Z");
    CHECK(weather_synth(&c, 42, y0, feb1, &p, err, sizeof err) == 0);
    CHECK(weather_synth(&c, 42, jan15, iso("2026-03-01T00:00:00Z"), &q, err, sizeof err) == 0);
    size_t off = (size_t)((jan15 - y0) / H);
    CHECK(memcmp(p.temp_c + off, q.temp_c, (p.n - off) * sizeof *p.temp_c) == 0);
    CHECK(memcmp(p.rh_pct + off, q.rh_pct, (p.n - off) * sizeof *p.rh_pct) == 0);
    CHECK(memcmp(a.temp_c, p.temp_c, p.n * sizeof *p.temp_c) == 0);
    weather_free(&a);
    weather_free(&b);
    weather_free(&d);
    weather_free(&e);
    weather_free(&p);
    weather_free(&q);
}

void test_weather_synth_errors(void)
{
    weather w;
    char err[600];
    weather_climate c = flat();
    c.noise_tau_h = 0.0;
    CHECK(weather_synth(&c, 1, BASE, BASE + H, &w, err, sizeof err) == -1);
    CHECK_STR(err, "climate: noise_tau_h 0 outside [0.1, 10000] h");
    CHECK(w.temp_c == NULL && w.n == 0);
    c = flat();
    c.warmest_day = 0;
    CHECK(weather_climate_check(&c, err, sizeof err) == -1);
    CHECK_STR(err, "climate: warmest_day 0 outside [1, 366] (day of year)");
    c = flat();
    c.rh_mean_pct = 120.0;
    CHECK(weather_climate_check(&c, err, sizeof err) == -1);
    CHECK_STR(err, "climate: rh_mean_pct 120 outside [0, 100] %");
    c = flat();
    c.noise_sd_c = -1.0;
    CHECK(weather_climate_check(&c, err, sizeof err) == -1);
    CHECK_STR(err, "climate: noise_sd_c -1 outside [0, 20] K");
    c = flat();
    c.mean_c = NAN;
    CHECK(weather_climate_check(&c, err, sizeof err) == -1);
    c = flat();
    c.mean_c = 45.0;
    c.annual_amp_c = 20.0;
    c.daily_amp_c = 5.0;
    CHECK(weather_climate_check(&c, err, sizeof err) == -1);
    CHECK_STR(err, "climate: mean_c +- (annual_amp_c + daily_amp_c) spans 20 to 70 C, outside [-90, 60] C");
    c = flat();
    CHECK(weather_synth(&c, 1, BASE, BASE, &w, err, sizeof err) == -1);
    CHECK_STR(err, "climate: empty period 2026-01-01T00:00:00Z to 2026-01-01T00:00:00Z");
    CHECK(weather_synth(&c, 1, BASE, BASE + (int64_t)(SERIES_MAX_HOURS + 1) * H, &w, err, sizeof err) == -1);
    CHECK_STR(err, "climate: the period is longer than 2000000 hours");
}

void test_weather_presets(void)
{
    static const double means[3] = {11.1, 27.3, 2.9};
    char err[600];
    weather_climate c;
    CHECK(weather_preset("tropical", &c) == -1);
    CHECK(weather_preset(NULL, &c) == -1);
    for (int i = 0; weather_preset_names[i]; i++) {
        CHECK(weather_preset(weather_preset_names[i], &c) == 0);
        CHECK_NEAR(c.mean_c, means[i], 0, 1e-12);
        CHECK(weather_climate_check(&c, err, sizeof err) == 0);
        weather w;
        CHECK(weather_synth(&c, 7, BASE, iso("2027-01-01T00:00:00Z"), &w, err, sizeof err) == 0);
        CHECK_INT(w.n, 8760);
        double sum = 0, lo = 1e9, hi = -1e9;
        for (size_t k = 0; k < w.n; k++) {
            sum += w.temp_c[k];
            lo = fmin(lo, w.temp_c[k]);
            hi = fmax(hi, w.temp_c[k]);
            CHECK(w.rh_pct[k] >= 5.0 && w.rh_pct[k] <= 100.0);
        }
        CHECK_NEAR(sum / (double)w.n, c.mean_c, 0, 1.0);
        CHECK(lo > c.mean_c - 45.0 && hi < c.mean_c + 45.0);
        /* July warmer than January except at the equator's small cycle */
        if (c.annual_amp_c > 5.0)
            CHECK(weather_temp_at(&w, iso("2026-07-20T15:00:00Z")) > weather_temp_at(&w, iso("2026-01-20T15:00:00Z")));
        weather_free(&w);
    }
}

void test_weather_wet_bulb(void)
{
    /* Stull (2011)'s worked example: 20 C and 50 % give 13.7 C */
    CHECK_NEAR(weather_wet_bulb_c(20.0, 50.0), 13.7, 0, 0.01);
    /* saturated air: the wet bulb is the dry bulb (capped) */
    CHECK_NEAR(weather_wet_bulb_c(20.0, 100.0), 20.0, 0, 1e-12);
    CHECK_NEAR(weather_wet_bulb_c(30.0, 99.0), 30.0, 0, 0.1);
    /* drier air, lower wet bulb; never above the dry bulb */
    double prev = -100;
    for (double rh = 5; rh <= 100; rh += 5) {
        double tw = weather_wet_bulb_c(30.0, rh);
        CHECK(tw > prev && tw <= 30.0);
        prev = tw;
    }
    CHECK(weather_wet_bulb_c(-20.0, 5.0) <= -20.0);
    CHECK(weather_wet_bulb_c(25.0, 150.0) == weather_wet_bulb_c(25.0, 100.0));
}

/* The Open-Meteo files of ../shared/data/weather (2023, five zones). */
static const struct {
    const char *name;
    int offset_s;       /* utc_offset_seconds in the file */
    double lon;         /* longitude, degrees east */
    double temp0, rh0;  /* the first hour's values */
} real[] = {
    {"DE-LU_2023.json", 3600, 8.653846, 12.9, 71},
    {"SG_2023.json", 28800, 103.862564, 25.2, 86},
    {"US-CAL-CISO_2023.json", -25200, -121.95479, 10.5, 88},
    {"US-MIDA-PJM_2023.json", -14400, -75.1676, 10.9, 98},
    {"US-TEX-ERCO_2023.json", -18000, -96.8215, 16.9, 56},
};

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

void test_weather_real_data(void)
{
    const char *dir = "../shared/data/weather";
    DIR *d = opendir(dir);
    if (!d) {
        printf("skipped: ../shared/data not found\n");
        return;
    }
    char *names[64];
    int nn = 0;
    struct dirent *de;
    while ((de = readdir(d)) && nn < 64) {
        size_t len = strlen(de->d_name);
        if (len > 5 && strcmp(de->d_name + len - 5, ".json") == 0)
            names[nn++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, (size_t)nn, sizeof names[0], cmp_str);
    CHECK(nn >= 1);
    int64_t y0 = iso("2023-01-01T00:00:00Z"), y1 = iso("2024-01-01T00:00:00Z");
    for (int i = 0; i < nn; i++) {
        char path[512], err[700], notice[700], want[800];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        weather w;
        if (weather_read(path, WEATHER_OPEN_METEO_JSON, SERIES_ERROR, 0, 0, &w, notice, sizeof notice, err,
                         sizeof err)) {
            fprintf(stderr, "  %s\n", err);
            CHECK(0);
            continue;
        }
        CHECK_INT(w.n, 8760);
        double sum = 0, prof[24] = {0};
        int bad = 0;
        for (size_t k = 0; k < w.n; k++) {
            bad += !(w.temp_c[k] > -40.0 && w.temp_c[k] < 50.0 && w.rh_pct[k] >= 0.0 && w.rh_pct[k] <= 100.0);
            sum += w.temp_c[k];
            prof[(w.t0 / 3600 + (int64_t)k) % 24] += w.temp_c[k];
        }
        CHECK_INT(bad, 0);
        CHECK(sum / (double)w.n > -5.0 && sum / (double)w.n < 32.0);
        for (size_t k = 0; k < sizeof real / sizeof real[0]; k++) {
            if (strcmp(real[k].name, names[i]) != 0)
                continue;
            /* the first local hour, 2023-01-01T00:00, is UTC 00:00 minus the offset */
            CHECK_INT(w.t0, y0 - real[k].offset_s);
            CHECK(w.temp_c[0] == real[k].temp0 && w.rh_pct[0] == real[k].rh0);
            /* the mean daily maximum falls near the local solar early afternoon
             * (Singapore 11.9 h, the others 14-15 h) */
            int hmax = 0;
            for (int h = 1; h < 24; h++)
                if (prof[h] > prof[hmax])
                    hmax = h;
            double solar = fmod(hmax + real[k].lon / 15.0 + 48.0, 24.0);
            CHECK(solar > 11.0 && solar < 17.0);
            /* the calendar year in UTC: "hold" fills the hours the offset shifted out */
            weather y;
            CHECK(weather_read(path, WEATHER_OPEN_METEO_JSON, SERIES_HOLD, y0, y1, &y, notice, sizeof notice, err,
                               sizeof err) == 0);
            int shift = abs(real[k].offset_s) / 3600;
            char from[32];
            timeutil_format_iso(real[k].offset_s < 0 ? y0 : y1 - shift * H, from, sizeof from);
            snprintf(want, sizeof want, "%s: gap policy \"hold\": filled %d of 8760 hours (longest run %d h from %s)",
                     path, shift, shift, from);
            CHECK_STR(notice, want);
            weather_free(&y);
            /* and 2026 from 2023 by date */
            CHECK(weather_read(path, WEATHER_OPEN_METEO_JSON, SERIES_REPEAT_YEAR, BASE, iso("2027-01-01T00:00:00Z"), &y,
                               notice, sizeof notice, err, sizeof err) == 0);
            CHECK_INT(y.n, 8760);
            CHECK(y.temp_c[4000] == w.temp_c[(size_t)((y0 + 4000 * H - w.t0) / H)]);
            weather_free(&y);
        }
        weather_free(&w);
    }
    for (int i = 0; i < nn; i++)
        free(names[i]);
}
