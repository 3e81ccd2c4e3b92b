//! Pricing order lines in bulk, column by column.
//!
//! A realistic order book has many customers with one or two lines each, so
//! what costs is the customer, not the line. Pricing reads few facts of a
//! customer: its type, group and price group as its record and the rules
//! make them, its VAT zone, the segments of segment-scoped rules and
//! whether some rule names it. Those facts are worked out for every row of
//! the customer table at once, as [`Engine::classify_table`] does, and rows
//! that agree on all of them share a *pricing key*. Each key is set up
//! once, by the code that prices one customer; each line then reads its
//! key's candidate rules for its item group, gathered once per key and
//! item group, and competes them as [`Engine::price`] does. A property test
//! checks every line against [`Engine::price`].
//!
//! The zone depends on the line's date (a country may join or leave the
//! EU), so the keys are worked out once per span of dates in which no
//! country of the table changes membership: one span for nearly every book.

use jiff::civil::Date;
use rustc_hash::FxHashMap;

use super::{Decided, Digit, core_digits, number_keys, row_keys};
use crate::bits::Bits;
use crate::classification::Target;
use crate::customer::{CurrencyCode, Customer, VatZone};
use crate::engine::Engine;
use crate::error::{CustomerError, PricingError, PricingErrorKind};
use crate::expr::{Derived, ZoneSource};
use crate::pricing::book::{CustomerMatch, ScopeKey, Terms};
use crate::pricing::resolve::{Line, LinePrice, Pricer, check_amounts};
use crate::pricing::{PriceRequest, Quote};
use crate::table::CustomerTable;
use crate::table::column::{Codes, DateColumn, DecimalColumn, TextBuilder, TextColumn, day_number};
use crate::threads::Threads;

/// Order lines as columns: one per field of a
/// [`PriceRequest`](crate::PriceRequest).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineColumns<'a> {
    pub(crate) item: &'a TextColumn,
    pub(crate) item_group: Option<&'a TextColumn>,
    pub(crate) list_price: &'a DecimalColumn,
    pub(crate) quantity: &'a DecimalColumn,
    pub(crate) date: &'a DateColumn,
    pub(crate) currency: &'a TextColumn,
}

/// The line of a customer that isn't in the table: its fault was reported
/// by the caller.
pub(crate) const NO_CUSTOMER: u32 = u32::MAX;

/// Why a line has no price.
#[derive(Debug, Clone)]
pub(crate) enum LineFault {
    /// A column every line needs, empty in this one (only columns read
    /// from Arrow have empty cells).
    #[cfg_attr(not(feature = "arrow"), allow(dead_code))]
    Missing(&'static str),
    Pricing(PricingError),
}

/// The lines' prices, in line order; a line without one has its fault.
#[derive(Debug, Default)]
pub(crate) struct PricedLines {
    pub(crate) prices: Vec<Option<LinePrice>>,
    /// By line, ascending.
    pub(crate) faults: Vec<(usize, LineFault)>,
}

/// What tells two customers' pricers apart.
#[derive(Debug, PartialEq, Eq, Hash)]
struct FactsKey<'s> {
    customer_type: Option<String>,
    group: Option<String>,
    price_group: Option<String>,
    zone: Option<VatZone>,
    signature: &'s [u32],
}

/// Each row's pricing key on one day.
struct PriceKeys {
    /// Per row: its key, or `u32::MAX` for a row in error.
    key_of_row: Vec<u32>,
    /// Per key, the first row with it.
    representatives: Vec<usize>,
    /// Per key, what tells apart keys that classify alike but price apart:
    /// its segment rules' verdicts and which named customer it is.
    signatures: Vec<Vec<u32>>,
    /// The rows that can't be priced, with the error pricing one of them
    /// alone gives.
    errors: FxHashMap<usize, CustomerError>,
}

/// The keys of one span of dates, as of `day` (its first line's), and
/// where they start among the keys of all spans.
struct SpanKeys {
    day: Date,
    keys: PriceKeys,
    offset: u32,
}

/// Lines priced per thread's work item: large enough that a chunk's own
/// candidate cache pays off.
const LINES_PER_CHUNK: usize = 1 << 16;

impl Engine {
    /// Prices every line of `lines` for the customer in row
    /// `customer_of_line[line]` of `table` ([`NO_CUSTOMER`] lines are left
    /// out), as [`Engine::price`] prices it without explanation.
    pub(crate) fn price_table_lines(
        &self,
        table: &CustomerTable,
        customer_of_line: &[u32],
        lines: &LineColumns<'_>,
        threads: Threads,
    ) -> PricedLines {
        span!("price_table_lines", lines = customer_of_line.len());
        let (days, valid) = lines.date.parts();
        // The spans of dates between the table's membership changes, and
        // the first date each span that some line has.
        let changes: Vec<i32> = self
            .zone_changes(table)
            .into_iter()
            .map(day_number)
            .collect();
        let span_of = |day: i32| changes.partition_point(|&change| change <= day);
        let mut first_day: Vec<Option<usize>> = vec![None; changes.len() + 1];
        for (line, &day) in days.iter().enumerate() {
            if valid.get(line)
                && let Some(first @ None) = first_day.get_mut(span_of(day))
            {
                *first = Some(line);
            }
            if first_day.iter().all(Option::is_some) {
                break;
            }
        }
        // Per span: the keys as of its first line's date, numbered on from
        // the keys of the spans before.
        let mut spans: Vec<Option<SpanKeys>> = Vec::with_capacity(first_day.len());
        let mut representatives: Vec<(usize, Date, &[u32])> = Vec::new();
        for first in &first_day {
            let keys = first
                .and_then(|line| lines.date.get(line))
                .map(|day| SpanKeys {
                    offset: 0,
                    day,
                    keys: self.price_keys(table, day, threads),
                });
            spans.push(keys);
        }
        for span in spans.iter_mut().flatten() {
            span.offset = representatives.len() as u32;
            let keys = &span.keys;
            representatives.extend(
                keys.representatives
                    .iter()
                    .zip(&keys.signatures)
                    .map(|(&row, signature)| (row, span.day, signature.as_slice())),
            );
        }
        // Keys that classify alike share one pricer: the keys tell apart
        // everything classification reads, the pricers only what pricing
        // reads of its answer.
        let customers: Vec<Customer> = representatives
            .iter()
            .map(|&(row, ..)| table.customer(row).unwrap_or_default())
            .collect();
        let book = &self.compiled().prices;
        let mut pricers: Vec<Pricer<'_>> = Vec::new();
        let mut pricer_of_facts: FxHashMap<FactsKey<'_>, u32> = FxHashMap::default();
        let pricer_of_key: Vec<Result<u32, PricingError>> = customers
            .iter()
            .zip(&representatives)
            .map(|(customer, &(_, day, signature))| {
                let facts = self.price_facts(customer, day)?;
                let key = FactsKey {
                    customer_type: facts.customer_type.clone(),
                    group: facts.group.clone(),
                    price_group: facts.price_group.clone(),
                    zone: facts.subject.zone,
                    signature,
                };
                Ok(*pricer_of_facts.entry(key).or_insert_with(|| {
                    pricers.push(Pricer::new(book, facts));
                    pricers.len() as u32 - 1
                }))
            })
            .collect();
        let dictionaries = Dictionaries::new(self, lines);
        // The key of a dated line's customer (row `row`), or why it can't
        // be priced.
        let key_of = |line: usize, row: u32| -> Result<u32, PricingError> {
            let span = days.get(line).map_or(0, |&day| span_of(day));
            // A span some dated line is in has its keys.
            let refused = |error: Option<&CustomerError>| {
                let error = error
                    .cloned()
                    .unwrap_or_else(|| past_the_end(row as usize, table.len()));
                PricingError::from(PricingErrorKind::InvalidCustomer { error })
            };
            let Some(Some(span)) = spans.get(span) else {
                return Err(refused(None));
            };
            match span.keys.key_of_row.get(row as usize) {
                Some(&u32::MAX) => Err(refused(span.keys.errors.get(&(row as usize)))),
                Some(&key) => Ok(key + span.offset),
                None => Err(refused(None)),
            }
        };
        let starts: Vec<usize> = (0..customer_of_line.len())
            .step_by(LINES_PER_CHUNK)
            .collect();
        let chunks = threads.map(&starts, |&start| {
            let end = (start + LINES_PER_CHUNK).min(customer_of_line.len());
            let mut chunk = Chunk::new(&pricers, &pricer_of_key, &dictionaries, lines);
            chunk.out.prices.reserve(end - start);
            for line in start..end {
                match customer_of_line.get(line) {
                    Some(&row) if row != NO_CUSTOMER => chunk.price(line, || key_of(line, row)),
                    _ => chunk.out.prices.push(None),
                }
            }
            chunk.out
        });
        let mut priced = PricedLines {
            prices: Vec::with_capacity(customer_of_line.len()),
            faults: Vec::new(),
        };
        for chunk in chunks {
            priced.prices.extend(chunk.prices);
            priced.faults.extend(chunk.faults);
        }
        priced
    }

    /// Prices many order lines at once, each for the customer in a row of
    /// `customers`: the answers of [`Engine::price_lines`] without its
    /// per-customer cost, for order books where most customers have a line
    /// or two. Customers are set up once per distinct combination of what
    /// pricing reads of them (type, group, price group, VAT zone, segment
    /// membership), however many there are.
    ///
    /// A line whose row is past the table's end gets an `invalid_customer`
    /// error, as does a line whose customer [`Engine::price`] refuses.
    ///
    /// ```
    /// use custclass::{CustomerTable, Engine, PriceRequest, Setup};
    ///
    /// let mut setup = Setup::standard("NL".to_owned().try_into()?);
    /// setup.pricing = serde_json::from_str(r#"{"rules": [{"id": "b2b-10",
    ///     "customers": {"segment": "b2b = true"}, "action": {"discount_percent": "10"}}]}"#)?;
    /// let engine = Engine::new(setup)?;
    /// let file = "id;country;vat_number\n1;NL;NL123456782B01\n2;NL;\n";
    /// let (customers, _) = CustomerTable::from_csv(file.as_bytes())?;
    /// let line = PriceRequest::from_json(r#"{"item": "OIL-5L", "list_price": "39.95",
    ///     "quantity": "2", "date": "2026-11-22", "currency": "EUR"}"#)?;
    /// let quotes = engine.price_rows(&customers, &[(0, line.clone()), (1, line)]);
    /// let totals: Vec<String> = quotes
    ///     .into_iter()
    ///     .map(|quote| quote.map(|q| q.line_total.to_string()))
    ///     .collect::<Result<_, _>>()?;
    /// assert_eq!(totals, ["71.92", "79.90"]);   // the customer with a VAT number gets 10 % off
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn price_rows(
        &self,
        customers: &CustomerTable,
        lines: &[(usize, PriceRequest)],
    ) -> Vec<Result<Quote, PricingError>> {
        let mut item = TextBuilder::default();
        let mut item_group = TextBuilder::default();
        let mut currency = TextBuilder::default();
        let mut list_price = DecimalColumn::with_nulls(0);
        let mut quantity = DecimalColumn::with_nulls(0);
        let mut date = DateColumn::with_nulls(0);
        let mut customer_of_line = Vec::with_capacity(lines.len());
        for (row, request) in lines {
            customer_of_line.push(match u32::try_from(*row) {
                Ok(row) if (row as usize) < customers.len() => row,
                _ => NO_CUSTOMER,
            });
            item.push(Some(&request.item));
            item_group.push(request.item_group.as_deref());
            currency.push(Some(request.currency.as_str()));
            list_price.push(Some(request.list_price));
            quantity.push(Some(request.quantity));
            date.push(Some(request.date));
        }
        let (item, item_group, currency) = (item.finish(), item_group.finish(), currency.finish());
        let columns = LineColumns {
            item: &item,
            item_group: Some(&item_group),
            list_price: &list_price,
            quantity: &quantity,
            date: &date,
            currency: &currency,
        };
        let priced =
            self.price_table_lines(customers, &customer_of_line, &columns, Threads::available());
        let mut faults = priced.faults.into_iter().peekable();
        let book = &self.compiled().prices;
        let id = |rule: u32| book.rules.get(rule as usize).map(|rule| rule.id.clone());
        lines
            .iter()
            .zip(priced.prices)
            .enumerate()
            .map(|(line, ((row, request), price))| {
                let fault = faults
                    .next_if(|(at, _)| *at == line)
                    .map(|(_, fault)| fault);
                match (price, fault) {
                    (Some(price), _) => Ok(Quote {
                        list_price: request.list_price,
                        net_price: price.net,
                        quantity: request.quantity,
                        line_total: price.total,
                        currency: request.currency,
                        reason: book.reason(price.rule, &price.stacked),
                        rule: price.rule.and_then(id),
                        stacked: price.stacked.into_iter().filter_map(id).collect(),
                        explanation: None,
                    }),
                    (None, Some(LineFault::Pricing(error))) => Err(error),
                    // Every value of a request is there; what's left is a
                    // row past the table's end.
                    (None, _) => Err(PricingError::from(PricingErrorKind::InvalidCustomer {
                        error: past_the_end(*row, customers.len()),
                    })),
                }
            })
            .collect()
    }

    /// Each row's pricing key as of `day`: rows with one key price alike.
    fn price_keys(&self, table: &CustomerTable, day: Date, threads: Threads) -> PriceKeys {
        let rows = table.len();
        let zones = self.table_zones_on(table, day);
        let derived = Derived::new(ZoneSource::Codes(&zones), threads);
        let targets = [Target::Type, Target::Group, Target::PriceGroup];

        // The conditions of the rules deciding type, group and price group;
        // the slots' rules don't touch pricing.
        let mut needed = vec![false; self.rule_conditions().count()];
        for target in targets {
            for (index, ..) in self.target_rules(target) {
                if let Some(flag) = needed.get_mut(index) {
                    *flag = true;
                }
            }
        }
        let conditions: Vec<_> = self
            .rule_conditions()
            .zip(&needed)
            .map(|(cond, &needed)| needed.then_some(cond))
            .collect();
        let verdicts: Vec<Bits> = threads.map(&conditions, |cond| match cond {
            Some(cond) => cond.true_rows(table, &derived),
            None => Bits::none(0),
        });
        let decided: Vec<Decided> = targets
            .iter()
            .map(|target| {
                let stored = table.text(&target.to_string());
                self.decide(*target, stored, &verdicts, rows)
            })
            .collect();

        // A row in error is priced by no key: an attribute that isn't a
        // number, or a slot value the setup doesn't know. (Type, group and
        // price group are digits of the key: their errors are the key's.)
        let mut errors: FxHashMap<usize, CustomerError> =
            self.unreadable_attributes(table).into_iter().collect();
        for slot in 1..=8 {
            let target = Target::Class(slot);
            let stored = table.text(&target.to_string());
            self.refused_values(target, stored, &mut errors, |target, code| {
                self.check_priced_value(target, code)
            });
        }
        let mut in_error = Bits::none(rows);
        for row in errors.keys() {
            in_error.set(*row);
        }

        let book = &self.compiled().prices;
        let segments: Vec<Bits> = book
            .segment_rules
            .iter()
            .filter_map(|&rule| match &book.rules.get(rule as usize)?.customers {
                CustomerMatch::Segment(cond) => Some(cond.true_rows(table, &derived)),
                _ => None,
            })
            .collect();
        let named = named_customers(table, book.scopes.keys());

        let mut digits = core_digits(table, &decided, &zones, &derived);
        digits.extend(segments.iter().map(Digit::Flag));
        if let Some((codes, radix)) = &named {
            digits.push(Digit::Codes(codes, *radix));
        }
        let keys = row_keys(&digits, &in_error, rows, threads);
        let (key_of_row, representatives) = number_keys(keys, threads);
        let signatures = representatives
            .iter()
            .map(|&row| {
                let named = named.as_ref().map(|(codes, _)| codes.get(row));
                segments
                    .iter()
                    .map(|verdicts| u32::from(verdicts.get(row)))
                    .chain(named)
                    .collect()
            })
            .collect();
        PriceKeys {
            key_of_row,
            representatives,
            signatures,
            errors,
        }
    }
}

/// The error of a line whose customer row isn't in the table.
fn past_the_end(row: usize, rows: usize) -> CustomerError {
    CustomerError::InvalidField {
        field: "customer".to_owned(),
        detail: format!("row {row} is past the end of the table ({rows} rows)"),
    }
}

/// Per row, which of the customers that price rules name it is (0 for
/// none), and how many there are plus one; `None` when no rule names a
/// customer.
fn named_customers<'k>(
    table: &CustomerTable,
    scopes: impl Iterator<Item = &'k ScopeKey>,
) -> Option<(Codes, u64)> {
    let mut named: FxHashMap<&str, u32> = FxHashMap::default();
    for scope in scopes {
        if let ScopeKey::Customer(id) = scope {
            let next = named.len() as u32 + 1;
            named.entry(id.as_str()).or_insert(next);
        }
    }
    if named.is_empty() {
        return None;
    }
    let ids = table.text("id")?;
    let by_code: Vec<u32> = std::iter::once(0)
        .chain(
            ids.values
                .iter()
                .map(|id| named.get(id).copied().unwrap_or(0)),
        )
        .collect();
    let digits = (0..table.len())
        .map(|row| {
            by_code
                .get(ids.codes.get(row) as usize)
                .copied()
                .unwrap_or(0)
        })
        .collect();
    Some((Codes::U32(digits), named.len() as u64 + 1))
}

/// What the lines' text columns mean to the price book, worked out once
/// per distinct value instead of once per line.
struct Dictionaries<'a> {
    /// Per code of the item-group column: its chain and slot, or why not.
    item_groups: Vec<Result<(&'a [u32], usize), PricingError>>,
    /// Per code of the item column: the item's id among the items rules
    /// name (empty when no rule names an item).
    items: Vec<Option<u32>>,
    /// Per code of the currency column.
    currencies: Vec<Option<CurrencyCode>>,
    /// The item-group slots: one per group, one for lines without.
    slots: usize,
}

impl<'a> Dictionaries<'a> {
    fn new(engine: &'a Engine, lines: &LineColumns<'_>) -> Dictionaries<'a> {
        let book = &engine.compiled().prices;
        let item_groups = std::iter::once(book.item_group(None))
            .chain(
                lines
                    .item_group
                    .into_iter()
                    .flat_map(|column| column.values.iter())
                    .map(|code| book.item_group(Some(code))),
            )
            .collect();
        let items = match book.items.is_empty() {
            true => Vec::new(),
            false => std::iter::once(None)
                .chain(lines.item.values.iter().map(|code| book.item(code)))
                .collect(),
        };
        let currencies = std::iter::once(None)
            .chain(
                lines
                    .currency
                    .values
                    .iter()
                    .map(|code| CurrencyCode::try_from(code.to_owned()).ok()),
            )
            .collect();
        Dictionaries {
            item_groups,
            items,
            currencies,
            slots: book.chains.len() + 1,
        }
    }
}

/// One thread's lines: its own cache of candidate lists.
struct Chunk<'p, 'a> {
    pricers: &'p [Pricer<'a>],
    /// Per key: its pricer, or why its customers can't be priced.
    pricer_of_key: &'p [Result<u32, PricingError>],
    dictionaries: &'p Dictionaries<'a>,
    lines: &'p LineColumns<'p>,
    /// Per pricer and item-group slot, 1 + a position in `lists` (0 for
    /// not yet gathered): for lines whose item no rule names.
    by_slot: Vec<u32>,
    /// Item-group slots per pricer in `by_slot`: the groups and no group.
    slots: usize,
    /// Per (pricer, item-group slot, item): a position in `lists`, for
    /// lines whose item some rule names.
    by_item: FxHashMap<(u32, u32, u32), usize>,
    lists: Vec<Vec<&'a Terms>>,
    out: PricedLines,
}

impl<'p, 'a> Chunk<'p, 'a> {
    fn new(
        pricers: &'p [Pricer<'a>],
        pricer_of_key: &'p [Result<u32, PricingError>],
        dictionaries: &'p Dictionaries<'a>,
        lines: &'p LineColumns<'p>,
    ) -> Chunk<'p, 'a> {
        Chunk {
            pricers,
            pricer_of_key,
            dictionaries,
            lines,
            by_slot: Vec::new(),
            slots: dictionaries.slots,
            by_item: FxHashMap::default(),
            lists: Vec::new(),
            out: PricedLines::default(),
        }
    }

    /// Prices line `line` for the customer whose key `key` finds, in the
    /// order of [`Engine::price`]'s checks: the line's own values, the
    /// customer, the amounts, the item group.
    fn price(&mut self, line: usize, key: impl FnOnce() -> Result<u32, PricingError>) {
        let price = match self.try_price(line, key) {
            Ok(price) => price,
            Err(fault) => {
                self.out.faults.push((line, fault));
                None
            }
        };
        self.out.prices.push(price);
    }

    /// Where in `lists` the candidates of pricer `at` for item-group slot
    /// `slot` and item `item` are, gathered on first use.
    fn candidates(
        &mut self,
        pricer: &Pricer<'a>,
        at: u32,
        slot: usize,
        item: Option<u32>,
    ) -> usize {
        let lists = &mut self.lists;
        let mut gather = || {
            lists.push(pricer.candidates(slot, item));
            lists.len() - 1
        };
        if let Some(item) = item {
            return *self
                .by_item
                .entry((at, slot as u32, item))
                .or_insert_with(gather);
        }
        let place = (at as usize)
            .saturating_mul(self.slots)
            .saturating_add(slot);
        if place >= self.by_slot.len() {
            self.by_slot
                .resize(place.saturating_add(1).max(self.slots), 0);
        }
        match self.by_slot.get(place).copied() {
            Some(0) | None => {
                let list = gather();
                if let Some(known) = self.by_slot.get_mut(place) {
                    *known = list as u32 + 1;
                }
                list
            }
            Some(known) => known as usize - 1,
        }
    }

    fn try_price(
        &mut self,
        line: usize,
        key: impl FnOnce() -> Result<u32, PricingError>,
    ) -> Result<Option<LinePrice>, LineFault> {
        let lines = self.lines;
        let item = lines.item.codes.get(line);
        if item == 0 {
            return Err(LineFault::Missing("item"));
        }
        let list = lines
            .list_price
            .get(line)
            .ok_or(LineFault::Missing("list_price"))?;
        let quantity = lines
            .quantity
            .get(line)
            .ok_or(LineFault::Missing("quantity"))?;
        let date = lines.date.get(line).ok_or(LineFault::Missing("date"))?;
        let currency = self
            .dictionaries
            .currencies
            .get(lines.currency.codes.get(line) as usize)
            .copied()
            .flatten()
            .ok_or(LineFault::Missing("currency"))?;
        let key = key().map_err(LineFault::Pricing)?;
        let (at, pricer) = match self.pricer_of_key.get(key as usize) {
            Some(Ok(at)) => (*at, self.pricers.get(*at as usize)),
            Some(Err(error)) => return Err(LineFault::Pricing(error.clone())),
            None => return Ok(None),
        };
        let Some(pricer) = pricer else {
            return Ok(None);
        };
        check_amounts(quantity, list).map_err(LineFault::Pricing)?;
        let group = lines.item_group.map_or(0, |column| column.codes.get(line));
        let (chain, slot) = match self.dictionaries.item_groups.get(group as usize) {
            Some(Ok(found)) => *found,
            Some(Err(error)) => return Err(LineFault::Pricing(error.clone())),
            None => return Ok(None),
        };
        let item = self
            .dictionaries
            .items
            .get(item as usize)
            .copied()
            .flatten();
        let gathered = self.candidates(pricer, at, slot, item);
        let candidates = self.lists.get(gathered).map_or(&[][..], Vec::as_slice);
        let line = Line {
            list,
            quantity,
            date,
            currency,
            chain,
            slot,
            item,
            units: currency.minor_units(),
        };
        pricer
            .price_line(&line, candidates)
            .map(Some)
            .map_err(LineFault::Pricing)
    }
}
