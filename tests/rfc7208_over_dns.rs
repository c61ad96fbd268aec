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

use spf_conformance::over_dns::run_over_dns;
use spf_conformance::{Status, Suite, find_suite};

const LABEL: &str = "rfc7208 over dns";

fn main() -> ExitCode {
    let Some(path) = find_suite("rfc7208-tests.yml", Path::new(env!("CARGO_MANIFEST_DIR"))) else {
        if std::env::var_os("CI").is_some() {
            println!("{LABEL}: rfc7208-tests.yml not found; under CI the suite is required (scripts/fetch-suites.sh)");
            return ExitCode::FAILURE;
        }
        eprintln!("{LABEL}: rfc7208-tests.yml not found: run scripts/fetch-suites.sh (or set SPF_SUITE_DIR); skipping");
        return ExitCode::SUCCESS;
    };
    let suite = match Suite::load(&path) {
        Ok(s) => s,
        Err(e) => {
            println!("{LABEL}: {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            println!("{LABEL}: cannot start a runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The suite's TIMEOUT cases wait this long for each unanswered question.
    let run = match runtime.block_on(run_over_dns(&suite, spf_scenario_tests::QUERY_TIMEOUT)) {
        Ok(r) => r,
        Err(e) => {
            println!("{LABEL}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (ledger, udp, tcp) = (run.ledger, run.udp, run.tcp);
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
