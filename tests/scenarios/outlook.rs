//! zonefiles/outlook.com.zone: Microsoft 365 outbound, from one host over
//! both address families.

scenario! {
    /// IPv4: spf.protection.outlook.com lists 213.199.154.0/24.
    outlook_passes_both_identities_over_ipv4:
    ip "213.199.154.175", helo "eur01-db5-obe.outbound.protection.outlook.com", mail_from "someone@outlook.com"
    => helo Pass, mail_from Pass,
    then |c| {
        assert_eq!(
            spf_scenario_tests::deciding_term(&c.report.mail_from),
            Some(("spf.protection.outlook.com".to_string(), "ip4:213.199.154.0/24".to_string()))
        );
    }
}

scenario! {
    /// IPv6: only the (stand-in) spfa.protection.outlook.com lists
    /// 2a01:111:f400::/48, one include deeper.
    outlook_passes_both_identities_over_ipv6:
    ip "2a01:111:f400:7e02::200", helo "eur01-db5-obe.outbound.protection.outlook.com", mail_from "someone@outlook.com"
    => helo Pass, mail_from Pass,
    then |c| {
        for identity in [&c.report.helo, &c.report.mail_from] {
            assert_eq!(
                spf_scenario_tests::deciding_term(identity),
                Some(("spfa.protection.outlook.com".to_string(), "ip6:2a01:111:f400::/48".to_string()))
            );
        }
    }
}
