//! zonefiles/bank.example.zone, forwarder.example.zone: plain forwarding
//! breaks SPF for the original sender.

scenario! {
    /// The forwarder's HELO is its own (pass); bank.example does not list
    /// the forwarder (fail, with bank.example's exp= text).
    forwarded_mail_fails_mail_from_but_passes_helo:
    ip "198.51.100.25", helo "mail.forwarder.example", mail_from "alice@bank.example"
    => helo Pass, mail_from Fail,
    then |c| {
        assert_eq!(
            c.report.mail_from.outcome.explanation.as_deref(),
            Some("198.51.100.25 is not a mail server of bank.example: a forwarder must rewrite the sender (SRS)")
        );
        assert_eq!(c.report.helo.outcome.explanation, None);
    }
}

scenario! {
    /// The same message sent directly by the bank passes.
    mail_sent_by_the_bank_itself_passes:
    ip "192.0.2.10", helo "mail.forwarder.example", mail_from "alice@bank.example"
    => helo Fail, mail_from Pass
}
