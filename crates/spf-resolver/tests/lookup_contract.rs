//! The `spf_core::Lookup` contract over real sockets: each DNS answer the
//! test bed can give maps to the documented `Ok`/`LookupError`.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use spf_core::{Lookup, LookupError, Mx};
use spf_resolver::{Resolver, ResolverConfig};
use spf_testbed::{Fault, Faults, RecordType, RunningServer, StaticNode, StaticZone, TestBed, Transport};

fn zone() -> StaticZone {
    let mut nodes = BTreeMap::new();
    nodes.insert(
        "host.example".to_string(),
        StaticNode {
            a: vec!["192.0.2.1".parse().unwrap_or(std::net::Ipv4Addr::UNSPECIFIED)],
            aaaa: vec!["2001:db8::1".parse().unwrap_or(std::net::Ipv6Addr::UNSPECIFIED)],
            mx: vec![(10, "mx.Example".to_string())],
            // Two records; the second has three strings and non-ASCII bytes.
            txt: vec![vec![b"v=spf1 -all".to_vec()], vec![b"ab".to_vec(), vec![0xef, 0xbb, 0xbf], b"cd".to_vec()]],
            ..StaticNode::default()
        },
    );
    nodes.insert(
        "alias.example".to_string(),
        StaticNode { cname: Some("Host.Example".to_string()), ..StaticNode::default() },
    );
    nodes.insert(
        "alias2.example".to_string(),
        StaticNode { cname: Some("alias.example".to_string()), ..StaticNode::default() },
    );
    nodes.insert(
        "loop1.example".to_string(),
        StaticNode { cname: Some("loop2.example".to_string()), ..StaticNode::default() },
    );
    nodes.insert(
        "loop2.example".to_string(),
        StaticNode { cname: Some("LOOP2.example".to_string()), ..StaticNode::default() },
    );
    nodes.insert(
        "dangling.example".to_string(),
        StaticNode { cname: Some("nowhere.example".to_string()), ..StaticNode::default() },
    );
    nodes.insert(
        "1.2.0.192.in-addr.arpa".to_string(),
        StaticNode { ptr: vec!["host.example".to_string()], ..StaticNode::default() },
    );
    nodes.insert("long.example".to_string(), StaticNode { txt: vec![vec![vec![b'x'; 600]]], ..StaticNode::default() });
    for name in ["timeout", "servfail", "refused", "truncated", "slow"] {
        nodes.insert(
            format!("{name}.example"),
            StaticNode { txt: vec![vec![b"v=spf1 +all".to_vec()]], ..StaticNode::default() },
        );
    }
    StaticZone { nodes }
}

fn faults() -> Faults {
    Faults::new()
        .with("timeout.example", Some(RecordType::TXT), Fault::Timeout)
        .with("servfail.example", None, Fault::ServFail)
        .with("refused.example", None, Fault::Refused)
        .with("truncated.example", Some(RecordType::TXT), Fault::Truncate)
        .with("slow.example", None, Fault::Delay(Duration::from_millis(100)))
}

async fn start() -> (RunningServer, Resolver) {
    let bed = TestBed::from_static(zone(), faults()).expect("static zone is valid");
    let server = bed.serve("127.0.0.1:0".parse().expect("address")).await.expect("bind loopback");
    let config = ResolverConfig::new(vec![server.addr()]).with_timeout(Duration::from_millis(400)).with_attempts(1);
    (server, Resolver::new(config))
}

#[tokio::test]
async fn records_of_each_type_come_back() {
    let (server, r) = start().await;
    assert_eq!(r.lookup_a("host.example").await, Ok(vec!["192.0.2.1".parse().expect("ip")]));
    assert_eq!(r.lookup_aaaa("HOST.example.").await, Ok(vec!["2001:db8::1".parse().expect("ip")]));
    assert_eq!(r.lookup_mx("host.example").await, Ok(vec![Mx { preference: 10, exchange: "mx.Example".to_string() }]));
    let ip: IpAddr = "192.0.2.1".parse().expect("ip");
    assert_eq!(r.lookup_ptr(ip).await, Ok(vec!["host.example".to_string()]));
    server.shutdown().await.expect("shutdown");
}

#[tokio::test]
async fn txt_strings_are_joined_without_separator_as_raw_bytes() {
    let (_server, r) = start().await;
    let mut txt = r.lookup_txt("host.example").await.expect("txt");
    txt.sort();
    assert_eq!(txt, vec![b"ab\xef\xbb\xbfcd".to_vec(), b"v=spf1 -all".to_vec()]);
    // A 600-byte string is served as three character-strings and joined back.
    assert_eq!(r.lookup_txt("long.example").await, Ok(vec![vec![b'x'; 600]]));
}

#[tokio::test]
async fn nxdomain_and_nodata_are_told_apart() {
    let (_server, r) = start().await;
    assert_eq!(r.lookup_a("missing.example").await, Err(LookupError::NxDomain));
    assert_eq!(r.lookup_txt("alias.example").await.map(|v| v.len()), Ok(2));
    assert_eq!(r.lookup_a("1.2.0.192.in-addr.arpa").await, Err(LookupError::NoData));
    // RFC 6604: the RCODE is about the end of the chain.
    assert_eq!(r.lookup_a("dangling.example").await, Err(LookupError::NxDomain));
}

#[tokio::test]
async fn cname_chains_are_followed_and_loops_are_server_failures() {
    let (_server, r) = start().await;
    assert_eq!(r.lookup_a("alias2.example").await, Ok(vec!["192.0.2.1".parse().expect("ip")]));
    assert_eq!(r.lookup_a("loop1.example").await, Err(LookupError::ServerFailure));
    assert_eq!(r.lookup_txt("loop2.example").await, Err(LookupError::ServerFailure));
}

#[tokio::test]
async fn servfail_is_server_failure_and_refused_is_other() {
    let (_server, r) = start().await;
    assert_eq!(r.lookup_txt("servfail.example").await, Err(LookupError::ServerFailure));
    assert!(matches!(r.lookup_txt("refused.example").await, Err(LookupError::Other(m)) if m.contains("Refused")));
}

#[tokio::test]
async fn a_server_that_never_answers_is_a_timeout_within_the_limit() {
    let (server, r) = start().await;
    let started = Instant::now();
    assert_eq!(r.lookup_txt("timeout.example").await, Err(LookupError::Timeout));
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(400) && took < Duration::from_secs(2), "took {took:?}");
    // Only the faulted type times out.
    assert_eq!(r.lookup_a("timeout.example").await, Err(LookupError::NoData));
    assert_eq!(server.queries().len(), 2);
}

#[tokio::test]
async fn a_truncated_udp_answer_is_retried_over_tcp() {
    let (server, r) = start().await;
    assert_eq!(r.lookup_txt("truncated.example").await, Ok(vec![b"v=spf1 +all".to_vec()]));
    let log: Vec<(Transport, Option<Fault>)> = server.queries().iter().map(|q| (q.transport, q.fault)).collect();
    assert_eq!(log, vec![(Transport::Udp, Some(Fault::Truncate)), (Transport::Tcp, None)]);
}

#[tokio::test]
async fn a_delayed_answer_within_the_timeout_is_used() {
    let (_server, r) = start().await;
    let started = Instant::now();
    assert_eq!(r.lookup_txt("slow.example").await, Ok(vec![b"v=spf1 +all".to_vec()]));
    assert!(started.elapsed() >= Duration::from_millis(100));
}

#[tokio::test]
async fn no_server_listening_is_an_error_not_a_hang() {
    // Bind and drop to find a port that is (very likely) closed.
    let port = std::net::UdpSocket::bind("127.0.0.1:0").and_then(|s| s.local_addr()).expect("bind").port();
    let config = ResolverConfig::new(vec![std::net::SocketAddr::from(([127, 0, 0, 1], port))])
        .with_timeout(Duration::from_millis(300))
        .with_attempts(1);
    let r = Resolver::new(config);
    let got = r.lookup_a("host.example").await;
    assert!(matches!(got, Err(LookupError::Other(_) | LookupError::Timeout)), "{got:?}");
}

#[tokio::test]
async fn the_cache_is_off_unless_asked_for() {
    let (server, r) = start().await;
    let _ = r.lookup_a("host.example").await;
    let _ = r.lookup_a("host.example").await;
    assert_eq!(server.take_queries().len(), 2);
    let cached = Resolver::new(r.config().clone().with_cache(true));
    let _ = cached.lookup_a("host.example").await;
    let _ = cached.lookup_a("host.example").await;
    assert_eq!(server.take_queries().len(), 1);
}

#[tokio::test]
async fn a_txt_record_without_strings_reads_as_empty_text() {
    let mut nodes = BTreeMap::new();
    let txt = vec![vec![b"v=spf1 ".to_vec(), b"+all".to_vec()], vec![]];
    nodes.insert("null.example".to_string(), StaticNode { txt, ..StaticNode::default() });
    let bed = TestBed::from_static(StaticZone { nodes }, Faults::new()).expect("static zone is valid");
    let server = bed.serve("127.0.0.1:0".parse().expect("address")).await.expect("bind loopback");
    let r = Resolver::new(ResolverConfig::new(vec![server.addr()]).with_timeout(Duration::from_millis(400)));
    let mut got = r.lookup_txt("null.example").await.expect("txt");
    got.sort();
    assert_eq!(got, vec![Vec::new(), b"v=spf1 +all".to_vec()]);
}

/// Master files served by hickory's catalog: a CNAME into another zone is
/// answered with the CNAME alone, and the resolver asks for its target.
#[tokio::test]
async fn a_cname_into_another_zone_is_followed_with_a_second_query() {
    let dir = std::env::temp_dir().join(format!("spf-resolver-cname-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let soa = |o: &str| format!("$ORIGIN {o}.\n@ 300 IN SOA ns.{o}. host.{o}. 1 3600 900 604800 300\n");
    std::fs::write(
        dir.join("alias.example.zone"),
        soa("alias.example")
            + "_spf 300 IN CNAME spf.provider.example.\nloop1 300 IN CNAME loop2\nloop2 300 IN CNAME loop1\n",
    )
    .expect("write");
    std::fs::write(dir.join("provider.example.zone"), soa("provider.example") + "spf 300 IN TXT \"v=spf1 -all\"\n")
        .expect("write");
    let bed = TestBed::from_dir(&dir).expect("zones load");
    std::fs::remove_dir_all(&dir).expect("rm");
    let server = bed.serve("127.0.0.1:0".parse().expect("address")).await.expect("bind loopback");
    let r = Resolver::new(
        ResolverConfig::new(vec![server.addr()]).with_timeout(Duration::from_millis(400)).with_attempts(1),
    );
    assert_eq!(r.lookup_txt("_spf.alias.example").await, Ok(vec![b"v=spf1 -all".to_vec()]));
    let names: Vec<String> = server.take_queries().iter().map(|q| q.name.clone()).collect();
    assert_eq!(names, ["_spf.alias.example", "spf.provider.example"]);
    // An in-zone loop: whatever the catalog sends, the answer is an error, in time.
    let started = Instant::now();
    let looped = r.lookup_txt("loop1.alias.example").await;
    assert!(matches!(looped, Err(LookupError::ServerFailure)), "{looped:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}
