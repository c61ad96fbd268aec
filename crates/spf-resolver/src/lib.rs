//! A native [`spf_core::Lookup`] over real DNS: a small stub resolver on
//! hickory-proto messages and tokio sockets.
//!
//! [`Resolver`] asks the name servers of a [`ResolverConfig`] (given
//! addresses, e.g. a test bed, or the system's `/etc/resolv.conf`) over UDP
//! with EDNS(0), retries over TCP when an answer comes back truncated
//! (RFC 1035 §4.2.1, RFC 7766 §5), bounds every exchange by a per-query
//! timeout, follows CNAME chains itself (RFC 1034 §3.6.2, §5.3.3) and maps
//! answers onto the [`spf_core::Lookup`] contract:
//!
//! | DNS answer                                   | `Lookup` result                     |
//! |----------------------------------------------|-------------------------------------|
//! | NOERROR with records of the type             | `Ok(records)`                       |
//! | NOERROR without them (NODATA)                | `Err(LookupError::NoData)`          |
//! | NXDOMAIN (RCODE 3)                           | `Err(LookupError::NxDomain)`        |
//! | SERVFAIL (RCODE 2), or a CNAME loop          | `Err(LookupError::ServerFailure)`   |
//! | no answer within the timeout                 | `Err(LookupError::Timeout)`         |
//! | REFUSED, other RCODEs, bad names, I/O errors | `Err(LookupError::Other(..))`       |
//!
//! TXT records come back as raw bytes, their character-strings joined
//! without separator (RFC 7208 §3.3). There is no cache unless
//! [`ResolverConfig::cache`] asks for one, and then it belongs to that
//! [`Resolver`] value only.
//!
//! # Examples
//! ```no_run
//! # async fn demo() {
//! use spf_core::{check_identities, Config};
//! use spf_resolver::{Resolver, ResolverConfig};
//! let resolver = Resolver::new(ResolverConfig::new(vec!["127.0.0.1:5353".parse().unwrap()]));
//! let report = check_identities(
//!     &resolver,
//!     &Config::default(),
//!     "66.220.155.156".parse().unwrap(),
//!     "mx-out.facebook.com",
//!     "security@mail.instagram.com",
//! )
//! .await;
//! println!("{}", report.mail_from.result());
//! # }
//! ```

mod config;
mod exchange;

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::{Mutex, PoisonError};

use hickory_proto::op::{Message, ResponseCode};
use hickory_proto::rr::{Name, RData, Record, RecordType};
use spf_core::{Lookup, LookupError, LookupResult, Mx, reverse_name};

pub use config::ResolverConfig;

/// How many queries one lookup may send to follow a CNAME chain across
/// answers (each answer may carry several links).
const MAX_CNAME_QUERIES: usize = 8;

/// A stub resolver implementing [`spf_core::Lookup`].
#[derive(Debug)]
pub struct Resolver {
    config: ResolverConfig,
    cache: Option<Mutex<Cache>>,
}

/// Answers by (lower-case name, type), errors included.
type Cache = HashMap<(String, RecordType), Result<Vec<RData>, LookupError>>;

/// A domain name from text, every label's bytes taken literally (no
/// escapes), the way SPF expands names.
fn name_from_str(name: &str) -> Result<Name, LookupError> {
    let trimmed = name.trim_end_matches('.');
    if trimmed.is_empty() {
        return Err(LookupError::Other(format!("invalid domain name {name:?}: empty")));
    }
    let mut n = Name::from_labels(trimmed.split('.').map(str::as_bytes))
        .map_err(|e| LookupError::Other(format!("invalid domain name {name:?}: {e}")))?;
    n.set_fqdn(true);
    Ok(n)
}

/// A name as text, labels joined by dots, without trailing dot (bytes that
/// are not UTF-8 are replaced, as the `Lookup` contract speaks of text).
fn name_to_string(name: &Name) -> String {
    name.iter().map(String::from_utf8_lossy).collect::<Vec<_>>().join(".")
}

fn same_name(a: &Name, b: &Name) -> bool {
    a.num_labels() == b.num_labels() && a.iter().zip(b.iter()).all(|(x, y)| x.eq_ignore_ascii_case(y))
}

fn lower_key(name: &Name) -> Vec<Vec<u8>> {
    name.iter().map(<[u8]>::to_ascii_lowercase).collect()
}

impl Resolver {
    /// A resolver with `config`.
    #[must_use]
    pub fn new(config: ResolverConfig) -> Self {
        let cache = config.cache.then(|| Mutex::new(HashMap::new()));
        Self { config, cache }
    }

    /// A resolver asking the name servers of `/etc/resolv.conf`.
    ///
    /// # Errors
    /// The file cannot be read.
    pub fn from_system() -> std::io::Result<Self> {
        Ok(Self::new(ResolverConfig::from_system()?))
    }

    /// The configuration in use.
    #[must_use]
    pub fn config(&self) -> &ResolverConfig {
        &self.config
    }

    /// Empties the cache, if there is one.
    pub fn clear_cache(&self) {
        if let Some(c) = &self.cache {
            c.lock().unwrap_or_else(PoisonError::into_inner).clear();
        }
    }

    /// The record data of type `rtype` for `name`, CNAMEs followed.
    ///
    /// # Errors
    /// See the mapping in the crate documentation.
    pub async fn query(&self, name: &str, rtype: RecordType) -> Result<Vec<RData>, LookupError> {
        let key = (name.trim_end_matches('.').to_ascii_lowercase(), rtype);
        if let Some(cache) = &self.cache {
            if let Some(hit) = cache.lock().unwrap_or_else(PoisonError::into_inner).get(&key) {
                return hit.clone();
            }
        }
        let answer = self.resolve(name, rtype).await;
        if let Some(cache) = &self.cache {
            cache.lock().unwrap_or_else(PoisonError::into_inner).insert(key, answer.clone());
        }
        answer
    }

    async fn resolve(&self, name: &str, rtype: RecordType) -> Result<Vec<RData>, LookupError> {
        let mut current = name_from_str(name)?;
        let mut seen: HashSet<Vec<Vec<u8>>> = HashSet::from([lower_key(&current)]);
        for _ in 0..MAX_CNAME_QUERIES {
            let response = exchange::ask(&self.config, &current, rtype).await?;
            match response.metadata.response_code {
                ResponseCode::NoError => {}
                // RFC 6604 §3: the RCODE speaks of the last name of the chain.
                ResponseCode::NXDomain => return Err(LookupError::NxDomain),
                ResponseCode::ServFail => return Err(LookupError::ServerFailure),
                other => {
                    return Err(LookupError::Other(format!("{other} (RCODE {})", u16::from(other))));
                }
            }
            let before = lower_key(&current);
            match follow(&response, &mut current, rtype, &mut seen)? {
                Some(records) => return Ok(records),
                // The chain left this answer at a name it has no data for:
                // ask for that name (RFC 1034 §5.3.3 step 3c).
                None if lower_key(&current) != before => continue,
                None => return Err(LookupError::NoData),
            }
        }
        // Longer chains than any sane zone has: treat as a loop.
        Err(LookupError::ServerFailure)
    }
}

/// Walks the answer section from `current`: returns the records of `rtype`
/// at the end of the CNAME chain, or `None` with `current` moved to the
/// chain's last name when the answer holds nothing more for it.
///
/// # Errors
/// `ServerFailure` on a CNAME loop (RFC 1034 §3.6.2: "CNAME chains should
/// be followed and CNAME loops signalled as an error").
fn follow(
    response: &Message,
    current: &mut Name,
    rtype: RecordType,
    seen: &mut HashSet<Vec<Vec<u8>>>,
) -> Result<Option<Vec<RData>>, LookupError> {
    let owned_by = |r: &&Record, n: &Name| same_name(&r.name, n);
    loop {
        let found: Vec<RData> = response
            .answers
            .iter()
            .filter(|r| owned_by(r, current) && r.record_type() == rtype)
            .map(|r| r.data.clone())
            .collect();
        if !found.is_empty() {
            return Ok(Some(found));
        }
        let next = response.answers.iter().filter(|r| owned_by(r, current)).find_map(|r| match &r.data {
            RData::CNAME(c) if rtype != RecordType::CNAME => Some(c.0.clone()),
            _ => None,
        });
        let Some(next) = next else { return Ok(None) };
        if !seen.insert(lower_key(&next)) {
            return Err(LookupError::ServerFailure);
        }
        *current = next;
    }
}

impl Lookup for Resolver {
    async fn lookup_a(&self, name: &str) -> LookupResult<Ipv4Addr> {
        let data = self.query(name, RecordType::A).await?;
        Ok(data.iter().filter_map(|d| if let RData::A(a) = d { Some(a.0) } else { None }).collect())
    }

    async fn lookup_aaaa(&self, name: &str) -> LookupResult<Ipv6Addr> {
        let data = self.query(name, RecordType::AAAA).await?;
        Ok(data.iter().filter_map(|d| if let RData::AAAA(a) = d { Some(a.0) } else { None }).collect())
    }

    async fn lookup_mx(&self, name: &str) -> LookupResult<Mx> {
        let data = self.query(name, RecordType::MX).await?;
        Ok(data
            .iter()
            .filter_map(|d| match d {
                RData::MX(mx) => Some(Mx { preference: mx.preference, exchange: name_to_string(&mx.exchange) }),
                _ => None,
            })
            .collect())
    }

    async fn lookup_txt(&self, name: &str) -> LookupResult<Vec<u8>> {
        let data = self.query(name, RecordType::TXT).await?;
        // RFC 7208 §3.3: "If a published record contains multiple
        // character-strings, then the record MUST be treated as if those
        // strings are concatenated together without adding spaces."
        Ok(data
            .iter()
            .filter_map(|d| match d {
                RData::TXT(txt) => Some(txt.txt_data.iter().flat_map(|s| s.iter().copied()).collect()),
                _ => None,
            })
            .collect())
    }

    async fn lookup_ptr(&self, ip: IpAddr) -> LookupResult<String> {
        let data = self.query(&reverse_name(ip), RecordType::PTR).await?;
        Ok(data.iter().filter_map(|d| if let RData::PTR(p) = d { Some(name_to_string(&p.0)) } else { None }).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_label_bytes_literally() -> Result<(), LookupError> {
        let n = name_from_str("a\\b.Example.COM.")?;
        assert_eq!(n.num_labels(), 3);
        assert_eq!(name_to_string(&n), "a\\b.Example.COM");
        assert!(same_name(&n, &name_from_str("A\\B.example.com")?));
        Ok(())
    }

    #[test]
    fn bad_names_are_other_errors_not_panics() {
        let long = format!("{}.example.com", "x".repeat(64));
        assert!(matches!(name_from_str(&long), Err(LookupError::Other(_))));
        assert!(matches!(name_from_str("a..b"), Err(LookupError::Other(_))));
        assert!(matches!(name_from_str(""), Err(LookupError::Other(_))));
    }
}
