//! An in-memory [`Lookup`]: zones built in code, for tests, conformance
//! suites and "what-if" records laid over a real resolver ([`Overlay`]).

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use crate::lookup::{Lookup, LookupError, LookupResult, Mx, RecordType, reverse_name};

/// How many CNAMEs are followed before the chain counts as a loop.
const MAX_CNAME_CHAIN: usize = 16;

#[derive(Debug, Clone, Default)]
struct Node {
    a: Vec<Ipv4Addr>,
    aaaa: Vec<Ipv6Addr>,
    mx: Vec<Mx>,
    txt: Vec<Vec<u8>>,
    ptr: Vec<String>,
    cname: Option<String>,
    faults: BTreeMap<RecordType, LookupError>,
}

impl Node {
    fn has(&self, rtype: RecordType) -> bool {
        match rtype {
            RecordType::A => !self.a.is_empty(),
            RecordType::Aaaa => !self.aaaa.is_empty(),
            RecordType::Mx => !self.mx.is_empty(),
            RecordType::Txt => !self.txt.is_empty(),
            RecordType::Ptr => !self.ptr.is_empty(),
        }
    }
}

/// A zone held in memory. Names are case-insensitive; CNAMEs are followed
/// (a chain longer than 16 or a loop answers SERVFAIL, as a resolver would).
///
/// # Examples
/// ```
/// use spf_core::InMemory;
/// let zone = InMemory::new()
///     .txt("example.com", "v=spf1 a -all")
///     .a("example.com", "192.0.2.1".parse().unwrap());
/// # let _ = zone;
/// ```
#[derive(Debug, Clone, Default)]
pub struct InMemory {
    nodes: BTreeMap<String, Node>,
    /// Types for which a name was explicitly declared empty (`TXT: NONE`).
    declared: BTreeSet<(String, RecordType)>,
}

fn key(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

impl InMemory {
    /// An empty zone: every name is NXDOMAIN.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn node(&mut self, name: &str) -> &mut Node {
        self.nodes.entry(key(name)).or_default()
    }

    /// Makes `name` exist (so its other types answer NODATA, not NXDOMAIN).
    #[must_use]
    pub fn exists(mut self, name: &str) -> Self {
        self.node(name);
        self
    }

    /// Adds an A record.
    #[must_use]
    pub fn a(mut self, name: &str, ip: Ipv4Addr) -> Self {
        self.node(name).a.push(ip);
        self
    }

    /// Adds an AAAA record.
    #[must_use]
    pub fn aaaa(mut self, name: &str, ip: Ipv6Addr) -> Self {
        self.node(name).aaaa.push(ip);
        self
    }

    /// Adds an A or AAAA record, by the address family.
    #[must_use]
    pub fn addr(self, name: &str, ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => self.a(name, v4),
            IpAddr::V6(v6) => self.aaaa(name, v6),
        }
    }

    /// Adds an MX record.
    #[must_use]
    pub fn mx(mut self, name: &str, preference: u16, exchange: &str) -> Self {
        let exchange = exchange.trim_end_matches('.').to_string();
        self.node(name).mx.push(Mx { preference, exchange });
        self
    }

    /// Adds a TXT record made of one string.
    #[must_use]
    pub fn txt(self, name: &str, text: &str) -> Self {
        self.txt_bytes(name, text.as_bytes().to_vec())
    }

    /// Adds a TXT record given as raw bytes (its strings already joined).
    #[must_use]
    pub fn txt_bytes(mut self, name: &str, text: Vec<u8>) -> Self {
        self.node(name).txt.push(text);
        self
    }

    /// Adds a PTR record under the reverse name of `ip`.
    #[must_use]
    pub fn ptr(self, ip: IpAddr, target: &str) -> Self {
        self.ptr_at(&reverse_name(ip), target)
    }

    /// Adds a PTR record at an explicit (reverse) owner name.
    #[must_use]
    pub fn ptr_at(mut self, owner: &str, target: &str) -> Self {
        self.node(owner).ptr.push(target.trim_end_matches('.').to_string());
        self
    }

    /// Makes `name` an alias of `target`.
    #[must_use]
    pub fn cname(mut self, name: &str, target: &str) -> Self {
        self.node(name).cname = Some(key(target));
        self
    }

    /// Makes questions of `rtype` (or of every type, with `None`) for `name`
    /// fail with `error`. Records of a faulted type are not served.
    #[must_use]
    pub fn fault(mut self, name: &str, rtype: Option<RecordType>, error: LookupError) -> Self {
        let node = self.node(name);
        match rtype {
            Some(t) => {
                node.faults.insert(t, error);
            }
            None => {
                for t in RecordType::ALL {
                    node.faults.insert(t, error.clone());
                }
            }
        }
        self
    }

    /// Declares that `name` has no records of `rtype` (an [`Overlay`] then
    /// answers NODATA instead of asking the lower layer).
    #[must_use]
    pub fn none(mut self, name: &str, rtype: RecordType) -> Self {
        self.node(name);
        self.declared.insert((key(name), rtype));
        self
    }

    /// Whether this zone says anything about `name` and `rtype`.
    #[must_use]
    pub fn covers(&self, name: &str, rtype: RecordType) -> bool {
        let k = key(name);
        self.declared.contains(&(k.clone(), rtype))
            || self.nodes.get(&k).is_some_and(|n| n.has(rtype) || n.faults.contains_key(&rtype) || n.cname.is_some())
    }

    /// Resolves `name`/`rtype` to its node, following CNAMEs.
    fn resolve(&self, name: &str, rtype: RecordType) -> Result<&Node, LookupError> {
        let mut current = key(name);
        for _ in 0..MAX_CNAME_CHAIN {
            let Some(node) = self.nodes.get(&current) else {
                return Err(LookupError::NxDomain);
            };
            if let Some(err) = node.faults.get(&rtype) {
                return Err(err.clone());
            }
            if node.has(rtype) {
                return Ok(node);
            }
            match &node.cname {
                Some(target) => current.clone_from(target),
                None => return Err(LookupError::NoData),
            }
        }
        Err(LookupError::ServerFailure)
    }

    fn answer<T: Clone>(&self, name: &str, rtype: RecordType, pick: fn(&Node) -> &Vec<T>) -> LookupResult<T> {
        self.resolve(name, rtype).map(|n| pick(n).clone())
    }
}

impl Lookup for InMemory {
    async fn lookup_a(&self, name: &str) -> LookupResult<Ipv4Addr> {
        self.answer(name, RecordType::A, |n| &n.a)
    }
    async fn lookup_aaaa(&self, name: &str) -> LookupResult<Ipv6Addr> {
        self.answer(name, RecordType::Aaaa, |n| &n.aaaa)
    }
    async fn lookup_mx(&self, name: &str) -> LookupResult<Mx> {
        self.answer(name, RecordType::Mx, |n| &n.mx)
    }
    async fn lookup_txt(&self, name: &str) -> LookupResult<Vec<u8>> {
        self.answer(name, RecordType::Txt, |n| &n.txt)
    }
    async fn lookup_ptr(&self, ip: IpAddr) -> LookupResult<String> {
        self.answer(&reverse_name(ip), RecordType::Ptr, |n| &n.ptr)
    }
}

/// "What-if" records laid over another [`Lookup`]: a question the overlay
/// [`covers`](InMemory::covers) is answered by it, every other one by `inner`.
#[derive(Debug, Clone)]
pub struct Overlay<L> {
    /// The replacement records.
    pub overrides: InMemory,
    /// Where every other question goes.
    pub inner: L,
}

impl<L: Lookup> Lookup for Overlay<L> {
    async fn lookup_a(&self, name: &str) -> LookupResult<Ipv4Addr> {
        if self.overrides.covers(name, RecordType::A) {
            return self.overrides.lookup_a(name).await;
        }
        self.inner.lookup_a(name).await
    }
    async fn lookup_aaaa(&self, name: &str) -> LookupResult<Ipv6Addr> {
        if self.overrides.covers(name, RecordType::Aaaa) {
            return self.overrides.lookup_aaaa(name).await;
        }
        self.inner.lookup_aaaa(name).await
    }
    async fn lookup_mx(&self, name: &str) -> LookupResult<Mx> {
        if self.overrides.covers(name, RecordType::Mx) {
            return self.overrides.lookup_mx(name).await;
        }
        self.inner.lookup_mx(name).await
    }
    async fn lookup_txt(&self, name: &str) -> LookupResult<Vec<u8>> {
        if self.overrides.covers(name, RecordType::Txt) {
            return self.overrides.lookup_txt(name).await;
        }
        self.inner.lookup_txt(name).await
    }
    async fn lookup_ptr(&self, ip: IpAddr) -> LookupResult<String> {
        if self.overrides.covers(&reverse_name(ip), RecordType::Ptr) {
            return self.overrides.lookup_ptr(ip).await;
        }
        self.inner.lookup_ptr(ip).await
    }
}

/// Runs a future whose lookups answer at once (an evaluation over
/// [`InMemory`]) without an executor: it is polled once, and `None` is
/// returned if it was not ready.
///
/// # Examples
/// ```
/// use spf_core::{check_host, run_ready, Config, InMemory, SpfResult};
/// let zone = InMemory::new().txt("example.com", "v=spf1 -all");
/// let ip = "192.0.2.1".parse().unwrap();
/// let o = run_ready(check_host(&zone, &Config::default(), ip, "example.com", "a@example.com", "h.example"));
/// assert_eq!(o.map(|o| o.result), Some(SpfResult::Fail));
/// ```
pub fn run_ready<F: Future>(future: F) -> Option<F::Output> {
    let mut future = pin!(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => Some(v),
        Poll::Pending => None,
    }
}
