//! Zones that give each identity the SPF result asked for.

use std::net::IpAddr;

use spf_core::{Config, InMemory, LookupError, RecordType, Report, SpfResult, check_identities};
use spf_policy::{Decision, Envelope, Policy, decide, decide_with};

pub const IP: &str = "192.0.2.1";
pub const HELO: &str = "mx.helo.example";
pub const SENDER: &str = "user@sender.example";

pub fn ip() -> IpAddr {
    IP.parse().expect("test address")
}

/// Adds to `zone` what makes `domain` evaluate to `result` for [`IP`].
pub fn publish(zone: InMemory, domain: &str, result: SpfResult) -> InMemory {
    match result {
        SpfResult::Pass => zone.txt(domain, "v=spf1 ip4:192.0.2.0/24 -all"),
        SpfResult::Fail => zone.txt(domain, "v=spf1 ip4:198.51.100.1 -all"),
        SpfResult::Softfail => zone.txt(domain, "v=spf1 ip4:198.51.100.1 ~all"),
        SpfResult::Neutral => zone.txt(domain, "v=spf1 ?all"),
        SpfResult::None => zone.none(domain, RecordType::Txt),
        SpfResult::Permerror => zone.txt(domain, "v=spf1 moo -all"),
        SpfResult::Temperror => zone.fault(domain, Some(RecordType::Txt), LookupError::ServerFailure),
    }
}

pub fn zone(helo: SpfResult, mail_from: SpfResult) -> InMemory {
    publish(publish(InMemory::new(), HELO, helo), "sender.example", mail_from)
}

pub fn report_in(zone: &InMemory, policy: &Policy, mail_from: &str) -> Report {
    let config = policy.core_config(Config::default());
    futures_executor::block_on(check_identities(zone, &config, ip(), HELO, mail_from))
}

/// The report for a transaction whose HELO and MAIL FROM give these results.
pub fn report(helo: SpfResult, mail_from: SpfResult) -> Report {
    let r = report_in(&zone(helo, mail_from), &Policy::default(), SENDER);
    assert_eq!((r.helo.result(), r.mail_from.result()), (helo, mail_from), "test zone");
    r
}

/// The same with a null sender (`MAIL FROM:<>`).
pub fn report_null(helo: SpfResult) -> Report {
    let r = report_in(&zone(helo, SpfResult::None), &Policy::default(), "");
    assert_eq!(r.helo.result(), helo, "test zone");
    r
}

pub fn policy(text: &str) -> Policy {
    Policy::parse(text).unwrap_or_else(|e| panic!("test policy {text:?}: {e}"))
}

/// Decides without DNS whitelists.
pub fn verdict(text: &str, report: &Report) -> Decision {
    decide_with(&policy(text), report, &Envelope::default(), None)
}

/// Decides with the whitelist checks against `zone`.
pub fn verdict_dns(text: &str, zone: &InMemory, report: &Report) -> Decision {
    let p = policy(text);
    let config = p.core_config(Config::default());
    futures_executor::block_on(decide(&p, zone, &config, report, &Envelope::default()))
}
