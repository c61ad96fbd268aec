//! The openspf test suites (rfc7208-tests.yml, rfc4408-tests.yml, pyspf's
//! test.yml) as data.
//!
//! [`Suite::load`] reads a suite file with serde (multi-document YAML);
//! [`Scenario::world`] turns a scenario's `zonedata` into a [`World`], the
//! suite's DNS with its conventions applied (SPF entries served as TXT unless
//! the name has TXT entries of its own, `TXT: NONE`, `TIMEOUT`, multi-string
//! TXT, CNAMEs, non-ASCII bytes); [`World::to_in_memory`] makes it an
//! [`spf_core::InMemory`], and a DNS test bed can serve the same `World`
//! over sockets. [`run_case`] evaluates one case through any
//! [`spf_core::Lookup`], and [`Ledger`] collects the rows and prints the
//! closing line `N passed, M failed`. With the `over-dns` feature,
//! [`over_dns::run_over_dns`] serves each scenario from the DNS test bed and
//! runs the cases through the native resolver over loopback sockets.

#[cfg(feature = "over-dns")]
pub mod over_dns;
mod runner;
mod suite;
mod world;

pub use runner::{Ledger, Row, Status, run_case, run_in_memory, skeleton, suite_config};
pub use suite::{Case, LoadError, Scenario, Suite, find_suite};
pub use world::{Node, World};
