//! Helpers for the scenario tests: the test bed over `zonefiles/`, a
//! resolver pointed at it, and a conformance [`World`] served over DNS.
//!
//! [`Bed::zonefiles`] starts the authoritative test bed on an ephemeral
//! loopback port with every zone of `zonefiles/` and its `faults.conf`;
//! [`Bed::check`] evaluates both identities through [`spf_resolver`] over
//! real UDP/TCP and returns the [`spf_core::Report`] with the DNS questions
//! the server saw. (The suites over DNS use spf-conformance's `over_dns`.)

use std::fmt::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use spf_core::{Config, IdentityCheck, Report, TermOutcome, check_identities};
use spf_resolver::{Resolver, ResolverConfig};
use spf_testbed::{LoggedQuery, RunningServer, TestBed};

/// The per-exchange timeout the tests use: loopback answers come in
/// microseconds, so a "never answers" fault costs only this much.
pub const QUERY_TIMEOUT: Duration = Duration::from_millis(500);

/// The `zonefiles/` folder of the workspace.
#[must_use]
pub fn zonefiles_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../zonefiles")
}

/// A resolver asking only `server`, one UDP try of [`QUERY_TIMEOUT`].
#[must_use]
pub fn resolver_for(server: SocketAddr) -> Resolver {
    Resolver::new(ResolverConfig::new(vec![server]).with_timeout(QUERY_TIMEOUT).with_attempts(1))
}

/// A running test bed and a resolver pointed at it.
#[derive(Debug)]
pub struct Bed {
    /// The server.
    pub server: RunningServer,
    /// The resolver (no cache).
    pub resolver: Resolver,
}

/// One evaluation of both identities, and what the server saw.
#[derive(Debug)]
pub struct Checked {
    /// Both identities.
    pub report: Report,
    /// The questions the server received during the evaluation.
    pub queries: Vec<LoggedQuery>,
}

impl Bed {
    /// Serves `zonefiles/` (with its faults) on `127.0.0.1:0`.
    ///
    /// # Panics
    /// The zone files do not load or no loopback port can be bound: the
    /// tests cannot run at all then.
    pub async fn zonefiles() -> Self {
        let bed = match TestBed::from_dir(&zonefiles_dir()) {
            Ok(b) => b,
            Err(e) => panic!("zonefiles/ does not load: {e}"),
        };
        Self::start(&bed).await
    }

    /// Serves `bed` on `127.0.0.1:0`.
    ///
    /// # Panics
    /// No loopback port can be bound.
    pub async fn start(bed: &TestBed) -> Self {
        let loopback = SocketAddr::from(([127, 0, 0, 1], 0));
        let server = match bed.serve(loopback).await {
            Ok(s) => s,
            Err(e) => panic!("cannot serve on loopback: {e}"),
        };
        let resolver = resolver_for(server.addr());
        Self { server, resolver }
    }

    /// Evaluates HELO and MAIL FROM (RFC 7208 §2.3, §2.4) for a client.
    pub async fn check(&self, ip: IpAddr, helo: &str, mail_from: &str) -> Checked {
        self.server.take_queries();
        let report = check_identities(&self.resolver, &Config::default(), ip, helo, mail_from).await;
        Checked { report, queries: self.server.take_queries() }
    }
}

/// A stable text rendering of one identity for snapshots: result,
/// explanation, cause, the trace's text tree.
#[must_use]
pub fn render_identity(check: &IdentityCheck) -> String {
    let mut s = String::new();
    let o = &check.outcome;
    let _ = writeln!(s, "identity: {:?} <{}> (domain {})", check.identity, check.sender, check.domain);
    let _ = writeln!(s, "result: {}", o.result);
    let _ = writeln!(s, "explanation: {}", o.explanation.as_deref().unwrap_or("-"));
    let _ = writeln!(s, "cause: {}", o.cause);
    if let Some(u) = &check.unchecked {
        let _ = writeln!(s, "unchecked: {u}");
    }
    let _ = writeln!(s, "trace:");
    for line in o.trace.to_string().lines() {
        let _ = writeln!(s, "  {line}");
    }
    s
}

/// The innermost matching term: `(domain, term)` of the record whose
/// mechanism decided, following matched `include:`s (the [`spf_core::Cause`]
/// names only the top-level one).
#[must_use]
pub fn deciding_term(check: &IdentityCheck) -> Option<(String, String)> {
    let mut level = &check.outcome.trace.root;
    loop {
        let step = level.terms.iter().find(|t| t.outcome == TermOutcome::Match)?;
        match &step.child {
            Some(child) => level = child,
            None => return Some((level.domain.clone(), step.term.clone())),
        }
    }
}

/// The server's query log, one question a line (`UDP TXT name (fault)`).
#[must_use]
pub fn render_queries(queries: &[LoggedQuery]) -> String {
    queries.iter().map(|q| format!("{q}\n")).collect()
}
