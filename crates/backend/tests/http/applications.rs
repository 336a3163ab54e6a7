//! Submitting applications and reading their status.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::common::{
    application, dev_status, png, post_json_request, ready_again, ready_application, submit,
    submitted, write_app_config, TestApp,
};

const PHONE: &str = "13812345678";

fn count(app: &TestApp) -> i64 {
    app.db()
        .query_row("SELECT COUNT(*) FROM applications", [], |r| r.get(0))
        .unwrap()
}

fn field_codes(body: &Value) -> Vec<(String, String)> {
    body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors in {body}"))
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_string(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_valid_application_is_stored_with_a_hashed_password() {
    let app = TestApp::new();
    let (token, body) = ready_application(&app, PHONE).await;
    let answer = submit(&app, &token, "key-happy-path-01", &body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let created = answer.json();
    let reference = created["reference"].as_str().unwrap();
    assert!(reference.starts_with("HB20"), "{reference}");
    assert_eq!(reference.len(), 16);
    assert!(created["status_token"].as_str().unwrap().starts_with("st_"));
    assert_eq!(answer.header("idempotent-replayed"), None);

    let (hash, document, status, agreements): (String, String, String, String) = app
        .db()
        .query_row(
            "SELECT password_hash, document_number, status, agreements_json FROM applications WHERE reference = ?1",
            [reference],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains("green ledger"));
    assert_eq!(document, "11010519491231002X");
    assert_eq!(status, "submitted");
    assert!(agreements.contains("risk_disclosure") && agreements.contains("sample-2026-1"));

    // The dev view shows what was stored, without the hash.
    let record = app
        .get(&format!("/api/v1/dev/applications/{reference}"), &[])
        .await;
    assert_eq!(record.status, StatusCode::OK);
    let record = record.json();
    assert_eq!(record["phone"], PHONE);
    assert_eq!(record["username"], "carbon_li");
    assert_eq!(record["quiz_score"], 100);
    assert_eq!(record["agreements"].as_array().unwrap().len(), 3);
    assert!(!record.to_string().contains("argon2"));
    assert!(record.get("password_hash").is_none());
}

#[tokio::test]
async fn a_retry_with_the_same_key_gives_the_same_answer_and_one_row() {
    let app = TestApp::new();
    let (token, body) = ready_application(&app, PHONE).await;
    let first = submit(&app, &token, "key-retry-000001", &body).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let second = submit(&app, &token, "key-retry-000001", &body).await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.text());
    // The same application; its status token is a new one (tokens are kept only as hashes), and both read it.
    let (first, second_body) = (first.json(), second.json());
    assert_eq!(second_body["reference"], first["reference"]);
    assert_eq!(second.header("idempotent-replayed"), Some("true"));
    assert_eq!(count(&app), 1);
    for created in [&first, &second_body] {
        let token = created["status_token"].as_str().unwrap();
        let path = format!(
            "/api/v1/applications/{}",
            created["reference"].as_str().unwrap()
        );
        let status = app.get(&path, &[("x-status-token", token)]).await;
        assert_eq!(status.status, StatusCode::OK, "{}", status.text());
    }

    // The same key with another body is a conflict.
    let mut other = body.clone();
    other["account"]["email"] = json!("other@163.com");
    let third = submit(&app, &token, "key-retry-000001", &other).await;
    assert_eq!(third.status, StatusCode::CONFLICT);
    assert_eq!(third.json()["code"], "idempotency_key_reused");
    let mut other = body.clone();
    other["account"]["password"] = json!("another long passphrase");
    let fourth = submit(&app, &token, "key-retry-000001", &other).await;
    assert_eq!(fourth.json()["code"], "idempotency_key_reused");
    assert_eq!(count(&app), 1);
}

#[tokio::test]
async fn a_second_application_for_the_same_document_is_a_conflict() {
    let app = TestApp::new();
    let (token, body) = ready_application(&app, PHONE).await;
    assert_eq!(
        submit(&app, &token, "key-duplicate-01", &body).await.status,
        StatusCode::CREATED
    );
    let mut again = body.clone();
    again["account"]["username"] = json!("carbon_li2");
    let token = ready_again(&app, PHONE, &mut again).await;
    let answer = submit(&app, &token, "key-duplicate-02", &again).await;
    assert_eq!(answer.status, StatusCode::CONFLICT, "{}", answer.text());
    let error = answer.json();
    assert_eq!(error["code"], "duplicate_application");
    assert_eq!(error["field"], "identity.document_number");
    assert_eq!(count(&app), 1);
}

#[tokio::test]
async fn a_second_application_is_refused_in_every_status_under_review() {
    let app = TestApp::new();
    let first = submitted(&app, PHONE).await;
    let mut again = first.body.clone();
    again["account"]["username"] = json!("carbon_li2");
    again["quiz"]["attempt_id"] = json!(app.passed_attempt().await);
    let mut key = 0;
    let mut second = || {
        key += 1;
        let (app, token, again) = (&app, &first.token, &again);
        async move { submit(app, token, &format!("key-second-{key:04}"), again).await }
    };
    assert_eq!(second().await.json()["code"], "duplicate_application");
    let moved = dev_status(
        &app,
        &first.reference,
        json!({"status": "receipt_received"}),
    )
    .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text());
    assert_eq!(second().await.json()["code"], "duplicate_application");
    dev_status(&app, &first.reference, json!({"status": "fee_received"})).await;
    assert_eq!(second().await.json()["code"], "duplicate_application");
    // Once it is returned, a new application for the document may be made.
    dev_status(
        &app,
        &first.reference,
        json!({"status": "returned", "reason": "重新申请"}),
    )
    .await;
    assert_eq!(second().await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn the_idempotency_key_is_required() {
    let app = TestApp::new();
    let (token, body) = ready_application(&app, PHONE).await;
    let answer = app
        .post_json(
            "/api/v1/applications",
            &body,
            &[("authorization", &format!("Bearer {token}"))],
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.json()["code"], "idempotency_key_missing");

    let answer = submit(&app, &token, "short", &body).await;
    assert_eq!(answer.json()["code"], "idempotency_key_invalid");

    let answer = app
        .post_json(
            "/api/v1/applications",
            &body,
            &[("idempotency-key", "key-no-token-01")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.json()["code"], "token_missing");
}

#[tokio::test]
async fn field_errors_name_the_request_fields() {
    let app = TestApp::new();
    let (token, mut body) = ready_application(&app, PHONE).await;
    body["identity"]["document_number"] = json!("110105194912310021");
    body["account"]["password"] = json!("password123");
    body["account"]["email"] = json!("li.tan.qq.com");
    body["attachments"]["asset_proofs"] = json!([]);
    body["agreements"].as_array_mut().unwrap().pop();
    body["locale"] = json!("fr");
    let answer = submit(&app, &token, "key-fields-00001", &body).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = answer.json();
    assert_eq!(error["code"], "validation_failed");
    let fields = field_codes(&error);
    let expected = [
        ("identity.document_number", "id_number_checksum"),
        ("account.password", "password_common"),
        ("account.email", "email_missing_at"),
        ("attachments.asset_proofs", "attachment_missing"),
        ("agreements.risk_disclosure", "agreement_missing"),
        ("locale", "locale_unsupported"),
    ];
    for (field, code) in expected {
        assert!(
            fields.iter().any(|(f, c)| f == field && c == code),
            "{field} {code} not in {fields:?}"
        );
    }
    // In the order of the pages.
    let order: Vec<&str> = fields.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(order.first(), Some(&"identity.document_number"));
    assert_eq!(order.last(), Some(&"locale"));
    assert_eq!(count(&app), 0);
}

#[tokio::test]
async fn json_type_errors_name_the_field_too() {
    let app = TestApp::new();
    let (token, mut body) = ready_application(&app, PHONE).await;
    body["identity"]["document_type"] = json!("passport");
    let answer = submit(&app, &token, "key-shape-000001", &body).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let error = answer.json();
    assert_eq!(error["code"], "invalid_body");
    assert_eq!(error["field"], "identity.document_type");
}

#[tokio::test]
async fn the_phone_must_be_the_verified_one() {
    let app = TestApp::new();
    let (token, mut body) = ready_application(&app, PHONE).await;
    body["identity"]["phone"] = json!("13900001111");
    let answer = submit(&app, &token, "key-phone-000001", &body).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&answer.json()),
        [(
            "identity.phone".to_string(),
            "phone_not_verified".to_string()
        )]
    );
}

#[tokio::test]
async fn uploads_must_exist_belong_to_the_number_and_have_the_right_kind() {
    let app = TestApp::new();
    let (token, mut body) = ready_application(&app, PHONE).await;
    let other = app.verify_phone("13900001111").await;
    let someone_elses = app.upload_png(&other, "asset_proof").await;
    let front = body["attachments"]["id_front"].clone();
    body["attachments"]["id_back"] = json!("up_does_not_exist");
    body["attachments"]["asset_proofs"] = json!([front, someone_elses]);
    body["attachments"]["id_front"] = json!(app.upload_png(&token, "id_back").await);
    let answer = submit(&app, &token, "key-uploads-0001", &body).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = field_codes(&answer.json());
    assert_eq!(
        fields,
        [
            (
                "attachments.id_front".to_string(),
                "upload_wrong_kind".to_string()
            ),
            (
                "attachments.id_back".to_string(),
                "upload_not_found".to_string()
            ),
            (
                "attachments.asset_proofs.0".to_string(),
                "upload_wrong_kind".to_string()
            ),
            (
                "attachments.asset_proofs.1".to_string(),
                "upload_not_found".to_string()
            ),
        ]
    );
}

#[tokio::test]
async fn the_quiz_attempt_must_exist_and_have_passed() {
    let app = TestApp::new();
    let (token, mut body) = ready_application(&app, PHONE).await;
    let failed = app
        .post_json(
            "/api/v1/quiz/attempts",
            &json!({"answers": {"q1": ["a"]}}),
            &[],
        )
        .await
        .json();
    body["quiz"]["attempt_id"] = failed["attempt_id"].clone();
    let answer = submit(&app, &token, "key-quiz-0000001", &body).await;
    assert_eq!(
        field_codes(&answer.json()),
        [("quiz.attempt_id".to_string(), "quiz_not_passed".to_string())]
    );

    body["quiz"]["attempt_id"] = json!("qa_unknown");
    let answer = submit(&app, &token, "key-quiz-0000002", &body).await;
    assert_eq!(
        field_codes(&answer.json()),
        [(
            "quiz.attempt_id".to_string(),
            "quiz_attempt_not_found".to_string()
        )]
    );
}

#[tokio::test]
async fn a_self_declared_score_is_recorded() {
    let app = TestApp::new();
    let (token, mut body) = ready_application(&app, PHONE).await;
    body["quiz"] = json!({"mode": "self_declared", "declared_score": 55});
    let answer = submit(&app, &token, "key-declared-001", &body).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&answer.json()),
        [(
            "quiz.declared_score".to_string(),
            "quiz_not_passed".to_string()
        )]
    );

    body["quiz"] = json!({"mode": "self_declared", "declared_score": 85});
    let answer = submit(&app, &token, "key-declared-002", &body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let reference = answer.json()["reference"].as_str().unwrap().to_string();
    let record = app
        .get(&format!("/api/v1/dev/applications/{reference}"), &[])
        .await
        .json();
    assert_eq!(record["quiz_mode"], "self_declared");
    assert_eq!(record["quiz_score"], 85);
}

#[tokio::test]
async fn the_pass_mark_and_the_quiz_mode_are_the_app_configs() {
    let app = TestApp::with(|c| {
        c.app_config = write_app_config(c, |v| {
            v["quiz"]["mode"] = json!("external");
            v["quiz"]["pass_mark"] = json!(70);
        })
    });
    let (token, mut body) = ready_application(&app, PHONE).await;
    let built_in = body.clone();
    body["quiz"] = json!({"mode": "self_declared", "declared_score": 65});
    let answer = submit(&app, &token, "key-passmark-001", &body).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&answer.json()),
        [(
            "quiz.declared_score".to_string(),
            "quiz_not_passed".to_string()
        )]
    );

    // The configured gate is the external questionnaire: a built-in attempt is not what the exchange asks for.
    let answer = submit(&app, &token, "key-passmark-002", &built_in).await;
    assert_eq!(
        field_codes(&answer.json()),
        [("quiz.mode".to_string(), "quiz_mode_not_allowed".to_string())]
    );

    body["quiz"] = json!({"mode": "self_declared", "declared_score": 70});
    let answer = submit(&app, &token, "key-passmark-003", &body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
}

#[tokio::test]
async fn the_status_follows_the_review() {
    let app = TestApp::new();
    let (token, body) = ready_application(&app, PHONE).await;
    let created = submit(&app, &token, "key-status-00001", &body).await.json();
    let reference = created["reference"].as_str().unwrap();
    let status_token = created["status_token"].as_str().unwrap();
    let path = format!("/api/v1/applications/{reference}");

    let answer = app.get(&path, &[("x-status-token", status_token)]).await;
    assert_eq!(answer.status, StatusCode::OK);
    let status = answer.json();
    assert_eq!(status["status"], "submitted");
    assert_eq!(status["submitted_at"], status["updated_at"]);
    assert!(status.get("account_number").is_none());

    let missing = app.get(&path, &[]).await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(missing.json()["code"], "status_token_missing");
    let wrong = app.get(&path, &[("x-status-token", "st_wrong")]).await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert_eq!(wrong.json()["code"], "application_not_found");
    let unknown = app
        .get(
            "/api/v1/applications/HB20000101AAAAAA",
            &[("x-status-token", status_token)],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let set = |body: Value| {
        let app = &app;
        let path = format!("/api/v1/dev/applications/{reference}/status");
        async move { app.post_json(&path, &body, &[]).await }
    };
    let refused = set(json!({"status": "approved"})).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&refused.json()),
        [(
            "account_number".to_string(),
            "account_number_missing".to_string()
        )]
    );

    let returned =
        set(json!({"status": "returned", "reason": "资产证明看不清", "step": "attachments"})).await;
    assert_eq!(returned.status, StatusCode::OK, "{}", returned.text());
    let status = app
        .get(&path, &[("x-status-token", status_token)])
        .await
        .json();
    assert_eq!(status["status"], "returned");
    assert_eq!(status["returned_reason"], "资产证明看不清");
    assert_eq!(status["returned_step"], "attachments");

    // A returned application is approved only once it was sent again and its fee was seen.
    for next in ["submitted", "fee_received"] {
        let moved = set(json!({"status": next})).await;
        assert_eq!(moved.status, StatusCode::OK, "{next}: {}", moved.text());
    }
    let approved = set(json!({"status": "approved", "account_number": "880012345"})).await;
    assert_eq!(approved.status, StatusCode::OK);
    let status = app
        .get(&path, &[("x-status-token", status_token)])
        .await
        .json();
    assert_eq!(status["status"], "approved");
    assert_eq!(status["account_number"], "880012345");
    assert!(status.get("returned_reason").is_none());
}

#[tokio::test]
async fn ten_applications_per_hour_per_client_address() {
    let app = TestApp::new();
    let (token, body) = ready_application(&app, PHONE).await;
    assert_eq!(
        submit(&app, &token, "key-rate-0000000", &body).await.status,
        StatusCode::CREATED
    );
    // Nine more rows from the same address within the hour.
    let conn = app.db();
    for i in 1..10 {
        conn.execute(
            "INSERT INTO applications (reference, status, quiz_mode, name, document_type,
                document_number, phone, username, password_hash, email, id_front, id_back,
                asset_proofs_json, agreements_json, consent_json, locale, client_ip, idempotency_key,
                request_fingerprint, submitted_at, updated_at)
             SELECT reference || ?1, 'returned', quiz_mode, name, document_type,
                document_number, phone, username || ?1, password_hash, email, id_front, id_back,
                asset_proofs_json, agreements_json, consent_json, locale, client_ip, idempotency_key || ?1,
                request_fingerprint, submitted_at, updated_at FROM applications WHERE idempotency_key = 'key-rate-0000000'",
            [i.to_string()],
        )
        .unwrap();
    }
    let mut again = body.clone();
    again["account"]["username"] = json!("carbon_other");
    let token = ready_again(&app, PHONE, &mut again).await;
    let answer = submit(&app, &token, "key-rate-0000011", &again).await;
    assert_eq!(
        answer.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        answer.text()
    );
    assert_eq!(answer.json()["code"], "submission_rate_limit");
    assert!(answer.header("retry-after").is_some());
}

/// Sets the version of agreement `id` in an app configuration or an application body.
fn set_agreement_version(value: &mut Value, id: &str, version: &str) {
    for agreement in value["agreements"].as_array_mut().unwrap() {
        if agreement["id"] == id {
            agreement["version"] = json!(version);
        }
    }
}

#[tokio::test]
async fn agreements_and_consent_must_have_the_configured_versions() {
    let app = TestApp::with(|c| {
        c.app_config = write_app_config(c, |v| {
            set_agreement_version(v, "market_entry", "2026-2");
            v["sensitive_data_consent"]["version"] = json!("2026-2");
        })
    });
    // The body accepts every text in version sample-2026-1.
    let (token, mut body) = ready_application(&app, PHONE).await;
    let answer = submit(&app, &token, "key-versions-0001", &body).await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.text()
    );
    let refused = answer.json();
    assert_eq!(refused["code"], "validation_failed");
    assert_eq!(
        field_codes(&refused),
        [
            (
                "agreements.market_entry".to_string(),
                "agreement_version_outdated".to_string()
            ),
            (
                "sensitive_data_consent".to_string(),
                "consent_version_outdated".to_string()
            ),
        ]
    );
    assert_eq!(count(&app), 0);

    // A rule's own error on the field comes alone.
    let mut missing = body.clone();
    set_agreement_version(&mut missing, "market_entry", " ");
    let answer = submit(&app, &token, "key-versions-0001", &missing).await;
    let codes = field_codes(&answer.json());
    assert!(
        codes.contains(&(
            "agreements.market_entry".into(),
            "agreement_version_missing".into()
        )),
        "{codes:?}"
    );
    assert!(
        !codes
            .iter()
            .any(|(_, code)| code == "agreement_version_outdated"),
        "{codes:?}"
    );

    // The current versions pass (the refused key is not bound).
    set_agreement_version(&mut body, "market_entry", "2026-2");
    body["sensitive_data_consent"]["version"] = json!("2026-2");
    let answer = submit(&app, &token, "key-versions-0001", &body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    assert_eq!(count(&app), 1);
}

#[tokio::test]
async fn the_shipped_app_config_accepts_the_versions_the_app_sends() {
    let app = TestApp::with(|c| c.app_config = write_app_config(c, |_| {}));
    let (token, body) = ready_application(&app, PHONE).await;
    let answer = submit(&app, &token, "key-versions-0002", &body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
}

#[tokio::test]
async fn a_configured_hourly_limit_is_honoured() {
    let app = TestApp::with(|c| c.applications_per_ip_per_hour = 1);
    let (token, body) = ready_application(&app, PHONE).await;
    let answer = submit(&app, &token, "key-limit-000001", &body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let mut again = body.clone();
    again["account"]["username"] = json!("carbon_other");
    let token = ready_again(&app, PHONE, &mut again).await;
    let answer = submit(&app, &token, "key-limit-000002", &again).await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    let refused = answer.json();
    assert_eq!(refused["code"], "submission_rate_limit");
    assert!(
        refused["message"].as_str().unwrap().contains("at most 1 "),
        "{refused}"
    );
}

#[tokio::test]
async fn the_submission_spends_its_verification_token() {
    let app = TestApp::new();
    let (token, body) = ready_application(&app, PHONE).await;
    let bearer = format!("Bearer {token}");
    let front = body["attachments"]["id_front"]
        .as_str()
        .unwrap()
        .to_string();
    let created = submit(&app, &token, "key-spent-000001", &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let spent: Option<String> = app
        .db()
        .query_row("SELECT spent_on FROM verification_tokens", [], |r| r.get(0))
        .unwrap();
    assert_eq!(spent.as_deref(), created.json()["reference"].as_str());

    // Nothing more is done with it: no upload, no thumbnail, no other application.
    let upload = app
        .upload(&token, "asset_proof", "more.png", &png(640, 480))
        .await;
    assert_eq!(upload.status, StatusCode::UNAUTHORIZED);
    assert_eq!(upload.json()["code"], "token_used");
    let thumbnail = app
        .get(
            &format!("/api/v1/uploads/{front}/thumbnail"),
            &[("authorization", &bearer)],
        )
        .await;
    assert_eq!(thumbnail.json()["code"], "token_used");
    let mut other = body.clone();
    other["account"]["username"] = json!("carbon_other");
    let another = submit(&app, &token, "key-spent-000002", &other).await;
    assert_eq!(another.status, StatusCode::UNAUTHORIZED);
    assert_eq!(another.json()["code"], "token_used");

    // But the retry of the submission itself (its answer lost on the way) gets the answer again.
    let retried = submit(&app, &token, "key-spent-000001", &body).await;
    assert_eq!(retried.status, StatusCode::CREATED, "{}", retried.text());
    assert_eq!(retried.header("idempotent-replayed"), Some("true"));
    // The same application; its status token is a new one (tokens are kept only as hashes).
    assert_eq!(retried.json()["reference"], created.json()["reference"]);
}

#[tokio::test]
async fn replays_are_limited_per_client_address() {
    let app = TestApp::with(|c| c.submission_replays_per_ip_per_hour = 2);
    let (token, body) = ready_application(&app, PHONE).await;
    assert_eq!(
        submit(&app, &token, "key-replay-00001", &body).await.status,
        StatusCode::CREATED
    );
    for _ in 0..2 {
        let replayed = submit(&app, &token, "key-replay-00001", &body).await;
        assert_eq!(replayed.header("idempotent-replayed"), Some("true"));
    }
    let refused = submit(&app, &token, "key-replay-00001", &body).await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.text()
    );
    assert_eq!(refused.json()["code"], "submission_replay_limit");
    assert!(refused.header("retry-after").is_some());
    // A replay with another body is counted too, before its password is compared.
    let mut other = body.clone();
    other["account"]["password"] = json!("a different long passphrase");
    let refused = submit(&app, &token, "key-replay-00001", &other).await;
    assert_eq!(refused.json()["code"], "submission_replay_limit");
}

#[tokio::test]
async fn passwords_are_hashed_and_compared_a_few_at_a_time() {
    let app = TestApp::with(|c| c.argon2_concurrency = 1);
    let (token, body) = ready_application(&app, PHONE).await;
    let bearer = format!("Bearer {token}");
    let request = |key: &str| {
        post_json_request(
            "/api/v1/applications",
            &body,
            &[("authorization", &bearer), ("idempotency-key", key)],
        )
    };
    let turn = app
        .state
        .argon2()
        .turns()
        .clone()
        .try_acquire_owned()
        .unwrap();
    let waiting = app.spawn_send(request("key-argon2-00001"));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        !waiting.is_finished(),
        "the new application waits for a turn to hash"
    );
    drop(turn);
    assert_eq!(waiting.await.unwrap().status, StatusCode::CREATED);

    // The comparison of a replay waits the same way.
    let turn = app
        .state
        .argon2()
        .turns()
        .clone()
        .try_acquire_owned()
        .unwrap();
    let waiting = app.spawn_send(request("key-argon2-00001"));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        !waiting.is_finished(),
        "the replay waits for a turn to compare"
    );
    drop(turn);
    let replayed = waiting.await.unwrap();
    assert_eq!(replayed.header("idempotent-replayed"), Some("true"));
}

#[tokio::test]
async fn refused_duplicates_count_toward_the_submission_limit() {
    let app = TestApp::with(|c| c.applications_per_ip_per_hour = 3);
    let (token, body) = ready_application(&app, PHONE).await;
    assert_eq!(
        submit(&app, &token, "key-probe-000001", &body).await.status,
        StatusCode::CREATED
    );
    // Someone probing whether document numbers have an application: every refusal counts.
    let mut probe = body.clone();
    probe["account"]["username"] = json!("carbon_probe");
    let token = ready_again(&app, PHONE, &mut probe).await;
    for key in ["key-probe-000002", "key-probe-000003"] {
        let refused = submit(&app, &token, key, &probe).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());
        assert_eq!(refused.json()["code"], "duplicate_application");
    }
    let limited = submit(&app, &token, "key-probe-000004", &probe).await;
    assert_eq!(
        limited.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        limited.text()
    );
    assert_eq!(limited.json()["code"], "submission_rate_limit");
}

#[tokio::test]
async fn the_attachments_of_an_application_have_a_byte_limit() {
    let app = TestApp::with(|c| c.upload_mib_per_application = 1);
    let token = app.verify_phone(PHONE).await;
    // Two ID card sides of about 300 KB and a proof of 560 KB: more than 1 MiB together.
    let mut ids = Vec::new();
    for (kind, (width, height)) in [
        ("id_front", (640, 480)),
        ("id_back", (640, 480)),
        ("asset_proof", (800, 700)),
    ] {
        let answer = app
            .upload(&token, kind, "scan.png", &png(width, height))
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
        ids.push(answer.json()["upload_id"].as_str().unwrap().to_string());
    }
    let attempt = app.passed_attempt().await;
    let body = application(PHONE, &attempt, &ids[0], &ids[1], &ids[2]);
    let refused = submit(&app, &token, "key-bytes-000001", &body).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text()
    );
    assert_eq!(
        field_codes(&refused.json()),
        [(
            "attachments.asset_proofs".to_string(),
            "attachments_too_large".to_string()
        )]
    );
    // A proof of 190 KB fits.
    let small = app
        .upload(&token, "asset_proof", "small.png", &png(640, 300))
        .await;
    let small = small.json()["upload_id"].as_str().unwrap().to_string();
    let body = application(PHONE, &attempt, &ids[0], &ids[1], &small);
    let answer = submit(&app, &token, "key-bytes-000002", &body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
}
