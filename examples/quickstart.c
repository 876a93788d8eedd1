/* lottrack quickstart: receive, transform, ship, trace, recall.
 *
 * Build (from the repository root, after `cargo build --release -p lottrack-ffi`):
 *   cc -std=c11 -Wall -Iinclude examples/quickstart.c -Ltarget/release -llottrack \
 *      -Wl,-rpath,"$PWD/target/release" -o quickstart && ./quickstart
 */
#include <stdio.h>
#include "lottrack.h"

#define TRY(call)                                                                   \
    do {                                                                            \
        LtStatus st_ = (call);                                                      \
        if (st_ != LT_OK) {                                                         \
            fprintf(stderr, "%s: %s\n", lt_status_name(st_), lt_last_error_message()); \
            return 1;                                                               \
        }                                                                           \
    } while (0)

int main(void) {
    LtTracker *t = NULL;
    TRY(lt_tracker_new_memory(&t)); /* or lt_tracker_open("plant.lottrack", &t) */

    /* 500 kg of spinach lot F-100 arrive from farm-a */
    LtLotQty spinach = {"spinach", "F-100", "500", "kg"};
    LtDocument po = {"po", "PO-1"};
    TRY(lt_receive(t, "E1", "2026-03-01T08:00:00+01:00", "plant-1", &spinach, "farm-a", NULL,
                   &po, 1, NULL, NULL));

    /* 200 kg of it become 400 salads, lot S-1 */
    LtLotQty in = {"spinach", "F-100", "200", "kg"};
    LtLotQty out = {"salad", "S-1", "400", "each"};
    TRY(lt_transform(t, "E2", "2026-03-02T10:00:00+01:00", "plant-1", &in, 1, &out, 1, NULL,
                     NULL, 0, NULL, NULL));

    /* 120 salads ship to store-12 */
    LtLotQty ship = {"salad", "S-1", "120", "each"};
    LtDocument bol = {"bol", "B-9"};
    TRY(lt_ship(t, "E3", "2026-03-03T06:00:00+01:00", "plant-1", &ship, "store-12", &bol, 1,
                NULL, NULL));

    /* Where did F-100 go? Walk the trace without JSON. */
    LtTrace *trace = NULL;
    TRY(lt_trace_forward(t, "spinach", "F-100", &trace));
    for (size_t i = 0; i < lt_trace_len(trace); i++) {
        const char *product, *lot;
        uint32_t depth;
        TRY(lt_trace_lot(trace, i, &product, &lot, &depth));
        printf("downstream: %s %s (depth %u)\n", product, lot, (unsigned)depth);
    }
    lt_trace_free(trace);

    /* The recall report: customers to notify, stock to hold, mass balance. */
    char *csv = NULL;
    TRY(lt_recall_csv(t, "[{\"product\": \"spinach\", \"lot\": \"F-100\"}]", &csv));
    printf("%s", csv);
    lt_string_free(csv);

    char *json = NULL;
    TRY(lt_mass_balance_json(t, "spinach", "F-100", &json));
    printf("%s\n", json);
    lt_string_free(json);

    lt_tracker_free(t);
    return 0;
}
