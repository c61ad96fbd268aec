//! The receiver's side (spf-policy): verdict, headers, and the table of
//! what each `HELO_reject` / `Mail_From_reject` mode would do.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use spf_core::{Config, Report};

/// Policy settings as the page sends them: policyd-spf names and values,
/// e.g. `{"HELO_reject": "SPF_Not_Pass"}`, and/or a whole config file text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PolicyInput {
    /// A policyd-spf config file (`Name = value` lines), read first.
    pub config: Option<String>,
    /// Single settings, applied after the config text.
    pub settings: BTreeMap<String, String>,
}

/// Parsed settings.
#[derive(Debug, Clone, Default)]
pub struct Settings;

/// What the page shows for the receiver.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyView {}

/// Parses the settings.
///
/// # Errors
/// A one-line message naming the bad setting.
pub fn settings(_input: Option<&PolicyInput>) -> Result<Settings, String> {
    Ok(Settings)
}

/// The receiver's view of a report.
#[must_use]
pub fn view(_report: &Report, _settings: &Settings, _config: &Config) -> PolicyView {
    PolicyView {}
}

/// The settings the page offers.
#[must_use]
pub fn options() -> Vec<String> {
    Vec::new()
}
