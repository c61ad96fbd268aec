//! The policyd-spf configuration: [`Policy`], its options and the parser of
//! `policyd-spf.conf` (policyd-spf.conf(5)).
//!
//! The file format is policyd-spf's: one `Name = value` per line, `#` starts
//! a comment anywhere on a line, lists are comma-separated. Names and values
//! are spelled as policyd-spf spells them. Where policyd-spf silently
//! ignores a line (an unknown name, a value it does not recognise, a line
//! without `=`), this parser returns a [`ConfigError`] instead: a diagnosis
//! tool must not guess what a misspelt setting would have done.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;
use std::time::Duration;

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

/// `HELO_reject`: which HELO results are rejected (policyd-spf.conf(5)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HeloReject {
    /// Reject only on HELO `fail` (policyd-spf's default).
    Fail,
    /// Reject on `fail`, `softfail` and `neutral` (and, like every mode,
    /// `permerror` with `PermError_reject = True`).
    #[serde(rename = "SPF_Not_Pass")]
    SpfNotPass,
    /// Reject on `softfail` and `fail`.
    Softfail,
    /// Reject a HELO `fail` only for a null sender (`MAIL FROM:<>`); with a
    /// non-null sender the HELO result is ignored.
    Null,
    /// Never reject on HELO; prepend a header only.
    False,
    /// Do not check HELO at all.
    #[serde(rename = "No_Check")]
    NoCheck,
}

impl HeloReject {
    /// Every mode, in policyd-spf.conf(5)'s order.
    pub const ALL: [Self; 6] = [Self::Fail, Self::SpfNotPass, Self::Softfail, Self::Null, Self::False, Self::NoCheck];

    /// The name as written in the config file.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fail => "Fail",
            Self::SpfNotPass => "SPF_Not_Pass",
            Self::Softfail => "Softfail",
            Self::Null => "Null",
            Self::False => "False",
            Self::NoCheck => "No_Check",
        }
    }
}

/// `Mail_From_reject`: which MAIL FROM results are rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MailFromReject {
    /// Reject only on `fail` (the default).
    Fail,
    /// Reject on `fail`, `softfail` and `neutral`.
    #[serde(rename = "SPF_Not_Pass")]
    SpfNotPass,
    /// Reject on `softfail` and `fail`.
    Softfail,
    /// Never reject on MAIL FROM; prepend a header only.
    False,
    /// Do not check MAIL FROM at all.
    #[serde(rename = "No_Check")]
    NoCheck,
}

impl MailFromReject {
    /// Every mode, in policyd-spf.conf(5)'s order.
    pub const ALL: [Self; 5] = [Self::Fail, Self::SpfNotPass, Self::Softfail, Self::False, Self::NoCheck];

    /// The name as written in the config file.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fail => "Fail",
            Self::SpfNotPass => "SPF_Not_Pass",
            Self::Softfail => "Softfail",
            Self::False => "False",
            Self::NoCheck => "No_Check",
        }
    }
}

/// The reject modes shared by both identities, as far as they decide which
/// results are rejected (`Null` is HELO-only and handled apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RejectSet {
    Fail,
    SpfNotPass,
    Softfail,
    False,
    NoCheck,
}

impl From<HeloReject> for RejectSet {
    fn from(m: HeloReject) -> Self {
        match m {
            // policyd-spf's `_get_resultcodes` puts Null with Fail; the
            // null-sender condition is applied by the caller.
            HeloReject::Fail | HeloReject::Null => Self::Fail,
            HeloReject::SpfNotPass => Self::SpfNotPass,
            HeloReject::Softfail => Self::Softfail,
            HeloReject::False => Self::False,
            HeloReject::NoCheck => Self::NoCheck,
        }
    }
}

impl From<MailFromReject> for RejectSet {
    fn from(m: MailFromReject) -> Self {
        match m {
            MailFromReject::Fail => Self::Fail,
            MailFromReject::SpfNotPass => Self::SpfNotPass,
            MailFromReject::Softfail => Self::Softfail,
            MailFromReject::False => Self::False,
            MailFromReject::NoCheck => Self::NoCheck,
        }
    }
}

/// `Header_Type`: which header is prepended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HeaderType {
    /// `Received-SPF` (RFC 7208 §9.1), the default.
    #[serde(rename = "SPF")]
    Spf,
    /// `Authentication-Results` (RFC 8601).
    #[serde(rename = "AR")]
    Ar,
    /// No header: a prepend becomes `dunno`.
    None,
}

impl HeaderType {
    /// The name as written in the config file.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Spf => "SPF",
            Self::Ar => "AR",
            Self::None => "None",
        }
    }
}

/// A receiver's SPF policy: every option of policyd-spf.conf(5) that
/// decides the outcome, with policyd-spf's defaults.
///
/// Field names serialise as the config file's option names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// Default `Fail`.
    #[serde(rename = "HELO_reject")]
    pub helo_reject: HeloReject,
    /// Default `Fail`.
    #[serde(rename = "Mail_From_reject")]
    pub mail_from_reject: MailFromReject,
    /// Reject a `permerror` (either identity). Default `False`.
    #[serde(rename = "PermError_reject")]
    pub permerror_reject: bool,
    /// Defer a `temperror` (either identity). Default `False`.
    #[serde(rename = "TempError_Defer")]
    pub temperror_defer: bool,
    /// Client networks not checked at all. Default
    /// `127.0.0.0/8,::ffff:127.0.0.0/104,::1`.
    #[serde(rename = "skip_addresses")]
    pub skip_addresses: Vec<IpNet>,
    /// Client networks whitelisted (trusted relays).
    #[serde(rename = "Whitelist")]
    pub whitelist: Vec<IpNet>,
    /// HELO names whitelisted when their A/AAAA records hold the client address.
    #[serde(rename = "HELO_Whitelist")]
    pub helo_whitelist: Vec<String>,
    /// Domains whose SPF record, passing for the client, whitelists it.
    #[serde(rename = "Domain_Whitelist")]
    pub domain_whitelist: Vec<String>,
    /// Domains whose (forward-confirmed) PTR names whitelist the client.
    #[serde(rename = "Domain_Whitelist_PTR")]
    pub domain_whitelist_ptr: Vec<String>,
    /// Reject only when the record is exactly `v=spf1 -all`. Default `False`.
    #[serde(rename = "No_Mail")]
    pub no_mail: bool,
    /// Domains treated as `SPF_Not_Pass` whatever the mode.
    #[serde(rename = "Reject_Not_Pass_Domains")]
    pub reject_not_pass_domains: Vec<String>,
    /// RFC 7372 codes (`5.7.23`, `5.7.24`, `4.7.24`). Default `Yes`.
    #[serde(rename = "SPF_Enhanced_Status_Codes")]
    pub spf_enhanced_status_codes: bool,
    /// Default `SPF`.
    #[serde(rename = "Header_Type")]
    pub header_type: HeaderType,
    /// Replace the receiver in headers and reject texts by `<UNKNOWN>`.
    ///
    /// Default `Yes`, as policyd-spf 2.0 to 2.x shipped it (the versions of
    /// the incident); policyd-spf 3.0 changed its default to `No` once the
    /// receiver became the recipient's host only.
    #[serde(rename = "Hide_Receiver")]
    pub hide_receiver: bool,
    /// The `Authentication-Results` authserv-id; `HOSTNAME` (the default)
    /// means the receiving host's name, which the caller supplies.
    #[serde(rename = "Authserv_Id")]
    pub authserv_id: String,
    /// The reject/defer text, with `{rejectdefer}`, `{spf}` and `{url}`.
    #[serde(rename = "Reason_Message")]
    pub reason_message: String,
    /// The URL in the reject text, with `{0}` scope, `{1}` identity,
    /// `{2}` client address, `{3}` receiver.
    #[serde(rename = "Reason_URL")]
    pub reason_url: String,
    /// §4.6.4 void lookup limit. Default 2.
    #[serde(rename = "Void_Limit")]
    pub void_limit: u32,
    /// Seconds allowed for each identity's check. Default 20.
    #[serde(rename = "Lookup_Time")]
    pub lookup_time: u32,
    /// Seconds allowed for each whitelist's DNS checks. Default 10.
    #[serde(rename = "Whitelist_Lookup_Time")]
    pub whitelist_lookup_time: u32,
    /// `TestOnly = 0`: never reject or defer, only prepend. Default off (`TestOnly = 1`).
    #[serde(rename = "TestOnly")]
    pub test_only: bool,
    /// A Postfix restriction class returned when HELO passes.
    #[serde(rename = "HELO_pass_restriction")]
    pub helo_pass_restriction: Option<String>,
    /// A Postfix restriction class returned when MAIL FROM passes.
    #[serde(rename = "Mail_From_pass_restriction")]
    pub mail_from_pass_restriction: Option<String>,
    /// Options read and accepted that do not change the verdict
    /// (logging, milter and per-user settings), as `Name = value`.
    #[serde(rename = "ignored", skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<String>,
}

/// policyd-spf's default `Reason_Message`.
pub const DEFAULT_REASON_MESSAGE: &str = "Message {rejectdefer} due to: {spf}. Please see {url}";
/// policyd-spf's default `Reason_URL`.
pub const DEFAULT_REASON_URL: &str = "http://www.openspf.net/Why?s={0};id={1};ip={2};r={3}";

fn net(s: &str) -> IpNet {
    // Only used for the built-in defaults, which are valid.
    s.parse().unwrap_or_else(|_| IpNet::from(IpAddr::from([127, 0, 0, 1])))
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            helo_reject: HeloReject::Fail,
            mail_from_reject: MailFromReject::Fail,
            permerror_reject: false,
            temperror_defer: false,
            skip_addresses: vec![net("127.0.0.0/8"), net("::ffff:127.0.0.0/104"), net("::1/128")],
            whitelist: Vec::new(),
            helo_whitelist: Vec::new(),
            domain_whitelist: Vec::new(),
            domain_whitelist_ptr: Vec::new(),
            no_mail: false,
            reject_not_pass_domains: Vec::new(),
            spf_enhanced_status_codes: true,
            header_type: HeaderType::Spf,
            hide_receiver: true,
            authserv_id: "HOSTNAME".to_string(),
            reason_message: DEFAULT_REASON_MESSAGE.to_string(),
            reason_url: DEFAULT_REASON_URL.to_string(),
            void_limit: 2,
            lookup_time: 20,
            whitelist_lookup_time: 10,
            test_only: false,
            helo_pass_restriction: None,
            mail_from_pass_restriction: None,
            ignored: Vec::new(),
        }
    }
}

/// What is wrong with a config line or option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ConfigErrorKind {
    /// The line has no `=`.
    NotAnAssignment {
        /// The line (comment removed).
        text: String,
    },
    /// policyd-spf has no option of that name.
    UnknownOption {
        /// The name.
        name: String,
    },
    /// The option exists but the value is not one it accepts.
    BadValue {
        /// The option.
        name: String,
        /// The value.
        value: String,
        /// What is accepted, or why this value is wrong.
        expected: String,
    },
}

/// A configuration error, with the line it is on (when read from a file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigError {
    /// 1-based line number, if the error comes from a file.
    pub line: Option<usize>,
    /// What is wrong.
    pub kind: ConfigErrorKind,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(n) = self.line {
            write!(f, "line {n}: ")?;
        }
        match &self.kind {
            ConfigErrorKind::NotAnAssignment { text } => write!(f, "expected `Name = value`, found {text:?}"),
            ConfigErrorKind::UnknownOption { name } => write!(f, "unknown policyd-spf option {name:?}"),
            ConfigErrorKind::BadValue { name, value, expected } => {
                write!(f, "{name}: unknown value {value:?} ({expected})")
            }
        }
    }
}

impl std::error::Error for ConfigError {}

/// Options recognised by policyd-spf that do not change the verdict here.
const IGNORED: [&str; 13] = [
    "debugLevel",
    "defaultSeedOnly",
    "Per_User",
    "Prospective",
    "Mock",
    "QueueID",
    "Socket",
    "PidFile",
    "UserID",
    "UMask",
    "InternalHosts",
    "IntHosts",
    "MacroList",
];

fn bad(name: &str, value: &str, expected: impl Into<String>) -> ConfigError {
    ConfigError {
        line: None,
        kind: ConfigErrorKind::BadValue { name: name.to_string(), value: value.to_string(), expected: expected.into() },
    }
}

/// policyd-spf compares `True` exactly; any other value means false. Only
/// the two spellings policyd-spf means are accepted.
fn true_false(name: &str, value: &str) -> Result<bool, ConfigError> {
    match value {
        "True" => Ok(true),
        "False" => Ok(false),
        _ => Err(bad(
            name,
            value,
            "expected True or False; policyd-spf compares with \"True\" exactly, so this value would act as False",
        )),
    }
}

fn yes_no(name: &str, value: &str) -> Result<bool, ConfigError> {
    match value {
        "Yes" => Ok(true),
        "No" => Ok(false),
        _ => Err(bad(name, value, "expected Yes or No")),
    }
}

fn number(name: &str, value: &str) -> Result<u32, ConfigError> {
    value.parse().map_err(|_| bad(name, value, "expected a whole number"))
}

fn list(value: &str) -> Vec<String> {
    value.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

fn domains(name: &str, value: &str) -> Result<Vec<String>, ConfigError> {
    let items = list(value);
    for d in &items {
        if d.contains(|c: char| c.is_whitespace() || c == '@' || c == '/') {
            return Err(bad(name, d, "expected a comma-separated list of domain names"));
        }
    }
    Ok(items.into_iter().map(|d| d.trim_end_matches('.').to_ascii_lowercase()).collect())
}

fn networks(name: &str, value: &str) -> Result<Vec<IpNet>, ConfigError> {
    list(value)
        .iter()
        .map(|item| {
            if let Ok(ip) = item.parse::<IpAddr>() {
                return Ok(IpNet::from(ip));
            }
            let n: IpNet = item
                .parse()
                .map_err(|_| bad(name, item, "expected a comma-separated list of IP networks in CIDR notation"))?;
            // policyd-spf parses with Python's strict ip_network(): host
            // bits set raise an error that aborts the whole list.
            if n.trunc() != n {
                return Err(bad(
                    name,
                    item,
                    format!("host bits set; policyd-spf would ignore the whole list (did you mean {}?)", n.trunc()),
                ));
            }
            Ok(n)
        })
        .collect()
}

/// Checks a `{name}` template: only the given names, `{{` and `}}`.
fn check_template(name: &str, value: &str, allowed: &[&str]) -> Result<(), ConfigError> {
    let mut rest = value;
    while let Some(i) = rest.find(['{', '}']) {
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            rest = &tail[2..];
            continue;
        }
        if tail.starts_with('}') {
            return Err(bad(name, value, "a lone `}` (write `}}`)"));
        }
        let Some(end) = tail.find('}') else {
            return Err(bad(name, value, "an unclosed `{`"));
        };
        let field = &tail[1..end];
        if !allowed.contains(&field) {
            return Err(bad(
                name,
                value,
                format!(
                    "unknown field {{{field}}}; allowed: {}",
                    allowed.iter().map(|a| format!("{{{a}}}")).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        rest = &tail[end + 1..];
    }
    Ok(())
}

/// Fills a template checked by [`check_template`]; unknown fields are kept verbatim.
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        match (tail.starts_with('{'), tail.find('}')) {
            (true, Some(end)) => {
                let field = &tail[1..end];
                match values.iter().find(|(k, _)| *k == field) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&tail[..=end]),
                }
                rest = &tail[end + 1..];
            }
            _ => {
                out.push_str(&tail[..1]);
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

impl Policy {
    /// Parses a policyd-spf.conf text over the defaults.
    ///
    /// # Errors
    /// The first line that is not `Name = value` with a known name and a
    /// value policyd-spf accepts.
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let mut policy = Self::default();
        for (i, raw) in text.lines().enumerate() {
            // policyd-spf: `line.split('#', 1)[0]`: a `#` anywhere starts a comment.
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let Some((name, value)) = line.split_once('=') else {
                return Err(ConfigError {
                    line: Some(i + 1),
                    kind: ConfigErrorKind::NotAnAssignment { text: line.to_string() },
                });
            };
            let (name, value) = (name.trim(), value.trim());
            if value.contains('=') && name != "Reason_URL" {
                // policyd-spf splits on every `=` and skips such lines,
                // except for Reason_URL.
                return Err(ConfigError {
                    line: Some(i + 1),
                    kind: ConfigErrorKind::BadValue {
                        name: name.to_string(),
                        value: value.to_string(),
                        expected: "only Reason_URL may contain `=`; policyd-spf would skip this line".to_string(),
                    },
                });
            }
            policy.set(name, value).map_err(|mut e| {
                e.line = Some(i + 1);
                e
            })?;
        }
        Ok(policy)
    }

    /// Sets one option by its policyd-spf name.
    ///
    /// # Errors
    /// An unknown name or a value the option does not accept.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), ConfigError> {
        match name {
            "HELO_reject" => self.helo_reject = value.parse()?,
            "Mail_From_reject" => self.mail_from_reject = value.parse()?,
            "PermError_reject" => self.permerror_reject = true_false(name, value)?,
            "TempError_Defer" => self.temperror_defer = true_false(name, value)?,
            "No_Mail" => self.no_mail = true_false(name, value)?,
            "skip_addresses" => self.skip_addresses = networks(name, value)?,
            "Whitelist" => self.whitelist = networks(name, value)?,
            "HELO_Whitelist" => self.helo_whitelist = domains(name, value)?,
            "Domain_Whitelist" => self.domain_whitelist = domains(name, value)?,
            "Domain_Whitelist_PTR" => self.domain_whitelist_ptr = domains(name, value)?,
            "Reject_Not_Pass_Domains" => self.reject_not_pass_domains = domains(name, value)?,
            "SPF_Enhanced_Status_Codes" => self.spf_enhanced_status_codes = yes_no(name, value)?,
            "Hide_Receiver" => self.hide_receiver = yes_no(name, value)?,
            "Header_Type" => self.header_type = value.parse()?,
            "Authserv_Id" => {
                if value.is_empty() || value.contains(|c: char| c.is_whitespace() || c == ';') {
                    return Err(bad(name, value, "expected HOSTNAME or a host name"));
                }
                self.authserv_id = value.to_string();
            }
            "Reason_Message" => {
                check_template(name, value, &["rejectdefer", "spf", "url"])?;
                self.reason_message = value.to_string();
            }
            "Reason_URL" => {
                check_template(name, value, &["0", "1", "2", "3"])?;
                self.reason_url = value.to_string();
            }
            "Void_Limit" => self.void_limit = number(name, value)?,
            "Lookup_Time" => self.lookup_time = number(name, value)?,
            "Whitelist_Lookup_Time" => self.whitelist_lookup_time = number(name, value)?,
            "TestOnly" => {
                // policyd-spf: `TestOnly == 0` turns rejects into nothing.
                let n: i64 = value.parse().map_err(|_| bad(name, value, "expected 0 or 1"))?;
                self.test_only = n == 0;
            }
            "HELO_pass_restriction" => self.helo_pass_restriction = Some(value.to_string()).filter(|v| !v.is_empty()),
            "Mail_From_pass_restriction" => {
                self.mail_from_pass_restriction = Some(value.to_string()).filter(|v| !v.is_empty());
            }
            _ if IGNORED.contains(&name) => self.ignored.push(format!("{name} = {value}")),
            _ => {
                return Err(ConfigError {
                    line: None,
                    kind: ConfigErrorKind::UnknownOption { name: name.to_string() },
                });
            }
        }
        Ok(())
    }

    /// The spf-core configuration this policy implies: `Void_Limit` and
    /// `Lookup_Time` (the §4.6.4 limits), over `base`.
    #[must_use]
    pub fn core_config(&self, mut base: spf_core::Config) -> spf_core::Config {
        base.limits.void_lookups = self.void_limit;
        base.limits.time_budget = Some(Duration::from_secs(u64::from(self.lookup_time)));
        base
    }

    /// The options that differ from policyd-spf's defaults, as config lines.
    #[must_use]
    pub fn changed(&self) -> Vec<String> {
        let d = Self::default();
        let mut out = Vec::new();
        let nets = |v: &[IpNet]| v.iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
        let tf = |b: bool| if b { "True" } else { "False" };
        let yn = |b: bool| if b { "Yes" } else { "No" };
        if self.helo_reject != d.helo_reject {
            out.push(format!("HELO_reject = {}", self.helo_reject.as_str()));
        }
        if self.mail_from_reject != d.mail_from_reject {
            out.push(format!("Mail_From_reject = {}", self.mail_from_reject.as_str()));
        }
        if self.permerror_reject != d.permerror_reject {
            out.push(format!("PermError_reject = {}", tf(self.permerror_reject)));
        }
        if self.temperror_defer != d.temperror_defer {
            out.push(format!("TempError_Defer = {}", tf(self.temperror_defer)));
        }
        if self.skip_addresses != d.skip_addresses {
            out.push(format!("skip_addresses = {}", nets(&self.skip_addresses)));
        }
        if !self.whitelist.is_empty() {
            out.push(format!("Whitelist = {}", nets(&self.whitelist)));
        }
        for (name, v) in [
            ("HELO_Whitelist", &self.helo_whitelist),
            ("Domain_Whitelist", &self.domain_whitelist),
            ("Domain_Whitelist_PTR", &self.domain_whitelist_ptr),
            ("Reject_Not_Pass_Domains", &self.reject_not_pass_domains),
        ] {
            if !v.is_empty() {
                out.push(format!("{name} = {}", v.join(",")));
            }
        }
        if self.no_mail != d.no_mail {
            out.push(format!("No_Mail = {}", tf(self.no_mail)));
        }
        if self.spf_enhanced_status_codes != d.spf_enhanced_status_codes {
            out.push(format!("SPF_Enhanced_Status_Codes = {}", yn(self.spf_enhanced_status_codes)));
        }
        if self.header_type != d.header_type {
            out.push(format!("Header_Type = {}", self.header_type.as_str()));
        }
        if self.hide_receiver != d.hide_receiver {
            out.push(format!("Hide_Receiver = {}", yn(self.hide_receiver)));
        }
        if self.authserv_id != d.authserv_id {
            out.push(format!("Authserv_Id = {}", self.authserv_id));
        }
        if self.reason_message != d.reason_message {
            out.push(format!("Reason_Message = {}", self.reason_message));
        }
        if self.reason_url != d.reason_url {
            out.push(format!("Reason_URL = {}", self.reason_url));
        }
        for (name, v, dv) in [
            ("Void_Limit", self.void_limit, d.void_limit),
            ("Lookup_Time", self.lookup_time, d.lookup_time),
            ("Whitelist_Lookup_Time", self.whitelist_lookup_time, d.whitelist_lookup_time),
        ] {
            if v != dv {
                out.push(format!("{name} = {v}"));
            }
        }
        if self.test_only {
            out.push("TestOnly = 0".to_string());
        }
        if let Some(r) = &self.helo_pass_restriction {
            out.push(format!("HELO_pass_restriction = {r}"));
        }
        if let Some(r) = &self.mail_from_pass_restriction {
            out.push(format!("Mail_From_pass_restriction = {r}"));
        }
        out
    }
}

/// One of an option's modes, by its exact config name; the error lists them all.
fn mode<T: Copy>(option: &str, all: &[T], name: fn(T) -> &'static str, s: &str) -> Result<T, ConfigError> {
    all.iter().copied().find(|m| name(*m) == s).ok_or_else(|| {
        let names: Vec<&str> = all.iter().map(|m| name(*m)).collect();
        bad(option, s, format!("expected one of {}", names.join(", ")))
    })
}

impl FromStr for HeloReject {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        mode("HELO_reject", &Self::ALL, Self::as_str, s)
    }
}

impl FromStr for MailFromReject {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        mode("Mail_From_reject", &Self::ALL, Self::as_str, s)
    }
}

impl FromStr for HeaderType {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "SPF" => Ok(Self::Spf),
            "AR" => Ok(Self::Ar),
            "None" => Ok(Self::None),
            _ => Err(bad("Header_Type", s, "expected SPF, AR or None (policyd-spf refuses both at once)")),
        }
    }
}

impl fmt::Display for HeloReject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for MailFromReject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
