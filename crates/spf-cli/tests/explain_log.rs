//! `spf explain-log` on the incident's line.

use crate::util::{ZONES, spf};

const LINE: &str = "Jan 12 10:00:01 mx postfix/smtpd[1234]: NOQUEUE: reject: RCPT from \
66-220-155-156.mail-mail.facebook.com[66.220.155.156]: 550 5.7.1 <me@example.org>: Recipient address rejected: \
Message rejected due to: domain owner discourages use of this host. Please see \
http://www.openspf.net/Why?s=helo;id=mx-out.facebook.com;ip=66.220.155.156;r=<UNKNOWN>; \
from=<security@mail.instagram.com> to=<me@example.org> proto=ESMTP helo=<mx-out.facebook.com>";

#[test]
fn incident_line() {
    let (code, out, err) = spf(&["explain-log", LINE, "--zones", ZONES]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(out.contains("Which identity failed: the HELO identity, mx-out.facebook.com (softfail)."));
    assert!(out.contains(
        "`a` matched only 69.63.179.2 (the address of mx-out.facebook.com), while the client is 66.220.155.156"
    ));
    assert!(out.contains("HELO_reject = SPF_Not_Pass or Softfail"));
    assert!(out.contains("Whitelist = 66.220.155.156"));
    insta::assert_snapshot!(out);
}

#[test]
fn parse_extracts_every_field() {
    let l = spf_cli::parse_log_line(LINE).expect("incident line");
    assert_eq!(l.ip.to_string(), "66.220.155.156");
    assert_eq!(l.helo, "mx-out.facebook.com");
    assert_eq!(l.mail_from, "security@mail.instagram.com");
    assert_eq!(l.recipient.as_deref(), Some("me@example.org"));
    assert_eq!(l.scope.as_deref(), Some("helo"));
    assert_eq!(l.code.as_deref(), Some("550 5.7.1"));
    assert_eq!(l.reason.as_deref(), Some("domain owner discourages use of this host"));
}

#[test]
fn malformed_lines_name_what_is_missing() {
    let (code, _, err) = spf(&["explain-log", "Jan 12 reject: something went wrong", "--zones", ZONES]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: malformed log line: no client address: expected `RCPT from host[IP]` or `ip=` in policyd-spf's URL\n"
    );
    let (code, _, err) =
        spf(&["explain-log", "reject: RCPT from x[192.0.2.1]: 550 no helo here from=<a@b.example>", "--zones", ZONES]);
    assert_eq!(code, 2);
    assert!(err.contains("no HELO name"), "{err}");
}
