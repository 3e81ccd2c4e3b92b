//! A short `Debug` for [`Engine`]: what it was built from, in counts, not
//! its look-up tables (tens of kilobytes for a real setup).

use std::fmt;

use super::Engine;

impl fmt::Debug for Engine {
    /// `Engine { home_country: "NL", slots: 8, types: 2, groups: 5, … }`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let setup = &self.compiled.setup;
        f.debug_struct("Engine")
            .field("home_country", &setup.home_country.as_str())
            .field("slots", &setup.slots.len())
            .field("types", &setup.types.len())
            .field("groups", &setup.groups.len())
            .field("price_groups", &setup.price_groups.len())
            .field("attributes", &setup.attributes.len())
            .field("rules", &setup.rules.len())
            .field("item_groups", &setup.pricing.item_groups.len())
            .field("price_rules", &setup.pricing.rules.len())
            .field("strategy", &setup.pricing.strategy)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use crate::{Engine, Setup};

    #[test]
    fn an_engine_prints_short() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/setup.json"
        ))
        .unwrap();
        let engine = Engine::new(Setup::from_json(&text).unwrap()).unwrap();
        let short = format!("{engine:?}");
        let full = format!("{:?}", engine.compiled);
        println!(
            "Engine Debug: {} bytes (its tables: {} bytes)",
            short.len(),
            full.len()
        );
        assert!(short.len() < 1024, "{short}");
        assert!(
            short.starts_with("Engine { home_country: \"NL\", slots: "),
            "{short}"
        );
        let segment = engine.segment("country = 'NL'").unwrap();
        assert!(format!("{segment:?}").len() < 1024);
    }
}
