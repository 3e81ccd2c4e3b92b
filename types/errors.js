// The error classes of both JavaScript packages, `custclass` (Node) and
// `custclass-wasm`: one source. The WASM build imports this module
// (bindings-wasm/src/errors.rs); the Node addon runs it as a script, without
// `export` (bindings-node/src/errors.rs). The classes live on `globalThis`
// under a registered symbol, made once per realm, so an error of either
// package is an instance of the same classes and `instanceof` holds across
// them.
export function errorClasses() {
  const key = Symbol.for('custclass.errorClasses.v1');
  if (globalThis[key] !== undefined) return globalThis[key];

  /** What custclass throws when the core refuses an input: `code` is the stable code, `data` the core's JSON form. */
  class CustclassError extends Error {
    constructor(message, code, data) {
      super(message);
      // The stack starts where the error was thrown, not in these classes.
      if (typeof Error.captureStackTrace === 'function') Error.captureStackTrace(this, new.target);
      this.code = code;
      this.data = data;
    }
  }
  class SetupError extends CustclassError {}
  class ExpressionError extends CustclassError {}
  class CustomerError extends CustclassError {}
  class PricingError extends CustclassError {}
  class TableError extends CustclassError {}
  class ConnectError extends CustclassError {}
  /** A bug in custclass (a panic caught at the boundary). */
  class InternalError extends CustclassError {}
  const classes = {
    CustclassError, SetupError, ExpressionError, CustomerError, PricingError, TableError, ConnectError, InternalError,
  };
  for (const [name, type] of Object.entries(classes)) {
    Object.defineProperty(type.prototype, 'name', { value: name, writable: true, configurable: true });
  }
  Object.defineProperty(globalThis, key, { value: Object.freeze(classes) });
  return globalThis[key];
}
