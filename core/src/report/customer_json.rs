//! A customer as canonical JSON, written without building it: the object's
//! shape (keys sorted, objects nested) comes from the field registry's
//! JSON paths, once; each value is then written from wherever the customer
//! lives, a `Customer` or a table's row.

use std::collections::BTreeMap;

use super::text::{day, decimal, json_str};
use crate::customer::fields::{self, Access, Field};
use crate::customer::{AttrValue, Customer};

/// A place in the customer's JSON: a registry field, or the attributes.
#[derive(Debug, Clone, Copy)]
pub(super) enum Place {
    Field(&'static Field),
    Attributes,
}

/// A member of a JSON object: its key written out (`"name":`) and value.
#[derive(Debug)]
pub(super) struct Member<L> {
    key: Vec<u8>,
    name: &'static str,
    value: Node<L>,
}

#[derive(Debug)]
enum Node<L> {
    Object(Vec<Member<L>>),
    Leaf(L),
}

/// Where the values come from.
pub(super) trait Values {
    type Leaf;

    /// Writes the value of `leaf`; false, having written nothing, when
    /// there is none (the key is then left out).
    fn write(&mut self, leaf: &Self::Leaf, out: &mut Vec<u8>) -> bool;

    /// Whether the object `name` is written as `{}` when none of its
    /// members has a value.
    fn keeps_empty(&self, _name: &str) -> bool {
        false
    }
}

/// The members of a customer's JSON object, in canonical (sorted) order,
/// with the leaf `leaf` gives for each place; a place without one is left
/// out, and so is an object left empty.
pub(super) fn customer_members<L>(mut leaf: impl FnMut(Place) -> Option<L>) -> Vec<Member<L>> {
    enum Draft<L> {
        Object(BTreeMap<&'static str, Draft<L>>),
        Leaf(L),
    }
    fn insert<L>(map: &mut BTreeMap<&'static str, Draft<L>>, path: &[&'static str], leaf: L) {
        match path {
            [] => {}
            [name] => {
                map.insert(name, Draft::Leaf(leaf));
            }
            [name, rest @ ..] => {
                let entry = map
                    .entry(name)
                    .or_insert_with(|| Draft::Object(BTreeMap::new()));
                if let Draft::Object(inner) = entry {
                    insert(inner, rest, leaf);
                }
            }
        }
    }
    fn finish<L>(map: BTreeMap<&'static str, Draft<L>>) -> Vec<Member<L>> {
        map.into_iter()
            .filter_map(|(name, draft)| {
                let value = match draft {
                    Draft::Leaf(leaf) => Node::Leaf(leaf),
                    Draft::Object(inner) => {
                        let members = finish(inner);
                        if members.is_empty() {
                            return None;
                        }
                        Node::Object(members)
                    }
                };
                let mut key = Vec::with_capacity(name.len() + 3);
                json_str(&mut key, name);
                key.push(b':');
                Some(Member { key, name, value })
            })
            .collect()
    }
    let mut root = BTreeMap::new();
    for field in fields::FIELDS {
        let path: Vec<&'static str> = field.path.trim_start_matches("$.").split('.').collect();
        if let Some(leaf) = leaf(Place::Field(field)) {
            insert(&mut root, &path, leaf);
        }
    }
    if let Some(leaf) = leaf(Place::Attributes) {
        insert(&mut root, &["attributes"], leaf);
    }
    finish(root)
}

/// Writes `{…}` of `members` with `values`' values.
pub(super) fn write_object<V: Values>(
    out: &mut Vec<u8>,
    members: &[Member<V::Leaf>],
    values: &mut V,
) {
    out.push(b'{');
    write_members(out, members, values);
    out.push(b'}');
}

/// Writes the members that have a value, comma-separated; whether any did.
fn write_members<V: Values>(
    out: &mut Vec<u8>,
    members: &[Member<V::Leaf>],
    values: &mut V,
) -> bool {
    let mut any = false;
    for member in members {
        let mark = out.len();
        if any {
            out.push(b',');
        }
        out.extend_from_slice(&member.key);
        let written = match &member.value {
            Node::Leaf(leaf) => values.write(leaf, out),
            Node::Object(inner) => {
                out.push(b'{');
                let written = write_members(out, inner, values) || values.keeps_empty(member.name);
                out.push(b'}');
                written
            }
        };
        if written {
            any = true;
        } else {
            out.truncate(mark);
        }
    }
    any
}

/// The places of a customer, every one of them.
pub(super) fn every_place(place: Place) -> Option<Place> {
    Some(place)
}

/// The values of one `Customer`, as serde writes them: text as it is
/// (blank included), decimals and days as text, `anonymised` only when
/// set, the delivery address whenever there is one.
pub(super) struct OfCustomer<'c>(pub(super) &'c Customer);

impl Values for OfCustomer<'_> {
    type Leaf = Place;

    fn write(&mut self, leaf: &Place, out: &mut Vec<u8>) -> bool {
        let customer = self.0;
        match leaf {
            Place::Field(field) => match field.access {
                Access::Text { get, .. } | Access::Coded { get, .. } => match get(customer) {
                    Some(text) => {
                        json_str(out, text);
                        true
                    }
                    None => false,
                },
                Access::Number { get, .. } => match get(customer) {
                    Some(number) => {
                        out.push(b'"');
                        decimal(out, number);
                        out.push(b'"');
                        true
                    }
                    None => false,
                },
                Access::Day { get, .. } => match get(customer) {
                    Some(date) => {
                        out.push(b'"');
                        day(out, date);
                        out.push(b'"');
                        true
                    }
                    None => false,
                },
                Access::Flag { get, .. } => {
                    let set = get(customer);
                    if set {
                        out.extend_from_slice(b"true");
                    }
                    set
                }
                Access::List { get, .. } => {
                    let list = get(customer);
                    if !list.is_empty() {
                        write_list(out, list.iter().map(String::as_str));
                    }
                    !list.is_empty()
                }
            },
            Place::Attributes => {
                if customer.attributes.is_empty() {
                    return false;
                }
                out.push(b'{');
                for (index, (name, value)) in customer.attributes.iter().enumerate() {
                    if index > 0 {
                        out.push(b',');
                    }
                    json_str(out, name);
                    out.push(b':');
                    match value {
                        AttrValue::Number(number) => {
                            out.push(b'"');
                            decimal(out, *number);
                            out.push(b'"');
                        }
                        AttrValue::Text(text) => json_str(out, text),
                    }
                }
                out.push(b'}');
                true
            }
        }
    }

    fn keeps_empty(&self, name: &str) -> bool {
        name == "delivery_address" && self.0.delivery_address.is_some()
    }
}

/// `["a","b"]`.
pub(super) fn write_list<'a>(out: &mut Vec<u8>, items: impl Iterator<Item = &'a str>) {
    out.push(b'[');
    for (index, item) in items.enumerate() {
        if index > 0 {
            out.push(b',');
        }
        json_str(out, item);
    }
    out.push(b']');
}
