//! Integration tests of spf-policy, one binary (ripgrep style).

// Shared helpers: zones and reports for every SPF result.
mod util;

// policyd-spf.conf parsing and its errors.
mod config;
// Every HELO_reject mode against the results that matter.
mod helo_reject;
// Every Mail_From_reject mode against the results that matter.
mod mail_from_reject;
// Every other option, one test each.
mod options;
// Received-SPF (RFC 7208 §9.1) and Authentication-Results (RFC 8601).
mod headers;
// The per-mode comparison and its one-line summary.
mod compare;
