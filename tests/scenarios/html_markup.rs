//! zonefiles/xss.example.zone: markup in records and explanations stays data.

scenario! {
    /// The exp= text is HTML; it comes back verbatim (after macro
    /// expansion), for the page to show as text.
    html_in_exp_text_is_returned_verbatim:
    ip "192.0.2.66", helo "mail.xss.example", mail_from "victim@xss.example"
    => helo Fail, mail_from Fail,
    then |c| {
        assert_eq!(
            c.report.mail_from.outcome.explanation.as_deref(),
            Some("<img src=x onerror=alert(1)><script>alert('exp')</script> 192.0.2.66 may not send for xss.example")
        );
        let record = c.report.mail_from.outcome.trace.root.record.clone().unwrap_or_default();
        assert!(record.contains("note=<img"), "{record}");
    }
}

scenario! {
    /// A record whose term is markup is a permerror; the trace keeps the text.
    html_as_a_term_is_a_permerror:
    ip "192.0.2.66", helo "mail.xss.example", mail_from "victim@broken.xss.example"
    => helo Fail, mail_from Permerror
}
