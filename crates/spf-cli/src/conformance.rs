//! `spf conformance`: an openspf-format suite, in memory or over real DNS
//! sockets (each scenario's zone served by the test bed on loopback).

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use spf_conformance::{run_case, run_in_memory, Ledger, Row, Status, Suite, World};
use spf_resolver::{Resolver, ResolverConfig};
use spf_testbed::{Fault, Faults, RecordType, StaticNode, StaticZone, TestBed};

use crate::{emit, Failure, Outcome};

/// `spf conformance` arguments.
#[derive(Debug, Args)]
pub(crate) struct ConformanceArgs {
    /// The suite file (e.g. rfc7208-tests.yml).
    file: PathBuf,
    /// Serve each scenario's zone from the test bed and resolve over UDP/TCP.
    #[arg(long)]
    over_dns: bool,
    /// Print the ledger as JSON (rows and the counts) instead of text.
    #[arg(long)]
    json: bool,
    /// Per-query timeout over DNS, in milliseconds (the suite's TIMEOUT entries wait this long).
    #[arg(long, value_name = "MS", default_value_t = 300)]
    timeout_ms: u64,
}

fn rtype(t: spf_core::RecordType) -> RecordType {
    match t {
        spf_core::RecordType::A => RecordType::A,
        spf_core::RecordType::Aaaa => RecordType::AAAA,
        spf_core::RecordType::Mx => RecordType::MX,
        spf_core::RecordType::Txt => RecordType::TXT,
        spf_core::RecordType::Ptr => RecordType::PTR,
    }
}

/// A scenario's world as the test bed's static zone and faults (`TIMEOUT`
/// entries become never-answered questions).
fn served(world: &World) -> (StaticZone, Faults) {
    let mut zone = StaticZone::default();
    let mut faults = Faults::new();
    for (name, node) in &world.nodes {
        zone.nodes.insert(
            name.clone(),
            StaticNode {
                a: node.a.clone(),
                aaaa: node.aaaa.clone(),
                mx: node.mx.clone(),
                txt: node.txt.clone(),
                ptr: node.ptr.clone(),
                cname: node.cname.clone(),
            },
        );
        for t in &node.timeout {
            faults.push(name, Some(rtype(*t)), Fault::Timeout);
        }
    }
    (zone, faults)
}

async fn run_over_dns(suite: &Suite, timeout: Duration) -> Result<Ledger, Failure> {
    let mut ledger = Ledger::default();
    for scenario in &suite.scenarios {
        let failed = |ledger: &mut Ledger, why: String| {
            for (id, case) in &scenario.tests {
                ledger.rows.push(Row {
                    scenario: scenario.description.clone(),
                    id: id.clone(),
                    spec: case.spec.clone(),
                    expected: case.result.clone(),
                    got: why.clone(),
                    expected_explanation: case.explanation.clone(),
                    explanation: None,
                    status: Status::Fail,
                });
            }
        };
        let world = match scenario.world() {
            Ok(w) => w,
            Err(e) => {
                failed(&mut ledger, format!("zone error: {e}"));
                continue;
            }
        };
        let (zone, faults) = served(&world);
        let bed = match TestBed::from_static(zone, faults) {
            Ok(b) => b,
            Err(e) => {
                failed(&mut ledger, format!("zone not servable: {e}"));
                continue;
            }
        };
        let server = bed
            .serve(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
            .await
            .map_err(|e| Failure::Environment(format!("starting the test bed: {e}")))?;
        let resolver = Resolver::new(ResolverConfig::new(vec![server.addr()]).with_timeout(timeout).with_attempts(1));
        for (id, case) in &scenario.tests {
            ledger.rows.push(run_case(&resolver, &scenario.description, id, case).await);
        }
        let _ = server.shutdown().await;
    }
    Ok(ledger)
}

pub(crate) async fn run(args: ConformanceArgs, out: &mut dyn Write) -> Outcome {
    let suite = Suite::load(&args.file).map_err(|e| Failure::Input(format!("{}: {e}", args.file.display())))?;
    let ledger = if args.over_dns {
        run_over_dns(&suite, Duration::from_millis(args.timeout_ms.max(1))).await?
    } else {
        run_in_memory(&suite, &|_, _| None)
    };
    if args.json {
        let doc = serde_json::json!({
            "suite": args.file.display().to_string(),
            "over_dns": args.over_dns,
            "passed": ledger.passed(),
            "failed": ledger.failed(),
            "skipped": ledger.skipped(),
            "rows": ledger.rows,
            "summary": ledger.summary(),
        });
        let text = serde_json::to_string_pretty(&doc).map_err(|e| Failure::Environment(format!("JSON: {e}")))?;
        emit(out, &text);
        emit(out, "\n");
    } else {
        emit(out, &ledger.to_string());
    }
    Ok(if ledger.failed() > 0 { 1 } else { 0 })
}
