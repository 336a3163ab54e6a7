//! The operator command (`backend review …`) on the server's database: every change `ApplicationStatus::after`
//! allows is made, audited and announced to the investor; every other one is refused and changes nothing.

use axum::http::StatusCode;
use backend::{Cli, Command};
use domain::api::{ApplicationStatus, StatusChange};
use rusqlite::Connection;
use serde_json::Value;

use crate::common::{outbox, someone_else, status, submitted, submitted_with, Submitted, TestApp};

const PHONE: &str = "13812345678";

/// Runs `backend review <args> --data-dir <the app's> --operator li` in-process: what it printed, or its error.
async fn review(app: &TestApp, args: &[&str]) -> Result<String, String> {
    let data_dir = app.state.config().data_dir.to_str().unwrap().to_string();
    let argv = ["backend", "review"]
        .into_iter()
        .chain(args.iter().copied())
        .chain(["--data-dir", &data_dir, "--operator", "li"]);
    let cli = Cli::try_from_args(argv).unwrap();
    let Some(Command::Review(command)) = cli.command else {
        panic!("not a review command")
    };
    backend::operator::run(&cli.config.data_dir, command).await
}

/// The operator command's arguments for a change (with what approve and return need).
fn command_for(change: StatusChange, reference: &str) -> Vec<String> {
    let mut args: Vec<String> = match change {
        StatusChange::Receipt => vec!["receipt".into()],
        StatusChange::FeeReceived => vec!["fee-received".into()],
        StatusChange::Approve => vec!["approve".into(), "--account".into(), "880012345".into()],
        StatusChange::Return => vec![
            "return".into(),
            "--step".into(),
            "attachments".into(),
            "--reason".into(),
            "资产证明上看不到姓名".into(),
        ],
        StatusChange::Resubmit => unreachable!("the investor's own change"),
    };
    args.insert(1, reference.to_lowercase());
    args
}

/// Everything the command may touch, to compare before and after.
fn snapshot(conn: &Connection, reference: &str) -> (String, i64, i64) {
    let row: String = conn
        .query_row(
            "SELECT json_array(status, account_number, returned_reason, returned_step, fee_receipt, updated_at)
             FROM applications WHERE reference = ?1",
            [reference],
            |r| r.get(0),
        )
        .unwrap();
    let count = |table: &str| -> i64 {
        conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    };
    (row, count("status_audit"), count("outbox"))
}

/// Puts the application in `status` (test set-up, straight in the row).
fn put_in(conn: &Connection, reference: &str, status: ApplicationStatus) {
    let account = (status == ApplicationStatus::Approved).then_some("880000001");
    conn.execute(
        "UPDATE applications SET status = ?1, account_number = ?2, returned_reason = NULL WHERE reference = ?3",
        rusqlite::params![status.as_str(), account, reference],
    )
    .unwrap();
}

fn last_audit(
    conn: &Connection,
) -> (
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
) {
    conn.query_row(
        "SELECT from_status, to_status, actor, reason, step FROM status_audit ORDER BY id DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )
    .unwrap()
}

#[tokio::test]
async fn every_change_the_rule_allows_is_made_audited_and_announced_and_no_other() {
    let app = TestApp::new();
    let mine = submitted(&app, PHONE).await;
    let conn = app.db();
    let operator_changes = [
        StatusChange::Receipt,
        StatusChange::FeeReceived,
        StatusChange::Approve,
        StatusChange::Return,
    ];
    for from in ApplicationStatus::ALL {
        for change in operator_changes {
            put_in(&conn, &mine.reference, from);
            let before = snapshot(&conn, &mine.reference);
            let args = command_for(change, &mine.reference);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let outcome = review(&app, &args).await;
            let case = format!("{} from {}", change.as_str(), from.as_str());
            match from.after(change) {
                Some(to) => {
                    let printed = outcome.unwrap_or_else(|e| panic!("{case}: {e}"));
                    assert!(
                        printed.contains(&format!("{} → {}", from.as_str(), to.as_str())),
                        "{printed}"
                    );
                    let now = status(&app, &mine.reference, &mine.status_token)
                        .await
                        .json();
                    assert_eq!(now["status"], to.as_str(), "{case}");
                    let (audit_from, audit_to, actor, reason, step) = last_audit(&conn);
                    assert_eq!(
                        (audit_from.as_deref(), audit_to.as_str(), actor.as_str()),
                        (Some(from.as_str()), to.as_str(), "li"),
                        "{case}"
                    );
                    let returned = to == ApplicationStatus::Returned;
                    assert_eq!(reason.is_some(), returned, "{case}");
                    assert_eq!(step.as_deref(), returned.then_some("attachments"), "{case}");
                    let messages = outbox(&app, &mine.reference).await;
                    check_announced(&messages[messages.len() - 2..], &mine.reference, to, &case);
                    assert_eq!(snapshot(&conn, &mine.reference).2, before.2 + 2, "{case}");
                }
                None => {
                    let refused = outcome.expect_err(&case);
                    assert!(refused.contains(&mine.reference), "{refused}");
                    assert!(
                        refused.contains(from.as_str()) && refused.contains("does not apply"),
                        "{refused}"
                    );
                    assert_eq!(snapshot(&conn, &mine.reference), before, "{case}: changed");
                }
            }
        }
    }
}

/// The e-mail and the SMS announcing `to`, in Chinese, with what the investor must know.
fn check_announced(messages: &[Value], reference: &str, to: ApplicationStatus, case: &str) {
    let (email, sms) = (&messages[0], &messages[1]);
    assert_eq!(
        (email["channel"].as_str(), email["to"].as_str()),
        (Some("email"), Some("li.tan@qq.com")),
        "{case}"
    );
    assert_eq!(
        (sms["channel"].as_str(), sms["to"].as_str()),
        (Some("sms"), Some(PHONE)),
        "{case}"
    );
    for m in [email, sms] {
        assert_eq!(m["status"], to.as_str(), "{case}");
        let body = m["body"].as_str().unwrap();
        assert!(body.contains(reference), "{case}: {body}");
        match to {
            ApplicationStatus::Approved => assert!(body.contains("880012345"), "{case}: {body}"),
            ApplicationStatus::Returned => {
                assert!(
                    body.contains("资产证明上看不到姓名") && body.contains("上传附件"),
                    "{case}: {body}"
                )
            }
            _ => {}
        }
    }
    if to == ApplicationStatus::Approved {
        let body = email["body"].as_str().unwrap();
        assert!(
            body.contains("签约") && body.contains("银行卡"),
            "{case}: {body}"
        );
    }
}

#[tokio::test]
async fn an_english_application_is_told_in_english() {
    let app = TestApp::new();
    let theirs: Submitted = submitted_with(&app, "13900001111", someone_else).await;
    review(&app, &["fee-received", &theirs.reference])
        .await
        .unwrap();
    review(
        &app,
        &["approve", &theirs.reference, "--account", "880054321"],
    )
    .await
    .unwrap();
    let messages = outbox(&app, &theirs.reference).await;
    let approved = &messages[messages.len() - 2..];
    assert_eq!(approved[0]["to"], "wang.lan@163.com");
    let email = approved[0]["body"].as_str().unwrap();
    assert!(
        email.starts_with("Dear Wang Lan") && email.contains("880054321"),
        "{email}"
    );
    assert!(email.contains("bank card"), "{email}");
    assert!(approved[1]["body"].as_str().unwrap().contains("880054321"));
    assert!(approved[0]["subject"]
        .as_str()
        .unwrap()
        .contains("880054321"));
}

#[tokio::test]
async fn list_and_show_give_the_operator_the_application() {
    let app = TestApp::new();
    let mine = submitted(&app, PHONE).await;
    let theirs = submitted_with(&app, "13900001111", someone_else).await;
    review(
        &app,
        &[
            "return",
            &theirs.reference,
            "--step",
            "identity",
            "--reason",
            "name does not match",
        ],
    )
    .await
    .unwrap();

    let all = review(&app, &["list"]).await.unwrap();
    assert!(
        all.contains(&mine.reference) && all.contains(&theirs.reference),
        "{all}"
    );
    let returned = review(&app, &["list", "--status", "returned"])
        .await
        .unwrap();
    assert!(
        returned.contains(&theirs.reference) && !returned.contains(&mine.reference),
        "{returned}"
    );
    assert_eq!(
        review(&app, &["list", "--status", "approved"])
            .await
            .unwrap(),
        "no applications\n"
    );

    let shown = review(&app, &["show", &theirs.reference.to_lowercase()])
        .await
        .unwrap();
    for expected in [
        "Wang Lan",
        "420106198503120011",
        "wang.lan@163.com",
        "returned",
        "name does not match (step: identity)",
        "by li",
        "by investor",
        "uploads",
    ] {
        assert!(shown.contains(expected), "{expected} not in\n{shown}");
    }
    let unknown = review(&app, &["show", "HB20000101AAAAAA"])
        .await
        .unwrap_err();
    assert!(unknown.contains("HB20000101AAAAAA"), "{unknown}");
    let unknown = review(&app, &["fee-received", "HB20000101AAAAAA"])
        .await
        .unwrap_err();
    assert!(unknown.contains("no application"), "{unknown}");
}

#[tokio::test]
async fn the_command_refuses_a_missing_database_instead_of_making_one() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let argv = [
        "backend",
        "review",
        "list",
        "--data-dir",
        data_dir.to_str().unwrap(),
    ];
    let cli = Cli::try_from_args(argv).unwrap();
    let Some(Command::Review(command)) = cli.command else {
        panic!("not a review command")
    };
    let refused = backend::operator::run(&cli.config.data_dir, command)
        .await
        .unwrap_err();
    assert!(refused.contains("--data-dir"), "{refused}");
    assert!(!data_dir.exists());
}

#[tokio::test]
async fn the_binary_exits_non_zero_on_a_change_that_does_not_apply() {
    let app = TestApp::new();
    let mine = submitted(&app, PHONE).await;
    let data_dir = app.state.config().data_dir.to_str().unwrap().to_string();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_backend"))
            .arg("review")
            .args(args)
            .args(["--data-dir", &data_dir])
            .env("USER", "wu")
            .output()
            .unwrap()
    };
    let refused = run(&["approve", &mine.reference, "--account", "880012345"]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("submitted") && stderr.contains("does not apply"),
        "{stderr}"
    );
    let missing = run(&["approve", &mine.reference]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("--account"));

    let done = run(&["fee-received", &mine.reference]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let stdout = String::from_utf8_lossy(&done.stdout);
    assert!(
        stdout.contains("submitted → fee_received (by wu)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("queued: e-mail to li.tan@qq.com"),
        "{stdout}"
    );
    // The server sees the change at once.
    let now = status(&app, &mine.reference, &mine.status_token).await;
    assert_eq!(now.status, StatusCode::OK);
    assert_eq!(now.json()["status"], "fee_received");
}

#[tokio::test]
async fn the_development_endpoint_follows_the_same_rule_as_actor_dev() {
    let app = TestApp::new();
    let mine = submitted(&app, PHONE).await;
    let refused = crate::common::dev_status(
        &app,
        &mine.reference,
        serde_json::json!({"status": "approved", "account_number": "880012345"}),
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());
    assert_eq!(refused.json()["code"], "status_change_not_allowed");
    let moved = crate::common::dev_status(
        &app,
        &mine.reference,
        serde_json::json!({"status": "receipt_received"}),
    )
    .await;
    assert_eq!(moved.status, StatusCode::OK);
    let (from, to, actor, _, _) = last_audit(&app.db());
    assert_eq!(
        (from.as_deref(), to.as_str(), actor.as_str()),
        (Some("submitted"), "receipt_received", "dev")
    );
}
