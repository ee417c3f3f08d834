/* test_format.c - tests of analysis/format.c: the four table writers, missing values, escapes. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/format.h"
#include "check.h"

void test_format_writers(void);
void test_format_numbers(void);
void test_format_parse(void);

/* A table of two sites: energy 4.8 and NaN (missing) MWh, and a name with a comma and a pipe. */
static format_table *two_sites(void)
{
    static const char *const head[] = {"site", "energy_mwh", "note"};
    static const char *const units[] = {"", "MWh", ""};
    format_table *t = format_table_new("sites", 3, head, units);
    if (!t)
        return NULL;
    int r = format_table_row(t);
    format_set_str(t, r, 0, "us-east");
    format_set_num(t, r, 1, 4.8);
    format_set_str(t, r, 2, "a,b|c \"q\"");
    r = format_table_row(t);
    format_set_str(t, r, 0, "eu");
    format_set_num(t, r, 1, NAN); /* NaN: missing */
    return t;
}

static char *write_to_string(const format_table *t, format_kind k)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (!out)
        return NULL;
    CHECK_INT(format_table_write(t, k, out), 0);
    fclose(out);
    return buf;
}

void test_format_writers(void)
{
    format_table *t = two_sites();
    CHECK(t != NULL);
    if (!t)
        return;
    char *s = write_to_string(t, FORMAT_TEXT);
    CHECK_STR(s, "sites\n"
                 "site     energy_mwh       note\n"
                 "                MWh           \n"
                 "us-east         4.8  a,b|c \"q\"\n"
                 "eu              n/a        n/a\n");
    free(s);
    s = write_to_string(t, FORMAT_MARKDOWN);
    CHECK_STR(s, "### sites\n\n"
                 "| site | energy_mwh (MWh) | note |\n"
                 "| --- | ---: | --- |\n"
                 "| us-east | 4.8 | a,b\\|c \"q\" |\n"
                 "| eu | n/a | n/a |\n");
    free(s);
    s = write_to_string(t, FORMAT_CSV);
    CHECK_STR(s, "site,energy_mwh,note\n"
                 "us-east,4.7999999999999998,\"a,b|c \"\"q\"\"\"\n"
                 "eu,,\n");
    free(s);
    s = write_to_string(t, FORMAT_JSON);
    CHECK_STR(s, "{\"units\": {\"site\": \"\", \"energy_mwh\": \"MWh\", \"note\": \"\"}, \"rows\": [\n"
                 "  {\"site\": \"us-east\", \"energy_mwh\": 4.7999999999999998, \"note\": \"a,b|c \\\"q\\\"\"},\n"
                 "  {\"site\": \"eu\", \"energy_mwh\": null, \"note\": null}\n"
                 "]}");
    free(s);
    format_table_free(t);
    format_table_free(NULL); /* a no-op */
}

void test_format_numbers(void)
{
    char b[64];
    format_num_human(3994.2810556925615, b, sizeof b);
    CHECK_STR(b, "3994.28");
    format_num_human(44048350.2048, b, sizeof b);
    CHECK_STR(b, "44048350.2");
    format_num_human(19823, b, sizeof b);
    CHECK_STR(b, "19823");
    format_num_human(NAN, b, sizeof b);
    CHECK_STR(b, "n/a");
    format_num_exact(0.1, b, sizeof b);
    CHECK_STR(b, "0.10000000000000001");
    format_num_exact(-3, b, sizeof b);
    CHECK_STR(b, "-3");
    format_num_exact(NAN, b, sizeof b);
    CHECK_STR(b, "");
}

void test_format_parse(void)
{
    format_kind k = FORMAT_TEXT;
    CHECK_INT(format_parse("markdown", &k), 0);
    CHECK_INT(k, FORMAT_MARKDOWN);
    CHECK_INT(format_parse("md", &k), 0);
    CHECK_INT(k, FORMAT_MARKDOWN);
    CHECK_INT(format_parse("json", &k), 0);
    CHECK_INT(k, FORMAT_JSON);
    CHECK_INT(format_parse("csv", &k), 0);
    CHECK_INT(k, FORMAT_CSV);
    CHECK_INT(format_parse("yaml", &k), -1);
    CHECK_INT(format_parse(NULL, &k), -1);
}
