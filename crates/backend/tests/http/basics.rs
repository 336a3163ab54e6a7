//! Health, JSON errors for malformed bodies and unknown routes, body limits, headers.

use axum::http::StatusCode;
use serde_json::json;

use crate::common::{post_json_request, ready_application, submit, TestApp};

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
        dev: true,
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
fn in_development_mode_a_missing_app_config_is_no_reason_not_to_start() {
    let app = crate::common::TestApp::new();
    assert!(app.state.config().dev);
    assert!(!app.state.config().app_config.exists());
    assert!(app.state.rules().versions.is_none());
}

#[test]
fn outside_development_mode_a_missing_app_config_stops_the_start() {
    let app = crate::common::TestApp::new();
    let mut config = app.state.config().clone();
    config.dev = false;
    config.data_dir = app.dir.path().join("data-2");
    let err = backend::AppState::new(config).err().unwrap();
    assert!(
        err.contains("--app-config") && err.contains("missing"),
        "{err}"
    );
}

#[test]
fn development_mode_listens_on_the_machine_itself_only() {
    let app = crate::common::TestApp::new();
    for (addr, allowed) in [
        ("0.0.0.0:8080", false),
        ("192.0.2.10:8080", false),
        ("[::]:8080", false),
        ("127.0.0.1:8080", true),
        ("[::1]:8080", true),
    ] {
        let mut config = app.state.config().clone();
        config.addr = addr.parse().unwrap();
        config.data_dir = app.dir.path().join(format!("data-{}", addr.len()));
        match backend::AppState::new(config) {
            Ok(_) => assert!(allowed, "{addr} was accepted"),
            Err(err) => {
                assert!(!allowed, "{addr}: {err}");
                assert!(err.contains("--dev") && err.contains("loopback"), "{err}");
            }
        }
    }
    // Without --dev any address will do.
    let mut config = app.state.config().clone();
    config.dev = false;
    config.addr = "0.0.0.0:8080".parse().unwrap();
    config.app_config = crate::common::write_app_config(&config, |_| {});
    config.data_dir = app.dir.path().join("data-production");
    assert!(backend::AppState::new(config).is_ok());
}

#[tokio::test]
async fn hsts_is_sent_when_the_app_is_reached_over_https() {
    let plain = TestApp::new();
    assert_eq!(
        plain
            .get("/api/v1/health", &[])
            .await
            .header("strict-transport-security"),
        None
    );
    let app = TestApp::with(|c| c.hsts = true);
    for path in ["/api/v1/health", "/", "/api/v1/nothing"] {
        let answer = app.get(path, &[("accept", "text/html")]).await;
        assert_eq!(
            answer.header("strict-transport-security"),
            Some("max-age=31536000"),
            "{path}"
        );
    }
}

/// Takes every Argon2id turn: a submission then waits (until the turns are given back).
fn hold_argon2(app: &TestApp) -> tokio::sync::OwnedSemaphorePermit {
    let turns = app.state.argon2().turns().clone();
    let all = turns.available_permits() as u32;
    turns.try_acquire_many_owned(all).unwrap()
}

#[tokio::test]
async fn a_request_over_the_timeout_gets_503_request_timeout() {
    let app = TestApp::with(|c| c.request_timeout_s = 1);
    let (token, body) = ready_application(&app, "13812345678").await;
    let held = hold_argon2(&app);
    let started = std::time::Instant::now();
    let answer = submit(&app, &token, "key-timeout-0001", &body).await;
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(
        answer.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        answer.text()
    );
    assert_eq!(answer.json()["code"], "request_timeout");
    assert!(answer.header("retry-after").is_some());
    drop(held);
    // Nothing was stored: the key is not bound, a retry with it is a new submission.
    let stored: i64 = app
        .db()
        .query_row("SELECT COUNT(*) FROM applications", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn a_request_beyond_the_maximum_in_flight_gets_503_server_busy_at_once() {
    let app = TestApp::with(|c| c.max_concurrent_requests = 1);
    let (token, body) = ready_application(&app, "13812345678").await;
    let held = hold_argon2(&app);
    let bearer = format!("Bearer {token}");
    let in_flight = app.spawn_send(post_json_request(
        "/api/v1/applications",
        &body,
        &[
            ("authorization", &bearer),
            ("idempotency-key", "key-busy-000001"),
        ],
    ));
    // Once the submission holds the only place, anything else is refused at once.
    let mut busy = None;
    for _ in 0..50 {
        let answer = app.get("/api/v1/health", &[]).await;
        if answer.status == StatusCode::SERVICE_UNAVAILABLE {
            busy = Some(answer);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let busy = busy.expect("refused while the submission is in flight");
    assert_eq!(busy.json()["code"], "server_busy");
    assert_eq!(busy.header("retry-after"), Some("1"));
    assert!(!in_flight.is_finished());
    drop(held);
    let stored = in_flight.await.unwrap();
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.text());
    assert_eq!(app.get("/api/v1/health", &[]).await.status, StatusCode::OK);
}

#[cfg(unix)]
#[test]
fn the_data_directory_and_the_database_are_the_backends_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let app = TestApp::new();
    let data = &app.state.config().data_dir;
    assert_eq!(mode(data), 0o700);
    assert_eq!(mode(&data.join("uploads")), 0o700);
    for file in [
        "backend.sqlite3",
        "backend.sqlite3-wal",
        "backend.sqlite3-shm",
    ] {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }
    // A database made by an earlier version with the usual 0644 is made owner-only at start.
    let mut config = app.state.config().clone();
    config.data_dir = app.dir.path().join("older");
    std::fs::create_dir_all(config.data_dir.join("uploads")).unwrap();
    let db = config.data_dir.join("backend.sqlite3");
    rusqlite::Connection::open(&db).unwrap();
    for path in [&db, &config.data_dir.join("uploads")] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    backend::AppState::new(config.clone()).unwrap();
    assert_eq!(mode(&db), 0o600);
    assert_eq!(mode(&config.data_dir.join("uploads")), 0o700);
}
