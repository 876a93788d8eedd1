/* Recording every event kind, with the typed functions and as JSON. */
#include "harness.h"

/* Salad S-1 after the scenario and the typed events of test_every_kind_typed:
 * produced 400, returned 5, shipped 120 + 12 (container), adjusted 2 (lost),
 * disposal of 3 voided, on hand 271 (203 at plant-1, 68 loose at dc-1). */
static bool check_salad_balance(const LtTracker *t) {
    char *mb = NULL;
    CHECK_OK(lt_mass_balance_json(t, "salad", "S-1", &mb));
    CHECK_CONTAINS(mb, "\"product\":\"salad\"");
    CHECK_CONTAINS(mb, "\"uom\":\"each\"");
    CHECK_CONTAINS(mb, "\"produced\":\"400\"");
    CHECK_CONTAINS(mb, "\"returned\":\"5\"");
    CHECK_CONTAINS(mb, "\"shipped\":\"132\"");
    CHECK_CONTAINS(mb, "\"disposed\":\"0\"");
    CHECK_CONTAINS(mb, "\"adjusted\":\"2\"");
    CHECK_CONTAINS(mb, "\"on_hand\":\"271\"");
    CHECK_CONTAINS(mb, "\"unaccounted\":\"0\"");
    lt_string_free(mb);

    char *oh = NULL;
    CHECK_OK(lt_on_hand_json(t, "salad", "S-1", &oh));
    CHECK_CONTAINS(oh, "\"location\":\"plant-1\"");
    CHECK_CONTAINS(oh, "\"quantity\":\"203\"");
    CHECK_CONTAINS(oh, "\"location\":\"dc-1\"");
    CHECK_CONTAINS(oh, "\"quantity\":\"68\"");
    CHECK_CONTAINS(oh, "\"status\":\"on_hold\"");
    lt_string_free(oh);

    char *sp = NULL;
    CHECK_OK(lt_mass_balance_json(t, "spinach", "F-100", &sp));
    CHECK_CONTAINS(sp, "\"received\":\"500\"");
    CHECK_CONTAINS(sp, "\"consumed\":\"210\"");
    CHECK_CONTAINS(sp, "\"on_hand\":\"290\"");
    lt_string_free(sp);
    return true;
}

static bool test_every_kind_typed(void) {
    LtTracker *t = NULL;
    CHECK_OK(lt_tracker_new_memory(&t));
    CHECK(t != NULL);

    /* master data */
    LtConversion per_case = {"case", "12"};
    CHECK_OK(lt_product(t, "P1", T1, "salad", "each", &per_case, 1, NULL, 0, NULL, NULL));
    CHECK_OK(lt_party(t, "PA1", T1, "store-12", "FreshMart #12", "customer", NULL, 0, NULL, NULL));
    CHECK_OK(lt_location(t, "L1", T1, "dc-1", "Distribution centre", NULL, NULL, 0, NULL, NULL));

    CHECK(record_scenario(t));

    LtLotQty moved = {"salad", "S-1", "80", "each"};
    CHECK_OK(lt_move(t, "E4", T4, &moved, "plant-1", "dc-1", NULL, 0, NULL, NULL));
    LtLotQty packed = {"salad", "S-1", "24", "each"};
    CHECK_OK(lt_pack(t, "E5", T4, "dc-1", "SSCC-1", &packed, 1, NULL, 0, NULL, NULL));
    LtLotQty unpacked = {"salad", "S-1", "1", "case"}; /* 12 each */
    CHECK_OK(lt_unpack(t, "E6", T4, "dc-1", "SSCC-1", &unpacked, 1, NULL, 0, NULL, NULL));
    LtDocument bol = {"bol", "B-10"};
    CHECK_OK(lt_ship_container(t, "E7", T4, "dc-1", "SSCC-1", "store-40", &bol, 1, NULL, NULL));
    LtLotQty lost = {"salad", "S-1", "-2", "each"};
    CHECK_OK(lt_adjust(t, "E8", T4, "plant-1", &lost, "cycle_count", NULL, 0, NULL, NULL));
    LtLotQty damaged = {"salad", "S-1", "3", "each"};
    CHECK_OK(lt_dispose(t, "E9", T4, "plant-1", &damaged, "damaged", NULL, 0, NULL, NULL));
    LtLotQty samples = {"spinach", "F-100", "10", "kg"};
    CHECK_OK(lt_consume(t, "E10", T4, "plant-1", &samples, NULL, NULL, 0, NULL, NULL));
    LtLotQty back = {"salad", "S-1", "5", "each"};
    CHECK_OK(lt_return(t, "E11", T4, "plant-1", &back, "store-12", NULL, 0, NULL, NULL));
    LtLotKey s1 = {"salad", "S-1"};
    CHECK_OK(lt_set_status(t, "E12", T4, "hold", &s1, 1, "qa", NULL, 0, NULL, NULL));
    uint64_t seq = 0;
    char *id = NULL;
    CHECK_OK(lt_void(t, "E13", T4, "E9", "incorrect_data", NULL, 0, &seq, &id));
    CHECK(strcmp(id, "E13") == 0);
    CHECK(seq == 16);
    lt_string_free(id);

    uint64_t n = 0;
    CHECK_OK(lt_event_count(t, &n));
    CHECK(n == 16);
    CHECK_OK(lt_last_seq(t, &n));
    CHECK(n == 16);
    CHECK(check_salad_balance(t));

    char *ev = NULL;
    CHECK_OK(lt_event_json(t, "E7", &ev));
    CHECK_CONTAINS(ev, "\"kind\":\"ship\"");
    CHECK_CONTAINS(ev, "\"container\":\"SSCC-1\"");
    CHECK_CONTAINS(ev, "{\"type\":\"bol\",\"id\":\"B-10\"}");
    lt_string_free(ev);

    char *hist = NULL;
    CHECK_OK(lt_history_json(t, "salad", "S-1", &hist));
    CHECK_CONTAINS(hist, "\"event_id\":\"E2\"");
    CHECK_CONTAINS(hist, "\"event_id\":\"E12\"");
    CHECK(strstr(hist, "\"event_id\":\"E9\"") == NULL); /* voided */
    lt_string_free(hist);

    lt_tracker_free(t);
    return true;
}

/* The same events as JSON give the same state. */
static bool test_every_kind_json(void) {
    static const char *events[] = {
        "{\"kind\":\"product\",\"event_id\":\"P1\",\"time\":\"" T1 "\",\"product\":\"salad\","
        "\"uom\":\"each\",\"conversions\":{\"case\":\"12\"}}",
        "{\"kind\":\"party\",\"event_id\":\"PA1\",\"time\":\"" T1 "\",\"party\":\"store-12\","
        "\"name\":\"FreshMart #12\",\"role\":\"customer\"}",
        "{\"kind\":\"location\",\"event_id\":\"L1\",\"time\":\"" T1 "\",\"location\":\"dc-1\","
        "\"name\":\"Distribution centre\"}",
        "{\"event_id\":\"E1\",\"kind\":\"receive\",\"time\":\"" T1 "\",\"location\":\"plant-1\","
        "\"product\":\"spinach\",\"lot\":\"F-100\",\"quantity\":\"500\",\"uom\":\"kg\","
        "\"supplier\":\"farm-a\",\"supplier_lot\":\"A-77\",\"expiry\":\"2026-03-15\","
        "\"documents\":[{\"type\":\"po\",\"id\":\"PO-1\"}]}",
        "{\"event_id\":\"E2\",\"kind\":\"transform\",\"time\":\"" T2 "\",\"location\":\"plant-1\","
        "\"inputs\":[{\"product\":\"spinach\",\"lot\":\"F-100\",\"quantity\":\"200\",\"uom\":\"kg\"}],"
        "\"outputs\":[{\"product\":\"salad\",\"lot\":\"S-1\",\"quantity\":\"400\",\"uom\":\"each\","
        "\"expiry\":\"2026-03-09\"}]}",
        "{\"event_id\":\"E3\",\"kind\":\"ship\",\"time\":\"" T3 "\",\"location\":\"plant-1\","
        "\"product\":\"salad\",\"lot\":\"S-1\",\"quantity\":120,\"uom\":\"each\","
        "\"customer\":\"store-12\",\"documents\":[{\"type\":\"bol\",\"id\":\"B-9\"}]}",
        "{\"event_id\":\"E4\",\"kind\":\"move\",\"time\":\"" T4 "\",\"product\":\"salad\","
        "\"lot\":\"S-1\",\"quantity\":\"80\",\"uom\":\"each\",\"from_location\":\"plant-1\","
        "\"to_location\":\"dc-1\"}",
        "{\"event_id\":\"E5\",\"kind\":\"pack\",\"time\":\"" T4 "\",\"location\":\"dc-1\","
        "\"container\":\"SSCC-1\",\"contents\":[{\"product\":\"salad\",\"lot\":\"S-1\","
        "\"quantity\":\"24\",\"uom\":\"each\"}]}",
        "{\"event_id\":\"E6\",\"kind\":\"unpack\",\"time\":\"" T4 "\",\"location\":\"dc-1\","
        "\"container\":\"SSCC-1\",\"contents\":[{\"product\":\"salad\",\"lot\":\"S-1\","
        "\"quantity\":\"1\",\"uom\":\"case\"}]}",
        "{\"event_id\":\"E7\",\"kind\":\"ship\",\"time\":\"" T4 "\",\"location\":\"dc-1\","
        "\"container\":\"SSCC-1\",\"customer\":\"store-40\"}",
        "{\"event_id\":\"E8\",\"kind\":\"adjust\",\"time\":\"" T4 "\",\"location\":\"plant-1\","
        "\"product\":\"salad\",\"lot\":\"S-1\",\"quantity\":\"-2\",\"uom\":\"each\","
        "\"reason\":\"cycle_count\"}",
        "{\"event_id\":\"E9\",\"kind\":\"dispose\",\"time\":\"" T4 "\",\"location\":\"plant-1\","
        "\"product\":\"salad\",\"lot\":\"S-1\",\"quantity\":\"3\",\"uom\":\"each\"}",
        "{\"event_id\":\"E10\",\"kind\":\"consume\",\"time\":\"" T4 "\",\"location\":\"plant-1\","
        "\"product\":\"spinach\",\"lot\":\"F-100\",\"quantity\":\"10\",\"uom\":\"kg\"}",
        "{\"event_id\":\"E11\",\"kind\":\"return\",\"time\":\"" T4 "\",\"location\":\"plant-1\","
        "\"product\":\"salad\",\"lot\":\"S-1\",\"quantity\":\"5\",\"uom\":\"each\","
        "\"customer\":\"store-12\"}",
        "{\"event_id\":\"E12\",\"kind\":\"status\",\"time\":\"" T4 "\",\"status\":\"hold\","
        "\"lots\":[{\"product\":\"salad\",\"lot\":\"S-1\"}]}",
        "{\"event_id\":\"E13\",\"kind\":\"void\",\"time\":\"" T4 "\",\"target\":\"E9\","
        "\"reason\":\"incorrect_data\"}",
    };
    LtTracker *t = NULL;
    CHECK_OK(lt_tracker_new_memory(&t));
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++) {
        CHECK_OK(lt_record_json(t, events[i]));
    }
    uint64_t n = 0;
    CHECK_OK(lt_event_count(t, &n));
    CHECK(n == sizeof events / sizeof events[0]);
    CHECK(check_salad_balance(t));

    /* lt_record_json_ex tells the sequence number and the (generated) id */
    uint64_t seq = 0;
    char *id = NULL;
    CHECK_OK(lt_record_json_ex(t,
                               "{\"kind\":\"receive\",\"time\":\"" T4 "\",\"location\":\"plant-1\","
                               "\"product\":\"kale\",\"lot\":\"K-1\",\"quantity\":\"1\",\"uom\":\"kg\"}",
                               &seq, &id));
    CHECK(seq == n + 1);
    CHECK(id != NULL && strncmp(id, "lt-", 3) == 0);
    char *ev = NULL;
    CHECK_OK(lt_event_json(t, id, &ev));
    CHECK_CONTAINS(ev, "\"lot\":\"K-1\"");
    lt_string_free(ev);
    lt_string_free(id);
    lt_tracker_free(t);
    return true;
}

static bool test_generated_ids_and_sequence(void) {
    LtTracker *t = NULL;
    CHECK_OK(lt_tracker_new_memory(&t));
    LtLotQty q = {"rice", "R-1", "10", "kg"};
    uint64_t seq1 = 0, seq2 = 0;
    char *id1 = NULL, *id2 = NULL;
    CHECK_OK(lt_receive(t, NULL, T1, "a", &q, NULL, NULL, NULL, 0, &seq1, &id1));
    CHECK_OK(lt_receive(t, "", T1, "a", &q, NULL, NULL, NULL, 0, &seq2, &id2));
    CHECK(seq1 == 1 && seq2 == 2);
    CHECK(strncmp(id1, "lt-", 3) == 0 && strncmp(id2, "lt-", 3) == 0);
    CHECK(strcmp(id1, id2) != 0);
    lt_string_free(id1);
    lt_string_free(id2);
    /* only one of the outs */
    CHECK_OK(lt_receive(t, "X", T1, "a", &q, NULL, NULL, NULL, 0, &seq1, NULL));
    CHECK(seq1 == 3);
    char *id3 = NULL;
    CHECK_OK(lt_receive(t, "Y", T1, "a", &q, NULL, NULL, NULL, 0, NULL, &id3));
    CHECK(strcmp(id3, "Y") == 0);
    lt_string_free(id3);
    lt_tracker_free(t);
    return true;
}

static bool test_same_event_twice_is_idempotent(void) {
    LtTracker *t = NULL;
    CHECK_OK(lt_tracker_new_memory(&t));
    CHECK(record_scenario(t));
    LtLotQty spinach = {"spinach", "F-100", "500", "kg"};
    LtLotAttrs attrs = {"2026-03-15", NULL, "A-77", NULL};
    LtDocument po = {"po", "PO-1"};
    uint64_t seq = 99;
    CHECK_OK(lt_receive(t, "E1", T1, "plant-1", &spinach, "farm-a", &attrs, &po, 1, &seq, NULL));
    CHECK(seq == 1);
    uint64_t n = 0;
    CHECK_OK(lt_event_count(t, &n));
    CHECK(n == 3);
    lt_tracker_free(t);
    return true;
}

static bool test_exact_quantities_and_units(void) {
    LtTracker *t = NULL;
    CHECK_OK(lt_tracker_new_memory(&t));
    LtLotQty q = {"flour", "FL-1", "0.1", "kg"};
    CHECK_OK(lt_receive(t, "A", T1, "a", &q, NULL, NULL, NULL, 0, NULL, NULL));
    LtLotQty q2 = {"flour", "FL-1", "200", "g"};
    CHECK_OK(lt_receive(t, "B", T1, "a", &q2, NULL, NULL, NULL, 0, NULL, NULL));
    LtLotQty q3 = {"flour", "FL-1", "0.3", "kg"};
    CHECK_OK(lt_ship(t, "C", T2, "a", &q3, "bakery", NULL, 0, NULL, NULL));
    char *mb = NULL;
    CHECK_OK(lt_mass_balance_json(t, "flour", "FL-1", &mb));
    CHECK_CONTAINS(mb, "\"received\":\"0.3\"");
    CHECK_CONTAINS(mb, "\"on_hand\":\"0\"");
    CHECK_CONTAINS(mb, "\"unaccounted\":\"0\"");
    lt_string_free(mb);
    lt_tracker_free(t);
    return true;
}

static bool test_lenient_tracker_records_deficits(void) {
    LtTrackerOptions o = lt_tracker_options_default();
    o.lenient = true;
    LtTracker *t = NULL;
    CHECK_OK(lt_tracker_new_memory_with(&o, &t));
    LtLotQty in = {"rice", "R-1", "10", "kg"};
    LtLotQty out = {"rice", "R-1", "12", "kg"};
    CHECK_OK(lt_receive(t, "A", T1, "w", &in, NULL, NULL, NULL, 0, NULL, NULL));
    CHECK_OK(lt_ship(t, "B", T2, "w", &out, "c", NULL, 0, NULL, NULL));
    char *json = NULL;
    CHECK_OK(lt_deficits_json(t, &json));
    CHECK_CONTAINS(json, "\"event_id\":\"B\"");
    CHECK_CONTAINS(json, "\"requested\":\"12\"");
    CHECK_CONTAINS(json, "\"on_hand\":\"10\"");
    lt_string_free(json);
    lt_tracker_free(t);

    /* strict (NULL options): refused, no deficits */
    CHECK_OK(lt_tracker_new_memory_with(NULL, &t));
    CHECK_OK(lt_receive(t, "A", T1, "w", &in, NULL, NULL, NULL, 0, NULL, NULL));
    CHECK_STATUS(lt_ship(t, "B", T2, "w", &out, "c", NULL, 0, NULL, NULL),
                 LT_ERR_INSUFFICIENT_STOCK);
    CHECK_OK(lt_deficits_json(t, &json));
    CHECK(strcmp(json, "[]") == 0);
    lt_string_free(json);
    lt_tracker_free(t);
    return true;
}

static bool test_version_and_status_names(void) {
    CHECK(lt_version() != NULL && strlen(lt_version()) >= 5);
    CHECK(strcmp(lt_status_name(LT_OK), "LT_OK") == 0);
    CHECK(strcmp(lt_status_name(LT_ERR_INSUFFICIENT_STOCK), "LT_ERR_INSUFFICIENT_STOCK") == 0);
    CHECK(strcmp(lt_status_name(LT_ERR_PANIC), "LT_ERR_PANIC") == 0);
    CHECK(strcmp(lt_status_name((LtStatus)77), "LT_ERR_UNKNOWN_STATUS") == 0);
    CHECK(LT_OK == 0 && LT_ERR_MALFORMED_JSON == 1 && LT_ERR_CONFLICT == 21);
    CHECK(LT_ERR_NULL_POINTER >= 100 && LT_ERR_INVALID_UTF8 >= 100 && LT_ERR_PANIC >= 100 &&
          LT_ERR_OUT_OF_RANGE >= 100);
    return true;
}

int main(void) {
    RUN(test_every_kind_typed);
    RUN(test_every_kind_json);
    RUN(test_generated_ids_and_sequence);
    RUN(test_same_event_twice_is_idempotent);
    RUN(test_exact_quantities_and_units);
    RUN(test_lenient_tracker_records_deficits);
    RUN(test_version_and_status_names);
    return harness_finish();
}
