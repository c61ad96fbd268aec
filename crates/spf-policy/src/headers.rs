//! Result headers: `Received-SPF` (RFC 7208 §9.1) and
//! `Authentication-Results` (RFC 8601 §2.7.2), built from an identity's check.
//!
//! These are the standard forms, with the `mechanism=` and `problem=` keys
//! where known. policyd-spf's own header texts, which the Postfix action
//! line carries, are built in [`crate::decide`] and follow policyd-spf
//! byte for byte.

use std::fmt;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use spf_core::{Cause, Identity, IdentityCheck, Report, SpfResult};

/// A `Received-SPF` header field (RFC 7208 §9.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedSpf {
    /// The result.
    pub result: SpfResult,
    /// The comment, in words.
    pub comment: String,
    /// `identity=`: `helo` or `mailfrom`.
    pub identity: Identity,
    /// `client-ip=`.
    pub client_ip: IpAddr,
    /// `helo=`.
    pub helo: String,
    /// `envelope-from=` (empty for the null reverse-path).
    pub envelope_from: String,
    /// `receiver=`, absent when hidden.
    pub receiver: Option<String>,
    /// `mechanism=`: the directive that matched, or `default` when none did.
    pub mechanism: Option<String>,
    /// `problem=`: what went wrong, for temperror and permerror.
    pub problem: Option<String>,
}

/// One `spf=` result of an `Authentication-Results` field (RFC 8601 §2.7.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpfAuthResult {
    /// The result.
    pub result: SpfResult,
    /// The identity: `smtp.helo` for HELO, `smtp.mailfrom` for MAIL FROM.
    pub identity: Identity,
    /// The property's value: the HELO name, or the MAIL FROM domain.
    pub value: String,
    /// An optional comment after the result.
    pub comment: Option<String>,
}

/// An `Authentication-Results` header field with SPF results (RFC 8601).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthenticationResults {
    /// The authserv-id (§2.5).
    pub authserv_id: String,
    /// The SPF results, HELO first.
    pub results: Vec<SpfAuthResult>,
}

/// Both header forms for both identities of one transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headers {
    /// `Received-SPF` for HELO.
    pub received_spf_helo: ReceivedSpf,
    /// `Received-SPF` for MAIL FROM.
    pub received_spf_mail_from: ReceivedSpf,
    /// One `Authentication-Results` field with both results.
    pub authentication_results: AuthenticationResults,
    /// The three fields as text, in that order.
    pub text: Vec<String>,
}

/// RFC 5322 atext, the characters a dot-atom may hold besides `.`.
fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c)
}

/// A §9.1 value: `dot-atom / quoted-string`.
fn value(v: &str) -> String {
    let dot_atom = !v.is_empty() && v.split('.').all(|part| !part.is_empty() && part.chars().all(is_atext));
    if dot_atom { v.to_string() } else { quoted(v) }
}

fn quoted(v: &str) -> String {
    let mut out = String::with_capacity(v.len() + 2);
    out.push('"');
    for c in v.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            // Header fields are ASCII without controls.
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            _ => out.push('?'),
        }
    }
    out.push('"');
    out
}

/// A comment's text with its parentheses and backslashes quoted (RFC 5322 §3.2.2).
fn comment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            _ => out.push('?'),
        }
    }
    out
}

/// The comment for a result, in the style of RFC 7208 §9.1's example.
#[must_use]
pub fn result_comment(check: &IdentityCheck, ip: IpAddr) -> String {
    let sender = &check.sender;
    let domain = &check.domain;
    match check.result() {
        SpfResult::Pass => format!("domain of {sender} designates {ip} as permitted sender"),
        SpfResult::Fail => format!("domain of {sender} does not designate {ip} as permitted sender"),
        SpfResult::Softfail => format!("domain of {sender} discourages use of {ip} as permitted sender"),
        SpfResult::Neutral => format!("{ip} is neither permitted nor denied by domain of {sender}"),
        SpfResult::None => match &check.unchecked {
            Some(why) => format!("{domain}: {why}"),
            None => format!("{domain} does not designate permitted sender hosts"),
        },
        SpfResult::Temperror => format!("error in processing during lookup of {domain}"),
        SpfResult::Permerror => format!("permanent error in processing domain of {domain}"),
    }
}

impl ReceivedSpf {
    /// The header for one identity of `report`; `receiver` is `None` to hide it.
    #[must_use]
    pub fn new(report: &Report, identity: Identity, receiver: Option<&str>) -> Self {
        let check = match identity {
            Identity::Helo => &report.helo,
            Identity::MailFrom => &report.mail_from,
        };
        let (mechanism, problem) = match &check.outcome.cause {
            Cause::Matched { mechanism, .. } => (Some(mechanism.clone()), None),
            // §9.1 "mechanism: the mechanism that matched (if no mechanisms
            // matched, substitute the word "default")".
            Cause::Default { .. } => (Some("default".to_string()), None),
            Cause::Problem { problem } => (None, Some(problem.to_string())),
            _ => (None, None),
        };
        Self {
            result: check.result(),
            comment: result_comment(check, report.ip),
            identity,
            client_ip: report.ip,
            helo: report.helo_name.clone(),
            envelope_from: if report.null_sender { String::new() } else { report.mail_from_address.clone() },
            receiver: receiver.map(str::to_string),
            mechanism,
            problem,
        }
    }
}

impl fmt::Display for ReceivedSpf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // §9.1: 'Received-SPF: pass (mybox.example.org: domain of
        // myname@example.com designates 192.0.2.1 as permitted sender)
        // receiver=mybox.example.org; client-ip=192.0.2.1; ...'
        write!(f, "Received-SPF: {} ({})", self.result, comment(&self.comment))?;
        let mut pairs = vec![
            ("identity", self.identity.as_str().to_string()),
            ("client-ip", value(&self.client_ip.to_string())),
            ("helo", value(&self.helo)),
            ("envelope-from", value(&self.envelope_from)),
        ];
        if let Some(r) = &self.receiver {
            pairs.push(("receiver", value(r)));
        }
        if let Some(m) = &self.mechanism {
            pairs.push(("mechanism", value(m)));
        }
        if let Some(p) = &self.problem {
            pairs.push(("problem", value(p)));
        }
        let list: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
        write!(f, " {};", list.join("; "))
    }
}

impl SpfAuthResult {
    /// The result for one identity of `report`.
    #[must_use]
    pub fn new(report: &Report, identity: Identity) -> Self {
        let check = match identity {
            Identity::Helo => &report.helo,
            Identity::MailFrom => &report.mail_from,
        };
        let value = match identity {
            Identity::Helo => report.helo_name.clone(),
            // RFC 8601 appendix B: 'spf=pass smtp.mailfrom=example.net', the
            // domain (policyd-spf writes the domain too).
            Identity::MailFrom => check.domain.clone(),
        };
        Self { result: check.result(), identity, value, comment: None }
    }
}

impl fmt::Display for SpfAuthResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "spf={}", self.result)?;
        if let Some(c) = &self.comment {
            write!(f, " ({})", comment(c))?;
        }
        // A HELO result is labelled smtp.helo, never smtp.mailfrom.
        let property = match self.identity {
            Identity::Helo => "smtp.helo",
            Identity::MailFrom => "smtp.mailfrom",
        };
        write!(f, " {property}={}", value(&self.value))
    }
}

impl fmt::Display for AuthenticationResults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Authentication-Results: {}", self.authserv_id)?;
        if self.results.is_empty() {
            // RFC 8601 §2.2: 'none' when no results are reported.
            return f.write_str("; none");
        }
        for r in &self.results {
            write!(f, "; {r}")?;
        }
        Ok(())
    }
}

impl Headers {
    /// Both headers for both identities. `receiver` is `None` to hide it.
    #[must_use]
    pub fn new(report: &Report, receiver: Option<&str>, authserv_id: &str) -> Self {
        let received_spf_helo = ReceivedSpf::new(report, Identity::Helo, receiver);
        let received_spf_mail_from = ReceivedSpf::new(report, Identity::MailFrom, receiver);
        let authentication_results = AuthenticationResults {
            authserv_id: authserv_id.to_string(),
            results: vec![SpfAuthResult::new(report, Identity::Helo), SpfAuthResult::new(report, Identity::MailFrom)],
        };
        let text =
            vec![received_spf_helo.to_string(), received_spf_mail_from.to_string(), authentication_results.to_string()];
        Self { received_spf_helo, received_spf_mail_from, authentication_results, text }
    }
}
