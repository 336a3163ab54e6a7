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

#[tokio::test]
async fn checks_are_limited_per_client_address() {
    let app = TestApp::with(|c| c.username_checks_per_ip_per_hour = 3);
    // Names that break the rules count as well: each answer says something.
    for name in ["carbon_li", "9lives", "carbon_wang"] {
        let answer = app.get(&format!("/api/v1/usernames/{name}"), &[]).await;
        assert_ne!(answer.status, StatusCode::TOO_MANY_REQUESTS, "{name}");
    }
    let refused = app.get("/api/v1/usernames/carbon_zhao", &[]).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    let body = refused.json();
    assert_eq!(body["code"], "username_check_limit");
    assert!(body["retry_after_s"].as_u64().unwrap() > 3500);
    // Another client address has its own checks.
    let mut request = crate::common::get_request("/api/v1/usernames/carbon_zhao", &[]);
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            [198, 51, 100, 20],
            40000,
        ))));
    assert_eq!(app.send(request).await.status, StatusCode::OK);
}
