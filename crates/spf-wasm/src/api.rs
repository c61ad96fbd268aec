//! The shapes the page sends and receives, and the evaluation itself,
//! generic over [`Lookup`] so it runs natively in tests and over DoH in the
//! browser. Field names are camelCase on the JS side.

use std::net::IpAddr;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use spf_core::{
    Cause, Clock, Config, Identity, IdentityCheck, Limits, Lookup, Overlay, Report, SpfResult, Trace, check_identities,
    check_identity,
};
use spf_policy::Policy;

use crate::policy::PolicyView;

use crate::overrides::{self, Override};

/// Limits as the page sets them (all optional; the RFC's by default).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LimitsInput {
    /// DNS-querying terms (§4.6.4: 10).
    pub dns_terms: Option<u32>,
    /// Void lookups (§4.6.4: 2).
    pub void_lookups: Option<u32>,
    /// Names per MX answer (10).
    pub mx_names: Option<u32>,
    /// PTR names considered (10).
    pub ptr_names: Option<u32>,
    /// Time bound of one check_host(), in milliseconds (20 000).
    pub time_budget_ms: Option<u32>,
}

impl LimitsInput {
    /// Sets the limits given here, leaving the others as they are.
    pub fn apply(&self, l: &mut Limits) {
        l.dns_terms = self.dns_terms.unwrap_or(l.dns_terms);
        l.void_lookups = self.void_lookups.unwrap_or(l.void_lookups);
        l.mx_names = self.mx_names.unwrap_or(l.mx_names);
        l.ptr_names = self.ptr_names.unwrap_or(l.ptr_names);
        if let Some(ms) = self.time_budget_ms {
            l.time_budget = Some(Duration::from_millis(u64::from(ms)));
        }
    }
}

/// Everything but DNS and the clock that an evaluation takes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Common {
    /// The receiving host's name, for `%{r}` and the headers.
    pub receiver: Option<String>,
    /// Seconds since the epoch, for `%{t}` (the page passes `Date.now()`).
    pub timestamp: Option<u64>,
    /// Processing limits.
    pub limits: LimitsInput,
    /// "What-if" records laid over DNS.
    pub overrides: Vec<Override>,
    /// The DoH endpoint (default `/dns-query`, the page's own origin).
    pub endpoint: Option<String>,
    /// Per-query timeout in milliseconds (default 5000).
    pub timeout_ms: Option<u32>,
}

impl Common {
    /// The core's configuration: `now` is the timestamp used when none is
    /// given; the policy's `Void_Limit` and `Lookup_Time` apply, then any
    /// limit set explicitly here.
    #[must_use]
    pub fn config(&self, now: u64, clock: Option<Clock>, policy: &Policy) -> Config {
        let mut c = policy.core_config(Config { timestamp: self.timestamp.unwrap_or(now), clock, ..Config::default() });
        self.limits.apply(&mut c.limits);
        if let Some(r) = self.receiver.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            c.receiver = r.to_string();
        }
        c
    }
}

/// Input of `evaluate`: one SMTP transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EvaluateInput {
    /// The SMTP client's address.
    pub ip: String,
    /// The HELO/EHLO name.
    pub helo: String,
    /// The MAIL FROM address (empty or `<>` for the null sender).
    pub mail_from: String,
    /// The receiver's policy settings.
    pub policy: Option<crate::policy::PolicyInput>,
    /// Settings shared with `checkRecord`.
    #[serde(flatten)]
    pub common: Common,
}

/// Input of `checkRecord`: a record to try for a domain without publishing it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CheckRecordInput {
    /// The domain the record would be published at.
    pub domain: String,
    /// The record text.
    pub record: String,
    /// The client address to test.
    pub ip: String,
    /// The HELO name (for `%{h}`; default: the domain).
    pub helo: Option<String>,
    /// Settings shared with `evaluate`.
    #[serde(flatten)]
    pub common: Common,
}

/// The record that decided, and the term in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deciding {
    /// Whose record.
    pub domain: String,
    /// The record text.
    pub record: String,
    /// The matching directive (absent when nothing matched).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mechanism: Option<String>,
}

/// One identity's check as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityView {
    /// `helo` or `mail_from`.
    pub identity: Identity,
    /// The `<domain>` checked.
    pub domain: String,
    /// The `<sender>` checked.
    pub sender: String,
    /// The result.
    pub result: SpfResult,
    /// The explanation (fail only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// Why, in a few words.
    pub cause: String,
    /// The structured cause.
    pub cause_detail: Cause,
    /// The deciding record, if one decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deciding: Option<Deciding>,
    /// Why the identity was not looked up, if it was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unchecked: Option<String>,
    /// The evaluation tree.
    pub trace: Trace,
    /// The same tree as indented text.
    pub trace_text: String,
}

impl From<&IdentityCheck> for IdentityView {
    fn from(c: &IdentityCheck) -> Self {
        let o = &c.outcome;
        Self {
            identity: c.identity,
            domain: c.domain.clone(),
            sender: c.sender.clone(),
            result: o.result,
            explanation: o.explanation.clone(),
            cause: o.cause.to_string(),
            cause_detail: o.cause.clone(),
            deciding: o.deciding_record().map(|(domain, record)| Deciding {
                domain: domain.to_string(),
                record: record.to_string(),
                mechanism: o.mechanism().map(str::to_string),
            }),
            unchecked: c.unchecked.as_ref().map(ToString::to_string),
            trace: o.trace.clone(),
            trace_text: o.trace.to_string(),
        }
    }
}

/// Parses the client address (an IPv4-mapped IPv6 address is unmapped by the core).
///
/// # Errors
/// A message naming the text.
pub fn parse_ip(text: &str) -> Result<IpAddr, String> {
    let t = text.trim();
    let t = t.strip_prefix('[').and_then(|s| s.strip_suffix(']')).unwrap_or(t);
    t.parse().map_err(|_| format!("{text:?} is not an IPv4 or IPv6 address"))
}

/// Evaluates both identities over `lookup` with the input's overrides laid
/// on top, then the receiver's decision under `policy` (same DNS).
///
/// # Errors
/// A bad address or a bad override, as a one-line message.
pub async fn evaluate<L: Lookup>(
    lookup: L,
    input: &EvaluateInput,
    policy: &Policy,
    config: &Config,
) -> Result<(Report, PolicyView), String> {
    let ip = parse_ip(&input.ip)?;
    if input.helo.trim().is_empty() {
        return Err("the HELO name is empty".to_string());
    }
    let zone = Overlay { overrides: overrides::build(&input.common.overrides)?, inner: lookup };
    let report = check_identities(&zone, config, ip, input.helo.trim(), input.mail_from.trim()).await;
    let view = crate::policy::view(policy, &zone, config, &report).await;
    Ok((report, view))
}

/// Evaluates `input.record` as if published at `input.domain`.
///
/// # Errors
/// A bad address, domain or override, as a one-line message.
pub async fn check_record<L: Lookup>(
    lookup: L,
    input: &CheckRecordInput,
    config: &Config,
) -> Result<IdentityCheck, String> {
    let ip = parse_ip(&input.ip)?;
    let domain = input.domain.trim().trim_end_matches('.');
    if domain.is_empty() {
        return Err("the domain is empty".to_string());
    }
    let mut all = input.common.overrides.clone();
    // The pasted record replaces every TXT record of the domain, as publishing
    // it in place of the current one would.
    all.push(Override {
        name: domain.to_string(),
        rtype: "TXT".to_string(),
        values: vec![input.record.trim().to_string()],
    });
    let zone = Overlay { overrides: overrides::build(&all)?, inner: lookup };
    let helo = input.helo.as_deref().map(str::trim).filter(|h| !h.is_empty()).unwrap_or(domain);
    let sender = format!("postmaster@{domain}");
    Ok(check_identity(&zone, config, ip, Identity::MailFrom, &sender, helo).await)
}

#[cfg(test)]
mod tests {
    use super::*;
    use spf_core::InMemory;

    fn instagram() -> InMemory {
        InMemory::new()
            .txt("mail.instagram.com", "v=spf1 include:facebookmail.com -all")
            .txt("facebookmail.com", "v=spf1 ip4:66.220.144.128/25 ip4:66.220.155.0/24 -all")
            .txt("mx-out.facebook.com", "v=spf1 a ~all")
            .a("mx-out.facebook.com", "69.63.179.2".parse().expect("ip"))
    }

    fn input(ip: &str, helo: &str, mail_from: &str) -> EvaluateInput {
        EvaluateInput { ip: ip.into(), helo: helo.into(), mail_from: mail_from.into(), ..EvaluateInput::default() }
    }

    #[test]
    fn instagram_case_and_what_if() {
        let mut i = input("66.220.155.156", "mx-out.facebook.com", "security@mail.instagram.com");
        let policy = Policy::default();
        let config = i.common.config(0, None, &policy);
        let (r, view) = futures_executor::block_on(evaluate(instagram(), &i, &policy, &config)).expect("evaluates");
        assert_eq!((r.helo.result(), r.mail_from.result()), (SpfResult::Softfail, SpfResult::Pass));
        assert_eq!(
            view.comparison.helo_summary,
            "rejected (550 5.7.23 ...) under HELO_reject = SPF_Not_Pass or Softfail; accepted under Fail, Null, False, No_Check"
        );
        assert!(view.decision.action.accepted(), "{:?}", view.decision);
        assert!(view.headers.text.iter().any(|h| h.starts_with("Received-SPF: softfail")), "{:?}", view.headers.text);
        let view = IdentityView::from(&r.helo);
        let deciding = view.deciding.expect("a record decided");
        assert_eq!((deciding.domain.as_str(), deciding.mechanism.as_deref()), ("mx-out.facebook.com", Some("~all")));
        i.common.overrides.push(Override {
            name: "mx-out.facebook.com".into(),
            rtype: "TXT".into(),
            values: vec!["v=spf1 a ip4:66.220.155.156 ~all".into()],
        });
        let (r, _) = futures_executor::block_on(evaluate(instagram(), &i, &policy, &config)).expect("evaluates");
        assert_eq!(r.helo.result(), SpfResult::Pass);
    }

    #[test]
    fn check_record_replaces_the_published_record() {
        let i = CheckRecordInput {
            domain: "mail.instagram.com".into(),
            record: "v=spf1 ip4:192.0.2.0/24 -all".into(),
            ip: "66.220.155.156".into(),
            ..CheckRecordInput::default()
        };
        let config = i.common.config(0, None, &Policy::default());
        let c = futures_executor::block_on(check_record(instagram(), &i, &config)).expect("evaluates");
        assert_eq!(c.result(), SpfResult::Fail);
        assert_eq!(
            c.outcome.explanation.as_deref(),
            Some("66.220.155.156 is not one of mail.instagram.com's designated mail servers")
        );
    }

    #[test]
    fn bad_input_is_a_message() {
        let config = Config::default();
        let p = Policy::default();
        let e = futures_executor::block_on(evaluate(instagram(), &input("1.2.3", "h.example", ""), &p, &config))
            .expect_err("bad ip");
        assert!(e.contains("1.2.3"), "{e}");
        assert!(futures_executor::block_on(evaluate(instagram(), &input("192.0.2.1", " ", ""), &p, &config)).is_err());
        assert_eq!(parse_ip("[2001:db8::1]"), Ok("2001:db8::1".parse().expect("ip")));
    }

    #[test]
    fn options_deserialise_from_camel_case() {
        let json = r#"{"ip":"192.0.2.1","helo":"h.example","mailFrom":"a@b.example","receiver":"mx.local",
            "timestamp":1700000000,"limits":{"voidLookups":5,"timeBudgetMs":1000},"timeoutMs":250,
            "overrides":[{"name":"b.example","type":"TXT","values":["v=spf1 -all"]}],
            "policy":{"settings":{"HELO_reject":"SPF_Not_Pass"}}}"#;
        let i: EvaluateInput = serde_json::from_str(json).expect("parses");
        let policy = crate::policy::settings(i.policy.as_ref()).expect("valid policy");
        let c = i.common.config(1, None, &policy);
        assert_eq!(
            (c.receiver.as_str(), c.timestamp, c.limits.void_lookups, c.limits.dns_terms),
            ("mx.local", 1_700_000_000, 5, 10)
        );
        assert_eq!(c.limits.time_budget, Some(Duration::from_secs(1)));
        assert_eq!(policy.helo_reject, spf_policy::HeloReject::SpfNotPass);
        // Without explicit limits, the policy's Void_Limit applies.
        let c = Common::default().config(
            1,
            None,
            &crate::policy::settings(Some(&crate::policy::PolicyInput {
                config: Some("Void_Limit = 4\n".into()),
                ..Default::default()
            }))
            .expect("valid"),
        );
        assert_eq!(c.limits.void_lookups, 4);
        let bad = crate::policy::PolicyInput {
            settings: [("HELO_reject".to_string(), "Sometimes".to_string())].into(),
            ..Default::default()
        };
        assert!(crate::policy::settings(Some(&bad)).expect_err("bad mode").contains("HELO_reject"));
        assert_eq!(
            (i.mail_from.as_str(), i.common.timeout_ms, i.common.overrides.len()),
            ("a@b.example", Some(250), 1)
        );
    }
}
