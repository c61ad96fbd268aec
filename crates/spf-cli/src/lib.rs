//! The `spf` command line: RFC 7208 checks of both identities with a
//! policyd-spf receiver policy, conformance runs, the diagnosis of a Postfix
//! reject line, the DNS test bed and the web page.
//!
//! [`run`] is the whole program (the binary only calls it), so tests drive it
//! with argument lists and in-memory output.
//!
//! # Commands
//! - `spf check --ip IP --helo NAME --mail-from ADDR` evaluates HELO and
//!   MAIL FROM and prints each result with the deciding record, the
//!   `Received-SPF` / `Authentication-Results` headers, the policyd-spf
//!   verdict (`--policy FILE`, `--helo-reject MODE`, `--mail-from-reject MODE`,
//!   `--set Name=value`) and what each `HELO_reject` / `Mail_From_reject`
//!   mode would do. `--trace` adds the evaluation trees; `--json` prints one
//!   JSON document instead (see below).
//! - `spf explain-log 'LINE'` explains a Postfix/policyd-spf reject line.
//! - `spf conformance FILE.yml [--over-dns] [--json]` runs an openspf suite.
//! - `spf testbed serve [--zones DIR] [--listen ADDR]` runs the DNS test bed.
//! - `spf serve [--zones DIR] [--listen ADDR]` serves the web page and `/dns-query`.
//!
//! DNS (for `check` and `explain-log`): the system's resolvers
//! (`/etc/resolv.conf`) by default, `--nameserver ADDR[:PORT]`, or
//! `--zones DIR`, which starts the embedded test bed on a loopback port for
//! the duration of the command.
//!
//! # Exit codes
//! | code | meaning |
//! |------|---------|
//! | 0 | `check`: the policy accepts the message (prepend, dunno, restriction); other commands: success |
//! | 1 | `check`: the policy rejects it (`550 ...`); `conformance`: at least one case failed |
//! | 2 | bad input: arguments, IP address, mail address, config file, option value, log line |
//! | 3 | `check`: the policy defers it (`defer_if_permit ...`) |
//! | 4 | the environment failed: zones did not load, a socket could not be bound, no resolvers |
//!
//! # The `--json` document of `check` (version 1)
//! One object: `version` (1), `input` (`ip`, `helo`, `mail_from`, optional
//! `recipient`, `hostname`), `dns` (where answers came from), `report`
//! (spf-core's `Report`: both identities with result, explanation, cause and
//! the full trace), `headers` (spf-policy's `Headers`: both `Received-SPF`
//! and one `Authentication-Results`, as fields and as `text`), `policy`
//! (`options`: every policyd-spf option by its name; `changed`: the lines
//! that differ from the defaults), `decision` (spf-policy's `Decision`:
//! `action`, `line` exactly as policyd-spf writes it, `code`, `stage`,
//! `result`, `setting`, `header`, `steps`) and `comparison` (each
//! `HELO_reject` and `Mail_From_reject` mode's decision and the two
//! one-line summaries). Fields are only ever added within a version.

mod check;
mod conformance;
mod dns;
mod explain;

use std::ffi::OsString;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use check::{CheckInput, CheckOutput, check_report};
pub use explain::{LogLine, parse_log_line};

/// The command line.
#[derive(Debug, Parser)]
#[command(name = "spf", version, about = "SPF (RFC 7208) checks with policyd-spf verdicts", after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

const EXIT_CODES: &str = "Exit codes: 0 accepted / success; 1 rejected (check) or a failed case (conformance); \
2 bad input; 3 deferred (check); 4 environment failure (zones, sockets, resolvers).";

#[derive(Debug, Subcommand)]
enum Command {
    /// Check both identities (HELO, MAIL FROM) and apply a policyd-spf policy.
    Check(check::CheckArgs),
    /// Explain a Postfix/policyd-spf reject log line and re-run its checks.
    ExplainLog(explain::ExplainArgs),
    /// Run an openspf-format conformance suite (e.g. rfc7208-tests.yml).
    Conformance(conformance::ConformanceArgs),
    /// The embedded authoritative DNS test bed.
    Testbed {
        #[command(subcommand)]
        command: TestbedCommand,
    },
    /// Serve the web page, its wasm and DNS-over-HTTPS (/dns-query).
    Serve(ServeArgs),
}

#[derive(Debug, Subcommand)]
enum TestbedCommand {
    /// Answer DNS from the zone files until interrupted (Ctrl-C).
    Serve {
        /// Folder of `<origin>.zone` master files (and faults.conf).
        #[arg(long, default_value = "zonefiles")]
        zones: PathBuf,
        /// Address to answer on (UDP and TCP).
        #[arg(long, default_value = "127.0.0.1:5300")]
        listen: SocketAddr,
    },
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Folder of zone files for the embedded test bed; without it,
    /// /dns-query forwards to the system's resolvers.
    #[arg(long)]
    zones: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The page's folder (index.html and pkg/); default: the repository's web/.
    #[arg(long)]
    web: Option<PathBuf>,
}

/// Why a command stopped.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Bad input: exit code 2.
    Input(String),
    /// The environment failed: exit code 4.
    Environment(String),
}

pub(crate) type Outcome = Result<i32, Failure>;

/// Runs the program with `args` (the first is the program name); writes to
/// `out` and `err`; returns the exit code (see the crate docs).
pub fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            let text = e.render().to_string();
            return match e.kind() {
                ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    let _ = out.write_all(text.as_bytes());
                    if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand { 2 } else { 0 }
                }
                _ => {
                    // clap's message, first line only: one-line errors.
                    let first = text.lines().next().unwrap_or("error: invalid arguments");
                    let _ = writeln!(err, "{first}");
                    2
                }
            };
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "error: cannot start the async runtime: {e}");
            return 4;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Check(a) => check::run(a, out).await,
            Command::ExplainLog(a) => explain::run(a, out).await,
            Command::Conformance(a) => conformance::run(a, out).await,
            Command::Testbed { command: TestbedCommand::Serve { zones, listen } } => {
                spf_testbed::serve_until_ctrl_c(&zones, listen)
                    .await
                    .map(|()| 0)
                    .map_err(|e| Failure::Environment(e.to_string()))
            }
            Command::Serve(a) => {
                let mut options =
                    spf_serve::Options { listen: a.listen, zones: a.zones, ..spf_serve::Options::default() };
                if let Some(web) = a.web {
                    options.web_root = web;
                }
                spf_serve::serve(options).await.map(|()| 0).map_err(|e| Failure::Environment(e.to_string()))
            }
        }
    });
    let _ = out.flush();
    match result {
        Ok(code) => code,
        Err(Failure::Input(m)) => {
            let _ = writeln!(err, "error: {m}");
            2
        }
        Err(Failure::Environment(m)) => {
            let _ = writeln!(err, "error: {m}");
            4
        }
    }
}

/// Writes to the output; a closed pipe is not an error worth a panic.
pub(crate) fn emit(out: &mut dyn Write, text: &str) {
    let _ = out.write_all(text.as_bytes());
}
