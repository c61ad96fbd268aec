use spf_core::{Config, Identity, InMemory, SpfResult, Unchecked, check_identities};

use crate::util::{ip, run_now};

fn incident() -> InMemory {
    InMemory::new()
        .txt("mail.instagram.com", "v=spf1 include:facebookmail.com -all")
        .txt("facebookmail.com", "v=spf1 ip4:66.220.144.128/25 ip4:66.220.155.0/24 -all")
        .txt("mx-out.facebook.com", "v=spf1 a ~all")
        .a("mx-out.facebook.com", "69.63.179.2".parse().expect("ip"))
}

/// §2.3: HELO and MAIL FROM are checked separately; a HELO softfail does
/// not hide a MAIL FROM pass (the Instagram incident).
#[test]
fn helo_and_mail_from_are_both_reported() {
    let r = run_now(check_identities(
        &incident(),
        &Config::default(),
        ip("66.220.155.156"),
        "mx-out.facebook.com",
        "security@mail.instagram.com",
    ));
    assert_eq!(r.helo.identity, Identity::Helo);
    assert_eq!(r.helo.result(), SpfResult::Softfail);
    assert_eq!(r.helo.sender, "postmaster@mx-out.facebook.com");
    assert_eq!(r.helo.outcome.mechanism(), Some("~all"));
    assert_eq!(r.mail_from.result(), SpfResult::Pass);
    assert_eq!(r.mail_from.outcome.mechanism(), Some("include:facebookmail.com"));
    assert!(!r.null_sender);
}

/// §2.4: a null reverse-path is checked as postmaster@<helo>.
#[test]
fn null_mail_from_uses_the_helo_identity() {
    for null in ["", "<>"] {
        let r = run_now(check_identities(
            &incident(),
            &Config::default(),
            ip("66.220.155.156"),
            "mx-out.facebook.com",
            null,
        ));
        assert!(r.null_sender);
        assert_eq!(r.mail_from.identity, Identity::MailFrom);
        assert_eq!(r.mail_from.sender, "postmaster@mx-out.facebook.com");
        assert_eq!(r.mail_from.result(), SpfResult::Softfail);
    }
}

/// §2.3: a HELO that is an address literal is not a domain to check.
#[test]
fn helo_address_literal_is_reported_not_queried() {
    let r = run_now(check_identities(
        &incident(),
        &Config::default(),
        ip("192.0.2.1"),
        "[192.0.2.1]",
        "security@mail.instagram.com",
    ));
    assert_eq!(r.helo.unchecked, Some(Unchecked::AddressLiteral));
    assert_eq!(r.helo.result(), SpfResult::None);
    assert_eq!(r.helo.outcome.trace.queries, 0);
    assert_eq!(r.mail_from.result(), SpfResult::Fail);
}

/// §4.3: a HELO that is not a fully-qualified domain name gives none.
#[test]
fn helo_not_a_domain_is_none() {
    let r = run_now(check_identities(
        &incident(),
        &Config::default(),
        ip("192.0.2.1"),
        "OEMCOMPUTER",
        "security@mail.instagram.com",
    ));
    assert!(matches!(r.helo.unchecked, Some(Unchecked::NotADomain(_))));
    assert_eq!(r.helo.result(), SpfResult::None);
}

/// §4.3: 'If the <sender> has no local-part, substitute the string "postmaster"'.
#[test]
fn empty_local_part_becomes_postmaster() {
    let r =
        run_now(check_identities(&incident(), &Config::default(), ip("192.0.2.1"), "x.example", "@mail.instagram.com"));
    assert_eq!(r.mail_from.sender, "postmaster@mail.instagram.com");
}

/// §5: an IPv4-mapped IPv6 client is evaluated as IPv4.
#[test]
fn ipv4_mapped_client_is_ipv4() {
    let r = run_now(check_identities(
        &incident(),
        &Config::default(),
        ip("::ffff:66.220.155.156"),
        "mx-out.facebook.com",
        "security@mail.instagram.com",
    ));
    assert_eq!(r.ip, ip("66.220.155.156"));
    assert_eq!(r.mail_from.result(), SpfResult::Pass);
}
