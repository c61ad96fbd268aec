//! Criterion benchmarks: record parsing throughput on real-world-shaped
//! records, and whole evaluations over the in-memory lookup (an
//! Outlook-like include chain, and a macro-heavy record).
//!
//! Run: `cargo bench -p spf-core --bench spf`.

use std::future::Future;
use std::hint::black_box;
use std::net::IpAddr;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use spf_core::{Config, InMemory, Record, SpfResult, check_identities};

/// Records shaped like those large senders publish.
const CORPUS: &[&str] = &[
    "v=spf1 include:facebookmail.com -all",
    "v=spf1 ip4:66.220.144.128/25 ip4:66.220.155.0/24 ip4:66.220.157.0/25 ip4:69.63.178.128/25 ip4:69.63.181.0/24 ip4:69.63.184.0/25 ip4:69.171.232.0/24 ip4:69.171.244.0/23 -all",
    "v=spf1 a ~all",
    "v=spf1 ip4:207.46.100.0/24 ip4:207.46.163.0/24 ip4:65.55.169.0/24 ip4:157.56.110.0/23 ip4:157.55.234.0/24 ip4:213.199.154.0/24 ip4:213.199.180.128/26 ip4:52.100.0.0/14 include:spfa.protection.outlook.com -all",
    "v=spf1 ip6:2a01:111:f400::/48 ip6:2a01:111:f403::/49 ip6:2a01:111:f403:8000::/50 ip6:2a01:111:f403:c000::/51 ip6:2a01:111:f403:f000::/52 -all",
    "v=spf1 include:_spf.google.com include:mailgun.org include:sendgrid.net include:servers.mcsv.net ~all",
    "v=spf1 mx a:mail.example.com/24//64 ptr:example.com exists:%{ir}.%{l1r+-}._spf.%{d} ?all",
    "v=spf1 redirect=_spf.example.net exp=explain._spf.%{d}",
];

fn run_now<F: Future>(f: F) -> F::Output {
    spf_core::run_ready(f).expect("in-memory evaluations complete at the first poll")
}

fn parse(c: &mut Criterion) {
    let bytes: usize = CORPUS.iter().map(|r| r.len()).sum();
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Bytes(u64::try_from(bytes).unwrap_or(u64::MAX)));
    g.bench_function("corpus", |b| {
        b.iter(|| {
            for r in CORPUS {
                let _ = black_box(Record::parse(black_box(r)));
            }
        });
    });
    g.finish();
}

fn outlook_zone() -> InMemory {
    InMemory::new()
        .txt("eur01-db5-obe.outbound.protection.outlook.com", "v=spf1 include:spf.protection.outlook.com -all")
        .a(
            "eur01-db5-obe.outbound.protection.outlook.com",
            "213.199.154.175".parse().unwrap_or(std::net::Ipv4Addr::UNSPECIFIED),
        )
        .txt("outlook.com", "v=spf1 include:spf.protection.outlook.com -all")
        .txt("spf.protection.outlook.com", CORPUS[3])
        .txt("spfa.protection.outlook.com", CORPUS[4])
}

fn evaluate(c: &mut Criterion) {
    let zone = outlook_zone();
    let config = Config::default();
    let v4: IpAddr = [213, 199, 154, 175].into();
    let v6: IpAddr = "2a01:111:f400:7e02::200".parse().unwrap_or(v4);
    let helo = "eur01-db5-obe.outbound.protection.outlook.com";
    let check = run_now(check_identities(&zone, &config, v6, helo, "someone@outlook.com"));
    assert_eq!(check.mail_from.result(), SpfResult::Pass);
    let mut g = c.benchmark_group("evaluate");
    g.bench_function("outlook_both_identities_v4", |b| {
        b.iter(|| run_now(check_identities(&zone, &config, black_box(v4), helo, "someone@outlook.com")));
    });
    g.bench_function("outlook_both_identities_v6_via_include_chain", |b| {
        b.iter(|| run_now(check_identities(&zone, &config, black_box(v6), helo, "someone@outlook.com")));
    });
    let macro_zone = InMemory::new()
        .txt("example.com", CORPUS[6])
        .mx("example.com", 10, "mx.example.com")
        .a("mx.example.com", [192, 0, 2, 10].into())
        .a("mail.example.com", [192, 0, 2, 20].into())
        .ptr([198, 51, 100, 7].into(), "host.example.com")
        .a("host.example.com", [198, 51, 100, 7].into());
    g.bench_function("macros_mx_ptr_exists", |b| {
        b.iter(|| {
            run_now(check_identities(
                &macro_zone,
                &config,
                black_box([198, 51, 100, 9].into()),
                "example.com",
                "a.b@example.com",
            ))
        });
    });
    g.finish();
}

criterion_group!(benches, parse, evaluate);
criterion_main!(benches);
