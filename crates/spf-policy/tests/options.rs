//! One test per policyd-spf option (besides the two reject modes).

use spf_core::InMemory;
use spf_core::SpfResult::{Fail, Neutral, Pass, Permerror, Softfail, Temperror};
use spf_policy::{Action, Envelope, Stage, decide_with};

use crate::util::{HELO, SENDER, policy, publish, report, report_in, verdict, verdict_dns, zone};

#[test]
fn permerror_reject() {
    let r = report(Neutral, Permerror);
    assert_eq!(verdict("", &r).action, Action::Prepend);
    let d = verdict("PermError_reject = True", &r);
    assert_eq!(d.action, Action::Reject);
    // RFC 7372: an SPF error is 5.7.24, a failed validation 5.7.23.
    assert_eq!(d.code.as_deref(), Some("550 5.7.24"));
    assert!(d.line.contains("due to: SPF Permanent Error: "), "{}", d.line);
    assert_eq!(d.setting.as_deref(), Some("PermError_reject = True"));
    // HELO too.
    assert_eq!(verdict("PermError_reject = True", &report(Permerror, Pass)).stage, Stage::Helo);
}

#[test]
fn temperror_defer() {
    let r = report(Neutral, Temperror);
    assert_eq!(verdict("", &r).action, Action::Prepend);
    let d = verdict("TempError_Defer = True", &r);
    assert_eq!(d.action, Action::Defer);
    assert_eq!(d.code.as_deref(), Some("defer_if_permit 4.7.24"));
    assert!(d.line.starts_with("defer_if_permit 4.7.24 Message deferred due to: SPF Temporary Error: "), "{}", d.line);
}

#[test]
fn skip_addresses() {
    let z = zone(Fail, Fail);
    let r = report_in(&z, &policy(""), SENDER);
    // The default skips loopback only.
    assert_eq!(verdict_dns("", &z, &r).action, Action::Reject);
    let d = verdict_dns("skip_addresses = 192.0.2.0/24", &z, &r);
    assert_eq!((d.action, d.stage), (Action::Prepend, Stage::SkipAddresses));
    assert_eq!(
        d.line,
        "prepend X-Comment: SPF check N/A for local connections - client-ip=192.0.2.1; helo=mx.helo.example; \
         envelope-from=user@sender.example; receiver=<UNKNOWN> "
    );
}

#[test]
fn whitelist() {
    let z = zone(Fail, Fail);
    let r = report_in(&z, &policy(""), SENDER);
    assert_eq!(verdict_dns("Whitelist = 198.51.100.0/24", &z, &r).action, Action::Reject);
    let d = verdict_dns("Whitelist = 198.51.100.0/24,192.0.2.1", &z, &r);
    assert_eq!(d.stage, Stage::Whitelist);
    assert!(d.line.starts_with("prepend X-Comment: SPF skipped for whitelisted relay - client-ip=192.0.2.1;"));
}

#[test]
fn domain_whitelist() {
    let z = publish(zone(Fail, Fail), "forwarder.example", Pass).txt("other.example", "v=spf1 -all");
    let r = report_in(&z, &policy(""), SENDER);
    assert_eq!(verdict_dns("Domain_Whitelist = other.example", &z, &r).action, Action::Reject);
    let d = verdict_dns("Domain_Whitelist = other.example,forwarder.example", &z, &r);
    assert_eq!(d.stage, Stage::DomainWhitelist);
    assert_eq!(d.bypass.map(|b| b.entry).as_deref(), Some("forwarder.example"));
}

#[test]
fn helo_whitelist_needs_the_client_address() {
    let ip = crate::util::ip();
    let z = zone(Fail, Fail);
    let r = report_in(&z, &policy(""), SENDER);
    // Listed, but its address is not the client's: no bypass.
    let wrong = z.clone().addr(HELO, "198.51.100.7".parse().expect("ip"));
    assert_eq!(verdict_dns("HELO_Whitelist = mx.helo.example", &wrong, &r).action, Action::Reject);
    let right = z.addr(HELO, ip);
    let d = verdict_dns("HELO_Whitelist = mx.helo.example", &right, &r);
    assert_eq!(d.stage, Stage::HeloWhitelist);
    assert!(d.line.contains("SPF skipped for whitelisted HELO domain - "));
}

#[test]
fn domain_whitelist_ptr_matches_labels_and_confirms() {
    let ip = crate::util::ip();
    let base = zone(Fail, Fail);
    let r = report_in(&base, &policy(""), SENDER);
    let p = "Domain_Whitelist_PTR = yahoo.com";
    // Label boundary: evilyahoo.com is not yahoo.com (policyd-spf's endswith would say it is).
    let evil = base.clone().ptr(ip, "mta.evilyahoo.com").addr("mta.evilyahoo.com", ip);
    assert_eq!(verdict_dns(p, &evil, &r).action, Action::Reject);
    // Forward confirmation: the name must resolve back to the client.
    let unconfirmed =
        base.clone().ptr(ip, "mta1.mail.yahoo.com").addr("mta1.mail.yahoo.com", "198.51.100.1".parse().expect("ip"));
    assert_eq!(verdict_dns(p, &unconfirmed, &r).action, Action::Reject);
    let good = base.ptr(ip, "mta1.mail.yahoo.com").addr("mta1.mail.yahoo.com", ip);
    let d = verdict_dns(p, &good, &r);
    assert_eq!(d.stage, Stage::DomainWhitelistPtr);
    assert!(d.line.contains("SPF skipped for PTR whitelisted relay domain - "));
}

#[test]
fn no_mail_rejects_only_v_spf1_minus_all() {
    // The test zone's fail record is "v=spf1 ip4:198.51.100.1 -all": not a no-mail record.
    let r = report(Neutral, Fail);
    let d = verdict("No_Mail = True", &r);
    assert_eq!(d.action, Action::Prepend);
    let z = zone(Neutral, Pass).txt("nomail.example", "v=spf1 -all");
    let r = report_in(&z, &policy(""), "x@nomail.example");
    assert_eq!(r.mail_from.result(), Fail);
    assert_eq!(verdict("No_Mail = True", &r).action, Action::Reject);
}

#[test]
fn reject_not_pass_domains() {
    let r = report(Neutral, Softfail);
    assert_eq!(verdict("", &r).action, Action::Prepend);
    let d = verdict("Reject_Not_Pass_Domains = aol.com, sender.example", &r);
    assert_eq!(d.action, Action::Reject);
    assert!(d.line.contains("due to: Receiver policy for SPF Softfail."), "{}", d.line);
    assert!(d.setting.as_deref().is_some_and(|s| s.contains("Reject_Not_Pass_Domains")));
    // A subdomain of a listed domain is not listed.
    assert_eq!(verdict("Reject_Not_Pass_Domains = example", &r).action, Action::Prepend);
    // HELO too: HELO neutral becomes a reject.
    let d = verdict("Reject_Not_Pass_Domains = mx.helo.example", &r);
    assert_eq!(d.stage, Stage::Helo);
}

#[test]
fn spf_enhanced_status_codes() {
    let fail = report(Neutral, Fail);
    assert!(verdict("SPF_Enhanced_Status_Codes = No", &fail).line.starts_with("550 Message rejected"));
    let err = report(Neutral, Temperror);
    let d = verdict("SPF_Enhanced_Status_Codes = No\nTempError_Defer = True", &err);
    assert!(d.line.starts_with("defer_if_permit Message deferred"), "{}", d.line);
}

#[test]
fn header_type() {
    let r = report(Softfail, Pass);
    let d = verdict("Header_Type = AR\nAuthserv_Id = mx.example.net", &r);
    assert_eq!(
        d.line,
        "prepend Authentication-Results: mx.example.net; spf=pass (sender SPF authorized) smtp.mailfrom=sender.example \
         (client-ip=192.0.2.1; helo=mx.helo.example; envelope-from=user@sender.example; receiver=<UNKNOWN>)"
    );
    // A HELO result is labelled smtp.helo.
    let d = verdict("Header_Type = AR\nAuthserv_Id = mx.example.net\nMail_From_reject = No_Check", &r);
    assert!(d.line.contains("spf=softfail (domain owner discourages use of this host) smtp.helo=mx.helo.example"));
    assert!(!d.line.contains("smtp.mailfrom"));
    // None: no header, dunno.
    let d = verdict("Header_Type = None", &r);
    assert_eq!((d.action, d.line.as_str()), (Action::Dunno, "dunno"));
}

#[test]
fn hide_receiver() {
    let r = report(Neutral, Pass);
    let env = Envelope { recipient: Some("Someone@Receiver.Example".to_string()), hostname: None };
    let hidden = decide_with(&policy(""), &r, &env, None);
    assert!(hidden.line.contains("receiver=<UNKNOWN>"));
    let shown = decide_with(&policy("Hide_Receiver = No"), &r, &env, None);
    assert!(shown.line.contains("receiver=receiver.example "), "{}", shown.line);
    let none = decide_with(&policy("Hide_Receiver = No"), &r, &Envelope::default(), None);
    assert!(none.line.contains("receiver=none "));
}

#[test]
fn authserv_id() {
    let r = report(Neutral, Pass);
    let env = Envelope { recipient: None, hostname: Some("mail.receiver.example".to_string()) };
    let d = decide_with(&policy("Header_Type = AR"), &r, &env, None);
    assert!(d.line.starts_with("prepend Authentication-Results: mail.receiver.example; spf=pass"), "{}", d.line);
    let d = decide_with(&policy("Header_Type = AR\nAuthserv_Id = auth.example"), &r, &env, None);
    assert!(d.line.starts_with("prepend Authentication-Results: auth.example; "));
}

#[test]
fn reason_message_and_url() {
    let r = report(Neutral, Fail);
    let d = verdict(
        "Reason_Message = SPF {rejectdefer}: {spf} -- {url}\nReason_URL = https://why.example/?s={0}&id={1}&ip={2}&r={3}",
        &r,
    );
    assert_eq!(
        d.line,
        "550 5.7.23 SPF rejected: SPF fail - not authorized -- https://why.example/?s=mfrom&id=user@sender.example&ip=192.0.2.1&r=<UNKNOWN>"
    );
}

#[test]
fn void_limit_and_lookup_time() {
    let p = policy("Void_Limit = 5\nLookup_Time = 7");
    let c = p.core_config(spf_core::Config::default());
    assert_eq!(c.limits.void_lookups, 5);
    assert_eq!(c.limits.time_budget, Some(std::time::Duration::from_secs(7)));
    // Three void lookups: permerror under the default limit of 2, fine under 5.
    let z = InMemory::new()
        .txt("voids.example", "v=spf1 a:n1.example a:n2.example a:n3.example ip4:192.0.2.1 -all")
        .none("n1.example", spf_core::RecordType::A)
        .none("n2.example", spf_core::RecordType::A)
        .none("n3.example", spf_core::RecordType::A);
    assert_eq!(report_in(&z, &policy(""), "a@voids.example").mail_from.result(), Permerror);
    assert_eq!(report_in(&z, &p, "a@voids.example").mail_from.result(), Pass);
}

#[test]
fn test_only_drops_rejects() {
    let r = report(Fail, Fail);
    let d = verdict("TestOnly = 0", &r);
    assert_eq!((d.action, d.line.as_str()), (Action::Dunno, "dunno"));
    // Prepends are kept.
    assert_eq!(verdict("TestOnly = 0", &report(Neutral, Pass)).action, Action::Prepend);
}

#[test]
fn pass_restrictions() {
    let d = verdict("Mail_From_pass_restriction = mfrom_passed_spf", &report(Neutral, Pass));
    assert_eq!((d.action, d.line.as_str()), (Action::ResultOnly, "mfrom_passed_spf"));
    let d = verdict("HELO_pass_restriction = helo_passed_spf", &report(Pass, Fail));
    // policyd-spf: "a helo pass restriction will be the returned result even
    // if the mail from result would cause the message to be rejected".
    assert_eq!(d.line, "helo_passed_spf");
}
