//! Which name servers to ask, and how patiently.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::time::Duration;

/// Settings of a [`crate::Resolver`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResolverConfig {
    /// Name servers, asked in order (the next one after a timeout, SERVFAIL
    /// or REFUSED, as resolv.conf(5) stub resolvers do).
    pub servers: Vec<SocketAddr>,
    /// How long one exchange (one UDP try, or one TCP retry) may take.
    pub timeout: Duration,
    /// UDP tries per server before moving on (at least 1).
    pub attempts: u32,
    /// The EDNS(0) UDP payload size advertised (RFC 6891; 1232 avoids
    /// fragmentation, as DNS Flag Day 2020 advised).
    pub udp_payload: u16,
    /// Keep answers in a cache owned by this resolver value.
    pub cache: bool,
}

impl ResolverConfig {
    /// Asks `servers`, 2 s per exchange, 2 tries each, no cache.
    #[must_use]
    pub fn new(servers: Vec<SocketAddr>) -> Self {
        Self { servers, timeout: Duration::from_secs(2), attempts: 2, udp_payload: 1232, cache: false }
    }

    /// Sets the per-exchange timeout.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the UDP tries per server (0 is taken as 1).
    #[must_use]
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts.max(1);
        self
    }

    /// Turns the per-resolver cache on or off.
    #[must_use]
    pub fn with_cache(mut self, cache: bool) -> Self {
        self.cache = cache;
        self
    }

    /// Reads `/etc/resolv.conf`.
    ///
    /// # Errors
    /// The file cannot be read.
    pub fn from_system() -> std::io::Result<Self> {
        Self::from_resolv_conf_file(Path::new("/etc/resolv.conf"))
    }

    /// Reads a resolv.conf(5) file.
    ///
    /// # Errors
    /// The file cannot be read.
    pub fn from_resolv_conf_file(path: &Path) -> std::io::Result<Self> {
        Ok(Self::from_resolv_conf(&std::fs::read_to_string(path)?))
    }

    /// Takes `nameserver` lines and `options timeout:N attempts:N` from
    /// resolv.conf(5) text; with no usable `nameserver`, 127.0.0.1 (as the
    /// C library does).
    #[must_use]
    pub fn from_resolv_conf(text: &str) -> Self {
        let mut config = Self::new(Vec::new());
        for line in text.lines() {
            let line = line.split(['#', ';']).next().unwrap_or("");
            let mut words = line.split_whitespace();
            match words.next() {
                Some("nameserver") => {
                    // A scoped IPv6 address (fe80::1%eth0) cannot be
                    // expressed as a SocketAddr: skipped.
                    if let Some(ip) = words.next().and_then(|w| w.parse::<IpAddr>().ok()) {
                        config.servers.push(SocketAddr::new(ip, 53));
                    }
                }
                Some("options") => {
                    for opt in words {
                        if let Some(n) = opt.strip_prefix("timeout:").and_then(|n| n.parse::<u64>().ok()) {
                            config.timeout = Duration::from_secs(n.clamp(1, 30));
                        } else if let Some(n) = opt.strip_prefix("attempts:").and_then(|n| n.parse::<u32>().ok()) {
                            config.attempts = n.clamp(1, 5);
                        }
                    }
                }
                _ => {}
            }
        }
        if config.servers.is_empty() {
            config.servers.push(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 53));
        }
        config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nameservers_and_options() {
        let c = ResolverConfig::from_resolv_conf(
            "# comment\nsearch example.com\nnameserver 192.0.2.53\nnameserver 2001:db8::53 # v6\n\
             nameserver fe80::1%eth0\noptions ndots:2 timeout:3 attempts:4\n",
        );
        assert_eq!(
            c.servers,
            vec!["192.0.2.53:53".parse().ok(), "[2001:db8::53]:53".parse().ok()]
                .into_iter()
                .flatten()
                .collect::<Vec<SocketAddr>>()
        );
        assert_eq!(c.timeout, Duration::from_secs(3));
        assert_eq!(c.attempts, 4);
    }

    #[test]
    fn empty_file_means_localhost() {
        let c = ResolverConfig::from_resolv_conf("");
        assert_eq!(c.servers, vec![SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 53)]);
    }
}
