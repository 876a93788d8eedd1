//! Python extension module `lottrack` (work in progress).
