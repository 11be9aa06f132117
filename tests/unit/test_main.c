/* Runs the test_cases table of one test program and prints "N passed, N failed". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

int test_failed_checks;

int main(int argc, char **argv)
{
    int passed = 0, failed = 0;
    const char *only = argc > 1 ? argv[1] : NULL;
    setenv("TZ", "Asia/Shanghai", 1);
    for (const struct test_case *t = test_cases; t->name; t++) {
        if (only && strcmp(only, t->name) != 0)
            continue;
        int before = test_failed_checks;
        t->fn();
        if (test_failed_checks == before) {
            passed++;
            printf("ok   %s\n", t->name);
        } else {
            failed++;
            printf("FAIL %s\n", t->name);
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
