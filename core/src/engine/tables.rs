//! What the engine works out for a whole table at once: each row's VAT
//! zone, the attributes that can't be read, and the compiled parts the
//! bulk classifier reads.

use jiff::civil::Date;

use super::{Engine, Mode};
use crate::classification::Target;
use crate::compiled::Compiled;
use crate::customer::VatZone;
use crate::error::CustomerError;
use crate::expr::Cond;
use crate::scalar;
use crate::setup::AttributeKind;
use crate::table::CustomerTable;
use crate::table::column::DateColumn;

impl Engine {
    /// Each row's VAT zone (0 for none, else 1 + its place in
    /// [`VatZone::ALL`]), as [`Engine::subject`] works it out for one
    /// customer: set by hand, else from the billing country as of `created_at`.
    /// Each distinct country is looked up once; only a row whose country
    /// joined or left the EU within the table's span of days compares its
    /// own day with the membership periods.
    /// What [`Engine::table_zones`] depends on besides the table: the home
    /// country and the EU membership of the table's countries.
    pub(crate) fn zone_key(&self, table: &CustomerTable) -> String {
        let compiled = self.compiled.as_ref();
        let mut key = compiled.setup.home_country.as_str().to_owned();
        for country in table
            .text("country")
            .into_iter()
            .flat_map(|c| c.values.iter())
        {
            key.push_str(&format!("|{country}:{:?}", compiled.eu.periods(country)));
        }
        key
    }

    pub(crate) fn table_zones(&self, table: &CustomerTable) -> Vec<u8> {
        const BY_DAY: u8 = u8::MAX;
        let compiled = self.compiled.as_ref();
        let home = compiled.setup.home_country.as_str();
        let code = zone_code;
        let created = table.created_at();
        let days = DaySpan::of(created, table.len());
        let countries = table.text("country");
        // Per country code: its zone, or BY_DAY when the rows' days differ
        // in membership (code 0, no country, has no zone).
        let mut zones = match countries {
            Some(column) => {
                let by_code: Vec<u8> = std::iter::once(0)
                    .chain(column.values.iter().map(|country| {
                        let member = days.constant_membership(compiled.eu.periods(country));
                        match (crate::eu::same_vat_area(country, home), member) {
                            (true, _) => code(Some(VatZone::Domestic)),
                            (false, Some(true)) => code(Some(VatZone::Eu)),
                            (false, Some(false)) => code(Some(VatZone::Abroad)),
                            (false, None) => BY_DAY,
                        }
                    }))
                    .collect();
                column.codes.lookup(&by_code)
            }
            None => vec![0; table.len()],
        };
        if let Some(column) = countries {
            for (row, zone) in zones.iter_mut().enumerate() {
                if *zone != BY_DAY {
                    continue;
                }
                let periods = column.get(row).map_or(&[][..], |c| compiled.eu.periods(c));
                let day = created.and_then(|days| days.get(row));
                *zone = match crate::eu::member_in(periods, day) {
                    true => code(Some(VatZone::Eu)),
                    false => code(Some(VatZone::Abroad)),
                };
            }
        }
        hand_zones(table, &mut zones);
        zones
    }

    /// Each row's VAT zone on `day`, as [`Engine::table_zones`] codes them:
    /// pricing asks for the zone on the line's date, not the customer's
    /// creation day.
    pub(crate) fn table_zones_on(&self, table: &CustomerTable, day: Date) -> Vec<u8> {
        let compiled = self.compiled.as_ref();
        let home = compiled.setup.home_country.as_str();
        let mut zones = match table.text("country") {
            Some(column) => {
                let by_code: Vec<u8> = std::iter::once(0)
                    .chain(column.values.iter().map(|country| {
                        let zone = if crate::eu::same_vat_area(country, home) {
                            VatZone::Domestic
                        } else if crate::eu::member_in(compiled.eu.periods(country), Some(day)) {
                            VatZone::Eu
                        } else {
                            VatZone::Abroad
                        };
                        zone_code(Some(zone))
                    }))
                    .collect();
                column.codes.lookup(&by_code)
            }
            None => vec![0; table.len()],
        };
        hand_zones(table, &mut zones);
        zones
    }

    /// The days on which some country of `table` joins or leaves the EU:
    /// between two of them every row's zone stays the same.
    pub(crate) fn zone_changes(&self, table: &CustomerTable) -> Vec<Date> {
        let compiled = self.compiled.as_ref();
        let mut days: Vec<Date> = table
            .text("country")
            .into_iter()
            .flat_map(|column| column.values.iter())
            .flat_map(|country| compiled.eu.periods(country).iter())
            .flat_map(|&(from, to)| [Some(from), to.and_then(|to| to.tomorrow().ok())])
            .flatten()
            .collect();
        days.sort_unstable();
        days.dedup();
        days
    }

    /// The rows whose numeric attributes include text that isn't a number, with
    /// the error [`Engine::subject`] gives such a customer (the first such
    /// attribute by name).
    pub(crate) fn unreadable_attributes(
        &self,
        table: &CustomerTable,
    ) -> Vec<(usize, CustomerError)> {
        let mut numeric: Vec<&String> = self.numeric_attributes().collect();
        numeric.sort();
        let mut rejected: Vec<(usize, CustomerError)> = Vec::new();
        for name in numeric {
            let Some(column) = table.text(&format!("attr.{name}")) else {
                continue;
            };
            let bad: Vec<bool> = column
                .values
                .iter()
                .map(|value| scalar::decimal(value).is_err())
                .collect();
            for row in 0..table.len() {
                let code = column.codes.get(row) as usize;
                let Some(true) = code.checked_sub(1).and_then(|i| bad.get(i).copied()) else {
                    continue;
                };
                if !rejected.iter().any(|(seen, _)| *seen == row) {
                    let value = column.get(row).unwrap_or_default().to_owned();
                    let field = format!("attr.{name}");
                    rejected.push((row, CustomerError::InvalidAttribute { field, value }));
                }
            }
        }
        rejected.sort_by_key(|(row, _)| *row);
        rejected
    }

    /// Every auto-labelling rule's condition, in rule order.
    /// The validated, compiled setup.
    pub(crate) fn compiled(&self) -> &Compiled {
        &self.compiled
    }

    /// The setup's numeric attributes, by name.
    pub(crate) fn numeric_attributes(&self) -> impl Iterator<Item = &String> {
        self.compiled
            .attributes
            .iter()
            .filter(|(_, kind)| **kind == AttributeKind::Number)
            .map(|(name, _)| name)
    }

    pub(crate) fn rule_conditions(&self) -> impl Iterator<Item = &Cond> {
        self.compiled.rules.iter().map(|rule| &rule.cond)
    }

    /// The rules that set `target`, in order: each rule's position among
    /// all rules, its id, the value it sets, and whether it overrides values
    /// set by hand.
    pub(crate) fn target_rules(
        &self,
        target: Target,
    ) -> impl Iterator<Item = (usize, &str, &str, bool)> {
        let compiled = self.compiled.as_ref();
        compiled
            .by_target
            .get(target.index())
            .into_iter()
            .flatten()
            .filter_map(|(index, value)| {
                let rule = compiled.rules.get(*index)?;
                Some((*index, rule.id.as_str(), value.as_str(), rule.overrides))
            })
    }

    /// Whether `code` may stand for `target` on a new customer, with the
    /// error `classify` gives when not.
    pub(crate) fn check_new_value(&self, target: Target, code: &str) -> Result<(), CustomerError> {
        self.check_stored(target, code, Mode::New)
    }

    /// Whether `code` may stand on a customer's record when it is priced:
    /// inactive values are history, not errors.
    pub(crate) fn check_priced_value(
        &self,
        target: Target,
        code: &str,
    ) -> Result<(), CustomerError> {
        self.check_stored(target, code, Mode::Stored)
    }
}

/// The days of a table's `created_at` column: the first and last, and
/// whether some row has none.
struct DaySpan {
    range: Option<(Date, Date)>,
    missing: bool,
}

impl DaySpan {
    fn of(created: Option<&DateColumn>, rows: usize) -> DaySpan {
        let Some(column) = created else {
            return DaySpan {
                range: None,
                missing: rows > 0,
            };
        };
        DaySpan {
            range: column.span(),
            missing: column.parts().1.count() < rows,
        }
    }

    /// Whether every row is a member per `periods` (`Some(true)`), none
    /// is (`Some(false)`), or it depends on the row's day (`None`).
    fn constant_membership(&self, periods: &crate::eu::Periods) -> Option<bool> {
        let with_day = match self.range {
            Some((first, last)) => {
                let changes = periods.iter().any(|(from, to)| {
                    (first < *from && *from <= last)
                        || to.is_some_and(|to| first <= to && to < last)
                });
                if changes {
                    return None;
                }
                Some(crate::eu::member_in(periods, Some(first)))
            }
            None => None,
        };
        let without_day = self.missing.then(|| crate::eu::member_in(periods, None));
        match (with_day, without_day) {
            (Some(a), Some(b)) if a != b => None,
            (Some(a), _) | (None, Some(a)) => Some(a),
            (None, None) => Some(false),
        }
    }
}

/// A zone as [`Engine::table_zones`] codes it: 0 for none, else 1 + its
/// position in [`VatZone::ALL`].
fn zone_code(zone: Option<VatZone>) -> u8 {
    let position = zone.and_then(|z| VatZone::ALL.iter().position(|a| *a == z));
    position.map_or(0, |i| i as u8 + 1)
}

/// A zone set by hand wins (one that doesn't parse is no zone).
fn hand_zones(table: &CustomerTable, zones: &mut [u8]) {
    if let Some(stored) = table.text("vat_zone") {
        const NOT_SET: u8 = u8::MAX;
        let by_code: Vec<u8> = std::iter::once(NOT_SET)
            .chain(stored.values.iter().map(|v| zone_code(VatZone::parse(v))))
            .collect();
        for (zone, hand) in zones.iter_mut().zip(stored.codes.lookup(&by_code)) {
            *zone = if hand == NOT_SET { *zone } else { hand };
        }
    }
}
