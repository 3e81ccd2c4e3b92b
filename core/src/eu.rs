//! EU membership by date, and the VAT zone that follows from a country.
//!
//! Membership is a list of periods rather than a set of codes because the
//! answer depends on the day: a British customer created in 2020 was an EU
//! customer, one created in 2021 is not.

use std::collections::HashMap;

use jiff::civil::{Date, date};

use crate::customer::{CountryCode, VatZone};
use crate::setup::EuMembership;

/// Member states with the first day of membership, and the last for those
/// that left.
const BUILT_IN: &[(&str, Date, Option<Date>)] = &[
    ("AT", date(1995, 1, 1), None),
    ("BE", date(1958, 1, 1), None),
    ("BG", date(2007, 1, 1), None),
    ("CY", date(2004, 5, 1), None),
    ("CZ", date(2004, 5, 1), None),
    ("DE", date(1958, 1, 1), None),
    ("DK", date(1973, 1, 1), None),
    ("EE", date(2004, 5, 1), None),
    ("ES", date(1986, 1, 1), None),
    ("FI", date(1995, 1, 1), None),
    ("FR", date(1958, 1, 1), None),
    ("GB", date(1973, 1, 1), Some(date(2020, 12, 31))),
    ("GR", date(1981, 1, 1), None),
    ("HR", date(2013, 7, 1), None),
    ("HU", date(2004, 5, 1), None),
    ("IE", date(1973, 1, 1), None),
    ("IT", date(1958, 1, 1), None),
    ("LT", date(2004, 5, 1), None),
    ("LU", date(1958, 1, 1), None),
    ("LV", date(2004, 5, 1), None),
    ("MT", date(2004, 5, 1), None),
    ("NL", date(1958, 1, 1), None),
    ("PL", date(2004, 5, 1), None),
    ("PT", date(1986, 1, 1), None),
    ("RO", date(2007, 1, 1), None),
    ("SE", date(1995, 1, 1), None),
    ("SI", date(2004, 5, 1), None),
    ("SK", date(2004, 5, 1), None),
];

/// Territories with a country code of their own that lie inside another
/// country's VAT area: Monaco is taxed as part of France (the Franco-Monegasque
/// convention of 1963), the Isle of Man as part of the United Kingdom (the
/// customs and excise agreement of 1979), so they share that country's
/// membership dates too — the Isle of Man was in the EU VAT area until
/// 2020-12-31.
const VAT_AREA: &[(&str, &str)] = &[("IM", "GB"), ("MC", "FR")];

/// The country whose VAT area `country` lies in: itself, or the one
/// [`VAT_AREA`] names.
fn vat_area(country: &str) -> &str {
    VAT_AREA
        .iter()
        .find(|(territory, _)| *territory == country)
        .map_or(country, |(_, area)| area)
}

/// Whether two countries are one VAT area (`domestic` to each other).
pub(crate) fn same_vat_area(a: &str, b: &str) -> bool {
    vat_area(a) == vat_area(b)
}

/// A country's membership periods: first day, and last day if it ended.
pub(crate) type Periods = [(Date, Option<Date>)];

/// Whether `periods` cover `day`; with no day, whether one has not ended.
pub(crate) fn member_in(periods: &Periods, day: Option<Date>) -> bool {
    periods.iter().any(|(from, to)| match day {
        Some(day) => *from <= day && to.is_none_or(|to| day <= to),
        None => to.is_none(),
    })
}

/// Membership periods per country, ready for look-ups.
#[derive(Debug, Clone, Default)]
pub(crate) struct EuTable {
    periods: HashMap<String, Vec<(Date, Option<Date>)>>,
}

impl EuTable {
    /// The setup's own list, or the built-in one when it has none.
    pub(crate) fn new(members: Option<&[EuMembership]>) -> EuTable {
        let mut periods: HashMap<String, Vec<(Date, Option<Date>)>> = HashMap::new();
        match members {
            Some(members) => {
                for member in members {
                    periods
                        .entry(member.country.as_str().to_owned())
                        .or_default()
                        .push((member.from, member.to));
                }
            }
            None => {
                for (country, from, to) in BUILT_IN {
                    periods
                        .entry((*country).to_owned())
                        .or_default()
                        .push((*from, *to));
                }
            }
        }
        EuTable { periods }
    }

    /// Whether `country` is a member on `day`; with no day, whether it is a
    /// member now, i.e. has a period that has not ended.
    pub(crate) fn is_member(&self, country: &str, day: Option<Date>) -> bool {
        member_in(self.periods(country), day)
    }

    /// The membership periods of `country` (none when it never was one),
    /// a territory having those of the country whose VAT area it is in.
    pub(crate) fn periods(&self, country: &str) -> &Periods {
        self.periods
            .get(vat_area(country))
            .map_or(&[], Vec::as_slice)
    }

    /// `domestic` at home, `eu` in another member state, `abroad` elsewhere;
    /// a territory in another country's VAT area (Monaco, the Isle of Man)
    /// counts as that country.
    pub(crate) fn zone(
        &self,
        home: &CountryCode,
        country: &CountryCode,
        day: Option<Date>,
    ) -> VatZone {
        if same_vat_area(country.as_str(), home.as_str()) {
            VatZone::Domestic
        } else if self.is_member(country.as_str(), day) {
            VatZone::Eu
        } else {
            VatZone::Abroad
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn united_kingdom_left_on_2021_01_01() {
        let eu = EuTable::new(None);
        assert!(eu.is_member("GB", Some(date(2020, 12, 31))));
        assert!(!eu.is_member("GB", Some(date(2021, 1, 1))));
        assert!(!eu.is_member("GB", None));
        assert!(eu.is_member("HR", None));
        assert!(!eu.is_member("HR", Some(date(2013, 6, 30))));
        assert!(!eu.is_member("NO", None));
    }

    #[test]
    fn monaco_is_taxed_as_france_and_the_isle_of_man_as_the_united_kingdom() {
        let eu = EuTable::new(None);
        let code = |text: &str| CountryCode::try_from(text.to_owned()).unwrap();
        let (fr, nl, gb, mc, im) = (code("FR"), code("NL"), code("GB"), code("MC"), code("IM"));
        assert_eq!(eu.zone(&fr, &mc, None), VatZone::Domestic);
        assert_eq!(eu.zone(&mc, &fr, None), VatZone::Domestic);
        assert_eq!(eu.zone(&nl, &mc, None), VatZone::Eu);
        assert_eq!(eu.zone(&gb, &im, None), VatZone::Domestic);
        assert_eq!(eu.zone(&nl, &im, Some(date(2020, 12, 31))), VatZone::Eu);
        assert_eq!(eu.zone(&nl, &im, Some(date(2021, 1, 1))), VatZone::Abroad);
        assert_eq!(eu.zone(&nl, &im, None), VatZone::Abroad);
    }

    #[test]
    fn built_in_table_is_sorted_and_unique() {
        assert!(BUILT_IN.windows(2).all(|pair| pair[0].0 < pair[1].0));
        assert_eq!(BUILT_IN.len(), 28);
    }
}
