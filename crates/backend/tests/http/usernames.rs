//! Username availability.

use axum::http::StatusCode;

use crate::common::{ready_application, submit, TestApp};

#[tokio::test]
async fn a_free_name_is_available() {
    let app = TestApp::new();
    let answer = app.get("/api/v1/usernames/carbon_li", &[]).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.json(),
        serde_json::json!({"username": "carbon_li", "available": true})
    );
}

#[tokio::test]
async fn a_name_that_breaks_the_rules_gets_400_with_the_rule_code() {
    let app = TestApp::new();
    let answer = app.get("/api/v1/usernames/9lives", &[]).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let body = answer.json();
    assert_eq!(body["field"], "username");
    assert!(
        body["code"].as_str().unwrap().starts_with("username_"),
        "{body}"
    );
}

#[tokio::test]
async fn reserved_names_are_not_available() {
    let app = TestApp::new();
    for name in ["admin", "Root", "hbets"] {
        let answer = app.get(&format!("/api/v1/usernames/{name}"), &[]).await;
        assert_eq!(answer.status, StatusCode::OK, "{name}");
        assert_eq!(answer.json()["available"], false, "{name}");
    }
}

#[tokio::test]
async fn a_name_used_by_an_application_is_taken_whatever_its_case() {
    let app = TestApp::new();
    let (token, body) = ready_application(&app, "13812345678").await;
    let answer = submit(&app, &token, "key-username-0001", &body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    for name in ["carbon_li", "Carbon_Li"] {
        let answer = app.get(&format!("/api/v1/usernames/{name}"), &[]).await;
        assert_eq!(answer.json()["available"], false, "{name}");
    }
}
