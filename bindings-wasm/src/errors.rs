//! Core errors → JS errors: an instance of the concern's class
//! (`SetupError`, `ExpressionError`, `CustomerError`, `PricingError`,
//! `TableError`, `ConnectError`, all `CustclassError`s: types/errors.js, which
//! scripts/build-wasm appends to the package's module and which registers
//! them on `globalThis` when the module loads), with `code` (the stable
//! code) and `data` (the plain object of the core's canonical JSON: `code`,
//! `message` and the context fields).

use custclass::{
    ConnectError, CustomerError, ErrorJson, ExprError, PricingError, SetupError, TableError,
    UnknownEncoding, canonical,
};
use js_sys::{Array, Function, Reflect, Symbol};
use wasm_bindgen::{JsCast, JsValue};

/// A `SetupError`.
pub fn setup(err: SetupError) -> JsValue {
    raise("SetupError", &err)
}

/// An `ExpressionError`.
pub fn expression(err: ExprError) -> JsValue {
    raise("ExpressionError", &err)
}

/// A `CustomerError`.
pub fn customer(err: CustomerError) -> JsValue {
    raise("CustomerError", &err)
}

/// A `PricingError`.
pub fn pricing(err: PricingError) -> JsValue {
    raise("PricingError", &err)
}

/// A `TableError`.
pub fn table(err: TableError) -> JsValue {
    raise("TableError", &err)
}

/// A `ConnectError`.
pub fn connect(err: ConnectError) -> JsValue {
    raise("ConnectError", &err)
}

/// A `TableError` for an encoding option that names none
/// (`unknown_encoding`): the file can't be read as a whole.
pub fn encoding(err: UnknownEncoding) -> JsValue {
    raise("TableError", &err)
}

/// A `TypeError`: an argument of the wrong kind (a function, `undefined`, a
/// `BigInt` …), before anything reaches the core.
pub fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

/// A `RangeError`: an argument of the right kind but outside what is
/// accepted (a country code, a day, a result name).
pub fn range_error(message: &str) -> JsValue {
    js_sys::RangeError::new(message).into()
}

fn raise(name: &str, err: &impl ErrorJson) -> JsValue {
    let message = err.to_string();
    let error = instance(name, &message).unwrap_or_else(|| {
        let error = js_sys::Error::new(&message);
        error.set_name(name);
        error.into()
    });
    let data = js_sys::JSON::parse(&canonical::to_string(&err.to_json())).unwrap_or(JsValue::NULL);
    // Setting a property on a fresh `Error` object can't fail.
    let _ = Reflect::set(&error, &JsValue::from_str("code"), &err.code().into());
    let _ = Reflect::set(&error, &JsValue::from_str("data"), &data);
    error
}

/// `new <name>(message)` of the registered error classes; `None` when the
/// module runs without them (a build that skipped scripts/build-wasm).
fn instance(name: &str, message: &str) -> Option<JsValue> {
    let key = Symbol::for_("custclass.errorClasses.v1");
    let classes = Reflect::get(&js_sys::global(), &key).ok()?;
    let class: Function = Reflect::get(&classes, &JsValue::from_str(name))
        .ok()?
        .dyn_into()
        .ok()?;
    Reflect::construct(&class, &Array::of1(&JsValue::from_str(message))).ok()
}
