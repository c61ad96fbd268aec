//! The test bed on its own: zone files load, faults apply, the log records,
//! and `answer_wire` gives the same answers as the sockets.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hickory_proto::op::{Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::{Name, RData, RecordType};
use spf_testbed::{Fault, Faults, StaticNode, StaticZone, TestBed, Transport};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};

fn zones_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../zonefiles")
}

fn query(name: &str, rtype: RecordType) -> Vec<u8> {
    let mut msg = Message::new(4242, MessageType::Query, OpCode::Query);
    msg.add_query(Query::query(Name::from_ascii(name).expect("name"), rtype));
    msg.to_vec().expect("encode")
}

fn txt_of(msg: &Message) -> Vec<String> {
    msg.answers
        .iter()
        .filter_map(|r| match &r.data {
            RData::TXT(t) => Some(t.txt_data.iter().map(|s| String::from_utf8_lossy(s).into_owned()).collect()),
            _ => None,
        })
        .collect()
}

async fn udp_exchange(server: SocketAddr, bytes: &[u8]) -> Option<Message> {
    let sock = UdpSocket::bind("127.0.0.1:0").await.expect("bind");
    sock.send_to(bytes, server).await.expect("send");
    let mut buf = vec![0; 65535];
    let n = tokio::time::timeout(Duration::from_millis(500), sock.recv(&mut buf)).await.ok()?.ok()?;
    Message::from_vec(&buf[..n]).ok()
}

async fn tcp_exchange(server: SocketAddr, bytes: &[u8]) -> Message {
    let mut s = TcpStream::connect(server).await.expect("connect");
    let len = u16::try_from(bytes.len()).expect("short").to_be_bytes();
    s.write_all(&[&len[..], bytes].concat()).await.expect("write");
    let mut l = [0; 2];
    s.read_exact(&mut l).await.expect("len");
    let mut buf = vec![0; usize::from(u16::from_be_bytes(l))];
    s.read_exact(&mut buf).await.expect("body");
    Message::from_vec(&buf).expect("decode")
}

#[tokio::test]
async fn every_zone_file_loads_with_its_faults() {
    let bed = TestBed::from_dir(&zones_dir()).expect("zonefiles load");
    assert!(bed.origins().iter().any(|o| o == "instagram.com"), "{:?}", bed.origins());
    assert!(bed.origins().iter().any(|o| o == "220.66.in-addr.arpa"));
    assert!(!bed.handler().faults().is_empty());
}

#[tokio::test]
async fn master_file_records_are_served_over_udp_and_tcp() {
    let server = zonefiles_server().await;
    let q = query("mail.instagram.com.", RecordType::TXT);
    let udp = udp_exchange(server.addr(), &q).await.expect("udp answer");
    assert_eq!(txt_of(&udp), vec!["v=spf1 include:facebookmail.com -all".to_string()]);
    let tcp = tcp_exchange(server.addr(), &q).await;
    assert_eq!(txt_of(&tcp), txt_of(&udp));
    let ptr = udp_exchange(server.addr(), &query("156.155.220.66.in-addr.arpa.", RecordType::PTR)).await.expect("ptr");
    assert!(
        matches!(&ptr.answers[0].data, RData::PTR(p) if p.0.to_ascii() == "66-220-155-156.mail-mail.facebook.com.")
    );
    let nx = udp_exchange(server.addr(), &query("nope.instagram.com.", RecordType::TXT)).await.expect("nx");
    assert_eq!(nx.metadata.response_code, ResponseCode::NXDomain);
    let log: Vec<String> = server.queries().iter().map(ToString::to_string).collect();
    assert_eq!(
        log,
        [
            "UDP TXT mail.instagram.com",
            "TCP TXT mail.instagram.com",
            "UDP PTR 156.155.220.66.in-addr.arpa",
            "UDP TXT nope.instagram.com"
        ]
    );
    server.shutdown().await.expect("shutdown");
}

#[tokio::test]
async fn declared_faults_apply_over_udp() {
    let server = zonefiles_server().await;
    let ask = |n: &str| query(n, RecordType::TXT);
    let sf = udp_exchange(server.addr(), &ask("spf.provider-servfail.faulty.example.")).await.expect("answer");
    assert_eq!(sf.metadata.response_code, ResponseCode::ServFail);
    let rf = udp_exchange(server.addr(), &ask("spf.provider-refused.faulty.example.")).await.expect("answer");
    assert_eq!(rf.metadata.response_code, ResponseCode::Refused);
    let tc = udp_exchange(server.addr(), &ask("spf.provider-truncated.faulty.example.")).await.expect("answer");
    assert!(tc.metadata.truncation && tc.answers.is_empty());
    let full = tcp_exchange(server.addr(), &ask("spf.provider-truncated.faulty.example.")).await;
    assert!(!full.metadata.truncation && full.answers.len() == 1);
    assert!(udp_exchange(server.addr(), &ask("spf.provider-timeout.faulty.example.")).await.is_none());
    let started = Instant::now();
    let slow = udp_exchange(server.addr(), &ask("spf.provider-slow.faulty.example.")).await.expect("late answer");
    assert!(started.elapsed() >= Duration::from_millis(200) && slow.answers.len() == 1);
    let faults: Vec<(Transport, Option<Fault>)> = server.queries().iter().map(|q| (q.transport, q.fault)).collect();
    assert_eq!(
        faults,
        [
            (Transport::Udp, Some(Fault::ServFail)),
            (Transport::Udp, Some(Fault::Refused)),
            (Transport::Udp, Some(Fault::Truncate)),
            (Transport::Tcp, None),
            (Transport::Udp, Some(Fault::Timeout)),
            (Transport::Udp, Some(Fault::Delay(Duration::from_millis(200)))),
        ]
    );
}

#[tokio::test]
async fn answer_wire_shares_zones_faults_and_log_but_never_truncates() {
    let bed = TestBed::from_dir(&zones_dir()).expect("zonefiles load");
    let h = bed.handler();
    let bytes = h.answer_wire(&query("mail.instagram.com.", RecordType::TXT)).await.expect("answer");
    let msg = Message::from_vec(&bytes).expect("decode");
    assert_eq!(msg.metadata.id, 4242);
    assert_eq!(txt_of(&msg), vec!["v=spf1 include:facebookmail.com -all".to_string()]);
    let tc = h.answer_wire(&query("spf.provider-truncated.faulty.example.", RecordType::TXT)).await.expect("answer");
    let tc = Message::from_vec(&tc).expect("decode");
    assert!(!tc.metadata.truncation && tc.answers.len() == 1);
    assert_eq!(h.answer_wire(&query("spf.provider-timeout.faulty.example.", RecordType::TXT)).await, None);
    let sf = h.answer_wire(&query("spf.provider-servfail.faulty.example.", RecordType::TXT)).await.expect("answer");
    assert_eq!(Message::from_vec(&sf).expect("decode").metadata.response_code, ResponseCode::ServFail);
    // Garbage: too short for a header is dropped; a header with junk is FORMERR.
    assert_eq!(h.answer_wire(b"\x01\x02").await, None);
    let junk = h.answer_wire(b"\x00\x07\x01\x00\x00\x05\x00\x00\x00\x00\x00\x00\xff").await.expect("formerr");
    let junk = Message::from_vec(&junk).expect("decode");
    assert_eq!((junk.metadata.id, junk.metadata.response_code), (7, ResponseCode::FormErr));
    assert!(h.queries().iter().all(|q| q.transport == Transport::Https));
    assert_eq!(h.take_queries().len(), 4);
    assert!(h.queries().is_empty());
}

#[tokio::test]
async fn faults_can_be_changed_while_serving() {
    let server = zonefiles_server().await;
    let q = query("mail.instagram.com.", RecordType::TXT);
    server.handler().set_faults(Faults::new().with("MAIL.instagram.com.", None, Fault::ServFail));
    let sf = udp_exchange(server.addr(), &q).await.expect("answer");
    assert_eq!(sf.metadata.response_code, ResponseCode::ServFail);
    server.handler().set_faults(Faults::new());
    let ok = udp_exchange(server.addr(), &q).await.expect("answer");
    assert_eq!(ok.metadata.response_code, ResponseCode::NoError);
}

#[tokio::test]
async fn a_static_zone_answers_cname_loops_without_hanging() {
    let mut zone = StaticZone::default();
    zone.nodes.insert(
        "loop4.example.com".into(),
        StaticNode { cname: Some("CNAME.example.com.".into()), ..StaticNode::default() },
    );
    zone.nodes.insert(
        "cname.example.com".into(),
        StaticNode { cname: Some("CNAME.example.com.".into()), ..StaticNode::default() },
    );
    let bed = TestBed::from_static(zone, Faults::new()).expect("valid");
    let bytes = bed.handler().answer_wire(&query("loop4.example.com.", RecordType::A)).await.expect("answer");
    let msg = Message::from_vec(&bytes).expect("decode");
    assert_eq!(msg.metadata.response_code, ResponseCode::NoError);
    // The chain up to the repeated name, nothing more.
    assert_eq!(msg.answers.len(), 2);
}

#[tokio::test]
async fn bad_inputs_are_errors_not_panics() {
    let dir = std::env::temp_dir().join(format!("spf-testbed-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    std::fs::write(dir.join("faults.conf"), "x.example TXT explode\n").expect("write");
    let e = TestBed::from_dir(&dir).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("faults.conf: line 1"), "{e}");
    std::fs::remove_file(dir.join("faults.conf")).expect("rm");
    std::fs::write(dir.join("nosoa.example.zone"), "$ORIGIN nosoa.example.\n@ 300 IN TXT \"x\"\n").expect("write");
    let e = TestBed::from_dir(&dir).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("nosoa.example.zone"), "{e}");
    std::fs::remove_dir_all(&dir).expect("rm");
    assert!(TestBed::from_dir(Path::new("/nonexistent/zones")).is_err());
    let mut zone = StaticZone::default();
    zone.nodes.insert(format!("{}.example", "x".repeat(64)), StaticNode::default());
    assert!(TestBed::from_static(zone, Faults::new()).is_err());
}

#[tokio::test]
async fn dropping_the_running_server_stops_it() {
    let bed = TestBed::from_dir(&zones_dir()).expect("zonefiles load");
    let server = bed.serve("127.0.0.1:0".parse().expect("addr")).await.expect("bind");
    let addr = server.addr();
    let q = query("mail.instagram.com.", RecordType::TXT);
    assert!(udp_exchange(addr, &q).await.is_some());
    drop(server);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(udp_exchange(addr, &q).await.is_none());
    assert!(TcpStream::connect(addr).await.is_err());
    // The port is free again, for UDP and TCP alike.
    let again = bed.serve(addr).await.expect("rebind the same port");
    assert!(udp_exchange(again.addr(), &q).await.is_some());
    again.shutdown().await.expect("shutdown");
}

/// The test bed over `zonefiles/`, serving on an ephemeral loopback port.
async fn zonefiles_server() -> spf_testbed::RunningServer {
    TestBed::from_dir(&zones_dir())
        .expect("zonefiles load")
        .serve("127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("bind")
}
