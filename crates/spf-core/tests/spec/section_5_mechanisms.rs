use spf_core::{Config, InMemory, LookupError, RecordType, SpfResult};

use crate::util::{check, check_with};

/// §5.2: the include result table.
#[test]
fn section_5_2_include_table() {
    let zone = InMemory::new()
        .txt("pass.example", "v=spf1 +all")
        .txt("fail.example", "v=spf1 -all")
        .txt("soft.example", "v=spf1 ~all")
        .txt("neutral.example", "v=spf1 ?all")
        .txt("perm.example", "v=spf1 foo")
        .fault("temp.example", Some(RecordType::Txt), LookupError::Timeout)
        .exists("none.example");
    let table = [
        ("pass", SpfResult::Pass),
        ("fail", SpfResult::Neutral),
        ("soft", SpfResult::Neutral),
        ("neutral", SpfResult::Neutral),
        ("perm", SpfResult::Permerror),
        ("temp", SpfResult::Temperror),
        ("none", SpfResult::Permerror),
    ];
    let mut zone = zone;
    for (name, _) in table {
        zone = zone.txt(&format!("inc-{name}.example"), &format!("v=spf1 include:{name}.example ?all"));
    }
    for (name, want) in table {
        assert_eq!(check(&zone, "192.0.2.1", &format!("inc-{name}.example")).result, want, "include of {name}");
    }
}

/// §5.3 / §5.6: dual CIDR lengths apply per address family.
#[test]
fn section_5_3_dual_cidr() {
    let zone = InMemory::new()
        .txt("d.example", "v=spf1 a/24//64 -all")
        .a("d.example", [192, 0, 2, 1].into())
        .aaaa("d.example", "2001:db8::1".parse().expect("ip"));
    assert_eq!(check(&zone, "192.0.2.200", "d.example").result, SpfResult::Pass);
    assert_eq!(check(&zone, "192.0.3.1", "d.example").result, SpfResult::Fail);
    assert_eq!(check(&zone, "2001:db8::ffff", "d.example").result, SpfResult::Pass);
    assert_eq!(check(&zone, "2001:db8:0:1::1", "d.example").result, SpfResult::Fail);
}

/// §5.4: mx looks up each exchange's addresses; void AAAA answers count
/// (the same sender passes over IPv4 and permerrors over IPv6).
#[test]
fn section_5_4_mx_void_lookups_bite_over_ipv6() {
    let zone = InMemory::new()
        .txt("m.example", "v=spf1 mx -all")
        .mx("m.example", 10, "mx1.example")
        .mx("m.example", 20, "mx2.example")
        .mx("m.example", 30, "mx3.example")
        .a("mx1.example", [192, 0, 2, 1].into())
        .a("mx2.example", [192, 0, 2, 2].into())
        .a("mx3.example", [192, 0, 2, 3].into());
    assert_eq!(check(&zone, "192.0.2.3", "m.example").result, SpfResult::Pass);
    assert_eq!(check(&zone, "2001:db8::1", "m.example").result, SpfResult::Permerror);
}

/// §5.5: ptr matches only validated names; §7.3 %{p} likewise.
#[test]
fn section_5_5_ptr_validation() {
    let zone = InMemory::new()
        .txt("p.example", "v=spf1 ptr -all")
        .ptr([192, 0, 2, 9].into(), "host.p.example")
        .ptr([192, 0, 2, 9].into(), "liar.p.example")
        .a("host.p.example", [192, 0, 2, 9].into())
        .ptr([192, 0, 2, 10].into(), "liar.p.example")
        .a("liar.p.example", [192, 0, 2, 99].into());
    assert_eq!(check(&zone, "192.0.2.9", "p.example").result, SpfResult::Pass);
    assert_eq!(check(&zone, "192.0.2.10", "p.example").result, SpfResult::Fail);
}

/// §5.7: exists always queries A, even for an IPv6 client.
#[test]
fn section_5_7_exists_uses_a() {
    let zone = InMemory::new()
        .txt("x.example", "v=spf1 exists:%{ir}.x.example -all")
        .a("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.x.example", [127, 0, 0, 2].into());
    let o = check_with(&zone, &Config::default(), "2001:db8::1", "x.example");
    assert_eq!(o.result, SpfResult::Pass);
    assert!(o.trace.all_queries().iter().all(|q| q.rtype != RecordType::Aaaa));
}
