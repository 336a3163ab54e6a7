//! Uploads: judged by their bytes, stored for the verified number only.

use std::time::Duration;

use axum::http::StatusCode;

use crate::common::{
    contains, get_request, gif_with_comment, multipart, pdf, phone_jpeg, png, png_with_text,
    undecodable_png, TestApp,
};

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
async fn the_same_image_sent_again_is_the_upload_stored_then() {
    let app = TestApp::new();
    let token = app.verify_phone(PHONE).await;
    let image = png(640, 480);
    let first = app.upload(&token, "id_front", "front.png", &image).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    // A retry whose first answer was lost on the way: the same answer, nothing stored twice.
    let retry = app.upload(&token, "id_front", "front.png", &image).await;
    assert_eq!(retry.status, StatusCode::CREATED, "{}", retry.text());
    assert_eq!(retry.json(), first.json());
    let rows = |app: &TestApp| -> i64 {
        app.db()
            .query_row("SELECT COUNT(*) FROM uploads", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(rows(&app), 1);
    assert_eq!(
        std::fs::read_dir(app.state.uploads_dir()).unwrap().count(),
        1
    );
    // Another kind, another name or another number is another upload.
    let back = app.upload(&token, "id_back", "front.png", &image).await;
    assert_ne!(back.json()["upload_id"], first.json()["upload_id"]);
    let renamed = app.upload(&token, "id_front", "front-2.png", &image).await;
    assert_ne!(renamed.json()["upload_id"], first.json()["upload_id"]);
    let other = app.verify_phone("13900001111").await;
    let theirs = app.upload(&other, "id_front", "front.png", &image).await;
    assert_ne!(theirs.json()["upload_id"], first.json()["upload_id"]);
    assert_eq!(rows(&app), 4);
    // Past a day, the same image is stored again.
    app.db()
        .execute(
            "UPDATE uploads SET created_at = created_at - ?1",
            [backend::uploads::REPEAT_WINDOW_S + 1],
        )
        .unwrap();
    let later = app.upload(&token, "id_front", "front.png", &image).await;
    assert_eq!(later.status, StatusCode::CREATED, "{}", later.text());
    assert_ne!(later.json()["upload_id"], first.json()["upload_id"]);
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

/// The stored file of upload `id`, with the size and SHA-256 of its row.
fn stored_upload(app: &TestApp, id: &str) -> (Vec<u8>, i64, String) {
    let (file_name, bytes, sha256): (String, i64, String) = app
        .db()
        .query_row(
            "SELECT file_name, bytes, sha256 FROM uploads WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let file = std::fs::read(app.state.uploads_dir().join(file_name)).unwrap();
    (file, bytes, sha256)
}

#[tokio::test]
async fn what_is_stored_has_no_metadata_and_its_size_and_digest_are_of_what_is_stored() {
    let app = TestApp::new();
    let token = app.verify_phone(PHONE).await;
    let photo = phone_jpeg(800, 600);
    let shot = png_with_text(640, 480, "Li Tan, Wuhan");
    let animation = gif_with_comment(640, 480, "scanned at 30.5928N");
    for (kind, name, file, secret) in [
        ("id_front", "photo.jpg", &photo, &b"GPS 30.5928N"[..]),
        ("asset_proof", "shot.png", &shot, b"Li Tan, Wuhan"),
        ("asset_proof", "scan.gif", &animation, b"scanned at"),
    ] {
        assert!(contains(file, secret));
        let answer = app.upload(&token, kind, name, file).await;
        assert_eq!(
            answer.status,
            StatusCode::CREATED,
            "{name}: {}",
            answer.text()
        );
        let created = answer.json();
        let (stored, bytes, sha256) = stored_upload(&app, created["upload_id"].as_str().unwrap());
        assert!(!contains(&stored, secret), "{name}");
        assert!(stored.len() < file.len(), "{name}");
        assert_eq!(created["bytes"], stored.len(), "{name}");
        assert_eq!(bytes as usize, stored.len(), "{name}");
        assert_eq!(sha256, backend::util::sha256_hex(&stored), "{name}");
        let shown = image::load_from_memory(&stored).unwrap();
        assert_eq!(
            (shown.width(), shown.height()),
            (
                created["width"].as_u64().unwrap() as u32,
                created["height"].as_u64().unwrap() as u32
            ),
            "{name}"
        );
    }
    // The JPEG: no EXIF, nothing after its end, but its colour profile.
    let id: String = app
        .db()
        .query_row("SELECT id FROM uploads WHERE format = 'jpeg'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let (stored, _, _) = stored_upload(&app, &id);
    assert!(!contains(&stored, b"Exif") && !contains(&stored, b"MotionPhoto"));
    assert!(stored.ends_with(&[0xFF, 0xD9]));
    assert!(
        contains(&stored, b"ICC_PROFILE\0"),
        "the colour profile stays"
    );
}

#[tokio::test]
async fn a_number_uploads_at_most_its_megabytes_of_the_day() {
    let app = TestApp::with(|c| c.upload_mib_per_phone_per_day = 1);
    let token = app.verify_phone(PHONE).await;
    // About 700 KB each: the second does not fit into 1 MiB.
    let statement = png(1000, 700);
    let first = app.upload(&token, "asset_proof", "a.png", &statement).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let second = app.upload(&token, "asset_proof", "b.png", &statement).await;
    assert_eq!(
        second.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        second.text()
    );
    let refused = second.json();
    assert_eq!(refused["code"], "upload_bytes_limit");
    let retry = refused["retry_after_s"].as_u64().unwrap();
    assert!((86_000..=86_400).contains(&retry), "{retry}");
    assert_eq!(
        second.header("retry-after"),
        Some(retry.to_string().as_str())
    );
    // Neither a row nor a file is left of the refused one.
    let rows: i64 = app
        .db()
        .query_row("SELECT COUNT(*) FROM uploads", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 1);
    assert_eq!(
        std::fs::read_dir(app.state.uploads_dir()).unwrap().count(),
        1
    );
    // A small one still fits; another number has its own quota.
    let small = app
        .upload(&token, "asset_proof", "c.png", &png(640, 480))
        .await;
    assert_eq!(small.status, StatusCode::CREATED, "{}", small.text());
    let other = app.verify_phone("13900001111").await;
    let theirs = app.upload(&other, "asset_proof", "d.png", &statement).await;
    assert_eq!(theirs.status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_picture_that_cannot_be_decoded_is_served_as_stored_and_not_decoded_again() {
    let app = TestApp::with(|c| c.decode_concurrency = 1);
    let token = app.verify_phone(PHONE).await;
    let bearer = format!("Bearer {token}");
    let broken = undecodable_png(1200, 1600);
    let answer = app
        .upload(&token, "asset_proof", "broken.png", &broken)
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let id = answer.json()["upload_id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/uploads/{id}/thumbnail");

    let first = app.get(&path, &[("authorization", &bearer)]).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.header("content-type"), Some("image/png"));
    assert_eq!(first.body.as_ref(), broken.as_slice());
    let failed: bool = app
        .db()
        .query_row(
            "SELECT thumbnail_failed FROM uploads WHERE id = ?1",
            [&id],
            |r| r.get(0),
        )
        .unwrap();
    assert!(failed, "the failure is remembered");

    // With the only decoding turn taken, the answer comes at once: nothing is decoded.
    let _turn = app
        .state
        .decoding()
        .turns()
        .clone()
        .try_acquire_owned()
        .unwrap();
    let again = tokio::time::timeout(
        Duration::from_secs(2),
        app.get(&path, &[("authorization", &bearer)]),
    )
    .await
    .expect("answered without decoding");
    assert_eq!(again.body.as_ref(), broken.as_slice());
}

#[tokio::test]
async fn thumbnails_are_decoded_a_few_at_a_time() {
    let app = TestApp::with(|c| c.decode_concurrency = 1);
    let token = app.verify_phone(PHONE).await;
    let bearer = format!("Bearer {token}");
    let upload = |file: Vec<u8>| {
        let (app, token) = (&app, &token);
        async move {
            let answer = app.upload(token, "asset_proof", "p.png", &file).await;
            answer.json()["upload_id"].as_str().unwrap().to_string()
        }
    };
    let large = upload(png(1200, 1600)).await;
    let small = upload(png(480, 400)).await;
    let thumbnail = |id: &str| {
        get_request(
            &format!("/api/v1/uploads/{id}/thumbnail"),
            &[("authorization", &bearer)],
        )
    };

    let turn = app
        .state
        .decoding()
        .turns()
        .clone()
        .try_acquire_owned()
        .unwrap();
    let waiting = app.spawn_send(thumbnail(&large));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !waiting.is_finished(),
        "the thumbnail waits for a decoding turn"
    );
    // A picture small enough to be its own thumbnail needs no decoding, and no turn.
    let own = tokio::time::timeout(Duration::from_secs(2), app.send(thumbnail(&small)))
        .await
        .expect("answered without a turn");
    assert_eq!(own.header("content-type"), Some("image/png"));
    drop(turn);
    let made = tokio::time::timeout(Duration::from_secs(10), waiting)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(made.status, StatusCode::OK);
    assert_eq!(made.header("content-type"), Some("image/jpeg"));
}

#[cfg(unix)]
#[tokio::test]
async fn uploads_and_thumbnails_are_readable_by_the_backend_only() {
    use std::os::unix::fs::PermissionsExt;
    let app = TestApp::new();
    let token = app.verify_phone(PHONE).await;
    let answer = app
        .upload(&token, "id_front", "front.png", &png(1200, 900))
        .await;
    let id = answer.json()["upload_id"].as_str().unwrap().to_string();
    let thumb = app
        .get(
            &format!("/api/v1/uploads/{id}/thumbnail"),
            &[("authorization", &format!("Bearer {token}"))],
        )
        .await;
    assert_eq!(thumb.header("content-type"), Some("image/jpeg"));
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let uploads = app.state.uploads_dir();
    assert_eq!(mode(uploads), 0o700);
    let files: Vec<_> = std::fs::read_dir(uploads)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 2, "the upload and its thumbnail: {files:?}");
    for file in files {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
}
