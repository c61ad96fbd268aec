//! What an evaluation returns (§2.6, §8): the result, explanation, cause and trace,
//! for one identity or for both.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::Problem;
use crate::result::{Identity, SpfResult};
use crate::trace::Trace;

/// A monotonic clock supplied by the caller (the core never reads the clock).
pub type Clock = Arc<dyn Fn() -> Duration + Send + Sync>;

/// Processing limits (§4.6.4). Defaults are the RFC's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// DNS-querying terms (include, a, mx, ptr, exists, redirect): 10.
    pub dns_terms: u32,
    /// Void lookups (NXDOMAIN/NODATA) tolerated: 2; one more is permerror.
    /// policyd-spf calls this `Void_Limit`.
    pub void_lookups: u32,
    /// Names an MX answer may hold: 10; more is permerror.
    pub mx_names: u32,
    /// PTR names considered for `ptr` and `%{p}`: the first 10.
    pub ptr_names: u32,
    /// Overall time bound of one check_host() (§4.6.4 "at least 20 seconds"),
    /// enforced only when a [`Clock`] is configured; exceeded is temperror.
    pub time_budget: Option<Duration>,
}

impl Default for Limits {
    fn default() -> Self {
        Self { dns_terms: 10, void_lookups: 2, mx_names: 10, ptr_names: 10, time_budget: Some(Duration::from_secs(20)) }
    }
}

/// The explanation used when a fail has no (usable) `exp=` (§6.2).
/// It is a macro-string, expanded like an `exp=` text.
pub const DEFAULT_EXPLANATION: &str = "%{i} is not one of %{d}'s designated mail servers";

/// Everything an evaluation needs from its host, passed in (never read).
#[derive(Clone)]
pub struct Config {
    /// The receiving host's name, for `%{r}` (§7.3: "unknown" when not given).
    pub receiver: String,
    /// The current time in seconds since the epoch, for `%{t}`.
    pub timestamp: u64,
    /// Processing limits.
    pub limits: Limits,
    /// The explanation for a fail without a usable `exp=` (a macro-string).
    pub default_explanation: String,
    /// The caller's monotonic clock, for [`Limits::time_budget`].
    pub clock: Option<Clock>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            receiver: "unknown".to_string(),
            timestamp: 0,
            limits: Limits::default(),
            default_explanation: DEFAULT_EXPLANATION.to_string(),
            clock: None,
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("receiver", &self.receiver)
            .field("timestamp", &self.timestamp)
            .field("limits", &self.limits)
            .field("default_explanation", &self.default_explanation)
            .field("clock", &self.clock.as_ref().map(|_| "<clock>"))
            .finish()
    }
}

/// Why the result is what it is, in a form fit for headers (§9.1
/// `mechanism=`/`problem=`) and for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Cause {
    /// A mechanism matched.
    Matched {
        /// The domain whose record holds the mechanism.
        domain: String,
        /// That record.
        record: String,
        /// The matching directive, as written (e.g. `~all`, `ip4:192.0.2.0/24`).
        mechanism: String,
    },
    /// No mechanism matched and there was no redirect: neutral (§4.7).
    Default {
        /// The domain whose record ran out.
        domain: String,
        /// That record.
        record: String,
    },
    /// §4.5: the domain publishes no SPF record.
    NoRecord {
        /// The domain.
        domain: String,
    },
    /// §4.3: the domain is not a valid, fully-qualified domain name.
    InvalidDomain {
        /// The domain as given.
        domain: String,
        /// Why it is not valid.
        reason: String,
    },
    /// A temperror or permerror.
    Problem {
        /// What went wrong.
        problem: Problem,
    },
}

impl fmt::Display for Cause {
    /// Terse ASCII, fit for a header comment.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Matched { domain, mechanism, .. } => write!(f, "{domain}: matched {mechanism}"),
            Self::Default { domain, .. } => write!(f, "{domain}: no mechanism matched"),
            Self::NoRecord { domain } => write!(f, "{domain}: no SPF record"),
            Self::InvalidDomain { domain, reason } => write!(f, "{domain}: not a valid domain ({reason})"),
            Self::Problem { problem } => write!(f, "{problem}"),
        }
    }
}

/// The outcome of one check_host() (§4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// One of the seven results.
    pub result: SpfResult,
    /// The explanation (§6.2), present only for `fail`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// Whether the explanation is the domain's own `exp=` text (true) or the
    /// configured default (false).
    #[serde(default)]
    pub explanation_from_exp: bool,
    /// Why.
    pub cause: Cause,
    /// The full evaluation.
    pub trace: Trace,
}

impl Outcome {
    /// The mechanism that decided, if one matched (e.g. `~all`).
    #[must_use]
    pub fn mechanism(&self) -> Option<&str> {
        match &self.cause {
            Cause::Matched { mechanism, .. } => Some(mechanism),
            _ => None,
        }
    }

    /// The record that decided (the one holding the matched mechanism, or
    /// the one that ran out), if any.
    #[must_use]
    pub fn deciding_record(&self) -> Option<(&str, &str)> {
        match &self.cause {
            Cause::Matched { domain, record, .. } | Cause::Default { domain, record } => Some((domain, record)),
            _ => None,
        }
    }

    /// The problem, for temperror and permerror.
    #[must_use]
    pub fn problem(&self) -> Option<&Problem> {
        match &self.cause {
            Cause::Problem { problem } => Some(problem),
            _ => None,
        }
    }
}

/// Why an identity was not looked up in DNS (its result is then `none`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Unchecked {
    /// The HELO is an address literal such as `[192.0.2.1]` (§2.3).
    AddressLiteral,
    /// The name is not a valid, fully-qualified domain (§4.3).
    NotADomain(String),
}

impl fmt::Display for Unchecked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AddressLiteral => f.write_str("address literal, not checked"),
            Self::NotADomain(why) => write!(f, "not a domain name ({why}), not checked"),
        }
    }
}

/// One identity's check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityCheck {
    /// HELO or MAIL FROM.
    pub identity: Identity,
    /// The `<sender>` passed to check_host() (e.g. `postmaster@helo.example`).
    pub sender: String,
    /// The `<domain>` passed to check_host().
    pub domain: String,
    /// Set when the identity was not looked up at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unchecked: Option<Unchecked>,
    /// The outcome.
    pub outcome: Outcome,
}

impl IdentityCheck {
    /// The result, shorthand for `outcome.result`.
    #[must_use]
    pub fn result(&self) -> SpfResult {
        self.outcome.result
    }
}

/// Both identities of one SMTP transaction, HELO first (§2.3: "Checking
/// HELO before MAIL FROM is the RECOMMENDED sequence if both are checked").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The SMTP client's address (IPv4-mapped IPv6 already unmapped).
    pub ip: IpAddr,
    /// The HELO/EHLO argument as given.
    pub helo_name: String,
    /// The MAIL FROM reverse-path as given (empty for the null sender).
    pub mail_from_address: String,
    /// Whether MAIL FROM was null, so that identity was checked as
    /// `postmaster@<helo>` (§2.4).
    pub null_sender: bool,
    /// The HELO identity.
    pub helo: IdentityCheck,
    /// The MAIL FROM identity.
    pub mail_from: IdentityCheck,
}
