//! Core errors → JS `Error` objects with `name`, `code`, `data` and `message`.
//!
//! napi's own error shape keeps only a status string, so each error object is
//! built here through the `Env` and handed to napi as the value to throw or
//! to reject with (`napi::Error::from(Unknown)` keeps a reference to it).
//! Each is an instance of its class of types/errors.js (`SetupError`, …,
//! all `CustclassError`s), the classes both JavaScript packages share.

use custclass::{
    ConnectError, CustomerError, ErrorJson, ExprError, InternalError, PricingError, SetupError,
    TableError, UnknownEncoding,
};
use napi::bindgen_prelude::{FromNapiValue, Function, JsObjectValue, Object, Unknown};
use napi::{Env, Error, JsTypeError, JsValue, Result, Status};

use crate::conv;

/// A [`SetupError`] as a JS `Error` named `SetupError`.
pub fn setup(env: &Env, err: &SetupError) -> Error {
    custclass_error(env, "SetupError", err)
}

/// An [`ExprError`] as a JS `Error` named `ExpressionError`.
pub fn expression(env: &Env, err: &ExprError) -> Error {
    custclass_error(env, "ExpressionError", err)
}

/// A [`CustomerError`] as a JS `Error` named `CustomerError`.
pub fn customer(env: &Env, err: &CustomerError) -> Error {
    custclass_error(env, "CustomerError", err)
}

/// A [`PricingError`] as a JS `Error` named `PricingError`.
pub fn pricing(env: &Env, err: &PricingError) -> Error {
    custclass_error(env, "PricingError", err)
}

/// A [`TableError`] as a JS `Error` named `TableError`.
pub fn table(env: &Env, err: &TableError) -> Error {
    custclass_error(env, "TableError", err)
}

/// A [`ConnectError`] as a JS `Error` named `ConnectError`.
pub fn connect(env: &Env, err: &ConnectError) -> Error {
    custclass_error(env, "ConnectError", err)
}

/// An [`UnknownEncoding`] as a JS `Error` named `TableError` (code
/// `unknown_encoding`): the file can't be read as a whole.
pub fn encoding(env: &Env, err: &UnknownEncoding) -> Error {
    custclass_error(env, "TableError", err)
}

/// Runs the body of an exported function or method, turning a panic into an
/// `InternalError` (code `internal`). Without it a panic would unwind into
/// Node-API's C frames, where Rust aborts the process: one bad call would
/// take the whole server down.
pub fn guard<T>(env: &Env, body: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(body))
        .unwrap_or_else(|payload| Err(internal(env, &InternalError::from_panic(payload.as_ref()))))
}

/// A task's `compute`, with a panic turned into an error that keeps the
/// [`InternalError`] in `panicked`: `compute` runs off the event loop,
/// without an `Env` to build the JS error with, so the task's `reject`
/// builds it ([`rejected`]).
pub fn guard_compute<T>(
    panicked: &mut Option<InternalError>,
    body: impl FnOnce() -> Result<T>,
) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)).unwrap_or_else(|payload| {
        let err = InternalError::from_panic(payload.as_ref());
        let reason = err.to_string();
        *panicked = Some(err);
        Err(Error::from_reason(reason))
    })
}

/// What a task rejects with: the `InternalError` of a panic in `compute`,
/// else `err`.
pub fn rejected(env: &Env, panicked: &mut Option<InternalError>, err: Error) -> Error {
    match panicked.take() {
        Some(internal) => self::internal(env, &internal),
        None => err,
    }
}

/// An [`InternalError`] (a bug in custclass) as a JS `Error` named
/// `InternalError`.
pub fn internal(env: &Env, err: &InternalError) -> Error {
    custclass_error(env, "InternalError", err)
}

/// A JS `TypeError` (an argument of the wrong kind, a value JSON can't hold).
pub fn type_error(env: &Env, message: String) -> Error {
    let error = JsTypeError::from(Error::new("ERR_INVALID_ARG_TYPE", message));
    Error::from(error.into_unknown(*env))
}

/// A JS `RangeError` (an argument of the right kind with a bad value).
pub fn range_error(env: &Env, message: String) -> Error {
    let error = napi::JsRangeError::from(Error::new("ERR_INVALID_ARG_VALUE", message));
    Error::from(error.into_unknown(*env))
}

fn custclass_error(env: &Env, name: &str, err: &dyn ErrorJson) -> Error {
    build(env, name, err)
        .unwrap_or_else(|failure| Error::new(Status::GenericFailure, format!("{name}: {failure}")))
}

/// types/errors.js: an ES module exporting `errorClasses()`, which makes
/// the classes once per realm.
const ERROR_CLASSES: &str = include_str!("../../types/errors.js");

/// `{CustclassError, SetupError, …}`: types/errors.js run as a script.
pub fn classes<'env>(env: &'env Env) -> Result<Object<'env>> {
    let module = ERROR_CLASSES.replacen("export function", "function", 1);
    env.run_script(format!(
        "(() => {{\n{module}\nreturn errorClasses();\n}})()"
    ))
}

/// The class of types/errors.js named `name`.
fn error_class<'env>(env: &'env Env, name: &str) -> Result<Function<'env, String, Unknown<'env>>> {
    classes(env)?.get_named_property(name)
}

fn build(env: &Env, name: &str, err: &dyn ErrorJson) -> Result<Error> {
    let message = err.message();
    let mut object: Object = match error_class(env, name)
        .and_then(|class| class.new_instance(message.clone()))
        .and_then(Object::from_unknown)
    {
        Ok(object) => object,
        Err(_) => env.create_error(Error::from_reason(message))?,
    };
    let data = conv::parse_json(env, &custclass::canonical::to_string(&err.to_json()))?;
    object.set_named_property("name", name)?;
    object.set_named_property("code", err.code())?;
    object.set_named_property("data", data)?;
    // The stack was written when the object was made, as "Error: …".
    let stack: Option<String> = object.get("stack")?;
    if let Some(rest) = stack
        .as_deref()
        .and_then(|stack| stack.strip_prefix("Error"))
    {
        object.set_named_property("stack", format!("{name}{rest}"))?;
    }
    Ok(Error::from(object.to_unknown()))
}
