//! The data directory and its SQLite database: owner-only permissions, opening, migrations, and running
//! queries off the async threads.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::error::ApiError;

/// Numbered migrations, applied in order; `PRAGMA user_version` counts those already applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_hardening.sql"),
    include_str!("../migrations/0003_after_submit.sql"),
];

/// The database file in the data directory.
pub const DB_FILE: &str = "backend.sqlite3";
/// The folder of the uploaded images in the data directory.
pub const UPLOADS_DIR: &str = "uploads";

/// Prepares `data_dir` for the backend: the directory itself (created owner-only, 0700, when missing; a
/// warning when an existing one is open to others), `uploads/` (0700) and the database (0600, as SQLite then
/// makes its `-wal` and `-shm` files). Gives the open database and the uploads folder.
pub fn open_data_dir(data_dir: &Path) -> Result<(Db, PathBuf), String> {
    if data_dir.is_dir() {
        warn_if_open_to_others(data_dir);
    } else {
        private_dir(data_dir)?;
    }
    let uploads_dir = data_dir.join(UPLOADS_DIR);
    private_dir(&uploads_dir)?;
    let db_path = data_dir.join(DB_FILE);
    for file in [
        db_path.clone(),
        data_dir.join(format!("{DB_FILE}-wal")),
        data_dir.join(format!("{DB_FILE}-shm")),
    ] {
        private_file(&file, file == db_path)?;
    }
    Ok((Db::open(&db_path)?, uploads_dir))
}

/// Creates `dir` (and missing parents) owner-only; an existing one is made owner-only.
fn private_dir(dir: &Path) -> Result<(), String> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    set_mode(dir, 0o700)
}

/// Makes `file` owner-only (0600), creating it empty first when `create` says so and it is missing.
fn private_file(file: &Path, create: bool) -> Result<(), String> {
    if !file.exists() {
        if !create {
            return Ok(());
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options
            .open(file)
            .map_err(|e| format!("cannot create {}: {e}", file.display()))?;
    }
    set_mode(file, 0o600)
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| format!("cannot make {} owner-only: {e}", path.display()))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> Result<(), String> {
    Ok(())
}

/// The data directory holds ID card images and personal data: whoever else may read it should not.
fn warn_if_open_to_others(dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(dir) {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                tracing::warn!(
                    path = %dir.display(),
                    mode = format!("{mode:o}"),
                    "the data directory is open to other users; make it owner-only (chmod 700)"
                );
            }
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// One connection shared by all requests (SQLite writes one at a time anyway).
#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

impl Db {
    /// Opens (or creates) the database at `path` in WAL mode and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Db, String> {
        let mut conn =
            Connection::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .and_then(|()| conn.pragma_update(None, "synchronous", "NORMAL"))
            .and_then(|()| conn.pragma_update(None, "foreign_keys", "ON"))
            .and_then(|()| conn.busy_timeout(std::time::Duration::from_secs(5)))
            .map_err(|e| format!("cannot configure {}: {e}", path.display()))?;
        register_functions(&conn)
            .map_err(|e| format!("cannot configure {}: {e}", path.display()))?;
        migrate(&mut conn).map_err(|e| format!("cannot migrate {}: {e}", path.display()))?;
        Ok(Db {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` with the connection on a blocking thread.
    pub async fn call<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, ApiError> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            let mut guard = conn
                .lock()
                .map_err(|_| ApiError::internal("database lock poisoned"))?;
            f(&mut guard)
        })
        .await
        .map_err(ApiError::internal)?
    }

    /// Runs `f` in a transaction that holds the write lock from its start, committed when `f` returns `Ok`.
    ///
    /// What reads and then writes uses this: the operator command (`backend review …`) writes to the same
    /// database from another process, and a transaction that only asks for the lock at its first write could find
    /// that what it read has changed meanwhile.
    pub async fn write<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction) -> Result<T, ApiError> + Send + 'static,
    {
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let value = f(&tx)?;
            tx.commit()?;
            Ok(value)
        })
        .await
    }
}

/// SQL functions the migrations use: `sha256_hex(text)`, the hash secrets are stored as
/// ([`sha256_hex`](crate::util::sha256_hex)).
fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "sha256_hex",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let text: String = ctx.get(0)?;
            Ok(crate::util::sha256_hex(text.as_bytes()))
        },
    )
}

/// Applies the migrations the database has not seen yet, each in its own transaction.
fn migrate(conn: &mut Connection) -> Result<(), String> {
    let applied: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|e| e.to_string())?;
    let known = MIGRATIONS.len() as i64;
    if applied > known {
        return Err(format!(
            "the database has schema version {applied}, newer than this backend's {known}"
        ));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(applied as usize) {
        let version = index as i64 + 1;
        let tx = conn.transaction().map_err(|e| e.to_string())?;
        tx.execute_batch(sql)
            .map_err(|e| format!("migration {version}: {e}"))?;
        tx.pragma_update(None, "user_version", version)
            .map_err(|e| e.to_string())?;
        tx.commit().map_err(|e| e.to_string())?;
        tracing::info!(version, "database migrated");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_run_once_and_set_the_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.sqlite3");
        Db::open(&path).unwrap();
        // Opening again must not re-run (it would fail on CREATE TABLE).
        Db::open(&path).unwrap();
        let conn = Connection::open(&path).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn plain_status_tokens_of_a_first_version_database_become_hashes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.sqlite3");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO applications (reference, status_token, status, quiz_mode, name, document_type,
                document_number, phone, username, password_hash, email, id_front, id_back, asset_proofs_json,
                agreements_json, consent_json, locale, returned_reason, client_ip, idempotency_key,
                request_fingerprint, submitted_at, updated_at)
             VALUES ('HB20260315K7Q2MX', 'st_plain', 'returned', 'built_in', '李碳', 'resident_id',
                '11010519491231002X', '13812345678', 'carbon_li', '$argon2id$', 'li@qq.com', 'up_1', 'up_2',
                '[]', '[]', '{}', 'zh-CN', '看不清', '192.0.2.1', 'key-0001', 'f', 100, 200)",
            [],
        )
        .unwrap();
        drop(conn);
        Db::open(&path).unwrap();
        let conn = Connection::open(&path).unwrap();
        let (hash, reference): (String, String) = conn
            .query_row("SELECT token_hash, reference FROM status_tokens", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(hash, crate::util::sha256_hex(b"st_plain"));
        assert_eq!(reference, "HB20260315K7Q2MX");
        assert!(conn
            .prepare("SELECT status_token FROM applications")
            .is_err());
        // What is known of its history: the submission, and where it is now.
        let history = crate::review::audit_rows(&conn, "HB20260315K7Q2MX").unwrap();
        let statuses: Vec<(&str, &str, i64)> = history
            .iter()
            .map(|r| (r.to.as_str(), r.actor.as_str(), r.at.len() as i64))
            .collect();
        assert_eq!(
            statuses,
            [
                ("submitted", "investor", 20),
                ("returned", "unrecorded", 20)
            ]
        );
        assert_eq!(history[1].reason.as_deref(), Some("看不清"));
    }

    #[test]
    fn a_newer_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.sqlite3");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        let err = Db::open(&path).err().unwrap();
        assert!(err.contains("newer"), "{err}");
    }
}
