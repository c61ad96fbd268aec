//! Loading zones and serving them on one UDP+TCP port.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use hickory_server::Server;
use hickory_server::proto::rr::{LowerName, Name};
use hickory_server::store::file::{FileConfig, FileZoneHandler};
use hickory_server::zone_handler::{AxfrPolicy, Catalog, ZoneHandler, ZoneType};
use tokio::net::{TcpListener, UdpSocket};

use crate::faults::{FaultSyntaxError, Faults};
use crate::handler::{DnsHandler, LoggedQuery, Source};
use crate::static_zone::{StaticAnswerer, StaticZone};

/// The fault file's name inside a zones folder.
pub const FAULTS_FILE: &str = "faults.conf";

/// Why the test bed could not start.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A socket or file could not be opened.
    Io {
        /// What was being done.
        context: String,
        /// The cause.
        source: io::Error,
    },
    /// A master file could not be loaded.
    Zone {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// The fault file has a bad line.
    Faults {
        /// The file.
        path: PathBuf,
        /// The line.
        error: FaultSyntaxError,
    },
    /// Names in a [`StaticZone`] that cannot be served.
    StaticZone(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { context, source } => write!(f, "{context}: {source}"),
            Self::Zone { path, message } => write!(f, "{}: {message}", path.display()),
            Self::Faults { path, error } => write!(f, "{}: {error}", path.display()),
            Self::StaticZone(m) => write!(f, "static zone: {m}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            Self::Faults { error, .. } => Some(error),
            _ => None,
        }
    }
}

fn io_err(context: impl Into<String>) -> impl FnOnce(io::Error) -> Error {
    let context = context.into();
    move |source| Error::Io { context, source }
}

/// A test bed ready to serve: zones loaded, faults set.
#[derive(Debug, Clone)]
pub struct TestBed {
    handler: DnsHandler,
    origins: Vec<String>,
}

impl TestBed {
    /// Loads every `<origin>.zone` master file of `dir` (RFC 1035 §5; the
    /// origin is the file name without `.zone`) and the fault rules of
    /// `dir/faults.conf` if present (format in [`crate::faults`]).
    ///
    /// # Errors
    /// The folder cannot be read, a zone file does not load (a zone needs
    /// an SOA), or the fault file has a bad line.
    pub fn from_dir(dir: &Path) -> Result<Self, Error> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io_err(format!("reading {}", dir.display())))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "zone") && p.is_file())
            .collect();
        paths.sort();
        let mut catalog = Catalog::new();
        let mut origins = Vec::new();
        for path in &paths {
            let zone_err = |message: String| Error::Zone { path: path.clone(), message };
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .ok_or_else(|| zone_err("file name is not UTF-8".to_string()))?;
            let mut origin = Name::from_ascii(stem).map_err(|e| zone_err(format!("origin {stem:?}: {e}")))?;
            origin.set_fqdn(true);
            let handler = FileZoneHandler::try_from_config(
                origin.clone(),
                ZoneType::Primary,
                AxfrPolicy::Deny,
                None,
                &FileConfig { zone_path: path.clone() },
            )
            .map_err(zone_err)?;
            let handler: Arc<dyn ZoneHandler> = Arc::new(handler);
            catalog.upsert(LowerName::from(&origin), vec![handler]);
            origins.push(stem.trim_end_matches('.').to_string());
        }
        let faults_path = dir.join(FAULTS_FILE);
        let faults = match std::fs::read_to_string(&faults_path) {
            Ok(text) => Faults::parse(&text).map_err(|error| Error::Faults { path: faults_path, error })?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Faults::new(),
            Err(e) => return Err(io_err(format!("reading {}", faults_path.display()))(e)),
        };
        Ok(Self { handler: DnsHandler::new(Source::Catalog(catalog), faults), origins })
    }

    /// Serves `zone` (no master files) with `faults`.
    ///
    /// # Errors
    /// A name in the zone that is not a valid DNS name (a label over 63
    /// bytes, an empty label).
    pub fn from_static(zone: StaticZone, faults: Faults) -> Result<Self, Error> {
        let answerer = StaticAnswerer::new(zone).map_err(Error::StaticZone)?;
        Ok(Self { handler: DnsHandler::new(Source::Static(answerer), faults), origins: Vec::new() })
    }

    /// The zone origins loaded from master files (without trailing dot).
    #[must_use]
    pub fn origins(&self) -> &[String] {
        &self.origins
    }

    /// The request handler (for a DNS-over-HTTPS endpoint, or to read the log).
    #[must_use]
    pub fn handler(&self) -> DnsHandler {
        self.handler.clone()
    }

    /// Starts answering on `addr` over UDP and TCP (the same port). With
    /// port 0 an ephemeral port free for both is chosen.
    ///
    /// # Errors
    /// The sockets cannot be bound.
    pub async fn serve(&self, addr: SocketAddr) -> Result<RunningServer, Error> {
        let (udp, tcp) = bind_pair(addr).await?;
        let local = udp.local_addr().map_err(io_err("reading the bound address"))?;
        let mut server = Server::new(self.handler.clone());
        server.register_socket(udp);
        server.register_listener(tcp, Duration::from_secs(5), 64);
        Ok(RunningServer { addr: local, handler: self.handler.clone(), server: Some(server) })
    }
}

/// Binds UDP, then TCP on the same port; with port 0, retries a few
/// ephemeral ports until one is free for both.
async fn bind_pair(addr: SocketAddr) -> Result<(UdpSocket, TcpListener), Error> {
    let attempts = if addr.port() == 0 { 20 } else { 1 };
    let mut last = None;
    for _ in 0..attempts {
        let udp = UdpSocket::bind(addr).await.map_err(io_err(format!("binding UDP {addr}")))?;
        let port = udp.local_addr().map_err(io_err("reading the UDP address"))?.port();
        let tcp_addr = SocketAddr::new(addr.ip(), port);
        match TcpListener::bind(tcp_addr).await {
            Ok(tcp) => return Ok((udp, tcp)),
            Err(e) => last = Some(io_err(format!("binding TCP {tcp_addr}"))(e)),
        }
    }
    Err(last.unwrap_or_else(|| io_err(format!("binding {addr}"))(io::Error::other("no port free for UDP and TCP"))))
}

/// A running test bed. Dropping it stops the listeners; [`Self::shutdown`]
/// also waits for them to finish.
pub struct RunningServer {
    addr: SocketAddr,
    handler: DnsHandler,
    server: Option<Server<DnsHandler>>,
}

impl fmt::Debug for RunningServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunningServer").field("addr", &self.addr).finish_non_exhaustive()
    }
}

impl RunningServer {
    /// The bound address (UDP and TCP).
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The request handler (shared with the listeners).
    #[must_use]
    pub fn handler(&self) -> DnsHandler {
        self.handler.clone()
    }

    /// Every question received so far.
    #[must_use]
    pub fn queries(&self) -> Vec<LoggedQuery> {
        self.handler.queries()
    }

    /// Returns the questions received so far and empties the log.
    pub fn take_queries(&self) -> Vec<LoggedQuery> {
        self.handler.take_queries()
    }

    /// Stops the listeners and waits for them.
    ///
    /// # Errors
    /// A listener ended with an error before the shutdown.
    pub async fn shutdown(mut self) -> Result<(), Error> {
        if let Some(mut server) = self.server.take() {
            server.shutdown_gracefully().await.map_err(|e| Error::Io {
                context: "shutting down".to_string(),
                source: io::Error::other(e.to_string()),
            })?;
        }
        Ok(())
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            // Cancelling stops the accept loops; dropping the server aborts
            // its tasks (they live in its JoinSet).
            server.shutdown_token().cancel();
        }
    }
}

/// Serves the zones of `zones_dir` on `listen` until Ctrl-C, printing the
/// bound address first (for the CLI's `testbed` command).
///
/// # Errors
/// Loading or binding failed.
pub async fn serve_until_ctrl_c(zones_dir: &Path, listen: SocketAddr) -> Result<(), Error> {
    let bed = TestBed::from_dir(zones_dir)?;
    let running = bed.serve(listen).await?;
    println!(
        "spf test bed: {} zone(s) from {} on {} (UDP and TCP); Ctrl-C stops",
        bed.origins().len(),
        zones_dir.display(),
        running.addr()
    );
    tokio::signal::ctrl_c().await.map_err(io_err("waiting for Ctrl-C"))?;
    running.shutdown().await
}
