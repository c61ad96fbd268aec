//! zonefiles/shop.example.zone: includes stacked past the §4.6.4 limit.

scenario! {
    /// The eleventh DNS-querying term (include:_spf.billing) is one too
    /// many: permerror, although the billing relay is listed there.
    eleven_dns_terms_are_a_permerror_even_for_a_listed_sender:
    ip "198.51.100.77", helo "relay.billing.shop.example", mail_from "invoices@shop.example"
    => helo Pass, mail_from Permerror,
    then |c| {
        let t = &c.report.mail_from.outcome.trace;
        assert_eq!((t.dns_terms, t.dns_term_limit), (11, 10));
        // The billing record is never fetched: the limit stops evaluation first.
        assert!(!c.queries.iter().any(|q| q.name == "_spf.billing.shop.example"));
    }
}
