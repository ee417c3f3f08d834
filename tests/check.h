/* check.h - the test suite's assertions: each prints both values and the place.
 *
 * A test is a function `void test_xxx(void)` listed in tests/tests.def. An
 * assertion that fails prints file:line, the expression and both values, and
 * marks the current test failed; the test goes on (so one run shows every
 * broken figure). The runner (tests/run_tests.c) prints one line per test and
 * closes with "N passed, N failed".
 */
#ifndef DCSIM_CHECK_H
#define DCSIM_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

extern int check_failures; /* failures in the current test */

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__,         \
                    __LINE__, #cond);                                        \
            check_failures++;                                                \
        }                                                                    \
    } while (0)

#define CHECK_INT(a, b)                                                      \
    do {                                                                     \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);      \
        if (check_a_ != check_b_) {                                          \
            fprintf(stderr, "  %s:%d: %s == %s failed: %lld != %lld\n",      \
                    __FILE__, __LINE__, #a, #b, check_a_, check_b_);         \
            check_failures++;                                                \
        }                                                                    \
    } while (0)

/* |a - b| <= rel * max(|a|, |b|) + abs_tol */
#define CHECK_NEAR(a, b, rel, abs_tol)                                       \
    do {                                                                     \
        double check_a_ = (a), check_b_ = (b);                               \
        double check_m_ = fmax(fabs(check_a_), fabs(check_b_));              \
        if (!(fabs(check_a_ - check_b_) <= (rel) * check_m_ + (abs_tol))) {  \
            fprintf(stderr, "  %s:%d: %s ~= %s failed: %.17g vs %.17g\n",    \
                    __FILE__, __LINE__, #a, #b, check_a_, check_b_);         \
            check_failures++;                                                \
        }                                                                    \
    } while (0)

#define CHECK_STR(a, b)                                                      \
    do {                                                                     \
        const char *check_a_ = (a), *check_b_ = (b);                         \
        if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {    \
            fprintf(stderr, "  %s:%d: %s == %s failed: \"%s\" vs \"%s\"\n",  \
                    __FILE__, __LINE__, #a, #b,                              \
                    check_a_ ? check_a_ : "(null)",                          \
                    check_b_ ? check_b_ : "(null)");                         \
            check_failures++;                                                \
        }                                                                    \
    } while (0)

/* Path of a scratch directory for this test run (made by the runner). */
const char *check_tmpdir(void);

#endif
