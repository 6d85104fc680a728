/*
 * check.h -- the assertion helpers of the C tests (tests/c/test_*.c).
 *
 * CHECK(cond) stops the test with "file:line: CHECK failed: cond" when cond is false;
 * CHECK_STR(got, want) does the same for two NUL-terminated strings and prints both.
 * A test is a plain main() returning 0; ctest counts a non-zero exit as a failure.
 */
#ifndef PML_TESTS_CHECK_H
#define PML_TESTS_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            exit(1);                                                                 \
        }                                                                            \
    } while (0)

#define CHECK_STR(got, want)                                                         \
    do {                                                                             \
        const char *check_got_ = (got), *check_want_ = (want);                       \
        if (strcmp(check_got_, check_want_) != 0) {                                  \
            fprintf(stderr, "%s:%d: CHECK_STR failed: %s\n  got:  \"%s\"\n  want: \"%s\"\n", \
                    __FILE__, __LINE__, #got, check_got_, check_want_);              \
            exit(1);                                                                 \
        }                                                                            \
    } while (0)

#endif /* PML_TESTS_CHECK_H */
