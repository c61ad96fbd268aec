//! One question to the name servers: UDP first, TCP when truncated.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};

use hickory_proto::op::{Edns, Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::{Name, RecordType};
use spf_core::LookupError;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};
use tokio::time::{Instant, timeout_at};

use crate::config::ResolverConfig;

/// A fresh, unpredictable message ID (RFC 5452 §9.2).
fn random_id() -> u16 {
    let h = RandomState::new().hash_one(std::time::SystemTime::now());
    u16::try_from(h & 0xffff).unwrap_or(0)
}

fn build_query(name: &Name, rtype: RecordType, udp_payload: Option<u16>) -> Message {
    let mut msg = Message::new(random_id(), MessageType::Query, OpCode::Query);
    msg.metadata.recursion_desired = true;
    msg.add_query(Query::query(name.clone(), rtype));
    if let Some(size) = udp_payload {
        let mut edns = Edns::new();
        edns.set_max_payload(size.max(512));
        msg.set_edns(edns);
    }
    msg
}

/// Whether `response` answers `query` (RFC 5452 §4.3: ID and question match).
fn matches(query: &Message, response: &Message) -> bool {
    response.metadata.id == query.metadata.id
        && response.metadata.message_type == MessageType::Response
        && match (query.queries.first(), response.queries.first()) {
            (Some(q), Some(r)) => {
                q.query_type() == r.query_type() && q.name().to_lowercase() == r.name().to_lowercase()
            }
            // Some servers leave the question out of error answers.
            (_, None) => response.metadata.response_code != ResponseCode::NoError,
            (None, Some(_)) => false,
        }
}

/// Whether raw bytes carry `query`'s ID with the QR (response) bit set.
fn is_response_to(query: &Message, bytes: &[u8]) -> bool {
    match bytes {
        [hi, lo, flags, ..] => u16::from_be_bytes([*hi, *lo]) == query.metadata.id && flags & 0x80 != 0,
        _ => false,
    }
}

/// Why an exchange with one server ended without a usable answer.
enum Failure {
    Timeout,
    Other(String),
}

async fn udp(server: SocketAddr, query: &Message, bytes: &[u8], deadline: Instant) -> Result<Message, Failure> {
    let local: SocketAddr =
        if server.is_ipv4() { (Ipv4Addr::UNSPECIFIED, 0).into() } else { (Ipv6Addr::UNSPECIFIED, 0).into() };
    let socket = UdpSocket::bind(local).await.map_err(|e| Failure::Other(format!("UDP bind: {e}")))?;
    socket.connect(server).await.map_err(|e| Failure::Other(format!("UDP connect {server}: {e}")))?;
    socket.send(bytes).await.map_err(|e| Failure::Other(format!("UDP send to {server}: {e}")))?;
    let mut buf = vec![0u8; 65_535];
    loop {
        let n = match timeout_at(deadline, socket.recv(&mut buf)).await {
            Err(_) => return Err(Failure::Timeout),
            Ok(Err(e)) => return Err(Failure::Other(format!("UDP receive from {server}: {e}"))),
            Ok(Ok(n)) => n,
        };
        // Datagrams that do not answer this question are ignored (spoofing,
        // late answers to an earlier try); the deadline still holds.
        match Message::from_vec(&buf[..n]) {
            Ok(response) if matches(query, &response) => return Ok(response),
            Ok(_) => {}
            // A response with our ID that cannot be decoded is a malformed
            // answer, not a reason to wait for the timeout.
            Err(e) if is_response_to(query, &buf[..n]) => {
                return Err(Failure::Other(format!("malformed answer from {server}: {e}")));
            }
            Err(_) => {}
        }
    }
}

async fn tcp(server: SocketAddr, query: &Message, bytes: &[u8], deadline: Instant) -> Result<Message, Failure> {
    let exchange = async {
        let mut stream = TcpStream::connect(server).await.map_err(|e| format!("TCP connect {server}: {e}"))?;
        let len = u16::try_from(bytes.len()).map_err(|_| "query too long for TCP".to_string())?;
        let mut framed = Vec::with_capacity(bytes.len() + 2);
        framed.extend_from_slice(&len.to_be_bytes());
        framed.extend_from_slice(bytes);
        stream.write_all(&framed).await.map_err(|e| format!("TCP send to {server}: {e}"))?;
        // RFC 1035 §4.2.2: each message is prefixed by its two-byte length.
        loop {
            let mut len = [0u8; 2];
            stream.read_exact(&mut len).await.map_err(|e| format!("TCP receive from {server}: {e}"))?;
            let mut buf = vec![0u8; usize::from(u16::from_be_bytes(len))];
            stream.read_exact(&mut buf).await.map_err(|e| format!("TCP receive from {server}: {e}"))?;
            let response = Message::from_vec(&buf).map_err(|e| format!("malformed TCP answer from {server}: {e}"))?;
            if matches(query, &response) {
                return Ok(response);
            }
        }
    };
    match timeout_at(deadline, exchange).await {
        Err(_) => Err(Failure::Timeout),
        Ok(r) => r.map_err(Failure::Other),
    }
}

/// Asks the configured servers for `name`/`rtype`: each server in turn,
/// `attempts` UDP tries each, a TCP retry when the UDP answer is truncated.
/// A SERVFAIL or REFUSED answer moves on to the next server; the last one
/// is returned when no server does better.
pub(crate) async fn ask(config: &ResolverConfig, name: &Name, rtype: RecordType) -> Result<Message, LookupError> {
    if config.servers.is_empty() {
        return Err(LookupError::Other("no name server configured".to_string()));
    }
    let mut last_answer: Option<Message> = None;
    let mut last_error: Option<Failure> = None;
    for &server in &config.servers {
        for _ in 0..config.attempts.max(1) {
            let query = build_query(name, rtype, Some(config.udp_payload));
            let bytes = query.to_vec().map_err(|e| LookupError::Other(format!("cannot encode query: {e}")))?;
            let deadline = Instant::now() + config.timeout;
            let answer = match udp(server, &query, &bytes, deadline).await {
                // RFC 7766 §5: "a DNS client ... MUST retry over TCP when
                // it receives a truncated (TC=1) UDP response".
                Ok(r) if r.metadata.truncation => {
                    let query = build_query(name, rtype, None);
                    let bytes = query.to_vec().map_err(|e| LookupError::Other(format!("cannot encode query: {e}")))?;
                    tcp(server, &query, &bytes, Instant::now() + config.timeout).await
                }
                other => other,
            };
            match answer {
                Ok(r) if matches!(r.metadata.response_code, ResponseCode::ServFail | ResponseCode::Refused) => {
                    last_answer = Some(r);
                    break;
                }
                Ok(r) => return Ok(r),
                Err(Failure::Timeout) => last_error = Some(Failure::Timeout),
                Err(f @ Failure::Other(_)) => {
                    last_error = Some(f);
                    break;
                }
            }
        }
    }
    if let Some(answer) = last_answer {
        return Ok(answer);
    }
    Err(match last_error {
        Some(Failure::Other(m)) => LookupError::Other(m),
        Some(Failure::Timeout) | None => LookupError::Timeout,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_vary() {
        let ids: std::collections::HashSet<u16> = (0..64).map(|_| random_id()).collect();
        assert!(ids.len() > 32, "{} distinct ids of 64", ids.len());
    }

    #[test]
    fn a_response_must_echo_id_and_question() -> Result<(), String> {
        let name = Name::from_ascii("example.com.").map_err(|e| e.to_string())?;
        let q = build_query(&name, RecordType::TXT, Some(1232));
        let mut r = q.clone();
        r.metadata.message_type = MessageType::Response;
        assert!(matches(&q, &r));
        let mut other_id = r.clone();
        other_id.metadata.id = q.metadata.id.wrapping_add(1);
        assert!(!matches(&q, &other_id));
        let mut other_type = r.clone();
        other_type.queries[0] = Query::query(name, RecordType::A);
        assert!(!matches(&q, &other_type));
        Ok(())
    }
}
