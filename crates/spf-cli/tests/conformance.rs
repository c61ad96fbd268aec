//! `spf conformance` on a small suite in the openspf format.

use crate::util::spf;

const SUITE: &str = "tests/data/mini-suite.yml";

#[test]
fn in_memory_ledger_and_closing_line() {
    let (code, out, _) = spf(&["conformance", SUITE]);
    assert_eq!(code, 1, "one case is wrong on purpose");
    assert!(out.ends_with("3 passed, 1 failed\n"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn over_dns_gives_the_same_ledger() {
    let (_, mem, _) = spf(&["conformance", SUITE]);
    let (code, dns, err) = spf(&["conformance", SUITE, "--over-dns"]);
    assert_eq!((code, err.as_str()), (1, ""));
    assert_eq!(dns, mem);
}

#[test]
fn json_ledger() {
    let (code, out, _) = spf(&["conformance", SUITE, "--json"]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!((doc["passed"].as_u64(), doc["failed"].as_u64()), (Some(3), Some(1)));
    assert_eq!(doc["summary"], "3 passed, 1 failed");
}
