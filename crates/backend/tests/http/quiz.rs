//! The built-in quiz, scored on the server.

use axum::http::StatusCode;
use serde_json::json;

use crate::common::{write_app_config, TestApp};

async fn attempt(app: &TestApp, answers: serde_json::Value) -> crate::common::Answer {
    app.post_json("/api/v1/quiz/attempts", &json!({"answers": answers}), &[])
        .await
}

#[tokio::test]
async fn all_right_answers_pass_with_full_marks() {
    let app = TestApp::new();
    let answer = attempt(&app, json!({"q1": ["b"], "q2": ["c", "a"], "q3": ["a"]})).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let body = answer.json();
    assert_eq!(body["score"], 100);
    assert_eq!(body["max_score"], 100);
    assert_eq!(body["passed"], true);
    assert_eq!(body["topics_to_revisit"], json!([]));
    let id = body["attempt_id"].as_str().unwrap();
    let (score, passed): (u32, bool) = app
        .db()
        .query_row(
            "SELECT score, passed FROM quiz_attempts WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((score, passed), (100, true));
}

#[tokio::test]
async fn missing_points_fail_and_name_the_topics() {
    let app = TestApp::new();
    // q1 right (40), q2 half right (all-or-nothing: 0), q3 wrong: 40 < 60.
    let answer = attempt(&app, json!({"q1": ["b"], "q2": ["a"], "q3": ["b"]})).await;
    assert_eq!(answer.status, StatusCode::CREATED);
    let body = answer.json();
    assert_eq!(body["score"], 40);
    assert_eq!(body["passed"], false);
    assert_eq!(body["topics_to_revisit"], json!(["risk", "rules"]));
}

#[tokio::test]
async fn the_app_configs_pass_mark_decides() {
    let app = TestApp::with(|c| {
        c.app_config = write_app_config(c, |v| v["quiz"]["pass_mark"] = json!(70));
    });
    // q2 and q3 right: 60 points, under the configured 70.
    let answer = attempt(&app, json!({"q1": ["a"], "q2": ["a", "c"], "q3": ["a"]})).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let body = answer.json();
    assert_eq!(
        (body["score"].as_u64(), body["passed"].as_bool()),
        (Some(60), Some(false))
    );
    assert_eq!(body["topics_to_revisit"], json!(["market"]));

    // q1 and q2 right: 70 points.
    let answer = attempt(&app, json!({"q1": ["b"], "q2": ["a", "c"], "q3": ["b"]})).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let body = answer.json();
    assert_eq!(
        (body["score"].as_u64(), body["passed"].as_bool()),
        (Some(70), Some(true))
    );
}

#[tokio::test]
async fn unknown_questions_and_options_are_named() {
    let app = TestApp::new();
    let answer = attempt(&app, json!({"q9": ["a"], "q1": ["z"]})).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = answer.json();
    assert_eq!(body["code"], "validation_failed");
    let errors: Vec<(String, String)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_string(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(errors.contains(&("answers.q9".into(), "quiz_unknown_question".into())));
    assert!(errors.contains(&("answers.q1".into(), "quiz_unknown_option".into())));
}

#[tokio::test]
async fn ten_attempts_a_day_per_client_address() {
    let app = TestApp::new();
    for i in 0..10 {
        let answer = attempt(&app, json!({"q1": ["a"]})).await;
        assert_eq!(answer.status, StatusCode::CREATED, "attempt {i}");
    }
    let answer = attempt(&app, json!({"q1": ["b"]})).await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    let body = answer.json();
    assert_eq!(body["code"], "quiz_daily_limit");
    assert!(body["retry_after_s"].as_u64().unwrap() > 80_000);
    assert!(answer.header("retry-after").is_some());

    let other = app
        .post_json_from(
            [203, 0, 113, 9],
            "/api/v1/quiz/attempts",
            &json!({"answers": {"q1": ["b"]}}),
        )
        .await;
    assert_eq!(other.status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_configured_daily_limit_is_honoured() {
    let app = TestApp::with(|c| c.quiz_attempts_per_ip_per_day = 2);
    for i in 0..2 {
        let answer = attempt(&app, json!({"q1": ["a"]})).await;
        assert_eq!(answer.status, StatusCode::CREATED, "attempt {i}");
    }
    let answer = attempt(&app, json!({"q1": ["a"]})).await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    let body = answer.json();
    assert_eq!(body["code"], "quiz_daily_limit");
    assert!(
        body["message"].as_str().unwrap().contains("at most 2 "),
        "{body}"
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit() {
    let app = TestApp::with(|c| {
        c.trusted_proxy = vec!["10.0.0.1".parse().unwrap()];
        c.quiz_attempts_per_ip_per_day = 1;
    });
    let path = "/api/v1/quiz/attempts";
    let body = json!({"answers": {"q1": ["b"]}});
    let proxy = [10, 0, 0, 1];

    // Through the proxy: counted per forwarded client, not per proxy.
    let first = app.post_json_via(proxy, "203.0.113.5", path, &body).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let again = app
        .post_json_via(proxy, "198.51.100.1, 203.0.113.5", path, &body)
        .await;
    assert_eq!(again.status, StatusCode::TOO_MANY_REQUESTS);
    let other = app.post_json_via(proxy, "203.0.113.6", path, &body).await;
    assert_eq!(other.status, StatusCode::CREATED);
    let stored: i64 = app
        .db()
        .query_row(
            "SELECT COUNT(*) FROM quiz_attempts WHERE client_ip = '203.0.113.5'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, 1);

    // Anyone else's header is ignored: the peer is counted.
    let direct = [198, 51, 100, 7];
    let first = app.post_json_via(direct, "203.0.113.7", path, &body).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let spoofed = app.post_json_via(direct, "203.0.113.8", path, &body).await;
    assert_eq!(spoofed.status, StatusCode::TOO_MANY_REQUESTS);
}
