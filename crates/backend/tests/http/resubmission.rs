//! A returned application, fixed and sent again: same reference, checked like a first submission, idempotent.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::common::{dev_status, history, outbox, status, submitted, Answer, Submitted, TestApp};

const PHONE: &str = "13812345678";

async fn put(app: &TestApp, mine: &Submitted, token: &str, key: &str, body: &Value) -> Answer {
    let request = axum::http::Request::builder()
        .method(axum::http::Method::PUT)
        .uri(format!("/api/v1/applications/{}", mine.reference))
        .header("content-type", "application/json")
        .header("x-status-token", &mine.status_token)
        .header("authorization", format!("Bearer {token}"))
        .header("idempotency-key", key)
        .body(axum::body::Body::from(body.to_string()))
        .unwrap();
    app.send(request).await
}

/// A submitted application, returned for its attachments.
async fn returned(app: &TestApp) -> Submitted {
    let mine = submitted(app, PHONE).await;
    let answer = dev_status(
        app,
        &mine.reference,
        json!({"status": "returned", "reason": "资产证明看不清", "step": "attachments"}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    mine
}

fn audit_rows(app: &TestApp) -> i64 {
    app.db()
        .query_row("SELECT COUNT(*) FROM status_audit", [], |r| r.get(0))
        .unwrap()
}

#[tokio::test]
async fn a_fixed_application_is_sent_again_under_its_reference() {
    let app = TestApp::new();
    let mine = returned(&app).await;
    let (hash_before,): (String,) = app
        .db()
        .query_row(
            "SELECT password_hash FROM applications WHERE reference = ?1",
            [&mine.reference],
            |r| Ok((r.get(0)?,)),
        )
        .unwrap();
    let clearer = app.upload_png(&mine.token, "asset_proof").await;
    let mut fixed = mine.body.clone();
    fixed["attachments"]["asset_proofs"] = json!([clearer]);
    fixed["account"]["email"] = json!("li.tan@163.com");
    fixed["account"]["password"] = json!("a new and longer passphrase");

    let answer = put(&app, &mine, &mine.token, "key-resubmit-0001", &fixed).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert_eq!(answer.header("idempotent-replayed"), None);
    let now = answer.json();
    assert_eq!(now["reference"], mine.reference.as_str());
    assert_eq!(now["status"], "submitted");
    assert_eq!(history(&now), ["submitted", "returned", "submitted"]);
    assert!(now.get("returned_reason").is_none());
    assert_eq!(
        status(&app, &mine.reference, &mine.status_token)
            .await
            .json(),
        now
    );

    let (rows, email, proofs, hash): (i64, String, String, String) = app
        .db()
        .query_row(
            "SELECT (SELECT COUNT(*) FROM applications), email, asset_proofs_json, password_hash
             FROM applications WHERE reference = ?1",
            [&mine.reference],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(rows, 1);
    assert_eq!(email, "li.tan@163.com");
    assert!(proofs.contains(&clearer));
    assert!(hash.starts_with("$argon2id$") && hash != hash_before);

    // Told so at the address the application now has.
    let messages = outbox(&app, &mine.reference).await;
    let last = &messages[messages.len() - 2..];
    assert_eq!(last[0]["to"], "li.tan@163.com");
    assert_eq!(last[0]["status"], "submitted");
    assert!(last[0]["subject"].as_str().unwrap().contains("修改后"));
    let actor: String = app
        .db()
        .query_row(
            "SELECT actor FROM status_audit ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(actor, "investor");
}

#[tokio::test]
async fn a_retry_with_the_same_key_answers_the_same_and_changes_nothing() {
    let app = TestApp::new();
    let mine = returned(&app).await;
    let mut fixed = mine.body.clone();
    fixed["account"]["address"] = json!("武汉市洪山区珞喻路 2 号");
    let first = put(&app, &mine, &mine.token, "key-resubmit-0002", &fixed).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    let rows = audit_rows(&app);
    let messages = outbox(&app, &mine.reference).await.len();

    let again = put(&app, &mine, &mine.token, "key-resubmit-0002", &fixed).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(again.json(), first.json());
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(audit_rows(&app), rows);
    assert_eq!(outbox(&app, &mine.reference).await.len(), messages);

    let mut other = fixed.clone();
    other["account"]["address"] = json!("武汉市江岸区 3 号");
    let reused = put(&app, &mine, &mine.token, "key-resubmit-0002", &other).await;
    assert_eq!(reused.status, StatusCode::CONFLICT);
    assert_eq!(reused.json()["code"], "idempotency_key_reused");
    // A key of a first submission is no key for a resubmission.
    let first_key = format!("key-{PHONE}-{}", mine.body["identity"]["document_number"]);
    let reused = put(&app, &mine, &mine.token, &first_key, &fixed).await;
    assert_eq!(reused.json()["code"], "idempotency_key_reused");
    assert_eq!(audit_rows(&app), rows);
}

#[tokio::test]
async fn only_a_returned_application_is_sent_again() {
    let app = TestApp::new();
    let mine = submitted(&app, PHONE).await;
    let rows = audit_rows(&app);
    let answer = put(&app, &mine, &mine.token, "key-resubmit-0003", &mine.body).await;
    assert_eq!(answer.status, StatusCode::CONFLICT, "{}", answer.text());
    assert_eq!(answer.json()["code"], "application_not_returned");
    dev_status(&app, &mine.reference, json!({"status": "fee_received"})).await;
    let answer = put(&app, &mine, &mine.token, "key-resubmit-0004", &mine.body).await;
    assert_eq!(answer.json()["code"], "application_not_returned");
    assert_eq!(audit_rows(&app), rows + 1, "only the operator's change");
    let now = status(&app, &mine.reference, &mine.status_token)
        .await
        .json();
    assert_eq!(now["status"], "fee_received");
}

#[tokio::test]
async fn another_numbers_verification_is_refused() {
    let app = TestApp::new();
    let mine = returned(&app).await;
    let other = app.verify_phone("13900001111").await;
    let answer = put(&app, &mine, &other, "key-resubmit-0005", &mine.body).await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.text()
    );
    let error = answer.json();
    assert_eq!(error["errors"][0]["field"], "identity.phone");
    assert_eq!(error["errors"][0]["code"], "phone_not_verified");

    // Moving the application to the other number is refused the same way.
    let mut moved = mine.body.clone();
    moved["identity"]["phone"] = json!("13900001111");
    let answer = put(&app, &mine, &other, "key-resubmit-0006", &moved).await;
    assert_eq!(answer.json()["errors"][0]["code"], "phone_not_verified");
    let now = status(&app, &mine.reference, &mine.status_token)
        .await
        .json();
    assert_eq!(now["status"], "returned");
}

#[tokio::test]
async fn a_resubmission_is_checked_like_a_first_submission() {
    let app = TestApp::new();
    let mine = returned(&app).await;
    let mut broken = mine.body.clone();
    broken["account"]["email"] = json!("li.tan.qq.com");
    broken["account"]["password"] = json!("password123");
    let answer = put(&app, &mine, &mine.token, "key-resubmit-0007", &broken).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<(String, String)> = answer.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().into(),
                e["code"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        fields.contains(&("account.password".into(), "password_common".into())),
        "{fields:?}"
    );
    assert!(
        fields.contains(&("account.email".into(), "email_missing_at".into())),
        "{fields:?}"
    );
    assert_eq!(
        status(&app, &mine.reference, &mine.status_token)
            .await
            .json()["status"],
        "returned"
    );

    // Another application for the document made meanwhile, still under review: the duplicate rule holds.
    let mut newer = mine.body.clone();
    newer["account"]["username"] = json!("carbon_li_new");
    newer["quiz"]["attempt_id"] = json!(app.passed_attempt().await);
    let created = crate::common::submit(&app, &mine.token, "key-newer-000001", &newer).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let token = app.verify_phone_again(PHONE).await;
    let answer = put(&app, &mine, &token, "key-resubmit-0008", &mine.body).await;
    assert_eq!(answer.status, StatusCode::CONFLICT);
    assert_eq!(answer.json()["code"], "duplicate_application");
}

#[tokio::test]
async fn a_resubmission_needs_its_tokens_and_key() {
    let app = TestApp::new();
    let mine = returned(&app).await;
    let mut stranger = Submitted {
        status_token: "st_made_up".into(),
        reference: mine.reference.clone(),
        token: mine.token.clone(),
        body: mine.body.clone(),
    };
    let answer = put(
        &app,
        &stranger,
        &mine.token,
        "key-resubmit-0009",
        &mine.body,
    )
    .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.json()["code"], "application_not_found");
    stranger.status_token = mine.status_token.clone();
    let answer = put(
        &app,
        &stranger,
        "vt_made_up",
        "key-resubmit-0009",
        &mine.body,
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.json()["code"], "token_invalid");
    let answer = put(&app, &mine, &mine.token, "short", &mine.body).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.json()["code"], "idempotency_key_invalid");
}
