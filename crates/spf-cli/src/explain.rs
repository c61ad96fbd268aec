//! `spf explain-log`: read a Postfix/policyd-spf reject line, re-run both
//! checks and say in plain words which identity failed, which term decided
//! and why, which setting made it a reject, and how to fix it on both sides.

use std::fmt::Write as _;
use std::io::Write;
use std::net::IpAddr;

use clap::Args;
use serde::Serialize;
use spf_core::{Cause, Check, IdentityCheck, SpfResult, TermOutcome};
use spf_policy::{Action, Policy};

use crate::check::{CheckOutput, PolicyArgs, check_report, parse_ip};
use crate::dns::{Dns, DnsArgs};
use crate::{Failure, Outcome, emit};

/// `spf explain-log` arguments.
#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// The log line (quote it).
    line: String,
    #[command(flatten)]
    policy: PolicyArgs,
    #[command(flatten)]
    dns: DnsArgs,
    /// Print the parsed line and the re-check as JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// What a reject line says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogLine {
    /// The SMTP client's address.
    pub ip: IpAddr,
    /// The HELO name.
    pub helo: String,
    /// The MAIL FROM address (empty for `from=<>`).
    pub mail_from: String,
    /// The recipient, if the line names one.
    pub recipient: Option<String>,
    /// `helo` or `mfrom`, from policyd-spf's `s=` (if the line has its URL).
    pub scope: Option<String>,
    /// The SMTP reply code and enhanced status (`550 5.7.1`), if present.
    pub code: Option<String>,
    /// policyd-spf's reason (`domain owner discourages use of this host`), if present.
    pub reason: Option<String>,
}

/// The text between `start` and the next `end` after it.
fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let rest = &s[i..];
    let j = rest.find(end)?;
    Some(&rest[..j])
}

/// A `key=value` of policyd-spf's URL (`s=helo;id=...;ip=...;r=...`).
fn url_field<'a>(s: &'a str, key: &str) -> Option<&'a str> {
    let url = &s[s.find("Why?")? + 4..];
    let url = url.split_whitespace().next().unwrap_or("");
    url.split(';').find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
}

/// Parses a Postfix `reject: RCPT from host[ip]: ...` line with policyd-spf's text.
///
/// # Errors
/// A message naming what the line lacks.
pub fn parse_log_line(line: &str) -> Result<LogLine, String> {
    let line = line.trim();
    if line.is_empty() {
        return Err("the log line is empty".to_string());
    }
    // The client: `RCPT from name[ip]` (Postfix), else `ip=` in the URL.
    let bracketed = ["RCPT from ", "MAIL from ", "connect from ", "client="]
        .iter()
        .find_map(|k| between(line, k, "]").and_then(|t| t.rsplit_once('[')).map(|(_, ip)| ip.to_string()));
    let ip_text = bracketed
        .or_else(|| url_field(line, "ip").map(str::to_string))
        .ok_or_else(|| "no client address: expected `RCPT from host[IP]` or `ip=` in policyd-spf's URL".to_string())?;
    let ip: IpAddr = ip_text.parse().map_err(|_| format!("the client address {ip_text:?} is not an IP address"))?;
    let scope = url_field(line, "s").map(|s| s.trim_end_matches(';').to_string());
    let id = url_field(line, "id").map(str::to_string);
    let helo = between(line, "helo=<", ">")
        .map(str::to_string)
        .or_else(|| id.clone().filter(|_| scope.as_deref() == Some("helo")))
        .ok_or_else(|| "no HELO name: expected `helo=<NAME>`".to_string())?;
    let mail_from = between(line, "from=<", ">")
        .map(str::to_string)
        .or_else(|| id.clone().filter(|_| scope.as_deref() == Some("mfrom")))
        .ok_or_else(|| "no sender: expected `from=<ADDR>`".to_string())?;
    let recipient = between(line, " to=<", ">").map(str::to_string).filter(|r| !r.is_empty());
    let code = line
        .find(": 5")
        .or_else(|| line.find(": 4"))
        .map(|i| line[i + 2..].split_whitespace().take(2).collect::<Vec<_>>().join(" "))
        .filter(|c| c.starts_with(|ch: char| ch.is_ascii_digit()));
    let reason = between(line, "due to: ", ". Please see").map(str::to_string);
    Ok(LogLine { ip, helo, mail_from, recipient, scope, code, reason })
}

/// The plain-words account of one term that did not match.
pub(crate) fn term_account(t: &spf_core::TermStep, ip: IpAddr) -> Option<String> {
    if t.outcome != TermOutcome::NoMatch {
        return None;
    }
    let addrs: Vec<&str> = t
        .queries
        .iter()
        .filter(|q| matches!(q.rtype, spf_core::RecordType::A | spf_core::RecordType::Aaaa))
        .flat_map(|q| q.records.iter().map(String::as_str))
        .collect();
    let target = t.target.clone().unwrap_or_else(|| {
        t.queries
            .iter()
            .find(|q| {
                matches!(q.rtype, spf_core::RecordType::A | spf_core::RecordType::Aaaa | spf_core::RecordType::Mx)
            })
            .map_or_else(String::new, |q| q.name.clone())
    });
    let mech = t.term.trim_start_matches(['+', '-', '~', '?']);
    if (mech == "a" || mech.starts_with("a:") || mech.starts_with("a/")) && !addrs.is_empty() {
        return Some(format!(
            "`{}` matched only {} (the address of {target}), while the client is {ip}",
            t.term,
            addrs.join(", ")
        ));
    }
    if mech.starts_with("mx") && !addrs.is_empty() {
        return Some(format!(
            "`{}` matched only {} (the MX hosts of {target}), while the client is {ip}",
            t.term,
            addrs.join(", ")
        ));
    }
    Some(match &t.note {
        Some(n) => format!("`{}` did not match: {n}", t.term),
        None => format!("`{}` did not match {ip}", t.term),
    })
}

fn accounts(c: &Check, ip: IpAddr, out: &mut Vec<String>) {
    for t in &c.terms {
        if let Some(a) = term_account(t, ip) {
            out.push(a);
        }
    }
}

fn describe_identity(s: &mut String, check: &IdentityCheck, ip: IpAddr) {
    let o = &check.outcome;
    match &o.cause {
        Cause::Matched { domain, record, mechanism } => {
            let _ = writeln!(s, "  {domain} publishes \"{record}\".");
            let mut acc = Vec::new();
            accounts(&o.trace.root, ip, &mut acc);
            for a in acc {
                let _ = writeln!(s, "  - {a};");
            }
            let _ = writeln!(s, "  - so evaluation reached `{mechanism}`, which matched: {}.", o.result);
        }
        _ => {
            let _ = writeln!(s, "  {}.", crate::check::why(check));
        }
    }
}

fn fixes(s: &mut String, o: &CheckOutput, failing: &IdentityCheck, scope: &str, policy: &Policy) {
    let ip = o.report.ip;
    let _ = writeln!(s, "Fixes:");
    let domain = &failing.domain;
    match failing.result() {
        SpfResult::Temperror => {
            let _ = writeln!(
                s,
                "  sender side: make the DNS of {domain} answer reliably (the lookup failed, not the policy)."
            );
        }
        SpfResult::Permerror => {
            let _ = writeln!(s, "  sender side: repair the SPF record of {domain} ({}).", crate::check::why(failing));
        }
        _ => {
            let what = if scope == "helo" { "the HELO name's record" } else { "the MAIL FROM domain's record" };
            let _ = writeln!(
                s,
                "  sender side: authorise the sending hosts in {what}: add ip{}:{ip} (or the range of the outbound hosts) \
                 to the record of {domain}, or give {domain} an address record for every host that uses it.",
                if ip.is_ipv4() { "4" } else { "6" }
            );
        }
    }
    let modes: Vec<&str> = if scope == "helo" {
        o.comparison.helo_reject.iter().filter(|m| m.decision.action.accepted()).map(|m| m.mode.as_str()).collect()
    } else {
        o.comparison.mail_from_reject.iter().filter(|m| m.decision.action.accepted()).map(|m| m.mode.as_str()).collect()
    };
    let option = if scope == "helo" { "HELO_reject" } else { "Mail_From_reject" };
    let list = modes.iter().map(|m| format!("{option} = {m}")).collect::<Vec<_>>().join(" or ");
    if !list.is_empty() {
        let _ = writeln!(s, "  receiver side: {list} would have accepted it;");
    }
    let mut wl = vec![format!("Whitelist = {ip}")];
    if o.report.mail_from.result() == SpfResult::Pass && !o.report.null_sender {
        wl.push(format!("Domain_Whitelist = {} (its SPF passes for {ip})", o.report.mail_from.domain));
    }
    let helo_has_ip = o.report.helo.outcome.trace.all_queries().iter().any(|q| {
        q.name.eq_ignore_ascii_case(&o.report.helo_name)
            && matches!(q.rtype, spf_core::RecordType::A | spf_core::RecordType::Aaaa)
            && q.records.iter().any(|r| r == &ip.to_string())
    });
    if helo_has_ip {
        wl.push(format!("HELO_Whitelist = {}", o.report.helo_name));
    }
    let _ = writeln!(s, "  or whitelist the sender: {}.", wl.join(", or "));
    if !helo_has_ip && scope == "helo" {
        let _ = writeln!(
            s,
            "  (HELO_Whitelist = {} would not help: policyd-spf requires the HELO name's address to be the client's.)",
            o.report.helo_name
        );
    }
    let _ = policy;
}

pub(crate) async fn run(args: ExplainArgs, out: &mut dyn Write) -> Outcome {
    let log = parse_log_line(&args.line).map_err(|e| Failure::Input(format!("malformed log line: {e}")))?;
    let _ = parse_ip(&log.ip.to_string())?;
    let policy = args.policy.policy()?;
    let mut envelope = args.policy.envelope();
    if envelope.recipient.is_none() {
        envelope.recipient.clone_from(&log.recipient);
    }
    let dns = Dns::open(&args.dns).await?;
    let o = check_report(&dns, &policy, &envelope, log.ip, &log.helo, &log.mail_from, &dns.source.clone()).await;
    dns.close().await;
    if args.json {
        let doc = serde_json::json!({ "log": log, "check": o });
        let text = serde_json::to_string_pretty(&doc).map_err(|e| Failure::Environment(format!("JSON: {e}")))?;
        emit(out, &text);
        emit(out, "\n");
        return Ok(0);
    }
    emit(out, &explain(&log, &o, &policy));
    Ok(0)
}

/// The explanation text.
pub(crate) fn explain(log: &LogLine, o: &CheckOutput, policy: &Policy) -> String {
    let mut s = String::new();
    let r = &o.report;
    let sender = if log.mail_from.is_empty() { "<>" } else { &log.mail_from };
    let _ = writeln!(
        s,
        "The line: mail from {} (HELO {}, MAIL FROM {sender}) was refused{}{}.",
        log.ip,
        log.helo,
        log.code.as_deref().map(|c| format!(" with {c}")).unwrap_or_default(),
        log.reason.as_deref().map(|r| format!(": \"{r}\"")).unwrap_or_default(),
    );
    // Which identity: policyd-spf's s= says; else the one that did not pass.
    let scope = log.scope.clone().unwrap_or_else(|| {
        if r.helo.result() != SpfResult::Pass && r.helo.result() != SpfResult::None {
            "helo".to_string()
        } else {
            "mfrom".to_string()
        }
    });
    let _ = writeln!(
        s,
        "Re-checked now ({}): HELO {} is {}, MAIL FROM {sender} is {}.",
        o.dns,
        r.helo_name,
        r.helo.result(),
        r.mail_from.result()
    );
    let _ = writeln!(s);
    let (failing, other, name, other_name) = if scope == "helo" {
        (&r.helo, &r.mail_from, format!("the HELO identity, {}", r.helo_name), "MAIL FROM")
    } else {
        (&r.mail_from, &r.helo, format!("the MAIL FROM identity, {sender}"), "HELO")
    };
    let _ = writeln!(s, "Which identity failed: {name} ({}).", failing.result());
    let _ = writeln!(s, "  The {other_name} identity is {}: {}.", other.result(), crate::check::why(other));
    let _ = writeln!(s);
    let _ = writeln!(s, "Which term decided, and why:");
    describe_identity(&mut s, failing, r.ip);
    let _ = writeln!(s);
    let summary = if scope == "helo" { &o.comparison.helo_summary } else { &o.comparison.mail_from_summary };
    let option = if scope == "helo" { "HELO_reject" } else { "Mail_From_reject" };
    let _ = writeln!(s, "Which setting turned it into a reject:");
    let rejecting: Vec<&str> = if scope == "helo" {
        o.comparison.helo_reject.iter().filter(|m| !m.decision.action.accepted()).map(|m| m.mode.as_str()).collect()
    } else {
        o.comparison
            .mail_from_reject
            .iter()
            .filter(|m| !m.decision.action.accepted())
            .map(|m| m.mode.as_str())
            .collect()
    };
    if rejecting.is_empty() {
        let _ = writeln!(
            s,
            "  none today: a {} {} is accepted under every {option} mode (DNS may have changed since the line was logged).",
            scope_word(&scope),
            failing.result()
        );
    } else {
        let _ = writeln!(
            s,
            "  a {} {} is refused only with {option} = {}.",
            scope_word(&scope),
            failing.result(),
            rejecting.join(" or ")
        );
    }
    let _ = writeln!(s, "  {summary}");
    if o.decision.action != Action::Prepend && o.decision.action != Action::Dunno {
        let _ = writeln!(s, "  The policy given here gives: action={}", o.decision.line);
    } else {
        let _ = writeln!(
            s,
            "  The policy given here ({}) accepts it.",
            if o.policy.changed.is_empty() { "policyd-spf defaults".to_string() } else { o.policy.changed.join("; ") }
        );
    }
    let _ = writeln!(s);
    fixes(&mut s, o, failing, &scope, policy);
    s
}

fn scope_word(scope: &str) -> &'static str {
    if scope == "helo" { "HELO" } else { "MAIL FROM" }
}
