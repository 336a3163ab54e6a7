//! Username availability, asked a limited number of times per client address (the answer tells whether an
//! account name exists).

use axum::extract::{Path, State};
use axum::Json;
use domain::api::{codes, UsernameAvailability};
use domain::username::validate_username;
use rusqlite::Connection;

use crate::error::ApiError;
use crate::extract::ClientIp;
use crate::limits::{Per, RollingLimit, Window};
use crate::util::now_unix;
use crate::AppState;

/// Checks asked for by one client address within the hour.
const PER_CLIENT_ADDRESS: RollingLimit = RollingLimit {
    table: "username_checks",
    time_column: "checked_at",
    per: Per::ClientAddress,
    window: Window::Hour,
    rows: "username checks",
    code: codes::USERNAME_CHECK_LIMIT,
};

/// Checks per client address per rolling hour, unless `--username-checks-per-ip-per-hour` says otherwise: the
/// app asks once the investor pauses typing.
pub const DEFAULT_CHECKS_PER_IP_PER_HOUR: u32 = 300;

/// Names nobody gets: they would look like the exchange or its staff.
pub const RESERVED_USERNAMES: &[&str] = &[
    "admin",
    "administrator",
    "root",
    "system",
    "hbets",
    "hbets_admin",
    "exchange",
    "official",
    "operator",
    "support",
    "service",
    "kefu",
    "test",
];

/// Whether `username` is reserved (case does not matter).
pub fn is_reserved(username: &str) -> bool {
    RESERVED_USERNAMES
        .iter()
        .any(|r| r.eq_ignore_ascii_case(username))
}

/// Whether an application that is not `returned` already uses the name (case does not matter).
pub fn is_taken(conn: &Connection, username: &str) -> rusqlite::Result<bool> {
    is_taken_by_other(conn, username, None)
}

/// Same, not counting the application `except` (one being sent again).
pub fn is_taken_by_other(
    conn: &Connection,
    username: &str,
    except: Option<&str>,
) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM applications
                        WHERE username = ?1 COLLATE NOCASE AND status <> 'returned'
                          AND (?2 IS NULL OR reference <> ?2))",
        rusqlite::params![username, except],
        |r| r.get(0),
    )
}

/// `GET /usernames/{name}`: 400 with the rule's code when the name breaks the rules; 429
/// `username_check_limit` once the client address asked its checks of the hour.
pub async fn check_username(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(name): Path<String>,
) -> Result<Json<UsernameAvailability>, ApiError> {
    let limit = state.config().username_checks_per_ip_per_hour;
    PER_CLIENT_ADDRESS
        .record(state.db(), &ip, limit, now_unix())
        .await?;
    let username = validate_username(&name).map_err(|e| {
        ApiError::bad_request(e.code(), format!("username: {e}")).with_field("username")
    })?;
    let available = if is_reserved(&username) {
        false
    } else {
        let name = username.clone();
        !state
            .db()
            .call(move |conn| Ok(is_taken(conn, &name)?))
            .await?
    };
    Ok(Json(UsernameAvailability {
        username,
        available,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_names_ignore_case() {
        assert!(is_reserved("Admin"));
        assert!(is_reserved("HBETS"));
        assert!(!is_reserved("carbon_li"));
    }
}
