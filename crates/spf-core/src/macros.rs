//! Macros (§7): the macro-string grammar and its expansion.
//!
//! Parsing is pure; expansion needs the evaluation's context
//! ([`MacroContext`]). `%{p}` needs DNS and is resolved by the evaluator
//! before expansion, which receives it as [`MacroContext::validated_name`].

use std::fmt::{self, Write as _};
use std::net::IpAddr;

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while1};
use nom::character::complete::{char, digit0, one_of, satisfy};
use nom::combinator::{map, map_res, opt, value};
use nom::multi::{many0, many1};
use nom::sequence::delimited;
use nom::{IResult, Parser};
use serde::{Deserialize, Serialize};

use crate::error::SyntaxError;

/// A macro letter (§7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MacroLetter {
    /// `s`: `<sender>`
    Sender,
    /// `l`: local-part of `<sender>`
    LocalPart,
    /// `o`: domain of `<sender>`
    SenderDomain,
    /// `d`: `<domain>`
    Domain,
    /// `i`: `<ip>` (dotted, nibbles for IPv6)
    Ip,
    /// `p`: the validated domain name of `<ip>` (do not use)
    ValidatedName,
    /// `v`: `in-addr` or `ip6`
    IpVersion,
    /// `h`: HELO/EHLO domain
    Helo,
    /// `c`: SMTP client IP, readable form (explanations only)
    ClientIp,
    /// `r`: domain name of the host performing the check (explanations only)
    Receiver,
    /// `t`: current timestamp (explanations only)
    Timestamp,
}

impl MacroLetter {
    fn from_char(c: char) -> Option<Self> {
        Some(match c.to_ascii_lowercase() {
            's' => Self::Sender,
            'l' => Self::LocalPart,
            'o' => Self::SenderDomain,
            'd' => Self::Domain,
            'i' => Self::Ip,
            'p' => Self::ValidatedName,
            'v' => Self::IpVersion,
            'h' => Self::Helo,
            'c' => Self::ClientIp,
            'r' => Self::Receiver,
            't' => Self::Timestamp,
            _ => return None,
        })
    }

    /// The letter, lower case.
    #[must_use]
    pub fn as_char(self) -> char {
        match self {
            Self::Sender => 's',
            Self::LocalPart => 'l',
            Self::SenderDomain => 'o',
            Self::Domain => 'd',
            Self::Ip => 'i',
            Self::ValidatedName => 'p',
            Self::IpVersion => 'v',
            Self::Helo => 'h',
            Self::ClientIp => 'c',
            Self::Receiver => 'r',
            Self::Timestamp => 't',
        }
    }

    /// §7.2: "The following macro letters are allowed only in "exp" text: c, r, t".
    #[must_use]
    pub fn explanation_only(self) -> bool {
        matches!(self, Self::ClientIp | Self::Receiver | Self::Timestamp)
    }
}

/// `%{` letter transformers delimiters `}` (§7.1).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MacroExpand {
    /// The letter.
    pub letter: MacroLetter,
    /// Written in upper case: URL-escape the value (§7.3).
    pub url_escape: bool,
    /// Keep this many right-hand parts (never 0; saturates on huge input).
    pub digits: Option<u32>,
    /// The `r` transformer: reverse the parts.
    pub reverse: bool,
    /// Delimiters to split on (default `.`).
    pub delimiters: String,
}

/// One piece of a macro-string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MacroToken {
    /// Literal characters (macro-literal, or SP in explain-strings).
    Literal(String),
    /// A `%{...}` expansion.
    Expand(MacroExpand),
    /// `%%`: a literal `%`.
    Percent,
    /// `%_`: a space.
    Space,
    /// `%-`: the URL-encoded space `%20`.
    UrlSpace,
}

/// A macro-string (§7.1) or explain-string (§6.2).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct MacroString {
    /// Its tokens, adjacent literals merged.
    pub tokens: Vec<MacroToken>,
}

fn is_macro_literal(c: char) -> bool {
    // macro-literal = %x21-24 / %x26-7E ; visible characters except "%"
    matches!(c, '\x21'..='\x24' | '\x26'..='\x7e')
}

fn is_delimiter(c: char) -> bool {
    matches!(c, '.' | '-' | '+' | ',' | '/' | '_' | '=')
}

/// `macro-letter`
fn macro_letter(i: &str) -> IResult<&str, (MacroLetter, bool)> {
    map_res(satisfy(|c| c.is_ascii_alphabetic()), |c: char| {
        MacroLetter::from_char(c).map(|l| (l, c.is_ascii_uppercase())).ok_or(())
    })
    .parse(i)
}

/// `transformers = *DIGIT [ "r" ]`
fn transformers(i: &str) -> IResult<&str, (Option<u32>, bool)> {
    let (i, digits) = map_res(digit0, |d: &str| -> Result<Option<u32>, ()> {
        if d.is_empty() {
            return Ok(None);
        }
        // §7.3: "If a DIGIT is specified, the value MUST be nonzero."
        let n = d.bytes().fold(0u32, |acc, b| acc.saturating_mul(10).saturating_add(u32::from(b - b'0')));
        if n == 0 { Err(()) } else { Ok(Some(n)) }
    })
    .parse(i)?;
    let (i, r) = opt(one_of("rR")).parse(i)?;
    Ok((i, (digits, r.is_some())))
}

/// `delimiter`
fn delimiter(i: &str) -> IResult<&str, char> {
    satisfy(is_delimiter).parse(i)
}

/// `macro-expand = ( "%{" macro-letter transformers *delimiter "}" ) / "%%" / "%_" / "%-"`
fn macro_expand(i: &str) -> IResult<&str, MacroToken> {
    alt((
        map(
            delimited(tag("%{"), (macro_letter, transformers, many0(delimiter)), char('}')),
            |((letter, url_escape), (digits, reverse), delims)| {
                MacroToken::Expand(MacroExpand {
                    letter,
                    url_escape,
                    digits,
                    reverse,
                    delimiters: delims.into_iter().collect(),
                })
            },
        ),
        value(MacroToken::Percent, tag("%%")),
        value(MacroToken::Space, tag("%_")),
        value(MacroToken::UrlSpace, tag("%-")),
    ))
    .parse(i)
}

/// `macro-literal` (a run of them)
fn macro_literal(i: &str) -> IResult<&str, MacroToken> {
    map(take_while1(is_macro_literal), |s: &str| MacroToken::Literal(s.to_string())).parse(i)
}

/// `macro-string = *( macro-expand / macro-literal )`
pub fn macro_string(i: &str) -> IResult<&str, MacroString> {
    map(many0(alt((macro_expand, macro_literal))), MacroString::from_tokens).parse(i)
}

/// `explain-string = *( macro-string / SP )`
pub fn explain_string(i: &str) -> IResult<&str, MacroString> {
    map(
        many0(alt((
            macro_expand,
            macro_literal,
            map(take_while1(|c| c == ' '), |s: &str| MacroToken::Literal(s.to_string())),
        ))),
        MacroString::from_tokens,
    )
    .parse(i)
}

/// One or more tokens (used where the grammar needs at least one).
pub(crate) fn macro_string1(i: &str) -> IResult<&str, MacroString> {
    map(many1(alt((macro_expand, macro_literal))), MacroString::from_tokens).parse(i)
}

impl MacroString {
    fn from_tokens(tokens: Vec<MacroToken>) -> Self {
        let mut merged: Vec<MacroToken> = Vec::with_capacity(tokens.len());
        for t in tokens {
            if let (MacroToken::Literal(new), Some(MacroToken::Literal(prev))) = (&t, merged.last_mut()) {
                prev.push_str(new);
                continue;
            }
            merged.push(t);
        }
        Self { tokens: merged }
    }

    /// Parses a whole macro-string (no spaces allowed).
    ///
    /// # Errors
    /// A [`SyntaxError`] naming the first unreadable part.
    pub fn parse(text: &str) -> Result<Self, SyntaxError> {
        whole(text, macro_string)
    }

    /// Parses a whole explain-string (spaces allowed), as an `exp=` TXT record.
    ///
    /// # Errors
    /// A [`SyntaxError`] naming the first unreadable part.
    pub fn parse_explanation(text: &str) -> Result<Self, SyntaxError> {
        whole(text, explain_string)
    }

    /// The first macro letter that is only allowed in explanations, if any.
    #[must_use]
    pub fn explanation_only_letter(&self) -> Option<char> {
        self.tokens.iter().find_map(|t| match t {
            MacroToken::Expand(e) if e.letter.explanation_only() => Some(e.letter.as_char()),
            _ => None,
        })
    }

    /// Whether the string uses `%{p}`.
    #[must_use]
    pub fn uses_validated_name(&self) -> bool {
        self.tokens.iter().any(|t| matches!(t, MacroToken::Expand(e) if e.letter == MacroLetter::ValidatedName))
    }

    /// Expands the string in `ctx` (§7.3, §7.4).
    #[must_use]
    pub fn expand(&self, ctx: &MacroContext<'_>) -> String {
        let mut out = String::new();
        for t in &self.tokens {
            match t {
                MacroToken::Literal(s) => out.push_str(s),
                MacroToken::Percent => out.push('%'),
                MacroToken::Space => out.push(' '),
                MacroToken::UrlSpace => out.push_str("%20"),
                MacroToken::Expand(e) => expand_one(e, ctx, &mut out),
            }
        }
        out
    }
}

fn whole(text: &str, p: fn(&str) -> IResult<&str, MacroString>) -> Result<MacroString, SyntaxError> {
    match p(text) {
        Ok(("", ms)) => Ok(ms),
        Ok((rest, _)) => Err(SyntaxError { term: text.to_string(), reason: bad_macro_reason(rest) }),
        Err(_) => Err(SyntaxError { term: text.to_string(), reason: "unreadable macro-string".to_string() }),
    }
}

/// Explains why a macro-string stopped at `rest`.
pub(crate) fn bad_macro_reason(rest: &str) -> String {
    let shown: String = rest.chars().take(12).collect();
    match rest.chars().next() {
        Some('%') => format!("invalid macro at {shown:?}"),
        Some(c) if !c.is_ascii() => format!("non-ASCII character {c:?}"),
        Some(c) if c.is_ascii_control() => format!("control character {:?}", c),
        Some(c) => format!("unexpected {c:?} at {shown:?}"),
        None => "unexpected end".to_string(),
    }
}

/// What macros expand to (§7.2).
#[derive(Debug, Clone)]
pub struct MacroContext<'a> {
    /// `<sender>` (`local@domain`).
    pub sender: &'a str,
    /// `<domain>`, the current domain.
    pub domain: &'a str,
    /// `<ip>`.
    pub ip: IpAddr,
    /// The HELO/EHLO domain.
    pub helo: &'a str,
    /// `%{r}`.
    pub receiver: &'a str,
    /// `%{t}`.
    pub timestamp: u64,
    /// `%{p}`, resolved beforehand by the evaluator (`unknown` if not validated).
    pub validated_name: Option<&'a str>,
}

impl MacroContext<'_> {
    fn local_part(&self) -> &str {
        self.sender.rsplit_once('@').map_or("postmaster", |(l, _)| l)
    }

    fn sender_domain(&self) -> &str {
        self.sender.rsplit_once('@').map_or(self.sender, |(_, d)| d)
    }
}

fn ip_dotted(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            // §7.3: 'For IPv6 addresses, the "i" macro expands to a dot-format
            // address; it is intended for use in %{ir}.' ("c" uses the colon
            // form; see ClientIp below.)
            let mut s = String::with_capacity(63);
            for (n, b) in v6.octets().iter().enumerate() {
                if n > 0 {
                    s.push('.');
                }
                // §7.3 does not fix the case of the nibbles (DNS names are
                // case-insensitive, and §7.4's example is lower case); we write
                // upper case, as the openspf suite expects in explanations
                // (rfc7208-tests.yml, v-macro-ip6).
                let _ = write!(s, "{:X}.{:X}", b >> 4, b & 0x0f);
            }
            s
        }
    }
}

fn expand_one(e: &MacroExpand, ctx: &MacroContext<'_>, out: &mut String) {
    let raw: String = match e.letter {
        MacroLetter::Sender => ctx.sender.to_string(),
        MacroLetter::LocalPart => ctx.local_part().to_string(),
        MacroLetter::SenderDomain => ctx.sender_domain().to_string(),
        MacroLetter::Domain => ctx.domain.to_string(),
        MacroLetter::Ip => ip_dotted(ctx.ip),
        MacroLetter::ValidatedName => ctx.validated_name.unwrap_or("unknown").to_string(),
        MacroLetter::IpVersion => match ctx.ip {
            IpAddr::V4(_) => "in-addr".to_string(),
            IpAddr::V6(_) => "ip6".to_string(),
        },
        MacroLetter::Helo => ctx.helo.to_string(),
        // §7.3: 'The "c" macro can expand to any of the hexadecimal
        // colon-format addresses specified in [RFC4291]' -- we use RFC 5952's.
        MacroLetter::ClientIp => ctx.ip.to_string(),
        MacroLetter::Receiver => ctx.receiver.to_string(),
        MacroLetter::Timestamp => ctx.timestamp.to_string(),
    };
    let transformed = transform(&raw, e);
    if e.url_escape {
        url_escape(&transformed, out);
    } else {
        out.push_str(&transformed);
    }
}

/// §7.3: split on the delimiters, optionally reverse, keep the right-most
/// `digits` parts, and join with ".".
fn transform(value: &str, e: &MacroExpand) -> String {
    if e.digits.is_none() && !e.reverse && e.delimiters.is_empty() {
        return value.to_string();
    }
    let delims: &str = if e.delimiters.is_empty() { "." } else { &e.delimiters };
    let mut parts: Vec<&str> = value.split(|c| delims.contains(c)).collect();
    if e.reverse {
        parts.reverse();
    }
    if let Some(n) = e.digits {
        let n = usize::try_from(n).unwrap_or(usize::MAX);
        if n < parts.len() {
            parts.drain(..parts.len() - n);
        }
    }
    parts.join(".")
}

/// §7.3: "Uppercase macros expand exactly as their lowercase equivalents,
/// and are then URL escaped" (RFC 3986 unreserved characters stay).
fn url_escape(s: &str, out: &mut String) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// §7.3: "if the expanded domain name exceeds 253 characters ..., the left
/// side is truncated to fit, by removing successive domain labels (and
/// their following dots) until the total length does not exceed 253".
#[must_use]
pub fn truncate_domain(name: &str) -> &str {
    let mut s = name;
    while s.len() > 253 {
        match s.find('.') {
            Some(pos) => s = &s[pos + 1..],
            None => return s,
        }
    }
    s
}

impl fmt::Display for MacroString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for t in &self.tokens {
            match t {
                MacroToken::Literal(s) => f.write_str(s)?,
                MacroToken::Percent => f.write_str("%%")?,
                MacroToken::Space => f.write_str("%_")?,
                MacroToken::UrlSpace => f.write_str("%-")?,
                MacroToken::Expand(e) => {
                    let letter =
                        if e.url_escape { e.letter.as_char().to_ascii_uppercase() } else { e.letter.as_char() };
                    write!(f, "%{{{letter}")?;
                    if let Some(d) = e.digits {
                        write!(f, "{d}")?;
                    }
                    if e.reverse {
                        f.write_char('r')?;
                    }
                    write!(f, "{}}}", e.delimiters)?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(ip: &str) -> MacroContext<'static> {
        MacroContext {
            sender: "strong-bad@email.example.com",
            domain: "email.example.com",
            ip: ip.parse().unwrap(),
            helo: "mx.example.org",
            receiver: "rcv.example.net",
            timestamp: 1_700_000_000,
            validated_name: None,
        }
    }

    fn ex(s: &str, ip: &str) -> String {
        MacroString::parse_explanation(s).unwrap().expand(&ctx(ip))
    }

    // §7.4 examples, verbatim.
    #[test]
    fn section_7_4_examples_ipv4() {
        let ip = "192.0.2.3";
        assert_eq!(ex("%{s}", ip), "strong-bad@email.example.com");
        assert_eq!(ex("%{o}", ip), "email.example.com");
        assert_eq!(ex("%{d}", ip), "email.example.com");
        assert_eq!(ex("%{d4}", ip), "email.example.com");
        assert_eq!(ex("%{d3}", ip), "email.example.com");
        assert_eq!(ex("%{d2}", ip), "example.com");
        assert_eq!(ex("%{d1}", ip), "com");
        assert_eq!(ex("%{dr}", ip), "com.example.email");
        assert_eq!(ex("%{d2r}", ip), "example.email");
        assert_eq!(ex("%{l}", ip), "strong-bad");
        assert_eq!(ex("%{l-}", ip), "strong.bad");
        assert_eq!(ex("%{lr}", ip), "strong-bad");
        assert_eq!(ex("%{lr-}", ip), "bad.strong");
        assert_eq!(ex("%{l1r-}", ip), "strong");
        assert_eq!(ex("%{ir}.%{v}._spf.%{d2}", ip), "3.2.0.192.in-addr._spf.example.com");
        assert_eq!(ex("%{lr-}.lp._spf.%{d2}", ip), "bad.strong.lp._spf.example.com");
        assert_eq!(ex("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", ip), "bad.strong.lp.3.2.0.192.in-addr._spf.example.com");
        assert_eq!(ex("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", ip), "3.2.0.192.in-addr.strong.lp._spf.example.com");
        assert_eq!(ex("%{d2}.trusted-domains.example.net", ip), "example.com.trusted-domains.example.net");
    }

    #[test]
    fn section_7_4_examples_ipv6() {
        // Compared case-insensitively: it is a domain name, and we write the
        // nibbles in upper case (see ip_dotted).
        assert!(ex("%{ir}.%{v}._spf.%{d2}", "2001:db8::cb01").eq_ignore_ascii_case(
            "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com"
        ));
    }

    #[test]
    fn url_escaping_and_escapes() {
        assert_eq!(ex("%{S}", "192.0.2.3"), "strong-bad%40email.example.com");
        assert_eq!(ex("%%%_%-", "192.0.2.3"), "% %20");
        assert_eq!(ex("%{c} %{r} %{t}", "2001:db8::1"), "2001:db8::1 rcv.example.net 1700000000");
    }

    #[test]
    fn bad_macros_are_errors() {
        for bad in ["%{x}", "%{d0}", "%{d", "%a", "%", "a b", "%{d2rr}", "\u{e9}"] {
            assert!(MacroString::parse(bad).is_err(), "{bad} should not parse");
        }
    }

    #[test]
    fn display_round_trips() {
        for s in ["%{ir}.%{v}._spf.%{d2}", "%{L1r-+}x%%%_%-", "plain.example.com"] {
            let m = MacroString::parse(s).unwrap();
            assert_eq!(m.to_string(), s);
            assert_eq!(MacroString::parse(&m.to_string()).unwrap(), m);
        }
    }

    #[test]
    fn truncation_removes_whole_labels() {
        let long = format!("{}.example.com", "a".repeat(63) + &".b".repeat(100));
        let t = truncate_domain(&long);
        assert!(t.len() <= 253);
        assert!(t.ends_with("example.com"));
        assert!(long.ends_with(t));
        assert!(long[..long.len() - t.len()].ends_with('.'));
    }
}
