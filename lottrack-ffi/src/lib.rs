//! C ABI over lottrack-core (work in progress).
