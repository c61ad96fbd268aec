//! What went wrong during an evaluation, and its one mapping to a result
//! (§2.6.6 temperror, §2.6.7 permerror).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::lookup::{LookupError, RecordType};
use crate::result::SpfResult;

/// A record that does not follow the grammar of §12.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyntaxError {
    /// The offending term (or the part of the record that could not be read).
    pub term: String,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.term.is_empty() { f.write_str(&self.reason) } else { write!(f, "{:?}: {}", self.term, self.reason) }
    }
}

impl std::error::Error for SyntaxError {}

/// Why an evaluation ended in temperror or permerror.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Problem {
    /// §4.6: the record (of `domain`) has a syntax error.
    Syntax {
        /// Whose record.
        domain: String,
        /// The error.
        error: SyntaxError,
    },
    /// §4.5: more than one `v=spf1` record.
    MultipleRecords {
        /// Whose records.
        domain: String,
    },
    /// §5.2: `include:` names a domain whose check_host() is `none`.
    IncludeNone {
        /// The target domain.
        domain: String,
    },
    /// §6.1: `redirect=` names a domain without an SPF record (or not a domain).
    RedirectNone {
        /// The target domain.
        domain: String,
    },
    /// §4.6.4: more than the limit of DNS-querying terms.
    TooManyDnsTerms {
        /// The limit in force.
        limit: u32,
    },
    /// §4.6.4: more than the limit of void lookups.
    TooManyVoidLookups {
        /// The limit in force.
        limit: u32,
    },
    /// §4.6.4: an MX lookup returned more than the limit of names.
    TooManyMxNames {
        /// The domain queried.
        domain: String,
        /// The limit in force.
        limit: u32,
    },
    /// §5: a DNS error while evaluating (other than NXDOMAIN/NODATA).
    Dns {
        /// The name queried.
        name: String,
        /// The type queried.
        rtype: RecordType,
        /// What happened.
        error: LookupError,
    },
    /// §4.6.4: the overall time bound of the evaluation ran out.
    TimeLimit,
}

impl Problem {
    /// The documented mapping: DNS failures and the time bound are
    /// `temperror`, everything else is `permerror`.
    #[must_use]
    pub fn result(&self) -> SpfResult {
        match self {
            Self::Dns { .. } | Self::TimeLimit => SpfResult::Temperror,
            _ => SpfResult::Permerror,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax { domain, error } => write!(f, "syntax error in SPF record of {domain}: {error}"),
            Self::MultipleRecords { domain } => write!(f, "{domain} publishes more than one SPF record"),
            Self::IncludeNone { domain } => write!(f, "included domain {domain} has no SPF record"),
            Self::RedirectNone { domain } => write!(f, "redirect target {domain} has no SPF record"),
            Self::TooManyDnsTerms { limit } => write!(f, "more than {limit} DNS-querying terms"),
            Self::TooManyVoidLookups { limit } => write!(f, "more than {limit} void DNS lookups"),
            Self::TooManyMxNames { domain, limit } => write!(f, "MX of {domain} has more than {limit} names"),
            Self::Dns { name, rtype, error } => write!(f, "DNS {rtype} lookup of {name} failed: {error}"),
            Self::TimeLimit => f.write_str("evaluation time limit exceeded"),
        }
    }
}

impl std::error::Error for Problem {}
