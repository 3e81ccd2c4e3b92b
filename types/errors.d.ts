// The error classes of both JavaScript packages (types/errors.js): one
// declaration, which scripts/js-types copies into
// bindings-node/types-header.d.ts and scripts/build-wasm appends to the WASM
// package's declarations (tests fail when either copy differs).

/** The concern of a custclass error: the `name` of the thrown `Error`. */
export type CustclassErrorName = 'SetupError' | 'ExpressionError' | 'CustomerError' | 'PricingError' | 'TableError'
  | 'ConnectError' | 'InternalError'

/**
 * What custclass throws (or rejects with) when the core refuses an input:
 * an instance of the subclass of its concern (`err instanceof SetupError`
 * narrows `data`), whose `name` is the concern, `code` the stable snake_case
 * code, `data` the core's JSON form of the error and `message` its message.
 *
 * Input that JSON can't hold (a function, a BigInt, a Symbol, NaN, a class
 * instance) throws a plain `TypeError` naming where it is instead.
 */
export declare class CustclassError extends Error {
  name: CustclassErrorName
  code: string
  data: ErrorData
  constructor(message: string, code: string, data: ErrorData)
}

/** `data` of every custclass error: `code`, `message` and context fields. */
export interface ErrorData {
  code: string
  message: string
  [context: string]: unknown
}

/** A setup with problems (`code` is `invalid_setup`); `data.problems` lists every one. */
export declare class SetupError extends CustclassError {
  name: 'SetupError'
  data: ErrorData & { problems: SetupProblem[] }
}

/** A rule condition or segment query that doesn't parse or fit the setup. */
export declare class ExpressionError extends CustclassError {
  name: 'ExpressionError'
  /** `offset` is the byte offset where the problem starts. */
  data: ErrorData & { offset: number }
}

/** A customer that doesn't fit the setup or can't be read (`data.field` names the field when there is one). */
export declare class CustomerError extends CustclassError {
  name: 'CustomerError'
  data: ErrorData & { field?: string }
}

/**
 * An order line that can't be read or priced (`data.field` names the field
 * when there is one; from `Engine#priceLines`, `data.line` is the 0-based
 * position of the line). `invalid_customer` carries the customer's own error
 * in `data.error`.
 */
export declare class PricingError extends CustclassError {
  name: 'PricingError'
  data: ErrorData & { line?: number; field?: string }
}

/**
 * A customer file or batch that can't be read as a whole: a bad header, an
 * unknown or missing column, columns of different lengths or of the wrong type.
 */
export declare class TableError extends CustclassError {
  name: 'TableError'
  data: ErrorData & { column?: string }
}

/**
 * A webshop payload that can't be read as the platform's customer
 * (`data.path` names the place in the payload), an ERP body that can't be
 * made (`data.system`, `data.field`; `unmapped_value` names the setup's
 * `erp` path in `data.setup_path`), or a webhook whose signature doesn't
 * hold (`missing_signature`, `invalid_signature`).
 */
export declare class ConnectError extends CustclassError {
  name: 'ConnectError'
  data: ErrorData & { path?: string; system?: string; field?: string }
}

/** A bug in custclass, caught at the boundary instead of taking the process down (`code` is `internal`). */
export declare class InternalError extends CustclassError {
  name: 'InternalError'
}

