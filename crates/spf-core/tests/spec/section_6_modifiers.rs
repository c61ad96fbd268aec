use spf_core::{Config, InMemory, Problem, SpfResult};

use crate::util::{check, check_with};

/// §6.1: redirect applies only when nothing matched, is ignored with `all`,
/// and a target without a record is permerror.
#[test]
fn section_6_1_redirect() {
    let zone = InMemory::new()
        .txt("r.example", "v=spf1 ip4:198.51.100.0/24 redirect=t.example")
        .txt("t.example", "v=spf1 ip4:192.0.2.0/24 -all")
        .txt("all.example", "v=spf1 ?all redirect=t.example")
        .txt("none.example", "v=spf1 redirect=nothing.example");
    assert_eq!(check(&zone, "192.0.2.1", "r.example").result, SpfResult::Pass);
    assert_eq!(check(&zone, "203.0.113.1", "r.example").result, SpfResult::Fail);
    assert_eq!(check(&zone, "203.0.113.1", "all.example").result, SpfResult::Neutral);
    let o = check(&zone, "203.0.113.1", "none.example");
    assert_eq!(o.result, SpfResult::Permerror);
    assert!(matches!(o.problem(), Some(Problem::RedirectNone { .. })));
}

/// §6.2: the explanation of the redirect target is used, not the original's.
#[test]
fn section_6_2_explanation_follows_redirect() {
    let zone = InMemory::new()
        .txt("o.example", "v=spf1 exp=oexp.example redirect=t.example")
        .txt("oexp.example", "original")
        .txt("t.example", "v=spf1 -all exp=texp.example")
        .txt("texp.example", "%{i} is not welcome at %{d}");
    let o = check(&zone, "192.0.2.1", "o.example");
    assert_eq!(o.result, SpfResult::Fail);
    assert_eq!(o.explanation.as_deref(), Some("192.0.2.1 is not welcome at t.example"));
    assert!(o.explanation_from_exp);
}

/// §6.2: errors in the explanation fall back silently to the default.
#[test]
fn section_6_2_bad_explanations_fall_back_to_default() {
    let zone = InMemory::new()
        .txt("two.example", "v=spf1 -all exp=twotxt.example")
        .txt("twotxt.example", "one")
        .txt("twotxt.example", "two")
        .txt("bad.example", "v=spf1 -all exp=badmacro.example")
        .txt("badmacro.example", "%{z}")
        .txt("nx.example", "v=spf1 -all exp=missing.example");
    let config = Config { default_explanation: "fallback for %{d}".to_string(), ..Config::default() };
    for d in ["two.example", "bad.example", "nx.example"] {
        let o = check_with(&zone, &config, "192.0.2.1", d);
        assert_eq!(o.result, SpfResult::Fail);
        assert_eq!(o.explanation, Some(format!("fallback for {d}")), "{d}");
        assert!(!o.explanation_from_exp);
    }
}

/// §6.2 / §7.3: c, r and t are allowed in explanations, from the config.
#[test]
fn section_6_2_explanation_macros_c_r_t() {
    let zone =
        InMemory::new().txt("e.example", "v=spf1 -all exp=x.example").txt("x.example", "%{c} refused by %{r} at %{t}");
    let config = Config { receiver: "mx.receiver.example".to_string(), timestamp: 1_700_000_000, ..Config::default() };
    let o = check_with(&zone, &config, "2001:db8::7", "e.example");
    assert_eq!(o.explanation.as_deref(), Some("2001:db8::7 refused by mx.receiver.example at 1700000000"));
}
