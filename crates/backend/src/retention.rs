//! Retention: what the backend keeps no longer is deleted by `backend purge` (run it daily from cron) and once
//! when serving starts.
//!
//! - Uploads that no stored application quotes, `--unattached-upload-retention-h` (72) hours after they were
//!   uploaded: the file, its thumbnail and the row. Files in `uploads/` that have no row (a crash between
//!   writing the file and its row) go after the same time.
//! - SMS codes and the rows the rate limits count (wrong codes tried, username checks, repeated and refused
//!   submissions), `--limit-records-retention-h` (24, the longest limit window) hours after they were written.
//! - Verification tokens, once expired.
//! - The client address of applications and quiz attempts, `--client-address-retention-days` (90) days after
//!   they were made: replaced by [`PURGED_ADDRESS`].

use std::collections::HashSet;
use std::path::Path;

use rusqlite::{named_params, Connection};

use crate::config::Config;
use crate::error::ApiError;
use crate::util::now_unix;
use crate::AppState;

/// Hours an upload no application quotes is kept, unless `--unattached-upload-retention-h` says otherwise.
pub const DEFAULT_UNATTACHED_UPLOAD_RETENTION_H: u32 = 72;
/// Hours SMS codes and limit records are kept, unless `--limit-records-retention-h` says otherwise.
pub const DEFAULT_LIMIT_RECORDS_RETENTION_H: u32 = 24;
/// Days a client address is kept, unless `--client-address-retention-days` says otherwise.
pub const DEFAULT_CLIENT_ADDRESS_RETENTION_DAYS: u32 = 90;
/// What a client address is replaced by.
pub const PURGED_ADDRESS: &str = "purged";

/// The tables of the rows the rate limits count, with their time column.
const LIMIT_RECORDS: [(&str, &str); 5] = [
    ("sms_codes", "created_at"),
    ("wrong_sms_codes", "tried_at"),
    ("username_checks", "checked_at"),
    ("submission_replays", "replayed_at"),
    ("duplicate_refusals", "refused_at"),
];

/// How long things are kept, in seconds.
#[derive(Clone, Copy, Debug)]
pub struct Retention {
    pub unattached_upload_s: i64,
    pub limit_records_s: i64,
    pub client_address_s: i64,
}

impl Retention {
    pub fn of(config: &Config) -> Retention {
        Retention {
            unattached_upload_s: i64::from(config.unattached_upload_retention_h) * 3600,
            limit_records_s: i64::from(config.limit_records_retention_h) * 3600,
            client_address_s: i64::from(config.client_address_retention_days) * 86_400,
        }
    }
}

/// What one purge deleted (or, for client addresses, replaced).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub uploads: usize,
    pub stray_files: usize,
    pub limit_records: usize,
    pub tokens: usize,
    pub client_addresses: usize,
}

/// Deletes what `retention` keeps no longer as of `now`, under the database's write lock (an application stored
/// meanwhile cannot quote an upload whose file is going).
pub fn purge(
    conn: &mut Connection,
    uploads_dir: &Path,
    retention: &Retention,
    now: i64,
) -> Result<Purged, ApiError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mut purged = Purged::default();

    let before = now - retention.unattached_upload_s;
    let unattached: Vec<(String, String)> = tx
        .prepare(
            "SELECT id, file_name FROM uploads WHERE application IS NULL AND created_at <= :before",
        )?
        .query_map(named_params! { ":before": before }, |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (id, file_name) in &unattached {
        let file = uploads_dir.join(file_name);
        remove_if_present(&file)?;
        remove_if_present(&file.with_extension("thumb.jpg"))?;
        tx.execute("DELETE FROM uploads WHERE id = ?1", [id])?;
    }
    purged.uploads = unattached.len();
    purged.stray_files = remove_stray_files(&tx, uploads_dir, retention, now)?;

    let before = now - retention.limit_records_s;
    for (table, time_column) in LIMIT_RECORDS {
        purged.limit_records += tx.execute(
            &format!("DELETE FROM {table} WHERE {time_column} <= ?1"),
            [before],
        )?;
    }
    purged.tokens = tx.execute(
        "DELETE FROM verification_tokens WHERE expires_at <= ?1",
        [now],
    )?;

    let before = now - retention.client_address_s;
    for (table, time_column) in [
        ("applications", "submitted_at"),
        ("quiz_attempts", "created_at"),
    ] {
        purged.client_addresses += tx.execute(
            &format!(
                "UPDATE {table} SET client_ip = :purged WHERE {time_column} <= :before AND client_ip <> :purged"
            ),
            named_params! { ":purged": PURGED_ADDRESS, ":before": before },
        )?;
    }
    tx.commit()?;
    Ok(purged)
}

/// Files in `uploads/` that belong to no upload row (a file written before a crash took its row with it),
/// older than the unattached-upload retention.
fn remove_stray_files(
    conn: &Connection,
    uploads_dir: &Path,
    retention: &Retention,
    now: i64,
) -> Result<usize, ApiError> {
    let known: HashSet<String> = conn
        .prepare("SELECT id FROM uploads")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut removed = 0;
    for entry in std::fs::read_dir(uploads_dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let id = name.split('.').next().unwrap_or_default();
        let modified = entry
            .metadata()?
            .modified()?
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(now);
        if !known.contains(id)
            && entry.file_type()?.is_file()
            && modified <= now - retention.unattached_upload_s
        {
            remove_if_present(&entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

fn remove_if_present(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

fn log(purged: &Purged) {
    tracing::info!(
        uploads = purged.uploads,
        stray_files = purged.stray_files,
        limit_records = purged.limit_records,
        tokens = purged.tokens,
        client_addresses = purged.client_addresses,
        "purged what is kept no longer"
    );
}

/// The purge when serving starts.
pub async fn purge_at_start(state: &AppState) -> Result<(), String> {
    let retention = Retention::of(state.config());
    let uploads_dir = state.uploads_dir().to_path_buf();
    let purged = state
        .db()
        .call(move |conn| purge(conn, &uploads_dir, &retention, now_unix()))
        .await
        .map_err(|e| format!("the purge at start failed: {}", e.body.message))?;
    log(&purged);
    Ok(())
}

/// `backend purge`: the purge on the data directory of `config`, then exit.
pub async fn purge_command(config: Config) -> Result<(), String> {
    let (db, uploads_dir) = crate::db::open_data_dir(&config.data_dir)?;
    let retention = Retention::of(&config);
    let purged = db
        .call(move |conn| purge(conn, &uploads_dir, &retention, now_unix()))
        .await
        .map_err(|e| format!("the purge failed: {}", e.body.message))?;
    log(&purged);
    Ok(())
}
