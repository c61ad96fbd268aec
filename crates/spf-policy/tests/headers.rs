//! RFC 7208 §9.1 Received-SPF and RFC 8601 Authentication-Results.

use spf_core::Identity;
use spf_core::SpfResult::{Neutral, Pass, Permerror, Softfail, Temperror};
use spf_policy::{Headers, ReceivedSpf};

use crate::util::{report, report_null};

#[test]
fn received_spf_section_9_1_fields() {
    let r = report(Softfail, Pass);
    let h = ReceivedSpf::new(&r, Identity::Helo, None);
    assert_eq!(
        h.to_string(),
        "Received-SPF: softfail (domain of postmaster@mx.helo.example discourages use of 192.0.2.1 as permitted sender) \
         identity=helo; client-ip=192.0.2.1; helo=mx.helo.example; envelope-from=\"user@sender.example\"; mechanism=~all;"
    );
    let m = ReceivedSpf::new(&r, Identity::MailFrom, Some("mx.receiver.example"));
    assert!(m.to_string().contains("receiver=mx.receiver.example; mechanism=\"ip4:192.0.2.0/24\";"), "{m}");
}

#[test]
fn received_spf_problem_for_errors() {
    let r = report(Permerror, Temperror);
    let h = ReceivedSpf::new(&r, Identity::Helo, None);
    assert!(h.problem.is_some() && h.mechanism.is_none());
    assert!(h.to_string().contains("problem=\""), "{h}");
}

#[test]
fn received_spf_default_mechanism_and_null_sender() {
    let r = report_null(Neutral);
    let h = ReceivedSpf::new(&r, Identity::MailFrom, None);
    // ?all matched; the null reverse-path is an empty quoted string.
    assert!(h.to_string().contains("envelope-from=\"\";"), "{h}");
}

#[test]
fn authentication_results_labels_each_identity() {
    let r = report(Softfail, Pass);
    let h = Headers::new(&r, None, "mx.receiver.example");
    assert_eq!(
        h.authentication_results.to_string(),
        "Authentication-Results: mx.receiver.example; spf=softfail smtp.helo=mx.helo.example; spf=pass smtp.mailfrom=sender.example"
    );
    assert_eq!(h.text.len(), 3);
}
