/* Recall exercises from C: scored mock recalls (handle, ranking, reports, recording
 * the drill), mass balance in a reporting unit with a tolerance, transform yields,
 * bitemporal snapshots (as of an event time, as known at a recorded time), the
 * trace as SVG, product master data, and NULL misuse of each of these functions. */
#define _POSIX_C_SOURCE 200809L
#include <time.h>

#include "harness.h"

#define FLOUR_F "[{\"product\":\"flour\",\"lot\":\"F\"}]"

/* A small chain, in kg throughout:
 *   E1 receive 100 kg flour F from mill-a
 *   E2 transform 60 kg F -> 100 kg bread B   (B is 60 % flour F)
 *   E3 ship 50 kg B to shop-1                (30 kg of F)
 *   E4 ship 10 kg B to shop-2                ( 6 kg of F)
 *   E5 ship 20 kg F to shop-3                (20 kg of F)
 * F: 100 in, 60 consumed + 20 shipped + 20 on hand = 100 % accounted for. */
static LtTracker *bakery(void) {
    LtTracker *t = NULL;
    if (lt_tracker_new_memory(&t) != LT_OK) {
        return NULL;
    }
    LtLotQty flour = {"flour", "F", "100", "kg"};
    LtLotQty in = {"flour", "F", "60", "kg"};
    LtLotQty bread = {"bread", "B", "100", "kg"};
    LtLotQty s1 = {"bread", "B", "50", "kg"};
    LtLotQty s2 = {"bread", "B", "10", "kg"};
    LtLotQty s3 = {"flour", "F", "20", "kg"};
    if (lt_receive(t, "E1", T1, "bakery", &flour, "mill-a", NULL, NULL, 0, NULL, NULL) != LT_OK ||
        lt_transform(t, "E2", T2, "bakery", &in, 1, &bread, 1, NULL, NULL, 0, NULL, NULL) != LT_OK ||
        lt_ship(t, "E3", T3, "bakery", &s1, "shop-1", NULL, 0, NULL, NULL) != LT_OK ||
        lt_ship(t, "E4", T3, "bakery", &s2, "shop-2", NULL, 0, NULL, NULL) != LT_OK ||
        lt_ship(t, "E5", T3, "bakery", &s3, "shop-3", NULL, 0, NULL, NULL) != LT_OK) {
        fprintf(stderr, "  bakery: %s\n", lt_last_error_message());
        lt_tracker_free(t);
        return NULL;
    }
    return t;
}

static bool test_mock_recall(void) {
    LtTracker *t = bakery();
    CHECK(t != NULL);
    LtMockRecall *d = NULL;
    CHECK_OK(lt_mock_recall(t, FLOUR_F, "kg", "95", "105", &d));

    char *score = NULL;
    CHECK_OK(lt_mock_recall_score(d, &score));
    CHECK(strcmp(score, "100") == 0);
    lt_string_free(score);
    bool passed = false;
    CHECK_OK(lt_mock_recall_passed(d, &passed));
    CHECK(passed);

    /* the customers, most exposed first: who to call first */
    size_t n = 0;
    CHECK_OK(lt_mock_recall_customer_count(d, &n));
    CHECK(n == 3);
    const char *want[3][2] = {{"shop-1", "30"}, {"shop-3", "20"}, {"shop-2", "6"}};
    for (size_t i = 0; i < n; i++) {
        const char *customer = NULL, *root_qty = NULL;
        CHECK_OK(lt_mock_recall_customer(d, i, &customer, &root_qty));
        CHECK(strcmp(customer, want[i][0]) == 0);
        CHECK(root_qty != NULL && strcmp(root_qty, want[i][1]) == 0);
    }
    const char *c = "untouched", *q = "untouched";
    CHECK_STATUS(lt_mock_recall_customer(d, 3, &c, &q), LT_ERR_OUT_OF_RANGE);
    CHECK(strcmp(c, "untouched") == 0 && strcmp(q, "untouched") == 0);

    /* the report in its three forms */
    char *json = NULL;
    CHECK_OK(lt_mock_recall_json(d, &json));
    CHECK_CONTAINS(json, "\"roots\":[{\"product\":\"flour\",\"lot\":\"F\"}]");
    CHECK_CONTAINS(json, "\"reporting_unit\":\"kg\"");
    CHECK_CONTAINS(json, "\"score\":\"100\"");
    CHECK_CONTAINS(json, "\"pass\":true");
    CHECK_CONTAINS(json, "\"supplier\":\"mill-a\"");
    CHECK_CONTAINS(json, "\"product\":\"bread\",\"lot\":\"B\",\"depth\":1,\"status\":\"active\","
                         "\"share\":\"0.6\",\"root_quantity\":\"60\"");
    /* shop-1 before shop-3 before shop-2 in the JSON too */
    const char *p1 = strstr(json, "\"customer\":\"shop-1\"");
    const char *p3 = strstr(json, "\"customer\":\"shop-3\"");
    const char *p2 = strstr(json, "\"customer\":\"shop-2\"");
    CHECK(p1 != NULL && p3 != NULL && p2 != NULL && p1 < p3 && p3 < p2);
    lt_string_free(json);

    char *csv = NULL;
    CHECK_OK(lt_mock_recall_csv(d, &csv));
    const char *header = "section,customer_or_location,product,lot,quantity,uom,root_quantity,"
                         "time,event_id,documents\r\n";
    CHECK(strncmp(csv, header, strlen(header)) == 0);
    CHECK_CONTAINS(csv, "notify,shop-1,bread,B,50,kg,30 kg,");
    CHECK_CONTAINS(csv, "hold,bakery,flour,F,20,kg,");
    CHECK_CONTAINS(csv, "balance,,flour,F,100,kg,100 %,,PASS,");
    lt_string_free(csv);

    char *md = NULL;
    CHECK_OK(lt_mock_recall_markdown(d, &md));
    CHECK(strncmp(md, "# Mock recall: flour/F", 22) == 0);
    CHECK_CONTAINS(md, "**Result: PASS**");
    CHECK_CONTAINS(md, "shop-1");
    lt_string_free(md);

    /* nothing was recorded by the drill ... */
    uint64_t count = 0;
    CHECK_OK(lt_event_count(t, &count));
    CHECK(count == 5);
    /* ... until it is recorded on purpose */
    uint64_t seq = 0;
    char *id = NULL;
    CHECK_OK(lt_record_mock_recall(t, d, "DRILL-1", T4, &seq, &id));
    CHECK(seq == 6 && strcmp(id, "DRILL-1") == 0);
    lt_string_free(id);
    CHECK_OK(lt_event_count(t, &count));
    CHECK(count == 6);
    char *ev = NULL;
    CHECK_OK(lt_event_json(t, "DRILL-1", &ev));
    CHECK_CONTAINS(ev, "\"kind\":\"mock_recall\"");
    CHECK_CONTAINS(ev, "\"score\":\"100\"");
    CHECK_CONTAINS(ev, "\"pass\":true");
    lt_string_free(ev);
    /* the same id again is a different event: refused, nothing recorded */
    CHECK_STATUS(lt_record_mock_recall(t, d, "DRILL-1", "2026-03-05T09:00:00+01:00", NULL, NULL),
                 LT_ERR_DUPLICATE_EVENT);
    /* a generated id; the drill changed no stock */
    CHECK_OK(lt_record_mock_recall(t, d, NULL, T4, NULL, &id));
    CHECK(id != NULL && id[0] != '\0');
    lt_string_free(id);
    CHECK_OK(lt_event_count(t, &count));
    CHECK(count == 7);
    CHECK_OK(lt_on_hand_json(t, "flour", "F", &json));
    CHECK_CONTAINS(json, "\"quantity\":\"20\"");
    lt_string_free(json);

    /* the drill owns its data: it outlives its tracker */
    lt_tracker_free(t);
    const char *first = NULL, *first_qty = NULL;
    CHECK_OK(lt_mock_recall_customer(d, 0, &first, &first_qty));
    CHECK(strcmp(first, "shop-1") == 0);
    lt_mock_recall_free(d);
    return true;
}

/* The drill in another unit, a unit with no path, and a tolerance it misses. */
static bool test_mock_recall_units_and_tolerance(void) {
    LtTracker *t = bakery();
    CHECK(t != NULL);
    LtMockRecall *d = NULL;
    CHECK_OK(lt_mock_recall(t, FLOUR_F, "lb", "99.5", "105", &d));
    const char *customer = NULL, *qty = NULL;
    CHECK_OK(lt_mock_recall_customer(d, 0, &customer, &qty));
    CHECK(strcmp(customer, "shop-1") == 0);
    CHECK(strncmp(qty, "66.138", 6) == 0); /* 30 kg in lb */
    bool passed = false;
    CHECK_OK(lt_mock_recall_passed(d, &passed));
    CHECK(passed);
    lt_mock_recall_free(d);

    /* kg has no path to "each": named, never skipped, and the drill fails */
    CHECK_OK(lt_mock_recall(t, FLOUR_F, "each", "95", "105", &d));
    CHECK_OK(lt_mock_recall_passed(d, &passed));
    CHECK(!passed);
    CHECK_OK(lt_mock_recall_customer(d, 0, &customer, &qty));
    CHECK(qty == NULL); /* unknown */
    char *json = NULL;
    CHECK_OK(lt_mock_recall_json(d, &json));
    CHECK_CONTAINS(json, "\"unconvertible\":[\"flour\"");
    lt_string_free(json);
    lt_mock_recall_free(d);

    /* a 100 % drill outside a 101-105 % tolerance fails */
    CHECK_OK(lt_mock_recall(t, FLOUR_F, "kg", "101", "105", &d));
    CHECK_OK(lt_mock_recall_passed(d, &passed));
    CHECK(!passed);
    char *md = NULL;
    CHECK_OK(lt_mock_recall_markdown(d, &md));
    CHECK_CONTAINS(md, "**Result: FAIL**");
    lt_string_free(md);
    lt_mock_recall_free(d);

    LtMockRecall *none = NULL;
    CHECK_STATUS(lt_mock_recall(t, FLOUR_F, "kg", "105", "95", &none), LT_ERR_INVALID_FIELD);
    CHECK_STATUS(lt_mock_recall(t, FLOUR_F, "kg", "most", "105", &none), LT_ERR_INVALID_FIELD);
    CHECK_CONTAINS(lt_last_error_message(), "most");
    CHECK_STATUS(lt_mock_recall(t, "[{\"product\":\"flour\",\"lot\":\"X\"}]", "kg", "95", "105",
                                &none),
                 LT_ERR_UNKNOWN_LOT);
    CHECK_STATUS(lt_mock_recall(t, "flour/F", "kg", "95", "105", &none), LT_ERR_MALFORMED_JSON);
    CHECK(none == NULL);
    lt_tracker_free(t);
    return true;
}

/* A lot's balance in pounds, judged against a tolerance. The tracker is lenient so
 * that more can leave than came in (an import of a system that went negative):
 * 400 bags in, 412 out = 103 % accounted for. One kg is 4 bags. */
static bool test_mass_balance_in_lb(void) {
    LtTrackerOptions o = lt_tracker_options_default();
    o.lenient = true;
    LtTracker *t = NULL;
    CHECK_OK(lt_tracker_new_memory_with(&o, &t));
    LtConversion per_kg = {"kg", "4"};
    CHECK_OK(lt_product(t, "P", T1, "bag", "each", &per_kg, 1, NULL, 0, NULL, NULL));
    LtLotQty in = {"bag", "B-1", "400", "each"};
    LtLotQty out = {"bag", "B-1", "412", "each"};
    CHECK_OK(lt_receive(t, "E1", T1, "store", &in, NULL, NULL, NULL, 0, NULL, NULL));
    CHECK_OK(lt_ship(t, "E2", T2, "store", &out, "c", NULL, 0, NULL, NULL));

    char *json = NULL;
    CHECK_OK(lt_mass_balance_in_json(t, "bag", "B-1", "lb", "95", "105", &json));
    CHECK_CONTAINS(json, "\"uom\":\"lb\"");
    CHECK_CONTAINS(json, "\"received\":\"220.462"); /* 100 kg */
    CHECK_CONTAINS(json, "\"shipped\":\"227.076"); /* 103 kg */
    CHECK_CONTAINS(json, "\"accounted_pct\":\"103\"");
    CHECK_CONTAINS(json, "\"pass\":true");
    CHECK_CONTAINS(json, "\"tolerance\":{\"low\":\"95\",\"high\":\"105\"}");
    lt_string_free(json);
    /* the stricter 99.5-102 % fails; the bounds themselves are admitted */
    CHECK_OK(lt_mass_balance_in_json(t, "bag", "B-1", "lb", "99.5", "102", &json));
    CHECK_CONTAINS(json, "\"pass\":false");
    lt_string_free(json);
    CHECK_OK(lt_mass_balance_in_json(t, "bag", "B-1", "kg", "99.5", "103", &json));
    CHECK_CONTAINS(json, "\"received\":\"100\"");
    CHECK_CONTAINS(json, "\"pass\":true");
    lt_string_free(json);

    /* no path from bags to litres; bad tolerances; unknown lots */
    json = NULL;
    CHECK_STATUS(lt_mass_balance_in_json(t, "bag", "B-1", "l", "95", "105", &json),
                 LT_ERR_INCOMPATIBLE_UNITS);
    CHECK_CONTAINS(lt_last_error_message(), "bag");
    CHECK_STATUS(lt_mass_balance_in_json(t, "bag", "B-1", "lb", "105", "95", &json),
                 LT_ERR_INVALID_FIELD);
    CHECK_STATUS(lt_mass_balance_in_json(t, "bag", "B-1", "lb", "-1", "105", &json),
                 LT_ERR_INVALID_FIELD);
    CHECK_STATUS(lt_mass_balance_in_json(t, "bag", "B-404", "lb", "95", "105", &json),
                 LT_ERR_UNKNOWN_LOT);
    CHECK(json == NULL);
    lt_tracker_free(t);
    return true;
}

/* Yields per transform, one outside its product's declared range. */
static bool test_transform_yield_flagged(void) {
    LtTracker *t = NULL;
    CHECK_OK(lt_tracker_new_memory(&t));
    CHECK_OK(lt_record_json(t, "{\"event_id\":\"P\",\"kind\":\"product\",\"time\":\"" T1
                               "\",\"product\":\"juice\",\"uom\":\"kg\","
                               "\"yield_range\":[\"0.5\",\"0.7\"]}"));
    LtLotQty a1 = {"apples", "A-1", "100", "kg"};
    LtLotQty a2 = {"apples", "A-2", "100", "kg"};
    CHECK_OK(lt_receive(t, "R1", T1, "press", &a1, NULL, NULL, NULL, 0, NULL, NULL));
    CHECK_OK(lt_receive(t, "R2", T1, "press", &a2, NULL, NULL, NULL, 0, NULL, NULL));
    LtLotQty j1 = {"juice", "J-1", "80", "kg"}; /* 80 %: outside 50-70 % */
    LtLotQty j2 = {"juice", "J-2", "60", "kg"}; /* 60 %: inside */
    CHECK_OK(lt_transform(t, "T1", T2, "press", &a1, 1, &j1, 1, NULL, NULL, 0, NULL, NULL));
    CHECK_OK(lt_transform(t, "T2", T3, "press", &a2, 1, &j2, 1, NULL, NULL, 0, NULL, NULL));

    char *json = NULL;
    CHECK_OK(lt_transform_yields_json(t, "kg", &json));
    CHECK_CONTAINS(json, "{\"event_id\":\"T1\",\"uom\":\"kg\",\"inputs\":\"100\",\"outputs\":\"80\","
                         "\"yield_pct\":\"80\",\"expected_pct\":[\"50\",\"70\"],\"flagged\":true}");
    CHECK_CONTAINS(json, "{\"event_id\":\"T2\",\"uom\":\"kg\",\"inputs\":\"100\",\"outputs\":\"60\","
                         "\"yield_pct\":\"60\",\"expected_pct\":[\"50\",\"70\"],\"flagged\":false}");
    lt_string_free(json);
    /* the same in pounds: same percentages */
    CHECK_OK(lt_transform_yields_json(t, "lb", &json));
    CHECK_CONTAINS(json, "\"yield_pct\":\"80\"");
    CHECK_CONTAINS(json, "\"flagged\":true");
    lt_string_free(json);
    json = NULL;
    CHECK_STATUS(lt_transform_yields_json(t, "each", &json), LT_ERR_INCOMPATIBLE_UNITS);
    CHECK_CONTAINS(lt_last_error_message(), "T1");
    CHECK(json == NULL);
    lt_tracker_free(t);
    return true;
}

static void sleep_ms(long ms) {
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

/* A shipment recorded to the wrong customer and corrected later (void + new
 * shipment), then a receipt that arrives late with an earlier event time. */
static bool test_bitemporal(void) {
    LtTracker *t = NULL;
    CHECK_OK(lt_tracker_new_memory(&t));
    LtLotQty spinach = {"spinach", "F-100", "500", "kg"};
    LtLotQty ship = {"spinach", "F-100", "100", "kg"};
    CHECK_OK(lt_receive(t, "E1", T1, "plant-1", &spinach, "farm-a", NULL, NULL, 0, NULL, NULL));
    CHECK_OK(lt_ship(t, "E2", T2, "plant-1", &ship, "store-A", NULL, 0, NULL, NULL));
    char *known = NULL;
    CHECK_OK(lt_recorded_at(t, "E2", &known));
    CHECK(strlen(known) == strlen("2026-03-05T09:12:44.123456Z") && known[26] == 'Z');
    sleep_ms(5); /* the correction is recorded strictly later */
    CHECK_OK(lt_void(t, "V1", T4, "E2", "wrong_customer", NULL, 0, NULL, NULL));
    CHECK_OK(lt_ship(t, "E3", T2, "plant-1", &ship, "store-B", NULL, 0, NULL, NULL));
    /* a receipt of 5 kg kale on the 1st, recorded only now */
    LtLotQty kale = {"kale", "K-1", "5", "kg"};
    CHECK_OK(lt_receive(t, "E4", T1, "plant-1", &kale, "farm-b", NULL, NULL, 0, NULL, NULL));

    /* today: store-B got the spinach */
    char *json = NULL;
    CHECK_OK(lt_trace_forward_json(t, "spinach", "F-100", &json));
    CHECK_CONTAINS(json, "\"customer\":\"store-B\"");
    CHECK(strstr(json, "store-A") == NULL);
    lt_string_free(json);

    /* what the system said right after E2: store-A, and no kale yet */
    LtTracker *then = NULL;
    CHECK_OK(lt_tracker_as_known_at(t, known, &then));
    uint64_t n = 0;
    CHECK_OK(lt_event_count(then, &n));
    CHECK(n == 2);
    CHECK_OK(lt_trace_forward_json(then, "spinach", "F-100", &json));
    CHECK_CONTAINS(json, "\"customer\":\"store-A\"");
    CHECK(strstr(json, "store-B") == NULL);
    lt_string_free(json);
    CHECK_OK(lt_recall_json(then, "[{\"product\":\"spinach\",\"lot\":\"F-100\"}]", &json));
    CHECK_CONTAINS(json, "\"customer\":\"store-A\"");
    lt_string_free(json);
    json = NULL;
    CHECK_STATUS(lt_lot_info_json(then, "kale", "K-1", &json), LT_ERR_UNKNOWN_PRODUCT);
    CHECK(json == NULL);
    lt_tracker_free(then);

    /* as of the event time 2026-03-02: the late kale receipt is in (it happened on
     * the 1st), the voided shipment is out, the corrected one is in */
    LtTracker *asof = NULL;
    CHECK_OK(lt_tracker_as_of(t, "2026-03-02T12:00:00+01:00", &asof));
    CHECK_OK(lt_lot_info_json(asof, "kale", "K-1", &json));
    CHECK_CONTAINS(json, "\"on_hand\":\"5\"");
    CHECK_CONTAINS(json, "\"supplier\":\"farm-b\"");
    lt_string_free(json);
    CHECK_OK(lt_trace_forward_json(asof, "spinach", "F-100", &json));
    CHECK_CONTAINS(json, "\"customer\":\"store-B\"");
    CHECK(strstr(json, "store-A") == NULL);
    lt_string_free(json);
    /* before anything happened */
    LtTracker *before = NULL;
    CHECK_OK(lt_tracker_as_of(t, "2026-02-01T00:00:00Z", &before));
    CHECK_STATUS(lt_trace_forward_json(before, "spinach", "F-100", &json), LT_ERR_UNKNOWN_PRODUCT);
    lt_tracker_free(before);

    /* a snapshot is independent of its tracker */
    lt_tracker_free(t);
    CHECK_OK(lt_event_count(asof, &n));
    CHECK(n == 3); /* E1, E3, E4 */
    lt_tracker_free(asof);
    lt_string_free(known);
    return true;
}

static bool test_bitemporal_errors(void) {
    LtTracker *t = NULL;
    CHECK_OK(lt_tracker_new_memory(&t));
    LtTracker *snap = NULL;
    char *at = NULL;
    CHECK_STATUS(lt_tracker_as_of(t, "yesterday", &snap), LT_ERR_INVALID_TIME);
    CHECK_STATUS(lt_tracker_as_known_at(t, "2026-03-01T08:00:00", &snap), LT_ERR_INVALID_TIME);
    CHECK_STATUS(lt_recorded_at(t, "E-NONE", &at), LT_ERR_UNKNOWN_EVENT);
    CHECK_CONTAINS(lt_last_error_message(), "E-NONE");
    CHECK(snap == NULL && at == NULL);
    lt_tracker_free(t);
    return true;
}

static bool test_trace_svg_and_product(void) {
    LtTracker *t = bakery();
    CHECK(t != NULL);
    LtTrace *tr = NULL;
    CHECK_OK(lt_trace_forward(t, "flour", "F", &tr));
    char *svg = NULL;
    LtStatus st = lt_trace_svg(tr, &svg);
    if (st == LT_OK) {
        CHECK_CONTAINS(svg, "<svg");
        CHECK_CONTAINS(svg, "<title>lot:bread/B</title>");
        CHECK_CONTAINS(svg, "<title>customer:shop"); /* Graphviz writes '-' as &#45; */
        lt_string_free(svg);
    } else { /* Graphviz is not installed: said so, nothing returned */
        CHECK(st == LT_ERR_STORAGE);
        CHECK_CONTAINS(lt_last_error_message(), "Graphviz");
        CHECK(svg == NULL);
    }
    lt_trace_free(tr);

    LtConversion per_case = {"case", "12"};
    CHECK_OK(lt_product(t, "P1", T1, "roll", "each", &per_case, 1, NULL, 0, NULL, NULL));
    char *json = NULL;
    CHECK_OK(lt_product_json(t, "roll", &json));
    CHECK_CONTAINS(json, "\"product\":\"roll\"");
    CHECK_CONTAINS(json, "\"uom\":\"each\"");
    CHECK_CONTAINS(json, "\"conversions\":{\"case\":\"12\"}");
    CHECK_CONTAINS(json, "\"declared\":true");
    lt_string_free(json);
    /* known from its receipt only */
    CHECK_OK(lt_product_json(t, "flour", &json));
    CHECK_CONTAINS(json, "\"uom\":\"kg\"");
    CHECK_CONTAINS(json, "\"declared\":false");
    lt_string_free(json);
    json = NULL;
    CHECK_STATUS(lt_product_json(t, "caviar", &json), LT_ERR_UNKNOWN_PRODUCT);
    CHECK_CONTAINS(lt_last_error_message(), "caviar");
    CHECK(json == NULL);
    lt_tracker_free(t);
    return true;
}

/* Expiry inherited from the inputs (a product rule), with its source in the lot info. */
static bool test_inherited_expiry(void) {
    LtTracker *t = NULL;
    CHECK_OK(lt_tracker_new_memory(&t));
    CHECK_OK(lt_record_json(t, "{\"event_id\":\"P\",\"kind\":\"product\",\"time\":\"" T1
                               "\",\"product\":\"salad\",\"uom\":\"kg\","
                               "\"inherit_expiry\":{\"margin_days\":1}}"));
    LtLotQty spinach = {"spinach", "S", "10", "kg"};
    LtLotAttrs attrs = {"2026-03-15", NULL, NULL, NULL};
    CHECK_OK(lt_receive(t, "E1", T1, "plant", &spinach, NULL, &attrs, NULL, 0, NULL, NULL));
    LtLotQty salad = {"salad", "M", "10", "kg"};
    CHECK_OK(lt_transform(t, "E2", T2, "plant", &spinach, 1, &salad, 1, NULL, NULL, 0, NULL, NULL));
    char *json = NULL;
    CHECK_OK(lt_lot_info_json(t, "salad", "M", &json));
    CHECK_CONTAINS(json, "\"expiry\":\"2026-03-14\"");
    CHECK_CONTAINS(json, "\"expiry_source\":\"");
    CHECK_CONTAINS(json, "E2");
    lt_string_free(json);
    lt_tracker_free(t);
    return true;
}

/* Every new function refuses each NULL it cannot take, and touches no out. */
static bool test_null_pointers(void) {
    LtTracker *t = bakery();
    CHECK(t != NULL);
    LtMockRecall *d = NULL;
    CHECK_OK(lt_mock_recall(t, FLOUR_F, "kg", "95", "105", &d));
    char *s = NULL;
    LtMockRecall *d2 = NULL;
    LtTracker *t2 = NULL;
    bool b = false;
    size_t n = 0;
    const char *c = NULL, *q = NULL;
    LtTrace *tr = NULL;
    CHECK_OK(lt_trace_forward(t, "flour", "F", &tr));

    CHECK_STATUS(lt_mass_balance_in_json(NULL, "flour", "F", "kg", "95", "105", &s), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_mass_balance_in_json(t, NULL, "F", "kg", "95", "105", &s), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_mass_balance_in_json(t, "flour", NULL, "kg", "95", "105", &s), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_mass_balance_in_json(t, "flour", "F", NULL, "95", "105", &s), LT_ERR_NULL_POINTER);
    CHECK_CONTAINS(lt_last_error_message(), "unit");
    CHECK_STATUS(lt_mass_balance_in_json(t, "flour", "F", "kg", NULL, "105", &s), LT_ERR_NULL_POINTER);
    CHECK_CONTAINS(lt_last_error_message(), "tol_low_pct");
    CHECK_STATUS(lt_mass_balance_in_json(t, "flour", "F", "kg", "95", NULL, &s), LT_ERR_NULL_POINTER);
    CHECK_CONTAINS(lt_last_error_message(), "tol_high_pct");
    CHECK_STATUS(lt_mass_balance_in_json(t, "flour", "F", "kg", "95", "105", NULL), LT_ERR_NULL_POINTER);
    CHECK_CONTAINS(lt_last_error_message(), "out_json");

    CHECK_STATUS(lt_transform_yields_json(NULL, "kg", &s), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_transform_yields_json(t, NULL, &s), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_transform_yields_json(t, "kg", NULL), LT_ERR_NULL_POINTER);

    CHECK_STATUS(lt_mock_recall(NULL, FLOUR_F, "kg", "95", "105", &d2), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_mock_recall(t, NULL, "kg", "95", "105", &d2), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_mock_recall(t, FLOUR_F, NULL, "95", "105", &d2), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_mock_recall(t, FLOUR_F, "kg", NULL, "105", &d2), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_mock_recall(t, FLOUR_F, "kg", "95", NULL, &d2), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_mock_recall(t, FLOUR_F, "kg", "95", "105", NULL), LT_ERR_NULL_POINTER);
    CHECK_CONTAINS(lt_last_error_message(), "out");

    CHECK_STATUS(lt_mock_recall_score(NULL, &s), LT_ERR_NULL_POINTER);
    CHECK_CONTAINS(lt_last_error_message(), "drill");
    CHECK_STATUS(lt_mock_recall_score(d, NULL), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_mock_recall_passed(NULL, &b), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_mock_recall_passed(d, NULL), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_mock_recall_customer_count(NULL, &n), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_mock_recall_customer_count(d, NULL), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_mock_recall_customer(NULL, 0, &c, &q), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_mock_recall_customer(d, 0, NULL, &q), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_mock_recall_customer(d, 0, &c, NULL), LT_ERR_NULL_POINTER);
    CHECK(c == NULL && q == NULL);
    CHECK_STATUS(lt_mock_recall_json(NULL, &s), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_mock_recall_json(d, NULL), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_mock_recall_csv(NULL, &s), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_mock_recall_csv(d, NULL), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_mock_recall_markdown(NULL, &s), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_mock_recall_markdown(d, NULL), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_record_mock_recall(NULL, d, "D", T4, NULL, NULL), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_record_mock_recall(t, NULL, "D", T4, NULL, NULL), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_record_mock_recall(t, d, "D", NULL, NULL, NULL), LT_ERR_NULL_POINTER);
    CHECK_CONTAINS(lt_last_error_message(), "time");

    CHECK_STATUS(lt_tracker_as_of(NULL, T1, &t2), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_tracker_as_of(t, NULL, &t2), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_tracker_as_of(t, T1, NULL), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_tracker_as_known_at(NULL, T1, &t2), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_tracker_as_known_at(t, NULL, &t2), LT_ERR_NULL_POINTER);
    CHECK_CONTAINS(lt_last_error_message(), "recorded_time");
    CHECK_STATUS(lt_tracker_as_known_at(t, T1, NULL), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_recorded_at(NULL, "E1", &s), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_recorded_at(t, NULL, &s), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_recorded_at(t, "E1", NULL), LT_ERR_NULL_POINTER);

    CHECK_STATUS(lt_trace_svg(NULL, &s), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_trace_svg(tr, NULL), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_product_json(NULL, "flour", &s), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_product_json(t, NULL, &s), LT_ERR_NULL_POINTER);
    CHECK_STATUS(lt_product_json(t, "flour", NULL), LT_ERR_NULL_POINTER);

    CHECK(s == NULL && d2 == NULL && t2 == NULL && !b && n == 0);
    /* none of the refused calls recorded anything */
    uint64_t count = 0;
    CHECK_OK(lt_event_count(t, &count));
    CHECK(count == 5);
    lt_mock_recall_free(NULL);
    lt_trace_free(tr);
    lt_mock_recall_free(d);
    lt_tracker_free(t);
    return true;
}

static bool test_invalid_utf8(void) {
    LtTracker *t = bakery();
    CHECK(t != NULL);
    const char bad[] = {'k', (char)0xC3, (char)0x28, 0};
    char *s = NULL;
    LtMockRecall *d = NULL;
    LtTracker *snap = NULL;
    CHECK_STATUS(lt_mass_balance_in_json(t, "flour", "F", bad, "95", "105", &s), LT_ERR_INVALID_UTF8);
    CHECK_STATUS(lt_transform_yields_json(t, bad, &s), LT_ERR_INVALID_UTF8);
    CHECK_STATUS(lt_mock_recall(t, FLOUR_F, "kg", bad, "105", &d), LT_ERR_INVALID_UTF8);
    CHECK_STATUS(lt_tracker_as_of(t, bad, &snap), LT_ERR_INVALID_UTF8);
    CHECK_STATUS(lt_product_json(t, bad, &s), LT_ERR_INVALID_UTF8);
    CHECK(s == NULL && d == NULL && snap == NULL);
    lt_tracker_free(t);
    return true;
}

int main(void) {
    RUN(test_mock_recall);
    RUN(test_mock_recall_units_and_tolerance);
    RUN(test_mass_balance_in_lb);
    RUN(test_transform_yield_flagged);
    RUN(test_bitemporal);
    RUN(test_bitemporal_errors);
    RUN(test_trace_svg_and_product);
    RUN(test_inherited_expiry);
    RUN(test_null_pointers);
    RUN(test_invalid_utf8);
    return harness_finish();
}
