use spf_core::{AnswerClass, InMemory, Overlay, RecordType, SpfResult, TermOutcome};

use crate::util::{check, ip, run_now};

/// The trace records the include nesting, each term's outcome, the
/// queries and the running counters.
#[test]
fn trace_shows_nesting_terms_queries_and_counters() {
    let zone = InMemory::new()
        .txt("top.example", "v=spf1 a:gone.example include:inner.example -all")
        .txt("inner.example", "v=spf1 ip4:192.0.2.0/24 -all");
    let o = check(&zone, "192.0.2.7", "top.example");
    assert_eq!(o.result, SpfResult::Pass);
    let root = &o.trace.root;
    assert_eq!(root.terms.len(), 3);
    assert_eq!(root.terms[0].outcome, TermOutcome::NoMatch);
    assert_eq!(root.terms[0].queries[0].answer, AnswerClass::NxDomain);
    assert_eq!(root.terms[0].void_lookups, 1);
    assert_eq!(root.terms[1].outcome, TermOutcome::Match);
    assert_eq!(root.terms[1].dns_terms, 2);
    let inner = root.terms[1].child.as_ref().expect("include is nested");
    assert_eq!(inner.domain, "inner.example");
    assert_eq!(inner.terms[0].outcome, TermOutcome::Match);
    assert_eq!(root.terms[2].outcome, TermOutcome::NotReached);
    let text = o.trace.to_string();
    assert!(text.contains("counters: DNS terms 2/10, void lookups 1/2"), "{text}");
    // The trace is data: it survives a JSON round trip.
    let json = serde_json::to_string(&o.trace).expect("serialise");
    let back: spf_core::Trace = serde_json::from_str(&json).expect("deserialise");
    assert_eq!(back, o.trace);
}

/// What-if: an overlay replaces one name's TXT and keeps its A from below.
#[test]
fn overlay_replaces_only_what_it_covers() {
    let real = InMemory::new().txt("h.example", "v=spf1 a ~all").a("h.example", [69, 63, 179, 2].into());
    let what_if = Overlay {
        overrides: InMemory::new().txt("h.example", "v=spf1 a ip4:66.220.155.156 ~all"),
        inner: real.clone(),
    };
    let before = run_now(spf_core::check_host(
        &real,
        &Default::default(),
        ip("66.220.155.156"),
        "h.example",
        "postmaster@h.example",
        "h.example",
    ));
    let after = run_now(spf_core::check_host(
        &what_if,
        &Default::default(),
        ip("66.220.155.156"),
        "h.example",
        "postmaster@h.example",
        "h.example",
    ));
    assert_eq!(before.result, SpfResult::Softfail);
    assert_eq!(after.result, SpfResult::Pass);
    assert!(after.trace.all_queries().iter().any(|q| q.rtype == RecordType::A && q.answer == AnswerClass::Records));
}
