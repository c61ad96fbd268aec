//! `Mail_From_reject`: each mode against every MAIL FROM result (HELO
//! neutral under the default `HELO_reject = Fail`, so HELO never decides).

use spf_core::SpfResult::{self, Fail, Neutral, None as NoneR, Pass, Softfail};
use spf_policy::{Action, Stage};

use crate::util::{report, verdict};

const R: Action = Action::Reject;
const P: Action = Action::Prepend;

/// The action for each MAIL FROM result in §2.6 order (none, neutral,
/// pass, fail, softfail, temperror, permerror).
fn actions(policy: &str) -> Vec<Action> {
    SpfResult::ALL.iter().map(|&m| verdict(policy, &report(Neutral, m)).action).collect()
}

#[test]
fn fail_rejects_only_fail() {
    assert_eq!(actions("Mail_From_reject = Fail"), [P, P, P, R, P, P, P]);
    let d = verdict("", &report(Neutral, Fail));
    assert_eq!(d.stage, Stage::MailFrom);
    assert_eq!(
        d.line,
        "550 5.7.23 Message rejected due to: SPF fail - not authorized. Please see \
         http://www.openspf.net/Why?s=mfrom;id=user@sender.example;ip=192.0.2.1;r=<UNKNOWN>"
    );
    assert_eq!(d.setting.as_deref(), Some("Mail_From_reject = Fail"));
}

#[test]
fn spf_not_pass_rejects_fail_softfail_neutral() {
    assert_eq!(actions("Mail_From_reject = SPF_Not_Pass"), [P, R, P, R, R, P, P]);
}

#[test]
fn softfail_rejects_softfail_and_fail() {
    assert_eq!(actions("Mail_From_reject = Softfail"), [P, P, P, R, R, P, P]);
}

#[test]
fn false_never_rejects() {
    assert_eq!(actions("Mail_From_reject = False\nPermError_reject = True\nTempError_Defer = True"), [P; 7]);
}

#[test]
fn no_check_keeps_the_helo_header() {
    let d = verdict("Mail_From_reject = No_Check", &report(Neutral, Fail));
    assert_eq!(d.action, P);
    assert!(d.line.starts_with("prepend Received-SPF: Neutral (access neither permitted nor denied) identity=helo;"));
    // Both unchecked: dunno.
    let d = verdict("Mail_From_reject = No_Check\nHELO_reject = No_Check", &report(Fail, Fail));
    assert_eq!((d.action, d.line.as_str()), (Action::Dunno, "dunno"));
}

#[test]
fn pass_prepends_the_mail_from_header() {
    let d = verdict("", &report(Neutral, Pass));
    assert_eq!(
        d.line,
        "prepend Received-SPF: Pass (mailfrom) identity=mailfrom; client-ip=192.0.2.1; helo=mx.helo.example; \
         envelope-from=user@sender.example; receiver=<UNKNOWN> "
    );
}

#[test]
fn mail_from_none_keeps_the_helo_header() {
    // policyd-spf: a MAIL FROM "none" does not replace a HELO result's header.
    let d = verdict("", &report(Softfail, NoneR));
    assert!(
        d.line.starts_with("prepend Received-SPF: Softfail (domain owner discourages use of this host) identity=helo;")
    );
    let d = verdict("", &report(NoneR, NoneR));
    assert!(d.line.starts_with("prepend Received-SPF: None (mailfrom) identity=mailfrom;"), "{}", d.line);
}
