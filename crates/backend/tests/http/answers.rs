//! The stored answers of an application: everything but the password, each image as it was uploaded.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::common::{png, submitted, submitted_with, TestApp};

const PHONE: &str = "13812345678";

async fn answers(app: &TestApp, reference: &str, status_token: &str) -> crate::common::Answer {
    app.get(
        &format!("/api/v1/applications/{reference}/answers"),
        &[("x-status-token", status_token)],
    )
    .await
}

/// Every key anywhere in `value`.
fn keys(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                out.push(key.clone());
                keys(inner, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_answers_are_what_was_sent_without_the_password() {
    let app = TestApp::new();
    let mine = submitted(&app, PHONE).await;
    let answer = answers(&app, &mine.reference, &mine.status_token).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let stored = answer.json();
    let sent = &mine.body;

    let mut all_keys = Vec::new();
    keys(&stored, &mut all_keys);
    assert!(
        !all_keys.iter().any(|k| k.contains("password")),
        "{all_keys:?}"
    );
    assert!(!answer.text().contains("green ledger") && !answer.text().contains("argon2"));

    assert_eq!(stored["reference"], mine.reference.as_str());
    assert_eq!(stored["quiz"], sent["quiz"]);
    assert_eq!(stored["identity"], sent["identity"]);
    assert_eq!(
        stored["account"],
        json!({"username": "carbon_li", "address": "武汉市武昌区中北路 1 号", "email": "li.tan@qq.com"})
    );
    assert_eq!(stored["agreements"], sent["agreements"]);
    assert_eq!(
        stored["sensitive_data_consent"],
        sent["sensitive_data_consent"]
    );
    assert_eq!(stored["locale"], "zh-CN");

    let attachments = &stored["attachments"];
    assert_eq!(
        attachments["id_front"]["upload_id"],
        sent["attachments"]["id_front"]
    );
    assert_eq!(
        attachments["id_back"]["upload_id"],
        sent["attachments"]["id_back"]
    );
    assert_eq!(
        attachments["asset_proofs"][0]["upload_id"],
        sent["attachments"]["asset_proofs"][0]
    );
    let front = &attachments["id_front"];
    assert_eq!(front["file_name"], "photo.png");
    assert_eq!(
        (front["width"].as_u64(), front["height"].as_u64()),
        (Some(640), Some(480))
    );
    assert_eq!(front["bytes"].as_u64(), Some(png(640, 480).len() as u64));
}

#[tokio::test]
async fn an_image_stored_before_names_were_kept_shows_its_stored_name() {
    let app = TestApp::new();
    let mine = submitted(&app, PHONE).await;
    let front = mine.body["attachments"]["id_front"].as_str().unwrap();
    app.db()
        .execute(
            "UPDATE uploads SET original_name = NULL WHERE id = ?1",
            [front],
        )
        .unwrap();
    let stored = answers(&app, &mine.reference, &mine.status_token)
        .await
        .json();
    assert_eq!(
        stored["attachments"]["id_front"]["file_name"],
        format!("{front}.png")
    );
    assert_eq!(stored["attachments"]["id_back"]["file_name"], "photo.png");
}

#[tokio::test]
async fn a_file_name_is_kept_without_control_characters_and_path_separators() {
    let app = TestApp::new();
    let token = app.verify_phone(PHONE).await;
    let long = "资".repeat(130);
    for (sent, kept) in [
        ("C:\\\\照片\\\\身份证正面.png", "C:照片身份证正面.png"),
        ("../../etc/front\t.png", "....etcfront.png"),
        (long.as_str(), &long[..100 * '资'.len_utf8()]),
    ] {
        let answer = app.upload(&token, "id_front", sent, &png(640, 480)).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
        let id = answer.json()["upload_id"].as_str().unwrap().to_string();
        let original: String = app
            .db()
            .query_row(
                "SELECT original_name FROM uploads WHERE id = ?1",
                [&id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(original, kept, "{sent:?}");
    }
}

#[tokio::test]
async fn a_self_declared_score_comes_back_as_declared() {
    let app = TestApp::new();
    let mine = submitted_with(&app, PHONE, |body| {
        body["quiz"] = json!({"mode": "self_declared", "declared_score": 85});
    })
    .await;
    let stored = answers(&app, &mine.reference, &mine.status_token)
        .await
        .json();
    assert_eq!(
        stored["quiz"],
        json!({"mode": "self_declared", "declared_score": 85})
    );
}

#[tokio::test]
async fn the_answers_need_the_applications_status_token() {
    let app = TestApp::new();
    let mine = submitted(&app, PHONE).await;
    let wrong = answers(&app, &mine.reference, "st_made_up").await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert_eq!(wrong.json()["code"], "application_not_found");
    let unknown = answers(&app, "HB20000101AAAAAA", &mine.status_token).await;
    assert_eq!(unknown.body, wrong.body);
    let missing = app
        .get(
            &format!("/api/v1/applications/{}/answers", mine.reference),
            &[],
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
}
