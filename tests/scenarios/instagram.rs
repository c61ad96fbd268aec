//! zonefiles/instagram.com.zone, facebookmail.com.zone, facebook.com.zone,
//! 220.66.in-addr.arpa.zone: the Instagram/Facebook incident.

scenario! {
    /// Facebook's relay sends Instagram mail: the HELO name's `a ~all` does
    /// not list the relay (softfail), the sender's include does (pass).
    instagram_helo_softfails_and_mail_from_passes:
    ip "66.220.155.156", helo "mx-out.facebook.com", mail_from "security@mail.instagram.com"
    => helo Softfail, mail_from Pass,
    then |c| {
        assert_eq!(c.report.helo.outcome.mechanism(), Some("~all"));
        assert_eq!(c.report.mail_from.outcome.mechanism(), Some("include:facebookmail.com"));
        assert_eq!(
            spf_scenario_tests::deciding_term(&c.report.mail_from),
            Some(("facebookmail.com".to_string(), "ip4:66.220.155.0/24".to_string()))
        );
        assert_eq!(c.report.mail_from.outcome.explanation, None);
    }
}
