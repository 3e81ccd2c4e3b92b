//! Typed compile of a syntax tree against the customer fields and a setup's
//! vocabulary, and its evaluation on one customer.
//!
//! Evaluation is three-valued, as in SQL: a test on a missing value is
//! *unknown*, `not unknown` stays unknown, and a condition matches only when
//! it is *true*. So `country != 'DK'` and `not country = 'DK'` both leave out
//! customers without a country; write `country is null or …` to keep them.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::in_list::InList;
use super::parse::{Ast, CmpOp, Lit, LitValue, Test, TextOp};
use crate::customer::fields::{self, Access, Codebook, Domain};
use crate::customer::{AttrValue, Customer, VatZone};
use crate::error::ExprError;
use crate::iso;
use crate::scalar;
use crate::setup::AttributeKind;

/// What the expression compiler needs to know about a setup.
pub(crate) trait Vocabulary {
    /// The slot number carrying `label`.
    fn slot_by_label(&self, label: &str) -> Option<usize>;
    /// Whether `code` is defined (active or not) in `book`.
    fn knows(&self, book: Codebook, code: &str) -> bool;
    /// The declared kind of attribute `name`.
    fn attribute(&self, name: &str) -> Option<AttributeKind>;
}

/// The kinds of value a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Number,
    Date,
    Bool,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Number => "number",
            Kind::Date => "date",
            Kind::Bool => "true/false",
        }
    }
}

/// How to read a field from a customer.
#[derive(Debug, Clone)]
pub(super) enum Getter {
    /// A field of the customer record.
    Field(&'static fields::Field),
    /// Whether the customer's VAT number passes its country's check
    /// (derived).
    B2b,
    /// Whether the VAT number passes, fails or has no check (derived).
    VatValid,
    /// The VAT zone set by hand or worked out from the country (derived).
    Zone,
    Attr(String, AttributeKind),
}

/// The facts conditions may use that are worked out, not on the record.
const DERIVED_FIELDS: [&str; 3] = ["b2b", "vat_valid", "vat_zone"];

/// A resolved field: its name as written, its kind and how to read it.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub(super) name: String,
    kind: Kind,
    domain: Domain,
    pub(super) getter: Getter,
}

fn resolve(name: &str, offset: usize, vocab: &dyn Vocabulary) -> Result<Field, ExprError> {
    let field = |kind, domain, getter| Field {
        name: name.to_owned(),
        kind,
        domain,
        getter,
    };
    let record = |found: &'static fields::Field| {
        let kind = match found.access {
            Access::Number { .. } => Kind::Number,
            Access::Day { .. } => Kind::Date,
            Access::Flag { .. } => Kind::Bool,
            Access::Text { .. } | Access::Coded { .. } | Access::List { .. } => Kind::Text,
        };
        field(kind, found.domain, Getter::Field(found))
    };
    match name {
        "b2b" => return Ok(field(Kind::Bool, Domain::Any, Getter::B2b)),
        "vat_valid" => return Ok(field(Kind::Bool, Domain::Any, Getter::VatValid)),
        "vat_zone" => return Ok(field(Kind::Text, Domain::Zone, Getter::Zone)),
        _ => {}
    }
    if let Some(found) = fields::field(name).filter(|found| found.in_expressions) {
        return Ok(record(found));
    }
    if let Some(label) = name.strip_prefix("class.") {
        let slot = vocab
            .slot_by_label(label)
            .ok_or_else(|| ExprError::UnknownSlotLabel {
                offset,
                label: label.to_owned(),
            })?;
        if let Some(found) = fields::field(&format!("class{slot}")) {
            return Ok(record(found));
        }
    }
    if let Some(attr) = name.strip_prefix("attr.")
        && let Some(kind) = vocab.attribute(attr)
    {
        let value_kind = match kind {
            AttributeKind::Number => Kind::Number,
            AttributeKind::Text => Kind::Text,
        };
        return Ok(field(
            value_kind,
            Domain::Any,
            Getter::Attr(attr.to_owned(), kind),
        ));
    }
    Err(ExprError::UnknownField {
        offset,
        name: name.to_owned(),
        suggestion: suggest(name),
    })
}

/// The known field closest to a misspelt one, if it is close enough to be
/// what the writer meant.
fn suggest(name: &str) -> Option<String> {
    fields::expression_fields()
        .map(|field| field.name)
        .chain(DERIVED_FIELDS)
        .map(|known| (strsim::damerau_levenshtein(name, known), known))
        .filter(|(distance, known)| *distance <= 2.max(known.len() / 4))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, known)| known.to_owned())
}

/// A value read from a customer.
#[derive(Debug, Clone, Copy)]
pub(super) enum Val<'a> {
    Text(&'a str),
    Number(Decimal),
    Date(Date),
    Bool(bool),
}

/// A customer with the facts conditions may use that are not on its record.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Subject<'a> {
    pub customer: &'a Customer,
    /// The VAT zone: set by hand or derived from the country.
    pub zone: Option<VatZone>,
}

impl Field {
    fn read<'a>(&self, subject: &Subject<'a>) -> Option<Val<'a>> {
        let customer = subject.customer;
        match &self.getter {
            Getter::Field(field) => match field.access {
                Access::Text { get, .. } | Access::Coded { get, .. } => get(customer)
                    .filter(|text| !scalar::is_blank(text))
                    .map(Val::Text),
                Access::Number { get, .. } => get(customer).map(Val::Number),
                Access::Day { get, .. } => get(customer).map(Val::Date),
                Access::Flag { get, .. } => Some(Val::Bool(get(customer))),
                Access::List { .. } => None,
            },
            Getter::B2b => Some(Val::Bool(customer.is_b2b())),
            Getter::VatValid => customer.vat_valid().map(Val::Bool),
            Getter::Zone => subject.zone.map(|zone| Val::Text(zone.as_str())),
            Getter::Attr(name, kind) => match (customer.attributes.get(name)?, kind) {
                (AttrValue::Number(number), AttributeKind::Number) => Some(Val::Number(*number)),
                (AttrValue::Text(text), AttributeKind::Number) => {
                    scalar::decimal(text).ok().map(Val::Number)
                }
                (AttrValue::Text(text), AttributeKind::Text) if !scalar::is_blank(text) => {
                    Some(Val::Text(text))
                }
                (AttrValue::Text(_) | AttrValue::Number(_), AttributeKind::Text) => None,
            },
        }
    }
}

/// A typed literal.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Text(String),
    Number(Decimal),
    Date(Date),
    Bool(bool),
}

/// What a compiled predicate checks.
#[derive(Debug, Clone)]
pub(crate) enum Check {
    Cmp(CmpOp, Value),
    /// Arranged for look-up: a long list costs about what a short one does.
    In(Box<InList>),
    Between(Value, Value),
    IsNull,
    Text(TextOp, String),
}

/// A compiled condition, ready to evaluate.
#[derive(Debug, Clone)]
pub(crate) enum Cond {
    Or(Vec<Cond>),
    And(Vec<Cond>),
    Not(Box<Cond>),
    /// `true` or `false`: known for every customer.
    Const(bool),
    Pred {
        field: Field,
        check: Check,
        negated: bool,
    },
}

impl Cond {
    /// Adds the table columns the condition reads to `columns`.
    pub(crate) fn columns(&self, columns: &mut BTreeSet<String>) {
        match self {
            Cond::Or(terms) | Cond::And(terms) => terms.iter().for_each(|t| t.columns(columns)),
            Cond::Not(inner) => inner.columns(columns),
            Cond::Const(_) => {}
            Cond::Pred { field, .. } => field.columns(columns),
        }
    }
}

impl Cond {
    /// Adds the columns the condition tests as they are written, derived
    /// facts (`b2b`, `vat_valid`, `vat_zone`) left out: a column among
    /// these that holds nothing makes every test on it unknown.
    pub(crate) fn tested_columns(&self, columns: &mut BTreeSet<String>) {
        match self {
            Cond::Or(terms) | Cond::And(terms) => {
                terms.iter().for_each(|t| t.tested_columns(columns));
            }
            Cond::Not(inner) => inner.tested_columns(columns),
            Cond::Const(_) => {}
            Cond::Pred { field, .. } => match &field.getter {
                Getter::Field(found) => {
                    columns.insert(found.name.to_owned());
                }
                Getter::Attr(name, _) => {
                    columns.insert(format!("attr.{name}"));
                }
                Getter::B2b | Getter::VatValid | Getter::Zone => {}
            },
        }
    }
}

impl Cond {
    /// A test's identity, for sharing its answer between conditions
    /// compiled against one setup: the field as written and the compiled
    /// check. Two tests with one key give one answer; two written apart
    /// (`1.5` and `1.50`, a list in another order) merely don't share.
    /// `None` for anything but a test.
    pub(crate) fn test_key(&self) -> Option<String> {
        match self {
            Cond::Pred {
                field,
                check,
                negated,
            } => Some(format!("{}\u{0}{check:?}\u{0}{negated}", field.name)),
            _ => None,
        }
    }
}

/// The columns whether a VAT number passes is worked out from.
pub(crate) const VAT_COLUMNS: [&str; 2] = ["country", "vat_number"];

/// The columns a customer's VAT zone is worked out from.
pub(crate) const ZONE_COLUMNS: [&str; 3] = ["country", "created_at", "vat_zone"];

impl Field {
    /// Adds the table columns the field is read from to `columns`.
    fn columns(&self, columns: &mut BTreeSet<String>) {
        match &self.getter {
            Getter::Field(field) => columns.insert(field.name.to_owned()),
            Getter::B2b | Getter::VatValid => {
                columns.extend(VAT_COLUMNS.map(str::to_owned));
                true
            }
            Getter::Zone => {
                columns.extend(ZONE_COLUMNS.map(str::to_owned));
                true
            }
            Getter::Attr(name, _) => columns.insert(format!("attr.{name}")),
        };
    }
}

/// Compiles a syntax tree against the setup's vocabulary.
pub(crate) fn compile(ast: &Ast, vocab: &dyn Vocabulary) -> Result<Cond, ExprError> {
    Ok(match ast {
        Ast::Or(terms) => Cond::Or(compile_all(terms, vocab)?),
        Ast::And(terms) => Cond::And(compile_all(terms, vocab)?),
        Ast::Not(inner) => Cond::Not(Box::new(compile(inner, vocab)?)),
        Ast::Const(value) => Cond::Const(*value),
        Ast::Pred {
            field,
            offset,
            test,
        } => {
            let field = resolve(field, *offset, vocab)?;
            let (check, negated) = compile_test(&field, test, vocab)?;
            Cond::Pred {
                field,
                check,
                negated,
            }
        }
    })
}

fn compile_all(terms: &[Ast], vocab: &dyn Vocabulary) -> Result<Vec<Cond>, ExprError> {
    terms.iter().map(|term| compile(term, vocab)).collect()
}

fn compile_test(
    field: &Field,
    test: &Test,
    vocab: &dyn Vocabulary,
) -> Result<(Check, bool), ExprError> {
    let unsupported = |operator: &str, offset: usize| ExprError::UnsupportedOperator {
        offset,
        operator: operator.to_owned(),
        field: field.name.clone(),
        kind: field.kind.name(),
    };
    Ok(match test {
        Test::Cmp { op, offset, value } => {
            let ordered = !matches!(op, CmpOp::Eq | CmpOp::Ne);
            if ordered && field.kind == Kind::Bool {
                return Err(unsupported(op.as_str(), *offset));
            }
            // Codes are checked for equality only: `postcode >= '5000'`
            // compares text, and a range bound need not be a defined code.
            let value = literal(field, value, !ordered, vocab)?;
            match op {
                CmpOp::Ne => (Check::Cmp(CmpOp::Eq, value), true),
                op => (Check::Cmp(*op, value), false),
            }
        }
        Test::In {
            negated,
            offset,
            values,
        } => {
            if field.kind == Kind::Bool {
                return Err(unsupported("in", *offset));
            }
            let values = values
                .iter()
                .map(|value| literal(field, value, true, vocab))
                .collect::<Result<_, _>>()?;
            (Check::In(Box::new(InList::new(values))), *negated)
        }
        Test::Between {
            negated,
            offset,
            low,
            high,
        } => {
            if field.kind == Kind::Bool {
                return Err(unsupported("between", *offset));
            }
            let low = literal(field, low, false, vocab)?;
            let high = literal(field, high, false, vocab)?;
            (Check::Between(low, high), *negated)
        }
        Test::IsNull { negated } => (Check::IsNull, *negated),
        Test::Text {
            negated,
            op,
            offset,
            value,
        } => {
            if field.kind != Kind::Text {
                return Err(unsupported(op.as_str(), *offset));
            }
            let Value::Text(text) = literal(field, value, false, vocab)? else {
                return Err(unsupported(op.as_str(), *offset));
            };
            (Check::Text(*op, text), *negated)
        }
    })
}

/// Types a literal for `field`, and with `check_codes` makes sure a coded
/// field is compared with a code that exists.
fn literal(
    field: &Field,
    lit: &Lit,
    check_codes: bool,
    vocab: &dyn Vocabulary,
) -> Result<Value, ExprError> {
    let (value, kind) = match &lit.value {
        LitValue::Text(text) => (Value::Text(text.clone()), Kind::Text),
        LitValue::Number(number) => (Value::Number(*number), Kind::Number),
        LitValue::Date(date) => (Value::Date(*date), Kind::Date),
        LitValue::Bool(flag) => (Value::Bool(*flag), Kind::Bool),
    };
    if kind != field.kind {
        return Err(ExprError::TypeMismatch {
            offset: lit.offset,
            field: field.name.clone(),
            expected: field.kind.name(),
            found: kind.name(),
        });
    }
    if let (true, Value::Text(text)) = (check_codes, &value) {
        let known = match field.domain {
            Domain::Any => true,
            Domain::Country => iso::is_country(text),
            Domain::Currency => iso::is_currency(text),
            Domain::Zone => VatZone::parse(text).is_some(),
            Domain::Codes(book) => vocab.knows(book, text),
        };
        if !known {
            return Err(ExprError::UnknownValue {
                offset: lit.offset,
                field: field.name.clone(),
                value: text.clone(),
            });
        }
    }
    Ok(value)
}

impl Cond {
    /// Three-valued evaluation: `None` is unknown.
    pub(crate) fn eval(&self, subject: &Subject<'_>) -> Option<bool> {
        match self {
            Cond::Or(terms) => {
                let mut result = Some(false);
                for term in terms {
                    match term.eval(subject) {
                        Some(true) => return Some(true),
                        None => result = None,
                        Some(false) => {}
                    }
                }
                result
            }
            Cond::And(terms) => {
                let mut result = Some(true);
                for term in terms {
                    match term.eval(subject) {
                        Some(false) => return Some(false),
                        None => result = None,
                        Some(true) => {}
                    }
                }
                result
            }
            Cond::Not(inner) => inner.eval(subject).map(|value| !value),
            Cond::Const(value) => Some(*value),
            Cond::Pred {
                field,
                check,
                negated,
            } => {
                let value = field.read(subject);
                let held = match (check, value) {
                    (Check::IsNull, value) => Some(value.is_none()),
                    (_, None) => None,
                    (check, Some(value)) => Some(holds(check, value)),
                };
                held.map(|held| held != *negated)
            }
        }
    }

    /// True only when the condition is true (not unknown).
    pub(crate) fn matches(&self, subject: &Subject<'_>) -> bool {
        self.eval(subject) == Some(true)
    }
}

pub(super) fn holds(check: &Check, value: Val<'_>) -> bool {
    match check {
        Check::Cmp(op, lit) => compare(value, lit).is_some_and(|order| match op {
            CmpOp::Eq => order == Ordering::Equal,
            CmpOp::Ne => order != Ordering::Equal,
            CmpOp::Lt => order == Ordering::Less,
            CmpOp::Le => order != Ordering::Greater,
            CmpOp::Gt => order == Ordering::Greater,
            CmpOp::Ge => order != Ordering::Less,
        }),
        Check::In(list) => list.contains(value),
        Check::Between(low, high) => {
            compare(value, low).is_some_and(|order| order != Ordering::Less)
                && compare(value, high).is_some_and(|order| order != Ordering::Greater)
        }
        Check::IsNull => false,
        Check::Text(op, needle) => match value {
            Val::Text(text) => match op {
                TextOp::StartsWith => text.starts_with(needle.as_str()),
                TextOp::EndsWith => text.ends_with(needle.as_str()),
                TextOp::Contains => text.contains(needle.as_str()),
            },
            _ => false,
        },
    }
}

fn compare(value: Val<'_>, lit: &Value) -> Option<Ordering> {
    match (value, lit) {
        (Val::Text(a), Value::Text(b)) => Some(a.cmp(b.as_str())),
        (Val::Number(a), Value::Number(b)) => Some(a.cmp(b)),
        (Val::Date(a), Value::Date(b)) => Some(a.cmp(b)),
        (Val::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        _ => None,
    }
}
