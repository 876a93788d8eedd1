/* Every error code provoked, and misuse: NULL tracker, NULL strings, NULL
 * out-parameters, invalid UTF-8, bad JSON, unknown lots, freeing NULL.
 * The store codes (STORAGE, NOT_A_STORE, SCHEMA_TOO_NEW, CONFLICT) are in test_sqlite.c. */
#include "harness.h"

static LtTracker *scenario(void) {
    LtTracker *t = NULL;
    if (lt_tracker_new_memory(&t) != LT_OK || !record_scenario(t)) {
        lt_tracker_free(t);
        return NULL;
    }
    return t;
}

/* Each core error kind from an ordinary mistake, with a message that names it. */
static bool test_engine_error_codes(void) {
    LtTracker *t = scenario();
    CHECK(t != NULL);

    CHECK_STATUS(lt_record_json(t, "{not json"), LT_ERR_MALFORMED_JSON);
    CHECK_STATUS(lt_record_json(t, "[1, 2]"), LT_ERR_MALFORMED_JSON);
    CHECK_STATUS(lt_record_json(t, "{\"event_id\":\"X1\",\"kind\":\"ship\",\"time\":\"" T4 "\"}"),
                 LT_ERR_MISSING_FIELD);
    CHECK_CONTAINS(lt_last_error_message(), "X1");
    CHECK_STATUS(lt_record_json(t, "{\"event_id\":\"X2\",\"kind\":\"teleport\",\"time\":\"" T4 "\"}"),
                 LT_ERR_UNKNOWN_KIND);
    CHECK_CONTAINS(lt_last_error_message(), "teleport");

    LtLotQty q = {"spinach", "F-100", "1", "kg"};
    CHECK_STATUS(lt_ship(t, "X3", "yesterday", "plant-1", &q, "c", NULL, 0, NULL, NULL),
                 LT_ERR_INVALID_TIME);
    CHECK_CONTAINS(lt_last_error_message(), "yesterday");
    CHECK_STATUS(lt_ship(t, "X3", "2026-03-01T08:00:00", "plant-1", &q, "c", NULL, 0, NULL, NULL),
                 LT_ERR_INVALID_TIME); /* no offset */

    LtLotQty junk = {"spinach", "F-100", "a lot", "kg"};
    CHECK_STATUS(lt_ship(t, "X4", T4, "plant-1", &junk, "c", NULL, 0, NULL, NULL),
                 LT_ERR_INVALID_FIELD);
    CHECK_CONTAINS(lt_last_error_message(), "a lot");
    CHECK_CONTAINS(lt_last_error_message(), "event X4: invalid field `item.quantity`");
    LtLotKey s1 = {"salad", "S-1"};
    CHECK_STATUS(lt_set_status(t, "X5", T4, "frozen", &s1, 1, NULL, NULL, 0, NULL, NULL),
                 LT_ERR_INVALID_FIELD);
    LtLotAttrs bad_date = {"15/03/2026", NULL, NULL, NULL};
    LtLotQty fresh = {"kale", "K-1", "5", "kg"};
    CHECK_STATUS(lt_receive(t, "X6", T4, "plant-1", &fresh, NULL, &bad_date, NULL, 0, NULL, NULL),
                 LT_ERR_INVALID_FIELD);
    LtConversion bad_factor = {"case", "-12"};
    CHECK_STATUS(lt_product(t, "X7", T4, "kale", "kg", &bad_factor, 1, NULL, 0, NULL, NULL),
                 LT_ERR_INVALID_FIELD);

    char *out = NULL;
    CHECK_STATUS(lt_trace_forward_json(t, "caviar", "C-1", &out), LT_ERR_UNKNOWN_PRODUCT);
    CHECK_CONTAINS(lt_last_error_message(), "caviar");
    CHECK_STATUS(lt_trace_forward_json(t, "spinach", "F-999", &out), LT_ERR_UNKNOWN_LOT);
    CHECK_CONTAINS(lt_last_error_message(), "F-999");
    CHECK(out == NULL);

    LtLotQty wrong_unit = {"spinach", "F-100", "3", "each"};
    CHECK_STATUS(lt_ship(t, "X8", T4, "plant-1", &wrong_unit, "c", NULL, 0, NULL, NULL),
                 LT_ERR_UNKNOWN_UNIT);
    LtLotQty zero = {"spinach", "F-100", "0", "kg"};
    CHECK_STATUS(lt_ship(t, "X9", T4, "plant-1", &zero, "c", NULL, 0, NULL, NULL),
                 LT_ERR_NON_POSITIVE_QUANTITY);
    LtLotQty too_much = {"spinach", "F-100", "301", "kg"};
    CHECK_STATUS(lt_ship(t, "X10", T4, "plant-1", &too_much, "c", NULL, 0, NULL, NULL),
                 LT_ERR_INSUFFICIENT_STOCK);
    CHECK_CONTAINS(lt_last_error_message(), "301");
    CHECK_CONTAINS(lt_last_error_message(), "300");

    LtLotQty back_in = {"salad", "S-1", "1", "each"};
    LtLotQty back_out = {"spinach", "F-100", "1", "kg"};
    CHECK_STATUS(lt_transform(t, "X11", T4, "plant-1", &back_in, 1, &back_out, 1, NULL, NULL, 0,
                              NULL, NULL),
                 LT_ERR_CYCLE);

    LtLotQty other = {"spinach", "F-100", "499", "kg"};
    CHECK_STATUS(lt_receive(t, "E1", T1, "plant-1", &other, "farm-a", NULL, NULL, 0, NULL, NULL),
                 LT_ERR_DUPLICATE_EVENT);

    CHECK_STATUS(lt_void(t, "X12", T4, "E-NONE", NULL, NULL, 0, NULL, NULL), LT_ERR_UNKNOWN_EVENT);
    CHECK_STATUS(lt_event_json(t, "E-NONE", &out), LT_ERR_UNKNOWN_EVENT);
    CHECK_STATUS(lt_void(t, "X13", T4, "E1", "typo", NULL, 0, NULL, NULL), LT_ERR_VOID_CONFLICT);
    CHECK_CONTAINS(lt_last_error_message(), "E2");

    CHECK_STATUS(lt_ship_container(t, "X14", T4, "plant-1", "SSCC-NONE", "c", NULL, 0, NULL, NULL),
                 LT_ERR_UNKNOWN_CONTAINER);

    CHECK_STATUS(lt_transform(t, "X15", T4, "plant-1", NULL, 0, NULL, 0, NULL, NULL, 0, NULL, NULL),
                 LT_ERR_INVALID_EVENT);
    CHECK_OK(lt_void(t, "V1", T4, "E3", NULL, NULL, 0, NULL, NULL));
    CHECK_STATUS(lt_void(t, "X16", T4, "V1", NULL, NULL, 0, NULL, NULL), LT_ERR_INVALID_EVENT);

    /* exposure through a transform mixing kg and each, with no common unit */
    LtLotQty dressing = {"dressing", "D-1", "10", "each"};
    CHECK_OK(lt_receive(t, "E20", T2, "plant-1", &dressing, NULL, NULL, NULL, 0, NULL, NULL));
    LtLotQty ins[2] = {{"spinach", "F-100", "10", "kg"}, {"dressing", "D-1", "1", "each"}};
    LtLotQty mix = {"mix", "M-1", "11", "kg"};
    CHECK_OK(lt_transform(t, "E21", T3, "plant-1", ins, 2, &mix, 1, NULL, NULL, 0, NULL, NULL));
    CHECK_STATUS(lt_exposure_json(t, "spinach", "F-100", &out), LT_ERR_INCOMPATIBLE_UNITS);

    CHECK(out == NULL);
    /* nothing refused above was recorded: the scenario's 3, V1, E20, E21 */
    uint64_t n = 0;
    CHECK_OK(lt_event_count(t, &n));
    CHECK(n == 6);
    lt_tracker_free(t);
    return true;
}

static bool test_null_tracker(void) {
    char *out = NULL;
    LtLotQty q = {"p", "l", "1", "kg"};
    CHECK_STATUS(lt_record_json(NULL, "{}"), LT_ERR_NULL_POINTER);
    CHECK_CONTAINS(lt_last_error_message(), "tracker");
    CHECK_STATUS(lt_receive(NULL, NULL, T1, "a", &q, NULL, NULL, NULL, 0, NULL, NULL),
                 LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_trace_forward_json(NULL, "p", "l", &out), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_mass_balance_json(NULL, "p", "l", &out), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_recall_json(NULL, "[]", &out), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_recall_csv(NULL, "[]", &out), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_inventory_json(NULL, &out), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_import_jsonl(NULL, "/nonexistent", NULL), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_export_jsonl(NULL, "/tmp/x", NULL), LT_ERR_NULL_POINTER);
    uint64_t n;
    CHECK_STATUS(lt_event_count(NULL, &n), LT_ERR_NULL_POINTER);
    LtTrace *tr = NULL;
    CHECK_STATUS(lt_trace_forward(NULL, "p", "l", &tr), LT_ERR_NULL_POINTER);
    CHECK(out == NULL && tr == NULL);
    return true;
}

static bool test_null_strings(void) {
    LtTracker *t = scenario();
    CHECK(t != NULL);
    char *out = NULL;
    CHECK_STATUS(lt_record_json(t, NULL), LT_ERR_NULL_POINTER);
    CHECK_CONTAINS(lt_last_error_message(), "event_json");
    CHECK_STATUS(lt_trace_forward_json(t, NULL, "F-100", &out), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_trace_backward_json(t, "spinach", NULL, &out), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_recall_json(t, NULL, &out), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_tracker_open(NULL, &t), LT_ERR_NULL_POINTER);

    LtLotQty q = {"spinach", "F-100", "1", "kg"};
    LtLotQty no_lot = {"spinach", NULL, "1", "kg"};
    CHECK_STATUS(lt_ship(t, NULL, NULL, "plant-1", &q, "c", NULL, 0, NULL, NULL),
                 LT_ERR_NULL_POINTER); /* time */
    CHECK_STATUS(lt_ship(t, NULL, T4, NULL, &q, "c", NULL, 0, NULL, NULL),
                 LT_ERR_NULL_POINTER); /* location */
    CHECK_STATUS(lt_ship(t, NULL, T4, "plant-1", NULL, "c", NULL, 0, NULL, NULL),
                 LT_ERR_NULL_POINTER); /* item */
    CHECK_STATUS(lt_ship(t, NULL, T4, "plant-1", &no_lot, "c", NULL, 0, NULL, NULL),
                 LT_ERR_NULL_POINTER);
    CHECK_CONTAINS(lt_last_error_message(), "item.lot");
    CHECK_STATUS(lt_ship(t, NULL, T4, "plant-1", &q, NULL, NULL, 0, NULL, NULL),
                 LT_ERR_NULL_POINTER); /* customer */
    /* an array pointer that is NULL with a non-zero count */
    CHECK_STATUS(lt_transform(t, NULL, T4, "plant-1", NULL, 1, &q, 1, NULL, NULL, 0, NULL, NULL),
                 LT_ERR_NULL_POINTER);
    CHECK_CONTAINS(lt_last_error_message(), "inputs");
    CHECK_STATUS(lt_ship(t, NULL, T4, "plant-1", &q, "c", NULL, 2, NULL, NULL),
                 LT_ERR_NULL_POINTER); /* documents */
    LtDocument half = {"bol", NULL};
    CHECK_STATUS(lt_ship(t, NULL, T4, "plant-1", &q, "c", &half, 1, NULL, NULL),
                 LT_ERR_NULL_POINTER);
    CHECK_CONTAINS(lt_last_error_message(), "documents[0].id");
    LtLotQty ins[2] = {{"spinach", "F-100", "1", "kg"}, {"spinach", "F-100", NULL, "kg"}};
    CHECK_STATUS(lt_transform(t, NULL, T4, "plant-1", ins, 2, &q, 1, NULL, NULL, 0, NULL, NULL),
                 LT_ERR_NULL_POINTER);
    CHECK_CONTAINS(lt_last_error_message(), "inputs[1].quantity");
    CHECK(out == NULL);
    uint64_t n = 0;
    CHECK_OK(lt_event_count(t, &n));
    CHECK(n == 3);
    lt_tracker_free(t);
    return true;
}

static bool test_null_out_params(void) {
    LtTracker *t = scenario();
    CHECK(t != NULL);
    CHECK_STATUS(lt_tracker_new_memory(NULL), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_tracker_open("/tmp/never-created.lottrack", NULL), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_trace_forward_json(t, "spinach", "F-100", NULL), LT_ERR_NULL_POINTER);
    CHECK_CONTAINS(lt_last_error_message(), "out_json");
    CHECK_STATUS(lt_trace_forward(t, "spinach", "F-100", NULL), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_mass_balance_json(t, "spinach", "F-100", NULL), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_recall_json(t, "[]", NULL), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_recall_csv(t, "[]", NULL), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_event_count(t, NULL), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_execute_recall_json(t, "[{\"product\":\"spinach\",\"lot\":\"F-100\"}]", T4,
                                        "R1", NULL),
                 LT_ERR_NULL_POINTER);
    /* the failed execute_recall recorded nothing */
    uint64_t n = 0;
    CHECK_OK(lt_event_count(t, &n));
    CHECK(n == 3);

    LtTrace *tr = NULL;
    CHECK_OK(lt_trace_forward(t, "spinach", "F-100", &tr));
    const char *p = NULL, *l = NULL;
    uint32_t d = 0;
    CHECK_STATUS(lt_trace_lot(tr, 0, NULL, &l, &d), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_trace_lot(tr, 0, &p, NULL, &d), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_trace_lot(tr, 0, &p, &l, NULL), LT_ERR_NULL_POINTER);
    CHECK(p == NULL && l == NULL);
    CHECK_STATUS(lt_trace_lot(NULL, 0, &p, &l, &d), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_trace_json(tr, NULL), LT_ERR_NULL_POINTER);
    char *json = NULL;
    CHECK_STATUS(lt_trace_json(NULL, &json), LT_ERR_NULL_POINTER);
    CHECK(lt_trace_len(NULL) == 0);
    lt_trace_free(tr);
    lt_tracker_free(t);
    return true;
}

static bool test_invalid_utf8(void) {
    LtTracker *t = scenario();
    CHECK(t != NULL);
    const char bad[] = {'s', 'p', (char)0xC3, (char)0x28, 'x', 0}; /* broken 2-byte sequence */
    const char latin1[] = {'c', 'r', (char)0xE8, 'm', 'e', 0};     /* "crème" in Latin-1 */
    char *out = NULL;
    CHECK_STATUS(lt_trace_forward_json(t, bad, "F-100", &out), LT_ERR_INVALID_UTF8);
    CHECK_CONTAINS(lt_last_error_message(), "product");
    CHECK_CONTAINS(lt_last_error_message(), "offset 2");
    CHECK_STATUS(lt_record_json(t, latin1), LT_ERR_INVALID_UTF8);
    LtLotQty q = {latin1, "L-1", "1", "kg"};
    CHECK_STATUS(lt_receive(t, NULL, T1, "plant-1", &q, NULL, NULL, NULL, 0, NULL, NULL),
                 LT_ERR_INVALID_UTF8);
    CHECK_CONTAINS(lt_last_error_message(), "item.product");
    CHECK_STATUS(lt_recall_json(t, bad, &out), LT_ERR_INVALID_UTF8);
    CHECK_STATUS(lt_tracker_open(bad, &t), LT_ERR_INVALID_UTF8);
    CHECK(out == NULL);
    /* proper UTF-8 works */
    LtLotQty ok = {"cr\xC3\xA8me", "L-1", "1", "kg"};
    CHECK_OK(lt_receive(t, NULL, T1, "plant-1", &ok, NULL, NULL, NULL, 0, NULL, NULL));
    CHECK_OK(lt_mass_balance_json(t, "cr\xC3\xA8me", "L-1", &out));
    CHECK_CONTAINS(out, "\"product\":\"cr\xC3\xA8me\"");
    lt_string_free(out);
    lt_tracker_free(t);
    return true;
}

static bool test_bad_json_arguments(void) {
    LtTracker *t = scenario();
    CHECK(t != NULL);
    char *out = NULL;
    CHECK_STATUS(lt_record_json(t, ""), LT_ERR_MALFORMED_JSON);
    CHECK_STATUS(lt_record_json(t, "\"receive\""), LT_ERR_MALFORMED_JSON);
    CHECK_STATUS(lt_recall_json(t, "spinach/F-100", &out), LT_ERR_MALFORMED_JSON);
    CHECK_STATUS(lt_recall_json(t, "{\"product\":\"spinach\"}", &out), LT_ERR_MALFORMED_JSON);
    CHECK_STATUS(lt_recall_json(t, "[{\"product\":\"spinach\"}]", &out), LT_ERR_MISSING_FIELD);
    CHECK_CONTAINS(lt_last_error_message(), "lot (lot 0)");
    CHECK_STATUS(lt_recall_csv(t, "[{\"product\":\"spinach\",\"lot\":7}]", &out),
                 LT_ERR_INVALID_FIELD);
    CHECK_STATUS(lt_recall_json(t, "[{\"product\":\"spinach\",\"lot\":\"nope\"}]", &out),
                 LT_ERR_UNKNOWN_LOT);
    CHECK_STATUS(lt_expiring_before_json(t, "next week", &out), LT_ERR_INVALID_FIELD);
    CHECK_STATUS(lt_fefo_json(t, "spinach", "lots", "kg", "plant-1", &out), LT_ERR_INVALID_FIELD);
    CHECK_STATUS(lt_execute_recall_json(t, "[{\"product\":\"spinach\",\"lot\":\"F-100\"}]",
                                        "now", NULL, &out),
                 LT_ERR_INVALID_TIME);
    /* identifiers with control characters are refused by the engine: a NUL (only
     * possible through JSON), a tab, a 0x01 */
    uint64_t seq = 0;
    char *id = NULL;
    CHECK_STATUS(lt_record_json_ex(t,
                                   "{\"event_id\":\"A\\u0000B\",\"kind\":\"receive\",\"time\":\"" T1
                                   "\",\"location\":\"a\",\"product\":\"p\",\"lot\":\"l\","
                                   "\"quantity\":\"1\",\"uom\":\"kg\"}",
                                   &seq, &id),
                 LT_ERR_INVALID_FIELD);
    CHECK_CONTAINS(lt_last_error_message(), "control character");
    CHECK(id == NULL && seq == 0);
    CHECK(out == NULL);
    CHECK_STATUS(lt_record_json(t, "{\"event_id\":\"N2\",\"kind\":\"receive\",\"time\":\"" T2
                                   "\",\"location\":\"a\",\"product\":\"p\","
                                   "\"lot\":\"bad\\u0000lot\",\"quantity\":\"5\",\"uom\":\"kg\"}"),
                 LT_ERR_INVALID_FIELD);
    CHECK_CONTAINS(lt_last_error_message(), "event N2: invalid field `lot`");
    LtLotQty tab = {"p", "L\t1", "5", "kg"};
    CHECK_STATUS(lt_receive(t, "N3", T1, "a", &tab, NULL, NULL, NULL, 0, NULL, NULL),
                 LT_ERR_INVALID_FIELD);
    LtLotQty ctl = {"p", "L-1", "5", "kg"};
    CHECK_STATUS(lt_receive(t, "N4", T1, "a", &ctl, "farm\x01", NULL, NULL, 0, NULL, NULL),
                 LT_ERR_INVALID_FIELD);
    CHECK_CONTAINS(lt_last_error_message(), "supplier");

    /* free text may still hold a NUL (a document number through JSON): the CSV
     * cannot carry it and refuses, the JSON form carries it escaped */
    LtLotQty n1 = {"p", "N-1", "5", "kg"};
    CHECK_OK(lt_receive(t, "N1", T1, "a", &n1, NULL, NULL, NULL, 0, NULL, NULL));
    CHECK_OK(lt_record_json(t, "{\"event_id\":\"N5\",\"kind\":\"ship\",\"time\":\"" T2
                               "\",\"location\":\"a\",\"product\":\"p\",\"lot\":\"N-1\","
                               "\"quantity\":\"1\",\"uom\":\"kg\",\"customer\":\"c\","
                               "\"documents\":[{\"type\":\"bol\",\"id\":\"B\\u00009\"}]}"));
    CHECK_OK(lt_recall_json(t, "[{\"product\":\"p\",\"lot\":\"N-1\"}]", &out));
    CHECK_CONTAINS(out, "B\\u00009");
    lt_string_free(out);
    out = NULL;
    CHECK_STATUS(lt_recall_csv(t, "[{\"product\":\"p\",\"lot\":\"N-1\"}]", &out),
                 LT_ERR_INVALID_FIELD);
    CHECK_CONTAINS(lt_last_error_message(), "NUL");
    CHECK(out == NULL);
    lt_tracker_free(t);
    return true;
}

static bool test_unknown_lots(void) {
    LtTracker *t = scenario();
    CHECK(t != NULL);
    char *out = NULL;
    LtTrace *tr = NULL;
    CHECK_STATUS(lt_trace_backward(t, "salad", "S-404", &tr), LT_ERR_UNKNOWN_LOT);
    CHECK(tr == NULL);
    CHECK_STATUS(lt_mass_balance_json(t, "salad", "S-404", &out), LT_ERR_UNKNOWN_LOT);
    CHECK_STATUS(lt_on_hand_json(t, "salad", "S-404", &out), LT_ERR_UNKNOWN_LOT);
    CHECK_STATUS(lt_history_json(t, "salad", "S-404", &out), LT_ERR_UNKNOWN_LOT);
    CHECK_STATUS(lt_exposure_json(t, "salad", "S-404", &out), LT_ERR_UNKNOWN_LOT);
    CHECK_STATUS(lt_fefo_json(t, "caviar", "1", "kg", "plant-1", &out), LT_ERR_UNKNOWN_PRODUCT);
    LtLotQty q = {"salad", "S-404", "1", "each"};
    CHECK_STATUS(lt_ship(t, NULL, T4, "plant-1", &q, "c", NULL, 0, NULL, NULL), LT_ERR_UNKNOWN_LOT);
    CHECK(out == NULL);
    lt_tracker_free(t);
    return true;
}

static bool test_out_untouched_on_failure(void) {
    LtTracker *t = scenario();
    CHECK(t != NULL);
    char sentinel_text[] = "untouched";
    char *out = sentinel_text;
    CHECK_STATUS(lt_mass_balance_json(t, "x", "y", &out), LT_ERR_UNKNOWN_PRODUCT);
    CHECK(out == sentinel_text);
    LtTracker *t2 = (LtTracker *)sentinel_text;
    CHECK_STATUS(lt_tracker_open("/nonexistent-lottrack-dir/x.lottrack", &t2), LT_ERR_STORAGE);
    CHECK(t2 == (LtTracker *)sentinel_text);
    uint64_t seq = 42;
    char *id = sentinel_text;
    LtLotQty q = {"spinach", "F-100", "9999", "kg"};
    CHECK_STATUS(lt_ship(t, "Z", T4, "plant-1", &q, "c", NULL, 0, &seq, &id),
                 LT_ERR_INSUFFICIENT_STOCK);
    CHECK(seq == 42 && id == sentinel_text);
    lt_tracker_free(t);
    return true;
}

static bool test_last_error_lifecycle(void) {
    LtTracker *t = scenario();
    CHECK(t != NULL);
    CHECK(lt_last_error_message() != NULL);
    CHECK(lt_last_error_message()[0] == '\0'); /* the last call succeeded */
    CHECK_STATUS(lt_record_json(t, "{oops"), LT_ERR_MALFORMED_JSON);
    /* infallible calls keep the message */
    (void)lt_status_name(LT_OK);
    (void)lt_version();
    lt_string_free(NULL);
    CHECK(lt_last_error_message()[0] != '\0');
    /* the next successful call clears it */
    uint64_t n;
    CHECK_OK(lt_event_count(t, &n));
    CHECK(strcmp(lt_last_error_message(), "") == 0);
    lt_tracker_free(t);
    return true;
}

static bool test_free_null(void) {
    lt_tracker_free(NULL);
    lt_trace_free(NULL);
    lt_string_free(NULL);
    return true;
}

int main(void) {
    RUN(test_engine_error_codes);
    RUN(test_null_tracker);
    RUN(test_null_strings);
    RUN(test_null_out_params);
    RUN(test_invalid_utf8);
    RUN(test_bad_json_arguments);
    RUN(test_unknown_lots);
    RUN(test_out_untouched_on_failure);
    RUN(test_last_error_lifecycle);
    RUN(test_free_null);
    return harness_finish();
}
