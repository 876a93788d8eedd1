/* One tracker shared by five threads: four query at once (traces through the
 * handle and as JSON, recall, mass balance, errors with thread-local messages)
 * while a fifth records. */
#include <pthread.h>
#include <stdatomic.h>

#include "harness.h"

#define READERS 4
#define WRITES 100       /* receive + transform pairs */
#define MIN_ROUNDS 40    /* each reader queries at least this often */

static LtTracker *shared;
static atomic_bool writer_done;

typedef struct {
    int id;
    int rounds;
    bool ok;
} Reader;

static bool reader_round(Reader *r) {
    LtTrace *tr = NULL;
    CHECK_OK(lt_trace_forward(shared, "spinach", "F-100", &tr));
    CHECK(lt_trace_len(tr) == 1);
    const char *product, *lot;
    uint32_t depth;
    CHECK_OK(lt_trace_lot(tr, 0, &product, &lot, &depth));
    CHECK(strcmp(product, "salad") == 0 && strcmp(lot, "S-1") == 0 && depth == 1);
    lt_trace_free(tr);

    char *json = NULL;
    CHECK_OK(lt_trace_backward_json(shared, "salad", "S-1", &json));
    CHECK_CONTAINS(json, "\"supplier\":\"farm-a\"");
    lt_string_free(json);
    CHECK_OK(lt_recall_json(shared, "[{\"product\":\"spinach\",\"lot\":\"F-100\"}]", &json));
    CHECK_CONTAINS(json, "\"customer\":\"store-12\"");
    lt_string_free(json);
    CHECK_OK(lt_mass_balance_json(shared, "spinach", "F-100", &json));
    CHECK_CONTAINS(json, "\"on_hand\":\"300\"");
    lt_string_free(json);
    CHECK(lt_last_error_message()[0] == '\0');

    /* an error whose message only this thread sees */
    char lot_name[32];
    snprintf(lot_name, sizeof lot_name, "NOPE-%d-%d", r->id, r->rounds);
    CHECK_STATUS(lt_mass_balance_json(shared, "spinach", lot_name, &json), LT_ERR_UNKNOWN_LOT);
    CHECK_CONTAINS(lt_last_error_message(), lot_name);

    /* a lot the writer may or may not have created yet */
    char recent[32];
    snprintf(recent, sizeof recent, "R-%d", (r->rounds * 7) % WRITES);
    LtStatus st = lt_trace_forward(shared, "spinach", recent, &tr);
    CHECK(st == LT_OK || st == LT_ERR_UNKNOWN_LOT);
    if (st == LT_OK) {
        CHECK(lt_trace_len(tr) <= 1);
        lt_trace_free(tr);
    }
    return true;
}

static void *reader_main(void *arg) {
    Reader *r = arg;
    r->ok = true;
    uint64_t last_count = 0;
    while (r->rounds < MIN_ROUNDS || !atomic_load(&writer_done)) {
        uint64_t n = 0;
        if (!reader_round(r) || lt_event_count(shared, &n) != LT_OK || n < last_count) {
            r->ok = false;
            break;
        }
        last_count = n;
        r->rounds++;
    }
    return NULL;
}

static bool writer_run(void) {
    char lot[32], out_lot[32];
    for (int i = 0; i < WRITES; i++) {
        snprintf(lot, sizeof lot, "R-%d", i);
        snprintf(out_lot, sizeof out_lot, "X-%d", i);
        LtLotQty in = {"spinach", lot, "10", "kg"};
        CHECK_OK(lt_receive(shared, NULL, T1, "plant-2", &in, "farm-b", NULL, NULL, 0, NULL, NULL));
        LtLotQty use = {"spinach", lot, "5", "kg"};
        LtLotQty made = {"salad", out_lot, "10", "each"};
        CHECK_OK(lt_transform(shared, NULL, T2, "plant-2", &use, 1, &made, 1, NULL, NULL, 0, NULL,
                              NULL));
    }
    return true;
}

static void *writer_main(void *arg) {
    bool *ok = arg;
    *ok = writer_run();
    atomic_store(&writer_done, true);
    return NULL;
}

static bool test_four_readers_one_writer(void) {
    CHECK_OK(lt_tracker_new_memory(&shared));
    CHECK(record_scenario(shared));
    atomic_store(&writer_done, false);
    pthread_t readers[READERS], writer;
    Reader state[READERS];
    bool writer_ok = false;
    for (int i = 0; i < READERS; i++) {
        state[i] = (Reader){i, 0, false};
        CHECK(pthread_create(&readers[i], NULL, reader_main, &state[i]) == 0);
    }
    CHECK(pthread_create(&writer, NULL, writer_main, &writer_ok) == 0);
    CHECK(pthread_join(writer, NULL) == 0);
    for (int i = 0; i < READERS; i++) {
        CHECK(pthread_join(readers[i], NULL) == 0);
    }
    CHECK(writer_ok);
    for (int i = 0; i < READERS; i++) {
        CHECK(state[i].ok);
        CHECK(state[i].rounds >= MIN_ROUNDS);
    }
    uint64_t n = 0;
    CHECK_OK(lt_event_count(shared, &n));
    CHECK(n == 3 + 2 * WRITES);
    LtTrace *tr = NULL;
    CHECK_OK(lt_trace_forward(shared, "spinach", "R-42", &tr));
    CHECK(lt_trace_len(tr) == 1);
    const char *product, *lot;
    uint32_t depth;
    CHECK_OK(lt_trace_lot(tr, 0, &product, &lot, &depth));
    CHECK(strcmp(lot, "X-42") == 0);
    lt_trace_free(tr);
    lt_tracker_free(shared);
    shared = NULL;
    return true;
}

/* Several threads recording at once: writes serialize, none is lost. */
static void *recorder_main(void *arg) {
    int id = *(int *)arg;
    char lot[32];
    for (int i = 0; i < 50; i++) {
        snprintf(lot, sizeof lot, "T%d-%d", id, i);
        LtLotQty q = {"rice", lot, "1", "kg"};
        if (lt_receive(shared, NULL, T1, "w", &q, NULL, NULL, NULL, 0, NULL, NULL) != LT_OK) {
            *(int *)arg = -1;
            return NULL;
        }
    }
    return NULL;
}

static bool test_concurrent_writers(void) {
    CHECK_OK(lt_tracker_new_memory(&shared));
    pthread_t th[4];
    int ids[4] = {0, 1, 2, 3};
    for (int i = 0; i < 4; i++) {
        CHECK(pthread_create(&th[i], NULL, recorder_main, &ids[i]) == 0);
    }
    for (int i = 0; i < 4; i++) {
        CHECK(pthread_join(th[i], NULL) == 0);
        CHECK(ids[i] == i);
    }
    uint64_t n = 0, seq = 0;
    CHECK_OK(lt_event_count(shared, &n));
    CHECK_OK(lt_last_seq(shared, &seq));
    CHECK(n == 200 && seq == 200);
    lt_tracker_free(shared);
    shared = NULL;
    return true;
}

/* One trace read by two threads at once: the first lt_trace_lot of each may
 * race to resolve the names; both see the same lots (and the same strings). */
#define SHARED_CHAIN 200
static LtTrace *shared_trace;

static void *trace_reader_main(void *arg) {
    bool *ok = arg;
    *ok = true;
    if (lt_trace_len(shared_trace) != SHARED_CHAIN) {
        *ok = false;
        return NULL;
    }
    char want[16];
    for (size_t i = 0; i < SHARED_CHAIN; i++) {
        const char *product, *lot;
        uint32_t depth;
        snprintf(want, sizeof want, "L%u", (unsigned)i + 1);
        if (lt_trace_lot(shared_trace, i, &product, &lot, &depth) != LT_OK ||
            strcmp(product, "p") != 0 || strcmp(lot, want) != 0 || depth != (uint32_t)i + 1) {
            *ok = false;
            return NULL;
        }
    }
    char *json = NULL;
    if (lt_trace_json(shared_trace, &json) != LT_OK || strstr(json, "\"L200\"") == NULL) {
        *ok = false;
    }
    lt_string_free(json);
    return NULL;
}

static bool test_two_threads_read_one_trace(void) {
    LtTracker *t = NULL;
    CHECK_OK(lt_tracker_new_memory(&t));
    LtLotQty root = {"p", "L0", "1000", "kg"};
    CHECK_OK(lt_receive(t, NULL, T1, "x", &root, NULL, NULL, NULL, 0, NULL, NULL));
    char prev[16], next[16];
    for (int i = 0; i < SHARED_CHAIN; i++) {
        snprintf(prev, sizeof prev, "L%d", i);
        snprintf(next, sizeof next, "L%d", i + 1);
        LtLotQty in = {"p", prev, "1", "kg"};
        LtLotQty out = {"p", next, "1", "kg"};
        CHECK_OK(lt_transform(t, NULL, T2, "x", &in, 1, &out, 1, NULL, NULL, 0, NULL, NULL));
    }
    CHECK_OK(lt_trace_forward(t, "p", "L0", &shared_trace));
    lt_tracker_free(t);
    pthread_t th[2];
    bool ok[2] = {false, false};
    for (int i = 0; i < 2; i++) {
        CHECK(pthread_create(&th[i], NULL, trace_reader_main, &ok[i]) == 0);
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
    }
    const char *p0, *l0, *p1, *l1;
    uint32_t d;
    CHECK_OK(lt_trace_lot(shared_trace, 0, &p0, &l0, &d));
    CHECK_OK(lt_trace_lot(shared_trace, 0, &p1, &l1, &d));
    CHECK(p0 == p1 && l0 == l1);
    lt_trace_free(shared_trace);
    shared_trace = NULL;
    CHECK(ok[0] && ok[1]);
    return true;
}

int main(void) {
    RUN(test_four_readers_one_writer);
    RUN(test_concurrent_writers);
    RUN(test_two_threads_read_one_trace);
    return harness_finish();
}
