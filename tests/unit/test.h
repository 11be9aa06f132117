/* A minimal unit-test harness: each tests/unit/<module>/<name>_test.c defines TEST(name)
 * functions and lists them in a TESTS table; main() from test_main.c runs them, prints one line
 * per test and the totals "N passed, N failed" which tests/run adds up. */
#ifndef TESTS_UNIT_TEST_H
#define TESTS_UNIT_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

extern int test_failed_checks;

#define CHECK(cond)                                                                               \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            fprintf(stderr, "    %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);           \
            test_failed_checks++;                                                                 \
        }                                                                                         \
    } while (0)

#define CHECK_INT(a, b)                                                                           \
    do {                                                                                          \
        long long a_ = (long long)(a), b_ = (long long)(b);                                       \
        if (a_ != b_) {                                                                           \
            fprintf(stderr, "    %s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, #a, a_, \
                    b_);                                                                          \
            test_failed_checks++;                                                                 \
        }                                                                                         \
    } while (0)

#define CHECK_STR(a, b)                                                                           \
    do {                                                                                          \
        const char *a_ = (a), *b_ = (b);                                                          \
        if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                                  \
            fprintf(stderr, "    %s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a, \
                    a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                      \
            test_failed_checks++;                                                                 \
        }                                                                                         \
    } while (0)

#define CHECK_NEAR(a, b, eps)                                                                     \
    do {                                                                                          \
        double a_ = (a), b_ = (b);                                                                \
        if (!(fabs(a_ - b_) <= (eps))) {                                                          \
            fprintf(stderr, "    %s:%d: %s == %.9g, expected %.9g ± %g\n", __FILE__, __LINE__,    \
                    #a, a_, b_, (double)(eps));                                                   \
            test_failed_checks++;                                                                 \
        }                                                                                         \
    } while (0)

struct test_case {
    const char *name;
    void (*fn)(void);
};

#define TEST(name) static void name(void)

/* Each test file ends with: TEST_SUITE({"t1", t1}, {"t2", t2}); it becomes one test program. */
extern const struct test_case test_cases[];
#define TEST_SUITE(...) const struct test_case test_cases[] = {__VA_ARGS__, {NULL, NULL}}

#endif
