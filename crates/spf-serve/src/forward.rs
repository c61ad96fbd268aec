//! Forwarding DoH queries to the system's resolvers (RFC 1035 §4.2: UDP,
//! then TCP when the answer comes back truncated).

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};
use tokio::time::timeout;

use crate::{Answer, DnsBackend};

/// The resolvers of `/etc/resolv.conf`, asked in order, each with a timeout.
#[derive(Debug)]
pub struct SystemResolvers {
    servers: Vec<SocketAddr>,
    timeout: Duration,
    next_id: AtomicU16,
}

impl SystemResolvers {
    /// Resolvers at `servers` (port 53 unless given), `timeout` per attempt.
    #[must_use]
    pub fn new(servers: Vec<SocketAddr>, timeout: Duration) -> Self {
        // A per-process start value; ids only need to differ between queries in flight.
        let seed = u16::try_from(std::process::id() & 0xffff).unwrap_or(1);
        Self { servers, timeout, next_id: AtomicU16::new(seed) }
    }

    /// Reads the `nameserver` lines of `/etc/resolv.conf`.
    ///
    /// # Errors
    /// The file cannot be read or names no server.
    pub fn from_resolv_conf() -> io::Result<Self> {
        let text = std::fs::read_to_string("/etc/resolv.conf")?;
        let servers = parse_resolv_conf(&text);
        if servers.is_empty() {
            return Err(io::Error::new(io::ErrorKind::NotFound, "/etc/resolv.conf names no nameserver"));
        }
        Ok(Self::new(servers, Duration::from_secs(3)))
    }

    async fn ask(&self, server: SocketAddr, query: &[u8]) -> Option<Vec<u8>> {
        let udp = timeout(self.timeout, udp_exchange(server, query)).await.ok()?.ok()?;
        // RFC 1035 §4.2.1: a truncated answer (TC, header byte 2 bit 1) is
        // retried over TCP.
        if udp.get(2).is_some_and(|b| b & 0x02 != 0) {
            return timeout(self.timeout, tcp_exchange(server, query)).await.ok()?.ok();
        }
        Some(udp)
    }
}

/// The `nameserver` addresses of a resolv.conf text.
pub(crate) fn parse_resolv_conf(text: &str) -> Vec<SocketAddr> {
    text.lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            (words.next() == Some("nameserver")).then(|| words.next()).flatten()
        })
        // A zone index (fe80::1%eth0) is dropped: it cannot be parsed as IpAddr.
        .filter_map(|w| w.parse::<IpAddr>().ok())
        .map(|ip| SocketAddr::new(ip, 53))
        .collect()
}

async fn udp_exchange(server: SocketAddr, query: &[u8]) -> io::Result<Vec<u8>> {
    let bind: SocketAddr =
        if server.is_ipv4() { ([0, 0, 0, 0], 0).into() } else { (std::net::Ipv6Addr::UNSPECIFIED, 0).into() };
    let socket = UdpSocket::bind(bind).await?;
    // connect() makes the kernel drop datagrams from any other source.
    socket.connect(server).await?;
    socket.send(query).await?;
    let mut buf = vec![0u8; 65535];
    loop {
        let n = socket.recv(&mut buf).await?;
        // Only the answer to this query (same id) counts.
        if n >= 12 && buf[..2] == query[..2] {
            buf.truncate(n);
            return Ok(buf);
        }
    }
}

async fn tcp_exchange(server: SocketAddr, query: &[u8]) -> io::Result<Vec<u8>> {
    let len = u16::try_from(query.len()).map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "query too long"))?;
    let mut stream = TcpStream::connect(server).await?;
    let mut framed = len.to_be_bytes().to_vec();
    framed.extend_from_slice(query);
    stream.write_all(&framed).await?;
    let n = stream.read_u16().await?;
    let mut buf = vec![0u8; usize::from(n)];
    stream.read_exact(&mut buf).await?;
    Ok(buf)
}

impl DnsBackend for SystemResolvers {
    fn answer<'a>(&'a self, query: &'a [u8]) -> Answer<'a> {
        Box::pin(async move {
            if query.len() < 12 {
                return None;
            }
            // DoH queries carry id 0 (RFC 8484 §4.1); a fresh id on the wire
            // keeps concurrent questions apart, and the client gets its own back.
            let id = self.next_id.fetch_add(1, Ordering::Relaxed).to_be_bytes();
            let mut wire = query.to_vec();
            let original = [wire[0], wire[1]];
            wire[..2].copy_from_slice(&id);
            for server in &self.servers {
                if let Some(mut answer) = self.ask(*server, &wire).await {
                    answer[..2].copy_from_slice(&original);
                    return Some(answer);
                }
            }
            None
        })
    }

    fn describe(&self) -> String {
        let list: Vec<String> = self.servers.iter().map(|s| s.ip().to_string()).collect();
        format!("system resolvers {}", list.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolv_conf_nameservers_are_read() {
        let text = "# comment\nsearch example\nnameserver 127.0.0.53\nnameserver ::1\nnameserver fe80::1%eth0\noptions edns0\n";
        let got = parse_resolv_conf(text);
        assert_eq!(got, vec!["127.0.0.53:53".parse().expect("addr"), "[::1]:53".parse().expect("addr")]);
    }
}
