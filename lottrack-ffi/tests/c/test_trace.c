/* Traces (walked through the handle and as JSON), recall (JSON and CSV),
 * executing a recall, exposure and the inventory queries. */
#include "harness.h"

/* The scenario plus a second step: 100 each salad S-1 become 50 bowls B-1 (E5),
 * 20 bowls ship to store-99 (E6). Forward from spinach F-100: S-1 (1), B-1 (2). */
static LtTracker *two_step_tracker(void) {
    LtTracker *t = NULL;
    if (lt_tracker_new_memory(&t) != LT_OK || !record_scenario(t)) {
        lt_tracker_free(t);
        return NULL;
    }
    LtLotQty in = {"salad", "S-1", "100", "each"};
    LtLotQty out = {"bowl", "B-1", "50", "each"};
    LtLotQty ship = {"bowl", "B-1", "20", "each"};
    if (lt_transform(t, "E5", T4, "plant-1", &in, 1, &out, 1, NULL, NULL, 0, NULL, NULL) != LT_OK ||
        lt_ship(t, "E6", T4, "plant-1", &ship, "store-99", NULL, 0, NULL, NULL) != LT_OK) {
        fprintf(stderr, "  two_step_tracker: %s\n", lt_last_error_message());
        lt_tracker_free(t);
        return NULL;
    }
    return t;
}

static bool test_forward_trace_handle(void) {
    LtTracker *t = two_step_tracker();
    CHECK(t != NULL);
    LtTrace *tr = NULL;
    CHECK_OK(lt_trace_forward(t, "spinach", "F-100", &tr));
    CHECK(lt_trace_len(tr) == 2);
    const char *product = NULL, *lot = NULL;
    uint32_t depth = 0;
    CHECK_OK(lt_trace_lot(tr, 0, &product, &lot, &depth));
    CHECK(strcmp(product, "salad") == 0 && strcmp(lot, "S-1") == 0 && depth == 1);
    CHECK_OK(lt_trace_lot(tr, 1, &product, &lot, &depth));
    CHECK(strcmp(product, "bowl") == 0 && strcmp(lot, "B-1") == 0 && depth == 2);
    /* out of range leaves the outs untouched */
    CHECK_STATUS(lt_trace_lot(tr, 2, &product, &lot, &depth), LT_ERR_OUT_OF_RANGE);
    CHECK(strcmp(product, "bowl") == 0 && depth == 2);

    char *json = NULL;
    CHECK_OK(lt_trace_json(tr, &json));
    CHECK_CONTAINS(json, "\"direction\":\"forward\"");
    CHECK_CONTAINS(json, "\"root\":{\"product\":\"spinach\",\"lot\":\"F-100\"}");
    CHECK_CONTAINS(json, "{\"product\":\"bowl\",\"lot\":\"B-1\",\"depth\":2}");
    CHECK_CONTAINS(json, "\"customer\":\"store-12\"");
    CHECK_CONTAINS(json, "\"customer\":\"store-99\"");
    CHECK_CONTAINS(json, "\"quantity\":\"120\"");

    /* the one-call JSON form gives the same text */
    char *json2 = NULL;
    CHECK_OK(lt_trace_forward_json(t, "spinach", "F-100", &json2));
    CHECK(strcmp(json, json2) == 0);
    lt_string_free(json);
    lt_string_free(json2);

    /* the trace owns its data: it outlives the tracker */
    lt_tracker_free(t);
    CHECK_OK(lt_trace_lot(tr, 0, &product, &lot, &depth));
    CHECK(strcmp(lot, "S-1") == 0);
    lt_trace_free(tr);
    return true;
}

static bool test_backward_trace(void) {
    LtTracker *t = two_step_tracker();
    CHECK(t != NULL);
    LtTrace *tr = NULL;
    CHECK_OK(lt_trace_backward(t, "bowl", "B-1", &tr));
    CHECK(lt_trace_len(tr) == 2);
    const char *product = NULL, *lot = NULL;
    uint32_t depth = 0;
    CHECK_OK(lt_trace_lot(tr, 1, &product, &lot, &depth));
    CHECK(strcmp(product, "spinach") == 0 && strcmp(lot, "F-100") == 0 && depth == 2);
    lt_trace_free(tr);

    char *json = NULL;
    CHECK_OK(lt_trace_backward_json(t, "bowl", "B-1", &json));
    CHECK_CONTAINS(json, "\"direction\":\"backward\"");
    CHECK_CONTAINS(json, "\"supplier\":\"farm-a\"");
    CHECK_CONTAINS(json, "{\"type\":\"po\",\"id\":\"PO-1\"}");
    lt_string_free(json);

    /* a lot with nothing upstream */
    CHECK_OK(lt_trace_backward(t, "spinach", "F-100", &tr));
    CHECK(lt_trace_len(tr) == 0);
    CHECK_STATUS(lt_trace_lot(tr, 0, &product, &lot, &depth), LT_ERR_OUT_OF_RANGE);
    lt_trace_free(tr);
    lt_tracker_free(t);
    return true;
}

static bool test_trace_options(void) {
    LtTracker *t = two_step_tracker();
    CHECK(t != NULL);
    LtTrace *tr = NULL;
    LtTraceOptions o = {0, NULL, NULL, NULL};
    o.max_depth = 1;
    CHECK_OK(lt_trace_forward_with(t, "spinach", "F-100", &o, &tr));
    CHECK(lt_trace_len(tr) == 1);
    lt_trace_free(tr);

    LtTraceOptions as_of = {0, NULL, NULL, T1}; /* before any transform */
    CHECK_OK(lt_trace_forward_with(t, "spinach", "F-100", &as_of, &tr));
    CHECK(lt_trace_len(tr) == 0);
    lt_trace_free(tr);

    CHECK_OK(lt_trace_backward_with(t, "bowl", "B-1", NULL, &tr));
    CHECK(lt_trace_len(tr) == 2);
    lt_trace_free(tr);

    LtTraceOptions bad = {0, "last tuesday", NULL, NULL};
    tr = NULL;
    CHECK_STATUS(lt_trace_forward_with(t, "spinach", "F-100", &bad, &tr), LT_ERR_INVALID_TIME);
    CHECK(tr == NULL);
    lt_tracker_free(t);
    return true;
}

/* The length comes from the lots fixed when the trace was taken: nothing else
 * needs to be read, and a trace never read is freed cleanly. */
static bool test_trace_len_without_reading_lots(void) {
    LtTracker *t = two_step_tracker();
    CHECK(t != NULL);
    LtTrace *tr = NULL;
    CHECK_OK(lt_trace_forward(t, "spinach", "F-100", &tr));
    CHECK(lt_trace_len(tr) == 2);
    CHECK(lt_trace_len(tr) == 2);
    CHECK(lt_trace_len(NULL) == 0);
    lt_trace_free(tr);

    /* the tracker may go first; the length is still there */
    CHECK_OK(lt_trace_backward(t, "bowl", "B-1", &tr));
    lt_tracker_free(t);
    CHECK(lt_trace_len(tr) == 2);
    lt_trace_free(tr);
    return true;
}

/* The lots of a trace are fixed when it is taken; its details are read on first
 * use: a link recorded since between two of its lots, and a shipment of one of
 * them, are in lt_trace_json, a lot made since from one of them is not. */
static bool test_trace_lots_fixed_details_on_first_use(void) {
    LtTracker *t = two_step_tracker();
    CHECK(t != NULL);
    LtTrace *tr = NULL;
    CHECK_OK(lt_trace_forward(t, "spinach", "F-100", &tr));
    CHECK(lt_trace_len(tr) == 2);

    /* E7: more salad S-1 into the existing bowl lot B-1 (a link among the
     * trace's lots); E8: salad S-1 into a new lot W-1 (not reached when the
     * trace was taken); E9: a shipment of B-1. */
    LtLotQty s1 = {"salad", "S-1", "10", "each"};
    LtLotQty b1 = {"bowl", "B-1", "5", "each"};
    LtLotQty w1 = {"wrap", "W-1", "5", "each"};
    LtLotQty ship = {"bowl", "B-1", "3", "each"};
    CHECK_OK(lt_transform(t, "E7", T4, "plant-1", &s1, 1, &b1, 1, NULL, NULL, 0, NULL, NULL));
    CHECK_OK(lt_transform(t, "E8", T4, "plant-1", &s1, 1, &w1, 1, NULL, NULL, 0, NULL, NULL));
    CHECK_OK(lt_ship(t, "E9", T4, "plant-1", &ship, "store-77", NULL, 0, NULL, NULL));

    CHECK(lt_trace_len(tr) == 2);
    const char *product = NULL, *lot = NULL;
    uint32_t depth = 0;
    CHECK_OK(lt_trace_lot(tr, 0, &product, &lot, &depth));
    CHECK(strcmp(product, "salad") == 0 && strcmp(lot, "S-1") == 0 && depth == 1);
    CHECK_OK(lt_trace_lot(tr, 1, &product, &lot, &depth));
    CHECK(strcmp(product, "bowl") == 0 && strcmp(lot, "B-1") == 0 && depth == 2);
    CHECK_STATUS(lt_trace_lot(tr, 2, &product, &lot, &depth), LT_ERR_OUT_OF_RANGE);

    char *json = NULL;
    CHECK_OK(lt_trace_json(tr, &json));
    CHECK_CONTAINS(json, "\"event_id\":\"E5\"");
    CHECK_CONTAINS(json, "\"event_id\":\"E7\"");
    CHECK_CONTAINS(json, "\"customer\":\"store-77\"");
    CHECK(strstr(json, "W-1") == NULL);
    CHECK(strstr(json, "\"E8\"") == NULL);

    /* once read, the details are kept: an event recorded now is not in them */
    LtLotQty ship2 = {"bowl", "B-1", "2", "each"};
    CHECK_OK(lt_ship(t, "E10", T4, "plant-1", &ship2, "store-88", NULL, 0, NULL, NULL));
    char *again = NULL;
    CHECK_OK(lt_trace_json(tr, &again));
    CHECK(strcmp(json, again) == 0);
    lt_string_free(again);
    char *dot = NULL;
    CHECK_OK(lt_trace_dot(tr, &dot));
    CHECK_CONTAINS(dot, "store-77");
    CHECK(strstr(dot, "store-88") == NULL);
    lt_string_free(dot);
    lt_string_free(json);
    lt_trace_free(tr);

    /* a trace taken now reaches W-1 as well */
    CHECK_OK(lt_trace_forward(t, "spinach", "F-100", &tr));
    CHECK(lt_trace_len(tr) == 3);
    lt_trace_free(tr);
    lt_tracker_free(t);
    return true;
}

/* A trace read right after it was taken gives the one-call JSON's text; its
 * details are read even after the tracker is freed. */
static bool test_trace_json_after_tracker_free(void) {
    LtTracker *t = two_step_tracker();
    CHECK(t != NULL);
    LtTrace *tr = NULL;
    CHECK_OK(lt_trace_backward(t, "bowl", "B-1", &tr));
    char *want = NULL;
    CHECK_OK(lt_trace_backward_json(t, "bowl", "B-1", &want));
    lt_tracker_free(t);
    char *json = NULL;
    CHECK_OK(lt_trace_json(tr, &json));
    CHECK(strcmp(json, want) == 0);
    const char *product = NULL, *lot = NULL;
    uint32_t depth = 0;
    CHECK_OK(lt_trace_lot(tr, 1, &product, &lot, &depth));
    CHECK(strcmp(product, "spinach") == 0 && strcmp(lot, "F-100") == 0 && depth == 2);
    lt_string_free(json);
    lt_string_free(want);
    lt_trace_free(tr);
    return true;
}

static bool test_recall_json_and_csv(void) {
    LtTracker *t = two_step_tracker();
    CHECK(t != NULL);
    const char *lots = "[{\"product\":\"spinach\",\"lot\":\"F-100\"}]";
    char *json = NULL;
    CHECK_OK(lt_recall_json(t, lots, &json));
    CHECK_CONTAINS(json, "\"roots\":[{\"product\":\"spinach\",\"lot\":\"F-100\"}]");
    CHECK_CONTAINS(json, "\"customer\":\"store-12\"");
    CHECK_CONTAINS(json, "\"customer\":\"store-99\"");
    CHECK_CONTAINS(json, "\"status\":\"active\"");
    CHECK_CONTAINS(json, "\"mass_balance\":[{\"product\":\"spinach\"");
    CHECK_CONTAINS(json, "\"on_hand\":[{\"location\":\"plant-1\",\"quantity\":\"300\",\"uom\":\"kg\"}]");
    lt_string_free(json);

    char *csv = NULL;
    CHECK_OK(lt_recall_csv(t, lots, &csv));
    CHECK(strncmp(csv, "action,customer,product,lot,location,container,quantity,uom,time,event_id,"
                       "documents\r\n",
                  strlen("action,customer,product,lot,location,container,quantity,uom,time,"
                         "event_id,documents\r\n")) == 0);
    CHECK_CONTAINS(csv, "notify,store-12,salad,S-1,plant-1,,120,each,2026-03-03T06:00:00+01:00,E3,bol:B-9\r\n");
    CHECK_CONTAINS(csv, "notify,store-99,bowl,B-1,plant-1,,20,each,");
    CHECK_CONTAINS(csv, "hold,,spinach,F-100,plant-1,,300,kg,,,\r\n");
    CHECK_CONTAINS(csv, "hold,,bowl,B-1,plant-1,,30,each,,,\r\n");
    lt_string_free(csv);

    /* several roots; an empty list gives an empty report */
    CHECK_OK(lt_recall_json(t,
                            "[{\"product\":\"salad\",\"lot\":\"S-1\"},"
                            "{\"product\":\"bowl\",\"lot\":\"B-1\"}]",
                            &json));
    CHECK_CONTAINS(json, "\"lot\":\"B-1\"");
    lt_string_free(json);
    CHECK_OK(lt_recall_json(t, "[]", &json));
    CHECK_CONTAINS(json, "\"lots\":[]");
    lt_string_free(json);
    lt_tracker_free(t);
    return true;
}

static bool test_execute_recall(void) {
    LtTracker *t = two_step_tracker();
    CHECK(t != NULL);
    char *json = NULL;
    CHECK_OK(lt_execute_recall_json(t, "[{\"product\":\"spinach\",\"lot\":\"F-100\"}]",
                                    "2026-03-05T12:00:00+01:00", "R1", &json));
    CHECK_CONTAINS(json, "\"status\":\"recalled\"");
    CHECK(strstr(json, "\"status\":\"active\"") == NULL);
    lt_string_free(json);
    char *ev = NULL;
    CHECK_OK(lt_event_json(t, "R1", &ev));
    CHECK_CONTAINS(ev, "\"kind\":\"status\"");
    CHECK_CONTAINS(ev, "\"status\":\"recalled\"");
    lt_string_free(ev);
    /* a generated id */
    CHECK_OK(lt_execute_recall_json(t, "[{\"product\":\"bowl\",\"lot\":\"B-1\"}]",
                                    "2026-03-05T12:00:00+01:00", NULL, &json));
    lt_string_free(json);
    uint64_t n = 0;
    CHECK_OK(lt_event_count(t, &n));
    CHECK(n == 7);
    lt_tracker_free(t);
    return true;
}

static bool test_exposure(void) {
    LtTracker *t = NULL;
    CHECK_OK(lt_tracker_new_memory(&t));
    LtLotQty a = {"flour", "A", "30", "kg"};
    LtLotQty b = {"flour", "B", "10", "kg"};
    CHECK_OK(lt_receive(t, "E1", T1, "x", &a, NULL, NULL, NULL, 0, NULL, NULL));
    CHECK_OK(lt_receive(t, "E2", T1, "x", &b, NULL, NULL, NULL, 0, NULL, NULL));
    LtLotQty ins[2] = {{"flour", "A", "30", "kg"}, {"flour", "B", "10", "kg"}};
    LtLotQty mix = {"mix", "M", "40", "kg"};
    CHECK_OK(lt_transform(t, "T", T2, "x", ins, 2, &mix, 1, NULL, NULL, 0, NULL, NULL));
    char *json = NULL;
    CHECK_OK(lt_exposure_json(t, "flour", "A", &json));
    CHECK_CONTAINS(json, "{\"product\":\"mix\",\"lot\":\"M\",\"depth\":1,\"fraction\":\"0.75\"}");
    lt_string_free(json);
    lt_tracker_free(t);
    return true;
}

static bool test_inventory_queries(void) {
    LtTracker *t = two_step_tracker();
    CHECK(t != NULL);
    char *json = NULL;
    CHECK_OK(lt_inventory_json(t, &json));
    CHECK_CONTAINS(json, "\"product\":\"bowl\"");
    CHECK_CONTAINS(json, "\"product\":\"spinach\"");
    lt_string_free(json);

    CHECK_OK(lt_expiring_before_json(t, "2026-03-10", &json));
    CHECK_CONTAINS(json, "\"lot\":\"S-1\"");
    CHECK(strstr(json, "\"lot\":\"F-100\"") == NULL); /* expires 2026-03-15 */
    lt_string_free(json);

    CHECK_OK(lt_fefo_json(t, "spinach", "50", "kg", "plant-1", &json));
    CHECK_CONTAINS(json, "\"picks\":[{\"lot\":\"F-100\",\"quantity\":\"50\"");
    CHECK_CONTAINS(json, "\"shortfall\":\"0\"");
    lt_string_free(json);

    CHECK_OK(lt_on_hand_json(t, "bowl", "B-1", &json));
    CHECK_CONTAINS(json, "\"quantity\":\"30\"");
    lt_string_free(json);

    CHECK_OK(lt_lot_info_json(t, "spinach", "F-100", &json));
    CHECK_CONTAINS(json, "\"supplier\":\"farm-a\"");
    CHECK_CONTAINS(json, "\"supplier_lot\":\"A-77\"");
    CHECK_CONTAINS(json, "\"expiry\":\"2026-03-15\"");
    CHECK_CONTAINS(json, "\"on_hand\":\"300\"");
    lt_string_free(json);
    CHECK_STATUS(lt_lot_info_json(t, "spinach", "F-404", &json), LT_ERR_UNKNOWN_LOT);
    lt_tracker_free(t);
    return true;
}

static bool test_dot_and_fsma204(void) {
    LtTracker *t = two_step_tracker();
    CHECK(t != NULL);
    LtTrace *tr = NULL;
    CHECK_OK(lt_trace_forward(t, "spinach", "F-100", &tr));
    char *dot = NULL;
    CHECK_OK(lt_trace_dot(tr, &dot));
    CHECK(strncmp(dot, "digraph trace {", 15) == 0);
    CHECK_CONTAINS(dot, "\"lot:spinach/F-100\" -> \"lot:salad/S-1\"");
    CHECK_CONTAINS(dot, "customer:store-99");
    lt_string_free(dot);
    CHECK_STATUS(lt_trace_dot(tr, NULL), LT_ERR_NULL_POINTER);
    lt_trace_free(tr);

    char *csv = NULL;
    CHECK_OK(lt_fsma204_csv(t, "2026-03-01T00:00:00Z", "2026-03-31T00:00:00Z", NULL, &csv));
    CHECK(strncmp(csv, "Event Type,Traceability Lot Code,", 33) == 0);
    CHECK_CONTAINS(csv, "Receiving,F-100,farm-a,spinach,500,kg,plant-1,2026-03-01,");
    CHECK_CONTAINS(csv, "B-1");
    lt_string_free(csv);
    /* only what a recall of S-1 reaches: no spinach receipt */
    CHECK_OK(lt_fsma204_csv(t, "2026-03-01T00:00:00Z", "2026-03-31T00:00:00Z",
                            "[{\"product\":\"bowl\",\"lot\":\"B-1\"}]", &csv));
    CHECK(strstr(csv, "Receiving,F-100") == NULL);
    CHECK_CONTAINS(csv, "B-1");
    lt_string_free(csv);
    CHECK_STATUS(lt_fsma204_csv(t, "March", "2026-03-31T00:00:00Z", NULL, &csv),
                 LT_ERR_INVALID_TIME);
    lt_tracker_free(t);
    return true;
}

/* A large trace walked without JSON: a chain of 300 transforms. */
static bool test_long_chain_walk(void) {
    LtTracker *t = NULL;
    CHECK_OK(lt_tracker_new_memory(&t));
    LtLotQty root = {"p", "L0", "1000", "kg"};
    CHECK_OK(lt_receive(t, NULL, T1, "x", &root, NULL, NULL, NULL, 0, NULL, NULL));
    char prev[16], next[16];
    for (int i = 0; i < 300; i++) {
        snprintf(prev, sizeof prev, "L%d", i);
        snprintf(next, sizeof next, "L%d", i + 1);
        LtLotQty in = {"p", prev, "1", "kg"};
        LtLotQty out = {"p", next, "1", "kg"};
        CHECK_OK(lt_transform(t, NULL, T2, "x", &in, 1, &out, 1, NULL, NULL, 0, NULL, NULL));
    }
    LtTrace *tr = NULL;
    CHECK_OK(lt_trace_forward(t, "p", "L0", &tr));
    CHECK(lt_trace_len(tr) == 300);
    for (size_t i = 0; i < lt_trace_len(tr); i++) {
        const char *product, *lot;
        uint32_t depth;
        CHECK_OK(lt_trace_lot(tr, i, &product, &lot, &depth));
        CHECK(depth == (uint32_t)i + 1);
        snprintf(next, sizeof next, "L%u", (unsigned)i + 1);
        CHECK(strcmp(lot, next) == 0);
    }
    lt_trace_free(tr);
    lt_tracker_free(t);
    return true;
}

int main(void) {
    RUN(test_forward_trace_handle);
    RUN(test_backward_trace);
    RUN(test_trace_options);
    RUN(test_trace_len_without_reading_lots);
    RUN(test_trace_lots_fixed_details_on_first_use);
    RUN(test_trace_json_after_tracker_free);
    RUN(test_recall_json_and_csv);
    RUN(test_execute_recall);
    RUN(test_exposure);
    RUN(test_inventory_queries);
    RUN(test_dot_and_fsma204);
    RUN(test_long_chain_walk);
    return harness_finish();
}
