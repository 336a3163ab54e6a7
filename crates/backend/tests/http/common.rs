//! A backend on a temporary data directory, driven in-process through its router.
#![allow(dead_code)]

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use backend::{AppState, Config};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

/// The index.html trunk writes, with nonce placeholders.
pub const INDEX_HTML: &str = r#"<!DOCTYPE html><html><head>
<link rel="modulepreload" href="/app-0123456789abcdef.js" nonce="{{__TRUNK NONCE__}}">
<script type="module" nonce="{{__TRUNK NONCE__}}">import init from '/app-0123456789abcdef.js'; init();</script>
</head><body></body></html>"#;

pub struct TestApp {
    pub dir: tempfile::TempDir,
    pub router: Router,
    pub state: AppState,
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A small quiz: q1 (single choice, 40 points, answer b), q2 (multiple, 30, answers a+c), q3 (single, 30, a).
pub fn sample_quiz() -> (Value, Value) {
    let text = |zh: &str, en: &str| json!({"zh-CN": zh, "en": en});
    let option = |id: &str| json!({"id": id, "text": text(id, id)});
    let quiz = json!({
        "version": "test-1",
        "questions": [
            {"id": "q1", "topic": "market", "kind": "single", "points": 40,
             "text": text("一", "one"), "options": [option("a"), option("b"), option("c")]},
            {"id": "q2", "topic": "risk", "kind": "multiple", "points": 30,
             "text": text("二", "two"), "options": [option("a"), option("b"), option("c")]},
            {"id": "q3", "topic": "rules", "kind": "single", "points": 30,
             "text": text("三", "three"), "options": [option("a"), option("b")]}
        ]
    });
    let key = json!({
        "version": "test-1",
        "answers": {"q1": ["b"], "q2": ["a", "c"], "q3": ["a"]}
    });
    (quiz, key)
}

impl TestApp {
    /// Development mode, with a built app in `dist/`.
    pub fn new() -> TestApp {
        TestApp::with(|_| {})
    }

    pub fn with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let dist = dir.path().join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(dist.join("index.html"), INDEX_HTML).unwrap();
        std::fs::write(
            dist.join("app-0123456789abcdef.js"),
            "export default function init() {}",
        )
        .unwrap();
        std::fs::write(dist.join("config.json"), "{}").unwrap();
        let (quiz, key) = sample_quiz();
        std::fs::write(dir.path().join("quiz.json"), quiz.to_string()).unwrap();
        std::fs::write(dir.path().join("quiz-key.json"), key.to_string()).unwrap();
        let mut config = Config {
            dist,
            data_dir: dir.path().join("data"),
            dev: true,
            quiz: dir.path().join("quiz.json"),
            quiz_key: dir.path().join("quiz-key.json"),
            // No app configuration: submissions are not checked against agreement versions (a test that wants
            // the check writes one with `write_app_config`).
            app_config: dir.path().join("no-app-config.json"),
            ..Config::default()
        };
        adjust(&mut config);
        // Outside development mode the app configuration is required: the shipped one, unless a test wrote its
        // own.
        if !config.dev && !config.app_config.exists() {
            config.app_config = write_app_config(&config, |_| {});
        }
        let state = AppState::new(config).unwrap();
        let router = backend::app(state.clone());
        TestApp { dir, router, state }
    }

    pub fn db_path(&self) -> PathBuf {
        self.state.config().data_dir.join("backend.sqlite3")
    }

    /// A second connection to the database, to check what was stored or to move time.
    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.db_path()).unwrap()
    }

    pub async fn send(&self, request: Request<Body>) -> Answer {
        answer_of(self.router.clone(), request).await
    }

    /// Sends `request` on a task of its own: the test goes on while it is handled.
    pub fn spawn_send(&self, request: Request<Body>) -> tokio::task::JoinHandle<Answer> {
        tokio::spawn(answer_of(self.router.clone(), request))
    }

    pub async fn get(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        self.send(get_request(path, headers)).await
    }

    pub async fn post_json(&self, path: &str, body: &Value, headers: &[(&str, &str)]) -> Answer {
        self.post_raw(
            path,
            "application/json",
            body.to_string().into_bytes(),
            headers,
        )
        .await
    }

    pub async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut builder = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, content_type);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        self.send(builder.body(Body::from(body)).unwrap()).await
    }

    /// Same, from `peer` with an `X-Forwarded-For` header.
    pub async fn post_json_via(
        &self,
        peer: [u8; 4],
        forwarded_for: &str,
        path: &str,
        body: &Value,
    ) -> Answer {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-forwarded-for", forwarded_for)
            .body(Body::from(body.to_string()))
            .unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((peer, 40000))));
        self.send(request).await
    }

    /// Same, from another client address.
    pub async fn post_json_from(&self, ip: impl Into<IpAddr>, path: &str, body: &Value) -> Answer {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((ip.into(), 40000))));
        self.send(request).await
    }

    /// Sends a code to `phone`, reads it from the dev endpoint and verifies it: the verification token.
    pub async fn verify_phone(&self, phone: &str) -> String {
        let sent = self
            .post_json("/api/v1/sms-codes", &json!({"phone": phone}), &[])
            .await;
        assert_eq!(sent.status, StatusCode::ACCEPTED, "{}", sent.text());
        let code = self.dev_code(phone).await;
        let verified = self
            .post_json(
                "/api/v1/sms-codes/verify",
                &json!({"phone": phone, "code": code}),
                &[],
            )
            .await;
        assert_eq!(verified.status, StatusCode::OK, "{}", verified.text());
        verified.json()["verification_token"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Verifies `phone` once more (after a submission spent its token), past the cooldown of the last code.
    pub async fn verify_phone_again(&self, phone: &str) -> String {
        self.db()
            .execute(
                "UPDATE sms_codes SET created_at = created_at - 61 WHERE phone = ?1",
                [phone],
            )
            .unwrap();
        self.verify_phone(phone).await
    }

    pub async fn dev_code(&self, phone: &str) -> String {
        let answer = self
            .get(&format!("/api/v1/dev/sms-codes/{phone}"), &[])
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        answer.json()["code"].as_str().unwrap().to_string()
    }

    /// Uploads `file` as `kind` with the token; the answer.
    pub async fn upload(&self, token: &str, kind: &str, file_name: &str, file: &[u8]) -> Answer {
        let (content_type, body) = multipart(&[
            ("kind", None, kind.as_bytes()),
            ("file", Some(file_name), file),
        ]);
        self.post_raw(
            "/api/v1/uploads",
            &content_type,
            body,
            &[("authorization", &format!("Bearer {token}"))],
        )
        .await
    }

    /// Uploads a valid PNG; its upload id.
    pub async fn upload_png(&self, token: &str, kind: &str) -> String {
        let answer = self.upload(token, kind, "photo.png", &png(640, 480)).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
        answer.json()["upload_id"].as_str().unwrap().to_string()
    }

    /// A passed quiz attempt's id.
    pub async fn passed_attempt(&self) -> String {
        let answer = self
            .post_json(
                "/api/v1/quiz/attempts",
                &json!({"answers": {"q1": ["b"], "q2": ["a", "c"], "q3": ["a"]}}),
                &[],
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
        answer.json()["attempt_id"].as_str().unwrap().to_string()
    }
}

/// What `router` answers to `request` (from 192.0.2.1 unless the request says otherwise).
async fn answer_of(router: Router, mut request: Request<Body>) -> Answer {
    if request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_none()
    {
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([192, 0, 2, 1], 40000))));
    }
    let response = router.oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        body,
    }
}

/// A GET request with `headers`.
pub fn get_request(path: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut builder = Request::builder().method(Method::GET).uri(path);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::empty()).unwrap()
}

/// A POST request with a JSON body and `headers`.
pub fn post_json_request(path: &str, body: &Value, headers: &[(&str, &str)]) -> Request<Body> {
    let mut builder = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json");
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::from(body.to_string())).unwrap()
}

/// The repository's `public/config.json` (the app's runtime configuration) with `adjust` applied, written next
/// to the test's data directory: the path, for `Config::app_config`.
pub fn write_app_config(config: &Config, adjust: impl FnOnce(&mut Value)) -> PathBuf {
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public/config.json");
    let mut value: Value =
        serde_json::from_str(&std::fs::read_to_string(shipped).unwrap()).unwrap();
    adjust(&mut value);
    let path = config.data_dir.parent().unwrap().join("app-config.json");
    std::fs::write(&path, value.to_string()).unwrap();
    path
}

/// A multipart/form-data body: (content type, bytes).
pub fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----hbets-test-boundary-7d2c";
    let mut body = Vec::new();
    for (name, file_name, data) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file_name {
            Some(file_name) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut tagged = kind.to_vec();
    tagged.extend_from_slice(data);
    out.extend_from_slice(&tagged);
    out.extend_from_slice(&crc32(&tagged).to_be_bytes());
}

/// A real grey PNG of the given size (stored, uncompressed deflate blocks).
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut raw = Vec::new();
    for y in 0..height {
        raw.push(0); // filter: none
        raw.extend((0..width).map(|x| ((x + y) % 256) as u8));
    }
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        zlib.extend_from_slice(&len.to_le_bytes());
        zlib.extend_from_slice(&(!len).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    zlib.extend_from_slice(&adler32(&raw).to_be_bytes());

    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit greyscale
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &zlib);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// `png(width, height)` with a text chunk after the header: what an editor writes (the author, the software).
pub fn png_with_text(width: u32, height: u32, text: &str) -> Vec<u8> {
    let plain = png(width, height);
    let (head, rest) = plain.split_at(8 + 25);
    let mut out = head.to_vec();
    chunk(&mut out, b"tEXt", format!("Author\0{text}").as_bytes());
    out.extend_from_slice(rest);
    out
}

/// A PNG whose header says `width` × `height` but whose image data is not compressed data: it passes the
/// checks of the bytes, and no decoder can show it.
pub fn undecodable_png(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &[0xFF; 64]);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// A JPEG marker segment: marker, length, payload.
pub fn jpeg_segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0xFF, marker];
    out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(payload);
    out
}

/// A real JPEG photo of `width` × `height`, as the `image` crate encodes it (JFIF, no metadata).
pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(picture)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .unwrap();
    out.into_inner()
}

/// `jpeg(width, height)` as a phone writes it: with an EXIF segment naming the place (`GPS 30.5928N`) and an ICC
/// colour profile right after its start, and a second picture after its end.
pub fn phone_jpeg(width: u32, height: u32) -> Vec<u8> {
    let plain = jpeg(width, height);
    let mut out = plain[..2].to_vec();
    out.extend(jpeg_segment(
        0xE1,
        b"Exif\0\0MM\0*\0\0\0\x08GPS 30.5928N 114.3055E",
    ));
    out.extend(jpeg_segment(0xE2, b"ICC_PROFILE\0\x01\x01 Display P3"));
    out.extend_from_slice(&plain[2..]);
    out.extend_from_slice(b"MotionPhoto_Data");
    out
}

/// A GIF of `width` × `height` with a comment extension before its trailer.
pub fn gif_with_comment(width: u32, height: u32, comment: &str) -> Vec<u8> {
    let picture = image::RgbaImage::from_pixel(width, height, image::Rgba([20, 120, 40, 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgba8(picture)
        .write_to(&mut out, image::ImageFormat::Gif)
        .unwrap();
    let mut gif = out.into_inner();
    assert_eq!(gif.pop(), Some(0x3B), "the trailer");
    gif.extend_from_slice(&[0x21, 0xFE, comment.len() as u8]);
    gif.extend_from_slice(comment.as_bytes());
    gif.extend_from_slice(&[0x00, 0x3B]);
    gif
}

/// Whether `needle` occurs in `haystack`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The start of a PDF file, whatever its name says.
pub fn pdf() -> Vec<u8> {
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
        .to_vec()
}

/// A complete valid application for `phone` with the given uploads and quiz attempt.
pub fn application(
    phone: &str,
    attempt_id: &str,
    id_front: &str,
    id_back: &str,
    asset_proof: &str,
) -> Value {
    let agreement = |id: &str| {
        json!({"id": id, "version": "sample-2026-1",
               "opened_at": "2026-03-15T02:05:10Z", "agreed_at": "2026-03-15T02:07:55Z"})
    };
    json!({
        "quiz": {"mode": "built_in", "attempt_id": attempt_id},
        "identity": {
            "name": "李碳",
            "document_type": "resident_id",
            "document_number": "11010519491231002X",
            "phone": phone
        },
        "account": {
            "username": "carbon_li",
            "password": "green ledger 2026 spring",
            "address": "武汉市武昌区中北路 1 号",
            "email": "li.tan@qq.com"
        },
        "attachments": {"id_front": id_front, "id_back": id_back, "asset_proofs": [asset_proof]},
        "agreements": [agreement("market_entry"), agreement("investor_notice"), agreement("risk_disclosure")],
        "sensitive_data_consent": {"version": "sample-2026-1", "agreed_at": "2026-03-15T02:01:47Z"},
        "locale": "zh-CN"
    })
}

/// Everything a submission needs, for `phone`: (token, application body).
pub async fn ready_application(app: &TestApp, phone: &str) -> (String, Value) {
    let token = app.verify_phone(phone).await;
    let front = app.upload_png(&token, "id_front").await;
    let back = app.upload_png(&token, "id_back").await;
    let asset = app.upload_png(&token, "asset_proof").await;
    let attempt = app.passed_attempt().await;
    (token, application(phone, &attempt, &front, &back, &asset))
}

/// After an application was stored: a new token for `phone` (the submission spent the old one) and a new passed
/// attempt in `body` (the old one opened that application), for another application of the same investor.
pub async fn ready_again(app: &TestApp, phone: &str, body: &mut Value) -> String {
    body["quiz"]["attempt_id"] = json!(app.passed_attempt().await);
    app.verify_phone_again(phone).await
}

/// Posts an application with the token and idempotency key.
pub async fn submit(app: &TestApp, token: &str, key: &str, body: &Value) -> Answer {
    app.post_json(
        "/api/v1/applications",
        body,
        &[
            ("authorization", &format!("Bearer {token}")),
            ("idempotency-key", key),
        ],
    )
    .await
}

/// A submitted application: its reference and status token, the verification token of its number and the body
/// it was sent with.
pub struct Submitted {
    pub reference: String,
    pub status_token: String,
    pub token: String,
    pub body: Value,
}

/// Submits a complete application for `phone` (with `adjust` applied to the body first).
pub async fn submitted_with(
    app: &TestApp,
    phone: &str,
    adjust: impl FnOnce(&mut Value),
) -> Submitted {
    let (token, mut body) = ready_application(app, phone).await;
    adjust(&mut body);
    let key = format!("key-{phone}-{}", body["identity"]["document_number"]);
    let answer = submit(app, &token, &key, &body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let created = answer.json();
    Submitted {
        reference: created["reference"].as_str().unwrap().to_string(),
        status_token: created["status_token"].as_str().unwrap().to_string(),
        // The submission spent its token: the investor verifies the number again for what comes next.
        token: app.verify_phone_again(phone).await,
        body,
    }
}

/// Submits the sample application for `phone`.
pub async fn submitted(app: &TestApp, phone: &str) -> Submitted {
    submitted_with(app, phone, |_| {}).await
}

/// A second applicant: another person, number, username and e-mail, writing in English.
pub fn someone_else(body: &mut Value) {
    body["identity"]["name"] = json!("Wang Lan");
    body["identity"]["document_number"] = json!("420106198503120011");
    body["account"]["username"] = json!("wang_lan");
    body["account"]["email"] = json!("wang.lan@163.com");
    body["locale"] = json!("en");
}

/// `GET /applications/{reference}` with a status token.
pub async fn status(app: &TestApp, reference: &str, status_token: &str) -> Answer {
    app.get(
        &format!("/api/v1/applications/{reference}"),
        &[("x-status-token", status_token)],
    )
    .await
}

/// `POST /dev/applications/{reference}/status`.
pub async fn dev_status(app: &TestApp, reference: &str, body: Value) -> Answer {
    app.post_json(
        &format!("/api/v1/dev/applications/{reference}/status"),
        &body,
        &[],
    )
    .await
}

/// The messages queued for the application (development mode).
pub async fn outbox(app: &TestApp, reference: &str) -> Vec<Value> {
    let answer = app
        .get(&format!("/api/v1/dev/outbox/{reference}"), &[])
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    answer.json().as_array().unwrap().clone()
}

/// `POST /applications/{reference}/receipt` with a status token and the image as `file`.
pub async fn receipt(
    app: &TestApp,
    reference: &str,
    status_token: &str,
    file_name: &str,
    file: &[u8],
) -> Answer {
    let (content_type, body) = multipart(&[("file", Some(file_name), file)]);
    app.post_raw(
        &format!("/api/v1/applications/{reference}/receipt"),
        &content_type,
        body,
        &[("x-status-token", status_token)],
    )
    .await
}

/// The statuses of an application's history, oldest first.
pub fn history(status: &Value) -> Vec<String> {
    status["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap().to_string())
        .collect()
}
