//! What each `HELO_reject` and each `Mail_From_reject` mode would have done
//! with one report, everything else in the policy unchanged: the incident's
//! question ("which setting turned a softfail into a 550?").

use serde::{Deserialize, Serialize};
use spf_core::Report;

use crate::config::{HeloReject, MailFromReject, Policy};
use crate::decide::{Action, Bypass, Decision, Envelope, decide_with};

/// The decision under one mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModeOutcome {
    /// The mode's config name (`SPF_Not_Pass`, ...).
    pub mode: String,
    /// The decision under it.
    pub decision: Decision,
}

/// Every mode of both options, and a one-line summary of each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// One entry per `HELO_reject` mode, in policyd-spf.conf(5)'s order.
    pub helo_reject: Vec<ModeOutcome>,
    /// One entry per `Mail_From_reject` mode.
    pub mail_from_reject: Vec<ModeOutcome>,
    /// E.g. `rejected (550 5.7.23 ...) under HELO_reject = SPF_Not_Pass or
    /// Softfail; accepted under Fail, Null, False, No_Check`.
    pub helo_summary: String,
    /// The same for `Mail_From_reject`.
    pub mail_from_summary: String,
}

/// Decides `report` under every mode of both options.
#[must_use]
pub fn compare(policy: &Policy, report: &Report, envelope: &Envelope, bypass: Option<&Bypass>) -> Comparison {
    let helo_reject: Vec<ModeOutcome> = HeloReject::ALL
        .into_iter()
        .map(|mode| {
            let p = Policy { helo_reject: mode, ..policy.clone() };
            ModeOutcome { mode: mode.as_str().to_string(), decision: decide_with(&p, report, envelope, bypass) }
        })
        .collect();
    let mail_from_reject: Vec<ModeOutcome> = MailFromReject::ALL
        .into_iter()
        .map(|mode| {
            let p = Policy { mail_from_reject: mode, ..policy.clone() };
            ModeOutcome { mode: mode.as_str().to_string(), decision: decide_with(&p, report, envelope, bypass) }
        })
        .collect();
    let helo_summary = summary("HELO_reject", &helo_reject);
    let mail_from_summary = summary("Mail_From_reject", &mail_from_reject);
    Comparison { helo_reject, mail_from_reject, helo_summary, mail_from_summary }
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Groups modes by outcome: refusals by status code first (in mode order),
/// then the accepted ones.
#[must_use]
pub fn summary(option: &str, outcomes: &[ModeOutcome]) -> String {
    let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
    let mut accepted: Vec<&str> = Vec::new();
    for o in outcomes {
        let d = &o.decision;
        if d.action.accepted() {
            accepted.push(&o.mode);
            continue;
        }
        let word = if d.action == Action::Defer { "deferred" } else { "rejected" };
        let mut key = format!("{word} ({} ...)", d.code.as_deref().unwrap_or(""));
        // A refusal decided by another option (HELO_reject, when comparing
        // Mail_From_reject modes) says so: the compared mode did not cause it.
        let other_option =
            |s: &&str| (s.starts_with("HELO_reject") || s.starts_with("Mail_From_reject")) && !s.starts_with(option);
        if let Some(setting) = d.setting.as_deref().filter(other_option) {
            key.push_str(&format!(" by {setting}"));
        }
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, modes)) => modes.push(&o.mode),
            None => groups.push((key, vec![&o.mode])),
        }
    }
    let mut parts: Vec<String> = Vec::new();
    let all = outcomes.len();
    for (key, modes) in &groups {
        if modes.len() == all {
            parts.push(format!("{key} under every {option} mode"));
        } else {
            parts.push(format!("{key} under {option} = {}", or_list(modes)));
        }
    }
    if accepted.len() == all {
        parts.push(format!("accepted under every {option} mode"));
    } else if !accepted.is_empty() {
        parts.push(format!("accepted under {}", accepted.join(", ")));
    }
    parts.join("; ")
}
