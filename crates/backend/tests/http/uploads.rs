//! Uploads: judged by their bytes, stored for the verified number only.

use axum::http::StatusCode;

use crate::common::{multipart, pdf, png, TestApp};

const PHONE: &str = "13812345678";
const UPLOADS: &str = "/api/v1/uploads";

#[tokio::test]
async fn a_png_is_stored_with_its_dimensions() {
    let app = TestApp::new();
    let token = app.verify_phone(PHONE).await;
    let image = png(640, 480);
    let answer = app.upload(&token, "id_front", "front.png", &image).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let body = answer.json();
    assert_eq!(body["kind"], "id_front");
    assert_eq!(body["format"], "png");
    assert_eq!(body["width"], 640);
    assert_eq!(body["height"], 480);
    assert_eq!(body["bytes"], image.len());
    let id = body["upload_id"].as_str().unwrap();

    let (kind, phone, file_name): (String, String, String) = app
        .db()
        .query_row(
            "SELECT kind, phone, file_name FROM uploads WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((kind.as_str(), phone.as_str()), ("id_front", PHONE));
    assert!(file_name.ends_with(".png"));
    let stored = std::fs::read(app.state.uploads_dir().join(file_name)).unwrap();
    assert_eq!(stored, image);
}

#[tokio::test]
async fn a_pdf_renamed_jpg_is_refused_naming_the_pdf() {
    let app = TestApp::new();
    let token = app.verify_phone(PHONE).await;
    let answer = app
        .upload(&token, "asset_proof", "statement.jpg", &pdf())
        .await;
    assert_eq!(answer.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let body = answer.json();
    assert_eq!(body["code"], "attachment_type_pdf");
    assert_eq!(body["field"], "file");
    assert!(body["message"].as_str().unwrap().contains("pdf"), "{body}");
    let count: i64 = app
        .db()
        .query_row("SELECT COUNT(*) FROM uploads", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn a_tiny_image_is_refused_as_unreadable() {
    let app = TestApp::new();
    let token = app.verify_phone(PHONE).await;
    let answer = app
        .upload(&token, "id_back", "small.png", &png(120, 80))
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.json()["code"], "attachment_too_small");
}

#[tokio::test]
async fn an_upload_needs_a_verification_token() {
    let app = TestApp::new();
    let (content_type, body) = multipart(&[
        ("kind", None, b"id_front"),
        ("file", Some("a.png"), &png(640, 480)),
    ]);
    let answer = app
        .post_raw("/api/v1/uploads", &content_type, body.clone(), &[])
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.json()["code"], "token_missing");

    let answer = app
        .post_raw(
            "/api/v1/uploads",
            &content_type,
            body.clone(),
            &[("authorization", "Bearer vt_made_up")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.json()["code"], "token_invalid");

    let token = app.verify_phone(PHONE).await;
    app.db()
        .execute("UPDATE verification_tokens SET expires_at = 0", [])
        .unwrap();
    let answer = app
        .post_raw(
            "/api/v1/uploads",
            &content_type,
            body,
            &[("authorization", &format!("Bearer {token}"))],
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.json()["code"], "token_expired");
}

#[tokio::test]
async fn kind_and_file_are_required() {
    let app = TestApp::new();
    let token = app.verify_phone(PHONE).await;
    let auth = format!("Bearer {token}");
    let image = png(640, 480);

    let answer = app.upload(&token, "selfie", "a.png", &image).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.json()["code"], "upload_kind_invalid");

    let headers = [("authorization", auth.as_str())];
    let (content_type, body) = multipart(&[("file", Some("a.png"), &image)]);
    let answer = app.post_raw(UPLOADS, &content_type, body, &headers).await;
    assert_eq!(answer.json()["code"], "upload_kind_missing");

    let (content_type, body) = multipart(&[("kind", None, b"id_front")]);
    let answer = app.post_raw(UPLOADS, &content_type, body, &headers).await;
    assert_eq!(answer.json()["code"], "upload_file_missing");

    let answer = app
        .post_raw(UPLOADS, "application/json", b"{}".to_vec(), &headers)
        .await;
    assert_eq!(answer.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn an_image_over_10_mib_gets_413_with_the_limit() {
    let app = TestApp::new();
    let token = app.verify_phone(PHONE).await;
    // Just over the image limit (still inside the multipart allowance), and far over the body limit.
    for size in [10 * 1024 * 1024 + 100, 11 * 1024 * 1024] {
        let mut file = png(640, 480);
        file.resize(size, 0);
        let answer = app.upload(&token, "asset_proof", "big.png", &file).await;
        assert_eq!(
            answer.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{size}: {}",
            answer.text()
        );
        let body = answer.json();
        assert_eq!(body["code"], "payload_too_large");
        assert_eq!(body["limit_bytes"], 10 * 1024 * 1024);
    }
}

#[tokio::test]
async fn the_thumbnail_is_for_its_uploader_only() {
    let app = TestApp::new();
    let token = app.verify_phone(PHONE).await;
    let image = png(640, 480);
    let answer = app.upload(&token, "id_front", "front.png", &image).await;
    let id = answer.json()["upload_id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/uploads/{id}/thumbnail");

    let mine = app
        .get(&path, &[("authorization", &format!("Bearer {token}"))])
        .await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(mine.header("content-type"), Some("image/jpeg"));
    let thumb = image::load_from_memory(&mine.body).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (480, 360));

    let other = app.verify_phone("13900001111").await;
    let theirs = app
        .get(&path, &[("authorization", &format!("Bearer {other}"))])
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!(theirs.json()["code"], "upload_not_found");

    let anonymous = app.get(&path, &[]).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_thumbnail_is_made_once_and_a_small_picture_is_its_own() {
    let app = TestApp::new();
    let token = app.verify_phone(PHONE).await;
    let bearer = format!("Bearer {token}");
    let thumbnail_of = |id: &str| format!("/api/v1/uploads/{id}/thumbnail");

    let large = png(1200, 1600);
    let answer = app
        .upload(&token, "asset_proof", "statement.png", &large)
        .await;
    let id = answer.json()["upload_id"].as_str().unwrap().to_string();
    let first = app
        .get(&thumbnail_of(&id), &[("authorization", &bearer)])
        .await;
    assert_eq!(first.header("content-type"), Some("image/jpeg"));
    let thumb = image::load_from_memory(&first.body).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (360, 480));
    assert!(
        first.body.len() < large.len() / 10,
        "small enough for a phone to fetch"
    );
    // Kept beside the upload and served again as it is.
    let file_name: String = app
        .db()
        .query_row("SELECT file_name FROM uploads WHERE id = ?1", [&id], |r| {
            r.get(0)
        })
        .unwrap();
    let kept = app
        .state
        .uploads_dir()
        .join(file_name)
        .with_extension("thumb.jpg");
    assert_eq!(std::fs::read(kept).unwrap(), first.body.as_ref());
    let again = app
        .get(&thumbnail_of(&id), &[("authorization", &bearer)])
        .await;
    assert_eq!(again.body, first.body);
    // The stored file itself is untouched (development mode shows it).
    let stored = app.get(&format!("/api/v1/dev/uploads/{id}"), &[]).await;
    assert_eq!(stored.header("content-type"), Some("image/png"));
    assert_eq!(stored.body.as_ref(), large.as_slice());

    let small = png(480, 400);
    let answer = app.upload(&token, "asset_proof", "small.png", &small).await;
    let id = answer.json()["upload_id"].as_str().unwrap().to_string();
    let own = app
        .get(&thumbnail_of(&id), &[("authorization", &bearer)])
        .await;
    assert_eq!(own.header("content-type"), Some("image/png"));
    assert_eq!(own.body.as_ref(), small.as_slice());
}
