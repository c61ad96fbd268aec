//! Fault injection declared as data: which questions the test bed answers
//! late, badly or never.
//!
//! # File format (`faults.conf` next to the zone files)
//! One rule per line; `#` starts a comment; blank lines are ignored.
//!
//! ```text
//! # name                        type  fault      argument
//! txt-timeout.faults.example    TXT   timeout
//! broken.faults.example         *     servfail
//! closed.faults.example         A     refused
//! big.faults.example            TXT   truncate
//! slow.faults.example           *     delay      300
//! ```
//!
//! - *name*: a domain name, compared without case, trailing dot optional.
//! - *type*: a record type mnemonic (`A`, `AAAA`, `MX`, `TXT`, `PTR`, ...),
//!   or `*` for every type.
//! - *fault*: `timeout` (never answer), `servfail` (RCODE 2), `refused`
//!   (RCODE 5), `truncate` (over UDP an empty answer with the TC bit set, so
//!   the client must retry over TCP; TCP and DNS-over-HTTPS answer in full),
//!   or `delay <milliseconds>` (answer normally, that much later).
//!
//! Every matching `delay` rule adds up; the first matching rule of another
//! kind decides what is sent after the delay.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use hickory_proto::rr::RecordType;

/// One kind of misbehaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Never answer: the client must time out.
    Timeout,
    /// Answer RCODE 2 (SERVFAIL).
    ServFail,
    /// Answer RCODE 5 (REFUSED).
    Refused,
    /// Over UDP, answer with no records and the TC bit set.
    Truncate,
    /// Answer normally after this long.
    Delay(Duration),
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeout => f.write_str("timeout"),
            Self::ServFail => f.write_str("servfail"),
            Self::Refused => f.write_str("refused"),
            Self::Truncate => f.write_str("truncate"),
            Self::Delay(d) => write!(f, "delay {}", d.as_millis()),
        }
    }
}

/// One rule: a name, optionally one type, and the fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultRule {
    /// The owner name, lower case, without trailing dot.
    pub name: String,
    /// The record type, or `None` for every type.
    pub rtype: Option<RecordType>,
    /// What happens.
    pub fault: Fault,
}

/// An ordered list of [`FaultRule`]s.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults {
    rules: Vec<FaultRule>,
}

/// What the test bed does with one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Plan {
    /// Total delay before anything is sent.
    pub delay: Duration,
    /// The deciding fault (not a delay), if any.
    pub fault: Option<Fault>,
}

/// A line of a fault file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultSyntaxError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for FaultSyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for FaultSyntaxError {}

/// Canonical form of a name for matching: lower case, no trailing dot.
pub(crate) fn canonical(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

impl Faults {
    /// No faults: every question is answered at once.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a rule (builder style).
    #[must_use]
    pub fn with(mut self, name: &str, rtype: Option<RecordType>, fault: Fault) -> Self {
        self.push(name, rtype, fault);
        self
    }

    /// Adds a rule.
    pub fn push(&mut self, name: &str, rtype: Option<RecordType>, fault: Fault) {
        self.rules.push(FaultRule { name: canonical(name), rtype, fault });
    }

    /// The rules, in order.
    #[must_use]
    pub fn rules(&self) -> &[FaultRule] {
        &self.rules
    }

    /// Whether there are no rules.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// What to do with a question for `name` (any case, trailing dot optional) and `rtype`.
    #[must_use]
    pub fn plan(&self, name: &str, rtype: RecordType) -> Plan {
        let name = canonical(name);
        let mut plan = Plan::default();
        for rule in &self.rules {
            if rule.name != name || rule.rtype.is_some_and(|t| t != rtype) {
                continue;
            }
            match rule.fault {
                Fault::Delay(d) => plan.delay = plan.delay.saturating_add(d),
                other => {
                    if plan.fault.is_none() {
                        plan.fault = Some(other);
                    }
                }
            }
        }
        plan
    }

    /// Reads the text of a fault file (see the module documentation).
    ///
    /// # Errors
    /// The first line that is not a rule.
    pub fn parse(text: &str) -> Result<Self, FaultSyntaxError> {
        let mut faults = Self::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let err = |message: String| FaultSyntaxError { line: i + 1, message };
            let fields: Vec<&str> = line.split_whitespace().collect();
            let [name, rtype, fault, rest @ ..] = fields.as_slice() else {
                return Err(err(format!("expected `<name> <type|*> <fault> [ms]`, got {line:?}")));
            };
            let rtype = if *rtype == "*" {
                None
            } else {
                let t = RecordType::from_str(&rtype.to_ascii_uppercase())
                    .map_err(|_| err(format!("unknown record type {rtype:?}")))?;
                Some(t)
            };
            let fault = match (fault.to_ascii_lowercase().as_str(), rest) {
                ("timeout", []) => Fault::Timeout,
                ("servfail", []) => Fault::ServFail,
                ("refused", []) => Fault::Refused,
                ("truncate", []) => Fault::Truncate,
                ("delay", [ms]) => {
                    let ms: u64 = ms.parse().map_err(|_| err(format!("delay needs milliseconds, got {ms:?}")))?;
                    Fault::Delay(Duration::from_millis(ms))
                }
                ("delay", _) => {
                    return Err(err("delay takes exactly one argument (milliseconds)".to_string()));
                }
                ("timeout" | "servfail" | "refused" | "truncate", _) => {
                    return Err(err(format!("{fault} takes no argument")));
                }
                (other, _) => {
                    return Err(err(format!(
                        "unknown fault {other:?} (timeout, servfail, refused, truncate, delay <ms>)"
                    )));
                }
            };
            faults.push(name, rtype, fault);
        }
        Ok(faults)
    }
}

impl FromStr for Faults {
    type Err = FaultSyntaxError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_fault_kind_and_ignores_comments() -> Result<(), FaultSyntaxError> {
        let f = Faults::parse(
            "# comment\n\
             a.example. TXT timeout # trailing\n\
             B.example * servfail\n\
             c.example a refused\n\
             d.example TXT truncate\n\
             e.example * delay 250\n",
        )?;
        assert_eq!(f.rules().len(), 5);
        assert_eq!(f.plan("A.EXAMPLE", RecordType::TXT).fault, Some(Fault::Timeout));
        assert_eq!(f.plan("a.example", RecordType::A).fault, None);
        assert_eq!(f.plan("b.example.", RecordType::MX).fault, Some(Fault::ServFail));
        assert_eq!(f.plan("c.example", RecordType::A).fault, Some(Fault::Refused));
        assert_eq!(f.plan("d.example", RecordType::TXT).fault, Some(Fault::Truncate));
        assert_eq!(f.plan("e.example", RecordType::A), Plan { delay: Duration::from_millis(250), fault: None });
        Ok(())
    }

    #[test]
    fn delays_add_up_and_the_first_other_fault_decides() {
        let f = Faults::new()
            .with("x.example", None, Fault::Delay(Duration::from_millis(10)))
            .with("x.example", Some(RecordType::TXT), Fault::Truncate)
            .with("x.example", None, Fault::ServFail)
            .with("x.example", None, Fault::Delay(Duration::from_millis(5)));
        let plan = f.plan("x.example", RecordType::TXT);
        assert_eq!(plan.delay, Duration::from_millis(15));
        assert_eq!(plan.fault, Some(Fault::Truncate));
        assert_eq!(f.plan("x.example", RecordType::A).fault, Some(Fault::ServFail));
    }

    #[test]
    fn rejects_malformed_lines_with_their_number() {
        let e = Faults::parse("ok.example * timeout\nbad.example TXT explode\n").err();
        assert_eq!(e.map(|e| e.line), Some(2));
        assert!(Faults::parse("x.example TXT delay").is_err());
        assert!(Faults::parse("x.example TXT delay soon").is_err());
        assert!(Faults::parse("x.example NOPE timeout").is_err());
        assert!(Faults::parse("x.example TXT timeout 5").is_err());
        assert!(Faults::parse("x.example").is_err());
    }
}
