//! One origin for the SPF web page: its static files (`web/`, with the
//! generated `web/pkg/`) and a DNS-over-HTTPS endpoint (RFC 8484) at
//! `/dns-query`, so the page's wasm evaluator needs no CORS and no other host.
//!
//! The endpoint hands wire-format queries to a [`DnsBackend`]: the embedded
//! test bed ([`spf_testbed::DnsHandler`], same zones, faults and query log as
//! over UDP/TCP) or the system's resolvers ([`SystemResolvers`], forwarded
//! over UDP with a TCP retry on truncation).
//!
//! [`serve`] runs until Ctrl-C and prints the URL; [`start`] returns a
//! [`Running`] server for tests; [`router`] is the bare `axum` router.
//!
//! # Examples
//! ```no_run
//! # async fn demo() -> Result<(), spf_serve::Error> {
//! let options = spf_serve::Options {
//!     zones: Some("zonefiles".into()),
//!     listen: "127.0.0.1:8080".parse().unwrap(),
//!     ..spf_serve::Options::default()
//! };
//! spf_serve::serve(options).await // prints "spf serve: http://127.0.0.1:8080/"
//! # }
//! ```

mod doh;
mod forward;
mod static_files;

use std::fmt;
use std::future::Future;
use std::io::{self, Write as _};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::post;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use forward::SystemResolvers;

/// A future answering one DNS query: the response bytes, or `None` for no
/// answer (the name server never replied: the client should time out).
pub type Answer<'a> = Pin<Box<dyn Future<Output = Option<Vec<u8>>> + Send + 'a>>;

/// Where `/dns-query` gets its answers: one wire-format query in, one
/// wire-format response out (or none, as a silent name server gives none).
pub trait DnsBackend: Send + Sync + 'static {
    /// Answers `query` (a complete DNS message, RFC 1035 §4).
    fn answer<'a>(&'a self, query: &'a [u8]) -> Answer<'a>;
    /// A few words for the start-up line (`test bed: 7 zones`, ...).
    fn describe(&self) -> String;
}

/// The test bed's handler: zones with faults behave in DoH as over UDP
/// (timeouts stay unanswered; truncation does not apply to a stream).
#[derive(Debug, Clone)]
pub struct TestBedBackend {
    handler: spf_testbed::DnsHandler,
    zones: usize,
}

impl TestBedBackend {
    /// Loads the zones (and `faults.conf`) of `dir`.
    ///
    /// # Errors
    /// As [`spf_testbed::TestBed::from_dir`].
    pub fn from_dir(dir: &std::path::Path) -> Result<Self, spf_testbed::Error> {
        let bed = spf_testbed::TestBed::from_dir(dir)?;
        Ok(Self { handler: bed.handler(), zones: bed.origins().len() })
    }

    /// The handler, to read its query log.
    #[must_use]
    pub fn handler(&self) -> &spf_testbed::DnsHandler {
        &self.handler
    }
}

impl DnsBackend for TestBedBackend {
    fn answer<'a>(&'a self, query: &'a [u8]) -> Answer<'a> {
        Box::pin(self.handler.answer_wire(query))
    }
    fn describe(&self) -> String {
        format!("test bed, {} zone(s)", self.zones)
    }
}

/// What [`serve`] and [`start`] need.
#[derive(Debug, Clone)]
pub struct Options {
    /// Address to listen on (`127.0.0.1:8080`; port 0 picks a free one).
    pub listen: SocketAddr,
    /// A folder of `<origin>.zone` files for the embedded test bed; `None`
    /// forwards to the system's resolvers (`/etc/resolv.conf`).
    pub zones: Option<PathBuf>,
    /// The page's folder (`web/`, holding `index.html` and the built `pkg/`).
    pub web_root: PathBuf,
    /// How long a question that gets no answer (a `timeout` fault, silent
    /// resolvers) holds its HTTP request before `504 Gateway Timeout`; the
    /// page's own per-query timeout normally ends it first.
    pub no_answer_hold: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            zones: None,
            web_root: default_web_root(),
            no_answer_hold: Duration::from_secs(10),
        }
    }
}

/// The repository's `web/` folder (found from this crate's source path),
/// or `./web` when that does not exist (an installed binary).
#[must_use]
pub fn default_web_root() -> PathBuf {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../web");
    if repo.is_dir() { repo } else { PathBuf::from("web") }
}

/// Why the server could not start.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The zones did not load.
    Zones(spf_testbed::Error),
    /// `/etc/resolv.conf` names no usable name server.
    Resolvers(io::Error),
    /// The page's folder has no `index.html`.
    WebRoot(PathBuf),
    /// The listening socket.
    Io(io::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Zones(e) => write!(f, "loading zones: {e}"),
            Self::Resolvers(e) => write!(f, "system resolvers: {e}"),
            Self::WebRoot(p) => write!(f, "{} has no index.html", p.display()),
            Self::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {}

/// The router: `/dns-query` (POST and GET, RFC 8484 §4.1, with CORS so a
/// page elsewhere may use it) and every other path from `web_root`.
pub fn router(backend: Arc<dyn DnsBackend>, web_root: PathBuf, no_answer_hold: Duration) -> Router {
    let doh = doh::Doh { backend, hold: no_answer_hold };
    let root = Arc::new(web_root);
    Router::new()
        .route("/dns-query", post(doh::post).get(doh::get).options(doh::preflight))
        // RFC 1035 §4.2.2: a DNS message over a stream is at most 65535 octets.
        .layer(DefaultBodyLimit::max(usize::from(u16::MAX)))
        .with_state(doh)
        .fallback(move |req: axum::extract::Request| static_files::respond(Arc::clone(&root), req))
}

fn backend_for(options: &Options) -> Result<Arc<dyn DnsBackend>, Error> {
    Ok(match &options.zones {
        Some(dir) => Arc::new(TestBedBackend::from_dir(dir).map_err(Error::Zones)?),
        None => Arc::new(SystemResolvers::from_resolv_conf().map_err(Error::Resolvers)?),
    })
}

/// A running server; dropping it stops it too.
#[derive(Debug)]
pub struct Running {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl Running {
    /// The bound address.
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The page's URL.
    #[must_use]
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Stops accepting, lets requests in flight finish, and waits.
    ///
    /// # Errors
    /// The server's I/O error, if it failed.
    pub async fn shutdown(mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task.await.map_err(io::Error::other)?,
            None => Ok(()),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Binds and starts serving in the background with `backend`.
///
/// # Errors
/// No `index.html` in the web root, or the address cannot be bound.
pub async fn start_with(options: &Options, backend: Arc<dyn DnsBackend>) -> Result<Running, Error> {
    if !options.web_root.join("index.html").is_file() {
        return Err(Error::WebRoot(options.web_root.clone()));
    }
    let listener = TcpListener::bind(options.listen).await.map_err(Error::Io)?;
    let addr = listener.local_addr().map_err(Error::Io)?;
    let app = router(backend, options.web_root.clone(), options.no_answer_hold);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    Ok(Running { addr, stop: Some(stop), task: Some(task) })
}

/// Loads the backend the options name and starts serving in the background.
///
/// # Errors
/// As [`start_with`], and zones or resolvers that cannot be loaded.
pub async fn start(options: &Options) -> Result<Running, Error> {
    start_with(options, backend_for(options)?).await
}

/// Serves until Ctrl-C: prints `spf serve: http://ADDR/ (DNS: ...)` on
/// standard output (flushed, so a script can read the port), plus a hint
/// when the page's wasm (`web/pkg/`) has not been built.
///
/// This is what `spf serve [--zones DIR] [--listen ADDR]` runs.
///
/// # Errors
/// As [`start`]; an I/O error of the server while running.
pub async fn serve(options: Options) -> Result<(), Error> {
    let backend = backend_for(&options)?;
    let describe = backend.describe();
    let running = start_with(&options, backend).await?;
    let mut out = io::stdout().lock();
    let _ = writeln!(out, "spf serve: {} (DNS: {describe}; Ctrl-C stops)", running.url());
    if !options.web_root.join("pkg/spf_wasm.js").is_file() {
        let _ = writeln!(out, "note: {}/pkg is missing: run web/build.sh", options.web_root.display());
    }
    let _ = out.flush();
    drop(out);
    let _ = tokio::signal::ctrl_c().await;
    running.shutdown().await.map_err(Error::Io)
}
