//! Suites over real DNS (feature `over-dns`): each scenario's [`World`] is
//! served by the authoritative test bed on a loopback port, and every case is
//! evaluated through the native resolver over UDP (TCP on truncation). The
//! suite's `TIMEOUT` becomes the test bed's "never answer" fault, so those
//! cases wait for a real per-query timeout.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use spf_core::RecordType;
use spf_resolver::{Resolver, ResolverConfig};
use spf_testbed::{Fault, Faults, StaticNode, StaticZone, TestBed, Transport};

use crate::runner::{run_case, skeleton};
use crate::{Ledger, Suite, World};

/// A run over DNS: the ledger, and how many questions the test beds
/// answered over each transport (evidence that answers crossed sockets).
#[derive(Debug, Default)]
pub struct DnsRun {
    /// One row per case.
    pub ledger: Ledger,
    /// Questions received over UDP.
    pub udp: usize,
    /// Questions received over TCP (or DoH).
    pub tcp: usize,
}

/// spf-core's record type as the wire's.
#[must_use]
pub fn wire_type(t: RecordType) -> spf_testbed::RecordType {
    match t {
        RecordType::A => spf_testbed::RecordType::A,
        RecordType::Aaaa => spf_testbed::RecordType::AAAA,
        RecordType::Mx => spf_testbed::RecordType::MX,
        RecordType::Txt => spf_testbed::RecordType::TXT,
        RecordType::Ptr => spf_testbed::RecordType::PTR,
    }
}

impl World {
    /// The world as the test bed's zone and faults (`TIMEOUT` entries
    /// become never-answered questions).
    #[must_use]
    pub fn to_testbed(&self) -> (StaticZone, Faults) {
        let mut zone = StaticZone::default();
        let mut faults = Faults::new();
        for (name, node) in &self.nodes {
            zone.nodes.insert(
                name.clone(),
                StaticNode {
                    a: node.a.clone(),
                    aaaa: node.aaaa.clone(),
                    mx: node.mx.clone(),
                    txt: node.txt.clone(),
                    ptr: node.ptr.clone(),
                    cname: node.cname.clone(),
                },
            );
            for t in &node.timeout {
                faults.push(name, Some(wire_type(*t)), Fault::Timeout);
            }
        }
        (zone, faults)
    }
}

/// Runs every case of `suite` over loopback DNS, one test bed per scenario,
/// with `timeout` per query.
///
/// # Errors
/// A test bed could not bind a loopback port (zone problems are failed rows).
pub async fn run_over_dns(suite: &Suite, timeout: Duration) -> Result<DnsRun, String> {
    let mut run = DnsRun::default();
    for scenario in &suite.scenarios {
        let bed = scenario.world().and_then(|w| {
            let (zone, faults) = w.to_testbed();
            TestBed::from_static(zone, faults).map_err(|e| e.to_string())
        });
        let bed = match bed {
            Ok(b) => b,
            Err(e) => {
                for (id, case) in &scenario.tests {
                    let mut row = skeleton(&scenario.description, id, case);
                    row.got = format!("zone error: {e}");
                    run.ledger.rows.push(row);
                }
                continue;
            }
        };
        let server = bed
            .serve(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
            .await
            .map_err(|e| format!("starting the test bed: {e}"))?;
        let resolver = Resolver::new(ResolverConfig::new(vec![server.addr()]).with_timeout(timeout).with_attempts(1));
        for (id, case) in &scenario.tests {
            run.ledger.rows.push(run_case(&resolver, &scenario.description, id, case).await);
        }
        for q in server.queries() {
            match q.transport {
                Transport::Udp => run.udp += 1,
                Transport::Tcp | Transport::Https => run.tcp += 1,
            }
        }
        server.shutdown().await.map_err(|e| format!("stopping the test bed: {e}"))?;
    }
    Ok(run)
}
