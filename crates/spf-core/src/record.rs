//! SPF records (§4.5, §4.6, §12): types shaped on the ABNF, a nom parser with
//! one function per rule, and a canonical `Display`.
//!
//! The whole record is parsed before any of it is evaluated (§4.6: "If there
//! are any syntax errors anywhere in the record, check_host() returns
//! immediately with the result "permerror", without further interpretation").

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use ipnet::{Ipv4Net, Ipv6Net};
use nom::bytes::complete::{tag_no_case, take_while, take_while1};
use nom::character::complete::{char, satisfy};
use nom::combinator::{opt, recognize};
use nom::sequence::preceded;
use nom::{IResult, Parser};
use serde::{Deserialize, Serialize};

use crate::error::SyntaxError;
pub use crate::macros::{MacroExpand, MacroLetter, MacroString, MacroToken};
use crate::macros::{bad_macro_reason, macro_string};
use crate::result::Qualifier;

/// A parsed SPF record: `v=spf1` and its terms, in order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Record {
    /// The terms, as written.
    pub terms: Vec<Term>,
}

/// `term = directive / modifier`
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Term {
    /// A qualified mechanism.
    Directive(Directive),
    /// `name=value`.
    Modifier(Modifier),
}

/// `directive = [ qualifier ] mechanism`
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Directive {
    /// As written; `None` means the default `+`.
    pub qualifier: Option<Qualifier>,
    /// The mechanism.
    pub mechanism: Mechanism,
}

impl Directive {
    /// The effective qualifier (§4.6.2: default `+`).
    #[must_use]
    pub fn qualifier(&self) -> Qualifier {
        self.qualifier.unwrap_or(Qualifier::Pass)
    }
}

/// The eight mechanisms (§5).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Mechanism {
    /// §5.1 `all`
    All,
    /// §5.2 `include:<domain-spec>`
    Include(DomainSpec),
    /// §5.3 `a[:<domain-spec>][<dual-cidr-length>]`
    A {
        /// The target (default: the current domain).
        domain: Option<DomainSpec>,
        /// Prefix lengths.
        cidr: DualCidrLength,
    },
    /// §5.4 `mx[:<domain-spec>][<dual-cidr-length>]`
    Mx {
        /// The target (default: the current domain).
        domain: Option<DomainSpec>,
        /// Prefix lengths.
        cidr: DualCidrLength,
    },
    /// §5.5 `ptr[:<domain-spec>]` (do not use)
    Ptr(Option<DomainSpec>),
    /// §5.6 `ip4:<ip4-network>[<ip4-cidr-length>]`
    Ip4(Ipv4Net),
    /// §5.6 `ip6:<ip6-network>[<ip6-cidr-length>]`
    Ip6(Ipv6Net),
    /// §5.7 `exists:<domain-spec>`
    Exists(DomainSpec),
}

impl Mechanism {
    /// Whether evaluating it queries DNS (and so counts toward §4.6.4's limit).
    #[must_use]
    pub fn queries_dns(&self) -> bool {
        !matches!(self, Self::All | Self::Ip4(_) | Self::Ip6(_))
    }

    /// The mechanism's name, lower case.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Include(_) => "include",
            Self::A { .. } => "a",
            Self::Mx { .. } => "mx",
            Self::Ptr(_) => "ptr",
            Self::Ip4(_) => "ip4",
            Self::Ip6(_) => "ip6",
            Self::Exists(_) => "exists",
        }
    }
}

/// `dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr-length ]`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct DualCidrLength {
    /// IPv4 prefix length (default 32).
    pub ip4: Option<u8>,
    /// IPv6 prefix length (default 128).
    pub ip6: Option<u8>,
}

impl DualCidrLength {
    /// The IPv4 prefix length in force.
    #[must_use]
    pub fn v4(&self) -> u8 {
        self.ip4.unwrap_or(32)
    }
    /// The IPv6 prefix length in force.
    #[must_use]
    pub fn v6(&self) -> u8 {
        self.ip6.unwrap_or(128)
    }
}

/// `modifier = redirect / explanation / unknown-modifier`
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Modifier {
    /// §6.1 `redirect=<domain-spec>`
    Redirect(DomainSpec),
    /// §6.2 `exp=<domain-spec>`
    Explanation(DomainSpec),
    /// §6: any other `name=macro-string`, ignored.
    Unknown {
        /// The name as written.
        name: String,
        /// The value.
        value: MacroString,
    },
}

/// `domain-spec = macro-string domain-end`
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DomainSpec(pub MacroString);

impl Record {
    /// Whether `text` is an SPF record at all (§4.5: it begins with
    /// "v=spf1" followed by SP or the end of the record).
    #[must_use]
    pub fn is_spf(text: &[u8]) -> bool {
        // ABNF string literals are case-insensitive (RFC 5234 §2.3).
        text.len() >= 6 && text[..6].eq_ignore_ascii_case(b"v=spf1") && (text.len() == 6 || text[6] == b' ')
    }

    /// Parses a whole record.
    ///
    /// # Errors
    /// A [`SyntaxError`] naming the offending term.
    pub fn parse(text: &str) -> Result<Self, SyntaxError> {
        record(text)
    }

    /// Parses a record given as bytes (as TXT data arrives).
    ///
    /// # Errors
    /// A [`SyntaxError`]: §3.1 records are 7-bit ASCII; anything else is a syntax error.
    pub fn parse_bytes(bytes: &[u8]) -> Result<Self, SyntaxError> {
        match std::str::from_utf8(bytes) {
            Ok(s) => Self::parse(s),
            Err(_) => {
                let text = String::from_utf8_lossy(bytes);
                let term = text.split(' ').find(|t| t.contains('\u{fffd}')).unwrap_or(&text).to_string();
                Err(SyntaxError { term, reason: "non-ASCII bytes".to_string() })
            }
        }
    }

    /// The directives, in order.
    pub fn directives(&self) -> impl Iterator<Item = &Directive> {
        self.terms.iter().filter_map(|t| match t {
            Term::Directive(d) => Some(d),
            Term::Modifier(_) => None,
        })
    }

    /// The `redirect=` modifier, if any.
    #[must_use]
    pub fn redirect(&self) -> Option<&DomainSpec> {
        self.terms.iter().find_map(|t| match t {
            Term::Modifier(Modifier::Redirect(d)) => Some(d),
            _ => None,
        })
    }

    /// The `exp=` modifier, if any.
    #[must_use]
    pub fn explanation(&self) -> Option<&DomainSpec> {
        self.terms.iter().find_map(|t| match t {
            Term::Modifier(Modifier::Explanation(d)) => Some(d),
            _ => None,
        })
    }

    /// Whether an `all` mechanism appears anywhere (which voids `redirect=`, §6.1).
    #[must_use]
    pub fn has_all(&self) -> bool {
        self.directives().any(|d| d.mechanism == Mechanism::All)
    }
}

impl FromStr for Record {
    type Err = SyntaxError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

fn err(term: &str, reason: impl Into<String>) -> SyntaxError {
    SyntaxError { term: term.to_string(), reason: reason.into() }
}

/// `record = version terms *SP`, term by term so errors name the term.
fn record(text: &str) -> Result<Record, SyntaxError> {
    let Ok((mut rest, ())) = version(text) else {
        return Err(err("", "record does not begin with \"v=spf1\""));
    };
    let mut terms = Vec::new();
    let mut redirects = 0;
    let mut exps = 0;
    loop {
        // terms = *( 1*SP ( directive / modifier ) ), then *SP
        let after_sp = rest.trim_start_matches(' ');
        if after_sp.is_empty() {
            break;
        }
        if after_sp.len() == rest.len() {
            // Only possible right after a term: something glued to it that is not SP.
            return Err(err(rest, "terms must be separated by spaces"));
        }
        let end = after_sp.find(' ').unwrap_or(after_sp.len());
        let (text, tail) = after_sp.split_at(end);
        let t = term(text)?;
        match &t {
            Term::Modifier(Modifier::Redirect(_)) => redirects += 1,
            Term::Modifier(Modifier::Explanation(_)) => exps += 1,
            _ => {}
        }
        // §6: 'The modifiers defined in this document ("redirect" and "exp")
        // MAY appear anywhere in the record, but SHOULD appear at the end,
        // after all mechanisms. ... these two modifiers MUST NOT appear in a
        // record more than once each. If they do, then check_host() exits
        // with a result of "permerror".'
        if redirects > 1 || exps > 1 {
            return Err(err(text, "modifier appears more than once"));
        }
        terms.push(t);
        rest = tail;
    }
    Ok(Record { terms })
}

/// `version = "v=spf1"`, followed by SP or the end.
fn version(i: &str) -> IResult<&str, ()> {
    let (rest, _) = tag_no_case("v=spf1").parse(i)?;
    if rest.is_empty() || rest.starts_with(' ') {
        Ok((rest, ()))
    } else {
        Err(nom::Err::Error(nom::error::Error::new(rest, nom::error::ErrorKind::Tag)))
    }
}

/// One term (a run of non-SP characters): `directive / modifier`.
fn term(text: &str) -> Result<Term, SyntaxError> {
    if let Some(c) = text.chars().find(|c| !c.is_ascii() || c.is_ascii_control()) {
        // §3.1 / §12: records are made of printable 7-bit ASCII.
        return Err(err(text, format!("invalid character {c:?}")));
    }
    if let Ok((value, n)) = modifier_name(text) {
        return modifier(n, value).map(Term::Modifier).map_err(|reason| err(text, reason));
    }
    directive(text).map(Term::Directive).map_err(|reason| err(text, reason))
}

/// `name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )`, then `"="`.
fn modifier_name(i: &str) -> IResult<&str, &str> {
    let (rest, n) = name(i)?;
    let (rest, _) = char('=').parse(rest)?;
    Ok((rest, n))
}

/// `name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )`
fn name(i: &str) -> IResult<&str, &str> {
    recognize((
        satisfy(|c| c.is_ascii_alphabetic()),
        take_while(|c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')),
    ))
    .parse(i)
}

/// `modifier = redirect / explanation / unknown-modifier`
fn modifier(n: &str, value: &str) -> Result<Modifier, String> {
    if n.eq_ignore_ascii_case("redirect") {
        // redirect = "redirect" "=" domain-spec
        return whole_domain_spec(value).map(Modifier::Redirect);
    }
    if n.eq_ignore_ascii_case("exp") {
        // explanation = "exp" "=" domain-spec
        return whole_domain_spec(value).map(Modifier::Explanation);
    }
    // unknown-modifier = name "=" macro-string
    match macro_string(value) {
        Ok(("", v)) => Ok(Modifier::Unknown { name: n.to_string(), value: v }),
        Ok((rest, _)) => Err(bad_macro_reason(rest)),
        Err(_) => Err("unreadable modifier value".to_string()),
    }
}

/// `qualifier = "+" / "-" / "?" / "~"`
fn qualifier(i: &str) -> IResult<&str, Option<Qualifier>> {
    opt(nom::combinator::map(satisfy(|c| matches!(c, '+' | '-' | '?' | '~')), |c| match c {
        '+' => Qualifier::Pass,
        '-' => Qualifier::Fail,
        '~' => Qualifier::Softfail,
        _ => Qualifier::Neutral,
    }))
    .parse(i)
}

/// `directive = [ qualifier ] mechanism`
fn directive(text: &str) -> Result<Directive, String> {
    let (rest, qualifier) = qualifier(text).map_err(|_| "unreadable qualifier".to_string())?;
    let mechanism = mechanism(rest)?;
    Ok(Directive { qualifier, mechanism })
}

/// `mechanism = ( all / include / a / mx / ptr / ip4 / ip6 / exists )`,
/// dispatched on the name (case-insensitive) so errors can be specific.
fn mechanism(i: &str) -> Result<Mechanism, String> {
    let (args, mech_name) = take_while1::<_, _, nom::error::Error<&str>>(|c: char| c.is_ascii_alphanumeric())
        .parse(i)
        .map_err(|_| "missing mechanism".to_string())?;
    match mech_name.to_ascii_lowercase().as_str() {
        "all" => all(args),
        "include" => include(args),
        "a" => a(args),
        "mx" => mx(args),
        "ptr" => ptr(args),
        "ip4" => ip4(args),
        "ip6" => ip6(args),
        "exists" => exists(args),
        _ => Err(format!("unknown mechanism {mech_name:?}")),
    }
}

/// `all = "all"`
fn all(args: &str) -> Result<Mechanism, String> {
    if args.is_empty() { Ok(Mechanism::All) } else { Err("\"all\" takes no arguments".to_string()) }
}

/// `include = "include" ":" domain-spec`
fn include(args: &str) -> Result<Mechanism, String> {
    let spec = args.strip_prefix(':').ok_or("include needs \":domain\"")?;
    whole_domain_spec(spec).map(Mechanism::Include)
}

/// `exists = "exists" ":" domain-spec`
fn exists(args: &str) -> Result<Mechanism, String> {
    let spec = args.strip_prefix(':').ok_or("exists needs \":domain\"")?;
    whole_domain_spec(spec).map(Mechanism::Exists)
}

/// `a = "a" [ ":" domain-spec ] [ dual-cidr-length ]`
fn a(args: &str) -> Result<Mechanism, String> {
    let (domain, cidr) = domain_and_cidr(args)?;
    Ok(Mechanism::A { domain, cidr })
}

/// `mx = "mx" [ ":" domain-spec ] [ dual-cidr-length ]`
fn mx(args: &str) -> Result<Mechanism, String> {
    let (domain, cidr) = domain_and_cidr(args)?;
    Ok(Mechanism::Mx { domain, cidr })
}

/// `ptr = "ptr" [ ":" domain-spec ]`
fn ptr(args: &str) -> Result<Mechanism, String> {
    if args.is_empty() {
        return Ok(Mechanism::Ptr(None));
    }
    let spec = args.strip_prefix(':').ok_or("ptr takes only \":domain\"")?;
    whole_domain_spec(spec).map(|d| Mechanism::Ptr(Some(d)))
}

/// `ip4 = "ip4" ":" ip4-network [ ip4-cidr-length ]`
fn ip4(args: &str) -> Result<Mechanism, String> {
    let spec = args.strip_prefix(':').ok_or("ip4 needs \":network\"")?;
    let (rest, addr) = ip4_network(spec).map_err(|_| format!("invalid IPv4 network {spec:?}"))?;
    let (rest, len) = opt(ip4_cidr_length).parse(rest).map_err(|_| "invalid IPv4 prefix length".to_string())?;
    if !rest.is_empty() {
        return Err(format!("invalid IPv4 network {spec:?}"));
    }
    let net = Ipv4Net::new(addr, len.unwrap_or(32)).map_err(|_| "invalid IPv4 prefix length".to_string())?;
    Ok(Mechanism::Ip4(net))
}

/// `ip6 = "ip6" ":" ip6-network [ ip6-cidr-length ]`
fn ip6(args: &str) -> Result<Mechanism, String> {
    let spec = args.strip_prefix(':').ok_or("ip6 needs \":network\"")?;
    let (rest, addr) = ip6_network(spec).map_err(|_| format!("invalid IPv6 network {spec:?}"))?;
    let (rest, len) = opt(ip6_cidr_length).parse(rest).map_err(|_| "invalid IPv6 prefix length".to_string())?;
    if !rest.is_empty() {
        return Err(format!("invalid IPv6 network {spec:?}"));
    }
    let net = Ipv6Net::new(addr, len.unwrap_or(128)).map_err(|_| "invalid IPv6 prefix length".to_string())?;
    Ok(Mechanism::Ip6(net))
}

/// The optional `":" domain-spec` and `dual-cidr-length` of `a` and `mx`.
///
/// A domain-spec may itself contain "/" (it is a macro-literal), so the
/// cidr suffix is the left-most "/" from which the rest of the term reads
/// as a dual-cidr-length.
fn domain_and_cidr(args: &str) -> Result<(Option<DomainSpec>, DualCidrLength), String> {
    let cidr_at =
        |s: &str| s.match_indices('/').map(|(p, _)| p).find(|&p| matches!(dual_cidr_length(&s[p..]), Ok(("", _))));
    if let Some(spec_and_cidr) = args.strip_prefix(':') {
        let (spec, cidr) = match cidr_at(spec_and_cidr) {
            Some(p) => (&spec_and_cidr[..p], dual_cidr_length(&spec_and_cidr[p..]).map(|(_, c)| c).unwrap_or_default()),
            None => (spec_and_cidr, DualCidrLength::default()),
        };
        return Ok((Some(whole_domain_spec(spec)?), cidr));
    }
    if args.is_empty() {
        return Ok((None, DualCidrLength::default()));
    }
    match dual_cidr_length(args) {
        Ok(("", cidr)) => Ok((None, cidr)),
        _ => Err(format!("invalid prefix length {args:?}")),
    }
}

/// `dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr-length ]`
fn dual_cidr_length(i: &str) -> IResult<&str, DualCidrLength> {
    let (i, ip4) = opt(ip4_cidr_length).parse(i)?;
    let (i, ip6) = opt(preceded(char('/'), ip6_cidr_length)).parse(i)?;
    Ok((i, DualCidrLength { ip4, ip6 }))
}

/// A prefix length: "/" then "0" or a number without leading zero, at most `max`.
fn cidr_length(i: &str, max: u8, max_digits: usize) -> IResult<&str, u8> {
    let fail = |at| nom::Err::Error(nom::error::Error::new(at, nom::error::ErrorKind::Digit));
    let (rest, _) = char('/').parse(i)?;
    let (rest, digits) = take_while1(|c: char| c.is_ascii_digit()).parse(rest)?;
    if digits.len() > max_digits || (digits.len() > 1 && digits.starts_with('0')) {
        return Err(fail(i));
    }
    match digits.parse::<u8>() {
        Ok(n) if n <= max => Ok((rest, n)),
        _ => Err(fail(i)),
    }
}

/// `ip4-cidr-length = "/" ("0" / %x31-39 0*1DIGIT) ; value range 0-32`
fn ip4_cidr_length(i: &str) -> IResult<&str, u8> {
    cidr_length(i, 32, 2)
}

/// `ip6-cidr-length = "/" ("0" / %x31-39 0*2DIGIT) ; value range 0-128`
fn ip6_cidr_length(i: &str) -> IResult<&str, u8> {
    cidr_length(i, 128, 3)
}

/// `qnum = DIGIT / %x31-39 DIGIT / "1" 2DIGIT / "2" %x30-34 DIGIT / "25" %x30-35`
fn qnum(i: &str) -> IResult<&str, u8> {
    let (rest, digits) = take_while1(|c: char| c.is_ascii_digit()).parse(i)?;
    if digits.len() > 3 || (digits.len() > 1 && digits.starts_with('0')) {
        return Err(nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Digit)));
    }
    match digits.parse::<u8>() {
        Ok(n) => Ok((rest, n)),
        Err(_) => Err(nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Digit))),
    }
}

/// `ip4-network = qnum "." qnum "." qnum "." qnum`
fn ip4_network(i: &str) -> IResult<&str, Ipv4Addr> {
    let (i, (a, _, b, _, c, _, d)) = (qnum, char('.'), qnum, char('.'), qnum, char('.'), qnum).parse(i)?;
    Ok((i, Ipv4Addr::new(a, b, c, d)))
}

/// `ip6-network = <as per [RFC4291], section 2.2>`
fn ip6_network(i: &str) -> IResult<&str, Ipv6Addr> {
    let (rest, text) = take_while1(|c: char| c.is_ascii_hexdigit() || c == ':' || c == '.').parse(i)?;
    match text.parse::<Ipv6Addr>() {
        Ok(addr) => Ok((rest, addr)),
        Err(_) => Err(nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Verify))),
    }
}

/// `domain-spec = macro-string domain-end`, the whole of `text`.
fn whole_domain_spec(text: &str) -> Result<DomainSpec, String> {
    match domain_spec(text) {
        // §7.2: 'The following macro letters are allowed only in "exp" text: c, r, t'
        Ok(("", d)) => match d.0.explanation_only_letter() {
            Some(letter) => Err(format!("macro %{{{letter}}} is only allowed in exp= text")),
            None => Ok(d),
        },
        Ok((rest, _)) => Err(bad_macro_reason(rest)),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) if e.input.is_empty() && text.is_empty() => {
            Err("empty domain".to_string())
        }
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) if e.code == nom::error::ErrorKind::Verify => {
            Err(format!("{text:?} does not end in a valid top-level label or macro"))
        }
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(bad_macro_reason(e.input)),
        Err(nom::Err::Incomplete(_)) => Err("incomplete domain".to_string()),
    }
}

/// `domain-spec = macro-string domain-end`
fn domain_spec(i: &str) -> IResult<&str, DomainSpec> {
    let (rest, ms) = crate::macros::macro_string1(i)?;
    if !domain_end(&ms) {
        return Err(nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Verify)));
    }
    Ok((rest, DomainSpec(ms)))
}

/// `domain-end = ( "." toplabel [ "." ] ) / macro-expand`
fn domain_end(ms: &MacroString) -> bool {
    match ms.tokens.last() {
        Some(MacroToken::Literal(s)) => {
            let s = s.strip_suffix('.').unwrap_or(s);
            match s.rfind('.') {
                Some(dot) => toplabel(&s[dot + 1..]),
                // A literal such as ".com" right after a macro has its dot at 0;
                // without any dot the literal cannot end the domain.
                None => false,
            }
        }
        Some(_) => true,
        None => false,
    }
}

/// `toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )`
fn toplabel(label: &str) -> bool {
    let b = label.as_bytes();
    if b.is_empty() || !b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-') {
        return false;
    }
    if !label.contains('-') {
        return b.iter().any(u8::is_ascii_alphabetic);
    }
    b[0].is_ascii_alphanumeric() && b[b.len() - 1].is_ascii_alphanumeric()
}

impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("v=spf1")?;
        for t in &self.terms {
            write!(f, " {t}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Directive(d) => d.fmt(f),
            Self::Modifier(m) => m.fmt(f),
        }
    }
}

impl fmt::Display for Directive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(q) = self.qualifier {
            write!(f, "{}", q.symbol())?;
        }
        self.mechanism.fmt(f)
    }
}

impl fmt::Display for DualCidrLength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(l) = self.ip4 {
            write!(f, "/{l}")?;
        }
        if let Some(l) = self.ip6 {
            write!(f, "//{l}")?;
        }
        Ok(())
    }
}

impl fmt::Display for DomainSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.name();
        match self {
            Self::All => f.write_str(name),
            Self::Include(d) | Self::Exists(d) => write!(f, "{name}:{d}"),
            Self::A { domain, cidr } | Self::Mx { domain, cidr } => {
                f.write_str(name)?;
                if let Some(d) = domain {
                    write!(f, ":{d}")?;
                }
                write!(f, "{cidr}")
            }
            Self::Ptr(d) => match d {
                Some(d) => write!(f, "{name}:{d}"),
                None => f.write_str(name),
            },
            Self::Ip4(net) if net.prefix_len() == 32 => write!(f, "ip4:{}", net.addr()),
            Self::Ip4(net) => write!(f, "ip4:{}/{}", net.addr(), net.prefix_len()),
            Self::Ip6(net) if net.prefix_len() == 128 => write!(f, "ip6:{}", net.addr()),
            Self::Ip6(net) => write!(f, "ip6:{}/{}", net.addr(), net.prefix_len()),
        }
    }
}

impl fmt::Display for Modifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Redirect(d) => write!(f, "redirect={d}"),
            Self::Explanation(d) => write!(f, "exp={d}"),
            Self::Unknown { name, value } => write!(f, "{name}={value}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Record {
        Record::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn parses_every_mechanism_and_round_trips() {
        let text = "v=spf1 +all -include:_spf.example.com ~a ?a:%{d}/24//64 mx mx:mail.example.com//0 ptr \
                    ptr:example.org. ip4:192.0.2.0/24 ip6:2001:db8::/32 exists:%{ir}.%{v}._spf.%{d2} \
                    redirect=_spf.example.net exp=explain.%{d} x-foo=bar%{l}";
        let r = ok(text);
        assert_eq!(r.terms.len(), 14);
        let printed = r.to_string();
        assert_eq!(ok(&printed), r);
    }

    #[test]
    fn names_are_case_insensitive() {
        let r = ok("V=SPF1 A:Example.COM MX INCLUDE:foo.example Redirect=x.example");
        assert_eq!(r.to_string(), "v=spf1 a:Example.COM mx include:foo.example redirect=x.example");
    }

    #[test]
    fn errors_name_the_term() {
        for (rec, bad) in [
            ("v=spf1 ip4:1.2.3.4/33 -all", "ip4:1.2.3.4/33"),
            ("v=spf1 a:foo -all", "a:foo"),
            ("v=spf1 include: -all", "include:"),
            ("v=spf1 exists:%{x}.example.com", "exists:%{x}.example.com"),
            ("v=spf1 foo -all", "foo"),
            ("v=spf1 -all redirect=a.example redirect=b.example", "redirect=b.example"),
            ("v=spf1 a:example.com/024", "a:example.com/024"),
            ("v=spf1 ip4:01.2.3.4", "ip4:01.2.3.4"),
            ("v=spf1 exists:%{t}.example.com", "exists:%{t}.example.com"),
        ] {
            let e = Record::parse(rec).unwrap_err();
            assert_eq!(e.term, bad, "{rec}: {e}");
            if bad.contains("%{t}") {
                assert!(e.reason.contains("only allowed in exp= text"), "{e}");
            }
        }
    }

    #[test]
    fn spf_record_selection() {
        assert!(Record::is_spf(b"v=spf1"));
        assert!(Record::is_spf(b"v=spf1 -all"));
        assert!(Record::is_spf(b"V=SPF1 -all"));
        assert!(!Record::is_spf(b"v=spf10"));
        assert!(!Record::is_spf(b"v=spf1-all"));
        assert!(!Record::is_spf(b" v=spf1"));
    }

    #[test]
    fn toplabels() {
        assert!(toplabel("com"));
        assert!(toplabel("e-t"));
        assert!(toplabel("1-2"));
        assert!(toplabel("x9"));
        assert!(!toplabel("123"));
        assert!(!toplabel("-xy"));
        assert!(!toplabel("xy-"));
        assert!(!toplabel(""));
    }

    #[test]
    fn domain_spec_may_contain_slash() {
        let r = ok("v=spf1 a:foo/bar.example.com/24");
        assert_eq!(r.to_string(), "v=spf1 a:foo/bar.example.com/24");
    }
}
