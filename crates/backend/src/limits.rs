//! Rate limits over rolling windows: before a row is written, the rows the same number or client address (or
//! everyone, for a budget of the whole service) wrote within the last hour or day are counted — or their bytes
//! summed — in the table itself; at the limit the request is refused with 429 and the seconds until enough of
//! them leave the window.

use rusqlite::Connection;

use crate::db::Db;
use crate::error::ApiError;

/// Whose rows are counted: the column holding the key, and how the refusal names it.
#[derive(Clone, Copy, Debug)]
pub enum Per {
    /// The verified or requested phone number (`phone`).
    Number,
    /// The client address (`client_ip`, see `extract::ClientIp`).
    ClientAddress,
    /// Every row, whoever wrote it: a budget of the whole service (the key is not used).
    Everyone,
}

impl Per {
    fn column(self) -> Option<&'static str> {
        match self {
            Per::Number => Some("phone"),
            Per::ClientAddress => Some("client_ip"),
            Per::Everyone => None,
        }
    }

    /// "per number", "per client address", "in all".
    fn words(self) -> &'static str {
        match self {
            Per::Number => "per number",
            Per::ClientAddress => "per client address",
            Per::Everyone => "in all",
        }
    }
}

/// How far back rows are counted.
#[derive(Clone, Copy, Debug)]
pub enum Window {
    Hour,
    Day,
}

impl Window {
    fn seconds(self) -> i64 {
        match self {
            Window::Hour => 3600,
            Window::Day => 86_400,
        }
    }

    fn words(self) -> &'static str {
        match self {
            Window::Hour => "hour",
            Window::Day => "day",
        }
    }
}

/// Where a limit's rows are: the table, its time column, whose rows count and how far back. The table and
/// columns are named in the code, never taken from a request; the key and times are bound as parameters.
type Source = (&'static str, &'static str, Per, Window);

/// The rows of `source` for `key` within the window before `now`, newest first, as `select` and `tail` (an
/// `OFFSET`/`LIMIT` clause with the parameter `?3`) say.
fn rows_within<T>(
    conn: &Connection,
    (table, time_column, per, window): Source,
    select: &str,
    tail: (&str, i64),
    key: &str,
    now: i64,
    row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let since = now - window.seconds();
    let (tail, tail_value) = tail;
    // `?1` is the key; without a key column it stands in a condition that always holds.
    let key_condition = match per.column() {
        Some(column) => format!("{column} = ?1"),
        None => "?1 = ?1".to_string(),
    };
    let sql = format!(
        "SELECT {select} FROM {table} WHERE {key_condition} AND {time_column} > ?2 \
         ORDER BY {time_column} DESC {tail}"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map(rusqlite::params![key, since, tail_value], row)?;
    rows.collect()
}

/// One rate limit: at most so many rows of `table` per key within the window. The table and columns are named
/// here in the code, never taken from a request; the key and times are bound as parameters.
#[derive(Clone, Copy, Debug)]
pub struct RollingLimit {
    pub table: &'static str,
    /// The column with the row's time (unix seconds).
    pub time_column: &'static str,
    pub per: Per,
    pub window: Window,
    /// What the rows are, in the refusal's message (`codes`, `quiz attempts`).
    pub rows: &'static str,
    /// The refusal's error code.
    pub code: &'static str,
}

impl RollingLimit {
    /// `Ok` while `key` has fewer than `max` rows within the window before `now`; otherwise 429 with the code,
    /// "at most {max} {rows} per {per} per {window}" and the seconds until the oldest row leaves the window.
    /// Runs on the caller's connection or transaction, so that the count and the write that follows it can be
    /// one transaction.
    pub fn check(&self, conn: &Connection, key: &str, max: u32, now: i64) -> Result<(), ApiError> {
        let source = (self.table, self.time_column, self.per, self.window);
        // The max-th newest row: while it is in the window the limit is reached, and it must leave for the next
        // row to fit (after a limit was lowered, more than the oldest one must).
        let blocking = rows_within(
            conn,
            source,
            self.time_column,
            ("LIMIT 1 OFFSET ?3 - 1", i64::from(max)),
            key,
            now,
            |r| r.get::<_, i64>(0),
        )?;
        let Some(&leaves) = blocking.first() else {
            return Ok(());
        };
        Err(ApiError::too_many(
            self.code,
            format!(
                "at most {max} {} {} per {}",
                self.rows,
                self.per.words(),
                self.window.words()
            ),
            leaves + self.window.seconds() - now,
        ))
    }
}

impl RollingLimit {
    /// For a table that holds nothing but the events the limit counts (the key column and the time column): 429
    /// at the limit, else one more event of `key` at `now`, counted and written in one transaction.
    pub async fn record(&self, db: &Db, key: &str, max: u32, now: i64) -> Result<(), ApiError> {
        let (limit, key) = (*self, key.to_string());
        db.call(move |conn| {
            let tx = conn.transaction()?;
            limit.check(&tx, &key, max, now)?;
            let (table, at) = (limit.table, limit.time_column);
            match limit.per.column() {
                Some(column) => tx.execute(
                    &format!("INSERT INTO {table} ({column}, {at}) VALUES (?1, ?2)"),
                    rusqlite::params![key, now],
                )?,
                None => tx.execute(&format!("INSERT INTO {table} ({at}) VALUES (?1)"), [now])?,
            };
            tx.commit()?;
            Ok(())
        })
        .await
    }
}

/// A byte quota: at most so many bytes in the rows of `table` per key within the window, the new ones included.
#[derive(Clone, Copy, Debug)]
pub struct RollingQuota {
    pub table: &'static str,
    pub time_column: &'static str,
    /// The column with the row's size in bytes.
    pub size_column: &'static str,
    pub per: Per,
    pub window: Window,
    /// What the bytes are, in the refusal's message (`uploads`).
    pub of: &'static str,
    pub code: &'static str,
}

impl RollingQuota {
    /// `Ok` while the bytes of `key` within the window before `now` and `adding` more stay within `max`;
    /// otherwise 429 with the code and the seconds until enough of the oldest rows left the window for
    /// `adding` to fit (a whole window when it never fits).
    pub fn check(
        &self,
        conn: &Connection,
        key: &str,
        adding: u64,
        max: u64,
        now: i64,
    ) -> Result<(), ApiError> {
        let window = self.window.seconds();
        let source = (self.table, self.time_column, self.per, self.window);
        let select = format!("{}, {}", self.size_column, self.time_column);
        let mut rows = rows_within(conn, source, &select, ("LIMIT ?3", -1), key, now, |r| {
            Ok((r.get::<_, i64>(0)?.max(0) as u64, r.get::<_, i64>(1)?))
        })?;
        rows.reverse();
        let used: u64 = rows.iter().map(|(bytes, _)| bytes).sum();
        if used + adding <= max {
            return Ok(());
        }
        let excess = used + adding - max;
        let mut freed = 0;
        let fits_at = rows.iter().find_map(|&(bytes, at)| {
            freed += bytes;
            (freed >= excess && adding <= max).then_some(at + window)
        });
        Err(ApiError::too_many(
            self.code,
            format!(
                "at most {max} bytes of {} {} per {}",
                self.of,
                self.per.words(),
                self.window.words()
            ),
            fits_at.unwrap_or(now + window) - now,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: RollingLimit = RollingLimit {
        table: "sms_codes",
        time_column: "created_at",
        per: Per::Number,
        window: Window::Hour,
        rows: "codes",
        code: "sms_hourly_limit",
    };

    fn sent(conn: &Connection, phone: &str, at: i64) {
        conn.execute(
            "INSERT INTO sms_codes (phone, client_ip, code_hash, created_at, expires_at)
             VALUES (?1, '192.0.2.1', 'x', ?2, ?2)",
            rusqlite::params![phone, at],
        )
        .unwrap();
    }

    #[test]
    fn rows_within_the_window_count_and_the_oldest_says_when_to_retry() {
        let dir = tempfile::tempdir().unwrap();
        crate::db::Db::open(&dir.path().join("t.sqlite3")).unwrap();
        let conn = Connection::open(dir.path().join("t.sqlite3")).unwrap();
        let now = 1_000_000;
        sent(&conn, "13800000000", now - 3600); // just outside
        sent(&conn, "13800000000", now - 3000);
        sent(&conn, "13900000000", now - 10);
        assert!(LIMIT.check(&conn, "13800000000", 2, now).is_ok());
        sent(&conn, "13800000000", now - 100);
        let refused = LIMIT.check(&conn, "13800000000", 2, now).unwrap_err();
        assert_eq!(refused.status, axum::http::StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(refused.body.code, "sms_hourly_limit");
        assert_eq!(refused.body.message, "at most 2 codes per number per hour");
        // With the limit lowered to 1, the second-newest row must leave as well.
        let lowered = LIMIT.check(&conn, "13800000000", 1, now).unwrap_err();
        assert_eq!(lowered.body.retry_after_s, Some(3500));
        assert_eq!(refused.body.retry_after_s, Some(600));
        assert!(LIMIT.check(&conn, "13900000000", 2, now).is_ok());
    }

    /// The bytes of the `uploads` rows, as a test quota.
    const QUOTA: RollingQuota = RollingQuota {
        code: "test_quota",
        of: "pictures",
        per: Per::Number,
        window: Window::Day,
        table: "uploads",
        time_column: "created_at",
        size_column: "bytes",
    };

    fn uploaded(conn: &Connection, phone: &str, bytes: i64, at: i64) {
        conn.execute(
            "INSERT INTO uploads (id, kind, phone, file_name, format, bytes, width, height, sha256, created_at)
             VALUES (?1, 'asset_proof', ?2, 'f', 'png', ?3, 1, 1, 'x', ?4)",
            rusqlite::params![format!("up_{at}_{bytes}"), phone, bytes, at],
        )
        .unwrap();
    }

    #[test]
    fn a_quota_waits_until_enough_bytes_left_the_window() {
        let dir = tempfile::tempdir().unwrap();
        crate::db::Db::open(&dir.path().join("t.sqlite3")).unwrap();
        let conn = Connection::open(dir.path().join("t.sqlite3")).unwrap();
        let now = 1_000_000;
        uploaded(&conn, "13800000000", 900, now - 86_400); // just outside
        uploaded(&conn, "13800000000", 300, now - 80_000);
        uploaded(&conn, "13800000000", 400, now - 50_000);
        uploaded(&conn, "13900000000", 900, now - 10);
        assert!(QUOTA.check(&conn, "13800000000", 300, 1000, now).is_ok());
        // 700 used: 500 more needs the oldest 300 gone, 650 more the next 400 as well.
        let refused = QUOTA
            .check(&conn, "13800000000", 500, 1000, now)
            .unwrap_err();
        assert_eq!(refused.body.code, "test_quota");
        assert_eq!(
            refused.body.message,
            "at most 1000 bytes of pictures per number per day"
        );
        assert_eq!(refused.body.retry_after_s, Some(6_400));
        let refused = QUOTA
            .check(&conn, "13800000000", 650, 1000, now)
            .unwrap_err();
        assert_eq!(refused.body.retry_after_s, Some(36_400));
        // More than the quota never fits: a whole window.
        let refused = QUOTA
            .check(&conn, "13900000000", 1001, 1000, now)
            .unwrap_err();
        assert_eq!(refused.body.retry_after_s, Some(86_400));
    }
}
