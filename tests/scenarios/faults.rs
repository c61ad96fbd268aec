//! zonefiles/faulty.example.zone with zonefiles/faults.conf: every fault
//! kind of the test bed, and the SPF result it leads to.
//! §5.2: "if ... check_host() returns temperror ... return temperror";
//! §4.4/§2.6.6: DNS errors (timeout, SERVFAIL, other RCODEs) are temperror.

use std::time::{Duration, Instant};

use spf_testbed::{Fault, Transport};

scenario! {
    /// The included provider never answers: the per-query timeout ends it.
    an_include_that_times_out_is_a_temperror:
    ip "192.0.2.80", helo "relay.faulty.example", mail_from "alerts@timeout.faulty.example"
    => helo Pass, mail_from Temperror,
    then |c| {
        assert!(c.queries.iter().any(|q| q.fault == Some(Fault::Timeout)));
    }
}

scenario! {
    /// The provider's TXT answer is truncated over UDP; the resolver retries
    /// over TCP and gets it whole: pass.
    a_truncated_include_is_retried_over_tcp_and_passes:
    ip "192.0.2.80", helo "relay.faulty.example", mail_from "news@truncated.faulty.example"
    => helo Pass, mail_from Pass,
    then |c| {
        let provider: Vec<(Transport, Option<Fault>)> = c
            .queries
            .iter()
            .filter(|q| q.name == "spf.provider-truncated.faulty.example")
            .map(|q| (q.transport, q.fault))
            .collect();
        assert_eq!(provider, [(Transport::Udp, Some(Fault::Truncate)), (Transport::Tcp, None)]);
    }
}

scenario! {
    /// The provider's server answers SERVFAIL: temperror.
    an_include_answering_servfail_is_a_temperror:
    ip "192.0.2.80", helo "relay.faulty.example", mail_from "news@servfail.faulty.example"
    => helo Pass, mail_from Temperror
}

scenario! {
    /// The provider's server answers REFUSED: temperror.
    an_include_answering_refused_is_a_temperror:
    ip "192.0.2.80", helo "relay.faulty.example", mail_from "news@refused.faulty.example"
    => helo Pass, mail_from Temperror
}

scenario! {
    /// A 200 ms late answer is still within the timeout: pass.
    a_slow_include_within_the_timeout_passes:
    ip "192.0.2.80", helo "relay.faulty.example", mail_from "news@slow.faulty.example"
    => helo Pass, mail_from Pass,
    then |c| {
        assert!(c.queries.iter().any(|q| q.fault == Some(Fault::Delay(Duration::from_millis(200)))));
    }
}

/// Nothing hangs: a server that never answers costs one timeout, not more.
#[tokio::test]
async fn a_timeout_costs_one_query_timeout_not_a_hang() {
    let bed = spf_scenario_tests::Bed::zonefiles().await;
    let started = Instant::now();
    let ip = "192.0.2.80".parse().expect("ip");
    let c = bed.check(ip, "relay.faulty.example", "alerts@timeout.faulty.example").await;
    let took = started.elapsed();
    assert_eq!(c.report.mail_from.result(), spf_core::SpfResult::Temperror);
    assert!(took >= spf_scenario_tests::QUERY_TIMEOUT, "{took:?}");
    assert!(took < Duration::from_secs(3), "{took:?}");
}
