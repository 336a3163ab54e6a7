//! The status of an application: what it says, who may read it, and how its tokens are kept.

use axum::http::StatusCode;
use serde_json::json;

use crate::common::{dev_status, outbox, someone_else, status, submitted, submitted_with, TestApp};

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
