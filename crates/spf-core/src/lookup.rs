//! The DNS interface (RFC 7208 §4.4, §5, §11.1): one async method per record type.
//!
//! Implementations stay dumb: they answer one question each. Counting of
//! DNS-querying terms, void lookups, the overall time bound and the trace all
//! live in the evaluator's private wrapper around [`Lookup`].
//!
//! # Contract
//! - Names are passed as ASCII domain names without a trailing dot; case is
//!   not significant. Implementations follow CNAME chains themselves, as a
//!   recursive resolver would, and report a CNAME loop as [`LookupError::ServerFailure`].
//! - A name that does not exist is [`LookupError::NxDomain`]; a name that
//!   exists without records of the asked type is [`LookupError::NoData`]
//!   (`Ok(vec![])` is accepted and treated the same). Both count as "void"
//!   for §4.6.4.
//! - TXT: each element of the returned vector is one TXT record, its
//!   character-strings concatenated *without* separator (§3.3), as raw bytes.
//! - Timeouts are [`LookupError::Timeout`], RCODE 2 is
//!   [`LookupError::ServerFailure`], anything else is [`LookupError::Other`];
//!   all three become `temperror` where §5 says a DNS error does.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

/// The record types SPF asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum RecordType {
    /// IPv4 address.
    A,
    /// IPv6 address.
    Aaaa,
    /// Mail exchanger.
    Mx,
    /// Text (SPF records and explanations).
    Txt,
    /// Reverse pointer.
    Ptr,
}

impl RecordType {
    /// Every type, in a fixed order.
    pub const ALL: [Self; 5] = [Self::A, Self::Aaaa, Self::Mx, Self::Txt, Self::Ptr];

    /// The mnemonic as in a master file.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::A => "A",
            Self::Aaaa => "AAAA",
            Self::Mx => "MX",
            Self::Txt => "TXT",
            Self::Ptr => "PTR",
        }
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One MX record: preference and exchange host name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mx {
    /// The preference value (lower is preferred).
    pub preference: u16,
    /// The exchange host name, without trailing dot.
    pub exchange: String,
}

/// Why a DNS question got no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
#[non_exhaustive]
pub enum LookupError {
    /// RCODE 3: the name does not exist.
    NxDomain,
    /// RCODE 0 with no answer of the asked type.
    NoData,
    /// No answer within the implementation's per-query time limit.
    Timeout,
    /// RCODE 2 (SERVFAIL), or a CNAME loop.
    ServerFailure,
    /// Any other failure (REFUSED, malformed answer, transport error, ...).
    Other(String),
}

impl LookupError {
    /// NXDOMAIN or NODATA: the "void lookup" answers of §4.6.4.
    #[must_use]
    pub fn is_void(&self) -> bool {
        matches!(self, Self::NxDomain | Self::NoData)
    }
}

impl fmt::Display for LookupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NxDomain => f.write_str("NXDOMAIN"),
            Self::NoData => f.write_str("NODATA"),
            Self::Timeout => f.write_str("timeout"),
            Self::ServerFailure => f.write_str("SERVFAIL"),
            Self::Other(s) => write!(f, "DNS error: {s}"),
        }
    }
}

impl std::error::Error for LookupError {}

/// The outcome of one DNS question.
pub type LookupResult<T> = Result<Vec<T>, LookupError>;

/// Asynchronous DNS access, one method per record type SPF uses.
///
/// The futures need not be `Send`: a browser `fetch` implementation fits.
/// Use it through a generic parameter (`L: Lookup`).
pub trait Lookup {
    /// A records of `name`.
    async fn lookup_a(&self, name: &str) -> LookupResult<Ipv4Addr>;
    /// AAAA records of `name`.
    async fn lookup_aaaa(&self, name: &str) -> LookupResult<Ipv6Addr>;
    /// MX records of `name`.
    async fn lookup_mx(&self, name: &str) -> LookupResult<Mx>;
    /// TXT records of `name`, each with its strings joined without separator.
    async fn lookup_txt(&self, name: &str) -> LookupResult<Vec<u8>>;
    /// PTR names for `ip` (the implementation builds the reverse name).
    async fn lookup_ptr(&self, ip: IpAddr) -> LookupResult<String>;
}

impl<L: Lookup + ?Sized> Lookup for &L {
    async fn lookup_a(&self, name: &str) -> LookupResult<Ipv4Addr> {
        (**self).lookup_a(name).await
    }
    async fn lookup_aaaa(&self, name: &str) -> LookupResult<Ipv6Addr> {
        (**self).lookup_aaaa(name).await
    }
    async fn lookup_mx(&self, name: &str) -> LookupResult<Mx> {
        (**self).lookup_mx(name).await
    }
    async fn lookup_txt(&self, name: &str) -> LookupResult<Vec<u8>> {
        (**self).lookup_txt(name).await
    }
    async fn lookup_ptr(&self, ip: IpAddr) -> LookupResult<String> {
        (**self).lookup_ptr(ip).await
    }
}

/// The reverse-lookup name of an address (`4.3.2.1.in-addr.arpa`, nibbles for IPv6).
#[must_use]
pub fn reverse_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            format!("{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0])
        }
        IpAddr::V6(v6) => {
            let mut s = String::with_capacity(72);
            for b in v6.octets().iter().rev() {
                s.push(hex_digit(b & 0x0f));
                s.push('.');
                s.push(hex_digit(b >> 4));
                s.push('.');
            }
            s.push_str("ip6.arpa");
            s
        }
    }
}

fn hex_digit(n: u8) -> char {
    char::from_digit(u32::from(n), 16).unwrap_or('0')
}
