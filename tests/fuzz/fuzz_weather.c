/* fuzz_weather.c - libFuzzer harness of the weather readers (grid/weather.c).
 *
 * Input: one byte choosing the format (Open-Meteo JSON, Open-Meteo CSV, plain
 * CSV) and the gap policy, then the file's bytes. The reader must never
 * crash, and keep its promises (grid/weather.h): on failure -1, a message
 * naming the file and an empty series; on success at least one hour, t0 on a
 * whole hour, every value finite and inside the limits, and the wet bulb
 * never above the dry bulb.
 */
#include <math.h>
#include <string.h>

#include "../../grid/series.h"
#include "../../grid/weather.h"
#include "fuzzutil.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_dir();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int format = data[0] % 3, policy = (data[0] >> 2) % 4;
    const char *path = fuzz_write(0, "weather.in", data + 1, size - 1);
    weather w;
    char err[1024], notice[512];
    memset(err, 'x', sizeof err);
    if (weather_read(path, format, policy, 0, 0, &w, notice, sizeof notice, err, sizeof err) != 0) {
        fuzz_check_message(err, sizeof err);
        FUZZ_CHECK(strncmp(err, path, strlen(path)) == 0, "a weather error names the file");
        FUZZ_CHECK(w.n == 0 && w.temp_c == NULL && w.rh_pct == NULL, "a failed read leaves the series empty");
        return 0;
    }
    FUZZ_CHECK(w.n >= 1 && w.temp_c && w.rh_pct, "a series that reads has hours");
    FUZZ_CHECK(w.t0 % 3600 == 0, "the first hour is a whole UTC hour");
    for (size_t i = 0; i < w.n; i++) {
        FUZZ_CHECK(isfinite(w.temp_c[i]) && w.temp_c[i] >= WEATHER_TEMP_MIN_C && w.temp_c[i] <= WEATHER_TEMP_MAX_C,
                   "temperatures are inside the limits");
        FUZZ_CHECK(isfinite(w.rh_pct[i]) && w.rh_pct[i] >= WEATHER_RH_MIN_PCT && w.rh_pct[i] <= WEATHER_RH_MAX_PCT,
                   "humidities are inside the limits");
        FUZZ_CHECK(weather_wet_bulb_c(w.temp_c[i], w.rh_pct[i]) <= w.temp_c[i] + 1e-9, "wet bulb <= dry bulb");
    }
    FUZZ_CHECK(weather_temp_at(&w, w.t0) == w.temp_c[0], "the first hour's value");
    weather_free(&w);
    FUZZ_CHECK(w.n == 0 && w.temp_c == NULL, "weather_free empties the series");
    return 0;
}
