//! The engine: a validated setup compiled once, answering questions about
//! customers — which labels, group, price group and accounts they get, and why.

use std::borrow::Cow;
use std::sync::Arc;

use jiff::civil::Date;

mod classified;
mod columns;
mod debug;
mod segment;
mod segment_set;
mod tables;

use classified::SegmentValues;
pub use columns::UnknownColumns;
pub use segment::Segment;
pub use segment_set::{SegmentMasks, SegmentSet};

use crate::classification::{
    Assigned, AssignedClasses, Change, Classification, Reclassification, ResultField, Source,
    Target, assigned,
};
use crate::compiled::{Compiled, Standing};
use crate::customer::{AttrValue, Customer, VatZone};
use crate::error::{CustomerError, ExprError, PricingError, PricingErrorKind, SetupError};
use crate::expr::{self, Subject};
use crate::fingerprint::Fingerprint;
use crate::pricing::resolve::{Facts, Pricer};
use crate::pricing::{PriceRequest, Quote};
use crate::scalar;
use crate::setup::{AttributeKind, Group, Setup};

/// A validated, compiled setup. Cheap to clone and share across threads.
///
/// # Examples
///
/// ```
/// use custclass::{Customer, Engine, Setup};
///
/// let setup = Setup::from_json(r#"{
///     "home_country": "NL",
///     "types": [{"code": "PRIVATE", "default": true}],
///     "groups": [
///         {"code": "WEBSHOP", "type": "PRIVATE", "receivables_account": "1130"},
///         {"code": "STANDARD", "type": "PRIVATE", "receivables_account": "1100", "default": true}
///     ],
///     "slots": [{"slot": 1, "label": "Region", "values": [{"code": "BENELUX"}]}],
///     "channel_groups": {"webshop": "WEBSHOP"},
///     "rules": [{"id": "benelux", "when": "country in ('NL', 'BE', 'LU')", "set": {"class.Region": "BENELUX"}}]
/// }"#)?;
/// let engine = Engine::new(setup)?;
/// let customer: Customer = serde_json::from_str(
///     r#"{"id": "10001", "billing_address": {"country": "BE"}, "channel": "webshop"}"#,
/// )?;
/// let result = engine.classify(&customer)?;
/// assert_eq!(result.classes.get(1).unwrap().value, "BENELUX");
/// assert_eq!(result.group.unwrap().value, "WEBSHOP");
/// assert_eq!(result.receivables_account.unwrap().value, "1130");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Engine {
    compiled: Arc<Compiled>,
}

/// How strictly the values on a customer are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A new customer: every value on it is set by hand and must be active.
    New,
    /// An existing customer: only the targets in `manual` are by hand, and
    /// inactive values are history, not errors.
    Existing,
    /// A customer as its record stands, for pricing: every value on it
    /// counts, inactive ones too; rules fill in only what is missing, and
    /// the slots, which pricing doesn't read, are left out.
    Stored,
}

impl Engine {
    /// Validates and compiles a setup.
    ///
    /// # Errors
    ///
    /// A [`SetupError`] listing every problem in the setup.
    pub fn new(setup: Setup) -> Result<Engine, SetupError> {
        span!(
            "engine_new",
            rules = setup.rules.len(),
            price_rules = setup.pricing.rules.len()
        );
        let compiled = Compiled::build(setup)?;
        Ok(Engine {
            compiled: Arc::new(compiled),
        })
    }

    /// The setup this engine was built from.
    pub fn setup(&self) -> &Setup {
        &self.compiled.setup
    }

    /// The label of slot `slot` (1..=8), if the setup defines it.
    pub fn slot_label(&self, slot: usize) -> Option<&str> {
        let info = self.compiled.slots.get(slot.wrapping_sub(1))?.as_ref()?;
        Some(&info.label)
    }

    /// Classifies a new customer, judging date-dependent facts (EU
    /// membership) as of its `created_at` day, or by current membership when
    /// it has none.
    ///
    /// # Errors
    ///
    /// A [`CustomerError`]: `invalid_field` (`id`) for a customer without an
    /// id; when a value on the customer is unknown to the
    /// setup or inactive (`unknown_slot_value`, `undefined_slot`,
    /// `unknown_type`, `unknown_group`, `unknown_price_group`,
    /// `inactive_value`), a numeric attribute is not a number
    /// (`invalid_attribute`), or the group does not belong to the type
    /// (`group_type_mismatch`).
    pub fn classify(&self, customer: &Customer) -> Result<Classification, CustomerError> {
        identified(customer)?;
        self.classify_row(customer)
    }

    /// [`Engine::classify`] of a table row's customer, which has an id only
    /// when the id column was read.
    pub(crate) fn classify_row(
        &self,
        customer: &Customer,
    ) -> Result<Classification, CustomerError> {
        self.run(customer, customer.created_at, Mode::New)
    }

    /// Classifies a new customer as of `day`.
    ///
    /// # Errors
    ///
    /// As [`Engine::classify`].
    pub fn classify_on(
        &self,
        customer: &Customer,
        day: Date,
    ) -> Result<Classification, CustomerError> {
        identified(customer)?;
        self.run(customer, Some(day), Mode::New)
    }

    /// Re-runs the rules on an existing customer, as of current EU
    /// membership, and lists what changes.
    ///
    /// Targets named in `customer.manual` keep their value unless an
    /// `override` rule applies; every other stored slot, type, group and
    /// price group is recomputed; a stored VAT zone or account counts as set
    /// by hand. Inactive values already on the customer are accepted as
    /// history. Without the earlier classification, the value before is what
    /// the record stores (source `manual`, or `stored` when nothing says how
    /// it got there), and values the record does not keep (the layout, a
    /// price group that follows the group) are not compared: use
    /// [`Engine::reclassify_since`] for a full audit log.
    ///
    /// # Errors
    ///
    /// As [`Engine::classify`], plus `unknown_target` for a bad `manual`
    /// entry; inactive values are not errors here.
    pub fn reclassify(&self, customer: &Customer) -> Result<Reclassification, CustomerError> {
        identified(customer)?;
        let classification = self.run(customer, None, Mode::Existing)?;
        let changes = ResultField::ALL
            .into_iter()
            .filter_map(|field| {
                let stored = stored_value(customer, field);
                let from = match (stored, field) {
                    (Some(value), _) => Some(Assigned {
                        value: value.into_owned(),
                        source: match field {
                            ResultField::Target(target)
                                if !customer.manual.contains(&target.to_string()) =>
                            {
                                Source::Stored
                            }
                            _ => Source::Manual,
                        },
                    }),
                    // Known to be empty only where the engine would store
                    // the value it computes.
                    (None, ResultField::Target(target))
                        if classification.stored(target).is_some() =>
                    {
                        None
                    }
                    (None, _) => return None,
                };
                self.change(field, from, None, &classification)
            })
            .collect();
        Ok(Reclassification {
            customer: customer.id.clone(),
            changes,
            classification,
        })
    }

    /// Re-runs the rules on an existing customer, as [`Engine::reclassify`],
    /// knowing the classification it had before (as the host stored it, read
    /// back with [`Classification::from_json`]): an audit log of every value
    /// that changes — slots, type, group, price group, VAT zone, B2B,
    /// accounts, layout — with its value and source before and after, and
    /// the fingerprints of both setups.
    ///
    /// A value stored on the customer that equals the earlier classification's
    /// was computed, and follows the new setup (a receivables account
    /// written onto the record moves with its group); one that differs was
    /// set by a person since, and is kept as set by hand.
    ///
    /// # Errors
    ///
    /// As [`Engine::reclassify`]; `invalid_field` (`previous.customer`) when
    /// `previous` is another customer's.
    pub fn reclassify_since(
        &self,
        customer: &Customer,
        previous: &Classification,
    ) -> Result<Reclassification, CustomerError> {
        identified(customer)?;
        if previous.customer != customer.id {
            return Err(CustomerError::InvalidField {
                field: "previous.customer".to_owned(),
                detail: format!(
                    "the earlier classification is of customer `{}`, not `{}`",
                    previous.customer, customer.id
                ),
            });
        }
        let input = as_computed_by(customer, previous);
        let classification = self.run(&input, None, Mode::Existing)?;
        let changes = ResultField::ALL
            .into_iter()
            .filter_map(|field| {
                let before = previous.assigned(field);
                match stored_value(customer, field) {
                    Some(value) if before.as_ref().is_none_or(|b| b.value != *value) => {
                        let by_hand = Assigned {
                            value: value.into_owned(),
                            source: Source::Manual,
                        };
                        self.change(field, Some(by_hand), None, &classification)
                    }
                    _ => self.change(field, before, Some(previous.fingerprint), &classification),
                }
            })
            .collect();
        Ok(Reclassification {
            customer: customer.id.clone(),
            changes,
            classification,
        })
    }

    /// The change of `field` from `from` to what `classification` assigns,
    /// if its value differs.
    fn change(
        &self,
        field: ResultField,
        from: Option<Assigned>,
        from_setup: Option<Fingerprint>,
        classification: &Classification,
    ) -> Option<Change> {
        let to = classification.assigned(field);
        let value = |assigned: &Option<Assigned>| assigned.as_ref().map(|a| a.value.clone());
        (value(&from) != value(&to)).then(|| Change {
            target: field,
            from,
            from_setup,
            to,
            setup: self.compiled.fingerprint,
        })
    }

    /// The fingerprint of the setup this engine was built from
    /// ([`Setup::fingerprint`]); every [`Classification`] and [`Change`]
    /// carries it.
    pub fn fingerprint(&self) -> Fingerprint {
        self.compiled.fingerprint
    }

    /// Compiles a segment query (the same language as rule conditions).
    ///
    /// # Errors
    ///
    /// An [`ExprError`] with the byte offset of the problem.
    ///
    /// For the classification targets (`class1`..`class8` or
    /// `class.<label>`, `type`, `group`, `price_group`,
    /// `receivables_account`, `revenue_account`) the segment tests the
    /// values a customer has after classification, given on its record or
    /// assigned by the rules and defaults: `class.Region = 'DACH'` finds
    /// the customers the rules put in DACH. Classification runs only when
    /// the expression reads a target; [`Engine::segment_stored`] tests the
    /// stored values only.
    pub fn segment(&self, expression: &str) -> Result<Segment, ExprError> {
        self.compile_segment(expression, SegmentValues::Classified)
    }

    /// As [`Engine::segment`], testing the values stored on the record for
    /// the classification targets, as given: for checking the records
    /// themselves (which customers have no region filled in).
    ///
    /// # Errors
    ///
    /// As [`Engine::segment`].
    pub fn segment_stored(&self, expression: &str) -> Result<Segment, ExprError> {
        self.compile_segment(expression, SegmentValues::Stored)
    }

    fn compile_segment(
        &self,
        expression: &str,
        values: SegmentValues,
    ) -> Result<Segment, ExprError> {
        let cond = expr::compile(expression, self.compiled.as_ref())?;
        Ok(Segment {
            engine: self.clone(),
            cond,
            expression: expression.to_owned(),
            values,
        })
    }

    /// Compiles named segments (name, expression) into a set evaluated
    /// together: over a table in one pass, each row's answer a bit mask
    /// (bit *i* for the *i*-th segment). See [`SegmentSet`]. Targets are
    /// tested classified, as in [`Engine::segment`].
    ///
    /// # Errors
    ///
    /// `invalid_segment` naming the segment whose expression doesn't compile
    /// (with the expression's own error and its offset), `duplicate_segment`
    /// for a name given twice, `too_many_segments` past
    /// [`MAX_SEGMENTS_IN_SET`](crate::limits::MAX_SEGMENTS_IN_SET).
    pub fn segment_set<N, E>(
        &self,
        segments: impl IntoIterator<Item = (N, E)>,
    ) -> Result<SegmentSet, ExprError>
    where
        N: Into<String>,
        E: Into<String>,
    {
        SegmentSet::compile(self, segments, SegmentValues::Classified)
    }

    /// As [`Engine::segment_set`], the segments testing the values stored
    /// on the record for the classification targets
    /// ([`Engine::segment_stored`]).
    ///
    /// # Errors
    ///
    /// As [`Engine::segment_set`].
    pub fn segment_set_stored<N, E>(
        &self,
        segments: impl IntoIterator<Item = (N, E)>,
    ) -> Result<SegmentSet, ExprError>
    where
        N: Into<String>,
        E: Into<String>,
    {
        SegmentSet::compile(self, segments, SegmentValues::Stored)
    }

    /// Prices one order line for `customer` and explains the price: every
    /// price rule of the setup with its verdict.
    ///
    /// The customer's type, group and price group are those on its record;
    /// what the record leaves out, the auto-labelling rules decide, as of the
    /// line's date.
    ///
    /// # Errors
    ///
    /// A [`PricingError`]: `invalid_quantity` (zero or less),
    /// `negative_list_price`, `unknown_item_group`, `amount_overflow`, or
    /// `invalid_customer` with the customer's own error.
    pub fn price(
        &self,
        customer: &Customer,
        request: &PriceRequest,
    ) -> Result<Quote, PricingError> {
        self.pricer(customer, request.date)?.quote(request, true)
    }

    /// Prices the lines of one order for `customer`, in order, without
    /// explanations: the customer is classified once per VAT zone its lines'
    /// dates give, and the candidates per item group are looked up once.
    ///
    /// # Errors
    ///
    /// As [`Engine::price`], with the position of the first bad line.
    pub fn price_lines(
        &self,
        customer: &Customer,
        requests: &[PriceRequest],
    ) -> Result<Vec<Quote>, PricingError> {
        span!("price_lines", lines = requests.len());
        let mut pricers: Vec<(Option<VatZone>, Pricer<'_>)> = Vec::new();
        let mut last: Option<(Date, usize)> = None;
        let mut quotes = Vec::with_capacity(requests.len());
        for (n, request) in requests.iter().enumerate() {
            let at = match last {
                Some((day, at)) if day == request.date => at,
                _ => {
                    let zone = self
                        .subject(customer, Some(request.date))
                        .map_err(|error| invalid_customer(error).at_line(n))?
                        .zone;
                    let at = match pricers.iter().position(|(z, _)| *z == zone) {
                        Some(at) => at,
                        None => {
                            let pricer = self
                                .pricer(customer, request.date)
                                .map_err(|error| error.at_line(n))?;
                            pricers.push((zone, pricer));
                            pricers.len() - 1
                        }
                    };
                    last = Some((request.date, at));
                    at
                }
            };
            let quote = match pricers.get_mut(at) {
                Some((_, pricer)) => pricer.quote(request, false),
                None => continue,
            };
            quotes.push(quote.map_err(|error| error.at_line(n))?);
        }
        Ok(quotes)
    }

    /// The customer's view of the price book as of `day`.
    pub(crate) fn pricer<'a>(
        &'a self,
        customer: &'a Customer,
        day: Date,
    ) -> Result<Pricer<'a>, PricingError> {
        let facts = self.price_facts(customer, day)?;
        Ok(Pricer::new(&self.compiled.prices, facts))
    }

    /// What pricing reads of the customer as of `day`: its type, group and
    /// price group as its record and the rules make them, and its zone.
    pub(crate) fn price_facts<'a>(
        &self,
        customer: &'a Customer,
        day: Date,
    ) -> Result<Facts<'a>, PricingError> {
        let classification = self
            .run(customer, Some(day), Mode::Stored)
            .map_err(invalid_customer)?;
        let subject = self
            .subject(customer, Some(day))
            .map_err(invalid_customer)?;
        let value = |assigned: Option<Assigned>| assigned.map(|a| a.value);
        Ok(Facts {
            subject,
            customer_type: value(classification.customer_type),
            group: value(classification.group),
            price_group: value(classification.price_group),
        })
    }

    fn subject<'a>(
        &self,
        customer: &'a Customer,
        day: Option<Date>,
    ) -> Result<Subject<'a>, CustomerError> {
        self.check_attributes(customer)?;
        let home = &self.compiled.setup.home_country;
        let zone = customer.vat_zone.or_else(|| {
            let country = customer.country()?;
            Some(self.compiled.eu.zone(home, country, day))
        });
        Ok(Subject { customer, zone })
    }

    fn check_attributes(&self, customer: &Customer) -> Result<(), CustomerError> {
        for (name, value) in &customer.attributes {
            if let (Some(AttributeKind::Number), AttrValue::Text(text)) =
                (self.compiled.attributes.get(name), value)
                && scalar::decimal(text).is_err()
            {
                return Err(CustomerError::InvalidAttribute {
                    field: format!("attr.{name}"),
                    value: text.clone(),
                });
            }
        }
        Ok(())
    }

    /// Reads the values on the customer that count as set by hand.
    fn manual_values(
        &self,
        customer: &Customer,
        mode: Mode,
    ) -> Result<[Option<String>; 11], CustomerError> {
        let mut by_hand: [bool; 11] = [mode != Mode::Existing; 11];
        if mode == Mode::Existing {
            for entry in &customer.manual {
                let target = Target::parse(entry).ok_or_else(|| CustomerError::UnknownTarget {
                    field: "manual".to_owned(),
                    target: entry.clone(),
                })?;
                if let Some(flag) = by_hand.get_mut(target.index()) {
                    *flag = true;
                }
            }
        }
        let mut values: [Option<String>; 11] = Default::default();
        for target in Target::ALL {
            let by_hand = by_hand.get(target.index()).copied().unwrap_or(false);
            let (Some(code), true) = (target.stored(customer), by_hand) else {
                continue;
            };
            self.check_stored(target, code, mode)?;
            if let Some(place) = values.get_mut(target.index()) {
                *place = Some(code.to_owned());
            }
        }
        Ok(values)
    }

    fn check_stored(&self, target: Target, code: &str, mode: Mode) -> Result<(), CustomerError> {
        let (field, value) = (target.to_string(), code.to_owned());
        match (self.compiled.standing(target, code), target) {
            (Standing::Active, _) => Ok(()),
            (Standing::Inactive, _) if mode != Mode::New => Ok(()),
            (Standing::Inactive, _) => Err(CustomerError::InactiveValue { field, value }),
            (Standing::UndefinedSlot, _) => Err(CustomerError::UndefinedSlot { field }),
            (_, Target::Class(_)) => Err(CustomerError::UnknownSlotValue { field, value }),
            (_, Target::Type) => Err(CustomerError::UnknownType { field, value }),
            (_, Target::Group) => Err(CustomerError::UnknownGroup { field, value }),
            (_, Target::PriceGroup) => Err(CustomerError::UnknownPriceGroup { field, value }),
        }
    }

    fn run(
        &self,
        customer: &Customer,
        day: Option<Date>,
        mode: Mode,
    ) -> Result<Classification, CustomerError> {
        let compiled = self.compiled.as_ref();
        let subject = self.subject(customer, day)?;
        let manual = self.manual_values(customer, mode)?;

        // Each rule's condition is evaluated at most once, however many
        // targets it sets.
        let mut verdicts: Vec<Option<bool>> = vec![None; compiled.rules.len()];
        let mut decide = |target: Target| -> Option<Assigned> {
            let by_hand = manual.get(target.index()).cloned().flatten();
            for (index, value) in compiled.by_target.get(target.index())? {
                let rule = compiled.rules.get(*index)?;
                if by_hand.is_some() && !rule.overrides {
                    continue;
                }
                let verdict = verdicts.get_mut(*index)?;
                if *verdict.get_or_insert_with(|| rule.cond.matches(&subject)) {
                    return assigned(
                        value.clone(),
                        Source::Rule {
                            rule: rule.id.clone(),
                        },
                    );
                }
            }
            by_hand.map(|value| Assigned {
                value,
                source: Source::Manual,
            })
        };

        let mut classes = AssignedClasses::default();
        // Pricing reads no slot (their values on record were checked above).
        if mode != Mode::Stored {
            for (slot, place) in (1..=8).zip(classes.0.iter_mut()) {
                *place = decide(Target::Class(slot));
            }
        }
        let chosen_type = decide(Target::Type);
        let chosen_group = decide(Target::Group);
        let chosen_price_group = decide(Target::PriceGroup);

        let group = match chosen_group {
            Some(group) => Some(group),
            None => self.default_group(customer, subject.zone, chosen_type.as_ref()),
        };
        let group_info = group.as_ref().and_then(|g| compiled.group(&g.value));
        if let (Some(kind), Some(info)) = (&chosen_type, group_info)
            && info.customer_type != kind.value
        {
            return Err(CustomerError::GroupTypeMismatch {
                group: info.code.clone(),
                group_type: info.customer_type.clone(),
                customer_type: kind.value.clone(),
            });
        }
        let from_group = |pick: fn(&Group) -> Option<&String>| {
            let info = group_info?;
            assigned(
                pick(info)?.clone(),
                Source::Group {
                    group: info.code.clone(),
                },
            )
        };
        let customer_type = chosen_type
            .or_else(|| from_group(|g| Some(&g.customer_type)))
            .or_else(|| assigned(compiled.default_type.clone()?, Source::SetupDefault));
        let price_group = chosen_price_group.or_else(|| from_group(|g| g.price_group.as_ref()));
        let defaults = &compiled.setup.defaults;
        let fallback = |value: &Option<String>| assigned(value.clone()?, Source::SetupDefault);
        let by_hand = |value: &Option<String>| assigned(value.clone()?, Source::Manual);

        Ok(Classification {
            customer: customer.id.clone(),
            fingerprint: compiled.fingerprint,
            classes,
            customer_type,
            price_group,
            vat_zone: subject.zone.and_then(|zone| match customer.vat_zone {
                Some(_) => assigned(zone, Source::Manual),
                None => {
                    let country = customer.country()?.as_str().to_owned();
                    assigned(zone, Source::Country { country })
                }
            }),
            b2b: Assigned {
                value: customer.is_b2b(),
                source: Source::VatNumber,
            },
            receivables_account: by_hand(&customer.receivables_account)
                .or_else(|| from_group(|g| g.receivables_account.as_ref()))
                .or_else(|| fallback(&defaults.receivables_account)),
            revenue_account: by_hand(&customer.revenue_account)
                .or_else(|| from_group(|g| g.revenue_account.as_ref()))
                .or_else(|| fallback(&defaults.revenue_account)),
            layout: from_group(|g| g.layout.as_ref()).or_else(|| fallback(&defaults.layout)),
            group,
        })
    }

    /// The group of a customer no rule and no hand placed: the channel's
    /// group, else the VAT zone's, else the default group of its type. A type
    /// already decided rules out groups of other types.
    fn default_group(
        &self,
        customer: &Customer,
        zone: Option<VatZone>,
        chosen_type: Option<&Assigned>,
    ) -> Option<Assigned> {
        let compiled = self.compiled.as_ref();
        let setup = &compiled.setup;
        let channel = customer.channel.as_ref().and_then(|channel| {
            let code = setup.channel_groups.get(channel.as_str())?;
            assigned(
                code.clone(),
                Source::ChannelDefault {
                    channel: channel.as_str().to_owned(),
                },
            )
        });
        let by_zone = zone.and_then(|zone| {
            assigned(
                setup.zone_groups.get(&zone)?.clone(),
                Source::ZoneDefault { zone },
            )
        });
        let type_code = chosen_type
            .map(|t| t.value.clone())
            .or_else(|| compiled.default_type.clone());
        let by_type = type_code.and_then(|code| {
            let group = compiled.types.get(&code)?.1.clone()?;
            assigned(
                group,
                Source::TypeDefault {
                    customer_type: code,
                },
            )
        });
        [channel, by_zone, by_type]
            .into_iter()
            .flatten()
            .find(|candidate| {
                compiled.group(&candidate.value).is_some_and(|group| {
                    !group.inactive
                        && chosen_type.is_none_or(|kind| kind.value == group.customer_type)
                })
            })
    }
}

/// Refuses a customer without an id: the readers do, and one built in code
/// (`Customer::new("")`, `Customer::default()`) would get a result that
/// names nobody.
fn identified(customer: &Customer) -> Result<(), CustomerError> {
    if scalar::is_blank(&customer.id.0) {
        return Err(CustomerError::InvalidField {
            field: "id".to_owned(),
            detail: "a customer needs an id".to_owned(),
        });
    }
    Ok(())
}

/// The value `field` has on the customer's record, as text; `None` for no
/// value and for the values a record does not keep (B2B, the layout).
fn stored_value(customer: &Customer, field: ResultField) -> Option<Cow<'_, str>> {
    match field {
        ResultField::Target(target) => target.stored(customer).map(Cow::Borrowed),
        ResultField::VatZone => customer.vat_zone.map(|zone| Cow::Borrowed(zone.as_str())),
        ResultField::ReceivablesAccount => {
            customer.receivables_account.as_deref().map(Cow::Borrowed)
        }
        ResultField::RevenueAccount => customer.revenue_account.as_deref().map(Cow::Borrowed),
        ResultField::B2b | ResultField::Layout => None,
    }
    .filter(|value| !scalar::is_blank(value))
}

/// The customer as the engine reads it knowing its earlier classification:
/// a VAT zone or account stored as the engine computed it is left to be
/// computed again, and a slot, type, group or price group a person set since
/// (it differs from the earlier one), or one that was set by hand then, is
/// marked manual.
fn as_computed_by<'a>(customer: &'a Customer, previous: &Classification) -> Cow<'a, Customer> {
    let mut input = Cow::Borrowed(customer);
    for field in ResultField::ALL {
        let Some(stored) = stored_value(customer, field) else {
            continue;
        };
        let before = previous.assigned(field);
        let computed = before
            .as_ref()
            .is_some_and(|b| b.value == *stored && b.source != Source::Manual);
        match field {
            ResultField::Target(target) if !computed => {
                let name = target.to_string();
                if !customer.manual.contains(&name) {
                    input.to_mut().manual.push(name);
                }
            }
            ResultField::VatZone if computed => input.to_mut().vat_zone = None,
            ResultField::ReceivablesAccount if computed => {
                input.to_mut().receivables_account = None;
            }
            ResultField::RevenueAccount if computed => input.to_mut().revenue_account = None,
            _ => {}
        }
    }
    input
}

fn invalid_customer(error: CustomerError) -> PricingError {
    PricingError::from(PricingErrorKind::InvalidCustomer { error })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customer_built_without_an_id_is_refused() {
        let engine = Engine::new(Setup::standard("NL".parse().unwrap())).unwrap();
        for customer in [Customer::default(), Customer::new(" ")] {
            let err = engine.classify(&customer).unwrap_err();
            assert_eq!((err.code(), err.field()), ("invalid_field", Some("id")));
        }
    }

    #[test]
    fn engines_and_segments_can_be_shared_across_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Engine>();
        shareable::<Segment>();
    }

    #[test]
    fn one_engine_gives_the_same_answers_on_several_threads() {
        let setup = Setup::standard("NL".to_owned().try_into().unwrap());
        let engine = Engine::new(setup).unwrap();
        let customer = Customer::from_json(
            r#"{"id": "1", "billing_address": {"country": "BE"}, "vat_number": "BE0123456789"}"#,
        )
        .unwrap();
        let expected = engine.classify(&customer).unwrap();
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| assert_eq!(engine.classify(&customer).unwrap(), expected));
            }
        });
        assert_eq!(expected.group.unwrap().value, "EU");
    }
}
