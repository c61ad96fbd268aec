//! Running cases and keeping the ledger.

use std::fmt;
use std::net::IpAddr;

use serde::Serialize;
use spf_core::{Config, Identity, Lookup, SpfResult, check_identity, run_ready};

use crate::suite::{Case, Suite};

/// How a case ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status", content = "reason")]
pub enum Status {
    /// Result (and explanation, where given) as expected.
    Pass,
    /// Not as expected.
    Fail,
    /// Not run, with the reason.
    Skip(String),
}

/// One line of the ledger.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The scenario's description.
    pub scenario: String,
    /// The case id.
    pub id: String,
    /// The RFC section(s).
    pub spec: String,
    /// Accepted results.
    pub expected: Vec<String>,
    /// The result obtained.
    pub got: String,
    /// The expected explanation, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_explanation: Option<String>,
    /// The explanation obtained, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// Pass, fail or skip.
    pub status: Status,
}

/// The configuration the suites assume: the default explanation is
/// `DEFAULT`, the receiver as given by the case (pyspf's test.yml).
#[must_use]
pub fn suite_config(case: &Case) -> Config {
    Config {
        default_explanation: "DEFAULT".to_string(),
        receiver: case.receiver.clone().unwrap_or_else(|| "unknown".to_string()),
        ..Config::default()
    }
}

/// Runs one case through `lookup`: the MAIL FROM identity (which is
/// `postmaster@<helo>` for a null sender), as the suites define.
pub async fn run_case<L: Lookup>(lookup: &L, scenario: &str, id: &str, case: &Case) -> Row {
    let mut row = skeleton(scenario, id, case);
    let Ok(ip) = case.host.parse::<IpAddr>() else {
        row.got = format!("bad host {:?}", case.host);
        return row;
    };
    let config = suite_config(case);
    let check = check_identity(lookup, &config, ip, Identity::MailFrom, &case.mailfrom, &case.helo).await;
    let got = check.outcome.result;
    row.got = got.to_string();
    row.explanation.clone_from(&check.outcome.explanation);
    let result_ok = case.result.iter().any(|r| r.parse::<SpfResult>() == Ok(got));
    let exp_ok = match &case.explanation {
        Some(want) => check.outcome.explanation.as_deref() == Some(want.as_str()),
        None => true,
    };
    row.status = if result_ok && exp_ok { Status::Pass } else { Status::Fail };
    row
}

/// Runs a whole suite over in-memory zones. `skip` names cases not to run,
/// with the reason.
#[must_use]
pub fn run_in_memory(suite: &Suite, skip: &dyn Fn(&str, &Case) -> Option<String>) -> Ledger {
    let mut ledger = Ledger::default();
    for scenario in &suite.scenarios {
        let zone = match scenario.world() {
            Ok(w) => w.to_in_memory(),
            Err(e) => {
                for (id, case) in &scenario.tests {
                    let mut row = skeleton(&scenario.description, id, case);
                    row.got = format!("zone error: {e}");
                    ledger.rows.push(row);
                }
                continue;
            }
        };
        for (id, case) in &scenario.tests {
            if let Some(reason) = skip(id, case) {
                let mut row = skeleton(&scenario.description, id, case);
                row.status = Status::Skip(reason);
                ledger.rows.push(row);
                continue;
            }
            // The in-memory zone answers at once, so the case is ready at the first poll.
            let row = run_ready(run_case(&zone, &scenario.description, id, case)).unwrap_or_else(|| {
                let mut row = skeleton(&scenario.description, id, case);
                row.got = "evaluation did not complete".to_string();
                row
            });
            ledger.rows.push(row);
        }
    }
    ledger
}

/// A row for a case that was not evaluated.
#[must_use]
pub fn skeleton(scenario: &str, id: &str, case: &Case) -> Row {
    Row {
        scenario: scenario.to_string(),
        id: id.to_string(),
        spec: case.spec.clone(),
        expected: case.result.clone(),
        got: String::new(),
        expected_explanation: case.explanation.clone(),
        explanation: None,
        status: Status::Fail,
    }
}

/// The rows of a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Ledger {
    /// One per case.
    pub rows: Vec<Row>,
}

impl Ledger {
    /// Cases that passed.
    #[must_use]
    pub fn passed(&self) -> usize {
        self.rows.iter().filter(|r| r.status == Status::Pass).count()
    }
    /// Cases that failed.
    #[must_use]
    pub fn failed(&self) -> usize {
        self.rows.iter().filter(|r| r.status == Status::Fail).count()
    }
    /// Cases skipped.
    #[must_use]
    pub fn skipped(&self) -> usize {
        self.rows.iter().filter(|r| matches!(r.status, Status::Skip(_))).count()
    }
    /// The rows that failed.
    pub fn failures(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.status == Status::Fail)
    }
    /// The closing line: `N passed, M failed` (and `, K skipped` if any).
    #[must_use]
    pub fn summary(&self) -> String {
        let mut s = format!("{} passed, {} failed", self.passed(), self.failed());
        if self.skipped() > 0 {
            s.push_str(&format!(", {} skipped", self.skipped()));
        }
        s
    }
}

impl fmt::Display for Row {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = match &self.status {
            Status::Pass => "pass".to_string(),
            Status::Fail => "FAIL".to_string(),
            Status::Skip(r) => format!("skip ({r})"),
        };
        write!(
            f,
            "{:<34} {:<14} expected {:<22} got {:<10} {status}",
            self.id,
            self.spec,
            self.expected.join("|"),
            self.got
        )?;
        if self.status == Status::Fail {
            if let Some(e) = &self.expected_explanation {
                write!(f, "\n    explanation expected {e:?}, got {:?}", self.explanation.as_deref().unwrap_or(""))?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Ledger {
    /// The rows, one per line, then the closing line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for r in &self.rows {
            writeln!(f, "{r}")?;
        }
        writeln!(f, "{}", self.summary())
    }
}
