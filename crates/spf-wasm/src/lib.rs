//! The SPF evaluator in the browser: a small JS API over spf-core and
//! spf-policy, with DNS over RFC 8484 (DNS-over-HTTPS).
//!
//! Exported to JS (all results are plain objects, via serde):
//! - `evaluate(input)` → `Promise<Evaluation>`: both identities (§2.3 HELO,
//!   §2.4 MAIL FROM) for one client, with trace, headers and the receiver's
//!   verdict ([`Evaluation`]; input: [`api::EvaluateInput`]).
//! - `checkRecord(input)` → `Promise<RecordCheck>`: a pasted record evaluated
//!   for a domain without publishing it ([`api::CheckRecordInput`]).
//! - `parseRecord(text)` → [`lint::RecordReport`]: parse and lint, no DNS.
//!
//! DNS goes through [`doh::DohLookup`] (per-query timeout, wire format by
//! hickory-proto in [`wire`]) under a [`spf_core::Overlay`] of "what-if"
//! records ([`overrides`]). No SPF rule lives in JavaScript, and the core reads
//! no clock: `%{t}` comes from `Date.now()` and the §4.6.4 time bound from
//! `performance.now()`, both passed in through [`spf_core::Config`].

pub mod api;
pub mod doh;
pub mod lint;
pub mod overrides;
pub mod policy;
pub mod wire;

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use spf_core::{Clock, Report};
use wasm_bindgen::prelude::*;

use crate::api::{CheckRecordInput, EvaluateInput, IdentityView};
use crate::doh::{DohLookup, Exchange};

/// The default DoH endpoint: the page's own origin (RFC 8484 §4.1 POST).
pub const DEFAULT_ENDPOINT: &str = "/dns-query";
/// The default per-query timeout.
pub const DEFAULT_TIMEOUT_MS: u32 = 5000;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
}

/// The browser's monotonic clock, for the core's time bound.
fn browser_clock() -> Clock {
    Arc::new(|| Duration::from_secs_f64(performance_now().max(0.0) / 1000.0))
}

/// Seconds since the epoch, for `%{t}`.
fn unix_now() -> u64 {
    // Date.now() is milliseconds as a float; negative or NaN becomes 0.
    let secs = (date_now() / 1000.0).floor();
    if secs.is_finite() && secs > 0.0 {
        // In range: a u64 holds any date a browser can show.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let s = secs as u64;
        s
    } else {
        0
    }
}

/// What `evaluate` returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    /// The client address as evaluated (IPv4-mapped IPv6 unmapped).
    pub ip: String,
    /// The HELO name as given.
    pub helo_name: String,
    /// The MAIL FROM as given.
    pub mail_from_address: String,
    /// Whether MAIL FROM was null (checked as postmaster@HELO, §2.4).
    pub null_sender: bool,
    /// The HELO identity.
    pub helo: IdentityView,
    /// The MAIL FROM identity.
    pub mail_from: IdentityView,
    /// Headers and the receiver's verdict (spf-policy).
    pub policy: policy::PolicyView,
    /// The HTTP exchanges with the DoH endpoint.
    pub exchanges: Vec<Exchange>,
}

impl Evaluation {
    /// Builds the page's view of a report.
    #[must_use]
    pub fn new(report: &Report, policy: policy::PolicyView, exchanges: Vec<Exchange>) -> Self {
        Self {
            ip: report.ip.to_string(),
            helo_name: report.helo_name.clone(),
            mail_from_address: report.mail_from_address.clone(),
            null_sender: report.null_sender,
            helo: IdentityView::from(&report.helo),
            mail_from: IdentityView::from(&report.mail_from),
            policy,
            exchanges,
        }
    }
}

/// What `checkRecord` returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordCheck {
    /// The parse and lint of the pasted record.
    pub lint: lint::RecordReport,
    /// Its evaluation for the address.
    pub check: IdentityView,
    /// The HTTP exchanges with the DoH endpoint.
    pub exchanges: Vec<Exchange>,
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&e.to_string()))
}

fn lookup_for(common: &api::Common) -> DohLookup {
    let endpoint = common.endpoint.as_deref().map(str::trim).filter(|e| !e.is_empty()).unwrap_or(DEFAULT_ENDPOINT);
    DohLookup::new(endpoint, common.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS))
}

/// Evaluates HELO and MAIL FROM for one client; see [`api::EvaluateInput`]
/// for the input object and [`Evaluation`] for the result.
///
/// # Errors
/// Rejects with an `Error` whose message names the bad input field.
#[wasm_bindgen(js_name = evaluate)]
pub async fn evaluate_js(input: JsValue) -> Result<JsValue, JsError> {
    let input: EvaluateInput =
        serde_wasm_bindgen::from_value(input).map_err(|e| JsError::new(&format!("bad input: {e}")))?;
    let policy = policy::settings(input.policy.as_ref()).map_err(|e| JsError::new(&e))?;
    let config = input.common.config(unix_now(), Some(browser_clock()), &policy);
    let lookup = lookup_for(&input.common);
    let (report, view) = api::evaluate(&lookup, &input, &policy, &config).await.map_err(|e| JsError::new(&e))?;
    to_js(&Evaluation::new(&report, view, lookup.exchanges()))
}

/// Evaluates a record text as if published at a domain; see
/// [`api::CheckRecordInput`].
///
/// # Errors
/// Rejects with an `Error` whose message names the bad input field.
#[wasm_bindgen(js_name = checkRecord)]
pub async fn check_record_js(input: JsValue) -> Result<JsValue, JsError> {
    let input: CheckRecordInput =
        serde_wasm_bindgen::from_value(input).map_err(|e| JsError::new(&format!("bad input: {e}")))?;
    let config = input.common.config(unix_now(), Some(browser_clock()), &spf_policy::Policy::default());
    let lookup = lookup_for(&input.common);
    let check = api::check_record(&lookup, &input, &config).await.map_err(|e| JsError::new(&e))?;
    to_js(&RecordCheck {
        lint: lint::lint(&input.record),
        check: IdentityView::from(&check),
        exchanges: lookup.exchanges(),
    })
}

/// Parses and lints a record text (no DNS).
///
/// # Errors
/// Only if the result cannot be converted to a JS object.
#[wasm_bindgen(js_name = parseRecord)]
pub fn parse_record_js(text: &str) -> Result<JsValue, JsError> {
    to_js(&lint::lint(text))
}

/// The policy settings the page can choose, with their values and defaults.
///
/// # Errors
/// Only if the result cannot be converted to a JS object.
#[wasm_bindgen(js_name = policyOptions)]
pub fn policy_options_js() -> Result<JsValue, JsError> {
    to_js(&policy::options())
}

/// This crate's version.
#[wasm_bindgen]
#[must_use]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
