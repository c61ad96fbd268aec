//! `HELO_reject`: each mode against every HELO result (MAIL FROM passes, so
//! an accepted message gets the MAIL FROM header).

use spf_core::SpfResult::{self, Fail, Neutral, Pass, Permerror, Softfail, Temperror};
use spf_policy::{Action, Stage};

use crate::util::{report, report_null, verdict};

const R: Action = Action::Reject;
const P: Action = Action::Prepend;

/// The action for each HELO result in §2.6 order (none, neutral, pass,
/// fail, softfail, temperror, permerror).
fn actions(policy: &str) -> Vec<Action> {
    SpfResult::ALL.iter().map(|&h| verdict(policy, &report(h, Pass)).action).collect()
}

#[test]
fn fail_rejects_only_fail() {
    assert_eq!(actions("HELO_reject = Fail"), [P, P, P, R, P, P, P]);
    let d = verdict("HELO_reject = Fail", &report(Fail, Pass));
    assert_eq!(d.stage, Stage::Helo);
    assert_eq!(d.code.as_deref(), Some("550 5.7.23"));
    assert_eq!(
        d.line,
        "550 5.7.23 Message rejected due to: SPF fail - not authorized. Please see \
         http://www.openspf.net/Why?s=helo;id=mx.helo.example;ip=192.0.2.1;r=<UNKNOWN>"
    );
    assert_eq!(d.setting.as_deref(), Some("HELO_reject = Fail"));
}

#[test]
fn fail_is_the_default() {
    assert_eq!(actions(""), actions("HELO_reject = Fail"));
}

#[test]
fn spf_not_pass_rejects_fail_softfail_neutral() {
    assert_eq!(actions("HELO_reject = SPF_Not_Pass"), [P, R, P, R, R, P, P]);
    let d = verdict("HELO_reject = SPF_Not_Pass", &report(Neutral, Pass));
    assert!(d.line.contains("due to: access neither permitted nor denied."), "{}", d.line);
}

#[test]
fn softfail_rejects_softfail_and_fail() {
    assert_eq!(actions("HELO_reject = Softfail"), [P, P, P, R, R, P, P]);
    let d = verdict("HELO_reject = Softfail", &report(Softfail, Pass));
    assert!(d.line.starts_with("550 5.7.23 Message rejected due to: domain owner discourages use of this host."));
}

#[test]
fn null_ignores_helo_for_a_non_null_sender() {
    assert_eq!(actions("HELO_reject = Null"), [P, P, P, P, P, P, P]);
    // The MAIL FROM header is prepended: the HELO fail did not count.
    let d = verdict("HELO_reject = Null", &report(Fail, Pass));
    assert!(d.line.starts_with("prepend Received-SPF: Pass (mailfrom) identity=mailfrom;"), "{}", d.line);
}

#[test]
fn null_rejects_helo_fail_for_the_null_sender() {
    let d = verdict("HELO_reject = Null", &report_null(Fail));
    assert_eq!(d.action, R);
    assert_eq!(d.stage, Stage::Helo);
    let d = verdict("HELO_reject = Null", &report_null(Softfail));
    assert_eq!(d.action, P);
    assert!(
        d.line.starts_with("prepend Received-SPF: Softfail (domain owner discourages use of this host) identity=helo;")
    );
    assert!(d.line.contains("envelope-from=<>;"), "{}", d.line);
}

#[test]
fn false_never_rejects_even_errors() {
    assert_eq!(actions("HELO_reject = False"), [P; 7]);
    // policyd-spf: False prepends before PermError_reject / TempError_Defer are looked at.
    let p = "HELO_reject = False\nMail_From_reject = False\nPermError_reject = True\nTempError_Defer = True";
    assert_eq!(verdict(p, &report(Permerror, Permerror)).action, P);
    assert_eq!(verdict(p, &report(Temperror, Temperror)).action, P);
}

#[test]
fn no_check_skips_helo() {
    assert_eq!(actions("HELO_reject = No_Check"), [P; 7]);
    let d = verdict("HELO_reject = No_Check", &report(Fail, Pass));
    assert!(d.steps.iter().any(|s| s.contains("No_Check")));
    assert!(d.line.contains("identity=mailfrom"));
    // Null sender and HELO unchecked: nothing to say.
    assert_eq!(verdict("HELO_reject = No_Check", &report_null(Fail)).line, "dunno");
}

#[test]
fn helo_reject_ends_before_mail_from() {
    // MAIL FROM would be a reject too, but the HELO one is reported.
    let d = verdict("HELO_reject = Fail", &report(Fail, Fail));
    assert_eq!(d.stage, Stage::Helo);
    assert!(d.line.contains("s=helo;"));
}
