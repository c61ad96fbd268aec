//! The `/dns-query` endpoint (RFC 8484) over real loopback HTTP, answered by
//! the test bed from the repository's zonefiles/, and the static files.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use hickory_proto::op::{Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::{Name, RData, RecordType};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

async fn start(hold: Duration) -> spf_serve::Running {
    let options = spf_serve::Options {
        listen: "127.0.0.1:0".parse().expect("addr"),
        zones: Some(repo("zonefiles")),
        web_root: repo("web"),
        no_answer_hold: hold,
    };
    spf_serve::start(&options).await.expect("server starts")
}

/// One HTTP/1.1 exchange; returns (status, headers text, body).
async fn http(addr: SocketAddr, head: &str, body: &[u8]) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let req = format!("{head}\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
    s.write_all(req.as_bytes()).await.expect("write");
    s.write_all(body).await.expect("write body");
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut raw)).await.expect("in time").expect("read");
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("header end");
    let headers = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = headers.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("status");
    let mut body = raw[split + 4..].to_vec();
    if headers.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    (status, headers, body)
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = b.windows(2).position(|w| w == b"\r\n").expect("chunk size");
        let size = usize::from_str_radix(std::str::from_utf8(&b[..line_end]).expect("ascii").trim(), 16).expect("hex");
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[line_end + 2..line_end + 2 + size]);
        b = &b[line_end + 2 + size + 2..];
    }
}

fn query(name: &str, rtype: RecordType) -> Vec<u8> {
    let mut msg = Message::new(0, MessageType::Query, OpCode::Query);
    msg.add_query(Query::query(Name::from_ascii(name).expect("name"), rtype));
    msg.to_vec().expect("encode")
}

async fn post(addr: SocketAddr, wire: &[u8]) -> (u16, String, Vec<u8>) {
    http(
        addr,
        "POST /dns-query HTTP/1.1\r\nContent-Type: application/dns-message\r\nAccept: application/dns-message",
        wire,
    )
    .await
}

#[tokio::test]
async fn rfc8484_section_4_1_post_is_answered_from_the_zones() {
    let server = start(Duration::from_millis(200)).await;
    let (status, headers, body) = post(server.addr(), &query("mx-out.facebook.com.", RecordType::TXT)).await;
    assert_eq!(status, 200, "{headers}");
    assert!(headers.to_ascii_lowercase().contains("content-type: application/dns-message"), "{headers}");
    let msg = Message::from_vec(&body).expect("a DNS message");
    assert_eq!(msg.metadata.id, 0);
    let txt: Vec<String> = msg
        .answers
        .iter()
        .filter_map(|r| match &r.data {
            RData::TXT(t) => Some(t.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(txt, vec!["v=spf1 a ~all".to_string()]);
    let (_, _, body) = post(server.addr(), &query("nothing-here.facebook.com.", RecordType::TXT)).await;
    assert_eq!(Message::from_vec(&body).expect("message").metadata.response_code, ResponseCode::NXDomain);
    server.shutdown().await.expect("stops");
}

#[tokio::test]
async fn rfc8484_section_4_1_get_with_base64url() {
    let server = start(Duration::from_millis(200)).await;
    // The test bed's A query for mx-out.facebook.com, base64url without padding.
    let wire = query("mx-out.facebook.com.", RecordType::A);
    let enc = base64url(&wire);
    let (status, _, body) = http(server.addr(), &format!("GET /dns-query?dns={enc} HTTP/1.1"), b"").await;
    assert_eq!(status, 200);
    let msg = Message::from_vec(&body).expect("message");
    assert!(msg.answers.iter().any(|r| matches!(&r.data, RData::A(a) if a.0.to_string() == "69.63.179.2")));
    let (status, _, _) = http(server.addr(), "GET /dns-query?dns=*** HTTP/1.1", b"").await;
    assert_eq!(status, 400);
    server.shutdown().await.expect("stops");
}

fn base64url(b: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for c in b.chunks(3) {
        let n = c.iter().enumerate().fold(0u32, |acc, (i, &x)| acc | (u32::from(x) << (16 - 8 * i)));
        for i in 0..=c.len() {
            out.push(char::from(A[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

#[tokio::test]
async fn faults_behave_as_over_udp() {
    let server = start(Duration::from_millis(300)).await;
    let sf = post(server.addr(), &query("spf.provider-servfail.faulty.example.", RecordType::TXT)).await;
    assert_eq!(Message::from_vec(&sf.2).expect("message").metadata.response_code, ResponseCode::ServFail);
    // Truncation applies to UDP only: over HTTPS the answer is complete.
    let tc = post(server.addr(), &query("spf.provider-truncated.faulty.example.", RecordType::TXT)).await;
    let tc = Message::from_vec(&tc.2).expect("message");
    assert!(!tc.metadata.truncation && !tc.answers.is_empty());
    // A timeout fault sends nothing back; the request is held, then 504.
    let started = std::time::Instant::now();
    let (status, _, _) = post(server.addr(), &query("spf.provider-timeout.faulty.example.", RecordType::TXT)).await;
    assert_eq!(status, 504);
    assert!(started.elapsed() >= Duration::from_millis(300));
    server.shutdown().await.expect("stops");
}

#[tokio::test]
async fn bad_requests_are_refused_cleanly() {
    let server = start(Duration::from_millis(200)).await;
    let (status, _, _) =
        http(server.addr(), "POST /dns-query HTTP/1.1\r\nContent-Type: text/plain", b"hello world!").await;
    assert_eq!(status, 415);
    let (status, _, _) = post(server.addr(), b"short").await;
    assert_eq!(status, 400);
    let (status, headers, _) =
        http(server.addr(), "OPTIONS /dns-query HTTP/1.1\r\nOrigin: http://elsewhere.test", b"").await;
    assert_eq!(status, 204);
    assert!(headers.to_ascii_lowercase().contains("access-control-allow-headers: content-type"), "{headers}");
    server.shutdown().await.expect("stops");
}

#[tokio::test]
async fn static_files_are_served_with_a_strict_policy() {
    let server = start(Duration::from_millis(200)).await;
    let (status, headers, body) = http(server.addr(), "GET / HTTP/1.1", b"").await;
    assert_eq!(status, 200);
    let lower = headers.to_ascii_lowercase();
    assert!(lower.contains("content-type: text/html"), "{headers}");
    assert!(lower.contains("content-security-policy: default-src 'self'"), "{headers}");
    assert!(String::from_utf8_lossy(&body).contains("<title>"));
    let (status, _, _) = http(server.addr(), "GET /../Cargo.toml HTTP/1.1", b"").await;
    assert_eq!(status, 404);
    let (status, _, _) = http(server.addr(), "GET /missing.js HTTP/1.1", b"").await;
    assert_eq!(status, 404);
    server.shutdown().await.expect("stops");
}
