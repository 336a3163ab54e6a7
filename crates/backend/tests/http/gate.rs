//! The market-entry gate on submission: a passed attempt opens one application, for one verified number, while
//! the quiz has the questions it answered.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::common::{application, ready_again, ready_application, submit, TestApp};

const PHONE: &str = "13812345678";

fn field_codes(answer: &crate::common::Answer) -> Vec<(String, String)> {
    let body = answer.json();
    body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors in {body}"))
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().into(),
                e["code"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn attempt_refused(code: &str) -> Vec<(String, String)> {
    vec![("quiz.attempt_id".to_string(), code.to_string())]
}

/// The attempt's number and the application it opened.
fn binding(app: &TestApp, attempt: &str) -> (Option<String>, Option<String>) {
    app.db()
        .query_row(
            "SELECT phone, used_by FROM quiz_attempts WHERE id = ?1",
            [attempt],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

#[tokio::test]
async fn an_attempt_taken_before_the_phone_is_verified_opens_one_application() {
    let app = TestApp::new();
    // The quiz comes first: the attempt is nobody's yet.
    let attempt = app.passed_attempt().await;
    assert_eq!(binding(&app, &attempt), (None, None));
    let (token, mut body) = ready_application(&app, PHONE).await;
    body["quiz"]["attempt_id"] = json!(attempt);
    let answer = submit(&app, &token, "key-gate-0000001", &body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let reference = answer.json()["reference"].as_str().unwrap().to_string();
    assert_eq!(
        binding(&app, &attempt),
        (Some(PHONE.into()), Some(reference))
    );

    // A second application quoting it (the first one under review or not) is refused.
    let mut again = body.clone();
    let token = ready_again(&app, PHONE, &mut again).await;
    again["quiz"]["attempt_id"] = json!(attempt);
    again["account"]["username"] = json!("carbon_li2");
    let refused = submit(&app, &token, "key-gate-0000002", &again).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text()
    );
    assert!(
        field_codes(&refused).contains(&attempt_refused("quiz_attempt_used")[0]),
        "{}",
        refused.text()
    );
}

#[tokio::test]
async fn an_attempt_quoted_with_one_number_does_not_open_an_application_for_another() {
    let app = TestApp::new();
    let attempt = app.passed_attempt().await;
    // The first number's submission is refused for its password: the attempt is bound, not used.
    let (token, mut body) = ready_application(&app, PHONE).await;
    body["quiz"]["attempt_id"] = json!(attempt);
    let mut weak = body.clone();
    weak["account"]["password"] = json!("password123");
    let refused = submit(&app, &token, "key-gate-0000003", &weak).await;
    assert_eq!(
        field_codes(&refused),
        [(
            "account.password".to_string(),
            "password_common".to_string()
        )]
    );
    assert_eq!(binding(&app, &attempt), (Some(PHONE.into()), None));

    // Someone else's verified number quoting it is refused.
    let other = "13900001111";
    let (their_token, their_body) = ready_application(&app, other).await;
    let mut theirs: Value = their_body.clone();
    theirs["quiz"]["attempt_id"] = json!(attempt);
    let refused = submit(&app, &their_token, "key-gate-0000004", &theirs).await;
    assert_eq!(
        field_codes(&refused),
        attempt_refused("quiz_attempt_other_phone")
    );

    // The first number, with the password corrected, goes through.
    let answer = submit(&app, &token, "key-gate-0000005", &body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
}

#[tokio::test]
async fn an_attempt_at_other_questions_no_longer_opens_an_application() {
    let app = TestApp::new();
    let (token, body) = ready_application(&app, PHONE).await;
    // The exchange changed the questions (the quiz is now version test-1) since the attempt was scored.
    app.db()
        .execute("UPDATE quiz_attempts SET quiz_version = 'test-0'", [])
        .unwrap();
    let refused = submit(&app, &token, "key-gate-0000006", &body).await;
    assert_eq!(
        field_codes(&refused),
        attempt_refused("quiz_attempt_outdated")
    );
    // A new attempt at the current questions does.
    let mut body = body;
    body["quiz"]["attempt_id"] = json!(app.passed_attempt().await);
    let answer = submit(&app, &token, "key-gate-0000007", &body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
}

#[tokio::test]
async fn a_refused_quiz_mode_binds_no_attempt() {
    let app = TestApp::with(|c| {
        c.app_config =
            crate::common::write_app_config(c, |v| v["quiz"]["mode"] = json!("external"));
    });
    let attempt = app.passed_attempt().await;
    let token = app.verify_phone(PHONE).await;
    let front = app.upload_png(&token, "id_front").await;
    let back = app.upload_png(&token, "id_back").await;
    let asset = app.upload_png(&token, "asset_proof").await;
    let body = application(PHONE, &attempt, &front, &back, &asset);
    let refused = submit(&app, &token, "key-gate-0000008", &body).await;
    assert_eq!(
        field_codes(&refused),
        [("quiz.mode".to_string(), "quiz_mode_not_allowed".to_string())]
    );
    assert_eq!(binding(&app, &attempt), (None, None));
}
