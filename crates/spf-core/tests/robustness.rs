//! Property tests: arbitrary bytes and structured records into the parser
//! and macro expansion, arbitrary zones into the evaluator. No panic, and
//! bounded work (the §4.6.4 limits hold whatever the zone says).

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr};

use proptest::prelude::*;
use spf_core::macros::MacroContext;
use spf_core::{Config, InMemory, MacroString, Record, check_identities};

fn run_now<F: Future>(f: F) -> F::Output {
    spf_core::run_ready(f).expect("in-memory evaluations complete at the first poll")
}

/// Record-shaped text: "v=spf1" and terms drawn from the grammar's pieces.
fn record_text() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        Just("a.example".to_string()),
        Just("b.example".to_string()),
        Just("c.example".to_string()),
        Just("%{d}".to_string()),
        Just("%{ir}.%{v}.x.example".to_string()),
        Just("%{l1r-}.%{o}".to_string()),
        Just("%{p}.example".to_string()),
        "[a-c%{}_.-]{0,12}".prop_map(|s| s),
    ];
    let term = prop_oneof![
        Just("all".to_string()),
        name.clone().prop_map(|n| format!("include:{n}")),
        name.clone().prop_map(|n| format!("a:{n}")),
        Just("a".to_string()),
        Just("a/24//64".to_string()),
        name.clone().prop_map(|n| format!("mx:{n}/16")),
        Just("mx".to_string()),
        Just("ptr".to_string()),
        name.clone().prop_map(|n| format!("exists:{n}")),
        name.clone().prop_map(|n| format!("redirect={n}")),
        name.clone().prop_map(|n| format!("exp={n}")),
        (0u8..=40, any::<[u8; 4]>()).prop_map(|(l, o)| format!("ip4:{}.{}.{}.{}/{l}", o[0], o[1], o[2], o[3])),
        (0u8..=140).prop_map(|l| format!("ip6:2001:db8::/{l}")),
        "[ -~]{0,10}",
    ];
    let qualified =
        (prop_oneof![Just(""), Just("+"), Just("-"), Just("~"), Just("?")], term).prop_map(|(q, t)| format!("{q}{t}"));
    prop::collection::vec(qualified, 0..12).prop_map(|terms| {
        let mut s = "v=spf1".to_string();
        for t in terms {
            s.push(' ');
            s.push_str(&t);
        }
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parser_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = Record::parse_bytes(&bytes);
        let mut v = b"v=spf1 ".to_vec();
        v.extend_from_slice(&bytes);
        let _ = Record::parse_bytes(&v);
    }

    #[test]
    fn parsed_records_print_and_reparse_identically(text in record_text()) {
        if let Ok(r) = Record::parse(&text) {
            let printed = r.to_string();
            prop_assert_eq!(Record::parse(&printed), Ok(r));
        }
    }

    #[test]
    fn macro_expansion_never_panics(s in "[ -~]{0,80}", local in "[a-z.+-]{0,20}") {
        if let Ok(m) = MacroString::parse_explanation(&s) {
            let sender = format!("{local}@example.com");
            let ctx = MacroContext {
                sender: &sender,
                domain: "example.com",
                ip: IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)),
                helo: "helo.example",
                receiver: "rcv.example",
                timestamp: 1,
                validated_name: None,
            };
            let out = m.expand(&ctx);
            // Expansion is linear in the input: no macro can blow it up.
            prop_assert!(out.len() <= 4 * s.len() + 64 * s.matches('%').count() + 8);
        }
    }

    /// Arbitrary zones (records referring to each other, loops included):
    /// the evaluation ends, and within the §4.6.4 limits.
    #[test]
    fn evaluation_is_bounded(records in prop::collection::vec(record_text(), 3), ip in any::<[u8; 4]>()) {
        let names = ["a.example", "b.example", "c.example"];
        let mut zone = InMemory::new();
        for (n, r) in names.iter().zip(&records) {
            zone = zone.txt(n, r).a(n, Ipv4Addr::new(192, 0, 2, 1)).mx(n, 10, "b.example");
        }
        let config = Config::default();
        let report = run_now(check_identities(&zone, &config, IpAddr::from(ip), "a.example", "x@b.example"));
        for check in [&report.helo, &report.mail_from] {
            let t = &check.outcome.trace;
            // One term past the limit may be counted: it is the one refused.
            prop_assert!(t.dns_terms <= config.limits.dns_terms + 1);
            prop_assert!(t.void_lookups <= config.limits.void_lookups + 1);
            // Each counted term asks at most 1 + 10 (MX names or PTR names) + 1
            // questions, plus one TXT per include/redirect and the explanation.
            prop_assert!(t.queries <= 2 + (config.limits.dns_terms + 1) * 14);
        }
    }
}
