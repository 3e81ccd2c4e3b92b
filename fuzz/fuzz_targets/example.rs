//! The engine of the bundled example setup, which the targets that need a
//! setup fuzz against.

use std::sync::LazyLock;

use custclass::{Engine, Setup};

pub static ENGINE: LazyLock<Option<Engine>> = LazyLock::new(|| {
    let setup = Setup::from_json(include_str!("../../examples/setup.json")).ok()?;
    Engine::new(setup).ok()
});
