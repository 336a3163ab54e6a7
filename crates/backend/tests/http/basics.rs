//! Health, JSON errors for malformed bodies and unknown routes, body limits, headers.

use axum::http::StatusCode;
use serde_json::json;

use crate::common::TestApp;

#[tokio::test]
async fn health_answers_ok() {
    let app = TestApp::new();
    let answer = app.get("/api/v1/health", &[]).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json()["status"], "ok");
    assert_eq!(answer.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn malformed_json_says_what_is_wrong() {
    let app = TestApp::new();
    let answer = app
        .post_raw(
            "/api/v1/sms-codes",
            "application/json",
            br#"{"phone": "13812345678""#.to_vec(),
            &[],
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let body = answer.json();
    assert_eq!(body["code"], "malformed_json");
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("line 1 column"), "{message}");
}

#[tokio::test]
async fn json_of_the_wrong_shape_names_the_field() {
    let app = TestApp::new();
    let answer = app
        .post_json(
            "/api/v1/sms-codes/verify",
            &json!({"phone": "13812345678"}),
            &[],
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let body = answer.json();
    assert_eq!(body["code"], "invalid_body");
    assert_eq!(body["field"], "code");
    assert!(body["message"].as_str().unwrap().contains("missing field"));

    let answer = app
        .post_json("/api/v1/sms-codes", &json!({"phone": 13812345678u64}), &[])
        .await;
    assert_eq!(answer.json()["field"], "phone");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_refused_with_415() {
    let app = TestApp::new();
    let answer = app
        .post_raw("/api/v1/sms-codes", "text/plain", b"phone=1".to_vec(), &[])
        .await;
    assert_eq!(answer.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(answer.json()["code"], "unsupported_media_type");
}

#[tokio::test]
async fn json_bodies_over_64_kib_get_413_with_the_limit() {
    let app = TestApp::new();
    let big = json!({"phone": "1".repeat(70 * 1024)});
    let answer = app.post_json("/api/v1/sms-codes", &big, &[]).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    let body = answer.json();
    assert_eq!(body["code"], "payload_too_large");
    assert_eq!(body["limit_bytes"], 65536);
}

#[tokio::test]
async fn unknown_api_paths_get_json_404() {
    let app = TestApp::new();
    for path in ["/api/v1/nothing", "/api/v2/health", "/api"] {
        let answer = app.get(path, &[("accept", "text/html")]).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(answer.json()["code"], "not_found", "{path}");
    }
}

#[tokio::test]
async fn wrong_methods_get_json_405() {
    let app = TestApp::new();
    let answer = app.get("/api/v1/sms-codes", &[]).await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(answer.json()["code"], "method_not_allowed");
    assert_eq!(answer.header("allow"), Some("POST"));

    let answer = app.post_json("/api/v1/health", &json!({}), &[]).await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(answer.json()["code"], "method_not_allowed");
}

#[tokio::test]
async fn api_answers_carry_the_security_headers() {
    let app = TestApp::new();
    let answer = app.get("/api/v1/health", &[]).await;
    let csp = answer.header("content-security-policy").unwrap();
    assert!(csp.contains("frame-ancestors 'self'"), "{csp}");
    assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(
        answer.header("referrer-policy"),
        Some("strict-origin-when-cross-origin")
    );
    assert_eq!(
        answer.header("permissions-policy"),
        Some("camera=(self), geolocation=(), microphone=()")
    );
    assert_eq!(
        answer.header("cross-origin-opener-policy"),
        Some("same-origin")
    );
}

#[tokio::test]
async fn dev_endpoints_do_not_exist_outside_dev_mode() {
    let app = TestApp::with(|c| c.dev = false);
    let dev_routes: Vec<_> = backend::routes()
        .into_iter()
        .filter(|r| r.dev_only)
        .collect();
    assert!(dev_routes.len() >= 4);
    for route in dev_routes {
        // Every path parameter filled with a sample value.
        let path = route
            .path
            .split('/')
            .map(|part| {
                if part.starts_with('{') {
                    "HB20260101AAAAAA"
                } else {
                    part
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        let uri = format!("/api/v1{path}");
        let answer = if route.method == axum::http::Method::GET {
            app.get(&uri, &[]).await
        } else {
            app.post_json(&uri, &json!({}), &[]).await
        };
        assert_eq!(
            answer.status,
            StatusCode::NOT_FOUND,
            "{} {uri}",
            route.method
        );
        assert_eq!(answer.json()["code"], "not_found", "{} {uri}", route.method);
    }
}

#[test]
fn a_key_that_does_not_fit_the_quiz_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let (quiz, mut key) = crate::common::sample_quiz();
    key["answers"]["q1"] = json!(["z"]);
    std::fs::write(dir.path().join("quiz.json"), quiz.to_string()).unwrap();
    std::fs::write(dir.path().join("key.json"), key.to_string()).unwrap();
    let config = backend::Config {
        data_dir: dir.path().join("data"),
        quiz: dir.path().join("quiz.json"),
        quiz_key: dir.path().join("key.json"),
        ..backend::Config::default()
    };
    let err = backend::AppState::new(config).err().unwrap();
    assert!(err.contains("answer key"), "{err}");
}

#[test]
fn a_csp_flag_with_a_separator_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let config = backend::Config {
        data_dir: dir.path().join("data"),
        frame_ancestors: "'self'; script-src *".into(),
        ..backend::Config::default()
    };
    let err = backend::AppState::new(config).err().unwrap();
    assert!(err.contains("frame-ancestors"), "{err}");
}

#[test]
fn an_app_config_that_is_not_valid_stops_the_start() {
    for text in ["{}", "not json"] {
        let dir = tempfile::tempdir().unwrap();
        let (quiz, key) = crate::common::sample_quiz();
        std::fs::write(dir.path().join("quiz.json"), quiz.to_string()).unwrap();
        std::fs::write(dir.path().join("key.json"), key.to_string()).unwrap();
        std::fs::write(dir.path().join("config.json"), text).unwrap();
        let config = backend::Config {
            data_dir: dir.path().join("data"),
            quiz: dir.path().join("quiz.json"),
            quiz_key: dir.path().join("key.json"),
            app_config: dir.path().join("config.json"),
            ..backend::Config::default()
        };
        let err = backend::AppState::new(config).err().unwrap();
        assert!(err.contains("--app-config"), "{err}");
    }
}

#[test]
fn an_app_config_without_an_agreement_stops_the_start() {
    let app = crate::common::TestApp::new();
    let mut config = app.state.config().clone();
    config.app_config = crate::common::write_app_config(&config, |v| {
        v["agreements"].as_array_mut().unwrap().pop();
    });
    config.data_dir = app.dir.path().join("data-2");
    let err = backend::AppState::new(config).err().unwrap();
    assert!(
        err.contains("--app-config") && err.contains("config_agreements"),
        "{err}"
    );
}

#[test]
fn a_missing_app_config_is_no_reason_not_to_start() {
    let app = crate::common::TestApp::new();
    assert!(!app.state.config().app_config.exists());
    assert!(app.state.rules().versions.is_none());
}
