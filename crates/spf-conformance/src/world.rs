//! A scenario's zone with the suite's conventions applied.

use std::collections::{BTreeMap, BTreeSet};
use std::net::{Ipv4Addr, Ipv6Addr};

use serde_yaml::Value;
use spf_core::{InMemory, LookupError, RecordType};

use crate::suite::Scenario;

/// The DNS of one scenario: names (lower case, no trailing dot) and their data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct World {
    /// Every name that exists.
    pub nodes: BTreeMap<String, Node>,
}

/// One name's records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Node {
    /// A records.
    pub a: Vec<Ipv4Addr>,
    /// AAAA records.
    pub aaaa: Vec<Ipv6Addr>,
    /// MX records (preference, exchange).
    pub mx: Vec<(u16, String)>,
    /// TXT records, each a list of character-strings (raw bytes).
    pub txt: Vec<Vec<Vec<u8>>>,
    /// PTR targets.
    pub ptr: Vec<String>,
    /// CNAME target.
    pub cname: Option<String>,
    /// Types that never answer (the suite's `TIMEOUT`).
    pub timeout: BTreeSet<RecordType>,
}

/// Suite strings are YAML text whose `\xNN` escapes mean bytes: characters
/// up to U+00FF are taken as one byte (Latin-1), others as UTF-8.
fn bytes_of(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        match u8::try_from(u32::from(c)) {
            Ok(b) => out.push(b),
            Err(_) => {
                let mut buf = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out
}

fn strings(v: &Value) -> Vec<Vec<u8>> {
    match v {
        Value::Sequence(s) => s.iter().map(|x| bytes_of(&scalar(x))).collect(),
        other => vec![bytes_of(&scalar(other))],
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

fn key(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

impl Scenario {
    /// The scenario's zone as a [`World`].
    ///
    /// # Errors
    /// A description of the first entry that is not in the suite's format.
    pub fn world(&self) -> Result<World, String> {
        let mut world = World::default();
        for (name, entries) in &self.zonedata {
            let mut node = Node::default();
            let mut spf: Vec<Vec<Vec<u8>>> = Vec::new();
            let mut own_txt = false;
            let mut seen: BTreeSet<RecordType> = BTreeSet::new();
            for entry in entries {
                if let Value::String(s) = entry {
                    if s == "TIMEOUT" {
                        // Types listed before TIMEOUT still answer; all others time out.
                        for t in RecordType::ALL {
                            if !seen.contains(&t) {
                                node.timeout.insert(t);
                            }
                        }
                        continue;
                    }
                    return Err(format!("{name}: unknown entry {s:?}"));
                }
                let Value::Mapping(m) = entry else {
                    return Err(format!("{name}: entry is not a mapping"));
                };
                for (k, v) in m {
                    let k = scalar(k);
                    match k.as_str() {
                        "SPF" => {
                            spf.push(strings(v));
                            // Served as TXT too, unless TXT: NONE says otherwise.
                            if !own_txt {
                                seen.insert(RecordType::Txt);
                            }
                        }
                        "TXT" => {
                            own_txt = true;
                            // `TXT: NONE` answers nothing, so a later TIMEOUT covers TXT.
                            if scalar(v) == "NONE" {
                                seen.remove(&RecordType::Txt);
                            } else {
                                seen.insert(RecordType::Txt);
                                node.txt.push(strings(v));
                            }
                        }
                        "A" => {
                            seen.insert(RecordType::A);
                            node.a.push(scalar(v).parse().map_err(|e| format!("{name}: A {v:?}: {e}"))?);
                        }
                        "AAAA" => {
                            seen.insert(RecordType::Aaaa);
                            node.aaaa.push(scalar(v).parse().map_err(|e| format!("{name}: AAAA {v:?}: {e}"))?);
                        }
                        "MX" => {
                            seen.insert(RecordType::Mx);
                            let Value::Sequence(pair) = v else {
                                return Err(format!("{name}: MX must be [preference, exchange]"));
                            };
                            let pref = pair.first().map(scalar).unwrap_or_default();
                            let pref: u16 = pref.parse().map_err(|e| format!("{name}: MX preference: {e}"))?;
                            let exchange = pair.get(1).map(scalar).unwrap_or_default();
                            node.mx.push((pref, key(&exchange)));
                        }
                        "PTR" => {
                            seen.insert(RecordType::Ptr);
                            node.ptr.push(key(&scalar(v)));
                        }
                        "CNAME" => {
                            for t in RecordType::ALL {
                                seen.insert(t);
                            }
                            node.cname = Some(key(&scalar(v)));
                        }
                        other => return Err(format!("{name}: unknown record type {other}")),
                    }
                }
            }
            // The suite's convention: SPF (type 99) entries are also served
            // as TXT, unless the name has TXT entries (or `TXT: NONE`) of its own.
            if !own_txt {
                node.txt.extend(spf);
            }
            world.nodes.insert(key(name), node);
        }
        Ok(world)
    }
}

impl World {
    /// The same data as an in-memory [`spf_core::Lookup`].
    #[must_use]
    pub fn to_in_memory(&self) -> InMemory {
        let mut z = InMemory::new();
        for (name, n) in &self.nodes {
            z = z.exists(name);
            for a in &n.a {
                z = z.a(name, *a);
            }
            for a in &n.aaaa {
                z = z.aaaa(name, *a);
            }
            for (p, x) in &n.mx {
                z = z.mx(name, *p, x);
            }
            for t in &n.txt {
                z = z.txt_bytes(name, t.concat());
            }
            for p in &n.ptr {
                z = z.ptr_at(name, p);
            }
            if let Some(c) = &n.cname {
                z = z.cname(name, c);
            }
            for t in &n.timeout {
                z = z.fault(name, Some(*t), LookupError::Timeout);
            }
        }
        z
    }
}
