use std::future::Future;
use std::net::IpAddr;

use spf_core::{Config, InMemory, Outcome, check_host};

/// Polls a future that never waits (the in-memory lookup answers at once).
pub fn run_now<F: Future>(f: F) -> F::Output {
    spf_core::run_ready(f).expect("in-memory evaluations complete at the first poll")
}

pub fn ip(s: &str) -> IpAddr {
    s.parse().expect("test address")
}

/// check_host() for `domain` with sender `postmaster@domain`.
pub fn check(zone: &InMemory, addr: &str, domain: &str) -> Outcome {
    check_with(zone, &Config::default(), addr, domain)
}

pub fn check_with(zone: &InMemory, config: &Config, addr: &str, domain: &str) -> Outcome {
    let sender = format!("postmaster@{domain}");
    run_now(check_host(zone, config, ip(addr), domain, &sender, "helo.example"))
}
