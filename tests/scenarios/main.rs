//! Scenario tests over real DNS: the test bed serves `zonefiles/` on a
//! loopback port, both identities are evaluated through `spf_resolver`,
//! and each is snapshotted (result, explanation, trace, queries seen).

// Shared macros and helpers for the modules below.
#[macro_use]
mod util;

// The Instagram/Facebook incident: HELO softfail, MAIL FROM pass.
mod instagram;
// Microsoft 365 outbound: both identities pass over IPv4 and IPv6.
mod outlook;
// A forwarder without SRS: HELO pass, MAIL FROM fail with explanation.
mod forwarded;
// More than 10 DNS-querying terms: permerror (§4.6.4).
mod too_many_lookups;
// AAAA misses inside `mx`: pass over IPv4, permerror over IPv6.
mod void_lookups_ipv6;
// Each fault kind of the test bed and the result it maps to (§5, §2.6.6).
mod faults;
// Null MAIL FROM: the HELO identity decides (§2.4).
mod null_sender;
// Hostile markup in TXT records and exp= texts is carried as data.
mod html_markup;
