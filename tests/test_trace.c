/* test_trace.c - the hourly CSV reader: good files and every error case. */
#include "../grid/trace.h"
#include "check.h"
#include "testutil.h"

void test_trace_read(void);
void test_trace_errors(void);

static const trace_limits LIM = {0.0, 2000.0, "carbon intensity (g/kWh)"};

void test_trace_read(void)
{
    const char *p = test_write("ok.csv", "timestamp,gco2_per_kwh\n"
                                         "# comment\n"
                                         "2026-01-01T00:00:00Z,400\n"
                                         "2026-01-01T01:00:00Z, 200.5\n"
                                         "2026-01-01T03:00:00+01:00,100\r\n");
    trace tr;
    char err[600];
    CHECK(trace_read_csv(p, &LIM, &tr, err, sizeof err) == 0);
    CHECK_INT(tr.n, 3);
    CHECK_INT(tr.t0, 1767225600);
    CHECK(tr.v[1] == 200.5);
    CHECK(trace_at(&tr, 1767225600 + 3599) == 400.0);
    CHECK(trace_at(&tr, 1767225600 + 7200) == 100.0);
    CHECK(trace_covers(&tr, 1767225600, 1767225600 + 3 * 3600));
    CHECK(!trace_covers(&tr, 1767225600, 1767225600 + 3 * 3600 + 1));
    trace_free(&tr);
}

/* Each bad file gives this message. */
static void expect_error(const char *name, const char *text, const char *msg)
{
    const char *p = test_write(name, text);
    trace tr;
    char err[600], want[700];
    CHECK(trace_read_csv(p, &LIM, &tr, err, sizeof err) == -1);
    snprintf(want, sizeof want, "%s:%s", p, msg);
    CHECK_STR(err, want);
    CHECK(tr.v == NULL && tr.n == 0);
}

void test_trace_errors(void)
{
    expect_error("gap.csv", "2026-01-01T00:00:00Z,1\n2026-01-01T02:00:00Z,1\n",
                 "2: gap: 2026-01-01T02:00:00Z is 2 h after the row before (rows must be hourly)");
    expect_error("dup.csv", "2026-01-01T00:00:00Z,1\n2026-01-01T00:00:00Z,1\n",
                 "2: duplicate timestamp 2026-01-01T00:00:00Z");
    expect_error("unsorted.csv", "2026-01-01T01:00:00Z,1\n2026-01-01T00:00:00Z,1\n",
                 "2: timestamp 2026-01-01T00:00:00Z is earlier than the row before (rows must be sorted)");
    expect_error("nan.csv", "t,v\n2026-01-01T00:00:00Z,nan\n", "2: column 2: value is NaN");
    expect_error("neg.csv", "2026-01-01T00:00:00Z,-5\n",
                 "1: column 2: carbon intensity (g/kWh) -5 outside [0, 2000]");
    expect_error("kg.csv", "2026-01-01T00:00:00Z,400000\n",
                 "1: column 2: carbon intensity (g/kWh) 400000 outside [0, 2000]");
    expect_error("word.csv", "2026-01-01T00:00:00Z,high\n", "1: column 2: \"high\" is not a number");
    expect_error("nozone.csv", "2026-01-01T00:00:00Z,1\n2026-01-01T01:00:00,1\n",
                 "2: column 1: \"2026-01-01T01:00:00\": the timestamp needs a zone, \"Z\" for UTC or an offset like +01:00");
    expect_error("cols.csv", "2026-01-01T00:00:00Z,1,2\n", "1: expected 2 columns \"timestamp,value\", got more");
    expect_error("half.csv", "2026-01-01T00:30:00Z,1\n", "1: timestamp 2026-01-01T00:30:00Z is not on a whole UTC hour");
    expect_error("empty.csv", "timestamp,value\n", "1: no data rows");
    trace tr;
    char err[600];
    CHECK(trace_read_csv("/nonexistent/x.csv", &LIM, &tr, err, sizeof err) == -1);
    CHECK_STR(err, "/nonexistent/x.csv: cannot open: No such file or directory");
}
