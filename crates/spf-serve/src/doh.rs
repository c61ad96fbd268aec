//! The DNS-over-HTTPS endpoint (RFC 8484 §4.1 requests, §4.2 responses).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::DnsBackend;

/// The media type of RFC 8484 §6.
const DNS_MESSAGE: &str = "application/dns-message";

#[derive(Clone)]
pub(crate) struct Doh {
    pub(crate) backend: Arc<dyn DnsBackend>,
    pub(crate) hold: Duration,
}

/// Headers every answer carries: CORS (a page on another origin may use this
/// endpoint) and no caching (the test bed's zones and faults change between runs).
fn common_headers(h: &mut HeaderMap) {
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut r = (status, text).into_response();
    common_headers(r.headers_mut());
    r
}

/// CORS preflight for a cross-origin POST with `content-type: application/dns-message`.
pub(crate) async fn preflight() -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    let h = r.headers_mut();
    common_headers(h);
    h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, OPTIONS"));
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type, accept"));
    h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    r
}

async fn answer(doh: &Doh, query: &[u8]) -> Response {
    // RFC 1035 §4.1.1: a message starts with a 12-octet header.
    if query.len() < 12 {
        return plain(StatusCode::BAD_REQUEST, "not a DNS message\n");
    }
    match doh.backend.answer(query).await {
        Some(bytes) => {
            let mut r = (StatusCode::OK, bytes).into_response();
            common_headers(r.headers_mut());
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(DNS_MESSAGE));
            r
        }
        None => {
            // As over UDP: nothing comes back. The client's own timeout
            // normally ends the request first; past the hold it is a 504.
            tokio::time::sleep(doh.hold).await;
            plain(StatusCode::GATEWAY_TIMEOUT, "the name server did not answer\n")
        }
    }
}

/// `POST /dns-query` with an `application/dns-message` body.
pub(crate) async fn post(State(doh): State<Doh>, headers: HeaderMap, body: Bytes) -> Response {
    // §4.1: 'the HTTP request body MUST be ... a DNS message ... the
    // Content-Type ... "application/dns-message"'. §4.2.1: 415 for others.
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media = ct.split(';').next().unwrap_or("").trim();
    if !media.eq_ignore_ascii_case(DNS_MESSAGE) {
        return plain(StatusCode::UNSUPPORTED_MEDIA_TYPE, "expected content-type application/dns-message\n");
    }
    answer(&doh, &body).await
}

#[derive(serde::Deserialize)]
pub(crate) struct GetParams {
    dns: Option<String>,
}

/// `GET /dns-query?dns=<base64url>` (§4.1: 'DoH servers MUST implement both
/// the POST and GET methods').
pub(crate) async fn get(State(doh): State<Doh>, Query(params): Query<GetParams>) -> Response {
    let Some(encoded) = params.dns else {
        return plain(StatusCode::BAD_REQUEST, "missing dns= parameter\n");
    };
    match base64url_decode(&encoded) {
        Some(bytes) if bytes.len() <= usize::from(u16::MAX) => answer(&doh, &bytes).await,
        _ => plain(StatusCode::BAD_REQUEST, "dns= is not base64url (RFC 4648 §5, no padding)\n"),
    }
}

/// Decodes unpadded base64url (RFC 4648 §5; §4.1 of RFC 8484 says padding
/// characters are not used, but trailing `=` is tolerated).
pub(crate) fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        }))
    }
    let s = text.trim_end_matches('=').as_bytes();
    if s.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    for chunk in s.chunks(4) {
        let mut acc = 0u32;
        for &c in chunk {
            acc = (acc << 6) | value(c)?;
        }
        let bits = chunk.len() * 6;
        acc <<= 24 - bits;
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..1 + bits / 8]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::base64url_decode;

    #[test]
    fn rfc4648_section_10_test_vectors_in_url_alphabet() {
        for (enc, dec) in [
            ("", ""),
            ("Zg", "f"),
            ("Zm8", "fo"),
            ("Zm9v", "foo"),
            ("Zm9vYg", "foob"),
            ("Zm9vYmE", "fooba"),
            ("Zm9vYmFy", "foobar"),
        ] {
            assert_eq!(base64url_decode(enc).as_deref(), Some(dec.as_bytes()), "{enc}");
        }
        assert_eq!(base64url_decode("-_8"), Some(vec![0xfb, 0xff]));
        assert_eq!(base64url_decode("Zm9vYg=="), Some(b"foob".to_vec()));
        assert_eq!(base64url_decode("Z"), None);
        assert_eq!(base64url_decode("Zm+v"), None);
    }
}
