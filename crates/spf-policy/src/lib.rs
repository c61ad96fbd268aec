//! A mail receiver's SPF policy with policyd-spf's semantics (RFC 7208 §8
//! leaves the handling of results to the receiver).
//!
//! - [`Policy`] holds every policyd-spf option that decides the outcome,
//!   with policyd-spf's defaults; [`Policy::parse`] reads a
//!   `policyd-spf.conf` (`Name = value`, `#` comments, comma-separated lists)
//!   and gives a [`ConfigError`] for anything policyd-spf would ignore.
//! - [`decide`] (and its DNS-free core [`decide_with`]) applies the policy
//!   to an [`spf_core::Report`] in policyd-spf's order of checks (skip
//!   addresses and whitelists, then HELO, whose reject or defer ends it, then
//!   MAIL FROM) and returns a [`Decision`] whose `line` is the Postfix action
//!   exactly as policyd-spf writes it: `550 5.7.23 ...`, `550 5.7.24 ...`,
//!   `defer_if_permit 4.7.24 ...`, `prepend Received-SPF: ...`,
//!   `prepend Authentication-Results: ...` or `dunno`.
//! - [`compare()`] answers "what would each `HELO_reject` / `Mail_From_reject`
//!   mode have done?" for one report.
//! - [`headers`] builds the standard `Received-SPF` (RFC 7208 §9.1) and
//!   `Authentication-Results` (RFC 8601) fields.
//!
//! Everything is serde-serialisable and the crate builds for
//! `wasm32-unknown-unknown`: it reads no clock, hostname or environment
//! (the receiving host's name comes in through [`Envelope`]).
//!
//! # Examples
//! ```
//! use spf_core::{check_identities, Config, InMemory};
//! use spf_policy::{compare, decide_with, Envelope, Policy};
//!
//! let zone = InMemory::new()
//!     .txt("mx-out.facebook.com", "v=spf1 a ~all")
//!     .a("mx-out.facebook.com", "69.63.179.2".parse().unwrap())
//!     .txt("mail.instagram.com", "v=spf1 ip4:66.220.155.0/24 -all");
//! let policy = Policy::parse("HELO_reject = SPF_Not_Pass\n").unwrap();
//! let config = policy.core_config(Config::default());
//! let report = futures_executor::block_on(check_identities(
//!     &zone, &config, "66.220.155.156".parse().unwrap(),
//!     "mx-out.facebook.com", "security@mail.instagram.com",
//! ));
//! let decision = decide_with(&policy, &report, &Envelope::default(), None);
//! assert!(decision.line.starts_with("550 5.7.23 Message rejected due to: domain owner discourages use of this host."));
//! let cmp = compare(&policy, &report, &Envelope::default(), None);
//! assert_eq!(
//!     cmp.helo_summary,
//!     "rejected (550 5.7.23 ...) under HELO_reject = SPF_Not_Pass or Softfail; accepted under Fail, Null, False, No_Check"
//! );
//! ```

pub mod compare;
pub mod config;
pub mod decide;
pub mod headers;

pub use compare::{Comparison, ModeOutcome, compare};
pub use config::{ConfigError, ConfigErrorKind, HeaderType, HeloReject, MailFromReject, Policy};
pub use decide::{
    Action, Bypass, Decision, Envelope, Stage, capitalized, decide, decide_with, find_bypass, pyspf_reason,
};
pub use headers::{AuthenticationResults, Headers, ReceivedSpf, SpfAuthResult};
