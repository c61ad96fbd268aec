//! zonefiles/dualstack.example.zone: void lookups that only happen over IPv6.

scenario! {
    /// Over IPv4 the MX hosts' A records are found and mx3 matches.
    mx_hosts_with_a_records_pass_over_ipv4:
    ip "192.0.2.23", helo "mail.dualstack.example", mail_from "news@dualstack.example"
    => helo Pass, mail_from Pass
}

scenario! {
    /// Over IPv6 each MX host's AAAA lookup is NODATA: the third void
    /// lookup is a permerror before ip6:2001:db8:25::/48 is reached.
    aaaa_misses_inside_mx_are_a_permerror_over_ipv6:
    ip "2001:db8:25::25", helo "mail.dualstack.example", mail_from "news@dualstack.example"
    => helo Pass, mail_from Permerror,
    then |c| {
        let t = &c.report.mail_from.outcome.trace;
        assert_eq!((t.void_lookups, t.void_limit), (3, 2));
        let aaaa_misses = c.queries.iter().filter(|q| q.rtype == "AAAA" && q.name.starts_with("mx")).count();
        assert_eq!(aaaa_misses, 3);
    }
}
