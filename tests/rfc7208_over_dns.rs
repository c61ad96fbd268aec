//! The rfc7208-tests.yml suite over real DNS: each scenario's zone is
//! served by the test bed on a loopback port, and every case is evaluated
//! through `spf_resolver` over UDP/TCP (the suite's `TIMEOUT` is the test
//! bed's "never answer" fault, so those cases wait for a real timeout).
//!
//! A plain binary (`harness = false`) so its closing line is printed:
//! `rfc7208 over dns: 203 passed, 0 failed`. A missing suite is skipped
//! locally and fails under `CI`.

use std::path::Path;
use std::process::ExitCode;

use spf_conformance::{Case, Ledger, Row, Status, Suite, find_suite, run_case};
use spf_scenario_tests::{Bed, world_zone};
use spf_testbed::{TestBed, Transport};

const LABEL: &str = "rfc7208 over dns";

/// The ledger row of a case that could not be run.
fn not_run(scenario: &str, id: &str, case: &Case, why: String) -> Row {
    Row {
        scenario: scenario.to_string(),
        id: id.to_string(),
        spec: case.spec.clone(),
        expected: case.result.clone(),
        got: why,
        expected_explanation: case.explanation.clone(),
        explanation: None,
        status: Status::Fail,
    }
}

/// Runs every case; also returns how many questions the test beds got
/// over UDP and over TCP (evidence that the answers came over the wire).
async fn run(suite: &Suite) -> (Ledger, usize, usize) {
    let mut ledger = Ledger::default();
    let (mut udp, mut tcp) = (0, 0);
    for scenario in &suite.scenarios {
        let bed = scenario
            .world()
            .map(|w| world_zone(&w))
            .and_then(|(zone, faults)| {
                TestBed::from_static(zone, faults).map_err(|e| e.to_string())
            });
        let bed = match bed {
            Ok(b) => Bed::start(&b).await,
            Err(e) => {
                for (id, case) in &scenario.tests {
                    ledger.rows.push(not_run(
                        &scenario.description,
                        id,
                        case,
                        format!("zone error: {e}"),
                    ));
                }
                continue;
            }
        };
        for (id, case) in &scenario.tests {
            ledger
                .rows
                .push(run_case(&bed.resolver, &scenario.description, id, case).await);
        }
        for q in bed.server.queries() {
            match q.transport {
                Transport::Udp => udp += 1,
                Transport::Tcp | Transport::Https => tcp += 1,
            }
        }
        if let Err(e) = bed.server.shutdown().await {
            println!(
                "{LABEL}: shutting down the test bed for {:?}: {e}",
                scenario.description
            );
        }
    }
    (ledger, udp, tcp)
}

fn main() -> ExitCode {
    let Some(path) = find_suite("rfc7208-tests.yml", Path::new(env!("CARGO_MANIFEST_DIR"))) else {
        if std::env::var_os("CI").is_some() {
            println!(
                "{LABEL}: rfc7208-tests.yml not found; under CI the suite is required (scripts/fetch-suites.sh)"
            );
            return ExitCode::FAILURE;
        }
        eprintln!(
            "{LABEL}: rfc7208-tests.yml not found: run scripts/fetch-suites.sh (or set SPF_SUITE_DIR); skipping"
        );
        return ExitCode::SUCCESS;
    };
    let suite = match Suite::load(&path) {
        Ok(s) => s,
        Err(e) => {
            println!("{LABEL}: {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            println!("{LABEL}: cannot start a runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (ledger, udp, tcp) = runtime.block_on(run(&suite));
    println!("{LABEL}: the test beds answered {udp} questions over UDP and {tcp} over TCP");
    for row in ledger.rows.iter().filter(|r| r.status != Status::Pass) {
        println!("{LABEL}: {row}");
    }
    println!("{LABEL}: {}", ledger.summary());
    if ledger.failed() == 0 && ledger.passed() == 203 && ledger.skipped() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
