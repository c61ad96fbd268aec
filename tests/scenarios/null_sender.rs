//! zonefiles/bounces.example.zone: the null reverse-path (§2.4).

scenario! {
    /// A bounce from the bounce host: MAIL FROM is checked as
    /// postmaster@mta.bounces.example, so HELO's record decides both.
    null_sender_from_the_bounce_host_passes_through_helo:
    ip "192.0.2.99", helo "mta.bounces.example", mail_from ""
    => helo Pass, mail_from Pass,
    then |c| {
        assert!(c.report.null_sender);
        assert_eq!(c.report.mail_from.sender, "postmaster@mta.bounces.example");
    }
}

scenario! {
    /// A forged bounce claiming that HELO name fails both identities.
    null_sender_from_another_host_fails_through_helo:
    ip "203.0.113.66", helo "mta.bounces.example", mail_from "<>"
    => helo Fail, mail_from Fail,
    then |c| {
        assert!(c.report.null_sender);
        // §2.4 reuses the HELO evaluation: one TXT question, not two.
        assert_eq!(c.queries.iter().filter(|q| q.rtype == "TXT").count(), 1);
    }
}
