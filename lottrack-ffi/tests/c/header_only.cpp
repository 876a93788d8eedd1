// The header alone, included from C++: it must compile cleanly with
// g++ -std=c++17 -Wall -Wextra -Werror -pedantic and give C linkage.
#include "lottrack.h"

static_assert(LT_OK == 0, "LT_OK is 0");
static_assert(sizeof(LtLotQty) == 4 * sizeof(const char *), "LtLotQty is four pointers");

// Taking the address of a function checks its declaration is usable from C++.
[[maybe_unused]] static LtStatus (*const record_json)(LtTracker *, const char *) = lt_record_json;
