//! WASM binding (skeleton).
