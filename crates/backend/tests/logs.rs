//! What the backend writes to its log: never an ID number, a phone number or an SMS code outside development
//! mode (a number, if at all, masked), and a warning when the hourly SMS budget is spent.
//!
//! One subscriber captures the log of the whole process (the handlers' blocking threads included), so these
//! tests have a test binary of their own.

#[path = "http/common.rs"]
mod common;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use axum::http::StatusCode;
use serde_json::json;

use common::{application, submit, TestApp};

const PHONE: &str = "13812345678";
const OTHER_PHONE: &str = "13987654321";
const ID_NUMBER: &str = "11010519491231002X";
const CODE: &str = "493021";
const WRONG_CODE: &str = "758204";

/// Everything logged by this process so far.
fn log() -> String {
    static CAPTURED: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    let captured = CAPTURED.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&buffer);
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .without_time()
            .with_writer(move || Sink(Arc::clone(&sink)))
            .init();
        buffer
    });
    String::from_utf8_lossy(&captured.lock().unwrap()).into_owned()
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Whether `digits` stand in `log` as a number of their own (not inside a longer one or a fraction).
fn has_number(log: &str, digits: &str) -> bool {
    log.match_indices(digits).any(|(at, _)| {
        let before = log[..at].chars().next_back();
        let after = log[at + digits.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit() || c == '.')
            && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// The code the next verification of `phone` expects, whatever was sent (outside development mode nobody can
/// read it).
fn expect_code(app: &TestApp, phone: &str, code: &str) {
    app.db()
        .execute(
            "UPDATE sms_codes SET code_hash = ?1 WHERE phone = ?2",
            [backend::sms::code_hash(phone, code), phone.to_string()],
        )
        .unwrap();
}

/// Sends a code to `phone`, tries a wrong one and verifies the right one: the token.
async fn verify(app: &TestApp, phone: &str) -> String {
    let sent = app
        .post_json("/api/v1/sms-codes", &json!({"phone": phone}), &[])
        .await;
    assert_eq!(sent.status, StatusCode::ACCEPTED, "{}", sent.text());
    expect_code(app, phone, CODE);
    let wrong = app
        .post_json(
            "/api/v1/sms-codes/verify",
            &json!({"phone": phone, "code": WRONG_CODE}),
            &[],
        )
        .await;
    assert_eq!(wrong.json()["code"], "sms_code_mismatch");
    let verified = app
        .post_json(
            "/api/v1/sms-codes/verify",
            &json!({"phone": phone, "code": CODE}),
            &[],
        )
        .await;
    assert_eq!(verified.status, StatusCode::OK, "{}", verified.text());
    verified.json()["verification_token"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn outside_development_mode_no_id_number_phone_or_code_is_logged() {
    log();
    let app = TestApp::with(|c| c.dev = false);
    let token = verify(&app, PHONE).await;
    let front = app.upload_png(&token, "id_front").await;
    let back = app.upload_png(&token, "id_back").await;
    let asset = app.upload_png(&token, "asset_proof").await;
    let thumbnail = format!("/api/v1/uploads/{front}/thumbnail");
    app.get(&thumbnail, &[("authorization", &format!("Bearer {token}"))])
        .await;
    let attempt = app.passed_attempt().await;
    let body = application(PHONE, &attempt, &front, &back, &asset);
    assert_eq!(body["identity"]["document_number"], ID_NUMBER);

    // Refused, stored, replayed, refused as a duplicate.
    let mut wrong_phone = body.clone();
    wrong_phone["identity"]["phone"] = json!(OTHER_PHONE);
    let refused = submit(&app, &token, "key-logs-0000001", &wrong_phone).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let created = submit(&app, &token, "key-logs-0000002", &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    assert_eq!(
        submit(&app, &token, "key-logs-0000002", &body).await.status,
        StatusCode::CREATED
    );
    let mut again = body.clone();
    again["account"]["username"] = json!("carbon_again");
    app.db()
        .execute("UPDATE sms_codes SET created_at = created_at - 61", [])
        .unwrap();
    let token = verify(&app, PHONE).await;
    again["quiz"]["attempt_id"] = json!(app.passed_attempt().await);
    let duplicate = submit(&app, &token, "key-logs-0000003", &again).await;
    assert_eq!(
        duplicate.status,
        StatusCode::CONFLICT,
        "{}",
        duplicate.text()
    );

    // Paths that carry the numbers.
    for path in [
        format!("/api/v1/dev/sms-codes/{PHONE}"),
        format!("/api/v1/usernames/{ID_NUMBER}"),
        format!("/{ID_NUMBER}"),
        format!("/api/v1/applications/{PHONE}"),
    ] {
        app.get(&path, &[("accept", "text/html")]).await;
    }

    let log = log();
    assert!(
        log.contains("application submitted"),
        "the log was captured"
    );
    assert!(log.contains("138****5678"), "a masked number may be logged");
    for number in [PHONE, OTHER_PHONE, ID_NUMBER, &ID_NUMBER.to_lowercase()] {
        assert!(!log.contains(number), "{number} is in the log:\n{log}");
    }
    for code in [CODE, WRONG_CODE] {
        assert!(
            !has_number(&log, code),
            "the code {code} is in the log:\n{log}"
        );
    }
}

#[tokio::test]
async fn in_development_mode_the_code_is_logged_with_the_number_masked() {
    log();
    let phone = "13712345678";
    let app = TestApp::new();
    app.post_json("/api/v1/sms-codes", &json!({"phone": phone}), &[])
        .await;
    let code = app.dev_code(phone).await;
    let log = log();
    assert!(log.contains("development mode") && has_number(&log, &code));
    assert!(log.contains("137****5678"));
    assert!(!log.contains(phone), "{log}");
}

#[tokio::test]
async fn a_spent_sms_budget_is_logged_as_a_warning() {
    log();
    let app = TestApp::with(|c| c.sms_budget_per_hour = 2);
    for phone in ["13600000001", "13600000002"] {
        let answer = app
            .post_json("/api/v1/sms-codes", &json!({"phone": phone}), &[])
            .await;
        assert_eq!(answer.status, StatusCode::ACCEPTED);
    }
    let warning = log()
        .lines()
        .find(|line| line.contains("hourly SMS budget"))
        .map(str::to_string)
        .expect("a warning when the budget is spent");
    assert!(
        warning.contains("WARN") && warning.contains("budget=2"),
        "{warning}"
    );
    let refused = app
        .post_json("/api/v1/sms-codes", &json!({"phone": "13600000003"}), &[])
        .await;
    assert_eq!(refused.json()["code"], "sms_budget_exhausted");
}
