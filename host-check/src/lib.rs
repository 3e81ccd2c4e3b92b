//! Nothing to export: the tests in `tests/` are written the way a host's
//! API code is (internally tagged and untagged enums, `flatten`, `f64`
//! fields, plain `serde_json::Value` numbers) and must keep passing with
//! custclass in the build. See `tests/host.rs`.
