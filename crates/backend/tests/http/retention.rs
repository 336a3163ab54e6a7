//! The purge: what is kept no longer goes, by `backend purge` and when serving starts.

use std::io::BufRead;
use std::path::Path;
use std::process::{Command, Stdio};

use axum::http::StatusCode;
use backend::retention::{purge, Purged, Retention};

use crate::common::{png, ready_application, submit, TestApp};

const PHONE: &str = "13812345678";
const OTHER: &str = "13900001111";
const HOUR: i64 = 3600;
const DAY: i64 = 86_400;

fn count(app: &TestApp, sql: &str) -> i64 {
    app.db().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn exec(app: &TestApp, sql: &str) {
    app.db().execute(sql, []).unwrap();
}

fn file_of(app: &TestApp, upload: &str) -> std::path::PathBuf {
    let name: String = app
        .db()
        .query_row(
            "SELECT file_name FROM uploads WHERE id = ?1",
            [upload],
            |r| r.get(0),
        )
        .unwrap();
    app.state.uploads_dir().join(name)
}

fn upload_exists(app: &TestApp, upload: &str) -> bool {
    app.db()
        .query_row(
            "SELECT COUNT(*) FROM uploads WHERE id = ?1",
            [upload],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
        == 1
}

/// An upload of `OTHER` that no application quotes, with its thumbnail made.
async fn unattached_upload(app: &TestApp, token: &str) -> String {
    let answer = app
        .upload(token, "asset_proof", "scan.png", &png(1200, 900))
        .await;
    let id = answer.json()["upload_id"].as_str().unwrap().to_string();
    let thumb = app
        .get(
            &format!("/api/v1/uploads/{id}/thumbnail"),
            &[("authorization", &format!("Bearer {token}"))],
        )
        .await;
    assert_eq!(thumb.header("content-type"), Some("image/jpeg"));
    id
}

fn set_modified_days_ago(path: &Path, days: u64) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(days * 86_400);
    file.set_modified(then).unwrap();
}

#[tokio::test]
async fn the_purge_deletes_what_is_kept_no_longer_and_nothing_else() {
    let app = TestApp::new();
    let (token, body) = ready_application(&app, PHONE).await;
    let created = submit(&app, &token, "key-purge-000001", &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let attached = body["attachments"]["id_front"]
        .as_str()
        .unwrap()
        .to_string();
    let other_token = app.verify_phone(OTHER).await;
    let old = unattached_upload(&app, &other_token).await;
    let recent = app.upload_png(&other_token, "asset_proof").await;
    let (old_file, recent_file) = (file_of(&app, &old), file_of(&app, &recent));
    let stray = app
        .state
        .uploads_dir()
        .join("up_written_before_a_crash.png");
    std::fs::write(&stray, png(640, 480)).unwrap();
    set_modified_days_ago(&stray, 4);
    let unused_attempt = app.passed_attempt().await;
    app.get("/api/v1/usernames/carbon_li", &[]).await;

    // Time passes: everything made so far is old, but for `recent`, one username check and one attempt.
    exec(
        &app,
        &format!(
            "UPDATE uploads SET created_at = created_at - {} WHERE id <> '{recent}'",
            73 * HOUR
        ),
    );
    exec(
        &app,
        &format!(
            "UPDATE sms_codes SET created_at = created_at - {}",
            25 * HOUR
        ),
    );
    exec(
        &app,
        &format!(
            "UPDATE username_checks SET checked_at = checked_at - {}",
            25 * HOUR
        ),
    );
    exec(&app, &format!(
        "INSERT INTO wrong_sms_codes (phone, tried_at) VALUES ('{OTHER}', unixepoch() - {}), ('{OTHER}', unixepoch())",
        25 * HOUR
    ));
    exec(
        &app,
        &format!(
            "UPDATE verification_tokens SET expires_at = unixepoch() - 1 WHERE phone = '{OTHER}'"
        ),
    );
    exec(
        &app,
        &format!(
            "UPDATE applications SET submitted_at = submitted_at - {}",
            91 * DAY
        ),
    );
    exec(
        &app,
        &format!(
            "UPDATE quiz_attempts SET created_at = created_at - {} WHERE id <> '{unused_attempt}'",
            91 * DAY
        ),
    );
    app.get("/api/v1/usernames/carbon_wang", &[]).await;

    let retention = Retention::of(app.state.config());
    let now = backend::util::now_unix();
    let purged = purge(&mut app.db(), app.state.uploads_dir(), &retention, now).unwrap();
    assert_eq!(
        purged,
        Purged {
            uploads: 1,
            stray_files: 1,
            // Two SMS codes, a wrong code, a username check.
            limit_records: 4,
            tokens: 1,
            // The application and its attempt.
            client_addresses: 2,
        }
    );
    // The unattached upload of three days ago: row, file and thumbnail.
    assert!(!upload_exists(&app, &old));
    assert!(!old_file.exists() && !old_file.with_extension("thumb.jpg").exists());
    assert!(!stray.exists());
    // What an application quotes, and what is recent, stays.
    assert!(upload_exists(&app, &attached) && file_of(&app, &attached).exists());
    assert!(upload_exists(&app, &recent) && recent_file.exists());
    assert_eq!(count(&app, "SELECT COUNT(*) FROM sms_codes"), 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM wrong_sms_codes"), 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM username_checks"), 1);
    // The spent token of the application is still valid for two hours (it replays the submission).
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM verification_tokens WHERE phone = '{PHONE}'")
        ),
        1
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM verification_tokens"), 1);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM applications WHERE client_ip = 'purged'"
        ),
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM quiz_attempts WHERE client_ip = 'purged'"
        ),
        1
    );
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM quiz_attempts WHERE id = '{unused_attempt}' AND client_ip <> 'purged'")),
        1
    );
    // The application itself is untouched.
    assert_eq!(count(&app, "SELECT COUNT(*) FROM applications"), 1);

    // A second purge finds nothing.
    let again = purge(&mut app.db(), app.state.uploads_dir(), &retention, now).unwrap();
    assert_eq!(again, Purged::default());
}

#[tokio::test]
async fn the_ages_are_configurable() {
    let app = TestApp::with(|c| {
        c.unattached_upload_retention_h = 1;
        c.limit_records_retention_h = 48;
        c.client_address_retention_days = 1;
    });
    let token = app.verify_phone(PHONE).await;
    let upload = app.upload_png(&token, "asset_proof").await;
    app.passed_attempt().await;
    exec(
        &app,
        &format!("UPDATE uploads SET created_at = created_at - {}", 2 * HOUR),
    );
    exec(
        &app,
        &format!(
            "UPDATE sms_codes SET created_at = created_at - {}",
            25 * HOUR
        ),
    );
    exec(
        &app,
        &format!(
            "UPDATE quiz_attempts SET created_at = created_at - {}",
            2 * DAY
        ),
    );
    let retention = Retention::of(app.state.config());
    let purged = purge(
        &mut app.db(),
        app.state.uploads_dir(),
        &retention,
        backend::util::now_unix(),
    )
    .unwrap();
    assert_eq!(
        (
            purged.uploads,
            purged.limit_records,
            purged.client_addresses
        ),
        (1, 0, 1)
    );
    assert!(!upload_exists(&app, &upload));
}

/// The backend binary with the test app's files.
fn backend_command(app: &TestApp) -> Command {
    let config = app.state.config();
    let mut command = Command::new(env!("CARGO_BIN_EXE_backend"));
    command
        .arg("--data-dir")
        .arg(&config.data_dir)
        .arg("--dist")
        .arg(&config.dist)
        .arg("--quiz")
        .arg(&config.quiz)
        .arg("--quiz-key")
        .arg(&config.quiz_key)
        .args(["--dev", "--log-format", "json", "--addr", "127.0.0.1:0"])
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    command
}

/// An unattached upload four days old.
async fn forgotten_upload(app: &TestApp) -> String {
    let token = app.verify_phone(PHONE).await;
    let upload = app.upload_png(&token, "asset_proof").await;
    exec(
        app,
        &format!("UPDATE uploads SET created_at = created_at - {}", 4 * DAY),
    );
    upload
}

#[tokio::test]
async fn backend_purge_runs_the_purge_and_exits() {
    let app = TestApp::new();
    let upload = forgotten_upload(&app).await;
    let file = file_of(&app, &upload);
    let output = backend_command(&app).arg("purge").output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let log = String::from_utf8_lossy(&output.stdout);
    assert!(
        log.contains("purged what is kept no longer") && log.contains("\"uploads\":1"),
        "{log}"
    );
    assert!(!upload_exists(&app, &upload) && !file.exists());
}

#[tokio::test]
async fn serving_starts_with_a_purge() {
    let app = TestApp::new();
    let upload = forgotten_upload(&app).await;
    let mut server = backend_command(&app).spawn().unwrap();
    let log = std::io::BufReader::new(server.stdout.take().unwrap());
    // The log lines until the server listens (read aside, so that a server that never does cannot hang the test).
    let (lines, seen) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in log.lines().map_while(Result::ok) {
            let listening = line.contains("listening");
            if lines.send(line).is_err() || listening {
                break;
            }
        }
    });
    let mut purged = false;
    let mut listening = false;
    while let Ok(line) = seen.recv_timeout(std::time::Duration::from_secs(30)) {
        purged |= line.contains("purged what is kept no longer") && line.contains("\"uploads\":1");
        listening = line.contains("listening");
        if listening {
            break;
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(listening, "the server did not start");
    assert!(purged, "the purge ran before the server listened");
    assert!(!upload_exists(&app, &upload));
}
