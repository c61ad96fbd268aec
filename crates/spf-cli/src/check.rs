//! `spf check`: both identities, headers, the policyd-spf verdict and the
//! per-mode comparison, as text or as one JSON document.

use std::fmt::Write as _;
use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use clap::Args;
use serde::Serialize;
use spf_core::{Cause, Config, IdentityCheck, Lookup, Report, SpfResult, check_identities};
use spf_policy::{Action, Comparison, Decision, Envelope, Headers, Policy, compare, decide, find_bypass};

use crate::dns::{Dns, DnsArgs};
use crate::{Failure, Outcome, emit};

/// Policy options shared by `check` and `explain-log`.
#[derive(Debug, Clone, Args)]
pub(crate) struct PolicyArgs {
    /// A policyd-spf.conf file (policyd-spf's format).
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// HELO_reject: Fail, SPF_Not_Pass, Softfail, Null, False or No_Check.
    #[arg(long, value_name = "MODE")]
    pub helo_reject: Option<String>,
    /// Mail_From_reject: Fail, SPF_Not_Pass, Softfail, False or No_Check.
    #[arg(long, value_name = "MODE")]
    pub mail_from_reject: Option<String>,
    /// Any policyd-spf option, as Name=value (repeatable; applied last).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// The recipient (RCPT TO), for the receiver field when Hide_Receiver = No.
    #[arg(long, value_name = "ADDR")]
    pub rcpt: Option<String>,
    /// The receiving host's name (%{r}, Authserv_Id = HOSTNAME); default localhost.
    #[arg(long, value_name = "NAME")]
    pub hostname: Option<String>,
}

impl PolicyArgs {
    /// The policy: the file (or the defaults), then the flags.
    pub fn policy(&self) -> Result<Policy, Failure> {
        let mut policy = match &self.policy {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| Failure::Input(format!("cannot read policy file {}: {e}", path.display())))?;
                Policy::parse(&text).map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?
            }
            None => Policy::default(),
        };
        let set =
            |p: &mut Policy, name: &str, value: &str| p.set(name, value).map_err(|e| Failure::Input(e.to_string()));
        if let Some(m) = &self.helo_reject {
            set(&mut policy, "HELO_reject", m)?;
        }
        if let Some(m) = &self.mail_from_reject {
            set(&mut policy, "Mail_From_reject", m)?;
        }
        for item in &self.set {
            let Some((name, value)) = item.split_once('=') else {
                return Err(Failure::Input(format!("--set {item:?}: expected Name=value")));
            };
            set(&mut policy, name.trim(), value.trim())?;
        }
        Ok(policy)
    }

    pub fn envelope(&self) -> Envelope {
        Envelope {
            recipient: self.rcpt.clone(),
            hostname: Some(self.hostname.clone().unwrap_or_else(|| "localhost".to_string())),
        }
    }
}

/// `spf check` arguments.
#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// The SMTP client's address.
    #[arg(long)]
    ip: String,
    /// The HELO/EHLO name.
    #[arg(long)]
    helo: String,
    /// The MAIL FROM address (`<>` or an empty string for the null sender).
    #[arg(long)]
    mail_from: String,
    #[command(flatten)]
    policy: PolicyArgs,
    #[command(flatten)]
    dns: DnsArgs,
    /// Print the evaluation trees (DNS questions, terms, counters).
    #[arg(long)]
    trace: bool,
    /// Print one JSON document (documented in the crate docs) instead of text.
    #[arg(long)]
    json: bool,
}

/// What `check` was asked.
#[derive(Debug, Clone, Serialize)]
pub struct CheckInput {
    /// The client address.
    pub ip: IpAddr,
    /// The HELO name.
    pub helo: String,
    /// The MAIL FROM address (empty for the null sender).
    pub mail_from: String,
    /// The recipient, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// The receiving host's name.
    pub hostname: String,
}

/// The policy part of the JSON document.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyView {
    /// Every option.
    pub options: Policy,
    /// The lines that differ from policyd-spf's defaults.
    pub changed: Vec<String>,
}

/// Everything `check` computes: the JSON document.
#[derive(Debug, Clone, Serialize)]
pub struct CheckOutput {
    /// The document's version.
    pub version: u32,
    /// The question.
    pub input: CheckInput,
    /// Where DNS answers came from.
    pub dns: String,
    /// Both identities.
    pub report: Report,
    /// The standard headers.
    pub headers: Headers,
    /// The policy in force.
    pub policy: PolicyView,
    /// The receiver's decision.
    pub decision: Decision,
    /// Every reject mode's decision.
    pub comparison: Comparison,
}

/// Checks an address against the policyd-spf rules for MAIL FROM: a
/// mailbox with `@`, or the null sender.
pub(crate) fn validate_mail_from(s: &str) -> Result<String, Failure> {
    let t = s.trim();
    if t.is_empty() || t == "<>" {
        return Ok(String::new());
    }
    let bare = t.trim_start_matches('<').trim_end_matches('>');
    match bare.rsplit_once('@') {
        Some((_, domain)) if !domain.is_empty() => Ok(bare.to_string()),
        _ => {
            Err(Failure::Input(format!("invalid --mail-from {s:?}: expected local@domain, or <> for the null sender")))
        }
    }
}

pub(crate) fn parse_ip(s: &str) -> Result<IpAddr, Failure> {
    s.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .map_err(|_| Failure::Input(format!("invalid IP address {s:?}")))
}

/// Runs both checks and the policy through `lookup`.
pub async fn check_report<L: Lookup>(
    lookup: &L,
    policy: &Policy,
    envelope: &Envelope,
    ip: IpAddr,
    helo: &str,
    mail_from: &str,
    dns: &str,
) -> CheckOutput {
    let hostname = envelope.hostname.clone().unwrap_or_else(|| "localhost".to_string());
    // The core reads no clock: this host program supplies `%{t}` and the
    // monotonic clock for the §4.6.4 time bound (policyd-spf's Lookup_Time).
    let started = Instant::now();
    let config = policy.core_config(Config {
        receiver: hostname.clone(),
        timestamp: SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()),
        clock: Some(Arc::new(move || started.elapsed())),
        ..Config::default()
    });
    let report = check_identities(lookup, &config, ip, helo, mail_from).await;
    let bypass = find_bypass(policy, lookup, &config, &report).await;
    let decision = decide(policy, lookup, &config, &report, envelope).await;
    let comparison = compare(policy, &report, envelope, bypass.as_ref());
    let receiver = (!policy.hide_receiver).then(|| policy.receiver_text(envelope));
    let headers = Headers::new(&report, receiver.as_deref(), &policy.authserv_id_for(envelope));
    CheckOutput {
        version: 1,
        input: CheckInput {
            ip,
            helo: helo.to_string(),
            mail_from: mail_from.to_string(),
            recipient: envelope.recipient.clone(),
            hostname,
        },
        dns: dns.to_string(),
        report,
        headers,
        policy: PolicyView { options: policy.clone(), changed: policy.changed() },
        decision,
        comparison,
    }
}

/// The exit code for a decision.
pub(crate) fn exit_code(d: &Decision) -> i32 {
    match d.action {
        Action::Reject => 1,
        Action::Defer => 3,
        _ => 0,
    }
}

pub(crate) async fn run(args: CheckArgs, out: &mut dyn Write) -> Outcome {
    let ip = parse_ip(&args.ip)?;
    let mail_from = validate_mail_from(&args.mail_from)?;
    if args.helo.trim().is_empty() {
        return Err(Failure::Input("--helo is empty: give the HELO/EHLO name".to_string()));
    }
    let policy = args.policy.policy()?;
    let envelope = args.policy.envelope();
    let dns = Dns::open(&args.dns).await?;
    let output = check_report(&dns, &policy, &envelope, ip, args.helo.trim(), &mail_from, &dns.source.clone()).await;
    dns.close().await;
    if args.json {
        let text = serde_json::to_string_pretty(&output).map_err(|e| Failure::Environment(format!("JSON: {e}")))?;
        emit(out, &text);
        emit(out, "\n");
    } else {
        emit(out, &render(&output, args.trace));
    }
    Ok(exit_code(&output.decision))
}

/// A sentence on why a result is what it is.
pub(crate) fn why(check: &IdentityCheck) -> String {
    match &check.outcome.cause {
        Cause::Matched { domain, mechanism, .. } => format!("{mechanism} matched in the record of {domain}"),
        Cause::Default { domain, .. } => {
            format!("no mechanism matched in the record of {domain} (neutral by default, §4.7)")
        }
        Cause::NoRecord { domain } => format!("{domain} publishes no SPF record"),
        Cause::InvalidDomain { domain, reason } => format!("{domain:?} is not a domain SPF can check ({reason})"),
        Cause::Problem { problem } => problem.to_string(),
        other => other.to_string(),
    }
}

fn identity_block(s: &mut String, label: &str, value: &str, check: &IdentityCheck, ip: IpAddr) {
    let _ = writeln!(s, "{label} {value}: {}", check.result());
    let explanation = match (&check.outcome.explanation, check.result()) {
        (Some(e), SpfResult::Fail) => e.clone(),
        _ => spf_policy::headers::result_comment(check, ip),
    };
    let _ = writeln!(s, "  explanation: {explanation}");
    if let Some((domain, record)) = check.outcome.deciding_record() {
        let _ = writeln!(s, "  record:      {domain} \"{record}\"");
    }
    let _ = writeln!(s, "  why:         {}", why(check));
    for t in &check.outcome.trace.root.terms {
        if let Some(account) = crate::explain::term_account(t, ip) {
            let _ = writeln!(s, "  no match:    {account}");
        }
    }
}

/// The text rendering of `check`.
pub(crate) fn render(o: &CheckOutput, trace: bool) -> String {
    let mut s = String::new();
    let r = &o.report;
    let sender = if r.null_sender { "<>".to_string() } else { r.mail_from_address.clone() };
    let _ = writeln!(s, "Client {}, HELO {}, MAIL FROM {sender}", r.ip, r.helo_name);
    let _ = writeln!(s, "DNS: {}", o.dns);
    let _ = writeln!(s);
    identity_block(&mut s, "HELO", &r.helo_name, &r.helo, r.ip);
    if trace {
        let _ = writeln!(s, "  trace:");
        for line in r.helo.outcome.trace.to_string().lines() {
            let _ = writeln!(s, "    {line}");
        }
    }
    let _ = writeln!(s);
    let mf_label = if r.null_sender { format!("<> (checked as {})", r.mail_from.sender) } else { sender.clone() };
    identity_block(&mut s, "MAIL FROM", &mf_label, &r.mail_from, r.ip);
    if trace {
        let _ = writeln!(s, "  trace:");
        if r.null_sender {
            let _ = writeln!(s, "    (the HELO evaluation, §2.4)");
        } else {
            for line in r.mail_from.outcome.trace.to_string().lines() {
                let _ = writeln!(s, "    {line}");
            }
        }
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "Headers:");
    for h in &o.headers.text {
        let _ = writeln!(s, "  {h}");
    }
    let _ = writeln!(s);
    if o.policy.changed.is_empty() {
        let _ = writeln!(s, "Policy: policyd-spf defaults");
    } else {
        let _ = writeln!(s, "Policy: {}", o.policy.changed.join("; "));
    }
    let d = &o.decision;
    let verdict = match d.action {
        Action::Reject => "rejected",
        Action::Defer => "deferred",
        _ => "accepted",
    };
    match &d.setting {
        Some(setting) => {
            let _ = writeln!(s, "Verdict: {verdict} ({setting})");
        }
        None => {
            let _ = writeln!(s, "Verdict: {verdict}");
        }
    }
    let _ = writeln!(s, "  action={}", d.line);
    let _ = writeln!(s, "HELO_reject: {}", o.comparison.helo_summary);
    let _ = writeln!(s, "Mail_From_reject: {}", o.comparison.mail_from_summary);
    s
}
