//! The JS API in headless Chromium (wasm-bindgen-test). `scripts/test-web.sh`
//! runs these with a DoH server on loopback whose URL it passes at build time
//! as `SPF_TEST_DOH` (e.g. `http://127.0.0.1:PORT/dns-query`, serving zonefiles/).
#![cfg(target_arch = "wasm32")]

use serde_json::{Value, json};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn doh() -> &'static str {
    match option_env!("SPF_TEST_DOH") {
        Some(url) => url,
        None => panic!("build with SPF_TEST_DOH=http://127.0.0.1:PORT/dns-query (scripts/test-web.sh does)"),
    }
}

fn to_js(v: &Value) -> JsValue {
    use serde::Serialize as _;
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).expect("input converts")
}

fn from_js(v: JsValue) -> Value {
    serde_wasm_bindgen::from_value(v).expect("output is plain data")
}

async fn evaluate(input: Value) -> Value {
    from_js(spf_wasm::evaluate_js(to_js(&input)).await.expect("evaluates"))
}

#[wasm_bindgen_test]
fn parse_record_returns_a_plain_object() {
    let r = from_js(spf_wasm::parse_record_js("v=spf1 a mx -all").expect("converts"));
    assert_eq!(r["ok"], json!(true));
    assert_eq!(r["dns_terms"], json!(2));
    let bad = from_js(spf_wasm::parse_record_js("v=spf1 ip4:1.2.3.4/33 -all").expect("converts"));
    assert_eq!(bad["ok"], json!(false));
    assert_eq!(bad["findings"][0]["code"], json!("syntax"));
}

#[wasm_bindgen_test]
async fn instagram_over_doh_with_verdict_headers_and_modes() {
    let out = evaluate(json!({
        "ip": "66.220.155.156", "helo": "mx-out.facebook.com", "mailFrom": "security@mail.instagram.com",
        "endpoint": doh(), "timeoutMs": 5000,
        "policy": {"settings": {"HELO_reject": "SPF_Not_Pass"}}
    }))
    .await;
    assert_eq!(out["helo"]["result"], json!("softfail"));
    assert_eq!(out["mailFrom"]["result"], json!("pass"));
    assert_eq!(out["helo"]["deciding"]["mechanism"], json!("~all"));
    assert_eq!(out["mailFrom"]["trace"]["dns_terms"], json!(1));
    let line = out["policy"]["decision"]["line"].as_str().expect("line");
    assert!(line.starts_with("550 5.7.23 "), "{line}");
    assert_eq!(
        out["policy"]["comparison"]["helo_summary"],
        json!(
            "rejected (550 5.7.23 ...) under HELO_reject = SPF_Not_Pass or Softfail; accepted under Fail, Null, False, No_Check"
        )
    );
    let headers = out["policy"]["headers"]["text"].as_array().expect("headers");
    assert!(headers[0].as_str().is_some_and(|h| h.starts_with("Received-SPF: softfail")), "{headers:?}");
    // Every DNS question went over HTTP: the record lookups, the `a`, the include.
    let exchanges = out["exchanges"].as_array().expect("exchanges");
    assert!(
        exchanges.iter().any(|e| e["name"] == json!("facebookmail.com") && e["rtype"] == json!("TXT")),
        "{exchanges:?}"
    );
}

#[wasm_bindgen_test]
async fn outlook_over_ipv6_passes_both() {
    let out = evaluate(json!({
        "ip": "2a01:111:f400:7e02::200", "helo": "eur01-db5-obe.outbound.protection.outlook.com",
        "mailFrom": "someone@outlook.com", "endpoint": doh()
    }))
    .await;
    assert_eq!((out["helo"]["result"].clone(), out["mailFrom"]["result"].clone()), (json!("pass"), json!("pass")));
}

#[wasm_bindgen_test]
async fn what_if_override_goes_before_dns() {
    let out = evaluate(json!({
        "ip": "66.220.155.156", "helo": "mx-out.facebook.com", "mailFrom": "security@mail.instagram.com",
        "endpoint": doh(),
        "overrides": [{"name": "mx-out.facebook.com", "type": "TXT", "values": ["v=spf1 ip4:66.220.155.156 ~all"]}]
    }))
    .await;
    assert_eq!(out["helo"]["result"], json!("pass"));
    let exchanges = out["exchanges"].as_array().expect("exchanges");
    assert!(!exchanges.iter().any(|e| e["name"] == json!("mx-out.facebook.com") && e["rtype"] == json!("TXT")));
}

#[wasm_bindgen_test]
async fn per_query_timeout_gives_temperror() {
    let out = evaluate(json!({
        "ip": "192.0.2.10", "helo": "timeout.faulty.example", "mailFrom": "a@timeout.faulty.example",
        "endpoint": doh(), "timeoutMs": 300
    }))
    .await;
    assert_eq!(out["mailFrom"]["result"], json!("temperror"));
    let exchanges = out["exchanges"].as_array().expect("exchanges");
    assert!(exchanges.iter().any(|e| e["outcome"] == json!("timeout")), "{exchanges:?}");
}

#[wasm_bindgen_test]
async fn unreachable_endpoint_is_a_dns_error_not_a_crash() {
    let out = evaluate(json!({
        "ip": "192.0.2.10", "helo": "mx-out.facebook.com", "mailFrom": "",
        "endpoint": "http://127.0.0.1:9/dns-query", "timeoutMs": 2000
    }))
    .await;
    assert_eq!(out["helo"]["result"], json!("temperror"));
    assert_eq!(out["nullSender"], json!(true));
}

#[wasm_bindgen_test]
async fn bad_input_rejects_with_a_message() {
    let err =
        spf_wasm::evaluate_js(to_js(&json!({"ip": "not-an-ip", "helo": "h.example"}))).await.expect_err("rejects");
    let err: JsValue = err.into();
    let msg = js_sys::Error::from(err).message();
    assert!(String::from(msg).contains("not-an-ip"));
}

#[wasm_bindgen_test]
async fn check_record_tries_a_record_without_publishing() {
    let out = from_js(
        spf_wasm::check_record_js(to_js(&json!({
            "domain": "mail.instagram.com", "record": "v=spf1 ip4:192.0.2.0/24 -all", "ip": "66.220.155.156", "endpoint": doh()
        })))
        .await
        .expect("evaluates"),
    );
    assert_eq!(out["check"]["result"], json!("fail"));
    assert_eq!(out["lint"]["ok"], json!(true));
}
