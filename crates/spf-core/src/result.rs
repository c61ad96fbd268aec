//! Results (§2.6), qualifiers (§4.6.2) and identities (§2.3, §2.4).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The seven results of `check_host()` (§2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpfResult {
    /// §2.6.1: no syntactically valid DNS domain, or no SPF record.
    None,
    /// §2.6.2: the domain owner explicitly states nothing.
    Neutral,
    /// §2.6.3: the client is authorised.
    Pass,
    /// §2.6.4: the client is explicitly not authorised.
    Fail,
    /// §2.6.5: weak statement that the client is probably not authorised.
    Softfail,
    /// §2.6.6: a transient (generally DNS) error.
    Temperror,
    /// §2.6.7: the published records could not be correctly interpreted.
    Permerror,
}

impl SpfResult {
    /// Every result, in §2.6 order.
    pub const ALL: [Self; 7] =
        [Self::None, Self::Neutral, Self::Pass, Self::Fail, Self::Softfail, Self::Temperror, Self::Permerror];

    /// The lower-case name used in headers (§9.1) and by the test suites.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Neutral => "neutral",
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Softfail => "softfail",
            Self::Temperror => "temperror",
            Self::Permerror => "permerror",
        }
    }
}

impl fmt::Display for SpfResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown result name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownResult(pub String);

impl fmt::Display for UnknownResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown SPF result {:?}", self.0)
    }
}

impl std::error::Error for UnknownResult {}

impl FromStr for SpfResult {
    type Err = UnknownResult;

    /// Parses a result name, case-insensitively; RFC 4408's `error` and
    /// `unknown` spellings are accepted for temperror and permerror.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "none" => Self::None,
            "neutral" => Self::Neutral,
            "pass" => Self::Pass,
            "fail" => Self::Fail,
            "softfail" => Self::Softfail,
            "temperror" | "error" => Self::Temperror,
            "permerror" | "unknown" => Self::Permerror,
            _ => return Err(UnknownResult(s.to_string())),
        })
    }
}

/// A directive's qualifier (§4.6.2); absent means `+`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Qualifier {
    /// `+`
    Pass,
    /// `-`
    Fail,
    /// `~`
    Softfail,
    /// `?`
    Neutral,
}

impl Qualifier {
    /// The result a match with this qualifier produces.
    #[must_use]
    pub fn result(self) -> SpfResult {
        match self {
            Self::Pass => SpfResult::Pass,
            Self::Fail => SpfResult::Fail,
            Self::Softfail => SpfResult::Softfail,
            Self::Neutral => SpfResult::Neutral,
        }
    }

    /// The qualifier character.
    #[must_use]
    pub fn symbol(self) -> char {
        match self {
            Self::Pass => '+',
            Self::Fail => '-',
            Self::Softfail => '~',
            Self::Neutral => '?',
        }
    }
}

/// Which identity a check is about (§2.3 HELO, §2.4 MAIL FROM).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Identity {
    /// The HELO/EHLO name (§2.3).
    Helo,
    /// The MAIL FROM reverse-path (§2.4).
    MailFrom,
}

impl Identity {
    /// The name used in `Received-SPF: identity=` (§9.1).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Helo => "helo",
            Self::MailFrom => "mailfrom",
        }
    }
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
