//! "What-if" records: replacements for any name's TXT, A, AAAA, MX or PTR
//! records, laid over the real DNS with [`spf_core::Overlay`] before any
//! question goes out.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use spf_core::{InMemory, RecordType, reverse_name};

/// One replaced record set: every record of `rtype` at `name`.
///
/// An empty `values` list means "no records of this type" (NODATA).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    /// The owner name. For PTR, either the reverse name or the IP address.
    pub name: String,
    /// `TXT`, `A`, `AAAA`, `MX` or `PTR` (any case).
    #[serde(rename = "type")]
    pub rtype: String,
    /// The records in presentation form, one per element: TXT text as it
    /// should read after its strings are joined, an address, `10 mx.example`
    /// for MX, a host name for PTR.
    #[serde(default)]
    pub values: Vec<String>,
}

fn parse_type(s: &str) -> Result<RecordType, String> {
    RecordType::ALL
        .into_iter()
        .find(|t| t.as_str().eq_ignore_ascii_case(s.trim()))
        .ok_or_else(|| format!("unsupported record type {s:?} (use TXT, A, AAAA, MX or PTR)"))
}

fn clean_name(name: &str) -> Result<String, String> {
    let n = name.trim().trim_end_matches('.');
    if n.is_empty() {
        return Err("an override needs a name".to_string());
    }
    if !n.is_ascii() || n.contains(char::is_whitespace) {
        return Err(format!("{name:?} is not an ASCII domain name"));
    }
    Ok(n.to_string())
}

/// Builds the overlay zone from the overrides.
///
/// # Errors
/// A message naming the override that cannot be read (unknown type, a value
/// that is not an address, an MX without preference, ...).
pub fn build(overrides: &[Override]) -> Result<InMemory, String> {
    let mut zone = InMemory::new();
    for o in overrides {
        let rtype = parse_type(&o.rtype)?;
        let mut name = clean_name(&o.name)?;
        if rtype == RecordType::Ptr {
            if let Ok(ip) = name.parse::<IpAddr>() {
                name = reverse_name(ip);
            }
        }
        // Declared first, so an empty list still replaces the real records.
        zone = zone.none(&name, rtype);
        for raw in &o.values {
            let v = raw.trim();
            let bad = |what: &str| format!("{rtype} override for {name}: {v:?} is not {what}");
            zone = match rtype {
                // TXT text is taken verbatim (spaces inside are significant).
                RecordType::Txt => zone.txt(&name, raw.trim_matches(['\r', '\n'])),
                RecordType::A => zone.a(&name, v.parse().map_err(|_| bad("an IPv4 address"))?),
                RecordType::Aaaa => zone.aaaa(&name, v.parse().map_err(|_| bad("an IPv6 address"))?),
                RecordType::Mx => {
                    let (pref, host) = v.split_once(char::is_whitespace).ok_or_else(|| bad("\"PREFERENCE HOST\""))?;
                    let pref: u16 = pref.parse().map_err(|_| bad("\"PREFERENCE HOST\""))?;
                    zone.mx(&name, pref, &clean_name(host)?)
                }
                RecordType::Ptr => zone.ptr_at(&name, &clean_name(v)?),
            };
        }
    }
    Ok(zone)
}

#[cfg(test)]
mod tests {
    use super::*;
    use spf_core::{Lookup, LookupError, Overlay};

    fn o(name: &str, t: &str, values: &[&str]) -> Override {
        Override {
            name: name.to_string(),
            rtype: t.to_string(),
            values: values.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn overrides_replace_only_their_name_and_type() {
        let real = InMemory::new().txt("a.example", "v=spf1 -all").a("a.example", "192.0.2.1".parse().expect("ip"));
        let overrides = build(&[o("A.example.", "txt", &["v=spf1 +all"])]).expect("valid");
        let zone = Overlay { overrides, inner: real };
        let txt = futures_executor::block_on(zone.lookup_txt("a.example")).expect("txt");
        assert_eq!(txt, vec![b"v=spf1 +all".to_vec()]);
        let a = futures_executor::block_on(zone.lookup_a("a.example")).expect("a");
        assert_eq!(a, vec!["192.0.2.1".parse::<std::net::Ipv4Addr>().expect("ip")]);
    }

    #[test]
    fn empty_values_mean_nodata_and_ptr_takes_an_address() {
        let real = InMemory::new().txt("a.example", "v=spf1 -all");
        let overrides = build(&[o("a.example", "TXT", &[]), o("192.0.2.9", "PTR", &["host.example."])]).expect("valid");
        let zone = Overlay { overrides, inner: real };
        assert_eq!(futures_executor::block_on(zone.lookup_txt("a.example")), Err(LookupError::NoData));
        let ptr = futures_executor::block_on(zone.lookup_ptr("192.0.2.9".parse().expect("ip"))).expect("ptr");
        assert_eq!(ptr, vec!["host.example".to_string()]);
    }

    #[test]
    fn bad_values_are_named() {
        let err = build(&[o("a.example", "A", &["not-an-ip"])]).expect_err("invalid");
        assert!(err.contains("a.example") && err.contains("IPv4"), "{err}");
        assert!(build(&[o("a.example", "MX", &["mx.example"])]).is_err());
        assert!(build(&[o("a.example", "SRV", &["x"])]).is_err());
        assert!(build(&[o("  ", "TXT", &["x"])]).is_err());
    }
}
