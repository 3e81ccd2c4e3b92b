//! Core errors → Python exceptions: one class per concern under
//! `custclass.Error` (a `ValueError`), each instance carrying `code`, `data`
//! (the core's `ErrorJson::to_json` as a dict), `message`, and every other
//! top-level key of `data` as an attribute.

use custclass::ErrorJson;
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyType};

create_exception!(
    custclass,
    Error,
    PyValueError,
    "Base class of every custclass error: a ValueError with `code` (stable, snake_case), \
     `data` (a dict: `code`, `message` and the context fields) and `message`; each other \
     key of `data` is an attribute too (`problems`, `field`, `offset`, …)."
);
create_exception!(
    custclass,
    SetupError,
    Error,
    "A setup with problems: `code` is `invalid_setup`, `problems` lists every problem \
     (dicts with `code`, `message`, `path` and context)."
);
create_exception!(
    custclass,
    ExpressionError,
    Error,
    "An expression that can't be parsed or doesn't fit the setup; `offset` is the byte \
     offset of the problem."
);
create_exception!(
    custclass,
    CustomerError,
    Error,
    "A customer that can't be read or doesn't fit the setup; `field` names the field when \
     there is one."
);
create_exception!(
    custclass,
    PricingError,
    Error,
    "An order line that can't be read or priced; `line` is the 0-based position of the \
     line in `Engine.price_lines`, `field` names the field when there is one."
);
create_exception!(
    custclass,
    ConnectError,
    Error,
    "A webshop payload that can't be read as the platform's customer (`path` names the \
     place), an ERP body that can't be made (`system`, `field`), or a webhook whose \
     signature doesn't hold (`missing_signature`, `invalid_signature`)."
);
create_exception!(
    custclass,
    InternalError,
    Error,
    "A bug in custclass, caught before it could reach Python as a `PanicException`: \
     `code` is `internal`, `detail` what went wrong. Please report it."
);
create_exception!(
    custclass,
    TableError,
    Error,
    "A customer file that can't be read as a whole (a bad header, an unknown encoding)."
);

/// A setup error as a `SetupError`.
pub(crate) fn setup(err: custclass::SetupError) -> PyErr {
    Python::attach(|py| raise(&py.get_type::<SetupError>(), &err))
}

/// An expression error as an `ExpressionError`.
pub(crate) fn expression(err: custclass::ExprError) -> PyErr {
    Python::attach(|py| raise(&py.get_type::<ExpressionError>(), &err))
}

/// A customer error as a `CustomerError`.
pub(crate) fn customer(err: custclass::CustomerError) -> PyErr {
    Python::attach(|py| raise(&py.get_type::<CustomerError>(), &err))
}

/// A pricing error as a `PricingError`.
pub(crate) fn pricing(err: custclass::PricingError) -> PyErr {
    Python::attach(|py| raise(&py.get_type::<PricingError>(), &err))
}

/// A table error as a `TableError`.
pub(crate) fn table(err: custclass::TableError) -> PyErr {
    Python::attach(|py| raise(&py.get_type::<TableError>(), &err))
}

/// A connector error as a `ConnectError`.
pub(crate) fn connect(err: custclass::ConnectError) -> PyErr {
    Python::attach(|py| raise(&py.get_type::<ConnectError>(), &err))
}

/// An encoding option that names no encoding as a `TableError`
/// (`unknown_encoding`): the file can't be read as a whole.
pub(crate) fn encoding(err: custclass::UnknownEncoding) -> PyErr {
    Python::attach(|py| raise(&py.get_type::<TableError>(), &err))
}

/// Runs the body of an exported function or method, turning a panic into an
/// `InternalError`. Without it pyo3 raises a `PanicException`, a
/// `BaseException` that `except Exception` lets through, and a host process
/// that serves many requests would go down with one bad one.
pub(crate) fn guard<T>(body: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)).unwrap_or_else(|payload| {
        let err = custclass::InternalError::from_panic(payload.as_ref());
        Err(Python::attach(|py| {
            raise(&py.get_type::<InternalError>(), &err)
        }))
    })
}

/// The exception to raise; an error while building it is raised instead.
fn raise(class: &Bound<'_, PyType>, err: &impl ErrorJson) -> PyErr {
    build(class, err).unwrap_or_else(|failure| failure)
}

fn build(class: &Bound<'_, PyType>, err: &impl ErrorJson) -> PyResult<PyErr> {
    let message = err.message();
    let data = crate::conv::to_py(class.py(), &err.to_json())?;
    let exception = class.call1((&message,))?;
    exception.setattr("code", err.code())?;
    exception.setattr("message", message)?;
    exception.setattr("data", &data)?;
    for (key, value) in data.cast::<PyDict>()?.iter() {
        let key = key.cast_into::<PyString>()?;
        if !exception.hasattr(&key)? {
            exception.setattr(&key, value)?;
        }
    }
    Ok(PyErr::from_value(exception))
}
