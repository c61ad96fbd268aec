//! A [`Lookup`] over DNS-over-HTTPS (RFC 8484) with the browser's `fetch`.
//!
//! Each question is one `POST` of an `application/dns-message` body (§4.1)
//! to the configured endpoint, bounded by a per-query timeout
//! (`AbortSignal.timeout`). CNAMEs the server did not chase are asked again
//! (at most [`MAX_CNAME_HOPS`]). Nothing is cached: every evaluation sees the
//! DNS as it is now.

use std::cell::RefCell;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use js_sys::{Promise, Uint8Array};
use serde::Serialize;
use spf_core::{Lookup, LookupError, LookupResult, Mx, RecordType, reverse_name};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, DomException, Headers, Request, RequestInit, Response};

use crate::wire::{Answer, DNS_MESSAGE, FromRData, MAX_CNAME_HOPS, decode_answer, encode_query};

#[wasm_bindgen]
extern "C" {
    // The global `fetch`, present in windows and workers alike.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(request: &Request) -> Promise;
}

/// One HTTP exchange, for the page's network log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exchange {
    /// The name asked for.
    pub name: String,
    /// The type asked for.
    pub rtype: RecordType,
    /// How it went, in words (`records`, `NXDOMAIN`, `timeout`, ...).
    pub outcome: String,
}

/// DNS-over-HTTPS to one endpoint (absolute, or relative to the page).
#[derive(Debug)]
pub struct DohLookup {
    endpoint: String,
    timeout_ms: u32,
    log: RefCell<Vec<Exchange>>,
}

impl DohLookup {
    /// A lookup posting to `endpoint`, each HTTP exchange bounded by `timeout_ms`.
    #[must_use]
    pub fn new(endpoint: &str, timeout_ms: u32) -> Self {
        Self { endpoint: endpoint.to_string(), timeout_ms: timeout_ms.max(1), log: RefCell::new(Vec::new()) }
    }

    /// The HTTP exchanges made so far.
    #[must_use]
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.log.borrow().clone()
    }

    /// Posts one wire-format question and returns the answer's bytes.
    async fn post(&self, wire: &[u8]) -> Result<Vec<u8>, LookupError> {
        let headers = Headers::new().map_err(js_error)?;
        headers.set("content-type", DNS_MESSAGE).map_err(js_error)?;
        headers.set("accept", DNS_MESSAGE).map_err(js_error)?;
        let init = RequestInit::new();
        init.set_method("POST");
        init.set_headers(&headers);
        init.set_body(&Uint8Array::from(wire));
        init.set_signal(Some(&AbortSignal::timeout_with_u32(self.timeout_ms)));
        let request = Request::new_with_str_and_init(&self.endpoint, &init).map_err(js_error)?;
        let response: Response =
            JsFuture::from(global_fetch(&request)).await.map_err(js_error)?.dyn_into().map_err(js_error)?;
        match response.status() {
            200 => {}
            // The DoH server's way of saying its name server never answered
            // (spf-serve holds the request, then answers 504): as over UDP.
            504 => return Err(LookupError::Timeout),
            s => {
                return Err(LookupError::Other(format!("DoH endpoint answered HTTP {s}")));
            }
        }
        let buffer = JsFuture::from(response.array_buffer().map_err(js_error)?).await.map_err(js_error)?;
        Ok(Uint8Array::new(&buffer).to_vec())
    }

    /// Asks `name`/`rtype`, following CNAMEs the server left unresolved.
    async fn ask<T: FromRData>(&self, name: &str, rtype: RecordType) -> LookupResult<T> {
        let mut current = name.to_string();
        for _ in 0..MAX_CNAME_HOPS {
            let result = match encode_query(&current, rtype) {
                Ok(wire) => match self.post(&wire).await {
                    Ok(bytes) => decode_answer::<T>(&bytes, &current),
                    Err(e) => Err(e),
                },
                Err(e) => Err(e),
            };
            let outcome = match &result {
                Ok(Answer::Records(_)) => "records".to_string(),
                Ok(Answer::Alias(target)) => format!("CNAME {target}"),
                Err(e) => e.to_string(),
            };
            self.log.borrow_mut().push(Exchange { name: current.clone(), rtype, outcome });
            match result? {
                Answer::Records(records) => return Ok(records),
                Answer::Alias(target) => current = target,
            }
        }
        // The contract: a CNAME loop is a server failure.
        Err(LookupError::ServerFailure)
    }
}

/// Maps a rejected promise or a failed web API call to a lookup error.
fn js_error(e: JsValue) -> LookupError {
    if let Some(dom) = e.dyn_ref::<DomException>() {
        // AbortSignal.timeout() rejects with a "TimeoutError" DOMException.
        if dom.name() == "TimeoutError" || dom.name() == "AbortError" {
            return LookupError::Timeout;
        }
        return LookupError::Other(format!("{}: {}", dom.name(), dom.message()));
    }
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        return LookupError::Other(format!("DoH request failed: {}", String::from(err.message())));
    }
    LookupError::Other(format!("DoH request failed: {}", e.as_string().unwrap_or_else(|| "unknown error".to_string())))
}

impl Lookup for DohLookup {
    async fn lookup_a(&self, name: &str) -> LookupResult<Ipv4Addr> {
        self.ask(name, RecordType::A).await
    }
    async fn lookup_aaaa(&self, name: &str) -> LookupResult<Ipv6Addr> {
        self.ask(name, RecordType::Aaaa).await
    }
    async fn lookup_mx(&self, name: &str) -> LookupResult<Mx> {
        self.ask(name, RecordType::Mx).await
    }
    async fn lookup_txt(&self, name: &str) -> LookupResult<Vec<u8>> {
        self.ask(name, RecordType::Txt).await
    }
    async fn lookup_ptr(&self, ip: IpAddr) -> LookupResult<String> {
        self.ask(&reverse_name(ip), RecordType::Ptr).await
    }
}
