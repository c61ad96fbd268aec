//! Arbitrary bytes into the record parser, the macro parser and expansion,
//! and the print/parse round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spf_core::macros::MacroContext;
use spf_core::{MacroString, Record};

fuzz_target!(|data: &[u8]| {
    if let Ok(record) = Record::parse_bytes(data) {
        let printed = record.to_string();
        assert_eq!(Record::parse(&printed).as_ref(), Ok(&record), "round trip of {printed:?}");
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(m) = MacroString::parse_explanation(text) {
            let ctx = MacroContext {
                sender: "a.b-c@example.com",
                domain: "example.com",
                ip: "2001:db8::1".parse().unwrap_or(std::net::IpAddr::from([192, 0, 2, 1])),
                helo: "helo.example",
                receiver: "rcv.example",
                timestamp: 1,
                validated_name: None,
            };
            let _ = m.expand(&ctx);
        }
    }
});
