//! Rate limits over rolling windows: before a row is written, the rows the same number or client address wrote
//! within the last hour or day are counted in the table itself; at the limit the request is refused with 429
//! and the seconds until the oldest of them leaves the window.

use rusqlite::Connection;

use crate::error::ApiError;

/// Whose rows are counted: the column holding the key, and how the refusal names it.
#[derive(Clone, Copy, Debug)]
pub enum Per {
    /// The verified or requested phone number (`phone`).
    Number,
    /// The client address (`client_ip`, see `extract::client_address`).
    ClientAddress,
}

impl Per {
    fn column(self) -> &'static str {
        match self {
            Per::Number => "phone",
            Per::ClientAddress => "client_ip",
        }
    }

    fn words(self) -> &'static str {
        match self {
            Per::Number => "number",
            Per::ClientAddress => "client address",
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
        let window = self.window.seconds();
        let sql = format!(
            "SELECT COUNT(*), MIN({at}) FROM {table} WHERE {key} = ?1 AND {at} > ?2",
            at = self.time_column,
            table = self.table,
            key = self.per.column(),
        );
        let (count, oldest): (i64, Option<i64>) =
            conn.query_row(&sql, rusqlite::params![key, now - window], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        if count < i64::from(max) {
            return Ok(());
        }
        Err(ApiError::too_many(
            self.code,
            format!(
                "at most {max} {} per {} per {}",
                self.rows,
                self.per.words(),
                self.window.words()
            ),
            oldest.unwrap_or(now) + window - now,
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
        assert_eq!(refused.body.retry_after_s, Some(600));
        assert!(LIMIT.check(&conn, "13900000000", 2, now).is_ok());
    }
}
