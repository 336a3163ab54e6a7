//! `backend review …`: the exchange's operator at work on the server's database (WAL mode and a busy timeout
//! let the server and the command write side by side). Changes go through [`review::change`] like the
//! investor's own, so each is checked against `ApplicationStatus::after`, audited with the operator's name and
//! queues the investor's e-mail and SMS.

use std::fmt::Write as _;
use std::path::Path;

use domain::api::{codes, ApplicationStatus, Channel, DevApplicationRecord, StatusChange};
use rusqlite::{Connection, OptionalExtension};

use crate::applications::load_record;
use crate::cli::{ReviewAction, ReviewCommand};
use crate::db::Db;
use crate::db::{DB_FILE, UPLOADS_DIR};
use crate::error::ApiError;
use crate::notify;
use crate::review::{self, ChangeError, StatusUpdate};
use crate::util::now_unix;

/// Runs one review command on the server's data in `data_dir`: what to print, or why it failed (the caller
/// exits non-zero).
pub async fn run(data_dir: &Path, command: ReviewCommand) -> Result<String, String> {
    let path = data_dir.join(DB_FILE);
    if !path.exists() {
        return Err(format!(
            "no database at {}: give the server's --data-dir",
            path.display()
        ));
    }
    let db = Db::open(&path)?;
    let operator = match command.operator.trim() {
        "" => "operator".to_string(),
        name => name.to_string(),
    };
    let uploads = data_dir.join(UPLOADS_DIR);
    let (reference, update) = match command.action {
        ReviewAction::List { status } => {
            return db
                .call(move |conn| Ok(list(conn, status)?))
                .await
                .map_err(message);
        }
        ReviewAction::Show { reference } => {
            let reference = reference.trim().to_ascii_uppercase();
            return db
                .call(move |conn| show(conn, &reference, &uploads))
                .await
                .map_err(message);
        }
        ReviewAction::Receipt { reference } => (
            reference,
            StatusUpdate::new(StatusChange::Receipt, operator),
        ),
        ReviewAction::FeeReceived { reference } => (
            reference,
            StatusUpdate::new(StatusChange::FeeReceived, operator),
        ),
        ReviewAction::Approve { reference, account } => (
            reference,
            StatusUpdate {
                account_number: Some(account),
                ..StatusUpdate::new(StatusChange::Approve, operator)
            },
        ),
        ReviewAction::Return {
            reference,
            step,
            reason,
        } => (
            reference,
            StatusUpdate {
                reason: Some(reason),
                step: Some(step),
                ..StatusUpdate::new(StatusChange::Return, operator)
            },
        ),
    };
    change(&db, reference.trim().to_ascii_uppercase(), update).await
}

fn message(e: ApiError) -> String {
    e.body.message
}

async fn change(db: &Db, reference: String, update: StatusUpdate) -> Result<String, String> {
    let now = now_unix();
    let on = reference.clone();
    // A refusal comes before anything is written; a database error rolls the change back.
    let outcome = db
        .write(move |tx| match review::change(tx, &on, &update, now) {
            Ok(changed) => Ok(Ok((changed, update.actor))),
            Err(ChangeError::Database(e)) => Err(ApiError::from(e)),
            Err(refused) => Ok(Err(refused)),
        })
        .await
        .map_err(message)?;
    let (changed, actor) = outcome.map_err(|refused| format!("{reference}: {refused}"))?;
    notify::announce(false, &changed.reference, &changed.messages);
    let mut out = format!(
        "{}: {} → {} (by {actor})\n",
        changed.reference,
        changed.from.as_str(),
        changed.to.as_str()
    );
    for m in &changed.messages {
        let _ = writeln!(out, "queued: {} to {}", channel(m.channel), m.to);
    }
    Ok(out)
}

fn channel(channel: Channel) -> &'static str {
    match channel {
        Channel::Email => "e-mail",
        Channel::Sms => "SMS",
    }
}

/// One line per application, newest first.
fn list(conn: &Connection, status: Option<ApplicationStatus>) -> rusqlite::Result<String> {
    let mut stmt = conn.prepare(
        "SELECT reference FROM applications WHERE (?1 IS NULL OR status = ?1)
         ORDER BY submitted_at DESC, reference",
    )?;
    let references = stmt
        .query_map([status.map(ApplicationStatus::as_str)], |r| {
            r.get::<_, String>(0)
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if references.is_empty() {
        return Ok("no applications\n".to_string());
    }
    let mut out = format!(
        "{:<18} {:<17} {:<21} {}\n",
        "reference", "status", "updated", "name, document"
    );
    for reference in references {
        if let Some(a) = load_record(conn, &reference)? {
            let _ = writeln!(
                out,
                "{:<18} {:<17} {:<21} {}, {} {}",
                a.reference,
                a.review.status.as_str(),
                a.review.updated_at,
                a.name,
                a.document_type.code(),
                a.document_number
            );
        }
    }
    Ok(out)
}

/// Where an upload's file is, for the operator to open.
fn upload_path(conn: &Connection, uploads: &Path, id: &str) -> rusqlite::Result<String> {
    let file: Option<String> = conn
        .query_row("SELECT file_name FROM uploads WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(match file {
        Some(file) => format!("{id}  {}", uploads.join(file).display()),
        None => format!("{id}  (not stored)"),
    })
}

/// Everything about one application an operator reviews.
fn show(conn: &Connection, reference: &str, uploads: &Path) -> Result<String, ApiError> {
    let a: DevApplicationRecord = load_record(conn, reference)?.ok_or_else(|| {
        ApiError::not_found(
            codes::APPLICATION_NOT_FOUND,
            format!("{reference}: no application with this reference"),
        )
    })?;
    let mut out = String::new();
    let mut line = |label: &str, value: &str| {
        let _ = writeln!(out, "{label:<15} {value}");
    };
    line("reference", &a.reference);
    line(
        "status",
        &format!(
            "{} (since {})",
            a.review.status.as_str(),
            a.review.updated_at
        ),
    );
    if let Some(account) = &a.review.account_number {
        line("account number", account);
    }
    if let Some(reason) = &a.review.returned_reason {
        let step = a.review.returned_step.map(|s| s.as_str()).unwrap_or("-");
        line("returned", &format!("{reason} (step: {step})"));
    }
    line("submitted", &a.review.submitted_at);
    line("name", &a.name);
    line(
        "document",
        &format!("{} {}", a.document_type.code(), a.document_number),
    );
    line("phone", &a.phone);
    line("e-mail", &a.email);
    line("username", &a.username);
    line("address", a.address.as_deref().unwrap_or("-"));
    line("locale", &a.locale);
    let score = a.quiz_score.map(|s| s.to_string()).unwrap_or("-".into());
    line("quiz", &format!("{}, score {score}", a.quiz_mode.as_str()));
    line("ID front", &upload_path(conn, uploads, &a.id_front)?);
    line("ID back", &upload_path(conn, uploads, &a.id_back)?);
    for proof in &a.asset_proofs {
        line("asset proof", &upload_path(conn, uploads, proof)?);
    }
    match &a.fee_receipt {
        Some(receipt) => line("fee receipt", &upload_path(conn, uploads, receipt)?),
        None => line("fee receipt", "-"),
    }
    out.push_str("\nhistory\n");
    for row in review::audit_rows(conn, reference)? {
        let from = row.from.map(|s| s.as_str()).unwrap_or("");
        let _ = write!(
            out,
            "  {}  {from} → {}  by {}",
            row.at,
            row.to.as_str(),
            row.actor
        );
        if let Some(reason) = &row.reason {
            let step = row.step.map(|s| s.as_str()).unwrap_or("-");
            let _ = write!(out, "  {reason} (step: {step})");
        }
        out.push('\n');
    }
    out.push_str("\nmessages\n");
    for m in notify::messages_of(conn, reference)? {
        let _ = writeln!(
            out,
            "  {}  {:<6} {}  ({})",
            m.created_at,
            channel(m.channel),
            m.to,
            m.status.as_str()
        );
    }
    Ok(out)
}
