//! Bad input: a one-line error on stderr and exit code 2, never a panic.

use crate::util::{ZONES, spf};

fn bad(args: &[&str], expect: &str) {
    let (code, out, err) = spf(args);
    assert_eq!(code, 2, "{args:?}: {err}");
    assert!(out.is_empty(), "{args:?}: {out}");
    assert_eq!(err.lines().count(), 1, "{args:?}: one line: {err}");
    assert!(err.contains(expect), "{args:?}: {err}");
}

/// `bad` for `spf check` with a valid client, HELO and sender, plus `extra`
/// (the one argument under test).
fn bad_check(extra: &[&str], expect: &str) {
    let mut args = vec!["check", "--ip", "192.0.2.1", "--helo", "h.example", "--mail-from", "a@b.example"];
    args.extend_from_slice(extra);
    bad(&args, expect);
}

#[test]
fn unparsable_ip() {
    bad(
        &["check", "--ip", "66.220.155.999", "--helo", "h.example", "--mail-from", "a@b.example", "--zones", ZONES],
        "invalid IP address",
    );
}

#[test]
fn address_without_at() {
    bad(
        &["check", "--ip", "192.0.2.1", "--helo", "h.example", "--mail-from", "nobody", "--zones", ZONES],
        "expected local@domain",
    );
}

#[test]
fn unreadable_config() {
    bad_check(&["--policy", "/nonexistent/policyd-spf.conf"], "cannot read policy file");
}

#[test]
fn unknown_option_value() {
    bad_check(&["--helo-reject", "Sometimes"], "HELO_reject: unknown value");
    bad_check(&["--set", "Header_Type=XML"], "Header_Type");
    bad_check(&["--set", "Bogus=1"], "unknown policyd-spf option");
}

#[test]
fn bad_config_file_names_the_line() {
    bad_check(&["--policy", "tests/data/bad.conf"], "line 3: Mail_From_reject: unknown value \"Null\"");
}

#[test]
fn bad_arguments() {
    bad(&["check", "--ip", "192.0.2.1"], "error:");
    bad(&["frobnicate"], "error:");
    bad(
        &["check", "--ip", "192.0.2.1", "--helo", "h", "--mail-from", "a@b.example", "--nameserver", "not-an-address"],
        "--nameserver",
    );
    bad(&["conformance", "/nonexistent/suite.yml"], "suite.yml");
}

#[test]
fn a_file_that_is_not_a_suite_gets_a_short_error() {
    // One long line of text: YAML reads it as a string, serde quotes it.
    let path = std::env::temp_dir().join(format!("spf-not-a-suite-{}.yml", std::process::id()));
    std::fs::write(&path, "word ".repeat(2000)).expect("write a temporary file");
    let file = path.to_string_lossy().into_owned();
    bad(&["conformance", &file], "is not an openspf suite");
    let (_, _, err) = spf(&["conformance", &file]);
    let _ = std::fs::remove_file(&path);
    assert!(err.len() < 400, "the error stays short: {err}");
}
