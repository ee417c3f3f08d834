/* run_tests.c - the test runner: runs every test in tests/tests.def (or those
 * whose name contains argv[1]), one line each, and closes with
 * "N passed, N failed". Exit status 0 only if nothing failed. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "check.h"

int check_failures;
static char tmpdir[256];

const char *check_tmpdir(void) { return tmpdir; }

#ifndef TESTS_DEF
#define TESTS_DEF "tests.def"
#endif

#define T(name) void name(void);
#include TESTS_DEF
#undef T

static const struct {
    const char *name;
    void (*fn)(void);
} tests[] = {
#define T(name) {#name, name},
#include TESTS_DEF
#undef T
};

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    gsl_set_error_handler_off(); /* as dcsim's main does */
    int passed = 0, failed = 0;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/dcsim-tests-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (filter && !strstr(tests[i].name, filter))
            continue;
        check_failures = 0;
        tests[i].fn();
        if (check_failures) {
            printf("FAIL %s\n", tests[i].name);
            failed++;
        } else {
            printf("ok   %s\n", tests[i].name);
            passed++;
        }
        fflush(stdout);
    }
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    printf("unit: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
