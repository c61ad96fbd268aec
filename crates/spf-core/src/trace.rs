//! The evaluation trace (§4.6.4 counters, §5 terms, §6 modifiers) as data.
//!
//! Every DNS question with its answer class, every term with its outcome, the
//! running counters, and the include/redirect nesting. Serialisable with
//! serde; [`Trace`]'s `Display` renders a stable, indented text tree.

use std::fmt::{self, Write as _};

use serde::{Deserialize, Serialize};

use crate::lookup::RecordType;
use crate::result::SpfResult;

/// How a DNS question was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerClass {
    /// At least one record.
    Records,
    /// NXDOMAIN (void).
    NxDomain,
    /// NODATA (void).
    NoData,
    /// No answer in time.
    Timeout,
    /// SERVFAIL.
    ServerFailure,
    /// Any other error.
    Error,
}

impl AnswerClass {
    /// Whether this answer counts as a void lookup (§4.6.4).
    #[must_use]
    pub fn is_void(self) -> bool {
        matches!(self, Self::NxDomain | Self::NoData)
    }
}

impl fmt::Display for AnswerClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Records => "records",
            Self::NxDomain => "NXDOMAIN",
            Self::NoData => "NODATA",
            Self::Timeout => "timeout",
            Self::ServerFailure => "SERVFAIL",
            Self::Error => "error",
        })
    }
}

/// One DNS question and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    /// The name asked for (for PTR, the reverse name).
    pub name: String,
    /// The record type.
    pub rtype: RecordType,
    /// The answer class.
    pub answer: AnswerClass,
    /// The records, in presentation form (TXT with non-printable bytes escaped).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<String>,
    /// Error text, for failed questions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What a term did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TermOutcome {
    /// The mechanism matched: evaluation stops with the qualifier's result.
    Match,
    /// The mechanism did not match: evaluation goes on.
    NoMatch,
    /// The term ended the evaluation with an error result.
    Error,
    /// A modifier that was applied (redirect) or noted (exp, unknown).
    Modifier,
    /// The term was not reached (an earlier term decided, or a redirect was ignored).
    NotReached,
}

/// One term of a record, as evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermStep {
    /// The term's text, as written in the record (canonical form).
    pub term: String,
    /// The domain-spec after macro expansion, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// What it did.
    pub outcome: TermOutcome,
    /// A short note (why it matched or not, or the error).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Whether it counted against the DNS-term limit.
    pub counted: bool,
    /// DNS-querying terms so far, after this term.
    pub dns_terms: u32,
    /// Void lookups so far, after this term.
    pub void_lookups: u32,
    /// Its DNS questions, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queries: Vec<Query>,
    /// The nested evaluation of `include:` or `redirect=`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child: Option<Box<Check>>,
}

impl TermStep {
    /// A term not evaluated yet: no match, nothing counted, no queries.
    #[must_use]
    pub fn new(term: String, outcome: TermOutcome) -> Self {
        Self {
            term,
            target: None,
            outcome,
            note: None,
            counted: false,
            dns_terms: 0,
            void_lookups: 0,
            queries: Vec::new(),
            child: None,
        }
    }
}

/// One `check_host()` invocation: the top level, or an include/redirect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// The `<domain>` argument.
    pub domain: String,
    /// The record lookup's DNS question(s).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queries: Vec<Query>,
    /// The selected SPF record's text, if one was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// The terms, in evaluation order (mechanisms, then redirect).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<TermStep>,
    /// The result of this invocation.
    pub result: SpfResult,
    /// Why this level ended as it did, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Check {
    /// A level that has asked nothing yet, with its result and note.
    #[must_use]
    pub fn new(domain: &str, result: SpfResult, note: Option<String>) -> Self {
        Self { domain: domain.to_string(), queries: Vec::new(), record: None, terms: Vec::new(), result, note }
    }
}

/// The whole evaluation of one identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trace {
    /// The top-level check_host().
    pub root: Check,
    /// The explanation lookup (§6.2), if a fail led to one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub explanation_queries: Vec<Query>,
    /// DNS-querying terms counted in total (limit in `dns_term_limit`).
    pub dns_terms: u32,
    /// The DNS-term limit in force.
    pub dns_term_limit: u32,
    /// Void lookups counted in total.
    pub void_lookups: u32,
    /// The void-lookup limit in force.
    pub void_limit: u32,
    /// DNS questions asked in total.
    pub queries: u32,
}

impl Trace {
    /// Every DNS question in evaluation order (record lookups, term
    /// questions, nested checks, then the explanation).
    #[must_use]
    pub fn all_queries(&self) -> Vec<&Query> {
        fn walk<'a>(c: &'a Check, out: &mut Vec<&'a Query>) {
            out.extend(c.queries.iter());
            for t in &c.terms {
                out.extend(t.queries.iter());
                if let Some(child) = &t.child {
                    walk(child, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.root, &mut out);
        out.extend(self.explanation_queries.iter());
        out
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} -> {}", self.rtype, self.name, self.answer)?;
        if !self.records.is_empty() {
            write!(f, " [{}]", self.records.join(", "))?;
        }
        if let Some(e) = &self.error {
            write!(f, " ({e})")?;
        }
        Ok(())
    }
}

fn render_check(c: &Check, depth: usize, out: &mut String) -> fmt::Result {
    let pad = "  ".repeat(depth);
    writeln!(out, "{pad}check_host({}) = {}", c.domain, c.result)?;
    for q in &c.queries {
        writeln!(out, "{pad}  ? {q}")?;
    }
    if let Some(r) = &c.record {
        writeln!(out, "{pad}  record: {r}")?;
    }
    for t in &c.terms {
        let mark = match t.outcome {
            TermOutcome::Match => "match",
            TermOutcome::NoMatch => "no match",
            TermOutcome::Error => "error",
            TermOutcome::Modifier => "modifier",
            TermOutcome::NotReached => "not reached",
        };
        write!(out, "{pad}  - {}", t.term)?;
        if let Some(target) = &t.target {
            write!(out, " ({target})")?;
        }
        write!(out, ": {mark}")?;
        if let Some(n) = &t.note {
            write!(out, " - {n}")?;
        }
        if t.outcome != TermOutcome::NotReached {
            write!(out, " [dns {} void {}]", t.dns_terms, t.void_lookups)?;
        }
        writeln!(out)?;
        for q in &t.queries {
            writeln!(out, "{pad}      ? {q}")?;
        }
        if let Some(child) = &t.child {
            render_check(child, depth + 2, out)?;
        }
    }
    if let Some(n) = &c.note {
        writeln!(out, "{pad}  => {n}")?;
    }
    Ok(())
}

impl fmt::Display for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        render_check(&self.root, 0, &mut out)?;
        for q in &self.explanation_queries {
            writeln!(out, "explanation: ? {q}")?;
        }
        writeln!(
            out,
            "counters: DNS terms {}/{}, void lookups {}/{}, queries {}",
            self.dns_terms, self.dns_term_limit, self.void_lookups, self.void_limit, self.queries
        )?;
        f.write_str(&out)
    }
}
