//! The receiver's decision, in policyd-spf's order: skip addresses and
//! whitelists, then HELO (a reject or defer ends it), then MAIL FROM; and
//! the Postfix action line it writes.
//!
//! RFC 7208 §8 leaves the handling of results to local policy; this module
//! reproduces policyd-spf's (spf-engine 3.1) choices, including its texts,
//! so that the line printed is the one Postfix would have received.
//! Deliberate deviations are flagged `// deviation:`.

use std::net::IpAddr;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use spf_core::{Config, IdentityCheck, Lookup, Report, SpfResult, check_host};

use crate::config::{HeaderType, HeloReject, MailFromReject, Policy, RejectSet, fill};

/// What the SMTP transaction adds to the report: the recipient (for the
/// `receiver` field) and the receiving host's name (for `Authserv_Id = HOSTNAME`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// The first RCPT TO address, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// The receiving host's name, if known (the library never reads it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
}

/// The kind of Postfix action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// `550 ...`: the message is refused.
    Reject,
    /// `defer_if_permit ...`: refused for now.
    Defer,
    /// `prepend <header>`: accepted, with a header.
    Prepend,
    /// `dunno`: no opinion, accepted.
    Dunno,
    /// A restriction class name (`HELO_pass_restriction` /
    /// `Mail_From_pass_restriction`).
    ResultOnly,
}

impl Action {
    /// Whether the message goes on (not rejected nor deferred).
    #[must_use]
    pub fn accepted(self) -> bool {
        matches!(self, Self::Prepend | Self::Dunno | Self::ResultOnly)
    }
}

/// Which step of the order of checks decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// `skip_addresses` matched the client.
    SkipAddresses,
    /// `Whitelist` matched the client.
    Whitelist,
    /// `Domain_Whitelist`: a listed domain's SPF passes for the client.
    DomainWhitelist,
    /// `HELO_Whitelist`: the HELO is listed and its address is the client's.
    HeloWhitelist,
    /// `Domain_Whitelist_PTR`: a forward-confirmed PTR name is in a listed domain.
    DomainWhitelistPtr,
    /// The HELO check.
    Helo,
    /// The MAIL FROM check.
    MailFrom,
    /// Nothing to check (no HELO and no sender, or both checks off).
    Nothing,
}

impl Stage {
    /// The policyd-spf option name for a whitelist stage.
    #[must_use]
    pub fn option(self) -> Option<&'static str> {
        match self {
            Self::SkipAddresses => Some("skip_addresses"),
            Self::Whitelist => Some("Whitelist"),
            Self::DomainWhitelist => Some("Domain_Whitelist"),
            Self::HeloWhitelist => Some("HELO_Whitelist"),
            Self::DomainWhitelistPtr => Some("Domain_Whitelist_PTR"),
            _ => None,
        }
    }
}

/// A whitelist (or skip list) that matched the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bypass {
    /// Which list.
    pub stage: Stage,
    /// The entry that matched (network, domain or name).
    pub entry: String,
}

/// The receiver's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// The kind of action.
    pub action: Action,
    /// The action exactly as policyd-spf hands it to Postfix (after `action=`),
    /// e.g. `550 5.7.23 Message rejected due to: ...` or `prepend Received-SPF: ...`.
    pub line: String,
    /// The status part of a reject or defer (`550 5.7.23`, `defer_if_permit 4.7.24`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Which step decided.
    pub stage: Stage,
    /// The whitelist entry, when a whitelist decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bypass: Option<Bypass>,
    /// The SPF result that decided, when an identity decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<SpfResult>,
    /// The setting that made this result a reject or defer, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setting: Option<String>,
    /// The header policyd-spf builds (prepended unless `Header_Type = None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// How the decision was reached, step by step.
    pub steps: Vec<String>,
}

impl Decision {
    /// The policy-delegation response (Postfix SMTPD_POLICY_README): `action=...` and an empty line.
    #[must_use]
    pub fn response(&self) -> String {
        format!("action={}\n\n", self.line)
    }
}

/// Runs the DNS-based whitelist checks of `policy` (in policyd-spf's order)
/// and decides. The report should come from [`Policy::core_config`]'s
/// configuration.
pub async fn decide<L: Lookup>(
    policy: &Policy,
    lookup: &L,
    config: &Config,
    report: &Report,
    envelope: &Envelope,
) -> Decision {
    let bypass = find_bypass(policy, lookup, config, report).await;
    decide_with(policy, report, envelope, bypass.as_ref())
}

fn in_nets(ip: IpAddr, nets: &[ipnet::IpNet]) -> Option<String> {
    nets.iter().find(|n| n.contains(&ip)).map(ToString::to_string)
}

/// Whether `name` is `domain` or below it, on a label boundary.
fn label_match(name: &str, domain: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    name == domain || name.strip_suffix(&domain).is_some_and(|head| head.ends_with('.'))
}

async fn has_address<L: Lookup>(lookup: &L, name: &str, ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => lookup.lookup_a(name).await.is_ok_and(|a| a.contains(&v4)),
        IpAddr::V6(v6) => lookup.lookup_aaaa(name).await.is_ok_and(|a| a.contains(&v6)),
    }
}

/// The first skip list or whitelist that matches the client, if any.
///
/// Order as policyd-spf: `skip_addresses`, `Whitelist`, `Domain_Whitelist`,
/// `HELO_Whitelist`, `Domain_Whitelist_PTR`. DNS failures never whitelist.
pub async fn find_bypass<L: Lookup>(policy: &Policy, lookup: &L, config: &Config, report: &Report) -> Option<Bypass> {
    let ip = report.ip;
    if let Some(entry) = in_nets(ip, &policy.skip_addresses) {
        return Some(Bypass { stage: Stage::SkipAddresses, entry });
    }
    if let Some(entry) = in_nets(ip, &policy.whitelist) {
        return Some(Bypass { stage: Stage::Whitelist, entry });
    }
    if !policy.domain_whitelist.is_empty() {
        let mut cfg = config.clone();
        cfg.limits.time_budget = Some(Duration::from_secs(u64::from(policy.whitelist_lookup_time)));
        for d in &policy.domain_whitelist {
            // policyd-spf: spf.check2(ip, domain, domain): <sender> is
            // postmaster@domain, HELO the domain.
            let outcome = check_host(lookup, &cfg, ip, d, &format!("postmaster@{d}"), d).await;
            if outcome.result == SpfResult::Pass {
                return Some(Bypass { stage: Stage::DomainWhitelist, entry: d.clone() });
            }
        }
    }
    let helo = report.helo_name.to_ascii_lowercase();
    for d in &policy.helo_whitelist {
        if *d == helo && has_address(lookup, d, ip).await {
            return Some(Bypass { stage: Stage::HeloWhitelist, entry: d.clone() });
        }
    }
    if !policy.domain_whitelist_ptr.is_empty() {
        // deviation: policyd-spf takes only the first PTR name, does not
        // confirm it, and matches with a bare `endswith` (so "evilyahoo.com"
        // passes for "yahoo.com"). Here every PTR name (the first 10, as
        // §4.6.4 limits `ptr`) is matched on a label boundary and must
        // resolve back to the client address, as the `ptr` mechanism
        // (§5.5) does.
        if let Ok(names) = lookup.lookup_ptr(ip).await {
            for name in names.iter().take(10) {
                let Some(d) = policy.domain_whitelist_ptr.iter().find(|d| label_match(name, d)) else {
                    continue;
                };
                if has_address(lookup, name.trim_end_matches('.'), ip).await {
                    return Some(Bypass { stage: Stage::DomainWhitelistPtr, entry: format!("{d} (PTR {name})") });
                }
            }
        }
    }
    None
}

/// The text pyspf gives for a result (policyd-spf's `{spf}` and header comment).
#[must_use]
pub fn pyspf_reason(check: &IdentityCheck) -> String {
    let o = &check.outcome;
    match o.result {
        SpfResult::Pass => "sender SPF authorized".to_string(),
        SpfResult::Fail => {
            // pyspf returns the exp= text when the record has one, else its
            // own default (spf-core fills in its configured default instead).
            match (&o.explanation, o.explanation_from_exp) {
                (Some(e), true) => e.clone(),
                _ => "SPF fail - not authorized".to_string(),
            }
        }
        SpfResult::Softfail => "domain owner discourages use of this host".to_string(),
        SpfResult::Neutral => "access neither permitted nor denied".to_string(),
        // policyd-spf replaces pyspf's empty text for none.
        SpfResult::None => "no SPF record".to_string(),
        SpfResult::Temperror => format!("SPF Temporary Error: {}", problem_text(check)),
        SpfResult::Permerror => format!("SPF Permanent Error: {}", problem_text(check)),
    }
}

fn problem_text(check: &IdentityCheck) -> String {
    match check.outcome.problem() {
        Some(p) => p.to_string(),
        None => check.outcome.cause.to_string(),
    }
}

/// policyd-spf capitalises result names (`Softfail`, `Permerror`).
#[must_use]
pub fn capitalized(r: SpfResult) -> String {
    let s = r.as_str();
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Reject,
    Defer,
    Prepend,
    Dunno,
}

impl Policy {
    /// The action policyd-spf's `_get_resultcodes` assigns to `result`
    /// under `mode` (before No_Mail and TestOnly).
    fn act(&self, mode: RejectSet, local: bool, result: SpfResult) -> Act {
        let mode = if local { RejectSet::SpfNotPass } else { mode };
        let rejected: &[SpfResult] = match mode {
            RejectSet::SpfNotPass => &[SpfResult::Fail, SpfResult::Softfail, SpfResult::Neutral],
            RejectSet::Softfail => &[SpfResult::Fail, SpfResult::Softfail],
            RejectSet::Fail => &[SpfResult::Fail],
            RejectSet::False | RejectSet::NoCheck => &[],
        };
        if rejected.contains(&result) {
            return Act::Reject;
        }
        // policyd-spf: with `False` every result is prepended, before the
        // TempError_Defer and PermError_reject options are looked at.
        if mode == RejectSet::False {
            return Act::Prepend;
        }
        match result {
            SpfResult::Temperror if self.temperror_defer => Act::Defer,
            SpfResult::Permerror if self.permerror_reject => Act::Reject,
            _ => Act::Prepend,
        }
    }

    /// The receiver value policyd-spf writes (`<UNKNOWN>` when hidden).
    #[must_use]
    pub fn receiver_text(&self, envelope: &Envelope) -> String {
        if self.hide_receiver {
            return "<UNKNOWN>".to_string();
        }
        match envelope.recipient.as_deref() {
            // policyd-spf 3: only the recipient's host part.
            Some(r) if !r.is_empty() => r.rsplit_once('@').map_or(r, |(_, d)| d).to_ascii_lowercase(),
            _ => "none".to_string(),
        }
    }

    /// The authserv-id, with `HOSTNAME` replaced by the receiving host's name.
    #[must_use]
    pub fn authserv_id_for(&self, envelope: &Envelope) -> String {
        if self.authserv_id == "HOSTNAME" {
            envelope.hostname.clone().unwrap_or_else(|| "localhost".to_string())
        } else {
            self.authserv_id.clone()
        }
    }

    fn reject_not_pass(&self, domain: &str) -> bool {
        // deviation: policyd-spf calls spf.domainmatch(list, domain) with its
        // arguments swapped, which amounts to an exact match (or a listed
        // subdomain of the sender's domain); here a listed domain matches
        // exactly, case-insensitively.
        let d = domain.trim_end_matches('.');
        self.reject_not_pass_domains.iter().any(|x| x.eq_ignore_ascii_case(d))
    }
}

/// Facts about one identity as policyd-spf sees them.
struct Scoped {
    name: String,
    reason: String,
    act: Act,
    error: bool,
    setting: Option<String>,
}

fn rejected_by(mode_name: &str, mode: &str, result: SpfResult, local: bool, policy: &Policy, identity: &str) -> String {
    if local {
        return format!("Reject_Not_Pass_Domains lists the {identity} domain, so it is treated as SPF_Not_Pass");
    }
    match result {
        SpfResult::Permerror => "PermError_reject = True".to_string(),
        SpfResult::Temperror => "TempError_Defer = True".to_string(),
        _ if policy.no_mail => format!("{mode_name} = {mode} with No_Mail = True (the record is exactly v=spf1 -all)"),
        _ => format!("{mode_name} = {mode}"),
    }
}

fn record_is_no_mail(check: &IdentityCheck) -> bool {
    // policyd-spf compares the first TXT string of the identity's own
    // domain with "v=spf1 -all"; the top-level record stands for it.
    check.outcome.trace.root.record.as_deref() == Some("v=spf1 -all")
}

/// Decides from a report and the whitelist outcome (no DNS): the pure part
/// of [`decide`], also used to compare modes.
#[must_use]
pub fn decide_with(policy: &Policy, report: &Report, envelope: &Envelope, bypass: Option<&Bypass>) -> Decision {
    let raw = raw_decision(policy, report, envelope, bypass);
    finish(policy, raw)
}

struct Raw {
    act: Act,
    text: String,
    error: bool,
    stage: Stage,
    bypass: Option<Bypass>,
    result: Option<SpfResult>,
    setting: Option<String>,
    header: Option<String>,
    restriction: Option<String>,
    steps: Vec<String>,
}

#[allow(clippy::too_many_lines)] // one function mirrors policyd-spf's `_spfcheck`, step by step
fn raw_decision(policy: &Policy, report: &Report, envelope: &Envelope, bypass: Option<&Bypass>) -> Raw {
    let ip = report.ip;
    // Postfix hands policyd-spf lower-cased values.
    let helo_given = report.helo_name.trim().to_ascii_lowercase();
    let sender = if report.null_sender {
        String::new()
    } else {
        report.mail_from_address.trim().trim_start_matches('<').trim_end_matches('>').to_ascii_lowercase()
    };
    let receiver = policy.receiver_text(envelope);
    let authserv = policy.authserv_id_for(envelope);
    let mut steps = Vec::new();
    let raw = |act, text: String, stage, steps: Vec<String>| Raw {
        act,
        text,
        error: false,
        stage,
        bypass: None,
        result: None,
        setting: None,
        header: None,
        restriction: None,
        steps,
    };

    if let Some(b) = bypass {
        let comment = match b.stage {
            Stage::SkipAddresses => "SPF check N/A for local connections - ",
            Stage::Whitelist => "SPF skipped for whitelisted relay - ",
            Stage::DomainWhitelist => "SPF skipped for whitelisted relay domain - ",
            Stage::HeloWhitelist => "SPF skipped for whitelisted HELO domain - ",
            _ => "SPF skipped for PTR whitelisted relay domain - ",
        };
        let detail = format!("client-ip={ip}; helo={helo_given}; envelope-from={sender}; receiver={receiver}");
        let header = if policy.header_type == HeaderType::Ar {
            format!("Authentication-Results: {authserv}; none ({comment} {detail})")
        } else {
            format!("X-Comment: {comment}{detail} ")
        };
        steps.push(format!(
            "{} matches the client ({}): SPF is not checked",
            b.stage.option().unwrap_or("whitelist"),
            b.entry
        ));
        let mut r = raw(Act::Prepend, header.clone(), b.stage, steps);
        r.bypass = Some(b.clone());
        r.header = Some(header);
        return r;
    }
    steps.push("no skip address or whitelist matches the client".to_string());

    if sender.is_empty() && helo_given.is_empty() {
        steps.push("no HELO and no sender: nothing to check".to_string());
        return raw(Act::Dunno, String::new(), Stage::Nothing, steps);
    }
    // policyd-spf: without a HELO name, the sender's domain stands in.
    let helo = if helo_given.is_empty() {
        sender.split_once('@').map_or("unknown".to_string(), |(_, d)| d.to_string())
    } else {
        helo_given
    };
    let header_sender = if sender.is_empty() { "<>".to_string() } else { sender.clone() };
    let detail = |identity: &str| {
        format!("identity={identity}; client-ip={ip}; helo={helo}; envelope-from={header_sender}; receiver={receiver} ")
    };
    let ar_comment = format!("client-ip={ip}; helo={helo}; envelope-from={header_sender}; receiver={receiver}");

    let mut header = String::new();
    let mut helo_name = "None".to_string();
    let mut helo_act = Act::Dunno;
    let mut helo_restriction = None;
    if policy.helo_reject != HeloReject::NoCheck {
        let check = &report.helo;
        let result = check.result();
        let local = policy.reject_not_pass(&helo);
        let s = if policy.helo_reject == HeloReject::Null && !sender.is_empty() {
            steps.push(format!(
                "HELO {helo}: {result}, ignored: HELO_reject = Null rejects a HELO fail only for a null sender"
            ));
            Scoped {
                name: "None".to_string(),
                reason: "no SPF record".to_string(),
                act: Act::Dunno,
                error: false,
                setting: None,
            }
        } else {
            let act = policy.act(policy.helo_reject.into(), local, result);
            let reason =
                if local { format!("Receiver policy for SPF {}", capitalized(result)) } else { pyspf_reason(check) };
            let setting = matches!(act, Act::Reject | Act::Defer)
                .then(|| rejected_by("HELO_reject", policy.helo_reject.as_str(), result, local, policy, "HELO"));
            steps.push(format!("HELO {helo}: {result} -> {}", act_word(act)));
            Scoped {
                name: capitalized(result),
                reason,
                act,
                error: matches!(result, SpfResult::Permerror | SpfResult::Temperror),
                setting,
            }
        };
        let reason = if s.name == "None" { "no SPF record".to_string() } else { s.reason.clone() };
        header = if policy.header_type == HeaderType::Ar {
            format!(
                "Authentication-Results: {authserv}; spf={} ({reason}) smtp.helo={} ({ar_comment})",
                s.name.to_ascii_lowercase(),
                ar_value(&helo)
            )
        } else {
            format!("Received-SPF: {} ({reason}) {}", s.name, detail("helo"))
        };
        helo_name = s.name.clone();
        helo_act = s.act;
        if matches!(s.act, Act::Reject | Act::Defer) {
            let mut act = s.act;
            if act == Act::Reject && policy.no_mail && !record_is_no_mail(check) {
                steps.push("No_Mail = True and the HELO record is not exactly v=spf1 -all: not rejected".to_string());
                act = Act::Prepend;
                helo_act = Act::Prepend;
            }
            if matches!(act, Act::Reject | Act::Defer) {
                let text = reject_message(policy, act, &reason, "helo", &helo, ip, &receiver);
                return Raw {
                    act,
                    text,
                    error: s.error,
                    stage: Stage::Helo,
                    bypass: None,
                    result: Some(result),
                    setting: s.setting,
                    header: Some(header),
                    restriction: None,
                    steps,
                };
            }
        } else if s.name == "Pass" {
            helo_restriction.clone_from(&policy.helo_pass_restriction);
        }
    } else {
        steps.push("HELO_reject = No_Check: HELO not checked".to_string());
    }

    if sender.is_empty() {
        if policy.helo_reject == HeloReject::NoCheck {
            steps.push("null sender and HELO not checked: nothing to decide".to_string());
            return raw(Act::Dunno, String::new(), Stage::Nothing, steps);
        }
        steps.push("null sender: the HELO result stands for MAIL FROM".to_string());
        let mut r = raw(helo_act, header.clone(), Stage::Helo, steps);
        r.result = Some(report.helo.result());
        r.header = Some(header);
        if let Some(name) = helo_restriction {
            r.restriction = Some(name);
        }
        return r;
    }

    if policy.mail_from_reject == MailFromReject::NoCheck {
        steps.push("Mail_From_reject = No_Check: MAIL FROM not checked".to_string());
        if policy.helo_reject == HeloReject::NoCheck {
            return raw(Act::Dunno, String::new(), Stage::Nothing, steps);
        }
        let mut r = raw(Act::Prepend, header.clone(), Stage::Helo, steps);
        r.result = Some(report.helo.result());
        r.header = Some(header);
        return r;
    }

    let check = &report.mail_from;
    let result = check.result();
    let domain = sender.rsplit_once('@').map_or("", |(_, d)| d).to_string();
    let local = policy.reject_not_pass(&domain);
    let act = policy.act(policy.mail_from_reject.into(), local, result);
    let name = capitalized(result);
    let reason = if result == SpfResult::None {
        "no SPF record".to_string()
    } else if local {
        format!("Receiver policy for SPF {name}")
    } else {
        pyspf_reason(check)
    };
    steps.push(format!("MAIL FROM {sender}: {result} -> {}", act_word(act)));
    // policyd-spf keeps the HELO header when MAIL FROM is none and HELO is not.
    if name != "None" || helo_name == "None" {
        header = if policy.header_type == HeaderType::Ar {
            format!(
                "Authentication-Results: {authserv}; spf={} ({reason}) smtp.mailfrom={} ({ar_comment})",
                name.to_ascii_lowercase(),
                ar_value(if domain.is_empty() { &helo } else { &domain })
            )
        } else {
            // policyd-spf writes the identity, not the reason, in the
            // MAIL FROM comment: `Received-SPF: Pass (mailfrom) identity=mailfrom; ...`.
            format!("Received-SPF: {name} (mailfrom) {}", detail("mailfrom"))
        };
    } else {
        steps.push("MAIL FROM has no SPF record: the HELO header is kept".to_string());
    }
    let mail_restriction = (result == SpfResult::Pass).then(|| policy.mail_from_pass_restriction.clone()).flatten();
    if let Some(name) = mail_restriction.or(helo_restriction) {
        steps.push(format!("pass restriction {name} returned"));
        let mut r = raw(Act::Prepend, header.clone(), Stage::MailFrom, steps);
        r.result = Some(result);
        r.header = Some(header);
        r.restriction = Some(name);
        return r;
    }
    let mut act = act;
    if act == Act::Reject && policy.no_mail && !record_is_no_mail(check) {
        steps.push("No_Mail = True and the MAIL FROM record is not exactly v=spf1 -all: not rejected".to_string());
        act = Act::Prepend;
    }
    if matches!(act, Act::Reject | Act::Defer) {
        let setting =
            rejected_by("Mail_From_reject", policy.mail_from_reject.as_str(), result, local, policy, "MAIL FROM");
        let text = reject_message(policy, act, &reason, "mfrom", &sender, ip, &receiver);
        return Raw {
            act,
            text,
            error: matches!(result, SpfResult::Permerror | SpfResult::Temperror),
            stage: Stage::MailFrom,
            bypass: None,
            result: Some(result),
            setting: Some(setting),
            header: Some(header),
            restriction: None,
            steps,
        };
    }
    let mut r = raw(Act::Prepend, header.clone(), Stage::MailFrom, steps);
    r.result = Some(result);
    r.header = Some(header);
    r
}

/// An RFC 8601 value as the authres library writes it: as is when it holds
/// `@` or is a MIME token, else quoted.
fn ar_value(v: &str) -> String {
    let token = !v.is_empty() && v.chars().all(|c| c.is_ascii_graphic() && !"()<>@,;:\\\"/[]?=".contains(c));
    if v.contains('@') || token {
        v.to_string()
    } else {
        format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

fn act_word(a: Act) -> &'static str {
    match a {
        Act::Reject => "reject",
        Act::Defer => "defer",
        Act::Prepend => "prepend header",
        Act::Dunno => "no action",
    }
}

/// policyd-spf's `_rejectmessage`.
fn reject_message(
    policy: &Policy,
    act: Act,
    reason: &str,
    scope: &str,
    identity: &str,
    ip: IpAddr,
    receiver: &str,
) -> String {
    let ip = ip.to_string();
    let url = fill(&policy.reason_url, &[("0", scope), ("1", identity), ("2", &ip), ("3", receiver)]);
    let rejectdefer = if act == Act::Defer { "deferred" } else { "rejected" };
    fill(&policy.reason_message, &[("rejectdefer", rejectdefer), ("spf", reason), ("url", &url)])
}

/// Turns the raw action into policyd-spf's output line.
fn finish(policy: &Policy, raw: Raw) -> Decision {
    let mut steps = raw.steps;
    let mut action = match (raw.restriction.is_some(), raw.act) {
        (true, _) => Action::ResultOnly,
        (false, Act::Reject) => Action::Reject,
        (false, Act::Defer) => Action::Defer,
        (false, Act::Prepend) => Action::Prepend,
        (false, Act::Dunno) => Action::Dunno,
    };
    // policyd-spf: `if TestOnly == 0 and checkerValue != 'prepend'`: no action.
    if policy.test_only && action != Action::Prepend {
        if action != Action::Dunno {
            steps.push("TestOnly = 0: the action is dropped".to_string());
        }
        action = Action::Dunno;
    }
    let (line, code) = match action {
        Action::Reject => {
            let code = match (policy.spf_enhanced_status_codes, raw.error) {
                (false, _) => "550",
                // RFC 7372 §3.2: X.7.23 "SPF validation failed", X.7.24
                // "SPF validation error".
                (true, true) => "550 5.7.24",
                (true, false) => "550 5.7.23",
            };
            (format!("{code} {}", raw.text), Some(code.to_string()))
        }
        Action::Defer => {
            let code = if policy.spf_enhanced_status_codes { "defer_if_permit 4.7.24" } else { "defer_if_permit" };
            (format!("{code} {}", raw.text), Some(code.to_string()))
        }
        Action::Prepend if policy.header_type == HeaderType::None => {
            steps.push("Header_Type = None: nothing prepended".to_string());
            action = Action::Dunno;
            ("dunno".to_string(), None)
        }
        Action::Prepend => (format!("prepend {}", raw.text), None),
        Action::ResultOnly => (raw.restriction.clone().unwrap_or_default(), None),
        Action::Dunno => ("dunno".to_string(), None),
    };
    Decision {
        action,
        line,
        code,
        stage: raw.stage,
        bypass: raw.bypass,
        result: raw.result,
        setting: if action.accepted() { None } else { raw.setting },
        header: raw.header,
        steps,
    }
}
