// The plain data shapes of both JavaScript packages, the Node addon
// (`custclass`) and the WASM build (`custclass-wasm`): what `toObject()` and
// the batch functions return, and what they take as plain data. One file:
// the WASM build includes it (`include_str!` in bindings-wasm/src/lib.rs),
// and bindings-node/types-header.d.ts holds a copy that a test compares.

/** A customer as plain data; decimals are strings in `toObject()`. */
export type CustomerObject = { id: string; [field: string]: unknown }

/** A VAT zone. */
export type VatZone = 'domestic' | 'eu' | 'abroad' | 'domestic_exempt'

/** A phone number's forms (`formatPhone`): E.164 for storage, national and international for display, and the number's country. */
export interface PhoneFormats {
  /** `+31201234567` */
  e164: string
  /** `020 123 4567` */
  national: string
  /** `+31 20 123 4567` */
  international: string
  /** The number's country (`NL`), when one has it. */
  country: string | null
}

/** Customers that look like one (`findDuplicates`): why, what they share, their places in the array. */
export interface DuplicateGroup {
  reason: 'email' | 'vat_number' | 'address' | 'name'
  /** What the rows share, normalised. */
  key: string
  /** Places in the array given. */
  rows: number[]
}

/** One problem on a customer card (`Customer#check`, `Engine#check`, `DuplicateIndex#check`). */
export interface Finding {
  /** JSON path of the field, e.g. `$.document_emails.invoice`. */
  field: string
  code: 'invalid_email' | 'invalid_phone' | 'invalid_vat_number' | 'vat_country_mismatch' | 'invalid_ean'
    | 'negative_credit_limit' | 'unknown_payment_terms' | 'inactive_payment_terms'
    | 'duplicate_email' | 'duplicate_vat_number' | 'duplicate_address'
  message: string
}

/**
 * One order line to price. Decimals are best given as strings (`'19.99'`),
 * which keep every digit; numbers are read as JSON numbers.
 */
export interface PriceRequest {
  item: string
  /** The item's group in the setup's item-group tree, if it has one. */
  item_group?: string | null
  list_price: string | number
  quantity: string | number
  /** `YYYY-MM-DD`: the day the price is for. */
  date: string
  /** ISO 4217, e.g. `EUR`. */
  currency: string
}

/** Why a value was assigned: `kind`, and the detail that kind carries. */
export interface Source {
  kind: 'manual' | 'rule' | 'channel_default' | 'zone_default' | 'type_default'
    | 'setup_default' | 'group' | 'country' | 'vat_number' | 'stored'
  rule?: string
  channel?: string
  zone?: VatZone
  type?: string
  group?: string
  country?: string
}

/** A value with the reason it was assigned. */
export interface Assigned<T = string | boolean> {
  value: T
  source: Source
}

/** The names `Classification#get` answers. */
export type ResultName = 'class1' | 'class2' | 'class3' | 'class4' | 'class5' | 'class6'
  | 'class7' | 'class8' | 'type' | 'group' | 'price_group' | 'vat_zone' | 'b2b'
  | 'receivables_account' | 'revenue_account' | 'layout'

/** `Classification#toObject()`. */
export interface ClassificationObject {
  customer: string
  /** The fingerprint of the setup that decided it (64 hex digits). */
  fingerprint: string
  classes: Partial<Record<`class${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8}`, Assigned<string>>>
  type: Assigned<string> | null
  group: Assigned<string> | null
  price_group: Assigned<string> | null
  vat_zone: Assigned<VatZone> | null
  b2b: Assigned<boolean>
  receivables_account: Assigned<string> | null
  revenue_account: Assigned<string> | null
  layout: Assigned<string> | null
}

/** One value a re-classification changes: an entry of an audit log. */
export interface Change {
  /** Any result name: `class2`, `group`, `vat_zone`, `receivables_account`, `layout`, … */
  target: ResultName
  /** The value before and why it had it (`source.kind` `stored` when nothing says). */
  from: Assigned<string> | null
  /** The fingerprint of the setup that gave the value before, when the earlier classification was given. */
  from_setup?: string
  /** The value after and why. */
  to: Assigned<string> | null
  /** The fingerprint of the setup that gives the value after. */
  setup: string
}

/** `Reclassification#toObject()`. */
export interface ReclassificationObject {
  customer: string
  changes: Change[]
  classification: ClassificationObject
}

/** What a price rule came to on one line (`Quote#toObject().explanation`). */
export interface PriceVerdict {
  rule: string
  /** The rule in words: `15% off for price group TRADE, item group PARTS`. */
  description: string
  /** The verdict in words: `below the minimum quantity 10: buy 1 more`. */
  text: string
  verdict: 'applied' | 'stacked' | 'lost_on_price' | 'blank_currency' | 'lower_priority'
    | 'less_specific' | 'declared_later' | 'outside_dates' | 'below_min_quantity'
    | 'above_max_quantity' | 'currency_mismatch' | 'customer_out_of_scope'
    | 'item_out_of_scope' | 'inactive'
  /** The unit price the rule alone gives (rules that apply). */
  net_price?: string
  /** The rule that won instead. */
  winner?: string
  valid_from?: string
  valid_to?: string
  min_quantity?: string
  /** How many more units would qualify. */
  buy_more?: string
  max_quantity?: string
  currency?: string
}

/** `Quote#toObject()`: amounts are decimal strings. */
export interface QuoteObject {
  list_price: string
  net_price: string
  discount_amount: string
  discount_percent: string
  quantity: string
  line_total: string
  currency: string
  /** The rule that set the price, if any applied. */
  rule?: string
  /** Stackable rules applied on top, in declaration order. */
  stacked?: string[]
  /** Why, in words: the chosen rule's description and the stacked ones', joined by ` + `, or `no price rule applies: list price`. */
  reason: string
  /** Every price rule with its verdict (`Engine#price` only). */
  explanation?: PriceVerdict[]
}

/** A problem with one row of a customer file: a `RowProblem` with the line where the row starts. */
export type RowError = RowProblem & { line: number }

/** One row of a customer file: the customer, or what is wrong with the row. */
export type Row =
  | { line: number; customer: CustomerObject }
  | { line: number; errors: RowError[] }

/** How `readCsv` reads a file. */
export interface CsvOptions {
  /**
   * The encoding of a file without a byte-order mark (a mark decides alone):
   * `'utf-8'` (the default), `'utf-16le'`, `'utf-16be'`, `'windows-1252'`
   * (Excel's plain CSV in western Europe) or `'latin1'`, in any case
   * (`'cp1252'` and `'ISO-8859-1'` too). An unknown one is a `TableError`
   * (`unknown_encoding`).
   */
  encoding?: string | null
}

/**
 * Customers as columns (`Engine#classifyMany`, `Segment#filter`): equally
 * long arrays named as in the customer file (`id`, `country`, `class1`,
 * `attr.turnover`, …), one value per customer, `null` for none. A column
 * holds text, numbers or booleans, not a mix.
 */
export type ColumnBatch = Record<string, unknown[]>

/** A batch of customers: column arrays, an array of customer objects, or the JSON text of either. */
export type CustomerBatch = ColumnBatch | CustomerObject[] | string

/**
 * Order lines for `Engine#priceMany`: column arrays (`customer`, `item`,
 * `item_group`, `list_price`, `quantity`, `date`, `currency`, and without a
 * customer table the line's customer columns such as `price_group`), an
 * array of flat line objects with those keys, or the JSON text of either.
 */
export type LineBatch = ColumnBatch | Record<string, unknown>[] | string

/** A row without a result (it could not be read or classified); the other rows go on. */
export interface RowProblem {
  /** 0-based row of the input: a file's data rows, a batch's rows. */
  row: number
  /** 1-based line of the file where the row starts (files only). */
  line?: number
  /** The customer's id, when the row has one. */
  id: string | null
  /** The column at fault (for a customer object or a JSON line, the field's JSON path, e.g. `$.email`), if one is. */
  column: string | null
  /** `invalid_field` for a bad cell, `duplicate_id` for an id an earlier row has, else a `CustomerError` code (a file has more: `field_count`, `invalid_utf8`, `unclosed_quote`, …). */
  code: string
  message: string
}

/**
 * `Engine#classifyMany`: each result column (the defined slots, `type`,
 * `group`, `price_group`, `vat_zone`, `receivables_account`,
 * `revenue_account`, `layout`, each followed by `<name>_source` such as
 * `rule:web-eu` or `group:EU`, then `b2b`) with one value per input row, in
 * order; `null` where a row has no value or no result (see `errors`).
 */
export interface BatchResult {
  columns: Record<string, (string | boolean | null)[]>
  errors: RowProblem[]
}

/** `Engine#priceMany`'s options: `explain`, the 0-based lines to explain. */
export interface PriceManyOptions {
  explain?: number[]
}

/**
 * `Engine#priceMany`: `rule`, `stacked`, `list_price`, `net_price`,
 * `discount_percent`, `discount_amount`, `line_total` (decimal strings) and
 * `reason` (in words) per line; with `explain`, each asked-for line that has
 * a price (by its number) with its quote and every rule's verdict.
 */
export interface PricedBatch extends BatchResult {
  explanations?: Record<number, QuoteObject>
}

/** `Segment#filter`: the 0-based input rows in the segment, ascending, and the rows that could not be read (in no segment). */
export interface SegmentRows {
  rows: number[]
  errors: RowProblem[]
}

/** `Engine#segmentSet`: named segments, an object of name → expression (in its key order) or an array of `[name, expression]` pairs; at most 64. */
export type SegmentDefinitions = Record<string, string> | Array<[string, string]>

/** `SegmentSet#masks`: per input row its mask (bit i set when the row is in the set's i-th segment; 0 for a row that could not be read), per segment name its number of rows, and the rows that could not be read. */
export interface SegmentMasks {
  masks: BigUint64Array
  counts: Record<string, number>
  errors: RowProblem[]
}

/** `SegmentSet#counts`: per segment name, in the set's order, its number of rows, and the rows that could not be read (in no segment). */
export interface SegmentCounts {
  counts: Record<string, number>
  errors: RowProblem[]
}

/** One problem of a setup (`SetupError#data.problems`, `Setup.validate`): its code, message, JSON path and context fields. */
export interface SetupProblem {
  code: string
  message: string
  /** JSON path, e.g. `$.groups[2].type`. */
  path: string
  [context: string]: unknown
}
