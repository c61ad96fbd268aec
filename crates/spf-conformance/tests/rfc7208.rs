//! The openspf RFC 7208 suite, over in-memory zones: every case must pass,
//! results and explanations, with no skips.

use std::path::Path;

use spf_conformance::{find_suite, run_in_memory, Suite};

fn suite(name: &str) -> Option<Suite> {
    match find_suite(name, Path::new(env!("CARGO_MANIFEST_DIR"))) {
        Some(p) => Some(Suite::load(&p).unwrap_or_else(|e| panic!("{e}"))),
        None => {
            assert!(
                std::env::var_os("CI").is_none(),
                "{name} not found: under CI the suite is required (run scripts/fetch-suites.sh)"
            );
            eprintln!("{name} not found: run scripts/fetch-suites.sh (or set SPF_SUITE_DIR) to run this test");
            None
        }
    }
}

#[test]
fn rfc7208_suite_passes_in_full() {
    let Some(suite) = suite("rfc7208-tests.yml") else { return };
    assert_eq!(suite.len(), 203, "the 2014.04 suite has 203 cases");
    let ledger = run_in_memory(&suite, &|_, _| None);
    for r in ledger.failures() {
        eprintln!("{r}");
    }
    println!("rfc7208: {}", ledger.summary());
    assert_eq!(ledger.failed(), 0, "rfc7208: {}", ledger.summary());
    assert_eq!(ledger.passed(), 203);
}
