//! ERP bodies out: a customer and its classification as the body of Exact
//! Online's `crm/Accounts`, e-conomic's and Reviso's `customers`.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::customer::Customer;
use crate::engine::Engine;
use crate::error::ConnectError;
use crate::masterdata::Finding;

/// The body an ERP's API takes for one customer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Exported {
    /// The ERP: `exact`, `economic` or `reviso`.
    pub system: &'static str,
    /// The JSON body, as the ERP's API documents it.
    pub body: Map<String, Value>,
    /// What the ERP will do differently from what the customer says
    /// (e-conomic numbering a customer whose number it can't take).
    pub findings: Vec<Finding>,
}

impl Engine {
    /// The customer, classified, as the body of Exact Online's
    /// `crm/Accounts`.
    ///
    /// # Errors
    ///
    /// `invalid_customer`, `unmapped_value`, `missing_value`, `value_too_long`.
    pub fn to_exact(&self, customer: &Customer) -> Result<Exported, ConnectError> {
        let _ = customer;
        todo!("erp helper")
    }

    /// The customer, classified, as the body of e-conomic's `POST /customers`.
    ///
    /// # Errors
    ///
    /// As [`Engine::to_exact`].
    pub fn to_economic(&self, customer: &Customer) -> Result<Exported, ConnectError> {
        let _ = customer;
        todo!("erp helper")
    }

    /// The customer, classified, as the body of Reviso's `POST /customers`.
    ///
    /// # Errors
    ///
    /// As [`Engine::to_exact`].
    pub fn to_reviso(&self, customer: &Customer) -> Result<Exported, ConnectError> {
        let _ = customer;
        todo!("erp helper")
    }
}
