use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use spf_core::{Cause, Config, InMemory, Limits, LookupError, Problem, RecordType, SpfResult};

use crate::util::{check, check_with};

/// §4.3: invalid domains are "none" without a query.
#[test]
fn section_4_3_invalid_domains_are_none() {
    let zone = InMemory::new();
    for d in ["localhost", "a..example.com", &format!("{}.example.com", "x".repeat(64))] {
        let o = check(&zone, "192.0.2.1", d);
        assert_eq!(o.result, SpfResult::None, "{d}");
        assert!(matches!(o.cause, Cause::InvalidDomain { .. }), "{d}");
        assert_eq!(o.trace.queries, 0);
    }
}

/// §4.4: a DNS failure on the record lookup is temperror; NXDOMAIN is none.
#[test]
fn section_4_4_record_lookup_errors() {
    let zone = InMemory::new().fault("t.example", Some(RecordType::Txt), LookupError::Timeout).fault(
        "s.example",
        Some(RecordType::Txt),
        LookupError::ServerFailure,
    );
    assert_eq!(check(&zone, "192.0.2.1", "t.example").result, SpfResult::Temperror);
    assert_eq!(check(&zone, "192.0.2.1", "s.example").result, SpfResult::Temperror);
    assert_eq!(check(&zone, "192.0.2.1", "nx.example").result, SpfResult::None);
}

/// §4.5: other TXT records are ignored; two SPF records are permerror.
#[test]
fn section_4_5_record_selection() {
    let zone = InMemory::new()
        .txt("one.example", "google-site-verification=abc")
        .txt("one.example", "v=spf1 -all")
        .txt("two.example", "v=spf1 -all")
        .txt("two.example", "v=spf1 +all")
        .txt("none.example", "v=spf10 +all");
    assert_eq!(check(&zone, "192.0.2.1", "one.example").result, SpfResult::Fail);
    let two = check(&zone, "192.0.2.1", "two.example");
    assert_eq!(two.result, SpfResult::Permerror);
    assert!(matches!(two.problem(), Some(Problem::MultipleRecords { .. })));
    assert_eq!(check(&zone, "192.0.2.1", "none.example").result, SpfResult::None);
}

/// §4.6: a syntax error anywhere, even after a match, is permerror naming the term.
#[test]
fn section_4_6_syntax_error_anywhere_is_permerror() {
    let zone = InMemory::new().txt("e.example", "v=spf1 +all ip4:192.0.2.300");
    let o = check(&zone, "192.0.2.1", "e.example");
    assert_eq!(o.result, SpfResult::Permerror);
    match o.problem() {
        Some(Problem::Syntax { error, .. }) => assert_eq!(error.term, "ip4:192.0.2.300"),
        other => panic!("expected a syntax problem, got {other:?}"),
    }
}

/// §4.6.4: the 11th DNS-querying term is permerror.
#[test]
fn section_4_6_4_ten_dns_terms() {
    let mut zone = InMemory::new();
    let ten = (0..10).map(|n| format!("a:h{n}.example")).collect::<Vec<_>>().join(" ");
    for n in 0..11 {
        zone = zone.a(&format!("h{n}.example"), [198, 51, 100, 1].into());
    }
    zone = zone
        .txt("ten.example", &format!("v=spf1 {ten} -all"))
        .txt("eleven.example", &format!("v=spf1 {ten} a:h10.example -all"));
    let ten = check(&zone, "192.0.2.1", "ten.example");
    assert_eq!(ten.result, SpfResult::Fail);
    assert_eq!(ten.trace.dns_terms, 10);
    let eleven = check(&zone, "192.0.2.1", "eleven.example");
    assert_eq!(eleven.result, SpfResult::Permerror);
    assert_eq!(eleven.problem(), Some(&Problem::TooManyDnsTerms { limit: 10 }));
}

/// §4.6.4: more than two void lookups is permerror; the limit is configurable.
#[test]
fn section_4_6_4_void_lookups() {
    let zone = InMemory::new().txt("v.example", "v=spf1 a:n1.example a:n2.example a:n3.example -all");
    let o = check(&zone, "192.0.2.1", "v.example");
    assert_eq!(o.result, SpfResult::Permerror);
    assert_eq!(o.problem(), Some(&Problem::TooManyVoidLookups { limit: 2 }));
    let lax = Config { limits: Limits { void_lookups: 3, ..Limits::default() }, ..Config::default() };
    assert_eq!(check_with(&zone, &lax, "192.0.2.1", "v.example").result, SpfResult::Fail);
}

/// §4.6.4: an MX answer with more than 10 names is permerror.
#[test]
fn section_4_6_4_mx_names() {
    let mut zone = InMemory::new().txt("mx.example", "v=spf1 mx -all");
    for n in 0..11 {
        zone = zone.mx("mx.example", 10, &format!("mx{n}.example"));
    }
    let o = check(&zone, "192.0.2.1", "mx.example");
    assert_eq!(o.result, SpfResult::Permerror);
    assert!(matches!(o.problem(), Some(Problem::TooManyMxNames { .. })));
}

/// §4.6.4: the overall time bound, measured with the caller's clock, is temperror.
#[test]
fn section_4_6_4_time_bound() {
    let ticks = Arc::new(AtomicU64::new(0));
    let t = ticks.clone();
    // Every reading of the clock advances it by 3 seconds.
    let clock = Arc::new(move || Duration::from_secs(t.fetch_add(3, Ordering::SeqCst)));
    let config = Config {
        clock: Some(clock),
        limits: Limits { time_budget: Some(Duration::from_secs(10)), ..Limits::default() },
        ..Config::default()
    };
    let mut zone = InMemory::new()
        .txt("slow.example", "v=spf1 a:h1.example a:h2.example a:h3.example a:h4.example a:h5.example -all");
    for n in 1..=5 {
        zone = zone.a(&format!("h{n}.example"), [198, 51, 100, 1].into());
    }
    let o = check_with(&zone, &config, "192.0.2.1", "slow.example");
    assert_eq!(o.result, SpfResult::Temperror);
    assert_eq!(o.problem(), Some(&Problem::TimeLimit));
}
