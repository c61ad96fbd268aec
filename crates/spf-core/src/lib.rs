//! An exact RFC 7208 (Sender Policy Framework) evaluator.
//!
//! The main entry points are [`check_identities`], which evaluates the HELO
//! and MAIL FROM identities of one SMTP transaction in the RECOMMENDED order
//! and returns both as a [`Report`], and [`check_host`], the §4 function
//! itself, returning an [`Outcome`]: one of the seven [`SpfResult`]s, the
//! explanation, a terse [`Cause`] and a serialisable [`Trace`].
//!
//! DNS comes through the [`Lookup`] trait (one async method per record type,
//! no `Send` bound, so it runs in a browser too). [`InMemory`] is a zone built
//! in code and [`Overlay`] lays "what-if" records over another lookup.
//! Records are parsed into [`Record`] (types follow the §12 grammar) before
//! any of them is evaluated.
//!
//! The crate reads no clock, hostname or environment: `%{r}`, `%{t}`, the
//! limits of §4.6.4 and an optional clock come in through [`Config`].
//!
//! # Examples
//! ```
//! use spf_core::{check_identities, Config, InMemory, SpfResult};
//! let zone = InMemory::new()
//!     .txt("mx-out.facebook.com", "v=spf1 a ~all")
//!     .a("mx-out.facebook.com", "69.63.179.2".parse().unwrap())
//!     .txt("mail.instagram.com", "v=spf1 ip4:66.220.155.0/24 -all");
//! let report = futures_executor::block_on(check_identities(
//!     &zone,
//!     &Config::default(),
//!     "66.220.155.156".parse().unwrap(),
//!     "mx-out.facebook.com",
//!     "security@mail.instagram.com",
//! ));
//! assert_eq!(report.helo.result(), SpfResult::Softfail);
//! assert_eq!(report.mail_from.result(), SpfResult::Pass);
//! ```

pub mod error;
pub mod eval;
pub mod lookup;
pub mod macros;
pub mod memory;
pub mod outcome;
pub mod record;
pub mod result;
pub mod trace;

pub use error::{Problem, SyntaxError};
pub use eval::{check_host, check_identities, check_identity};
pub use lookup::{Lookup, LookupError, LookupResult, Mx, RecordType, reverse_name};
pub use memory::{InMemory, Overlay, run_ready};
pub use outcome::{Cause, Clock, Config, DEFAULT_EXPLANATION, IdentityCheck, Limits, Outcome, Report, Unchecked};
pub use record::{Directive, DomainSpec, DualCidrLength, MacroString, Mechanism, Modifier, Record, Term};
pub use result::{Identity, Qualifier, SpfResult};
pub use trace::{AnswerClass, Check, Query, TermOutcome, TermStep, Trace};
