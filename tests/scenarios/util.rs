//! `scenario!`: one test per scenario query, asserting both verdicts with
//! `assert_eq!` and snapshotting each identity and the server's query log
//! (`<module>__<test>@helo`, `@mail_from`, `@queries` in `snapshots/`).

/// Declares a test that serves `zonefiles/`, evaluates one SMTP
/// transaction (client address, HELO, MAIL FROM) and checks both results.
macro_rules! scenario {
    (
        $(#[$meta:meta])*
        $name:ident: ip $ip:literal, helo $helo:literal, mail_from $from:literal
        => helo $helo_result:ident, mail_from $from_result:ident
        $(, then |$checked:ident| $extra:block)?
    ) => {
        $(#[$meta])*
        #[tokio::test]
        async fn $name() {
            let bed = spf_scenario_tests::Bed::zonefiles().await;
            let ip: std::net::IpAddr = $ip.parse().expect("scenario address");
            let checked = bed.check(ip, $helo, $from).await;
            assert_eq!(
                (checked.report.helo.result(), checked.report.mail_from.result()),
                (spf_core::SpfResult::$helo_result, spf_core::SpfResult::$from_result),
                "HELO and MAIL FROM results"
            );
            insta::assert_snapshot!(
                concat!(stringify!($name), "@helo"),
                spf_scenario_tests::render_identity(&checked.report.helo)
            );
            insta::assert_snapshot!(
                concat!(stringify!($name), "@mail_from"),
                spf_scenario_tests::render_identity(&checked.report.mail_from)
            );
            insta::assert_snapshot!(
                concat!(stringify!($name), "@queries"),
                spf_scenario_tests::render_queries(&checked.queries)
            );
            $( let $checked = &checked; $extra )?
        }
    };
}
