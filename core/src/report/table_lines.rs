//! A classified table's rows as the pieces of JSON lines: the text each
//! distinct result and slot entry shares, made once, and each row's own
//! customer values read from the columns.

use std::io;

use super::customer_json::{Place, Values, customer_members, write_list, write_object};
use super::prepared::Prepared;
use super::result_json;
use super::text::{day, json_str, scaled};
use crate::bits::Bits;
use crate::bulk::TableClassification;
use crate::classification::{Source, Target};
use crate::customer::fields::Access;
use crate::table::column::{DateColumn, DecimalColumn, TextColumn};
use crate::table::{Column, CustomerTable};

/// Rows whose text cells are looked up together, before their lines are
/// written: a tight loop of look-ups into the dictionaries (of mostly
/// distinct names, e-mail addresses, streets, in sorted order, so each a
/// cache miss in row order) keeps many misses in flight at once.
const BLOCK: usize = 256;

/// Each target's name, in [`Target::ALL`]'s order: the names `manual`
/// lists.
const TARGET_NAMES: [&str; 11] = [
    "class1",
    "class2",
    "class3",
    "class4",
    "class5",
    "class6",
    "class7",
    "class8",
    "type",
    "group",
    "price_group",
];

/// Writes the line of every row of `table` that `classified` (its
/// classification) could classify into `out`, calling `after_line` after
/// each; returns the number of lines.
///
/// # Errors
///
/// `after_line`'s error; `InvalidInput` when `classified` is the
/// classification of another table.
pub(super) fn write_lines(
    table: &CustomerTable,
    classified: &TableClassification<'_>,
    out: &mut Vec<u8>,
    mut after_line: impl FnMut(&mut Vec<u8>) -> io::Result<()>,
) -> io::Result<usize> {
    let prepared = Prepared::new(table, classified)?;
    let shared = Shared::new(&prepared, classified);
    let mut texts = Texts::default();
    let id = texts.add(table.text("id"));
    let members = customer_members(|place| table_leaf(table, place, &mut texts));
    let mut written = 0;
    let mut start = 0;
    while start < prepared.rows() {
        let rows = start..prepared.rows().min(start + BLOCK);
        texts.gather(rows.clone());
        for row in rows {
            let Some(core) = prepared.core(row) else {
                continue;
            };
            let at = row - start;
            let mut slots = [0usize; 8];
            for (slot, code) in (1..=8).zip(slots.iter_mut()) {
                *code = prepared.slot_code(slot, row);
            }
            out.extend_from_slice(b"{\"classification\":{\"b2b\":");
            out.extend_from_slice(shared.b2b(core));
            out.extend_from_slice(b",\"classes\":{");
            let mut first = true;
            for (index, &code) in slots.iter().enumerate() {
                if let Some(member) = shared.slot(index, code, |entry| &entry.member) {
                    if !first {
                        out.push(b',');
                    }
                    first = false;
                    out.extend_from_slice(member);
                }
            }
            out.extend_from_slice(b"},\"customer\":");
            json_str(out, texts.cell(id, at).unwrap_or_default());
            out.extend_from_slice(shared.tail(core));
            out.extend_from_slice(b",\"customer\":");
            let mut values = RowValues {
                shared: &shared,
                texts: &texts,
                row,
                at,
                core,
                slots,
            };
            write_object(out, &members, &mut values);
            out.extend_from_slice(b"}\n");
            written += 1;
            after_line(out)?;
        }
        start += BLOCK;
    }
    Ok(written)
}

/// One slot entry's text, made once for every row that has it.
struct SlotEntry {
    /// `"class3":{"source":…,"value":…}` in the classification.
    member: Vec<u8>,
    /// `"…"`, the value on the customer.
    value: Vec<u8>,
    by_hand: bool,
}

/// One distinct core result's text, made once for every row that has it.
#[derive(Default)]
struct CoreEntry {
    b2b: Vec<u8>,
    /// From the fingerprint to the end of the classification.
    tail: Vec<u8>,
    /// Type, group and price group as stored on the customer (`"…"`).
    stored: [Option<Vec<u8>>; 3],
    /// Whether type, group and price group were set by hand.
    by_hand: [bool; 3],
}

/// What the rows of one table share: each slot entry's and each core
/// result's text.
struct Shared {
    /// Per slot, per code (0: no value, `None`).
    slots: Vec<Vec<Option<SlotEntry>>>,
    core: Vec<CoreEntry>,
}

impl Shared {
    fn new(prepared: &Prepared<'_>, classified: &TableClassification<'_>) -> Shared {
        let slots = (1..=8)
            .zip(&prepared.slots)
            .map(|(slot, column)| {
                std::iter::once(None)
                    .chain(column.entries.iter().map(|entry| {
                        let mut member = Vec::new();
                        result_json::slot_member(&mut member, slot, entry);
                        let mut value = Vec::new();
                        json_str(&mut value, &entry.value);
                        Some(SlotEntry {
                            member,
                            value,
                            by_hand: entry.source == Source::Manual,
                        })
                    }))
                    .collect()
            })
            .collect();
        let core = classified
            .core_results()
            .iter()
            .map(|result| {
                let Ok(result) = result else {
                    return CoreEntry::default();
                };
                let mut entry = CoreEntry::default();
                result_json::b2b(&mut entry.b2b, &result.b2b);
                result_json::tail(&mut entry.tail, result);
                let targets = [Target::Type, Target::Group, Target::PriceGroup];
                for ((target, stored), by_hand) in targets
                    .into_iter()
                    .zip(entry.stored.iter_mut())
                    .zip(entry.by_hand.iter_mut())
                {
                    if let Some(assigned) = result.stored(target) {
                        let mut text = Vec::new();
                        json_str(&mut text, &assigned.value);
                        *stored = Some(text);
                        *by_hand = assigned.source == Source::Manual;
                    }
                }
                entry
            })
            .collect();
        Shared { slots, core }
    }

    fn slot<T: ?Sized>(
        &self,
        index: usize,
        code: usize,
        part: impl Fn(&SlotEntry) -> &T,
    ) -> Option<&T> {
        let entry = self.slots.get(index)?.get(code)?.as_ref()?;
        Some(part(entry))
    }

    fn b2b(&self, core: usize) -> &[u8] {
        self.core.get(core).map_or(&[][..], |entry| &entry.b2b)
    }

    fn tail(&self, core: usize) -> &[u8] {
        self.core.get(core).map_or(&[][..], |entry| &entry.tail)
    }
}

/// The text columns a table's lines read, and each one's cells for the
/// rows of the block being written.
#[derive(Default)]
struct Texts<'t> {
    columns: Vec<Option<&'t TextColumn>>,
    /// Row by row of the block, each row's cells side by side: a line
    /// then reads one short run of memory.
    cells: Vec<Option<&'t str>>,
}

impl<'t> Texts<'t> {
    /// Adds `column` (which may be missing); its number.
    fn add(&mut self, column: Option<&'t TextColumn>) -> usize {
        self.columns.push(column);
        self.columns.len() - 1
    }

    /// Looks up the cells of `rows`, column by column.
    fn gather(&mut self, rows: std::ops::Range<usize>) {
        let width = self.columns.len();
        self.cells.clear();
        self.cells.resize(rows.len() * width, None);
        for (index, column) in self.columns.iter().enumerate() {
            let Some(column) = column else { continue };
            let places = self.cells.iter_mut().skip(index).step_by(width);
            for (place, row) in places.zip(rows.clone()) {
                *place = column.get(row);
            }
        }
    }

    /// Column `column`'s cell in row `at` of the block.
    fn cell(&self, column: usize, at: usize) -> Option<&'t str> {
        *self.cells.get(at * self.columns.len() + column)?
    }
}

/// Where a table row's customer value comes from; text by its column's
/// number in [`Texts`].
enum TableLeaf<'t> {
    /// The id, written even when missing (as `""`).
    Id(usize),
    Text(usize),
    Number(&'t DecimalColumn),
    Day(&'t DateColumn),
    Flag(&'t Bits),
    /// Slot 1..=8, as classified.
    Slot(usize),
    /// Type (0), group (1) or price group (2), as classified.
    Core(usize),
    /// The targets set by hand, after the names the row lists.
    Manual(usize),
    /// Each attribute: its key (`"name":`) and columns.
    Attributes(Vec<(Vec<u8>, Option<&'t DecimalColumn>, usize)>),
}

/// The leaf of `place` in `table`; `None` for a place no row fills.
fn table_leaf<'t>(
    table: &'t CustomerTable,
    place: Place,
    texts: &mut Texts<'t>,
) -> Option<TableLeaf<'t>> {
    let field = match place {
        Place::Field(field) => field,
        Place::Attributes => {
            let mut attributes = Vec::new();
            for name in table.column_names() {
                let Some(attr) = name.strip_prefix("attr.") else {
                    continue;
                };
                let mut key = Vec::new();
                json_str(&mut key, attr);
                key.push(b':');
                let columns = table.columns_named(name);
                let numbers = columns.iter().find_map(|column| match column {
                    Column::Decimal(numbers) => Some(numbers),
                    _ => None,
                });
                attributes.push((key, numbers, texts.add(table.text(name))));
            }
            attributes.sort_by(|a, b| a.0.cmp(&b.0));
            return (!attributes.is_empty()).then_some(TableLeaf::Attributes(attributes));
        }
    };
    if let Some(target) = Target::parse(field.name) {
        return Some(match target {
            Target::Class(slot) => TableLeaf::Slot(slot),
            Target::Type => TableLeaf::Core(0),
            Target::Group => TableLeaf::Core(1),
            _ => TableLeaf::Core(2),
        });
    }
    match (field.name, field.access) {
        ("id", _) => Some(TableLeaf::Id(texts.add(table.text("id")))),
        ("manual", _) => Some(TableLeaf::Manual(texts.add(table.text("manual")))),
        (_, Access::Text { .. } | Access::Coded { .. } | Access::List { .. }) => table
            .text(field.name)
            .map(|column| TableLeaf::Text(texts.add(Some(column)))),
        (name, _) => table
            .columns_named(name)
            .into_iter()
            .find_map(|column| match column {
                Column::Decimal(numbers) => Some(TableLeaf::Number(numbers)),
                Column::Date(days) => Some(TableLeaf::Day(days)),
                Column::Flag(flags) => Some(TableLeaf::Flag(flags)),
                Column::Text(_) => None,
            }),
    }
}

/// The values of one table row: `row` of the table, `at` of the block.
struct RowValues<'s, 't> {
    shared: &'s Shared,
    texts: &'s Texts<'t>,
    row: usize,
    at: usize,
    core: usize,
    slots: [usize; 8],
}

impl RowValues<'_, '_> {
    fn core_entry(&self) -> Option<&CoreEntry> {
        self.shared.core.get(self.core)
    }

    /// The row's `manual` list after [`Classification::apply`](crate::Classification::apply): the names
    /// it lists but those of targets not set by hand, then the targets set
    /// by hand it doesn't list.
    fn manual(&self, listed: Option<&str>, out: &mut Vec<u8>) -> bool {
        let mut by_hand = [false; 11];
        for (index, (&code, flag)) in self.slots.iter().zip(by_hand.iter_mut()).enumerate() {
            *flag = self
                .shared
                .slot(index, code, |entry| &entry.by_hand)
                .copied()
                .unwrap_or(false);
        }
        if let Some(core) = self.core_entry() {
            for (flag, &hand) in by_hand.iter_mut().skip(8).zip(&core.by_hand) {
                *flag = hand;
            }
        }
        if listed.is_none() && !by_hand.contains(&true) {
            return false;
        }
        let mut names: Vec<&str> = listed
            .unwrap_or_default()
            .split([',', ' '])
            .filter(|name| !name.is_empty())
            .collect();
        for (name, &hand) in TARGET_NAMES.iter().zip(&by_hand) {
            let listed = names.contains(name);
            if hand && !listed {
                names.push(name);
            } else if !hand && listed {
                names.retain(|entry| entry != name);
            }
        }
        if names.is_empty() {
            return false;
        }
        write_list(out, names.into_iter());
        true
    }
}

impl<'t> Values for RowValues<'_, 't> {
    type Leaf = TableLeaf<'t>;

    fn write(&mut self, leaf: &TableLeaf<'t>, out: &mut Vec<u8>) -> bool {
        let row = self.row;
        let cell = |column: usize| self.texts.cell(column, self.at);
        match leaf {
            TableLeaf::Id(ids) => {
                json_str(out, cell(*ids).unwrap_or_default());
                true
            }
            TableLeaf::Text(column) => match cell(*column) {
                Some(text) => {
                    json_str(out, text);
                    true
                }
                None => false,
            },
            TableLeaf::Number(numbers) => number(out, numbers, row),
            TableLeaf::Day(days) => match days.get(row) {
                Some(date) => {
                    out.push(b'"');
                    day(out, date);
                    out.push(b'"');
                    true
                }
                None => false,
            },
            TableLeaf::Flag(flags) => {
                let set = flags.get(row);
                if set {
                    out.extend_from_slice(b"true");
                }
                set
            }
            TableLeaf::Slot(slot) => {
                let code = self.slots.get(slot - 1).copied().unwrap_or(0);
                match self.shared.slot(slot - 1, code, |entry| &entry.value) {
                    Some(value) => {
                        out.extend_from_slice(value);
                        true
                    }
                    None => false,
                }
            }
            TableLeaf::Core(index) => {
                let stored = self
                    .core_entry()
                    .and_then(|core| core.stored.get(*index))
                    .and_then(Option::as_ref);
                match stored {
                    Some(value) => {
                        out.extend_from_slice(value);
                        true
                    }
                    None => false,
                }
            }
            TableLeaf::Manual(listed) => self.manual(cell(*listed), out),
            TableLeaf::Attributes(attributes) => {
                let mark = out.len();
                out.push(b'{');
                let mut any = false;
                for (key, numbers, texts) in attributes {
                    let before = out.len();
                    if any {
                        out.push(b',');
                    }
                    out.extend_from_slice(key);
                    let written = match (numbers, texts) {
                        (Some(numbers), _) if number(out, numbers, row) => true,
                        (_, texts) => match cell(*texts) {
                            Some(text) => {
                                json_str(out, text);
                                true
                            }
                            None => false,
                        },
                    };
                    if written {
                        any = true;
                    } else {
                        out.truncate(before);
                    }
                }
                if any {
                    out.push(b'}');
                } else {
                    out.truncate(mark);
                }
                any
            }
        }
    }
}

/// Row `row`'s decimal as a JSON string, from the integers when the column
/// keeps integers; false for none.
fn number(out: &mut Vec<u8>, numbers: &DecimalColumn, row: usize) -> bool {
    if !numbers.valid().get(row) {
        return false;
    }
    out.push(b'"');
    match numbers.scaled() {
        Some((mantissas, scale)) => scaled(out, mantissas.get(row).unwrap_or(0), scale),
        None => match numbers.get(row) {
            Some(value) => super::text::decimal(out, value),
            None => out.push(b'0'),
        },
    }
    out.push(b'"');
    true
}
