//! SMS codes: sending with limits, verifying once with limited tries.

use axum::http::StatusCode;
use serde_json::json;

use crate::common::TestApp;

const PHONE: &str = "13812345678";

async fn send(app: &TestApp, phone: &str) -> crate::common::Answer {
    app.post_json("/api/v1/sms-codes", &json!({"phone": phone}), &[])
        .await
}

async fn verify(app: &TestApp, phone: &str, code: &str) -> crate::common::Answer {
    app.post_json(
        "/api/v1/sms-codes/verify",
        &json!({"phone": phone, "code": code}),
        &[],
    )
    .await
}

/// Moves every code of `phone` back in time by `seconds`.
fn age_codes(app: &TestApp, phone: &str, seconds: i64) {
    app.db()
        .execute(
            "UPDATE sms_codes SET created_at = created_at - ?1, expires_at = expires_at - ?1 WHERE phone = ?2",
            rusqlite::params![seconds, phone],
        )
        .unwrap();
}

fn wrong(code: &str) -> String {
    let last = code.as_bytes()[5];
    let other = if last == b'9' {
        '0'
    } else {
        char::from(last + 1)
    };
    format!("{}{other}", &code[..5])
}

#[tokio::test]
async fn a_code_is_sent_and_verified_once() {
    let app = TestApp::new();
    let sent = send(&app, "+86 138-1234-5678").await;
    assert_eq!(sent.status, StatusCode::ACCEPTED);
    assert_eq!(sent.json(), json!({"cooldown_s": 60, "expires_s": 600}));

    let code = app.dev_code(PHONE).await;
    assert_eq!(code.len(), 6);
    assert!(code.bytes().all(|b| b.is_ascii_digit()));

    let ok = verify(&app, PHONE, &code).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
    let body = ok.json();
    assert!(body["verification_token"]
        .as_str()
        .unwrap()
        .starts_with("vt_"));
    assert_eq!(body["expires_s"], 7200);

    // Single use.
    let again = verify(&app, PHONE, &code).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert_eq!(again.json()["code"], "sms_code_not_found");
}

#[tokio::test]
async fn codes_are_stored_hashed() {
    let app = TestApp::with(|c| c.dev = false);
    assert_eq!(send(&app, PHONE).await.status, StatusCode::ACCEPTED);
    let (hash, dev_code): (String, Option<String>) = app
        .db()
        .query_row(
            "SELECT code_hash, dev_code FROM sms_codes WHERE phone = ?1",
            [PHONE],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(hash.len(), 64);
    assert_eq!(
        dev_code, None,
        "the plain code is kept in development mode only"
    );
}

#[tokio::test]
async fn an_invalid_number_is_refused_with_the_rule_code() {
    let app = TestApp::new();
    let answer = send(&app, "12345").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let body = answer.json();
    assert_eq!(body["field"], "phone");
    assert!(
        body["code"].as_str().unwrap().starts_with("phone_"),
        "{body}"
    );
}

#[tokio::test]
async fn a_second_code_within_60_seconds_gets_429_with_retry_after() {
    let app = TestApp::new();
    assert_eq!(send(&app, PHONE).await.status, StatusCode::ACCEPTED);
    let answer = send(&app, PHONE).await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    let body = answer.json();
    assert_eq!(body["code"], "sms_cooldown");
    let retry = body["retry_after_s"].as_u64().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(
        answer.header("retry-after"),
        Some(retry.to_string().as_str())
    );

    // After the cooldown another code may be sent, and it replaces the first.
    let first = app.dev_code(PHONE).await;
    age_codes(&app, PHONE, 61);
    assert_eq!(send(&app, PHONE).await.status, StatusCode::ACCEPTED);
    let second = app.dev_code(PHONE).await;
    if first != second {
        let old = verify(&app, PHONE, &first).await;
        assert_eq!(old.json()["code"], "sms_code_mismatch");
    }
    assert_eq!(verify(&app, PHONE, &second).await.status, StatusCode::OK);
}

#[tokio::test]
async fn at_most_5_codes_per_number_per_hour() {
    let app = TestApp::new();
    for _ in 0..5 {
        assert_eq!(send(&app, PHONE).await.status, StatusCode::ACCEPTED);
        age_codes(&app, PHONE, 61);
    }
    let answer = send(&app, PHONE).await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    let body = answer.json();
    assert_eq!(body["code"], "sms_hourly_limit");
    assert!(body["retry_after_s"].as_u64().unwrap() > 3000);
}

#[tokio::test]
async fn at_most_20_codes_per_client_address_per_hour() {
    let app = TestApp::new();
    for i in 0..20 {
        let phone = format!("139{:08}", i);
        let answer = app
            .post_json_from(
                [198, 51, 100, 7],
                "/api/v1/sms-codes",
                &json!({"phone": phone}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::ACCEPTED, "{i}");
    }
    let answer = app
        .post_json_from(
            [198, 51, 100, 7],
            "/api/v1/sms-codes",
            &json!({"phone": "13700000000"}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(answer.json()["code"], "sms_ip_limit");
    // Another address is not affected.
    let answer = app
        .post_json_from(
            [198, 51, 100, 8],
            "/api/v1/sms-codes",
            &json!({"phone": "13700000000"}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::ACCEPTED);
}

#[tokio::test]
async fn configured_cooldown_and_hourly_limits_are_honoured() {
    let app = TestApp::with(|c| {
        c.sms_cooldown_s = 0;
        c.sms_per_phone_per_hour = 7;
    });
    // No cooldown: codes to the same number at once, up to the raised hourly limit.
    for i in 0..7 {
        let answer = send(&app, PHONE).await;
        assert_eq!(
            answer.status,
            StatusCode::ACCEPTED,
            "{i}: {}",
            answer.text()
        );
        assert_eq!(answer.json()["cooldown_s"], 0);
    }
    let answer = send(&app, PHONE).await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(answer.json()["code"], "sms_hourly_limit");
    // The latest code is the one that verifies.
    let code = app.dev_code(PHONE).await;
    assert_eq!(verify(&app, PHONE, &code).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_configured_limit_per_client_address_is_honoured() {
    let app = TestApp::with(|c| c.sms_per_ip_per_hour = 2);
    for phone in ["13900000001", "13900000002"] {
        assert_eq!(send(&app, phone).await.status, StatusCode::ACCEPTED);
    }
    let answer = send(&app, "13900000003").await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(answer.json()["code"], "sms_ip_limit");
}

#[tokio::test]
async fn a_wrong_code_says_how_many_tries_are_left() {
    let app = TestApp::new();
    send(&app, PHONE).await;
    let code = app.dev_code(PHONE).await;
    let answer = verify(&app, PHONE, &wrong(&code)).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let body = answer.json();
    assert_eq!(body["code"], "sms_code_mismatch");
    assert_eq!(body["field"], "code");
    assert_eq!(body["attempts_left"], 4);
    // The right code still works.
    assert_eq!(verify(&app, PHONE, &code).await.status, StatusCode::OK);
}

#[tokio::test]
async fn five_wrong_tries_use_the_code_up() {
    let app = TestApp::new();
    send(&app, PHONE).await;
    let code = app.dev_code(PHONE).await;
    for left in (1..=4).rev() {
        let answer = verify(&app, PHONE, &wrong(&code)).await;
        assert_eq!(answer.json()["attempts_left"], left);
    }
    let fifth = verify(&app, PHONE, &wrong(&code)).await;
    assert_eq!(fifth.json()["code"], "sms_code_attempts_exceeded");
    let right = verify(&app, PHONE, &code).await;
    assert_eq!(right.status, StatusCode::BAD_REQUEST);
    assert_eq!(right.json()["code"], "sms_code_attempts_exceeded");
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let app = TestApp::new();
    send(&app, PHONE).await;
    let code = app.dev_code(PHONE).await;
    age_codes(&app, PHONE, 601);
    let answer = verify(&app, PHONE, &code).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.json()["code"], "sms_code_expired");
}

#[tokio::test]
async fn verifying_without_a_code_sent_says_so() {
    let app = TestApp::new();
    let answer = verify(&app, PHONE, "123456").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.json()["code"], "sms_code_not_found");

    let answer = verify(&app, PHONE, "12a456").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let body = answer.json();
    assert_eq!(body["field"], "code");
    assert!(body["code"].as_str().unwrap().starts_with("sms_code_"));
}

#[tokio::test]
async fn the_dev_endpoint_has_no_code_for_an_unknown_number() {
    let app = TestApp::new();
    let answer = app.get("/api/v1/dev/sms-codes/13900000000", &[]).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.json()["code"], "sms_code_not_found");
}
