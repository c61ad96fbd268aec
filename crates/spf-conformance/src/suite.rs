//! The suite file format (openspf YAML), read with serde.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// One suite file: a sequence of scenarios (YAML documents).
#[derive(Debug, Clone)]
pub struct Suite {
    /// The scenarios, in file order.
    pub scenarios: Vec<Scenario>,
}

/// One scenario: tests that share a zone.
#[derive(Debug, Clone, Deserialize)]
pub struct Scenario {
    /// What the scenario is about.
    #[serde(default)]
    pub description: String,
    /// A comment (pyspf's test.yml uses this instead of a description).
    #[serde(default)]
    pub comment: Option<String>,
    /// The test cases, by id (file order kept).
    #[serde(default, deserialize_with = "ordered_cases")]
    pub tests: Vec<(String, Case)>,
    /// The zone, as written in the file.
    #[serde(default)]
    pub zonedata: BTreeMap<String, Vec<serde_yaml::Value>>,
}

/// One test case.
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    /// The RFC section(s) it tests (strings, numbers or lists in the files).
    #[serde(default, deserialize_with = "stringish")]
    pub spec: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Comment.
    #[serde(default)]
    pub comment: Option<String>,
    /// The HELO name.
    #[serde(deserialize_with = "stringish")]
    pub helo: String,
    /// The client address.
    #[serde(deserialize_with = "stringish")]
    pub host: String,
    /// The MAIL FROM (empty: null sender).
    #[serde(default, deserialize_with = "stringish")]
    pub mailfrom: String,
    /// The accepted results.
    #[serde(deserialize_with = "one_or_many")]
    pub result: Vec<String>,
    /// The expected explanation, where given.
    #[serde(default)]
    pub explanation: Option<String>,
    /// pyspf's test.yml: the receiver name for %{r} and headers.
    #[serde(default)]
    pub receiver: Option<String>,
    /// pyspf's test.yml: the expected Received-SPF header (pyspf's format).
    #[serde(default)]
    pub header: Option<String>,
    /// pyspf's strictness level (other implementations may ignore it).
    #[serde(default)]
    pub strict: Option<u8>,
}

fn value_to_string(v: &serde_yaml::Value) -> String {
    match v {
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::Bool(b) => b.to_string(),
        serde_yaml::Value::Null => String::new(),
        serde_yaml::Value::Sequence(s) => s.iter().map(value_to_string).collect::<Vec<_>>().join(", "),
        other => format!("{other:?}"),
    }
}

fn stringish<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let v = serde_yaml::Value::deserialize(d)?;
    Ok(value_to_string(&v))
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let v = serde_yaml::Value::deserialize(d)?;
    Ok(match v {
        serde_yaml::Value::Sequence(s) => s.iter().map(value_to_string).collect(),
        other => vec![value_to_string(&other)],
    })
}

fn ordered_cases<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<(String, Case)>, D::Error> {
    let m = serde_yaml::Mapping::deserialize(d)?;
    m.into_iter()
        .map(|(k, v)| {
            let id = value_to_string(&k);
            let case = Case::deserialize(v).map_err(|e| serde::de::Error::custom(format!("test {id}: {e}")))?;
            Ok((id, case))
        })
        .collect()
}

/// A suite file that could not be read.
#[derive(Debug)]
pub enum LoadError {
    /// The file could not be read.
    Io(PathBuf, std::io::Error),
    /// A document is not in the suite format.
    Yaml(PathBuf, serde_yaml::Error),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(p, e) => write!(f, "cannot read {}: {e}", p.display()),
            Self::Yaml(p, e) => {
                // serde_yaml quotes the offending value, which can be a whole
                // file: keep the message to one readable line.
                let msg = e.to_string().replace('\n', " ");
                let short: String = msg.chars().take(160).collect();
                let more = if short.len() < msg.len() { "..." } else { "" };
                write!(f, "{} is not an openspf suite: {short}{more}", p.display())
            }
        }
    }
}

impl std::error::Error for LoadError {}

impl Suite {
    /// Reads a suite file.
    ///
    /// # Errors
    /// [`LoadError`] when the file cannot be read or parsed.
    pub fn load(path: &Path) -> Result<Self, LoadError> {
        let text = std::fs::read_to_string(path).map_err(|e| LoadError::Io(path.to_path_buf(), e))?;
        Self::parse(&text).map_err(|e| LoadError::Yaml(path.to_path_buf(), e))
    }

    /// Parses suite text (one scenario per YAML document).
    ///
    /// # Errors
    /// The YAML error.
    pub fn parse(text: &str) -> Result<Self, serde_yaml::Error> {
        let mut scenarios = Vec::new();
        for doc in serde_yaml::Deserializer::from_str(text) {
            let v = serde_yaml::Value::deserialize(doc)?;
            if v.is_null() {
                continue;
            }
            scenarios.push(Scenario::deserialize(v)?);
        }
        Ok(Self { scenarios })
    }

    /// The number of test cases.
    #[must_use]
    pub fn len(&self) -> usize {
        self.scenarios.iter().map(|s| s.tests.len()).sum()
    }

    /// Whether there are no test cases.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Finds a suite file by name: in `$SPF_SUITE_DIR` (set by
/// `scripts/fetch-suites.sh`), then in `.cache/suites` and
/// `../shared/conformance` above `start`.
#[must_use]
pub fn find_suite(name: &str, start: &Path) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("SPF_SUITE_DIR") {
        let p = Path::new(&dir).join(name);
        if p.is_file() {
            return Some(p);
        }
    }
    for dir in start.ancestors() {
        for sub in [".cache/suites", "../shared/conformance"] {
            let p = dir.join(sub).join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}
