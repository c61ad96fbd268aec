//! The per-mode comparison (the incident's question).

use spf_core::SpfResult::{Fail, Pass, Softfail, Temperror};
use spf_policy::{Envelope, compare};

use crate::util::{policy, report, report_null};

#[test]
fn incident_helo_softfail_mail_from_pass() {
    let c = compare(&policy(""), &report(Softfail, Pass), &Envelope::default(), None);
    assert_eq!(
        c.helo_summary,
        "rejected (550 5.7.23 ...) under HELO_reject = SPF_Not_Pass or Softfail; accepted under Fail, Null, False, No_Check"
    );
    assert_eq!(c.mail_from_summary, "accepted under every Mail_From_reject mode");
    assert_eq!(c.helo_reject.len(), 6);
    assert_eq!(c.mail_from_reject.len(), 5);
}

#[test]
fn helo_fail_with_null_sender() {
    let c = compare(&policy(""), &report_null(Fail), &Envelope::default(), None);
    assert_eq!(
        c.helo_summary,
        "rejected (550 5.7.23 ...) under HELO_reject = Fail, SPF_Not_Pass, Softfail or Null; accepted under False, No_Check"
    );
}

#[test]
fn mail_from_fail_rejects_whatever_the_helo_mode() {
    let c = compare(&policy(""), &report(Pass, Fail), &Envelope::default(), None);
    // The refusal is Mail_From_reject's doing, and the summary says so.
    assert_eq!(c.helo_summary, "rejected (550 5.7.23 ...) by Mail_From_reject = Fail under every HELO_reject mode");
    assert_eq!(
        c.mail_from_summary,
        "rejected (550 5.7.23 ...) under Mail_From_reject = Fail, SPF_Not_Pass or Softfail; accepted under False, No_Check"
    );
}

#[test]
fn defers_are_grouped_apart() {
    let c = compare(&policy("TempError_Defer = True"), &report(Temperror, Pass), &Envelope::default(), None);
    assert_eq!(
        c.helo_summary,
        "deferred (defer_if_permit 4.7.24 ...) under HELO_reject = Fail, SPF_Not_Pass or Softfail; accepted under Null, False, No_Check"
    );
}
