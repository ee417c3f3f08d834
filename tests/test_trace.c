/* test_trace.c - the hourly CSV readers (plain and Electricity Maps): units,
 * policies, and every error case with its exact message. */
#include <math.h>

#include "../grid/series.h"
#include "../grid/trace.h"
#include "check.h"
#include "testutil.h"

void test_trace_read(void);
void test_trace_units(void);
void test_trace_electricity_maps(void);
void test_trace_policies(void);
void test_trace_errors(void);
void test_trace_real_files(void);

static const trace_opts PLAIN = {TRACE_PLAIN, TRACE_INTENSITY, TRACE_LCA, NULL, SERIES_ERROR, 0, 0};

void test_trace_read(void)
{
    const char *p = test_write("ok.csv", "timestamp,gco2_per_kwh\n"
                                         "# comment\n"
                                         "2026-01-01T00:00:00Z,400\n"
                                         "2026-01-01T01:00:00Z, 200.5\n"
                                         "2026-01-01T03:00:00+01:00,100\r\n");
    trace tr;
    char err[600];
    CHECK(trace_read(p, &PLAIN, &tr, NULL, 0, err, sizeof err) == 0);
    CHECK_INT(tr.n, 3);
    CHECK_INT(tr.t0, 1767225600);
    CHECK(tr.v[1] == 200.5);
    CHECK(tr.low_carbon == NULL);
    CHECK(trace_at(&tr, 1767225600 + 3599) == 400.0);
    CHECK(trace_at(&tr, 1767225600 + 7200) == 100.0);
    CHECK(trace_covers(&tr, 1767225600, 1767225600 + 3 * 3600));
    CHECK(!trace_covers(&tr, 1767225600, 1767225600 + 3 * 3600 + 1));
    trace_free(&tr);
}

/* kg/kWh and lb/MWh in the header, kg/MWh from the scenario, % for a fraction. */
void test_trace_units(void)
{
    trace tr;
    char err[600];
    const char *p = test_write("kg.csv", "time,intensity_kg_per_kwh\n2026-01-01T00:00:00Z,0.4\n");
    CHECK(trace_read(p, &PLAIN, &tr, NULL, 0, err, sizeof err) == 0 && fabs(tr.v[0] - 400.0) < 1e-12);
    trace_free(&tr);
    p = test_write("lb.csv", "time,lb/MWh\n2026-01-01T00:00:00Z,1000\n");
    CHECK(trace_read(p, &PLAIN, &tr, NULL, 0, err, sizeof err) == 0 && fabs(tr.v[0] - 453.59237) < 1e-9);
    trace_free(&tr);
    p = test_write("nohead.csv", "2026-01-01T00:00:00Z,350\n");
    trace_opts o = PLAIN;
    o.unit = "kg/MWh";
    CHECK(trace_read(p, &o, &tr, NULL, 0, err, sizeof err) == 0 && tr.v[0] == 350.0);
    trace_free(&tr);
    p = test_write("cf.csv", "timestamp,capacity_factor_%\n2026-01-01T00:00:00Z,25\n");
    trace_opts f = {TRACE_PLAIN, TRACE_FRACTION, 0, NULL, SERIES_ERROR, 0, 0};
    CHECK(trace_read(p, &f, &tr, NULL, 0, err, sizeof err) == 0 && fabs(tr.v[0] - 0.25) < 1e-15);
    trace_free(&tr);
    p = test_write("price.csv", "timestamp,usd_per_kwh\n2026-01-01T00:00:00Z,-0.01\n");
    trace_opts pr = {TRACE_PLAIN, TRACE_PRICE, 0, NULL, SERIES_ERROR, 0, 0};
    CHECK(trace_read(p, &pr, &tr, NULL, 0, err, sizeof err) == 0 && fabs(tr.v[0] + 10.0) < 1e-12);
    trace_free(&tr);
    CHECK(trace_unit_factor(TRACE_INTENSITY, "kg / MWh") == 1.0);
    CHECK(trace_unit_factor(TRACE_INTENSITY, "USD/MWh") == 0.0);
}

#define EM_HEAD                                                                                          \
    "Datetime (UTC),Country,Zone Name,Zone Id,Carbon Intensity gCO\xe2\x82\x82" "eq/kWh (direct),"       \
    "Carbon Intensity gCO\xe2\x82\x82" "eq/kWh (LCA),Low Carbon Percentage,Renewable Percentage,Data Source,"  \
    "Data Estimated,Data Estimation Method\n"

void test_trace_electricity_maps(void)
{
    const char *p = test_write("em.csv", EM_HEAD
                               "2023-01-01 00:00:00,USA,PJM,US-MIDA-PJM,299.81,365.01,45.84,7.43,pjm.com,false,\n"
                               "2023-01-01 01:00:00,USA,PJM,US-MIDA-PJM,290.74,353.97,47.75,8.52,pjm.com,false,\n");
    trace tr;
    char err[600];
    trace_opts o = {TRACE_ELECTRICITY_MAPS, TRACE_INTENSITY, TRACE_LCA, NULL, SERIES_ERROR, 0, 0};
    CHECK(trace_read(p, &o, &tr, NULL, 0, err, sizeof err) == 0);
    CHECK_INT(tr.n, 2);
    CHECK_INT(tr.t0, 1672531200); /* 2023-01-01T00:00Z */
    CHECK(tr.v[0] == 365.01 && tr.v[1] == 353.97);
    CHECK(tr.low_carbon && fabs(tr.low_carbon[1] - 0.4775) < 1e-15);
    CHECK(tr.renewable && fabs(tr.renewable[0] - 0.0743) < 1e-15);
    trace_free(&tr);
    o.column = TRACE_DIRECT;
    CHECK(trace_read(p, &o, &tr, NULL, 0, err, sizeof err) == 0 && tr.v[0] == 299.81);
    trace_free(&tr);
}

/* A missing hour under each policy; coverage of a longer period. */
void test_trace_policies(void)
{
    const char *p = test_write("gap2.csv", "timestamp,gco2_per_kwh\n2026-01-01T00:00:00Z,100\n2026-01-01T02:00:00Z,300\n");
    trace tr;
    char err[600], notice[300];
    trace_opts o = PLAIN;
    o.policy = SERIES_INTERPOLATE;
    CHECK(trace_read(p, &o, &tr, notice, sizeof notice, err, sizeof err) == 0 && tr.n == 3 && tr.v[1] == 200.0);
    CHECK(notice[0] != '\0');
    trace_free(&tr);
    o.policy = SERIES_HOLD;
    CHECK(trace_read(p, &o, &tr, notice, sizeof notice, err, sizeof err) == 0 && tr.v[1] == 100.0);
    trace_free(&tr);
    o.policy = SERIES_ERROR;
    CHECK(trace_read(p, &o, &tr, notice, sizeof notice, err, sizeof err) == -1);
    /* the period the run needs must be covered */
    p = test_write("short2.csv", "timestamp,gco2_per_kwh\n2026-01-01T00:00:00Z,100\n2026-01-01T01:00:00Z,300\n");
    o.from = 1767225600;
    o.to = 1767225600 + 4 * 3600;
    CHECK(trace_read(p, &o, &tr, notice, sizeof notice, err, sizeof err) == -1);
    o.policy = SERIES_HOLD;
    CHECK(trace_read(p, &o, &tr, notice, sizeof notice, err, sizeof err) == 0 && tr.n == 4 && tr.v[3] == 300.0);
    trace_free(&tr);
}

/* Each bad file gives this message. */
static void expect_error(const char *name, const char *text, const trace_opts *o, const char *msg)
{
    const char *p = test_write(name, text);
    trace tr;
    char err[600], want[700];
    CHECK(trace_read(p, o, &tr, NULL, 0, err, sizeof err) == -1);
    snprintf(want, sizeof want, "%s:%s", p, msg);
    CHECK_STR(err, want);
    CHECK(tr.v == NULL && tr.n == 0);
}

void test_trace_errors(void)
{
    const trace_opts *o = &PLAIN;
#define H "timestamp,gco2_per_kwh\n"
    expect_error("gap.csv", H "2026-01-01T00:00:00Z,1\n2026-01-01T02:00:00Z,1\n", o,
                 "3: gap: 2026-01-01T02:00:00Z is 2 h after the row before (rows must be hourly)");
    expect_error("dup.csv", H "2026-01-01T00:00:00Z,1\n2026-01-01T00:00:00Z,1\n", o,
                 "3: duplicate timestamp 2026-01-01T00:00:00Z");
    expect_error("unsorted.csv", H "2026-01-01T01:00:00Z,1\n2026-01-01T00:00:00Z,1\n", o,
                 "3: timestamp 2026-01-01T00:00:00Z is earlier than the row before (rows must be sorted)");
    expect_error("nan.csv", H "2026-01-01T00:00:00Z,nan\n", o, "2: column 2: value is NaN");
    expect_error("neg.csv", H "2026-01-01T00:00:00Z,-5\n", o,
                 "2: column 2: carbon intensity (g/kWh) -5 outside [0, 2000]");
    expect_error("kg.csv2", "timestamp,gco2_per_kwh\n2026-01-01T00:00:00Z,400000\n", o,
                 "2: column 2: carbon intensity (g/kWh) 400000 outside [0, 2000]");
    expect_error("word.csv", H "2026-01-01T00:00:00Z,high\n", o, "2: column 2: \"high\" is not a number");
    expect_error("nozone.csv", H "2026-01-01T00:00:00Z,1\n2026-01-01T01:00:00,1\n", o,
                 "3: column 1: \"2026-01-01T01:00:00\": the timestamp needs a zone, \"Z\" for UTC or an offset like +01:00");
    expect_error("cols.csv", H "2026-01-01T00:00:00Z,1,2\n", o, "2: expected 2 columns, got 3");
    expect_error("half.csv", H "2026-01-01T00:30:00Z,1\n", o, "2: timestamp 2026-01-01T00:30:00Z is not on a whole UTC hour");
    expect_error("empty.csv", H, o, "1: no data rows");
    expect_error("nounit.csv", "timestamp,value\n2026-01-01T00:00:00Z,1\n", o,
                 "1: the header \"value\" names no unit of carbon intensity (g/kWh) (e.g. gco2_per_kwh); name it there or in the scenario");
    expect_error("nohead2.csv", "2026-01-01T00:00:00Z,1\n", o,
                 "1: no header naming the unit (e.g. \"timestamp,gco2_per_kwh\"), and the scenario names none");
    trace_opts em = {TRACE_ELECTRICITY_MAPS, TRACE_INTENSITY, TRACE_LCA, NULL, SERIES_ERROR, 0, 0};
    expect_error("notem.csv", H "2026-01-01T00:00:00Z,1\n", &em,
                 "1: not an Electricity Maps export (the header must start with \"Datetime (UTC)\")");
    expect_error("emcols.csv", "Datetime (UTC),Country,Low Carbon Percentage,Renewable Percentage\n", &em,
                 "1: the header lacks \"Carbon Intensity gCO2eq/kWh (LCA)\"");
    expect_error("empct.csv", EM_HEAD "2023-01-01 00:00:00,USA,PJM,US-MIDA-PJM,299.81,365.01,145.84,7.43,pjm.com,false,\n",
                 &em, "2: column 7: a percentage must be in [0, 100]");
    expect_error("emshort.csv", EM_HEAD "2023-01-01 00:00:00,USA,PJM\n", &em, "2: expected 11 columns, got 3");
    trace tr;
    char err[600];
    CHECK(trace_read("/nonexistent/x.csv", o, &tr, NULL, 0, err, sizeof err) == -1);
    CHECK_STR(err, "/nonexistent/x.csv: cannot open: No such file or directory");
    trace_opts bad = PLAIN;
    bad.unit = "furlongs";
    CHECK(trace_read(test_write("u.csv", H "2026-01-01T00:00:00Z,1\n"), &bad, &tr, NULL, 0, err, sizeof err) == -1);
    CHECK(strstr(err, "unknown unit \"furlongs\"") != NULL);
#undef H
}

/* The real Electricity Maps exports in ../shared/data/grid, when present. */
void test_trace_real_files(void)
{
    static const char *const zones[] = {"US-MIDA-PJM", "US-CAL-CISO", "US-TEX-ERCO", "DE-LU", "SG"};
    FILE *probe = fopen("../shared/data/grid/US-MIDA-PJM_2023_hourly.csv", "r");
    if (!probe) {
        printf("     skipped: ../shared/data not found (real Electricity Maps files)\n");
        return;
    }
    fclose(probe);
    for (int z = 0; z < 5; z++) {
        char path[200], err[600];
        snprintf(path, sizeof path, "../shared/data/grid/%s_2023_hourly.csv", zones[z]);
        trace tr;
        trace_opts o = {TRACE_ELECTRICITY_MAPS, TRACE_INTENSITY, TRACE_LCA, NULL, SERIES_ERROR, 0, 0};
        int rc = trace_read(path, &o, &tr, NULL, 0, err, sizeof err);
        if (rc)
            fprintf(stderr, "  %s\n", err);
        CHECK(rc == 0);
        if (rc)
            continue;
        CHECK_INT(tr.n, 8760);
        CHECK_INT(tr.t0, 1672531200);
        double lo = 1e9, hi = -1, sum = 0;
        for (size_t k = 0; k < tr.n; k++) {
            lo = fmin(lo, tr.v[k]);
            hi = fmax(hi, tr.v[k]);
            sum += tr.v[k];
        }
        CHECK(lo >= 0 && hi <= 2000 && sum / 8760 > 20 && sum / 8760 < 1000);
        trace_free(&tr);
    }
}
