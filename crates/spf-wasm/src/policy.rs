//! The receiver's side, from spf-policy: the verdict under policyd-spf
//! settings, the `Received-SPF` / `Authentication-Results` headers (RFC 7208
//! §9.1, RFC 8601), and the table of what each `HELO_reject` /
//! `Mail_From_reject` mode would do. No policy rule lives here either: this
//! module only reads the page's settings and calls spf-policy.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use spf_core::{Config, Lookup, Report};
use spf_policy::{Comparison, Decision, Envelope, Headers, HeloReject, MailFromReject, Policy, compare, decide};

/// Policy settings as the page sends them: a policyd-spf config text and/or
/// single settings by their policyd-spf names, e.g. `{"HELO_reject": "SPF_Not_Pass"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PolicyInput {
    /// A `policyd-spf.conf` text (`Name = value` lines), read first.
    pub config: Option<String>,
    /// Single settings, applied after the config text.
    pub settings: BTreeMap<String, String>,
}

/// Reads the settings over policyd-spf's defaults.
///
/// # Errors
/// A one-line message naming the bad line or setting.
pub fn settings(input: Option<&PolicyInput>) -> Result<Policy, String> {
    let Some(input) = input else {
        return Ok(Policy::default());
    };
    let mut policy = match input.config.as_deref() {
        Some(text) => Policy::parse(text).map_err(|e| format!("policy: {e}"))?,
        None => Policy::default(),
    };
    for (name, value) in &input.settings {
        policy.set(name.trim(), value.trim()).map_err(|e| format!("policy: {e}"))?;
    }
    Ok(policy)
}

/// What the page shows for the receiver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyView {
    /// The verdict under the chosen settings (with the Postfix action line).
    pub decision: Decision,
    /// Every `HELO_reject` and `Mail_From_reject` mode, the rest unchanged.
    pub comparison: Comparison,
    /// The standard headers for both identities.
    pub headers: Headers,
    /// The settings in force.
    pub policy: Policy,
    /// The settings that differ from policyd-spf's defaults, as config lines.
    pub changed: Vec<String>,
}

/// The receiving host as the headers and `Authserv_Id = HOSTNAME` see it.
fn envelope(config: &Config) -> Envelope {
    let known = config.receiver != "unknown";
    Envelope { recipient: None, hostname: known.then(|| config.receiver.clone()) }
}

/// Decides and builds the headers. `lookup` is the same (overlaid) DNS the
/// evaluation used, for the whitelists that need DNS.
pub async fn view<L: Lookup>(policy: &Policy, lookup: &L, config: &Config, report: &Report) -> PolicyView {
    let env = envelope(config);
    let decision = decide(policy, lookup, config, report, &env).await;
    let comparison = compare(policy, report, &env, decision.bypass.as_ref());
    // §9.1 receiver: hidden as policyd-spf does unless Hide_Receiver = No.
    let receiver = (!policy.hide_receiver).then_some(()).and(env.hostname.as_deref());
    let headers = Headers::new(report, receiver, &policy.authserv_id_for(&env));
    PolicyView { decision, comparison, headers, policy: policy.clone(), changed: policy.changed() }
}

/// The choices the page offers, with policyd-spf's defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyOptions {
    /// `HELO_reject` modes.
    pub helo_reject: Vec<&'static str>,
    /// `Mail_From_reject` modes.
    pub mail_from_reject: Vec<&'static str>,
    /// Every setting at its default, by policyd-spf name.
    pub defaults: Policy,
}

/// The choices the page offers.
#[must_use]
pub fn options() -> PolicyOptions {
    PolicyOptions {
        helo_reject: HeloReject::ALL.iter().map(|m| m.as_str()).collect(),
        mail_from_reject: MailFromReject::ALL.iter().map(|m| m.as_str()).collect(),
        defaults: Policy::default(),
    }
}
