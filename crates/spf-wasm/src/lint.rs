//! Parsing and linting one record text (§3, §4.5–§4.6, §5, §6, §12), with
//! no DNS: what the record says, and what in it will surprise its owner.

use serde::Serialize;
use spf_core::{Mechanism, Modifier, Qualifier, Record, SyntaxError, Term};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The record yields permerror (or is not an SPF record at all).
    Error,
    /// Valid, but probably not what was meant.
    Warning,
    /// Worth knowing.
    Info,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// How serious.
    pub level: Level,
    /// A stable short code (`syntax`, `after-all`, `ptr`, ...).
    pub code: &'static str,
    /// What and why, with the RFC section.
    pub message: String,
}

/// One term as parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermInfo {
    /// The term in canonical form.
    pub text: String,
    /// `directive` or `modifier`.
    pub kind: &'static str,
    /// The mechanism or modifier name.
    pub name: String,
    /// The result a match produces (directives only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<Qualifier>,
    /// Whether it counts toward the limit of 10 DNS-querying terms (§4.6.4).
    pub counts_dns: bool,
}

/// The parse and lint of one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordReport {
    /// Whether the record parses.
    pub ok: bool,
    /// The canonical text (`Display` of the parsed record).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
    /// The syntax error, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<SyntaxError>,
    /// The terms, in order.
    pub terms: Vec<TermInfo>,
    /// DNS-querying terms in this record alone (includes add theirs).
    pub dns_terms: u32,
    /// The findings, most serious first.
    pub findings: Vec<Finding>,
}

fn finding(level: Level, code: &'static str, message: impl Into<String>) -> Finding {
    Finding { level, code, message: message.into() }
}

/// Parses `text` as a record and lints it.
#[must_use]
pub fn lint(text: &str) -> RecordReport {
    let text = text.trim_matches(['\r', '\n']);
    let mut findings = Vec::new();
    // §3.3: 'TXT strings ... are limited to 255 octets'; longer records are
    // published as several strings, which are joined without spaces.
    if text.len() > 255 {
        findings.push(finding(
            Level::Info,
            "long",
            format!("{} octets: publish as several strings of at most 255 octets each (§3.3)", text.len()),
        ));
    }
    // §3.4: 'it might be wise to keep the answer within 512 octets ... SPF
    // records ... over 450 octets' are likely to need TCP.
    if text.len() > 450 {
        findings.push(finding(Level::Warning, "size", "over 450 octets: answers may not fit a UDP datagram (§3.4)"));
    }
    let record = match Record::parse(text) {
        Ok(r) => r,
        Err(error) => {
            let code = if Record::is_spf(text.as_bytes()) { "syntax" } else { "not-spf" };
            findings.insert(0, finding(Level::Error, code, format!("{error} (§4.6: the result is permerror)")));
            if code == "not-spf" {
                findings[0].message = "not an SPF record: it must begin with \"v=spf1\" (§4.5)".to_string();
            }
            return RecordReport {
                ok: false,
                canonical: None,
                error: Some(error),
                terms: Vec::new(),
                dns_terms: 0,
                findings,
            };
        }
    };
    let terms: Vec<TermInfo> = record.terms.iter().map(term_info).collect();
    let dns_terms = u32::try_from(terms.iter().filter(|t| t.counts_dns).count()).unwrap_or(u32::MAX);
    check(&record, dns_terms, &mut findings);
    findings.sort_by_key(|f| f.level as u8);
    RecordReport { ok: true, canonical: Some(record.to_string()), error: None, terms, dns_terms, findings }
}

fn term_info(t: &Term) -> TermInfo {
    match t {
        Term::Directive(d) => TermInfo {
            text: t.to_string(),
            kind: "directive",
            name: d.mechanism.name().to_string(),
            qualifier: Some(d.qualifier()),
            counts_dns: d.mechanism.queries_dns(),
        },
        Term::Modifier(m) => TermInfo {
            text: t.to_string(),
            kind: "modifier",
            name: match m {
                Modifier::Redirect(_) => "redirect".to_string(),
                Modifier::Explanation(_) => "exp".to_string(),
                Modifier::Unknown { name, .. } => name.clone(),
            },
            qualifier: None,
            // §4.6.4: 'the "include", "a", "mx", "ptr", and "exists"
            // mechanisms as well as the "redirect" modifier do count'.
            counts_dns: matches!(m, Modifier::Redirect(_)),
        },
    }
}

fn check(record: &Record, dns_terms: u32, out: &mut Vec<Finding>) {
    if dns_terms > 10 {
        out.push(finding(
            Level::Error,
            "dns-terms",
            format!("{dns_terms} DNS-querying terms in this record alone: more than 10 is permerror (§4.6.4)"),
        ));
    }
    let directives: Vec<_> = record.directives().collect();
    if let Some(pos) = directives.iter().position(|d| d.mechanism == Mechanism::All) {
        let all = directives[pos];
        if pos + 1 < directives.len() {
            out.push(finding(
                Level::Warning,
                "after-all",
                format!("{} mechanism(s) after \"all\" are never tested (§5.1)", directives.len() - pos - 1),
            ));
        }
        if record.redirect().is_some() {
            out.push(finding(
                Level::Warning,
                "redirect-ignored",
                "redirect= is ignored when the record has \"all\" (§6.1)",
            ));
        }
        if all.qualifier() == Qualifier::Pass {
            out.push(finding(Level::Warning, "pass-all", format!("\"{all}\" authorises every host on the Internet")));
        }
    } else if record.redirect().is_none() {
        out.push(finding(
            Level::Info,
            "no-all",
            "no \"all\" and no redirect=: a host that matches nothing gets neutral (§4.7)",
        ));
    }
    for d in &directives {
        match &d.mechanism {
            Mechanism::Ptr(_) => {
                out.push(finding(Level::Warning, "ptr", "\"ptr\" SHOULD NOT be used: slow, unreliable (§5.5)"));
            }
            Mechanism::Ip4(net) if net.addr() != net.network() => out.push(finding(
                Level::Info,
                "host-bits",
                format!("ip4:{net} has host bits set: it covers {}/{}", net.network(), net.prefix_len()),
            )),
            Mechanism::Ip6(net) if net.addr() != net.network() => out.push(finding(
                Level::Info,
                "host-bits",
                format!("ip6:{net} has host bits set: it covers {}/{}", net.network(), net.prefix_len()),
            )),
            _ => {}
        }
    }
    for t in &record.terms {
        if let Term::Modifier(Modifier::Unknown { name, .. }) = t {
            out.push(finding(Level::Info, "unknown-modifier", format!("unknown modifier \"{name}\" is ignored (§6)")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(r: &RecordReport) -> Vec<&'static str> {
        r.findings.iter().map(|f| f.code).collect()
    }

    #[test]
    fn valid_record_is_canonical_and_counted() {
        let r = lint("v=spf1 a mx include:_spf.example.com ip4:192.0.2.0/24 -all");
        assert!(r.ok);
        assert_eq!(r.canonical.as_deref(), Some("v=spf1 a mx include:_spf.example.com ip4:192.0.2.0/24 -all"));
        assert_eq!(r.dns_terms, 3);
        assert_eq!(r.terms.len(), 5);
        assert_eq!(r.terms[4].qualifier, Some(Qualifier::Fail));
        assert!(r.findings.is_empty(), "{:?}", r.findings);
    }

    #[test]
    fn rfc7208_section_4_6_syntax_error_names_the_term() {
        let r = lint("v=spf1 ip4:300.1.1.1 -all");
        assert!(!r.ok);
        assert_eq!(r.error.as_ref().map(|e| e.term.as_str()), Some("ip4:300.1.1.1"));
        assert_eq!(codes(&r), vec!["syntax"]);
        assert_eq!(codes(&lint("hello world")), vec!["not-spf"]);
    }

    #[test]
    fn surprises_are_reported() {
        let r = lint("v=spf1 +all ptr redirect=x.example");
        assert_eq!(codes(&r), vec!["after-all", "redirect-ignored", "pass-all", "ptr"]);
        let r = lint("v=spf1 ip4:192.0.2.1/24 x-y=z");
        assert_eq!(codes(&r), vec!["no-all", "host-bits", "unknown-modifier"]);
        let eleven = format!("v=spf1 {}-all", "a ".repeat(11));
        assert_eq!(codes(&lint(&eleven))[0], "dns-terms");
        let long = format!("v=spf1 {}-all", "ip4:192.0.2.1 ".repeat(40));
        assert_eq!(codes(&lint(&long)), vec!["size", "long"]);
    }
}
