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

    // Sent again moments later (its first answer lost on the way), it gives another token.
    let retry = verify(&app, PHONE, &code).await;
    assert_eq!(retry.status, StatusCode::OK, "{}", retry.text());
    assert_ne!(
        retry.json()["verification_token"],
        body["verification_token"]
    );

    // Past the repeat window it is used up.
    app.db()
        .execute(
            "UPDATE sms_codes SET used_at = used_at - ?1",
            [backend::sms::REPEAT_WINDOW_S + 1],
        )
        .unwrap();
    let again = verify(&app, PHONE, &code).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert_eq!(again.json()["code"], "sms_code_not_found");
}

#[tokio::test]
async fn only_the_latest_code_is_taken_again() {
    let app = TestApp::with(|c| c.sms_cooldown_s = 0);
    assert_eq!(send(&app, PHONE).await.status, StatusCode::ACCEPTED);
    let first = app.dev_code(PHONE).await;
    assert_eq!(verify(&app, PHONE, &first).await.status, StatusCode::OK);
    // A newer code was asked for since: the used one is not taken again, and the newer one still works.
    assert_eq!(send(&app, PHONE).await.status, StatusCode::ACCEPTED);
    let second = app.dev_code(PHONE).await;
    if second != first {
        let again = verify(&app, PHONE, &first).await;
        assert_eq!(again.status, StatusCode::BAD_REQUEST);
        assert_eq!(again.json()["code"], "sms_code_mismatch");
    }
    assert_eq!(verify(&app, PHONE, &second).await.status, StatusCode::OK);
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

/// A code sent to `phone` from `ip` `seconds_ago`, as the database would hold it.
fn sent_before(app: &TestApp, phone: &str, ip: &str, seconds_ago: i64) {
    app.db()
        .execute(
            "INSERT INTO sms_codes (phone, client_ip, code_hash, created_at, expires_at, superseded)
             VALUES (?1, ?2, 'x', unixepoch() - ?3, unixepoch() - ?3 + 600, 1)",
            rusqlite::params![phone, ip, seconds_ago],
        )
        .unwrap();
}

#[tokio::test]
async fn at_most_10_codes_per_number_per_day() {
    let app = TestApp::new();
    // Ten codes over the last day, none within the hour.
    for hours_ago in 2..12 {
        sent_before(&app, PHONE, "198.51.100.1", hours_ago * 3600);
    }
    let answer = send(&app, PHONE).await;
    assert_eq!(
        answer.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        answer.text()
    );
    let body = answer.json();
    assert_eq!(body["code"], "sms_daily_limit");
    assert_eq!(body["field"], "phone");
    assert_eq!(body["message"], "at most 10 codes per number per day");
    // The oldest of them, 11 hours ago, leaves the day in 13 hours.
    let retry = body["retry_after_s"].as_u64().unwrap();
    assert!((13 * 3600 - 5..=13 * 3600).contains(&retry), "{retry}");
    // Another number is not affected.
    assert_eq!(send(&app, "13900001111").await.status, StatusCode::ACCEPTED);
}

#[tokio::test]
async fn a_configured_daily_limit_per_number_is_honoured() {
    let app = TestApp::with(|c| {
        c.sms_cooldown_s = 0;
        c.sms_per_phone_per_day = 2;
    });
    for _ in 0..2 {
        assert_eq!(send(&app, PHONE).await.status, StatusCode::ACCEPTED);
    }
    let answer = send(&app, PHONE).await;
    assert_eq!(answer.json()["code"], "sms_daily_limit");
    assert!(answer.json()["retry_after_s"].as_u64().unwrap() > 86_000);
}

#[tokio::test]
async fn the_hourly_budget_is_shared_by_every_number_and_address() {
    let app = TestApp::with(|c| c.sms_budget_per_hour = 3);
    for (i, ip) in [[198, 51, 100, 1], [198, 51, 100, 2], [198, 51, 100, 3]]
        .into_iter()
        .enumerate()
    {
        let phone = format!("1390000000{i}");
        let answer = app
            .post_json_from(ip, "/api/v1/sms-codes", &json!({"phone": phone}))
            .await;
        assert_eq!(answer.status, StatusCode::ACCEPTED, "{i}");
    }
    let answer = app
        .post_json_from(
            [203, 0, 113, 9],
            "/api/v1/sms-codes",
            &json!({"phone": "13700000000"}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    let body = answer.json();
    assert_eq!(body["code"], "sms_budget_exhausted");
    assert_eq!(body["message"], "at most 3 codes in all per hour");
    assert!(body["retry_after_s"].as_u64().unwrap() > 3500);
    assert!(body.get("field").is_none(), "not the number's fault");
    // Codes older than the hour no longer count.
    app.db()
        .execute("UPDATE sms_codes SET created_at = created_at - 3600", [])
        .unwrap();
    assert_eq!(send(&app, "13700000000").await.status, StatusCode::ACCEPTED);
}

#[tokio::test]
async fn wrong_codes_per_number_are_capped_per_day() {
    let app = TestApp::with(|c| c.sms_wrong_codes_per_phone_per_day = 6);
    send(&app, PHONE).await;
    let first = app.dev_code(PHONE).await;
    for _ in 0..5 {
        verify(&app, PHONE, &wrong(&first)).await;
    }
    // A new code: one more wrong try reaches the cap of the day.
    age_codes(&app, PHONE, 61);
    send(&app, PHONE).await;
    let code = app.dev_code(PHONE).await;
    let sixth = verify(&app, PHONE, &wrong(&code)).await;
    assert_eq!(sixth.json()["code"], "sms_code_mismatch");
    // From now on not even the right code verifies the number.
    let right = verify(&app, PHONE, &code).await;
    assert_eq!(
        right.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        right.text()
    );
    let body = right.json();
    assert_eq!(body["code"], "sms_verify_daily_limit");
    assert_eq!(body["field"], "code");
    assert!(body["retry_after_s"].as_u64().unwrap() > 86_000);
    // The tries of another number are its own.
    send(&app, "13900001111").await;
    let theirs = app.dev_code("13900001111").await;
    assert_eq!(
        verify(&app, "13900001111", &theirs).await.status,
        StatusCode::OK
    );
    // A day later the number can be verified again.
    app.db()
        .execute("UPDATE wrong_sms_codes SET tried_at = tried_at - 86400", [])
        .unwrap();
    assert_eq!(verify(&app, PHONE, &code).await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_ipv6_client_is_counted_by_its_64_network() {
    let app = TestApp::with(|c| c.sms_per_ip_per_hour = 2);
    let from = |ip: &str, phone: &str| {
        let ip: std::net::IpAddr = ip.parse().unwrap();
        let app = &app;
        let phone = phone.to_string();
        async move {
            app.post_json_from(ip, "/api/v1/sms-codes", &json!({"phone": phone}))
                .await
        }
    };
    assert_eq!(
        from("2001:db8:1:2::1", "13900000001").await.status,
        StatusCode::ACCEPTED
    );
    assert_eq!(
        from("2001:db8:1:2:ffff:1234:5678:9abc", "13900000002")
            .await
            .status,
        StatusCode::ACCEPTED
    );
    // A third address of the same /64 shares the limit.
    let refused = from("2001:db8:1:2::3", "13900000003").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.json()["code"], "sms_ip_limit");
    // Another /64 has its own.
    assert_eq!(
        from("2001:db8:1:3::1", "13900000004").await.status,
        StatusCode::ACCEPTED
    );
    let stored: String = app
        .db()
        .query_row(
            "SELECT client_ip FROM sms_codes WHERE phone = '13900000002'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, "2001:db8:1:2::/64");
}

#[tokio::test]
async fn the_ipv6_prefix_is_configurable() {
    let app = TestApp::with(|c| {
        c.sms_per_ip_per_hour = 1;
        c.ipv6_prefix_len = 48;
    });
    let from = |ip: &str, phone: &str| {
        let ip: std::net::IpAddr = ip.parse().unwrap();
        let app = &app;
        let phone = phone.to_string();
        async move {
            app.post_json_from(ip, "/api/v1/sms-codes", &json!({"phone": phone}))
                .await
        }
    };
    assert_eq!(
        from("2001:db8:1:2::1", "13900000001").await.status,
        StatusCode::ACCEPTED
    );
    // Another /64 of the same /48.
    let refused = from("2001:db8:1:7::1", "13900000002").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        from("2001:db8:2::1", "13900000003").await.status,
        StatusCode::ACCEPTED
    );
}
