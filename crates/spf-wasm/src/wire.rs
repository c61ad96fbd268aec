//! DNS wire format for DNS-over-HTTPS (RFC 8484 §4.1, RFC 1035 §4): building
//! one question and reading its answer into the [`spf_core::Lookup`] contract.
//!
//! Pure functions, no I/O: the browser transport lives in [`crate::doh`], and
//! these run (and are tested) natively too.
//!
//! The message is framed with hickory-proto's pieces (header, question,
//! names with RFC 1035 §4.1.4 compression, each record's fixed fields) rather
//! than with `Message::{to_vec, from_vec}`: those decode and print every
//! record type hickory knows (SVCB, CAA with its URLs, ...), which would put
//! all of that into the page's WebAssembly. Here only the payloads SPF reads
//! are decoded (A, AAAA, MX, TXT, PTR and CNAME, RFC 1035 §3.3 and RFC 3596);
//! any other record's RDATA is skipped by its RDLENGTH, and every record of
//! every section is still checked for framing as `Message::from_vec` does.

use std::net::{Ipv4Addr, Ipv6Addr};

use hickory_proto::op::{Header, HeaderCounts, MessageType, Metadata, OpCode, Query, ResponseCode};
use hickory_proto::rr::rdata::{A, AAAA, CNAME, MX, PTR};
use hickory_proto::rr::{DNSClass, Name, RecordType as WireType};
use hickory_proto::serialize::binary::{BinDecodable, BinDecoder, BinEncodable, BinEncoder, DecodeError};
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
    let mut n = Name::from_ascii(name).map_err(|e| LookupError::Other(format!("bad name {name:?}: {e}")))?;
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
    let mut metadata = Metadata::new(0, MessageType::Query, OpCode::Query);
    metadata.recursion_desired = true;
    let header = Header { metadata, counts: HeaderCounts { queries: 1, ..HeaderCounts::default() } };
    let query = Query::query(fqdn(name)?, wire_type(rtype));
    let mut wire = Vec::with_capacity(64);
    let mut encoder = BinEncoder::new(&mut wire);
    header
        .emit(&mut encoder)
        .and_then(|()| query.emit(&mut encoder))
        .map_err(|e| LookupError::Other(format!("cannot encode query: {e}")))?;
    Ok(wire)
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

/// The payload of one answer record, decoded for the types SPF asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RData {
    /// RFC 1035 §3.4.1.
    A(Ipv4Addr),
    /// RFC 3596 §2.2.
    Aaaa(Ipv6Addr),
    /// RFC 1035 §3.3.9.
    Mx(Mx),
    /// RFC 1035 §3.3.14, the character-strings joined (see [`FromRData`]).
    Txt(Vec<u8>),
    /// RFC 1035 §3.3.12.
    Ptr(Name),
    /// RFC 1035 §3.3.1.
    Cname(Name),
    /// Any other type: not read.
    Other,
}

/// The typed payload of one record.
pub trait FromRData: Sized {
    /// The payload, if `data` is of this type.
    fn from_rdata(data: &RData) -> Option<Self>;
}

impl FromRData for Ipv4Addr {
    fn from_rdata(data: &RData) -> Option<Self> {
        match data {
            RData::A(a) => Some(*a),
            _ => None,
        }
    }
}

impl FromRData for Ipv6Addr {
    fn from_rdata(data: &RData) -> Option<Self> {
        match data {
            RData::Aaaa(a) => Some(*a),
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
            RData::Mx(mx) => Some(mx.clone()),
            _ => None,
        }
    }
}

impl FromRData for Vec<u8> {
    fn from_rdata(data: &RData) -> Option<Self> {
        match data {
            RData::Txt(txt) => Some(txt.clone()),
            _ => None,
        }
    }
}

impl FromRData for String {
    fn from_rdata(data: &RData) -> Option<Self> {
        match data {
            RData::Ptr(p) => Some(name_text(p)),
            _ => None,
        }
    }
}

/// Why a response could not be read.
#[derive(Debug)]
enum WireError {
    /// hickory-proto's decoders said no.
    Decode(DecodeError),
    /// RFC 1035 §4.1.3: RDLENGTH 'specifies the length in octets of the
    /// RDATA field', and the RDATA read did not match it.
    RdataLength { read: usize, len: usize },
}

impl From<DecodeError> for WireError {
    fn from(e: DecodeError) -> Self {
        Self::Decode(e)
    }
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Decode(e) => e.fmt(f),
            Self::RdataLength { read, len } => {
                write!(f, "RDATA of {read} octets where RDLENGTH says {len}")
            }
        }
    }
}

/// The sections of RFC 1035 §4.1 that hold records.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Answer,
    Authority,
    Additional,
}

/// Reads one resource record (RFC 1035 §4.1.3) with the checks
/// `Message::from_vec` makes: RDLENGTH within the message and consumed
/// exactly, no empty RDATA outside OPT (RFC 2136 uses those only in updates),
/// OPT (RFC 6891 §6.1.1: owner the root) only in the additional section, at
/// most once. An OPT record's extended RCODE (§6.1.3) is merged into
/// `metadata`.
fn read_record(
    d: &mut BinDecoder<'_>,
    section: Section,
    metadata: &mut Metadata,
    seen_opt: &mut bool,
) -> Result<(Name, RData), WireError> {
    let name = Name::read(d)?;
    let rtype = WireType::read(d)?;
    let is_opt = rtype == WireType::OPT;
    if is_opt && !name.is_root() {
        return Err(DecodeError::EdnsNameNotRoot(Box::new(name)).into());
    }
    if matches!(rtype, WireType::OPT | WireType::SIG | WireType::TSIG) && section != Section::Additional {
        return Err(DecodeError::RecordNotInAdditionalSection(rtype).into());
    }
    if is_opt {
        // RFC 6891 §6.1.2: CLASS is the requestor's UDP payload size.
        d.read_u16()?;
    } else {
        DNSClass::read(d)?;
    }
    let ttl = d.read_u32()?.unverified(/*any u32 is valid*/);
    let len = usize::from(d.read_u16()?.unverified(/*checked next*/));
    if len > d.len() {
        return Err(WireError::RdataLength { read: d.len(), len });
    }
    if is_opt {
        if *seen_opt {
            return Err(DecodeError::DuplicateEdns.into());
        }
        *seen_opt = true;
        // RFC 6891 §6.1.3: 'EXTENDED-RCODE: Forms the upper 8 bits of
        // extended 12-bit RCODE', the top octet of the TTL field.
        metadata.merge_response_code(ttl.to_be_bytes()[0]);
    } else if len == 0 {
        return Err(DecodeError::InvalidEmptyRecord.into());
    }
    let start = d.index();
    let data = match rtype {
        WireType::A => RData::A(A::read(d)?.0),
        WireType::AAAA => RData::Aaaa(AAAA::read(d)?.0),
        WireType::MX => {
            let mx = MX::read(d)?;
            RData::Mx(Mx { preference: mx.preference, exchange: name_text(&mx.exchange) })
        }
        WireType::TXT => {
            // §3.3: 'If a published record contains multiple
            // character-strings, then the record MUST be treated as if those
            // strings are concatenated together without adding spaces.'
            let mut text = Vec::with_capacity(len);
            while d.index() - start < len {
                text.extend_from_slice(d.read_character_data()?.unverified(/*any octets*/));
            }
            RData::Txt(text)
        }
        WireType::PTR => RData::Ptr(PTR::read(d)?.0),
        WireType::CNAME => RData::Cname(CNAME::read(d)?.0),
        _ => {
            d.read_slice(len)?;
            RData::Other
        }
    };
    let read = d.index() - start;
    if read != len {
        return Err(WireError::RdataLength { read, len });
    }
    Ok((name, data))
}

/// The header and answer records of a response; the other sections are
/// read (and checked) but not kept.
fn read_message(bytes: &[u8]) -> Result<(Metadata, Vec<(Name, RData)>), WireError> {
    let mut d = BinDecoder::new(bytes);
    let Header { mut metadata, counts } = Header::read(&mut d)?;
    for _ in 0..counts.queries {
        Query::read(&mut d)?;
    }
    let mut seen_opt = false;
    let mut answers = Vec::with_capacity(usize::from(counts.answers.min(16)));
    for _ in 0..counts.answers {
        answers.push(read_record(&mut d, Section::Answer, &mut metadata, &mut seen_opt)?);
    }
    for _ in 0..counts.authorities {
        read_record(&mut d, Section::Authority, &mut metadata, &mut seen_opt)?;
    }
    for _ in 0..counts.additionals {
        read_record(&mut d, Section::Additional, &mut metadata, &mut seen_opt)?;
    }
    Ok((metadata, answers))
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
    let (metadata, answers) =
        read_message(bytes).map_err(|e| LookupError::Other(format!("malformed DNS answer: {e}")))?;
    if metadata.message_type != MessageType::Response {
        return Err(LookupError::Other("DNS answer is not a response".to_string()));
    }
    if metadata.truncation {
        return Err(LookupError::Other("truncated DNS answer".to_string()));
    }
    let mut current = fqdn(name)?;
    let mut records = Vec::new();
    let mut aliased = false;
    // At most one step per answer record, so a CNAME loop inside one message ends.
    for _ in 0..=answers.len() {
        let here: Vec<&RData> = answers.iter().filter(|(owner, _)| *owner == current).map(|(_, data)| data).collect();
        records.extend(here.iter().filter_map(|d| T::from_rdata(d)));
        if !records.is_empty() {
            return Ok(Answer::Records(records));
        }
        let next = here.iter().find_map(|d| match d {
            RData::Cname(target) => Some(target.clone()),
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
    match metadata.response_code {
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
    use hickory_proto::op::Message;
    use hickory_proto::rr::rdata::{A, CAA, CNAME, MX, PTR, SOA, TXT};
    use hickory_proto::rr::{RData as Rr, Record};

    fn response(name: &str, code: ResponseCode, answers: Vec<Record>) -> Vec<u8> {
        let mut msg = Message::new(0, MessageType::Response, OpCode::Query);
        msg.metadata.response_code = code;
        msg.add_query(Query::query(fqdn(name).expect("name"), WireType::TXT));
        msg.answers = answers;
        msg.to_vec().expect("encode")
    }

    fn rec(name: &str, data: Rr) -> Record {
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
        assert!(matches!(encode_query(&name, RecordType::A), Err(LookupError::Other(_))));
    }

    #[test]
    fn rfc7208_section_3_3_txt_strings_joined_without_separator() {
        let txt = TXT::from_bytes(vec![b"v=spf1 ip4:192.0.2.0/24", b" -all"]);
        let bytes = response("example.com", ResponseCode::NoError, vec![rec("example.com", Rr::TXT(txt))]);
        let got: Answer<Vec<u8>> = decode_answer(&bytes, "example.com").expect("answer");
        assert_eq!(got, Answer::Records(vec![b"v=spf1 ip4:192.0.2.0/24 -all".to_vec()]));
    }

    #[test]
    fn void_answers_and_errors_follow_the_lookup_contract() {
        let nx = response("x.example", ResponseCode::NXDomain, vec![]);
        assert_eq!(decode_answer::<Ipv4Addr>(&nx, "x.example"), Err(LookupError::NxDomain));
        let nodata = response("x.example", ResponseCode::NoError, vec![]);
        assert_eq!(decode_answer::<Ipv4Addr>(&nodata, "x.example"), Err(LookupError::NoData));
        let sf = response("x.example", ResponseCode::ServFail, vec![]);
        assert_eq!(decode_answer::<Ipv4Addr>(&sf, "x.example"), Err(LookupError::ServerFailure));
        let refused = response("x.example", ResponseCode::Refused, vec![]);
        assert!(matches!(decode_answer::<Ipv4Addr>(&refused, "x.example"), Err(LookupError::Other(_))));
        assert!(matches!(decode_answer::<Ipv4Addr>(b"\x00\x01junk", "x.example"), Err(LookupError::Other(_))));
        // Records of another type at the name are no data of the asked type.
        let mx = Rr::MX(MX::new(10, fqdn("mx.example").expect("name")));
        let other = response("x.example", ResponseCode::NoError, vec![rec("x.example", mx)]);
        assert_eq!(decode_answer::<Ipv4Addr>(&other, "x.example"), Err(LookupError::NoData));
    }

    #[test]
    fn cname_chains_are_followed_inside_and_across_messages() {
        let a = Rr::A(A::new(192, 0, 2, 7));
        let alias = Rr::CNAME(CNAME(fqdn("target.example").expect("name")));
        let full = response(
            "alias.example",
            ResponseCode::NoError,
            vec![rec("alias.example", alias.clone()), rec("target.example", a)],
        );
        assert_eq!(
            decode_answer::<Ipv4Addr>(&full, "alias.example"),
            Ok(Answer::Records(vec![Ipv4Addr::new(192, 0, 2, 7)]))
        );
        let partial = response("alias.example", ResponseCode::NoError, vec![rec("alias.example", alias)]);
        assert_eq!(
            decode_answer::<Ipv4Addr>(&partial, "alias.example"),
            Ok(Answer::Alias("target.example".to_string()))
        );
    }

    #[test]
    fn cname_loop_inside_one_message_terminates() {
        let to_b = Rr::CNAME(CNAME(fqdn("b.example").expect("name")));
        let to_a = Rr::CNAME(CNAME(fqdn("a.example").expect("name")));
        let looped = response("a.example", ResponseCode::NoError, vec![rec("a.example", to_b), rec("b.example", to_a)]);
        assert!(matches!(decode_answer::<Ipv4Addr>(&looped, "a.example"), Ok(Answer::Alias(_))));
    }
    #[test]
    fn mx_and_ptr_names_are_read_through_compression_pointers() {
        let mx = Rr::MX(MX::new(10, fqdn("mx.example.com").expect("name")));
        let bytes = response("example.com", ResponseCode::NoError, vec![rec("example.com", mx)]);
        // 70 octets uncompressed; hickory points the owner and the
        // exchange's suffix at the question's name (RFC 1035 §4.1.4).
        assert!(bytes.len() <= 50, "{} octets", bytes.len());
        assert_eq!(
            decode_answer::<Mx>(&bytes, "example.com"),
            Ok(Answer::Records(vec![Mx { preference: 10, exchange: "mx.example.com".to_string() }]))
        );
        let ptr = Rr::PTR(PTR(fqdn("host.example.com").expect("name")));
        let rev = "7.2.0.192.in-addr.arpa";
        let bytes = response(rev, ResponseCode::NoError, vec![rec(rev, ptr)]);
        assert_eq!(decode_answer::<String>(&bytes, rev), Ok(Answer::Records(vec!["host.example.com".to_string()])));
    }

    #[test]
    fn other_types_and_sections_are_skipped_but_framed() {
        let mut msg = Message::new(0, MessageType::Response, OpCode::Query);
        msg.add_query(Query::query(fqdn("x.example").expect("name"), WireType::TXT));
        let txt = Rr::TXT(TXT::new(vec!["v=spf1 -all".to_string()]));
        let caa = Rr::CAA(CAA::new_issue(false, None, vec![]));
        msg.answers = vec![rec("x.example", caa), rec("x.example", txt)];
        let soa =
            Rr::SOA(SOA::new(fqdn("ns.example").expect("name"), fqdn("root.example").expect("name"), 1, 2, 3, 4, 5));
        msg.authorities = vec![rec("example", soa)];
        let bytes = msg.to_vec().expect("encode");
        assert_eq!(decode_answer::<Vec<u8>>(&bytes, "x.example"), Ok(Answer::Records(vec![b"v=spf1 -all".to_vec()])));
        // Every prefix of the message is cut inside some field: an error,
        // never a panic, never a partial answer.
        for cut in 0..bytes.len() {
            assert!(
                matches!(decode_answer::<Vec<u8>>(&bytes[..cut], "x.example"), Err(LookupError::Other(_))),
                "cut at {cut}"
            );
        }
    }

    /// The answer to an A question for x.example with one A record whose
    /// RDLENGTH is `rdlength` followed by `rdata`.
    fn raw_a_answer(rdlength: u16, rdata: &[u8]) -> Vec<u8> {
        let mut bytes = response("x.example", ResponseCode::NoError, vec![]);
        bytes[7] = 1; // ANCOUNT
        bytes.extend_from_slice(&[0xc0, 12]); // the question's name
        bytes.extend_from_slice(&[0, 1, 0, 1, 0, 0, 1, 44]); // A, IN, TTL 300
        bytes.extend_from_slice(&rdlength.to_be_bytes());
        bytes.extend_from_slice(rdata);
        bytes
    }

    #[test]
    fn rfc1035_section_4_1_3_rdlength_must_match_the_rdata() {
        assert_eq!(
            decode_answer::<Ipv4Addr>(&raw_a_answer(4, &[192, 0, 2, 1]), "x.example"),
            Ok(Answer::Records(vec![Ipv4Addr::new(192, 0, 2, 1)]))
        );
        for (len, rdata) in [(5, &[192, 0, 2, 1, 9][..]), (3, &[192, 0, 2, 1][..])] {
            match decode_answer::<Ipv4Addr>(&raw_a_answer(len, rdata), "x.example") {
                Err(LookupError::Other(m)) => assert!(m.contains("malformed"), "{m}"),
                other => panic!("RDLENGTH {len}: {other:?}"),
            }
        }
        // An RDLENGTH past the end of the message.
        assert!(matches!(
            decode_answer::<Ipv4Addr>(&raw_a_answer(40, &[192, 0, 2, 1]), "x.example"),
            Err(LookupError::Other(_))
        ));
    }

    #[test]
    fn rfc6891_section_6_1_3_extended_rcode_comes_from_opt() {
        let mut bytes = response("x.example", ResponseCode::NoError, vec![]);
        bytes[11] = 1; // ARCOUNT
        // OPT: root owner, type 41, payload 4096, EXTENDED-RCODE 1, no options.
        bytes.extend_from_slice(&[0, 0, 41, 0x10, 0, 1, 0, 0, 0, 0, 0]);
        // RCODE 0 with EXTENDED-RCODE 1 is 16, BADVERS: not a void answer.
        match decode_answer::<Ipv4Addr>(&bytes, "x.example") {
            Err(LookupError::Other(m)) => assert!(m.contains("DNS answer code"), "{m}"),
            other => panic!("{other:?}"),
        }
        // EXTENDED-RCODE 0 leaves NOERROR as it is.
        let ext = bytes.len() - 6;
        bytes[ext] = 0;
        assert_eq!(decode_answer::<Ipv4Addr>(&bytes, "x.example"), Err(LookupError::NoData));
        // Two OPT records, or an OPT in the answer section, are malformed.
        let mut twice = bytes.clone();
        twice[11] = 2;
        twice.extend_from_slice(&[0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0]);
        assert!(matches!(decode_answer::<Ipv4Addr>(&twice, "x.example"), Err(LookupError::Other(_))));
        let mut in_answer = bytes;
        in_answer[7] = 1;
        in_answer[11] = 0;
        assert!(matches!(decode_answer::<Ipv4Addr>(&in_answer, "x.example"), Err(LookupError::Other(_))));
    }
}
