//! Every body the API reads (JSON and multipart), random or mutated from a valid one, sent through the router:
//! the backend never panics, and every refusal is a 4xx with an error code, never a 500.
//!
//! The valid bodies name uploads and quiz attempts that do not exist, so that mutations run through parsing and
//! every check without storing anything and without spending the verification they carry.

use axum::body::Body;
use axum::http::{header, Method, Request};
use backend::Config;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config as RunnerConfig, TestCaseError, TestRunner};
use serde_json::{json, Value};
use tokio::runtime::Runtime;

use crate::common::{application, dev_status, multipart, png, submitted, TestApp};

const PHONE: &str = "13812345678";

/// Bodies per endpoint: `PROPTEST_CASES` when set (a quick run, or a longer one), else 10 000.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000)
}

/// A change to a valid body.
#[derive(Debug, Clone)]
enum Mutation {
    /// Bytes with no relation to the valid body.
    Random(Vec<u8>),
    /// The body cut short.
    Cut(Index),
    /// Bytes overwritten in place.
    Overwrite(Vec<(Index, u8)>),
    /// Bytes inserted somewhere.
    Insert(Index, Vec<u8>),
    /// JSON bodies: values anywhere in the document removed, replaced or given an extra field.
    Reshape(Vec<(Index, Change)>),
}

#[derive(Debug, Clone)]
enum Change {
    Remove,
    Replace(Value),
    Add(Value),
}

/// A JSON value of another shape than the field had: wrong types, extremes, control characters, markup.
fn odd_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        Just(json!(u64::MAX)),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        any::<String>().prop_map(Value::String),
        (0usize..20_000).prop_map(|n| json!("x".repeat(n))),
        Just(json!("\u{0}\u{202e}<img src=x onerror=alert(1)>")),
        Just(json!([])),
        Just(json!({})),
        Just(json!(["a", 1, null])),
        Just(json!({"nested": {"deeper": [1, 2, {"x": "y"}]}})),
    ]
}

fn mutation(json: bool) -> BoxedStrategy<Mutation> {
    let bytes = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..600).prop_map(Mutation::Random),
        any::<Index>().prop_map(Mutation::Cut),
        prop::collection::vec((any::<Index>(), any::<u8>()), 1..8).prop_map(Mutation::Overwrite),
        (any::<Index>(), prop::collection::vec(any::<u8>(), 1..40))
            .prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
    ];
    if !json {
        return bytes.boxed();
    }
    let change = prop_oneof![
        Just(Change::Remove),
        odd_value().prop_map(Change::Replace),
        odd_value().prop_map(Change::Add),
    ];
    let reshape = prop::collection::vec((any::<Index>(), change), 1..4).prop_map(Mutation::Reshape);
    // Half of the JSON bodies stay JSON, to reach the checks behind the parser.
    prop_oneof![1 => bytes, 1 => reshape].boxed()
}

/// The JSON pointers of every value in `value`, the document itself first.
fn pointers(value: &Value, at: String, all: &mut Vec<String>) {
    all.push(at.clone());
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let key = key.replace('~', "~0").replace('/', "~1");
                pointers(inner, format!("{at}/{key}"), all);
            }
        }
        Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                pointers(inner, format!("{at}/{i}"), all);
            }
        }
        _ => {}
    }
}

fn reshape(value: &mut Value, target: &Index, change: &Change) {
    let mut all = Vec::new();
    pointers(value, String::new(), &mut all);
    let pointer = target.get(&all).clone();
    let Some(place) = value.pointer_mut(&pointer) else {
        return;
    };
    match change {
        Change::Replace(odd) => *place = odd.clone(),
        Change::Add(odd) => match place {
            Value::Object(map) => {
                map.insert("extra".into(), odd.clone());
            }
            Value::Array(items) => items.push(odd.clone()),
            other => *other = odd.clone(),
        },
        Change::Remove => {
            let Some((parent, last)) = pointer.rsplit_once('/') else {
                *value = Value::Null;
                return;
            };
            match value.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(&last.replace("~1", "/").replace("~0", "~"));
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = last.parse::<usize>() {
                        items.remove(i);
                    }
                }
                _ => {}
            }
        }
    }
}

fn apply(valid: &[u8], json: Option<&Value>, mutation: &Mutation) -> Vec<u8> {
    let mut body = valid.to_vec();
    match mutation {
        Mutation::Random(bytes) => return bytes.clone(),
        Mutation::Cut(at) => body.truncate(at.index(valid.len() + 1)),
        Mutation::Overwrite(edits) => {
            for (at, byte) in edits {
                let at = at.index(body.len());
                body[at] = *byte;
            }
        }
        Mutation::Insert(at, bytes) => {
            let at = at.index(body.len() + 1);
            body.splice(at..at, bytes.iter().copied());
        }
        Mutation::Reshape(changes) => {
            let mut value = json.expect("only JSON bodies are reshaped").clone();
            for (target, change) in changes {
                reshape(&mut value, target, change);
            }
            return value.to_string().into_bytes();
        }
    }
    body
}

/// One endpoint's bodies: where they go, what comes with them, and the valid one they are made from.
struct Endpoint<'a> {
    method: Method,
    path: String,
    content_type: String,
    headers: Vec<(&'a str, String)>,
    valid: Vec<u8>,
    json: Option<Value>,
}

impl<'a> Endpoint<'a> {
    fn json(method: Method, path: impl Into<String>, valid: Value) -> Endpoint<'a> {
        Endpoint {
            method,
            path: path.into(),
            content_type: "application/json".into(),
            headers: Vec::new(),
            valid: valid.to_string().into_bytes(),
            json: Some(valid),
        }
    }

    fn multipart(path: impl Into<String>, parts: &[(&str, Option<&str>, &[u8])]) -> Endpoint<'a> {
        let (content_type, valid) = multipart(parts);
        Endpoint {
            method: Method::POST,
            path: path.into(),
            content_type,
            headers: Vec::new(),
            valid,
            json: None,
        }
    }

    fn with(mut self, name: &'a str, value: impl Into<String>) -> Endpoint<'a> {
        self.headers.push((name, value.into()));
        self
    }

    fn request(&self, body: Vec<u8>) -> Request<Body> {
        let mut builder = Request::builder()
            .method(self.method.clone())
            .uri(&self.path)
            .header(header::CONTENT_TYPE, &self.content_type);
        for (name, value) in &self.headers {
            builder = builder.header(*name, value);
        }
        builder.body(Body::from(body)).unwrap()
    }

    /// Sends `cases` bodies made from the valid one: each answer is a success or a 4xx naming an error code.
    fn fuzz(&self, runtime: &Runtime, app: &TestApp, cases: u32) {
        let config = RunnerConfig {
            cases,
            failure_persistence: None,
            ..RunnerConfig::default()
        };
        let mut runner = TestRunner::new(config);
        let outcome = runner.run(&mutation(self.json.is_some()), |mutation| {
            let body = apply(&self.valid, self.json.as_ref(), &mutation);
            let answer = runtime.block_on(app.send(self.request(body.clone())));
            if answer.status.is_success() && self.json.is_none() {
                // A stored image counts toward the number's uploads of the day (a fixed limit): stored ones are
                // moved a day back, so that the next bodies are read rather than refused on the count.
                app.db()
                    .execute("UPDATE uploads SET created_at = created_at - 86400", [])
                    .unwrap();
            }
            let shown = String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned();
            let refused = answer.status.is_client_error();
            if !(answer.status.is_success() || refused) {
                return Err(TestCaseError::fail(format!(
                    "{} {} answered {} to {shown:?}: {}",
                    self.method,
                    self.path,
                    answer.status,
                    answer.text()
                )));
            }
            let code = serde_json::from_slice::<Value>(&answer.body)
                .ok()
                .and_then(|v| v["code"].as_str().map(str::to_owned));
            if refused && code.is_none_or(|c| c.is_empty()) {
                return Err(TestCaseError::fail(format!(
                    "{} {} refused {shown:?} with {} but no error code: {}",
                    self.method,
                    self.path,
                    answer.status,
                    answer.text()
                )));
            }
            Ok(())
        });
        if let Err(failure) = outcome {
            panic!("{failure}");
        }
    }
}

/// Rate limits and quotas raised out of reach, so that every body reaches the parsers and the checks behind them
/// instead of the first refusal of a spent quota.
fn limits_out_of_the_way(config: &mut Config) {
    config.quiz_attempts_per_ip_per_day = u32::MAX;
    config.sms_per_ip_per_hour = u32::MAX;
    config.sms_per_phone_per_hour = u32::MAX;
    config.sms_per_phone_per_day = u32::MAX;
    config.sms_budget_per_hour = u32::MAX;
    config.sms_wrong_codes_per_phone_per_day = u32::MAX;
    config.applications_per_ip_per_hour = u32::MAX;
    config.lookups_per_ip_per_hour = u32::MAX;
    config.submission_replays_per_ip_per_hour = u32::MAX;
    config.upload_mib_per_phone_per_day = u32::MAX;
    config.upload_mib_per_application = u32::MAX;
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn sms_code_bodies() {
    let runtime = runtime();
    let app = runtime.block_on(async { TestApp::with(limits_out_of_the_way) });
    let endpoint = Endpoint::json(Method::POST, "/api/v1/sms-codes", json!({"phone": PHONE}));
    endpoint.fuzz(&runtime, &app, cases());
}

#[test]
fn verification_bodies() {
    let runtime = runtime();
    let app = runtime.block_on(async { TestApp::with(limits_out_of_the_way) });
    let body = json!({"phone": PHONE, "code": "123456"});
    Endpoint::json(Method::POST, "/api/v1/sms-codes/verify", body).fuzz(&runtime, &app, cases());
}

#[test]
fn quiz_attempt_bodies() {
    let runtime = runtime();
    let app = runtime.block_on(async { TestApp::with(limits_out_of_the_way) });
    let body = json!({"answers": {"q1": ["b"], "q2": ["a", "c"], "q3": ["a"]}});
    Endpoint::json(Method::POST, "/api/v1/quiz/attempts", body).fuzz(&runtime, &app, cases());
}

#[test]
fn lookup_bodies() {
    let runtime = runtime();
    let app = runtime.block_on(async { TestApp::with(limits_out_of_the_way) });
    let body = json!({"reference": "HB20260315ABCDEF", "phone": PHONE, "code": "123456"});
    Endpoint::json(Method::POST, "/api/v1/applications/lookup", body).fuzz(&runtime, &app, cases());
}

#[test]
fn application_bodies() {
    let runtime = runtime();
    let app = runtime.block_on(async { TestApp::with(limits_out_of_the_way) });
    let token = runtime.block_on(app.verify_phone(PHONE));
    let body = application(PHONE, "qa_unknown", "up_a", "up_b", "up_c");
    Endpoint::json(Method::POST, "/api/v1/applications", body)
        .with("authorization", format!("Bearer {token}"))
        .with("idempotency-key", "fuzz-key-0001")
        .fuzz(&runtime, &app, cases());
}

#[test]
fn resubmission_bodies() {
    let runtime = runtime();
    let app = runtime.block_on(async { TestApp::with(limits_out_of_the_way) });
    let mine = runtime.block_on(async {
        let mine = submitted(&app, PHONE).await;
        let returned =
            json!({"status": "returned", "reason": "资产证明看不清", "step": "attachments"});
        dev_status(&app, &mine.reference, returned).await;
        mine
    });
    let mut body = mine.body.clone();
    body["attachments"]["asset_proofs"] = json!(["up_unknown"]);
    let path = format!("/api/v1/applications/{}", mine.reference);
    Endpoint::json(Method::PUT, path, body)
        .with("authorization", format!("Bearer {}", mine.token))
        .with("x-status-token", mine.status_token.clone())
        .with("idempotency-key", "fuzz-key-0002")
        .fuzz(&runtime, &app, cases());
}

#[test]
fn upload_bodies() {
    let runtime = runtime();
    let app = runtime.block_on(async { TestApp::with(limits_out_of_the_way) });
    let token = runtime.block_on(app.verify_phone(PHONE));
    let image = png(640, 480);
    let parts: [(&str, Option<&str>, &[u8]); 2] = [
        ("kind", None, b"id_front"),
        ("file", Some("front.png"), &image),
    ];
    Endpoint::multipart("/api/v1/uploads", &parts)
        .with("authorization", format!("Bearer {token}"))
        .fuzz(&runtime, &app, cases());
}

#[test]
fn receipt_bodies() {
    let runtime = runtime();
    let app = runtime.block_on(async { TestApp::with(limits_out_of_the_way) });
    let mine = runtime.block_on(submitted(&app, PHONE));
    let image = png(640, 480);
    let parts: [(&str, Option<&str>, &[u8]); 1] = [("file", Some("receipt.png"), &image)];
    let path = format!("/api/v1/applications/{}/receipt", mine.reference);
    Endpoint::multipart(path, &parts)
        .with("x-status-token", mine.status_token.clone())
        .fuzz(&runtime, &app, cases());
}
