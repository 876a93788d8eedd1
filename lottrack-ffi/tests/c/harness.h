/* A tiny test harness for the C tests of liblottrack: plain `static bool test_x(void)`
 * functions, CHECK macros that print where and why, and a summary line
 * "N passed, M failed" (the line tests/run.sh adds up). */
#ifndef LOTTRACK_TEST_HARNESS_H
#define LOTTRACK_TEST_HARNESS_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lottrack.h"

static int harness_passed = 0;
static int harness_failed = 0;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "  %s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            return false;                                                              \
        }                                                                              \
    } while (0)

/* The call must return LT_OK. */
#define CHECK_OK(expr)                                                                 \
    do {                                                                               \
        LtStatus check_st_ = (expr);                                                   \
        if (check_st_ != LT_OK) {                                                      \
            fprintf(stderr, "  %s:%d: %s\n    -> %s: %s\n", __FILE__, __LINE__, #expr, \
                    lt_status_name(check_st_), lt_last_error_message());               \
            return false;                                                              \
        }                                                                              \
    } while (0)

/* The call must return `want`, and then have set a non-empty message. */
#define CHECK_STATUS(expr, want)                                                        \
    do {                                                                                \
        LtStatus check_st_ = (expr);                                                    \
        if (check_st_ != (want)) {                                                      \
            fprintf(stderr, "  %s:%d: %s\n    -> %s (wanted %s): %s\n", __FILE__,       \
                    __LINE__, #expr, lt_status_name(check_st_), lt_status_name(want),   \
                    lt_last_error_message());                                           \
            return false;                                                               \
        }                                                                               \
        if ((want) != LT_OK && lt_last_error_message()[0] == '\0') {                    \
            fprintf(stderr, "  %s:%d: %s: empty error message\n", __FILE__, __LINE__,   \
                    #expr);                                                             \
            return false;                                                               \
        }                                                                               \
    } while (0)

/* `haystack` (a string) must contain `needle`. */
#define CHECK_CONTAINS(haystack, needle)                                                \
    do {                                                                                \
        const char *check_h_ = (haystack);                                              \
        if (check_h_ == NULL || strstr(check_h_, (needle)) == NULL) {                   \
            fprintf(stderr, "  %s:%d: expected to find %s in:\n    %s\n", __FILE__,     \
                    __LINE__, #needle, check_h_ ? check_h_ : "(null)");                 \
            return false;                                                               \
        }                                                                               \
    } while (0)

static inline void harness_run(const char *name, bool (*fn)(void)) {
    if (fn()) {
        harness_passed++;
        printf("ok   %s\n", name);
    } else {
        harness_failed++;
        printf("FAIL %s\n", name);
    }
    fflush(stdout);
}

#define RUN(fn) harness_run(#fn, fn)

/* Prints the summary line and gives main's exit code. */
static inline int harness_finish(void) {
    printf("%d passed, %d failed\n", harness_passed, harness_failed);
    return harness_failed == 0 ? 0 : 1;
}

/* Times used throughout the tests. */
#define T1 "2026-03-01T08:00:00+01:00"
#define T2 "2026-03-02T10:00:00+01:00"
#define T3 "2026-03-03T06:00:00+01:00"
#define T4 "2026-03-04T09:00:00+01:00"

/* The design's scenario, recorded with the typed functions:
 * E1 receive 500 kg spinach F-100 at plant-1 from farm-a (PO-1, expiry 2026-03-15),
 * E2 transform 200 kg F-100 into 400 each salad S-1 (expiry 2026-03-09),
 * E3 ship 120 each S-1 to store-12 (BOL B-9).
 * Returns false (and prints why) on failure. */
static inline bool record_scenario(LtTracker *t) {
    LtLotQty spinach = {"spinach", "F-100", "500", "kg"};
    LtLotAttrs attrs = {"2026-03-15", NULL, "A-77", NULL};
    LtDocument po = {"po", "PO-1"};
    CHECK_OK(lt_receive(t, "E1", T1, "plant-1", &spinach, "farm-a", &attrs, &po, 1, NULL, NULL));
    LtLotQty in = {"spinach", "F-100", "200", "kg"};
    LtLotQty out = {"salad", "S-1", "400", "each"};
    LtLotAttrs out_attrs = {"2026-03-09", NULL, NULL, NULL};
    CHECK_OK(lt_transform(t, "E2", T2, "plant-1", &in, 1, &out, 1, &out_attrs, NULL, 0, NULL,
                          NULL));
    LtLotQty ship = {"salad", "S-1", "120", "each"};
    LtDocument bol = {"bol", "B-9"};
    CHECK_OK(lt_ship(t, "E3", T3, "plant-1", &ship, "store-12", &bol, 1, NULL, NULL));
    return true;
}

#endif
