//! Node binding (skeleton).
