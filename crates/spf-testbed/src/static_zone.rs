//! Records held in plain Rust values, answered without a zone file (RFC 1034
//! §4.3.2 lookup, CNAME chains included).
//!
//! This is how a conformance world (names spread over many domains, no SOA,
//! CNAME loops on purpose, raw bytes in TXT) is served: the answerer behaves
//! like a recursive resolver's view of those names, so a stub client can
//! point at it.

use std::collections::{BTreeMap, HashSet};
use std::net::{Ipv4Addr, Ipv6Addr};

use hickory_proto::op::{Message, Metadata, Query, ResponseCode};
use hickory_proto::rr::rdata::{A, AAAA, CNAME, MX, PTR, TXT};
use hickory_proto::rr::{Name, RData, Record, RecordType};

/// How many CNAMEs one answer follows before it stops.
const MAX_CHAIN: usize = 16;
/// TTL of every record served.
const TTL: u32 = 300;

/// One name's records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaticNode {
    /// A records.
    pub a: Vec<Ipv4Addr>,
    /// AAAA records.
    pub aaaa: Vec<Ipv6Addr>,
    /// MX records: (preference, exchange).
    pub mx: Vec<(u16, String)>,
    /// TXT records, each a list of character-strings as raw bytes (strings
    /// longer than 255 bytes are split, as a master file would have to; a
    /// record with no string is served as one empty string).
    pub txt: Vec<Vec<Vec<u8>>>,
    /// PTR targets.
    pub ptr: Vec<String>,
    /// Alias target.
    pub cname: Option<String>,
}

/// Names and their records. Every name listed exists (so a type it lacks
/// answers NODATA); every other name is NXDOMAIN.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaticZone {
    /// Names (any case, trailing dot optional) and their records.
    pub nodes: BTreeMap<String, StaticNode>,
}

/// A name as labels of lower-case bytes, the lookup key.
type Key = Vec<Vec<u8>>;

fn key_of_str(name: &str) -> Key {
    let name = name.trim_end_matches('.');
    if name.is_empty() {
        return Vec::new();
    }
    name.split('.').map(|l| l.as_bytes().to_ascii_lowercase()).collect()
}

fn key_of_name(name: &Name) -> Key {
    name.iter().map(<[u8]>::to_ascii_lowercase).collect()
}

/// A domain name from text, taking every label's bytes literally (no
/// escapes), as the conformance suites write names.
///
/// # Errors
/// A label longer than 63 bytes, an empty label or a name over 255 bytes.
pub fn literal_name(name: &str) -> Result<Name, String> {
    let trimmed = name.trim_end_matches('.');
    let mut n = if trimmed.is_empty() {
        Name::root()
    } else {
        Name::from_labels(trimmed.split('.').map(str::as_bytes)).map_err(|e| format!("{name:?}: {e}"))?
    };
    n.set_fqdn(true);
    Ok(n)
}

/// A prepared [`StaticZone`]: names parsed, lookups case-insensitive.
#[derive(Debug)]
pub(crate) struct StaticAnswerer {
    nodes: BTreeMap<Key, (Name, StaticNode)>,
}

impl StaticAnswerer {
    pub(crate) fn new(zone: StaticZone) -> Result<Self, String> {
        let mut nodes = BTreeMap::new();
        for (name, node) in zone.nodes {
            // Check every name the node carries before serving it.
            for target in node.mx.iter().map(|(_, x)| x).chain(&node.ptr).chain(&node.cname) {
                literal_name(target)?;
            }
            let owner = literal_name(&name)?;
            nodes.insert(key_of_str(&name), (owner, node));
        }
        Ok(Self { nodes })
    }

    /// The response to `query`, as a resolver would give it: the CNAME
    /// chain (stopped at the first repeated name, or after 16 links) and the
    /// records of the asked type at its end.
    pub(crate) fn answer(&self, request: &Metadata, query: &Query) -> Message {
        let mut metadata = Metadata::response_from_request(request);
        metadata.authoritative = true;
        metadata.recursion_available = true;
        let mut msg = Message::new(metadata.id, metadata.message_type, metadata.op_code);
        msg.metadata = metadata;
        msg.add_query(query.clone());

        let qtype = query.query_type();
        let mut current = key_of_name(query.name());
        let mut owner = query.name().clone();
        let mut seen: HashSet<Key> = HashSet::new();
        let mut code = ResponseCode::NoError;
        for _ in 0..=MAX_CHAIN {
            if !seen.insert(current.clone()) {
                // RFC 1034 §3.6.2: a loop; the chain so far is the answer
                // and the client must notice the loop itself.
                break;
            }
            let Some((_, node)) = self.nodes.get(&current) else {
                // §4.3.2: the RCODE is about the last name of the chain.
                code = ResponseCode::NXDomain;
                break;
            };
            let records = records_of(&owner, node, qtype);
            if !records.is_empty() {
                msg.add_answers(records);
                break;
            }
            match &node.cname {
                Some(target) if qtype != RecordType::CNAME => {
                    let Ok(target_name) = literal_name(target) else {
                        break;
                    };
                    msg.add_answer(Record::from_rdata(owner.clone(), TTL, RData::CNAME(CNAME(target_name.clone()))));
                    current = key_of_name(&target_name);
                    owner = target_name;
                }
                _ => break,
            }
        }
        msg.metadata.response_code = code;
        msg
    }
}

fn records_of(owner: &Name, node: &StaticNode, qtype: RecordType) -> Vec<Record> {
    let rec = |data: RData| Record::from_rdata(owner.clone(), TTL, data);
    let name = |s: &str| literal_name(s).ok();
    match qtype {
        RecordType::A => node.a.iter().map(|ip| rec(RData::A(A(*ip)))).collect(),
        RecordType::AAAA => node.aaaa.iter().map(|ip| rec(RData::AAAA(AAAA(*ip)))).collect(),
        RecordType::MX => node.mx.iter().filter_map(|(p, x)| name(x).map(|x| rec(RData::MX(MX::new(*p, x))))).collect(),
        RecordType::TXT => node
            .txt
            .iter()
            .map(|strings| {
                let mut pieces: Vec<&[u8]> = strings
                    .iter()
                    .flat_map(|s| if s.is_empty() { vec![&s[..]] } else { s.chunks(255).collect() })
                    .collect();
                // RFC 1035 §3.3.14: TXT-DATA is "One or more <character-string>s".
                // A record given with none (the suite's `SPF: [ ]`) is served
                // as one empty string: the same text once joined, and a form
                // clients can decode (hickory-proto rejects an empty RDATA).
                if pieces.is_empty() {
                    pieces.push(&[]);
                }
                rec(RData::TXT(TXT::from_bytes(pieces)))
            })
            .collect(),
        RecordType::PTR => node.ptr.iter().filter_map(|x| name(x).map(|x| rec(RData::PTR(PTR(x))))).collect(),
        RecordType::CNAME => node.cname.iter().filter_map(|x| name(x).map(|x| rec(RData::CNAME(CNAME(x))))).collect(),
        _ => Vec::new(),
    }
}
