//! Where DNS answers come from: the system's resolvers, a given name
//! server, or the embedded test bed started on a loopback port.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use spf_core::{Lookup, LookupResult, Mx};
use spf_resolver::{Resolver, ResolverConfig};
use spf_testbed::{RunningServer, TestBed};

use crate::Failure;

/// DNS options shared by `check` and `explain-log`.
#[derive(Debug, Clone, Args)]
pub(crate) struct DnsArgs {
    /// Start the embedded test bed on the zone files of DIR and resolve against it.
    #[arg(long, value_name = "DIR", conflicts_with = "nameserver")]
    pub zones: Option<PathBuf>,
    /// Ask this name server (ADDR or ADDR:PORT, port 53 by default).
    #[arg(long, value_name = "ADDR[:PORT]")]
    pub nameserver: Option<String>,
    /// Per-query timeout in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    pub timeout_ms: u64,
}

/// A ready resolver, and the test bed it talks to, if one was started.
#[derive(Debug)]
pub(crate) struct Dns {
    resolver: Resolver,
    server: Option<RunningServer>,
    /// Where the answers come from, in words (`zones zonefiles`, ...).
    pub source: String,
}

/// Parses `ADDR` or `ADDR:PORT` (IPv6 with a port as `[ADDR]:PORT`).
pub(crate) fn parse_nameserver(s: &str) -> Result<SocketAddr, Failure> {
    if let Ok(sa) = s.parse::<SocketAddr>() {
        return Ok(sa);
    }
    let bare = s.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<IpAddr>()
        .map(|ip| SocketAddr::new(ip, 53))
        .map_err(|_| Failure::Input(format!("invalid --nameserver {s:?}: expected ADDR or ADDR:PORT")))
}

impl Dns {
    /// Sets up the source the arguments ask for.
    pub async fn open(args: &DnsArgs) -> Result<Self, Failure> {
        let timeout = Duration::from_millis(args.timeout_ms.max(1));
        if let Some(dir) = &args.zones {
            let bed = TestBed::from_dir(dir)
                .map_err(|e| Failure::Environment(format!("loading zones from {}: {e}", dir.display())))?;
            let server = bed
                .serve(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
                .await
                .map_err(|e| Failure::Environment(format!("starting the test bed: {e}")))?;
            let resolver = Resolver::new(ResolverConfig::new(vec![server.addr()]).with_timeout(timeout));
            return Ok(Self { resolver, server: Some(server), source: format!("test bed, zones {}", dir.display()) });
        }
        if let Some(ns) = &args.nameserver {
            let addr = parse_nameserver(ns)?;
            let resolver = Resolver::new(ResolverConfig::new(vec![addr]).with_timeout(timeout));
            return Ok(Self { resolver, server: None, source: format!("name server {addr}") });
        }
        let config = ResolverConfig::from_system()
            .map_err(|e| Failure::Environment(format!("reading the system's resolvers (/etc/resolv.conf): {e}")))?;
        let servers = config.servers.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        let resolver = Resolver::new(config.with_timeout(timeout));
        Ok(Self { resolver, server: None, source: format!("system resolvers ({servers})") })
    }

    /// Stops the test bed, if one was started.
    pub async fn close(mut self) {
        if let Some(server) = self.server.take() {
            let _ = server.shutdown().await;
        }
    }
}

impl Lookup for Dns {
    async fn lookup_a(&self, name: &str) -> LookupResult<Ipv4Addr> {
        self.resolver.lookup_a(name).await
    }
    async fn lookup_aaaa(&self, name: &str) -> LookupResult<Ipv6Addr> {
        self.resolver.lookup_aaaa(name).await
    }
    async fn lookup_mx(&self, name: &str) -> LookupResult<Mx> {
        self.resolver.lookup_mx(name).await
    }
    async fn lookup_txt(&self, name: &str) -> LookupResult<Vec<u8>> {
        self.resolver.lookup_txt(name).await
    }
    async fn lookup_ptr(&self, ip: IpAddr) -> LookupResult<String> {
        self.resolver.lookup_ptr(ip).await
    }
}
