//! Customers entered twice: the same mailbox, the same VAT number, the same
//! address written differently, or (optionally) near-identical names at one
//! postcode and country.
//!
//! Each text is normalised once per distinct value of its column (a table
//! keeps them in dictionaries), so a million rows cost a pass over codes and
//! a hash map per reason, not a comparison of every pair. Names are only
//! compared within one postcode.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use strsim::jaro_winkler;

use super::check::Finding;
use crate::customer::Customer;
use crate::table::CustomerTable;
use crate::table::column::TextColumn;
use crate::table::strings::Strings;
use crate::vat::check_vat_number;

/// Why rows look like one customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DuplicateReason {
    /// The same mailbox (case and spaces aside).
    Email,
    /// The same VAT number (prefix, spaces and punctuation aside).
    VatNumber,
    /// The same street and house number at the same postcode (or city)
    /// and country, however written.
    Address,
    /// Names this close (Jaro-Winkler) at the same postcode and country.
    Name,
}

/// Rows that look like one customer, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DuplicateGroup {
    /// Why.
    pub reason: DuplicateReason,
    /// What the rows share, normalised (for names, the first row's).
    pub key: String,
    /// The rows, ascending.
    pub rows: Vec<usize>,
}

/// A dictionary column's values normalised: per code, the id of its
/// normalised text (`None`: no usable value).
struct Normalised {
    ids: Vec<Option<u32>>,
    texts: Vec<String>,
}

impl Normalised {
    fn of(column: Option<&TextColumn>, normalise: impl Fn(&str) -> Option<String>) -> Normalised {
        let mut ids = vec![None];
        let mut seen: FxHashMap<String, u32> = FxHashMap::default();
        for value in column.into_iter().flat_map(|c| c.values.iter()) {
            ids.push(normalise(value).map(|text| {
                let next = seen.len() as u32;
                *seen.entry(text).or_insert(next)
            }));
        }
        // Each text moves from the map to its place: one allocation apiece.
        let mut texts = vec![String::new(); seen.len()];
        for (text, id) in seen {
            if let Some(place) = texts.get_mut(id as usize) {
                *place = text;
            }
        }
        Normalised { ids, texts }
    }

    /// The normalised text of id `id`.
    fn text(&self, id: u32) -> String {
        self.texts.get(id as usize).cloned().unwrap_or_default()
    }

    /// Row `row`'s normalised id.
    fn at(&self, column: Option<&TextColumn>, row: usize) -> Option<u32> {
        let code = column?.codes.get(row) as usize;
        self.ids.get(code).copied().flatten()
    }
}

/// A table's rows keyed for each reason: per row, the id of its normalised
/// e-mail address, VAT number and address.
struct Keys {
    emails: Normalised,
    email_of: Vec<Option<u32>>,
    numbers: Normalised,
    number_of: Vec<Option<u32>>,
    addresses: Vec<String>,
    address_of: Vec<Option<u32>>,
    /// Per row, its place and country as one number, for comparing names.
    place_of: Vec<Option<u64>>,
    /// Whether places are postcodes (else cities).
    by_postcode: bool,
}

impl Keys {
    fn of(table: &CustomerTable) -> Keys {
        let rows = 0..table.len();
        let email = table.text("email");
        let emails = Normalised::of(email, mailbox_key);
        let email_of = rows.clone().map(|row| emails.at(email, row)).collect();
        let vat = table.text("vat_number");
        let numbers = Normalised::of(vat, vat_key);
        let number_of = rows.clone().map(|row| numbers.at(vat, row)).collect();
        let postcode = table.text("postcode");
        let by_postcode = postcode.is_some();
        let (street, place, country) = (
            table.text("street"),
            postcode.or(table.text("city")),
            table.text("country"),
        );
        let streets = Normalised::of(street, normalise_street);
        let place_key: fn(&str) -> Option<String> = match by_postcode {
            true => normalise_postcode,
            false => normalise_words,
        };
        let places = Normalised::of(place, place_key);
        let countries = Normalised::of(country, |v| Some(v.to_owned()));
        // Street, place and country ids, numbered as one.
        let mut numbered: FxHashMap<(u32, u32, Option<u32>), u32> = FxHashMap::default();
        let mut addresses = Vec::new();
        let mut address_of = Vec::with_capacity(table.len());
        let mut place_of = Vec::with_capacity(table.len());
        for row in rows {
            let s = streets.at(street, row);
            let p = places.at(place, row);
            let c = countries.at(country, row);
            place_of.push(p.map(|p| u64::from(p) << 32 | u64::from(c.unwrap_or(u32::MAX))));
            address_of.push(s.zip(p).map(|(s, p)| {
                *numbered.entry((s, p, c)).or_insert_with(|| {
                    let country = c.map_or_else(String::new, |c| countries.text(c));
                    addresses.push(address_key(&streets.text(s), &places.text(p), &country));
                    addresses.len() as u32 - 1
                })
            }));
        }
        Keys {
            emails,
            email_of,
            numbers,
            number_of,
            addresses,
            address_of,
            place_of,
            by_postcode,
        }
    }
}

impl CustomerTable {
    /// Groups of rows that look like one customer: by e-mail address, VAT
    /// number and address always, and by names at least `similar_names`
    /// alike (Jaro-Winkler, 0 to 1; 0.95 catches `Jansen B.V.` and
    /// `Jansen BV`) when given. A row may be in several groups, one per
    /// reason. Groups come by reason, then by first row.
    pub fn duplicates(&self, similar_names: Option<f64>) -> Vec<DuplicateGroup> {
        let keys = Keys::of(self);
        let at = |ids: &[Option<u32>], row: usize| ids.get(row).copied().flatten().map(u64::from);
        let mut groups = self.group_by(
            DuplicateReason::Email,
            |row| at(&keys.email_of, row),
            |id| keys.emails.text(id),
        );
        groups.extend(self.group_by(
            DuplicateReason::VatNumber,
            |row| at(&keys.number_of, row),
            |id| keys.numbers.text(id),
        ));
        groups.extend(self.group_by(
            DuplicateReason::Address,
            |row| at(&keys.address_of, row),
            |id| keys.addresses.get(id as usize).cloned().unwrap_or_default(),
        ));
        if let Some(threshold) = similar_names {
            let place_of = |row: usize| keys.place_of.get(row).copied().flatten();
            groups.extend(self.similar_names(threshold, place_of));
        }
        groups
    }

    /// The table's e-mail addresses, VAT numbers and addresses, normalised,
    /// for checking new customers against it as they are entered.
    pub fn duplicate_index(&self) -> DuplicateIndex {
        let keys = Keys::of(self);
        // Rows per normalised text, then each text moved into its map once.
        let index_of = |texts: Vec<String>, ids: &[Option<u32>]| {
            let mut rows: Vec<Vec<usize>> = vec![Vec::new(); texts.len()];
            for (row, id) in ids.iter().enumerate() {
                if let Some(place) = id.and_then(|id| rows.get_mut(id as usize)) {
                    place.push(row);
                }
            }
            texts
                .into_iter()
                .zip(rows)
                .filter(|(_, rows)| !rows.is_empty())
                .collect()
        };
        DuplicateIndex {
            by_email: index_of(keys.emails.texts, &keys.email_of),
            by_number: index_of(keys.numbers.texts, &keys.number_of),
            by_address: index_of(keys.addresses, &keys.address_of),
            ids: (0..self.len())
                .map(|row| self.id(row).unwrap_or_default())
                .collect(),
            by_postcode: keys.by_postcode,
        }
    }

    /// Groups of two or more rows with the same key (`key_of`), each with
    /// what its key stands for (`describe`, asked once per group). Sorting
    /// the keys beats a hash map of row lists: one allocation, not one per
    /// key.
    fn group_by(
        &self,
        reason: DuplicateReason,
        key_of: impl Fn(usize) -> Option<u64>,
        describe: impl Fn(u32) -> String,
    ) -> Vec<DuplicateGroup> {
        let mut keyed: Vec<(u64, usize)> = (0..self.len())
            .filter_map(|row| Some((key_of(row)?, row)))
            .collect();
        keyed.sort_unstable();
        let mut groups: Vec<DuplicateGroup> = keyed
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|run| run.len() > 1)
            .map(|run| DuplicateGroup {
                reason,
                key: run
                    .first()
                    .map_or_else(String::new, |(key, _)| describe(*key as u32)),
                rows: run.iter().map(|(_, row)| *row).collect(),
            })
            .collect();
        groups.sort_by_key(|group| group.rows.first().copied());
        groups
    }

    /// Rows at one place (postcode or city, and country) whose names are at
    /// least `threshold` alike, joined transitively.
    fn similar_names(
        &self,
        threshold: f64,
        place_of: impl Fn(usize) -> Option<u64>,
    ) -> Vec<DuplicateGroup> {
        let name = self.text("name");
        let names = Normalised::of(name, normalise_name);
        let mut by_place: FxHashMap<u64, Vec<(usize, u32)>> = FxHashMap::default();
        for row in 0..self.len() {
            if let (Some(p), Some(n)) = (place_of(row), names.at(name, row)) {
                by_place.entry(p).or_default().push((row, n));
            }
        }
        let mut groups = Vec::new();
        for rows in by_place.values() {
            // Union-find over the rows of one place.
            let mut parent: Vec<usize> = (0..rows.len()).collect();
            fn root(parent: &mut [usize], mut i: usize) -> usize {
                while let Some(&up) = parent.get(i).filter(|&&up| up != i) {
                    i = up;
                }
                i
            }
            for (i, &(_, a)) in rows.iter().enumerate() {
                for (j, &(_, b)) in rows.iter().enumerate().skip(i + 1) {
                    // A name's first 100 characters decide: Jaro-Winkler
                    // costs the product of the lengths.
                    let text = |id: u32| {
                        let name = names.texts.get(id as usize).map_or("", String::as_str);
                        name.char_indices()
                            .nth(100)
                            .map_or(name, |(end, _)| &name[..end])
                    };
                    if a == b || jaro_winkler(text(a), text(b)) >= threshold {
                        let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                        if let Some(slot) = parent.get_mut(rj.max(ri)) {
                            *slot = ri.min(rj);
                        }
                    }
                }
            }
            let mut members: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
            for i in 0..rows.len() {
                let r = root(&mut parent, i);
                members
                    .entry(r)
                    .or_default()
                    .extend(rows.get(i).map(|(row, _)| *row));
            }
            for (r, mut group) in members {
                if group.len() > 1 {
                    group.sort_unstable();
                    let key = rows
                        .get(r)
                        .and_then(|(_, n)| names.texts.get(*n as usize))
                        .cloned()
                        .unwrap_or_default();
                    groups.push(DuplicateGroup {
                        reason: DuplicateReason::Name,
                        key,
                        rows: group,
                    });
                }
            }
        }
        groups.sort_by_key(|group| group.rows.first().copied());
        groups
    }
}

/// A table's customers by e-mail address, VAT number and address, to
/// warn as a new customer is entered that it may be on file already.
///
/// # Examples
///
/// ```
/// use custclass::{Customer, CustomerTable};
///
/// let on_file = Customer::list_from_json(r#"[
///     {"id": "100", "email": "info@jansen.nl"},
///     {"id": "101", "billing_address": {"street": "Kade 12a", "postcode": "1234 AB", "country": "NL"}}
/// ]"#)?;
/// let index = CustomerTable::from_customers(&on_file).duplicate_index();
///
/// // A sign-up that is written differently, but is the same mailbox and address:
/// let new = Customer::from_json(r#"{"id": "200", "email": " Info@Jansen.NL",
///     "billing_address": {"street": "Kade 12-A", "postcode": "1234AB", "country": "NL"}}"#)?;
/// let codes: Vec<String> = index.check(&new).into_iter().map(|finding| finding.code).collect();
/// assert_eq!(codes, ["duplicate_email", "duplicate_address"]);
///
/// // The whole table at once:
/// let table = CustomerTable::from_customers(on_file.iter().chain([&new]));
/// let groups = table.duplicates(None);
/// assert_eq!(groups.iter().map(|group| group.rows.clone()).collect::<Vec<_>>(), [[0, 2], [1, 2]]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct DuplicateIndex {
    by_email: FxHashMap<String, Vec<usize>>,
    by_number: FxHashMap<String, Vec<usize>>,
    by_address: FxHashMap<String, Vec<usize>>,
    ids: Strings,
    by_postcode: bool,
}

/// Customers named in a finding before the rest are counted.
const NAMED: usize = 5;

impl DuplicateIndex {
    /// The customers on file that `customer` may be: `duplicate_email`,
    /// `duplicate_vat_number` and `duplicate_address` findings naming them
    /// (a customer with the same id, the one being edited, doesn't count).
    pub fn check(&self, customer: &Customer) -> Vec<Finding> {
        let address = &customer.billing_address;
        let place = match self.by_postcode {
            true => address.postcode.as_deref().and_then(normalise_postcode),
            false => address.city.as_deref().and_then(normalise_words),
        };
        let address_key = address
            .street
            .as_deref()
            .and_then(normalise_street)
            .zip(place)
            .map(|(street, place)| {
                let country = address.country.as_ref().map_or("", |c| c.as_str());
                address_key(&street, &place, country)
            });
        let email = customer.email.as_deref().and_then(mailbox_key);
        let number = customer.vat_number.as_deref().and_then(vat_key);
        [
            (
                "$.email",
                "duplicate_email",
                "e-mail address",
                &self.by_email,
                email,
            ),
            (
                "$.vat_number",
                "duplicate_vat_number",
                "VAT number",
                &self.by_number,
                number,
            ),
            (
                "$.billing_address",
                "duplicate_address",
                "address",
                &self.by_address,
                address_key,
            ),
        ]
        .into_iter()
        .filter_map(|(field, code, what, map, key)| {
            let others: Vec<&str> = map
                .get(&key?)?
                .iter()
                .filter_map(|&row| self.ids.get(row))
                .filter(|id| *id != customer.id.0)
                .collect();
            let named = others.len().min(NAMED);
            let more = match others.len() - named {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            (!others.is_empty()).then(|| Finding {
                field: field.to_owned(),
                code: code.to_owned(),
                message: format!(
                    "the {what} is on file for customer {}{more}",
                    others.get(..named).unwrap_or_default().join(", ")
                ),
            })
        })
        .collect()
    }
}

/// A mailbox as written, trimmed and in lower case; whether it is a valid
/// address is `Customer::check`'s question, not this one's.
fn mailbox_key(text: &str) -> Option<String> {
    let mailbox = text.trim().to_lowercase();
    (mailbox.contains('@') && !mailbox.contains(char::is_whitespace)).then_some(mailbox)
}

/// A VAT number as prefix and body when valid, else its letters and digits
/// (a wrong check digit typed twice is still the same number).
fn vat_key(text: &str) -> Option<String> {
    let number = check_vat_number(text, None).map(|n| n.number).ok();
    number.or_else(|| compact(text).filter(|c| c.len() > 4))
}

/// Street, place and country as one key (and what a group shows).
fn address_key(street: &str, place: &str, country: &str) -> String {
    format!("{street}, {place} {country}").trim_end().to_owned()
}

/// Letters and digits only, upper case.
fn compact(text: &str) -> Option<String> {
    let compact: String = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect();
    (!compact.is_empty()).then_some(compact)
}

/// Lower case, punctuation as spaces, single spaces.
fn normalise_words(text: &str) -> Option<String> {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .flat_map(char::to_lowercase)
        .collect();
    let words: Vec<&str> = spaced.split_whitespace().collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// A street as words, with a house number's suffix joined to it: `Kade
/// 12-A`, `kade 12 a` and `Kade 12a` are all `kade 12a`.
fn normalise_street(text: &str) -> Option<String> {
    let words = normalise_words(text)?;
    let mut out: Vec<String> = Vec::new();
    for word in words.split(' ') {
        let after_number = out
            .last()
            .is_some_and(|w| w.ends_with(|c: char| c.is_ascii_digit()));
        let suffix = word.chars().count() <= 2 && word.chars().all(char::is_alphabetic);
        match out.last_mut() {
            Some(last) if after_number && suffix => last.push_str(word),
            _ => out.push(word.to_owned()),
        }
    }
    Some(out.join(" "))
}

/// A postcode without spaces or dashes, upper case: `1234 ab` is `1234AB`.
fn normalise_postcode(text: &str) -> Option<String> {
    compact(text)
}

/// A company name without case, punctuation and legal form.
fn normalise_name(text: &str) -> Option<String> {
    const LEGAL_FORMS: [&str; 14] = [
        "bv", "b v", "nv", "n v", "vof", "gmbh", "ag", "ltd", "limited", "inc", "llc", "sa",
        "sarl", "aps",
    ];
    let mut words = normalise_words(text)?;
    for form in LEGAL_FORMS {
        if let Some(rest) = words.strip_suffix(form).filter(|rest| rest.ends_with(' ')) {
            words = rest.trim_end().to_owned();
        }
    }
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_written_one_way() {
        assert_eq!(normalise_street("Kade 12-A").as_deref(), Some("kade 12a"));
        assert_eq!(
            normalise_street(" kade  12 a ").as_deref(),
            Some("kade 12a")
        );
        assert_eq!(
            normalise_street("Laan van Meerdervoort 1").as_deref(),
            Some("laan van meerdervoort 1")
        );
        assert_eq!(normalise_postcode("1234 ab").as_deref(), Some("1234AB"));
        assert_eq!(
            normalise_name("Jansen Autoschade B.V.").as_deref(),
            Some("jansen autoschade")
        );
        assert_eq!(
            normalise_name("Jansen autoschade BV").as_deref(),
            Some("jansen autoschade")
        );
    }
}
