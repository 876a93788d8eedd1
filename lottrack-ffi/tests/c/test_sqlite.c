/* The SQLite store from C: open, close, reopen gives the same answers; files that
 * are not lottrack stores; JSON-lines import and export. Files live in a fresh
 * directory under /tmp that is removed at the end. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"

static char dir[64];

static void path_in_dir(char *buf, size_t size, const char *name) {
    snprintf(buf, size, "%s/%s", dir, name);
}

static bool write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        return false;
    }
    bool ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok;
}

static bool have_sqlite3_shell(void) {
    return system("command -v sqlite3 >/dev/null 2>&1") == 0;
}

/* The answers compared across a reopen. */
typedef struct {
    char *trace;
    char *recall;
    char *balance;
    uint64_t events;
} Answers;

static void answers_free(Answers *a) {
    lt_string_free(a->trace);
    lt_string_free(a->recall);
    lt_string_free(a->balance);
}

static bool answers(const LtTracker *t, Answers *a) {
    CHECK_OK(lt_trace_forward_json(t, "spinach", "F-100", &a->trace));
    CHECK_OK(lt_recall_json(t, "[{\"product\":\"spinach\",\"lot\":\"F-100\"}]", &a->recall));
    CHECK_OK(lt_mass_balance_json(t, "salad", "S-1", &a->balance));
    CHECK_OK(lt_event_count(t, &a->events));
    return true;
}

static bool test_open_close_reopen(void) {
    char path[128];
    path_in_dir(path, sizeof path, "plant.lottrack");
    LtTracker *t = NULL;
    CHECK_OK(lt_tracker_open(path, &t));
    uint64_t n = 99;
    CHECK_OK(lt_event_count(t, &n));
    CHECK(n == 0);
    CHECK(record_scenario(t));
    LtLotQty moved = {"salad", "S-1", "30", "each"};
    CHECK_OK(lt_move(t, "E4", T4, &moved, "plant-1", "dc-1", NULL, 0, NULL, NULL));
    CHECK_OK(lt_void(t, "E5", T4, "E4", "incorrect_data", NULL, 0, NULL, NULL));
    Answers before = {0};
    CHECK(answers(t, &before));
    lt_tracker_free(t);

    t = NULL;
    CHECK_OK(lt_tracker_open(path, &t));
    Answers after = {0};
    CHECK(answers(t, &after));
    CHECK(before.events == 5 && after.events == 5);
    CHECK(strcmp(before.trace, after.trace) == 0);
    CHECK(strcmp(before.recall, after.recall) == 0);
    CHECK(strcmp(before.balance, after.balance) == 0);
    CHECK_CONTAINS(after.balance, "\"on_hand\":\"280\"");
    answers_free(&before);
    answers_free(&after);

    /* recording continues the log after a reopen */
    uint64_t seq = 0;
    LtLotQty more = {"salad", "S-1", "10", "each"};
    CHECK_OK(lt_ship(t, "E6", T4, "plant-1", &more, "store-7", NULL, 0, &seq, NULL));
    CHECK(seq == 6);
    CHECK_STATUS(lt_ship(t, "E6", T4, "plant-1", &moved, "store-7", NULL, 0, NULL, NULL),
                 LT_ERR_DUPLICATE_EVENT);
    lt_tracker_free(t);

    CHECK_OK(lt_tracker_open(path, &t));
    CHECK_OK(lt_last_seq(t, &n));
    CHECK(n == 6);
    lt_tracker_free(t);
    return true;
}

static bool test_not_a_store(void) {
    char path[128];
    LtTracker *t = NULL;
    /* a text file, left unchanged */
    path_in_dir(path, sizeof path, "notes.txt");
    CHECK(write_file(path, "shopping list: spinach, salad\n"));
    CHECK_STATUS(lt_tracker_open(path, &t), LT_ERR_NOT_A_STORE);
    CHECK_CONTAINS(lt_last_error_message(), "notes.txt");
    CHECK(t == NULL);
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    char buf[64] = {0};
    size_t got = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    CHECK(got == strlen("shopping list: spinach, salad\n"));
    /* random bytes */
    path_in_dir(path, sizeof path, "garbage.bin");
    CHECK(write_file(path, "\x01\x02\x03\x04 garbage garbage garbage garbage garbage garbage"));
    CHECK_STATUS(lt_tracker_open(path, &t), LT_ERR_NOT_A_STORE);
    /* a directory */
    CHECK_STATUS(lt_tracker_open(dir, &t), LT_ERR_NOT_A_STORE);
    /* another application's SQLite database */
    if (have_sqlite3_shell()) {
        char cmd[256];
        path_in_dir(path, sizeof path, "erp.db");
        snprintf(cmd, sizeof cmd, "sqlite3 '%s' 'CREATE TABLE customers(id INTEGER);'", path);
        CHECK(system(cmd) == 0);
        CHECK_STATUS(lt_tracker_open(path, &t), LT_ERR_NOT_A_STORE);
    } else {
        printf("note: sqlite3 shell not found; foreign-database case skipped\n");
    }
    CHECK(t == NULL);
    return true;
}

static bool test_storage_error(void) {
    char path[128];
    LtTracker *t = NULL;
    path_in_dir(path, sizeof path, "missing-dir/x.lottrack");
    CHECK_STATUS(lt_tracker_open(path, &t), LT_ERR_STORAGE);
    CHECK_CONTAINS(lt_last_error_message(), "missing-dir");
    /* a path through a regular file */
    char file[128];
    path_in_dir(file, sizeof file, "plain");
    CHECK(write_file(file, "x"));
    path_in_dir(path, sizeof path, "plain/x.lottrack");
    CHECK_STATUS(lt_tracker_open(path, &t), LT_ERR_STORAGE);
    CHECK(t == NULL);
    return true;
}

static bool test_schema_too_new(void) {
    if (!have_sqlite3_shell()) {
        printf("note: sqlite3 shell not found; LT_ERR_SCHEMA_TOO_NEW not provoked\n");
        return true;
    }
    char path[128], cmd[320];
    path_in_dir(path, sizeof path, "future.lottrack");
    LtTracker *t = NULL;
    CHECK_OK(lt_tracker_open(path, &t));
    CHECK(record_scenario(t));
    lt_tracker_free(t);
    snprintf(cmd, sizeof cmd,
             "sqlite3 '%s' \"UPDATE lottrack_meta SET value = 99 WHERE key = 'schema_version';\"",
             path);
    CHECK(system(cmd) == 0);
    t = NULL;
    CHECK_STATUS(lt_tracker_open(path, &t), LT_ERR_SCHEMA_TOO_NEW);
    CHECK_CONTAINS(lt_last_error_message(), "99");
    CHECK(t == NULL);
    return true;
}

/* Two trackers on one file: the second appends after the first without having
 * seen its event. With no retries allowed that is LT_ERR_CONFLICT; with the
 * default retries it catches up, validates again and succeeds. */
static bool test_conflict(void) {
    char path[128];
    path_in_dir(path, sizeof path, "shared.lottrack");
    LtTrackerOptions no_retry = lt_tracker_options_default();
    CHECK(!no_retry.lenient && no_retry.max_conflict_retries == 16);
    no_retry.max_conflict_retries = 0;
    LtTracker *a = NULL, *b = NULL, *c = NULL;
    CHECK_OK(lt_tracker_open_with(path, &no_retry, &a));
    CHECK_OK(lt_tracker_open_with(path, &no_retry, &b));
    CHECK_OK(lt_tracker_open_with(path, NULL, &c));
    LtLotQty qa = {"rice", "A", "5", "kg"};
    LtLotQty qb = {"rice", "B", "5", "kg"};
    CHECK_OK(lt_receive(a, "EA", T1, "w", &qa, NULL, NULL, NULL, 0, NULL, NULL));
    CHECK_STATUS(lt_receive(b, "EB", T1, "w", &qb, NULL, NULL, NULL, 0, NULL, NULL),
                 LT_ERR_CONFLICT);
    uint64_t seq = 0;
    CHECK_OK(lt_receive(c, "EC", T1, "w", &qb, NULL, NULL, NULL, 0, &seq, NULL));
    CHECK(seq == 2);
    /* a stale tracker sees the others' events after lt_sync */
    char *json = NULL;
    CHECK_STATUS(lt_mass_balance_json(b, "rice", "B", &json), LT_ERR_UNKNOWN_PRODUCT);
    uint64_t fresh = 0;
    CHECK_OK(lt_sync(b, &fresh));
    CHECK(fresh == 2);
    CHECK_OK(lt_mass_balance_json(b, "rice", "B", &json));
    CHECK_CONTAINS(json, "\"on_hand\":\"5\"");
    lt_string_free(json);
    CHECK_OK(lt_sync(b, NULL));
    lt_tracker_free(a);
    lt_tracker_free(b);
    lt_tracker_free(c);
    CHECK_OK(lt_tracker_open(path, &a));
    uint64_t n = 0;
    CHECK_OK(lt_event_count(a, &n));
    CHECK(n == 2);
    lt_tracker_free(a);
    return true;
}

static bool test_jsonl_export_import(void) {
    char file[128], db[128];
    path_in_dir(file, sizeof file, "log.jsonl");
    path_in_dir(db, sizeof db, "imported.lottrack");
    LtTracker *mem = NULL;
    CHECK_OK(lt_tracker_new_memory(&mem));
    CHECK(record_scenario(mem));
    CHECK_OK(lt_void(mem, "V1", T4, "E3", NULL, NULL, 0, NULL, NULL));
    uint64_t written = 0;
    CHECK_OK(lt_export_jsonl(mem, file, &written));
    CHECK(written == 4);
    Answers a = {0};
    CHECK(answers(mem, &a));
    lt_tracker_free(mem);

    LtTracker *t = NULL;
    CHECK_OK(lt_tracker_open(db, &t));
    LtImportSummary s = {0, 0, 0};
    CHECK_OK(lt_import_jsonl(t, file, &s));
    CHECK(s.lines == 4 && s.recorded == 4 && s.duplicates == 0);
    CHECK_OK(lt_import_jsonl(t, file, &s)); /* again: idempotent */
    CHECK(s.lines == 4 && s.recorded == 0 && s.duplicates == 4);
    CHECK_OK(lt_import_jsonl(t, file, NULL));
    Answers b = {0};
    CHECK(answers(t, &b));
    CHECK(strcmp(a.trace, b.trace) == 0);
    CHECK(strcmp(a.recall, b.recall) == 0);
    CHECK(strcmp(a.balance, b.balance) == 0);
    answers_free(&a);
    answers_free(&b);

    /* a missing file, and a file with a bad line */
    char missing[128], bad[128];
    path_in_dir(missing, sizeof missing, "nope.jsonl");
    CHECK_STATUS(lt_import_jsonl(t, missing, &s), LT_ERR_STORAGE);
    CHECK_CONTAINS(lt_last_error_message(), "nope.jsonl");
    path_in_dir(bad, sizeof bad, "bad.jsonl");
    CHECK(write_file(bad, "\n{\"event_id\":\"N1\",\"kind\":\"receive\",\"time\":\"" T1
                          "\",\"location\":\"a\",\"product\":\"p\",\"lot\":\"l\","
                          "\"quantity\":\"1\",\"uom\":\"kg\"}\n{broken\n"));
    CHECK_STATUS(lt_import_jsonl(t, bad, &s), LT_ERR_MALFORMED_JSON);
    CHECK_CONTAINS(lt_last_error_message(), "line 3");
    CHECK(s.lines == 4); /* untouched */
    const char *outside = "/nonexistent-lottrack-dir/out.jsonl";
    CHECK_STATUS(lt_export_jsonl(t, outside, NULL), LT_ERR_STORAGE);
    lt_tracker_free(t);
    return true;
}

static bool test_epcis_export_import(void) {
    char file[128];
    path_in_dir(file, sizeof file, "events.epcis.json");
    LtTracker *t = NULL;
    CHECK_OK(lt_tracker_new_memory(&t));
    CHECK(record_scenario(t));
    uint64_t n = 0;
    CHECK_OK(lt_export_epcis(t, file, &n));
    CHECK(n >= 3);
    lt_tracker_free(t);

    CHECK_OK(lt_tracker_new_memory(&t));
    char *summary = NULL;
    CHECK_OK(lt_import_epcis(t, file, &summary));
    CHECK_CONTAINS(summary, "\"imported\":");
    lt_string_free(summary);
    char *json = NULL;
    CHECK_OK(lt_mass_balance_json(t, "spinach", "F-100", &json));
    CHECK_CONTAINS(json, "\"on_hand\":\"300\"");
    lt_string_free(json);
    CHECK_OK(lt_trace_forward_json(t, "spinach", "F-100", &json));
    CHECK_CONTAINS(json, "\"customer\":\"store-12\"");
    lt_string_free(json);
    CHECK_OK(lt_import_epcis(t, file, NULL)); /* again: duplicates are skipped */
    char missing[128];
    path_in_dir(missing, sizeof missing, "none.json");
    CHECK_STATUS(lt_import_epcis(t, missing, NULL), LT_ERR_STORAGE);
    CHECK_STATUS(lt_export_epcis(t, "/nonexistent-lottrack-dir/x.json", NULL), LT_ERR_STORAGE);
    char notes[128];
    path_in_dir(notes, sizeof notes, "notes.txt");
    CHECK_STATUS(lt_import_epcis(t, notes, NULL), LT_ERR_MALFORMED_JSON);
    lt_tracker_free(t);
    return true;
}

/* A checkpoint written beside the store is loaded by the next open, which then
 * replays only the events after it; a damaged one is ignored, with the reason. */
static bool test_checkpoint(void) {
    char path[128], cp[160];
    path_in_dir(path, sizeof path, "checkpointed.lottrack");
    snprintf(cp, sizeof cp, "%s.checkpoint", path);
    LtTracker *t = NULL;
    CHECK_OK(lt_tracker_open(path, &t));
    CHECK(record_scenario(t));
    char *json = NULL;
    CHECK_OK(lt_write_checkpoint(t, &json));
    CHECK_CONTAINS(json, "\"seq\":3");
    CHECK_CONTAINS(json, "checkpointed.lottrack.checkpoint");
    lt_string_free(json);
    CHECK_OK(lt_write_checkpoint(t, NULL));
    LtLotQty more = {"salad", "S-1", "10", "each"};
    CHECK_OK(lt_ship(t, "E6", T4, "plant-1", &more, "store-7", NULL, 0, NULL, NULL));
    Answers before = {0};
    CHECK(answers(t, &before));
    lt_tracker_free(t);

    t = NULL;
    CHECK_OK(lt_tracker_open(path, &t));
    CHECK_OK(lt_open_info_json(t, &json));
    CHECK_CONTAINS(json, "\"checkpoint_seq\":3");
    CHECK_CONTAINS(json, "\"replayed\":1");
    lt_string_free(json);
    Answers after = {0};
    CHECK(answers(t, &after));
    CHECK(before.events == after.events);
    CHECK(strcmp(before.trace, after.trace) == 0);
    CHECK(strcmp(before.recall, after.recall) == 0);
    CHECK(strcmp(before.balance, after.balance) == 0);
    answers_free(&after);
    lt_tracker_free(t);

    /* damaged: ignored, the whole log replayed, the reason given */
    CHECK(write_file(cp, "not a checkpoint"));
    t = NULL;
    CHECK_OK(lt_tracker_open(path, &t));
    CHECK_OK(lt_open_info_json(t, &json));
    CHECK_CONTAINS(json, "\"checkpoint_seq\":null");
    CHECK_CONTAINS(json, "\"replayed\":4");
    CHECK_CONTAINS(json, "not a lottrack checkpoint");
    lt_string_free(json);
    CHECK(answers(t, &after));
    CHECK(strcmp(before.recall, after.recall) == 0);
    answers_free(&before);
    answers_free(&after);
    lt_tracker_free(t);

    /* an in-memory tracker keeps no checkpoint */
    CHECK_OK(lt_tracker_new_memory(&t));
    CHECK_STATUS(lt_write_checkpoint(t, NULL), LT_ERR_STORAGE);
    CHECK_CONTAINS(lt_last_error_message(), "keeps no checkpoint");
    CHECK_STATUS(lt_open_info_json(t, NULL), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_write_checkpoint(NULL, NULL), LT_ERR_NULL_POINTER);
    lt_tracker_free(t);
    return true;
}

/* `n` receipts of 10 kg and `n` shipments of `kg` each, as one JSON array;
 * shipment `bad` (if below n) takes 11 kg. The caller frees the result. */
static char *batch_json(int n, const char *kg, int bad) {
    size_t size = (size_t)n * 2 * 256 + 8;
    char *buf = malloc(size);
    if (buf == NULL) {
        return NULL;
    }
    size_t at = 0;
    at += (size_t)snprintf(buf + at, size - at, "[");
    for (int i = 0; i < n; i++) {
        at += (size_t)snprintf(buf + at, size - at,
                               "%s{\"event_id\":\"R%d\",\"kind\":\"receive\",\"time\":\"" T1
                               "\",\"location\":\"plant-1\",\"product\":\"rice\",\"lot\":"
                               "\"L%d\",\"quantity\":\"10\",\"uom\":\"kg\"}",
                               i == 0 ? "" : ",", i, i);
    }
    for (int i = 0; i < n; i++) {
        at += (size_t)snprintf(buf + at, size - at,
                               ",{\"event_id\":\"S%d\",\"kind\":\"ship\",\"time\":\"" T2
                               "\",\"location\":\"plant-1\",\"product\":\"rice\",\"lot\":"
                               "\"L%d\",\"quantity\":\"%s\",\"uom\":\"kg\",\"customer\":"
                               "\"store-%d\"}",
                               i, i, i == bad ? "11" : kg, i % 7);
    }
    snprintf(buf + at, size - at, "]");
    return buf;
}

/* A batch of 600 events as one JSON array into a real file: one transaction,
 * all or nothing, the same after a reopen. */
static bool test_record_batch_json(void) {
    char path[128];
    path_in_dir(path, sizeof path, "batch.lottrack");
    LtTracker *t = NULL;
    CHECK_OK(lt_tracker_open(path, &t));

    /* Shipment 123 takes 11 kg of 10: nothing of the batch is recorded. */
    char *bad = batch_json(300, "4", 123);
    CHECK(bad != NULL);
    CHECK_STATUS(lt_record_batch_json(t, bad, NULL), LT_ERR_INSUFFICIENT_STOCK);
    CHECK_CONTAINS(lt_last_error_message(), "S123");
    free(bad);
    uint64_t n = 99;
    CHECK_OK(lt_event_count(t, &n));
    CHECK(n == 0);

    char *good = batch_json(300, "4", -1);
    CHECK(good != NULL);
    char *out = NULL;
    CHECK_OK(lt_record_batch_json(t, good, &out));
    CHECK_CONTAINS(out, "{\"event_id\":\"R0\",\"seq\":1,\"duplicate\":false}");
    CHECK_CONTAINS(out, "{\"event_id\":\"S299\",\"seq\":600,\"duplicate\":false}");
    lt_string_free(out);
    /* The same batch again: every event a duplicate, nothing new. */
    CHECK_OK(lt_record_batch_json(t, good, &out));
    CHECK_CONTAINS(out, "{\"event_id\":\"S299\",\"seq\":600,\"duplicate\":true}");
    lt_string_free(out);
    free(good);

    /* Not an array, an element that is no event, and an event that misses a
     * field: the first is named. */
    CHECK_STATUS(lt_record_batch_json(t, "{\"kind\":\"receive\"}", NULL), LT_ERR_MALFORMED_JSON);
    CHECK_CONTAINS(lt_last_error_message(), "JSON array");
    CHECK_STATUS(lt_record_batch_json(t, "[{\"event_id\":\"X\"}, tru]", NULL), LT_ERR_MISSING_FIELD);
    CHECK_CONTAINS(lt_last_error_message(), "event X");
    CHECK_STATUS(lt_record_batch_json(t, "[[], tru]", NULL), LT_ERR_MALFORMED_JSON);
    CHECK_CONTAINS(lt_last_error_message(), "event 1 of the array");
    CHECK_STATUS(lt_record_batch_json(t, NULL, NULL), LT_ERR_NULL_POINTER);
    CHECK_OK(lt_record_batch_json(t, "[]", &out));
    CHECK(strcmp(out, "[]") == 0);
    lt_string_free(out);
    lt_tracker_free(t);

    t = NULL;
    CHECK_OK(lt_tracker_open(path, &t));
    CHECK_OK(lt_event_count(t, &n));
    CHECK(n == 600);
    char *mb = NULL;
    CHECK_OK(lt_mass_balance_json(t, "rice", "L7", &mb));
    CHECK_CONTAINS(mb, "\"shipped\":\"4\"");
    CHECK_CONTAINS(mb, "\"on_hand\":\"6\"");
    lt_string_free(mb);
    lt_tracker_free(t);
    return true;
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/lottrack-c-XXXXXX");
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 2;
    }
    RUN(test_open_close_reopen);
    RUN(test_not_a_store);
    RUN(test_storage_error);
    RUN(test_schema_too_new);
    RUN(test_conflict);
    RUN(test_jsonl_export_import);
    RUN(test_epcis_export_import);
    RUN(test_checkpoint);
    RUN(test_record_batch_json);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", dir);
    }
    return harness_finish();
}
