//! The fee receipt uploaded by the investor: judged like any upload, linked to the application, which moves to
//! `receipt_received`.

use axum::http::StatusCode;
use serde_json::json;

use crate::common::{dev_status, history, outbox, pdf, png, receipt, status, submitted, TestApp};

const PHONE: &str = "13812345678";

fn uploads(app: &TestApp) -> i64 {
    app.db()
        .query_row("SELECT COUNT(*) FROM uploads", [], |r| r.get(0))
        .unwrap()
}

#[tokio::test]
async fn a_receipt_is_stored_for_the_application_and_moves_it_on() {
    let app = TestApp::new();
    let mine = submitted(&app, PHONE).await;
    let image = png(800, 1400);
    let answer = receipt(
        &app,
        &mine.reference,
        &mine.status_token,
        "转账凭证.png",
        &image,
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let created = answer.json();
    assert_eq!(created["kind"], "fee_receipt");
    assert_eq!(created["format"], "png");
    assert_eq!(
        (created["width"].as_u64(), created["height"].as_u64()),
        (Some(800), Some(1400))
    );
    let id = created["upload_id"].as_str().unwrap().to_string();

    let (kind, phone, original, file_name): (String, String, String, String) = app
        .db()
        .query_row(
            "SELECT kind, phone, original_name, file_name FROM uploads WHERE id = ?1",
            [&id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!((kind.as_str(), phone.as_str()), ("fee_receipt", PHONE));
    assert_eq!(original, "转账凭证.png");
    assert_eq!(
        std::fs::read(app.state.uploads_dir().join(file_name)).unwrap(),
        image
    );

    let now = status(&app, &mine.reference, &mine.status_token)
        .await
        .json();
    assert_eq!(now["status"], "receipt_received");
    assert_eq!(history(&now), ["submitted", "receipt_received"]);
    let record = app
        .get(&format!("/api/v1/dev/applications/{}", mine.reference), &[])
        .await
        .json();
    assert_eq!(record["fee_receipt"], id.as_str());

    let messages = outbox(&app, &mine.reference).await;
    let last: Vec<_> = messages[2..].iter().collect();
    assert_eq!(last.len(), 2);
    assert!(last.iter().all(|m| m["status"] == "receipt_received"));
    assert_eq!(
        (last[0]["channel"].as_str(), last[0]["to"].as_str()),
        (Some("email"), Some("li.tan@qq.com"))
    );
    assert_eq!(
        (last[1]["channel"].as_str(), last[1]["to"].as_str()),
        (Some("sms"), Some(PHONE))
    );
    assert!(last[0]["body"].as_str().unwrap().contains("转账凭证"));

    // The same receipt sent again (its answer lost on the way) is the one taken: nothing is stored or sent twice.
    let stored = uploads(&app);
    let retry = receipt(
        &app,
        &mine.reference,
        &mine.status_token,
        "转账凭证.png",
        &image,
    )
    .await;
    assert_eq!(retry.status, StatusCode::CREATED, "{}", retry.text());
    assert_eq!(retry.json()["upload_id"], id.as_str());
    assert_eq!(uploads(&app), stored);
    assert_eq!(outbox(&app, &mine.reference).await.len(), messages.len());
    let now = status(&app, &mine.reference, &mine.status_token)
        .await
        .json();
    assert_eq!(history(&now), ["submitted", "receipt_received"]);

    // Another receipt replaces the first; the application stays where it is.
    let second = receipt(
        &app,
        &mine.reference,
        &mine.status_token,
        "again.png",
        &png(640, 480),
    )
    .await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.text());
    let record = app
        .get(&format!("/api/v1/dev/applications/{}", mine.reference), &[])
        .await
        .json();
    assert_eq!(record["fee_receipt"], second.json()["upload_id"]);
    assert_eq!(record["status"], "receipt_received");
}

#[tokio::test]
async fn a_receipt_that_is_no_usable_image_is_refused_with_the_attachment_codes() {
    let app = TestApp::new();
    let mine = submitted(&app, PHONE).await;
    let before = uploads(&app);

    let answer = receipt(
        &app,
        &mine.reference,
        &mine.status_token,
        "receipt.jpg",
        &pdf(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let body = answer.json();
    assert_eq!(body["code"], "attachment_type_pdf");
    assert_eq!(body["field"], "file");

    let answer = receipt(
        &app,
        &mine.reference,
        &mine.status_token,
        "small.png",
        &png(120, 80),
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.json()["code"], "attachment_too_small");

    let (content_type, body) = crate::common::multipart(&[("kind", None, b"fee_receipt")]);
    let answer = app
        .post_raw(
            &format!("/api/v1/applications/{}/receipt", mine.reference),
            &content_type,
            body,
            &[("x-status-token", &mine.status_token)],
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.json()["code"], "upload_file_missing");

    assert_eq!(uploads(&app), before);
    let now = status(&app, &mine.reference, &mine.status_token)
        .await
        .json();
    assert_eq!(now["status"], "submitted");
}

#[tokio::test]
async fn a_receipt_is_refused_once_the_fee_is_seen_or_the_application_left_review() {
    let app = TestApp::new();
    let mine = submitted(&app, PHONE).await;
    let path = [
        json!({"status": "fee_received"}),
        json!({"status": "approved", "account_number": "880012345"}),
    ];
    for step in path {
        let moved = dev_status(&app, &mine.reference, step).await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.text());
        let before = uploads(&app);
        let answer = receipt(
            &app,
            &mine.reference,
            &mine.status_token,
            "r.png",
            &png(640, 480),
        )
        .await;
        assert_eq!(answer.status, StatusCode::CONFLICT, "{}", answer.text());
        assert_eq!(answer.json()["code"], "receipt_not_expected");
        assert_eq!(uploads(&app), before, "nothing stored");
    }
}

#[tokio::test]
async fn a_returned_application_takes_no_receipt() {
    let app = TestApp::new();
    let mine = submitted(&app, PHONE).await;
    dev_status(
        &app,
        &mine.reference,
        json!({"status": "returned", "reason": "资产证明看不清"}),
    )
    .await;
    let answer = receipt(
        &app,
        &mine.reference,
        &mine.status_token,
        "r.png",
        &png(640, 480),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CONFLICT);
    assert_eq!(answer.json()["code"], "receipt_not_expected");
    let now = status(&app, &mine.reference, &mine.status_token)
        .await
        .json();
    assert_eq!(now["status"], "returned");
}

#[tokio::test]
async fn a_receipt_needs_the_applications_status_token() {
    let app = TestApp::new();
    let mine = submitted(&app, PHONE).await;
    let image = png(640, 480);
    let answer = receipt(&app, &mine.reference, "st_made_up", "r.png", &image).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.json()["code"], "application_not_found");
    let answer = receipt(
        &app,
        "HB20000101AAAAAA",
        &mine.status_token,
        "r.png",
        &image,
    )
    .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);

    let (content_type, body) = crate::common::multipart(&[("file", Some("r.png"), &image)]);
    let answer = app
        .post_raw(
            &format!("/api/v1/applications/{}/receipt", mine.reference),
            &content_type,
            body,
            &[],
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.json()["code"], "status_token_missing");
    assert_eq!(uploads(&app), 3, "only the application's own images");
}

#[tokio::test]
async fn a_receipt_is_kept_from_the_purge_of_unattached_uploads() {
    let app = TestApp::new();
    let mine = submitted(&app, PHONE).await;
    let answer = receipt(
        &app,
        &mine.reference,
        &mine.status_token,
        "receipt.png",
        &png(800, 1400),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let id = answer.json()["upload_id"].as_str().unwrap().to_string();
    // Days later: the purge deletes uploads no application quotes, not this one.
    app.db()
        .execute(
            "UPDATE uploads SET created_at = created_at - 30 * 86400",
            [],
        )
        .unwrap();
    backend::retention::purge_at_start(&app.state)
        .await
        .unwrap();
    let attached: Option<String> = app
        .db()
        .query_row(
            "SELECT application FROM uploads WHERE id = ?1",
            [&id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(attached.as_deref(), Some(mine.reference.as_str()));
}
