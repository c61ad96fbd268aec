//! An authoritative DNS test bed on loopback, for scenario tests over real
//! sockets. It knows nothing about SPF.
//!
//! [`TestBed::from_dir`] loads every `<origin>.zone` master file of a folder
//! (RFC 1035 §5) into a hickory-server [`Catalog`](hickory_server::zone_handler::Catalog)
//! and the fault rules of its `faults.conf` ([`faults`] documents the
//! format); [`TestBed::from_static`] serves a [`StaticZone`] built in code
//! (a conformance suite's world: CNAME loops, raw TXT bytes, names from any
//! domain). [`TestBed::serve`] answers on one UDP+TCP port and returns a
//! [`RunningServer`] (address, query log, shutdown on drop).
//!
//! The [`DnsHandler`] does the work: it logs every question
//! ([`LoggedQuery`]: name, type, transport, fault), applies the [`Faults`]
//! (never answer, SERVFAIL, REFUSED, truncation over UDP, delay) and answers.
//! It is cheap to clone and [`DnsHandler::answer_wire`] answers wire-format
//! queries, so a DNS-over-HTTPS endpoint can sit on the same zones, faults
//! and log. [`serve_until_ctrl_c`] is the entry point for a command line.
//!
//! # Examples
//! ```no_run
//! # async fn demo() -> Result<(), spf_testbed::Error> {
//! let bed = spf_testbed::TestBed::from_dir(std::path::Path::new("zonefiles"))?;
//! let running = bed.serve("127.0.0.1:0".parse().unwrap()).await?;
//! println!("answering on {}", running.addr());
//! // ... point a resolver at running.addr() ...
//! for q in running.queries() {
//!     println!("{q}"); // e.g. "UDP TXT mail.instagram.com"
//! }
//! running.shutdown().await
//! # }
//! ```

pub mod faults;
mod handler;
mod server;
mod static_zone;

pub use faults::{Fault, FaultRule, Faults, Plan};
pub use handler::{DnsHandler, LoggedQuery, Transport};
pub use hickory_proto::rr::RecordType;
pub use server::{Error, FAULTS_FILE, RunningServer, TestBed, serve_until_ctrl_c};
pub use static_zone::{StaticNode, StaticZone, literal_name};
