//! Arbitrary records for three names that refer to each other, evaluated
//! for both identities: no panic, and the §4.6.4 limits hold.
#![no_main]

use std::future::Future;

use libfuzzer_sys::fuzz_target;
use spf_core::{Config, InMemory, check_identities};

fn run_now<F: Future>(f: F) -> F::Output {
    spf_core::run_ready(f).expect("in-memory evaluations complete at the first poll")
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|b| *b == b'\n');
    let names = ["a.example", "b.example", "c.example"];
    let mut zone = InMemory::new();
    for n in names {
        let rec = parts.next().unwrap_or_default();
        zone = zone.txt_bytes(n, rec.to_vec()).a(n, [192, 0, 2, 1].into()).mx(n, 10, "b.example");
    }
    let ip = parts
        .next()
        .and_then(|p| std::str::from_utf8(p).ok())
        .and_then(|s| s.parse().ok())
        .unwrap_or([192, 0, 2, 1].into());
    let config = Config::default();
    let report = run_now(check_identities(&zone, &config, ip, "a.example", "x@b.example"));
    for c in [&report.helo, &report.mail_from] {
        assert!(c.outcome.trace.dns_terms <= config.limits.dns_terms + 1);
        assert!(c.outcome.trace.void_lookups <= config.limits.void_lookups + 1);
    }
});
