/* weather.h - hourly dry-bulb temperature and relative humidity per site:
 * read from Open-Meteo exports (JSON, CSV) or a plain CSV, or synthesised
 * from a few climate parameters; and the wet-bulb temperature.
 *
 * Every series is held in UTC hours. Formats, policies, the synthetic model's
 * equations and the presets' sources: docs/WEATHER.md.
 */
#ifndef DCSIM_WEATHER_H
#define DCSIM_WEATHER_H

#include <stddef.h>
#include <stdint.h>

/* An hourly series: sample i holds the hour [t0 + 3600 i, t0 + 3600 (i+1)). */
typedef struct weather {
    int64_t t0;     /* epoch s of the first hour, UTC, a whole hour */
    size_t n;       /* number of hours */
    double *temp_c; /* [n] dry-bulb temperature at 2 m, C */
    double *rh_pct; /* [n] relative humidity at 2 m, % (0-100) */
} weather;

/* Limits every value read or synthesised is held to. */
#define WEATHER_TEMP_MIN_C (-90.0)
#define WEATHER_TEMP_MAX_C 60.0
#define WEATHER_RH_MIN_PCT 0.0
#define WEATHER_RH_MAX_PCT 100.0

enum { WEATHER_OPEN_METEO_JSON, WEATHER_OPEN_METEO_CSV, WEATHER_CSV };

/* "open-meteo-json", "open-meteo-csv", "csv", NULL: indexed by the enum. */
extern const char *const weather_format_names[];

/* The format's index for its name, or -1. */
int weather_format_from_name(const char *name);

/* Reads path in the given format (WEATHER_*), converts its times to UTC
 * hours, checks every value (finite, temperature in [-90, 60] C, RH in
 * [0, 100] %), and applies the gap policy (SERIES_*, grid/series.h) over
 * [from, to) epoch s (if from >= to: the file's own span). On success fills
 * *w (the caller embeds it and frees it with weather_free) and writes into
 * notice (if not NULL) the message of a policy that filled hours, or "".
 * Returns 0, or -1 with "path:line: reason" in err (JSON: "path: key[index]:
 * reason", and "path:line: ..." for syntax errors) and *w empty. */
int weather_read(const char *path, int format, int policy, int64_t from, int64_t to, weather *w, char *notice,
                 size_t nlen, char *err, size_t errlen);

/* Parameters of the synthetic climate (equations in weather.c and
 * docs/WEATHER.md). */
typedef struct weather_climate {
    double mean_c;            /* annual mean dry-bulb temperature, C */
    double annual_amp_c;      /* amplitude of the annual cycle (half the warmest-coldest difference), K */
    double daily_amp_c;       /* amplitude of the mean daily cycle, K */
    int warmest_day;          /* day of year of the annual maximum, 1 (Jan 1) .. 366 */
    double warmest_hour;      /* local hour of the daily maximum, h, [0, 24) */
    double utc_offset_h;      /* local clock of warmest_hour and of the day: UTC + this, h
                                 (the zone's standard offset, or longitude / 15 for solar time) */
    double rh_mean_pct;       /* annual mean relative humidity, % */
    double rh_annual_amp_pct; /* RH annual amplitude, % (RH lowest on warmest_day) */
    double rh_daily_amp_pct;  /* RH daily amplitude, % (RH lowest at warmest_hour) */
    double rh_per_c;          /* RH change per K of temperature noise, %/K (negative: a warm spell is drier) */
    double rh_noise_sd_pct;   /* standard deviation of RH's own noise, % */
    double noise_sd_c;        /* standard deviation of the temperature noise, K */
    double noise_tau_h;       /* correlation time of both noises, h (> 0) */
} weather_climate;

/* "temperate", "hot-humid", "cold", NULL. */
extern const char *const weather_preset_names[];

/* Copies the named preset into *c. Returns 0, or -1 if the name is unknown. */
int weather_preset(const char *name, weather_climate *c);

/* Checks every parameter of c against its range. Returns 0, or -1 with
 * "climate: <field> <value> outside [lo, hi] <unit>" in err. */
int weather_climate_check(const weather_climate *c, char *err, size_t errlen);

/* Deterministic synthetic hourly weather over [from, to) epoch s (widened to
 * whole hours) from the climate and seed: the same climate, seed and year of
 * `from` give the same value for the same hour, whatever the period (the
 * noise starts on Jan 1 00:00 UTC of that year). Fills *w (free with
 * weather_free). Returns 0, or -1 with err (bad parameter, empty or too long
 * period, out of memory) and *w empty. */
int weather_synth(const weather_climate *c, uint64_t seed, int64_t from, int64_t to, weather *w, char *err,
                  size_t errlen);

/* Releases the arrays; the struct may be reused. weather_free(NULL) is a no-op. */
void weather_free(weather *w);

/* The value of the hour containing epoch second t, clamped to the first and
 * last hour; NAN if w holds no hours. */
double weather_temp_at(const weather *w, int64_t t);
double weather_rh_at(const weather *w, int64_t t);

/* Wet-bulb temperature, C, from dry bulb temp_c (C) and relative humidity
 * rh_pct (%), by Stull (2011), "Wet-Bulb Temperature from Relative Humidity
 * and Air Temperature", J. Appl. Meteor. Climatol. 50, 2267-2269,
 * doi:10.1175/JAMC-D-11-0143.1. Valid for RH 5-99 % and T -20..50 C (except
 * cold and very dry air together), at sea-level pressure; error about
 * -1..+0.65 C (mean absolute error under 0.3 C). Outside that range the
 * formula is still evaluated, with RH clamped to [0, 100], and the result is
 * capped at temp_c (a wet bulb is never warmer than the dry bulb). */
double weather_wet_bulb_c(double temp_c, double rh_pct);

#endif
