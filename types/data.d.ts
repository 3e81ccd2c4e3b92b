// The plain data shapes of both JavaScript packages, the Node addon
// (`custclass`) and the WASM build (`custclass-wasm`): what `toObject()` and
// the batch functions return, and what they take as plain data. One file:
// the WASM build includes it (`include_str!` in bindings-wasm/src/lib.rs),
// and bindings-node/types-header.d.ts holds a copy that a test compares.

// --- CustomerObject: generated from core/src/customer/fields.rs (core test customer::typescript; BLESS=1 rewrites it) ---
/**
 * A customer as plain data: every field of the customer's JSON with its
 * type (`toObject()` writes decimals as strings). Unknown fields are
 * refused (`json_unknown_field`), so a typo is a type error here.
 */
export interface CustomerObject {
  /** Column `id`. */
  id: string
  /** Column `name`. */
  name?: string | null
  /** Column `attention`. */
  attention?: string | null
  /** Column `email`. */
  email?: string | null
  document_emails?: {
    /** Column `email_quote`. */
    quote?: string | null
    /** Column `email_order`. */
    order?: string | null
    /** Column `email_invoice`. */
    invoice?: string | null
    /** Column `email_credit_note`. */
    credit_note?: string | null
    /** Column `email_statement`. */
    statement?: string | null
  }
  billing_address?: {
    /** Column `street`. */
    street?: string | null
    /** Column `postcode`. */
    postcode?: string | null
    /** Column `city`. */
    city?: string | null
    /** Column `country`. */
    country?: string | null
  }
  delivery_address?: {
    /** Column `delivery_street`. */
    street?: string | null
    /** Column `delivery_postcode`. */
    postcode?: string | null
    /** Column `delivery_city`. */
    city?: string | null
    /** Column `delivery_country`. */
    country?: string | null
  } | null
  /** Column `phone`. */
  phone?: string | null
  /** Column `phone2`. */
  phone2?: string | null
  /** Column `mobile`. */
  mobile?: string | null
  /** Column `fax`. */
  fax?: string | null
  /** Column `vat_number`. */
  vat_number?: string | null
  /** Column `ean`. */
  ean?: string | null
  /** Column `currency`. */
  currency?: string | null
  /** Column `payment_terms`. */
  payment_terms?: string | null
  /** Column `channel`. */
  channel?: string | null
  /** Column `connector`. */
  connector?: string | null
  /** Column `external_id`. */
  external_id?: string | null
  /** Column `sector`. */
  sector?: string | null
  /** Column `subsector`. */
  subsector?: string | null
  /** Column `company_size`. */
  company_size?: string | null
  /** Column `business_type`. */
  business_type?: string | null
  /** Column `source`. */
  source?: string | null
  /** Column `type`. */
  type?: string | null
  /** Column `group`. */
  group?: string | null
  /** Column `price_group`. */
  price_group?: string | null
  /** Column `receivables_account`. */
  receivables_account?: string | null
  /** Column `revenue_account`. */
  revenue_account?: string | null
  classes?: {
    /** Column `class1`. */
    class1?: string | null
    /** Column `class2`. */
    class2?: string | null
    /** Column `class3`. */
    class3?: string | null
    /** Column `class4`. */
    class4?: string | null
    /** Column `class5`. */
    class5?: string | null
    /** Column `class6`. */
    class6?: string | null
    /** Column `class7`. */
    class7?: string | null
    /** Column `class8`. */
    class8?: string | null
  }
  /** Column `vat_zone`. */
  vat_zone?: VatZone | null
  /** Column `manual`: the result names set by hand, which rules leave alone. */
  manual?: string[]
  /** Column `credit_limit`: a decimal, best as a string (`'5000.00'`). */
  credit_limit?: string | number | null
  /** Column `created_at`: `YYYY-MM-DD`. */
  created_at?: string | null
  /** Column `anonymised`. */
  anonymised?: boolean
  /** The setup's declared attributes (columns `attr.<name>`): text or a decimal. */
  attributes?: Record<string, string | number>
}
// --- end of CustomerObject ---

/** A setup as plain data (the JSON of schema/setup.schema.json). */
export type SetupObject = { home_country: string; [field: string]: unknown }

/** A setup: a `Setup`, its plain data or its JSON text. */
export type SetupInput = Setup | SetupObject | string

/** A customer: a `Customer`, its plain data or its JSON text. */
export type CustomerInput = Customer | CustomerObject | string

/** An order line: its plain data or its JSON text. */
export type PriceRequestInput = PriceRequest | string

/** An order's lines: an array of them or the JSON text of one. */
export type PriceRequestsInput = PriceRequest[] | string

/** Other names of the same shapes, which `custclass-wasm` declared before both packages shared one source. */
export type SetupSource = SetupInput
export type CustomerSource = CustomerInput
export type PriceRequestSource = PriceRequestInput
export type PriceRequestsSource = PriceRequestsInput
export type PriceRequestObject = PriceRequest
export type Candidate = PriceVerdict
export type CustomerRow = Row
export type CustclassErrorData = ErrorData

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

/**
 * One problem on a customer card (`Customer#check`, `Engine#check`,
 * `DuplicateIndex#check`, `Imported#findings`), or what an ERP will do
 * differently from what the customer says (`Exported#findings`).
 */
export interface Finding {
  /** JSON path of the field, e.g. `$.document_emails.invoice`. */
  field: string
  code: 'invalid_email' | 'invalid_phone' | 'invalid_vat_number' | 'vat_country_mismatch' | 'invalid_ean'
    | 'negative_credit_limit' | 'unknown_payment_terms' | 'inactive_payment_terms'
    | 'duplicate_email' | 'duplicate_vat_number' | 'duplicate_address'
    | 'name_from_id' | 'customer_number_assigned'
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

/** `Segment#filter`: the 0-based input rows in the segment, ascending, the rows that could not be read or classified (in no segment), and each column tested that is empty in every row. */
export interface SegmentRows {
  rows: number[]
  errors: RowProblem[]
  warnings: SegmentWarning[]
}

/** How `Engine#segment` and `Engine#segmentSet` read the classification targets (slots, type, group, price group, accounts). */
export interface SegmentOptions {
  /** Test the values stored on the record, not those a customer has once classified (the default). */
  stored?: boolean | null
}

/** A column a segment tests that is empty in every row (or absent): every test on it is unknown. */
export interface SegmentWarning {
  /** `empty_column`. */
  code: string
  /** The column, as the customer file names it (`attr.turnover_12m`). */
  column: string
  message: string
}

/** `Engine#segmentSet`: named segments, an object of name → expression (in its key order) or an array of `[name, expression]` pairs; at most 64. */
export type SegmentDefinitions = Record<string, string> | Array<[string, string]>

/** `SegmentSet#masks`: per input row its mask (bit i set when the row is in the set's i-th segment; 0 for a row that could not be read), per segment name its number of rows, and the rows that could not be read. */
export interface SegmentMasks {
  masks: BigUint64Array
  counts: Record<string, number>
  errors: RowProblem[]
  warnings: SegmentWarning[]
}

/** `SegmentSet#counts`: per segment name, in the set's order, its number of rows, and the rows that could not be read (in no segment). */
export interface SegmentCounts {
  counts: Record<string, number>
  errors: RowProblem[]
  warnings: SegmentWarning[]
}

/** One problem of a setup (`SetupError#data.problems`, `Setup.validate`): its code, message, JSON path and context fields. */
export interface SetupProblem {
  code: string
  message: string
  /** JSON path, e.g. `$.groups[2].type`. */
  path: string
  [context: string]: unknown
}

/**
 * A webshop's own customer payload (`fromShopify`, `fromWooCommerce`,
 * `fromMagento`): its JSON text, the raw request body as bytes (a
 * `Uint8Array` or `Buffer`, UTF-8: what a webhook's signature is verified
 * on), or the parsed object.
 */
export type ShopPayload = string | Uint8Array | Record<string, unknown>

/** How a payload becomes a customer, beyond what the platform's profile says. */
export interface ImportOptions {
  /** The customer number to give it; the platform's id when missing. */
  id?: string | null
  /** WooCommerce: the `meta_data` keys that may hold the VAT number, in order of preference (missing: the keys the common EU VAT plugins use). */
  vat_meta_keys?: string[] | null
}

/** `Imported#toObject()`: a webshop customer read from its platform's payload. */
export interface ImportedObject {
  /** Channel `webshop`, connector the platform, the platform's id as `external_id`. */
  customer: CustomerObject
  /** What the master-data checks find on it; the payload's values are kept as sent. */
  findings: Finding[]
  /** The profile that read it: `shopify/2025-01`, `woocommerce/wc-v3`, `magento/2`. */
  profile: string
}

/** An ERP an `Exported` body is for. */
export type ErpSystem = 'exact' | 'economic' | 'reviso'

/** `Exported#toObject()`: the body an ERP's API takes for one customer. */
export interface ExportedObject {
  system: ErpSystem
  /** The JSON body, as the ERP's API documents it. */
  body: Record<string, unknown>
  /** What the ERP will do differently from what the customer says. */
  findings: Finding[]
}
