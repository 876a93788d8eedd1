/* The cost of recording through the typed C functions versus lt_record_json, for
 * the same events, into memory trackers. Not part of the test run.
 *
 *   cargo build --release -p lottrack-ffi
 *   cc -std=c11 -O2 -Iinclude lottrack-ffi/tests/bench_record.c -Ltarget/release -llottrack \
 *      -Wl,-rpath,"$PWD/target/release" -o /tmp/bench_record && /tmp/bench_record [N]
 *
 * N (default 200000) receipts of distinct lots, then N shipments of 1 kg from one
 * lot, each way; both ways format their ids with snprintf, as a client would. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lottrack.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(const char *what, LtStatus st) {
    fprintf(stderr, "%s: %s: %s\n", what, lt_status_name(st), lt_last_error_message());
    return 1;
}

#define TIME "2026-03-01T08:00:00+01:00"

static int receive_typed(LtTracker *t, long n, double *secs) {
    char id[32], lot[32];
    double t0 = now();
    for (long i = 0; i < n; i++) {
        snprintf(id, sizeof id, "R%ld", i);
        snprintf(lot, sizeof lot, "L%ld", i);
        LtLotQty q = {"spinach", lot, "500", "kg"};
        LtStatus st = lt_receive(t, id, TIME, "plant-1", &q, "farm-a", NULL, NULL, 0, NULL, NULL);
        if (st != LT_OK) {
            return fail("lt_receive", st);
        }
    }
    *secs = now() - t0;
    return 0;
}

static int receive_json(LtTracker *t, long n, double *secs) {
    char json[512];
    double t0 = now();
    for (long i = 0; i < n; i++) {
        snprintf(json, sizeof json,
                 "{\"event_id\":\"R%ld\",\"kind\":\"receive\",\"time\":\"" TIME "\","
                 "\"location\":\"plant-1\",\"product\":\"spinach\",\"lot\":\"L%ld\","
                 "\"quantity\":\"500\",\"uom\":\"kg\",\"supplier\":\"farm-a\"}",
                 i, i);
        LtStatus st = lt_record_json(t, json);
        if (st != LT_OK) {
            return fail("lt_record_json", st);
        }
    }
    *secs = now() - t0;
    return 0;
}

static int ship_typed(LtTracker *t, long n, double *secs) {
    char id[32];
    double t0 = now();
    for (long i = 0; i < n; i++) {
        snprintf(id, sizeof id, "S%ld", i);
        LtLotQty q = {"spinach", "BIG", "1", "kg"};
        LtStatus st = lt_ship(t, id, TIME, "plant-1", &q, "store-12", NULL, 0, NULL, NULL);
        if (st != LT_OK) {
            return fail("lt_ship", st);
        }
    }
    *secs = now() - t0;
    return 0;
}

static int ship_json(LtTracker *t, long n, double *secs) {
    char json[512];
    double t0 = now();
    for (long i = 0; i < n; i++) {
        snprintf(json, sizeof json,
                 "{\"event_id\":\"S%ld\",\"kind\":\"ship\",\"time\":\"" TIME "\","
                 "\"location\":\"plant-1\",\"product\":\"spinach\",\"lot\":\"BIG\","
                 "\"quantity\":\"1\",\"uom\":\"kg\",\"customer\":\"store-12\"}",
                 i);
        LtStatus st = lt_record_json(t, json);
        if (st != LT_OK) {
            return fail("lt_record_json", st);
        }
    }
    *secs = now() - t0;
    return 0;
}

typedef int (*Run)(LtTracker *, long, double *);

static int measure(const char *label, Run run, long n, bool with_stock) {
    LtTracker *t = NULL;
    LtStatus st = lt_tracker_new_memory(&t);
    if (st != LT_OK) {
        return fail("lt_tracker_new_memory", st);
    }
    if (with_stock) {
        LtLotQty big = {"spinach", "BIG", "100000000", "kg"};
        st = lt_receive(t, "BIG", TIME, "plant-1", &big, NULL, NULL, NULL, 0, NULL, NULL);
        if (st != LT_OK) {
            return fail("lt_receive", st);
        }
    }
    double secs = 0;
    int rc = run(t, n, &secs);
    lt_tracker_free(t);
    if (rc == 0) {
        printf("%-28s %8ld events  %7.3f s  %10.0f events/s  %6.2f us/event\n", label, n, secs,
               (double)n / secs, secs * 1e6 / (double)n);
    }
    return rc;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 200000;
    if (n <= 0) {
        fprintf(stderr, "usage: %s [events]\n", argv[0]);
        return 2;
    }
    printf("liblottrack %s, memory tracker\n", lt_version());
    int rc = 0;
    for (int round = 0; round < 2 && rc == 0; round++) {
        rc |= measure("receive, typed lt_receive", receive_typed, n, false);
        rc |= measure("receive, lt_record_json", receive_json, n, false);
        rc |= measure("ship, typed lt_ship", ship_typed, n, true);
        rc |= measure("ship, lt_record_json", ship_json, n, true);
    }
    return rc;
}
