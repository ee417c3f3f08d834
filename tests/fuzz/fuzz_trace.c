/* fuzz_trace.c - libFuzzer harness of the grid trace reader (grid/trace.c).
 *
 * Input: the bytes of an hourly CSV file; the first byte picks the format
 * (plain or Electricity Maps), the policy and the quantity. The reader must
 * never crash, and must keep its promises (grid/trace.h): on failure -1, a
 * message that starts with the file's path and an empty trace; on success
 * at least one sample, t0 on a whole hour, every value finite and inside the
 * limits, and trace_covers/trace_at consistent with n.
 */
#include <math.h>
#include <string.h>

#include "../../grid/trace.h"
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
    static const double lo[] = {0.0, -1000.0, 0.0}, hi[] = {2000.0, 20000.0, 1.0};
    trace_opts o = {data[0] & 1, (data[0] >> 1) % 3, (data[0] >> 3) & 1, NULL, (data[0] >> 4) % 4, 0, 0};
    if (data[0] & 0x40)
        o.unit = o.quantity == 0 ? "kg/MWh" : o.quantity == 1 ? "USD/kWh" : "%";
    const char *path = fuzz_write(0, "trace.csv", data + 1, size - 1);
    trace tr;
    char err[600], notice[300];
    memset(err, 'x', sizeof err);
    if (trace_read(path, &o, &tr, notice, sizeof notice, err, sizeof err) != 0) {
        fuzz_check_message(err, sizeof err);
        FUZZ_CHECK(strncmp(err, path, strlen(path)) == 0, "a trace error names the file");
        FUZZ_CHECK(tr.n == 0 && tr.v == NULL, "a failed read leaves the trace empty");
        return 0;
    }
    FUZZ_CHECK(tr.n >= 1 && tr.v != NULL, "a trace that reads has samples");
    FUZZ_CHECK(tr.t0 % 3600 == 0, "the first sample is on a whole hour");
    FUZZ_CHECK(tr.dt_s == 3600.0, "samples are hourly");
    for (size_t i = 0; i < tr.n; i++)
        FUZZ_CHECK(isfinite(tr.v[i]) && tr.v[i] >= lo[o.quantity] && tr.v[i] <= hi[o.quantity],
                   "values are inside the limits");
    int64_t end = tr.t0 + (int64_t)tr.n * 3600;
    FUZZ_CHECK(trace_covers(&tr, tr.t0, end), "the trace covers its own hours");
    FUZZ_CHECK(!trace_covers(&tr, tr.t0, end + 1), "the trace covers no more than its hours");
    FUZZ_CHECK(trace_at(&tr, tr.t0) == tr.v[0], "the first hour's value");
    FUZZ_CHECK(trace_at(&tr, end - 1) == tr.v[tr.n - 1], "the last hour's value");
    FUZZ_CHECK(trace_at(&tr, tr.t0 - 3600) == tr.v[0] && trace_at(&tr, end + 3600) == tr.v[tr.n - 1],
               "values outside the hours clamp to the ends");
    trace_free(&tr);
    FUZZ_CHECK(tr.n == 0 && tr.v == NULL, "trace_free empties the trace");
    return 0;
}
