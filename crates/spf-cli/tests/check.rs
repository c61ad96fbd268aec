//! `spf check` over the test bed.

use crate::util::{ZONES, spf};

const INCIDENT: [&str; 8] = [
    "--ip",
    "66.220.155.156",
    "--helo",
    "mx-out.facebook.com",
    "--mail-from",
    "security@mail.instagram.com",
    "--zones",
    ZONES,
];

fn check(extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["check"];
    args.extend_from_slice(&INCIDENT);
    args.extend_from_slice(extra);
    spf(&args)
}

#[test]
fn incident_text() {
    let (code, out, err) = check(&[]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(out.contains("HELO mx-out.facebook.com: softfail\n"));
    assert!(out.contains("MAIL FROM security@mail.instagram.com: pass\n"));
    assert!(out.contains(
        "rejected (550 5.7.23 ...) under HELO_reject = SPF_Not_Pass or Softfail; accepted under Fail, Null, False, No_Check"
    ));
    insta::assert_snapshot!(out);
}

#[test]
fn incident_under_the_incident_policy_is_a_reject() {
    let (code, out, _) = check(&["--helo-reject", "Softfail"]);
    assert_eq!(code, 1, "exit code 1 for a reject");
    assert!(out.contains("action=550 5.7.23 Message rejected due to: domain owner discourages use of this host. Please see http://www.openspf.net/Why?s=helo;id=mx-out.facebook.com;ip=66.220.155.156;r=<UNKNOWN>\n"), "{out}");
}

#[test]
fn incident_policy_file() {
    let (code, out, _) = check(&["--policy", "tests/data/incident-policyd-spf.conf"]);
    assert_eq!(code, 1);
    assert!(out.contains("Policy: HELO_reject = SPF_Not_Pass"), "{out}");
}

#[test]
fn incident_trace() {
    let (code, out, _) = check(&["--trace"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}

#[test]
fn incident_json() {
    let (code, out, _) = check(&["--json"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["report"]["helo"]["outcome"]["result"], "softfail");
    assert_eq!(doc["report"]["mail_from"]["outcome"]["result"], "pass");
    assert_eq!(doc["decision"]["action"], "prepend");
    insta::assert_snapshot!(out);
}

#[test]
fn outlook_ipv4_and_ipv6() {
    for ip in ["213.199.154.175", "2a01:111:f400:7e02::200"] {
        let (code, out, err) = spf(&[
            "check",
            "--ip",
            ip,
            "--helo",
            "eur01-db5-obe.outbound.protection.outlook.com",
            "--mail-from",
            "someone@outlook.com",
            "--zones",
            ZONES,
        ]);
        assert_eq!((code, err.as_str()), (0, ""), "{ip}");
        assert!(out.contains(": pass\n  explanation"), "{out}");
        insta::assert_snapshot!(format!("outlook_{}", if ip.contains(':') { "ipv6" } else { "ipv4" }), out);
    }
}

#[test]
fn outlook_json() {
    let (code, out, _) = spf(&[
        "check",
        "--ip",
        "2a01:111:f400:7e02::200",
        "--helo",
        "eur01-db5-obe.outbound.protection.outlook.com",
        "--mail-from",
        "someone@outlook.com",
        "--zones",
        ZONES,
        "--json",
    ]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}
