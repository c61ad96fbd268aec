//! `spf conformance`: an openspf-format suite, in memory or over real DNS
//! sockets (each scenario's zone served by the test bed on loopback).

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use spf_conformance::over_dns::run_over_dns;
use spf_conformance::{Suite, run_in_memory};

use crate::{Failure, Outcome, emit};

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

pub(crate) async fn run(args: ConformanceArgs, out: &mut dyn Write) -> Outcome {
    let suite = Suite::load(&args.file).map_err(|e| Failure::Input(format!("{}: {e}", args.file.display())))?;
    let ledger = if args.over_dns {
        run_over_dns(&suite, Duration::from_millis(args.timeout_ms.max(1))).await.map_err(Failure::Environment)?.ledger
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
