//! The status of an application: what it says, who may read it, and how its tokens are kept.

use axum::http::StatusCode;
use serde_json::json;

use crate::common::{
    dev_status, outbox, someone_else, status, submitted, submitted_with, Answer, TestApp,
};

const PHONE: &str = "13812345678";
const OTHER_PHONE: &str = "13900001111";

#[tokio::test]
async fn the_status_quotes_the_applicant_and_every_status_so_far() {
    let app = TestApp::new();
    let mine = submitted(&app, PHONE).await;
    let answer = status(&app, &mine.reference, &mine.status_token).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let first = answer.json();
    assert_eq!(first["reference"], mine.reference.as_str());
    assert_eq!(first["status"], "submitted");
    assert_eq!(first["name"], "李碳");
    assert_eq!(first["document_type"], "resident_id");
    assert_eq!(first["document_number"], "11010519491231002X");
    assert_eq!(
        first["history"],
        json!([{"status": "submitted", "at": first["submitted_at"]}])
    );

    let moved = dev_status(&app, &mine.reference, json!({"status": "fee_received"})).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text());
    let now = status(&app, &mine.reference, &mine.status_token)
        .await
        .json();
    assert_eq!(now, moved.json());
    assert_eq!(now["status"], "fee_received");
    let history: Vec<&str> = now["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(history, ["submitted", "fee_received"]);
    assert_eq!(now["history"][1]["at"], now["updated_at"]);
    assert_eq!(now["submitted_at"], first["submitted_at"]);
}

#[tokio::test]
async fn a_lowercase_x_is_quoted_as_stored() {
    let app = TestApp::new();
    let mine = submitted_with(&app, PHONE, |body| {
        body["identity"]["document_number"] = json!("11010519491231002x");
    })
    .await;
    let answer = status(&app, &mine.reference, &mine.status_token)
        .await
        .json();
    assert_eq!(answer["document_number"], "11010519491231002X");
}

#[tokio::test]
async fn a_wrong_token_and_someone_elses_reference_get_the_same_404() {
    let app = TestApp::new();
    let mine = submitted(&app, PHONE).await;
    let theirs = submitted_with(&app, OTHER_PHONE, someone_else).await;
    assert_eq!(
        status(&app, &theirs.reference, &theirs.status_token)
            .await
            .status,
        StatusCode::OK
    );

    let refusals = [
        status(&app, &mine.reference, "st_made_up").await,
        status(&app, &mine.reference, &theirs.status_token).await,
        status(&app, "HB20000101AAAAAA", &mine.status_token).await,
        // A token of one application is no token of another, whatever its case.
        status(&app, &theirs.reference.to_lowercase(), &mine.status_token).await,
    ];
    for refused in &refusals {
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.text());
        assert_eq!(refused.body, refusals[0].body);
        assert!(!refused.text().contains("李碳") && !refused.text().contains("Wang"));
    }
    assert_eq!(refusals[0].json()["code"], "application_not_found");

    let missing = app
        .get(&format!("/api/v1/applications/{}", mine.reference), &[])
        .await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(missing.json()["code"], "status_token_missing");
}

#[tokio::test]
async fn status_tokens_are_stored_only_as_hashes() {
    let app = TestApp::new();
    let mine = submitted(&app, PHONE).await;
    let conn = app.db();
    let (hash, reference): (String, String) = conn
        .query_row("SELECT token_hash, reference FROM status_tokens", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(reference, mine.reference);
    assert_eq!(
        hash,
        backend::util::sha256_hex(mine.status_token.as_bytes())
    );
    let plain_column: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM pragma_table_info('applications') WHERE name = 'status_token'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(plain_column, 0);
    // Nowhere in the database files.
    let data = app.state.config().data_dir.clone();
    for file in ["backend.sqlite3", "backend.sqlite3-wal"] {
        let bytes = std::fs::read(data.join(file)).unwrap_or_default();
        let token = mine.status_token.as_bytes();
        assert!(
            !bytes.windows(token.len()).any(|w| w == token),
            "the token is in {file}"
        );
    }
}

#[tokio::test]
async fn the_submission_queues_a_received_message_in_the_applications_language() {
    let app = TestApp::new();
    let mine = submitted(&app, PHONE).await;
    let theirs = submitted_with(&app, OTHER_PHONE, someone_else).await;

    let messages = outbox(&app, &mine.reference).await;
    assert_eq!(messages.len(), 2, "{messages:?}");
    let (email, sms) = (&messages[0], &messages[1]);
    assert_eq!(email["channel"], "email");
    assert_eq!(email["to"], "li.tan@qq.com");
    assert_eq!(email["status"], "submitted");
    assert!(email["subject"].as_str().unwrap().contains("已收到"));
    assert!(email["body"].as_str().unwrap().contains(&mine.reference));
    assert_eq!(sms["channel"], "sms");
    assert_eq!(sms["to"], PHONE);
    assert!(sms.get("subject").is_none());
    assert!(sms["body"].as_str().unwrap().contains(&mine.reference));

    let english = outbox(&app, &theirs.reference).await;
    assert_eq!(english[0]["to"], "wang.lan@163.com");
    assert!(english[0]["body"]
        .as_str()
        .unwrap()
        .starts_with("Dear Wang Lan"));

    let unknown = app.get("/api/v1/dev/outbox/HB20000101AAAAAA", &[]).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

/// A backend that sends codes as often as a test asks.
fn lenient() -> TestApp {
    TestApp::with(|c| {
        c.sms_cooldown_s = 0;
        c.sms_per_phone_per_hour = 100;
        c.sms_per_ip_per_hour = 100;
    })
}

/// Sends a fresh code to `phone`; the code.
async fn fresh_code(app: &TestApp, phone: &str) -> String {
    let sent = app
        .post_json("/api/v1/sms-codes", &json!({"phone": phone}), &[])
        .await;
    assert_eq!(sent.status, StatusCode::ACCEPTED, "{}", sent.text());
    app.dev_code(phone).await
}

async fn lookup(app: &TestApp, reference: &str, phone: &str, code: &str) -> Answer {
    app.post_json(
        "/api/v1/applications/lookup",
        &json!({"reference": reference, "phone": phone, "code": code}),
        &[],
    )
    .await
}

fn wrong(code: &str) -> String {
    let last = (code.as_bytes()[5] - b'0' + 1) % 10;
    format!("{}{last}", &code[..5])
}

#[tokio::test]
async fn a_lookup_with_the_applications_number_gives_this_device_a_token() {
    let app = lenient();
    let mine = submitted(&app, PHONE).await;
    let code = fresh_code(&app, PHONE).await;
    let typed = format!(" {} ", mine.reference.to_lowercase());
    let answer = lookup(&app, &typed, "+86 138 1234 5678", &code).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let found = answer.json();
    assert_eq!(found["reference"], mine.reference.as_str());
    let token = found["status_token"].as_str().unwrap();
    assert!(token.starts_with("st_") && token != mine.status_token);
    // Both devices read the status.
    for token in [token, mine.status_token.as_str()] {
        let answer = status(&app, &mine.reference, token).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.json()["name"], "李碳");
    }
    let tokens: i64 = app
        .db()
        .query_row("SELECT COUNT(*) FROM status_tokens", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tokens, 2);
    // The code is used up (but for a retry moments later, whose first answer was lost on the way).
    let retry = lookup(&app, &mine.reference, PHONE, &code).await;
    assert_eq!(retry.status, StatusCode::OK, "{}", retry.text());
    app.db()
        .execute(
            "UPDATE sms_codes SET used_at = used_at - ?1",
            [backend::sms::REPEAT_WINDOW_S + 1],
        )
        .unwrap();
    let again = lookup(&app, &mine.reference, PHONE, &code).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert_eq!(again.json()["code"], "sms_code_not_found");
}

#[tokio::test]
async fn a_wrong_code_is_refused_alike_whether_the_reference_exists_or_not() {
    let app = lenient();
    let mine = submitted(&app, PHONE).await;
    let mut refusals = Vec::new();
    for reference in [mine.reference.as_str(), "HB20000101AAAAAA"] {
        let code = fresh_code(&app, PHONE).await;
        refusals.push(lookup(&app, reference, PHONE, &wrong(&code)).await);
    }
    for refused in &refusals {
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert_eq!(refused.body, refusals[0].body);
    }
    let body = refusals[0].json();
    assert_eq!(body["code"], "sms_code_mismatch");
    assert_eq!(body["attempts_left"], 4);
    assert_eq!(body["field"], "code");

    // The tries are counted as for verification: the fifth wrong one uses the code up.
    let code = fresh_code(&app, PHONE).await;
    for _ in 0..4 {
        lookup(&app, &mine.reference, PHONE, &wrong(&code)).await;
    }
    let fifth = lookup(&app, &mine.reference, PHONE, &wrong(&code)).await;
    assert_eq!(fifth.json()["code"], "sms_code_attempts_exceeded");
    let right = lookup(&app, &mine.reference, PHONE, &code).await;
    assert_eq!(right.json()["code"], "sms_code_attempts_exceeded");
}

#[tokio::test]
async fn a_right_code_finds_only_an_application_made_with_its_number() {
    let app = lenient();
    let mine = submitted(&app, PHONE).await;
    let theirs = submitted_with(&app, OTHER_PHONE, someone_else).await;
    // My number's code, their reference; then a reference nobody has.
    let mut refusals = Vec::new();
    for reference in [theirs.reference.as_str(), "HB20000101AAAAAA"] {
        let code = fresh_code(&app, PHONE).await;
        refusals.push(lookup(&app, reference, PHONE, &code).await);
    }
    for refused in &refusals {
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.text());
        assert_eq!(refused.body, refusals[0].body);
        assert!(!refused.text().contains("Wang") && !refused.text().contains("st_"));
    }
    assert_eq!(refusals[0].json()["code"], "application_not_found");
    let tokens: i64 = app
        .db()
        .query_row("SELECT COUNT(*) FROM status_tokens", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tokens, 2, "no token issued");
    assert_eq!(
        status(&app, &mine.reference, &mine.status_token)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn lookups_are_limited_per_client_address() {
    let app = TestApp::with(|c| {
        c.sms_cooldown_s = 0;
        c.lookups_per_ip_per_hour = 2;
    });
    let mine = submitted(&app, PHONE).await;
    let code = fresh_code(&app, PHONE).await;
    for _ in 0..2 {
        let refused = lookup(&app, &mine.reference, PHONE, &wrong(&code)).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    }
    let limited = lookup(&app, &mine.reference, PHONE, &code).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.json()["code"], "status_lookup_rate_limit");
    assert!(limited.header("retry-after").is_some());
    // From another address the code still works.
    let other = app
        .post_json_from(
            [198, 51, 100, 7],
            "/api/v1/applications/lookup",
            &json!({"reference": mine.reference, "phone": PHONE, "code": code}),
        )
        .await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.text());
}

#[tokio::test]
async fn a_lookup_checks_the_number_and_the_code_by_their_rules() {
    let app = TestApp::new();
    let answer = lookup(&app, "HB20000101AAAAAA", "12345", "123456").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.json()["field"], "phone");
    let answer = lookup(&app, "HB20000101AAAAAA", PHONE, "12a").await;
    assert_eq!(answer.json()["field"], "code");
}
