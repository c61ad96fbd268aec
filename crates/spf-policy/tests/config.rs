//! policyd-spf.conf parsing: format, defaults and clear errors.

use spf_policy::{ConfigErrorKind, HeaderType, HeloReject, MailFromReject, Policy};

#[test]
fn defaults_are_policyd_spf_defaults() {
    let p = Policy::default();
    assert_eq!(p.helo_reject, HeloReject::Fail);
    assert_eq!(p.mail_from_reject, MailFromReject::Fail);
    assert!(!p.permerror_reject && !p.temperror_defer && !p.no_mail && !p.test_only);
    assert_eq!(
        p.skip_addresses.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["127.0.0.0/8", "::ffff:127.0.0.0/104", "::1/128"]
    );
    assert!(p.spf_enhanced_status_codes);
    assert_eq!(p.header_type, HeaderType::Spf);
    assert!(p.hide_receiver);
    assert_eq!((p.void_limit, p.lookup_time, p.whitelist_lookup_time), (2, 20, 10));
    assert_eq!(p.authserv_id, "HOSTNAME");
    assert!(p.changed().is_empty());
}

#[test]
fn reads_the_shipped_file() {
    let text = "#  For a fully commented sample config file see policyd-spf.conf.commented\n\n\
                debugLevel = 1 \nTestOnly = 1\n\nHELO_reject = Fail\nMail_From_reject = Fail\n\n\
                PermError_reject = False\nTempError_Defer = False\n\n\
                skip_addresses = 127.0.0.0/8,::ffff:127.0.0.0/104,::1\n";
    let p = Policy::parse(text).expect("shipped config");
    assert_eq!(p.ignored, ["debugLevel = 1"]);
    assert!(p.changed().is_empty(), "{:?}", p.changed());
}

#[test]
fn comments_lists_and_spaces() {
    let p = Policy::parse(
        "HELO_reject=Softfail # the incident's setting\n  Whitelist = 192.0.2.0/24, 2001:db8::/32 ,\n\
         Reject_Not_Pass_Domains = AOL.com,hotmail.com.\n",
    )
    .expect("config");
    assert_eq!(p.helo_reject, HeloReject::Softfail);
    assert_eq!(p.whitelist.len(), 2);
    assert_eq!(p.reject_not_pass_domains, ["aol.com", "hotmail.com"]);
    assert_eq!(p.changed()[0], "HELO_reject = Softfail");
}

#[test]
fn reason_url_may_hold_equals_signs() {
    let p = Policy::parse("Reason_URL = https://x.example/why?s={0}&id={1}&ip={2}&r={3}").expect("config");
    assert_eq!(p.reason_url, "https://x.example/why?s={0}&id={1}&ip={2}&r={3}");
    let e = Policy::parse("Reason_Message = a=b").expect_err("= outside Reason_URL");
    assert_eq!(e.line, Some(1));
}

fn error(text: &str) -> String {
    Policy::parse(text).expect_err(text).to_string()
}

#[test]
fn unknown_values_are_errors_with_the_line() {
    assert_eq!(
        error("\nHELO_reject = Softfial"),
        "line 2: HELO_reject: unknown value \"Softfial\" (expected one of Fail, SPF_Not_Pass, Softfail, Null, False, No_Check)"
    );
    // Null is HELO-only.
    assert!(error("Mail_From_reject = Null").starts_with("line 1: Mail_From_reject: unknown value \"Null\""));
    assert!(error("PermError_reject = true").contains("would act as False"));
    assert!(error("Hide_Receiver = maybe").contains("expected Yes or No"));
    assert!(error("Header_Type = SPF,AR").contains("Header_Type"));
    assert!(error("Void_Limit = two").contains("whole number"));
    assert!(error("Whitelist = 192.0.2.1/24").contains("host bits set"));
    assert!(error("skip_addresses = localhost").contains("CIDR"));
    assert!(error("Reason_Message = {oops}").contains("unknown field {oops}"));
    assert!(error("Reason_URL = http://x/{4}").contains("unknown field {4}"));
}

#[test]
fn unknown_names_and_lines_are_errors() {
    let e = Policy::parse("HELO_Reject = Fail").expect_err("case matters");
    assert_eq!(e.kind, ConfigErrorKind::UnknownOption { name: "HELO_Reject".to_string() });
    assert_eq!(error("just words"), "line 1: expected `Name = value`, found \"just words\"");
}

#[test]
fn odd_input_never_panics() {
    for text in [
        "=",
        "= =",
        "==",
        "#",
        "a=\u{0}",
        "Reason_Message = {",
        "Reason_Message = }",
        "Reason_URL = {{0}}",
        "\u{feff}x=1",
        "TestOnly = 99999999999999999999",
    ] {
        let _ = Policy::parse(text);
    }
}

#[test]
fn set_takes_policyd_names() {
    let mut p = Policy::default();
    p.set("HELO_reject", "SPF_Not_Pass").expect("valid");
    assert_eq!(p.helo_reject, HeloReject::SpfNotPass);
    assert!(p.set("HELO_reject", "Sometimes").is_err());
}

#[test]
fn serialises_with_option_names() {
    let json = serde_json::to_value(Policy::default()).expect("json");
    assert_eq!(json["HELO_reject"], "Fail");
    assert_eq!(json["Header_Type"], "SPF");
    let back: Policy = serde_json::from_value(json).expect("round trip");
    assert_eq!(back, Policy::default());
}
