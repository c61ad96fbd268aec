//! Integration tests of the `spf` command, one binary. They drive
//! `spf_cli::run` with the repository's zonefiles/ served by the embedded
//! test bed on loopback, so they run offline.

// Helpers: run the command, paths.
mod util;

// `spf check`: the incident and the Outlook scenarios, text and JSON.
mod check;
// `spf explain-log` on the incident's reject line.
mod explain_log;
// `spf conformance` on a small suite, in memory and over DNS.
mod conformance;
// Bad input everywhere: one line on stderr, exit code 2.
mod bad_input;
