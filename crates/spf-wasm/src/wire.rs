//! DNS wire format for DNS-over-HTTPS (RFC 8484 §4.1, RFC 1035 §4): building
//! one question and reading its answer into the [`spf_core::Lookup`] contract.
//!
//! Pure functions, no I/O: the browser transport lives in [`crate::doh`], and
//! these run (and are tested) natively too.

use std::net::{Ipv4Addr, Ipv6Addr};

use hickory_proto::op::{Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::{Name, RData, RecordType as WireType};
use spf_core::{LookupError, Mx, RecordType};

/// How many CNAMEs are followed across queries before giving up (a loop).
pub const MAX_CNAME_HOPS: usize = 8;

/// The media type of RFC 8484 §6.
pub const DNS_MESSAGE: &str = "application/dns-message";

fn wire_type(rtype: RecordType) -> WireType {
    match rtype {
        RecordType::A => WireType::A,
        RecordType::Aaaa => WireType::AAAA,
        RecordType::Mx => WireType::MX,
        RecordType::Txt => WireType::TXT,
        RecordType::Ptr => WireType::PTR,
    }
}

/// Parses a domain name as the core hands it over (ASCII, no trailing dot).
fn fqdn(name: &str) -> Result<Name, LookupError> {
    let mut n = Name::from_ascii(name)
        .map_err(|e| LookupError::Other(format!("bad name {name:?}: {e}")))?;
    n.set_fqdn(true);
    Ok(n)
}

/// Encodes one recursive question for `name`/`rtype`.
///
/// RFC 8484 §4.1: 'In order to maximize HTTP cache friendliness, DoH clients
/// using media formats that include the ID field from the DNS message header,
/// such as "application/dns-message", SHOULD use a DNS ID of 0 in every DNS
/// request.'
///
/// # Errors
/// [`LookupError::Other`] when `name` is not a valid DNS name (a label over
/// 63 octets, a name over 255): the evaluator then reports a DNS error.
pub fn encode_query(name: &str, rtype: RecordType) -> Result<Vec<u8>, LookupError> {
    let mut msg = Message::new(0, MessageType::Query, OpCode::Query);
    msg.metadata.recursion_desired = true;
    msg.add_query(Query::query(fqdn(name)?, wire_type(rtype)));
    msg.to_vec()
        .map_err(|e| LookupError::Other(format!("cannot encode query: {e}")))
}

/// One answer's records of the asked type, or where the CNAME chain led.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer<T> {
    /// The records found at the end of the chain inside this message.
    Records(Vec<T>),
    /// The message followed CNAMEs to `target` but holds no records of the
    /// asked type there: ask again for the target.
    Alias(String),
}

/// The typed payload of one record.
pub trait FromRData: Sized {
    /// The payload, if `data` is of this type.
    fn from_rdata(data: &RData) -> Option<Self>;
}

impl FromRData for Ipv4Addr {
    fn from_rdata(data: &RData) -> Option<Self> {
        match data {
            RData::A(a) => Some(a.0),
            _ => None,
        }
    }
}

impl FromRData for Ipv6Addr {
    fn from_rdata(data: &RData) -> Option<Self> {
        match data {
            RData::AAAA(a) => Some(a.0),
            _ => None,
        }
    }
}

fn name_text(n: &Name) -> String {
    n.to_ascii().trim_end_matches('.').to_string()
}

impl FromRData for Mx {
    fn from_rdata(data: &RData) -> Option<Self> {
        match data {
            RData::MX(mx) => Some(Mx {
                preference: mx.preference,
                exchange: name_text(&mx.exchange),
            }),
            _ => None,
        }
    }
}

impl FromRData for Vec<u8> {
    /// §3.3: 'If a published record contains multiple character-strings,
    /// then the record MUST be treated as if those strings are concatenated
    /// together without adding spaces.'
    fn from_rdata(data: &RData) -> Option<Self> {
        match data {
            RData::TXT(txt) => Some(
                txt.txt_data
                    .iter()
                    .flat_map(|s| s.iter().copied())
                    .collect(),
            ),
            _ => None,
        }
    }
}

impl FromRData for String {
    fn from_rdata(data: &RData) -> Option<Self> {
        match data {
            RData::PTR(p) => Some(name_text(&p.0)),
            _ => None,
        }
    }
}

/// Reads a response to [`encode_query`]'s question into the Lookup contract.
///
/// Records are taken at `name` and, following CNAMEs in the answer section,
/// at each alias target in turn. NXDOMAIN and NOERROR-without-records are the
/// two void answers; SERVFAIL is [`LookupError::ServerFailure`]; any other
/// code, a truncated message (DoH runs over a stream: TC makes no sense there)
/// or bytes that do not decode are [`LookupError::Other`].
///
/// # Errors
/// As above, per the [`spf_core::lookup`] contract.
pub fn decode_answer<T: FromRData>(bytes: &[u8], name: &str) -> Result<Answer<T>, LookupError> {
    let msg = Message::from_vec(bytes)
        .map_err(|e| LookupError::Other(format!("malformed DNS answer: {e}")))?;
    if msg.metadata.message_type != MessageType::Response {
        return Err(LookupError::Other(
            "DNS answer is not a response".to_string(),
        ));
    }
    if msg.metadata.truncation {
        return Err(LookupError::Other("truncated DNS answer".to_string()));
    }
    let mut current = fqdn(name)?;
    let mut records = Vec::new();
    let mut aliased = false;
    // At most one step per answer record, so a CNAME loop inside one message ends.
    for _ in 0..=msg.answers.len() {
        let here: Vec<&RData> = msg
            .answers
            .iter()
            .filter(|r| r.name == current)
            .map(|r| &r.data)
            .collect();
        records.extend(here.iter().filter_map(|d| T::from_rdata(d)));
        if !records.is_empty() {
            return Ok(Answer::Records(records));
        }
        let next = here.iter().find_map(|d| match d {
            RData::CNAME(c) => Some(c.0.clone()),
            _ => None,
        });
        match next {
            Some(target) => {
                aliased = true;
                current = target;
            }
            None => break,
        }
    }
    match msg.metadata.response_code {
        ResponseCode::NoError if aliased => Ok(Answer::Alias(name_text(&current))),
        ResponseCode::NoError => Err(LookupError::NoData),
        ResponseCode::NXDomain => Err(LookupError::NxDomain),
        ResponseCode::ServFail => Err(LookupError::ServerFailure),
        other => Err(LookupError::Other(format!("DNS answer code {other}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::rr::Record;
    use hickory_proto::rr::rdata::{A, CNAME, MX, TXT};

    fn response(name: &str, code: ResponseCode, answers: Vec<Record>) -> Vec<u8> {
        let mut msg = Message::new(0, MessageType::Response, OpCode::Query);
        msg.metadata.response_code = code;
        msg.add_query(Query::query(fqdn(name).expect("name"), WireType::TXT));
        msg.answers = answers;
        msg.to_vec().expect("encode")
    }

    fn rec(name: &str, data: RData) -> Record {
        Record::from_rdata(fqdn(name).expect("name"), 300, data)
    }

    #[test]
    fn rfc8484_section_4_1_query_id_is_zero_and_recursion_desired() {
        let wire = encode_query("Example.COM", RecordType::Txt).expect("encodes");
        let msg = Message::from_vec(&wire).expect("decodes");
        assert_eq!(msg.metadata.id, 0);
        assert!(msg.metadata.recursion_desired);
        assert_eq!(msg.queries.len(), 1);
        assert_eq!(msg.queries[0].query_type(), WireType::TXT);
        assert_eq!(msg.queries[0].name().to_ascii(), "Example.COM.");
    }

    #[test]
    fn overlong_label_is_an_error_not_a_panic() {
        let name = format!("{}.example", "a".repeat(64));
        assert!(matches!(
            encode_query(&name, RecordType::A),
            Err(LookupError::Other(_))
        ));
    }

    #[test]
    fn rfc7208_section_3_3_txt_strings_joined_without_separator() {
        let txt = TXT::from_bytes(vec![b"v=spf1 ip4:192.0.2.0/24", b" -all"]);
        let bytes = response(
            "example.com",
            ResponseCode::NoError,
            vec![rec("example.com", RData::TXT(txt))],
        );
        let got: Answer<Vec<u8>> = decode_answer(&bytes, "example.com").expect("answer");
        assert_eq!(
            got,
            Answer::Records(vec![b"v=spf1 ip4:192.0.2.0/24 -all".to_vec()])
        );
    }

    #[test]
    fn void_answers_and_errors_follow_the_lookup_contract() {
        let nx = response("x.example", ResponseCode::NXDomain, vec![]);
        assert_eq!(
            decode_answer::<Ipv4Addr>(&nx, "x.example"),
            Err(LookupError::NxDomain)
        );
        let nodata = response("x.example", ResponseCode::NoError, vec![]);
        assert_eq!(
            decode_answer::<Ipv4Addr>(&nodata, "x.example"),
            Err(LookupError::NoData)
        );
        let sf = response("x.example", ResponseCode::ServFail, vec![]);
        assert_eq!(
            decode_answer::<Ipv4Addr>(&sf, "x.example"),
            Err(LookupError::ServerFailure)
        );
        let refused = response("x.example", ResponseCode::Refused, vec![]);
        assert!(matches!(
            decode_answer::<Ipv4Addr>(&refused, "x.example"),
            Err(LookupError::Other(_))
        ));
        assert!(matches!(
            decode_answer::<Ipv4Addr>(b"\x00\x01junk", "x.example"),
            Err(LookupError::Other(_))
        ));
        // Records of another type at the name are no data of the asked type.
        let mx = RData::MX(MX::new(10, fqdn("mx.example").expect("name")));
        let other = response(
            "x.example",
            ResponseCode::NoError,
            vec![rec("x.example", mx)],
        );
        assert_eq!(
            decode_answer::<Ipv4Addr>(&other, "x.example"),
            Err(LookupError::NoData)
        );
    }

    #[test]
    fn cname_chains_are_followed_inside_and_across_messages() {
        let a = RData::A(A::new(192, 0, 2, 7));
        let alias = RData::CNAME(CNAME(fqdn("target.example").expect("name")));
        let full = response(
            "alias.example",
            ResponseCode::NoError,
            vec![
                rec("alias.example", alias.clone()),
                rec("target.example", a),
            ],
        );
        assert_eq!(
            decode_answer::<Ipv4Addr>(&full, "alias.example"),
            Ok(Answer::Records(vec![Ipv4Addr::new(192, 0, 2, 7)]))
        );
        let partial = response(
            "alias.example",
            ResponseCode::NoError,
            vec![rec("alias.example", alias)],
        );
        assert_eq!(
            decode_answer::<Ipv4Addr>(&partial, "alias.example"),
            Ok(Answer::Alias("target.example".to_string()))
        );
    }

    #[test]
    fn cname_loop_inside_one_message_terminates() {
        let to_b = RData::CNAME(CNAME(fqdn("b.example").expect("name")));
        let to_a = RData::CNAME(CNAME(fqdn("a.example").expect("name")));
        let looped = response(
            "a.example",
            ResponseCode::NoError,
            vec![rec("a.example", to_b), rec("b.example", to_a)],
        );
        assert!(matches!(
            decode_answer::<Ipv4Addr>(&looped, "a.example"),
            Ok(Answer::Alias(_))
        ));
    }
}
