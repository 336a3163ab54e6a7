//! Time, random identifiers and hashing.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use domain::date::Date;
use rand::Rng;
use sha2::{Digest, Sha256};

/// Seconds since 1970-01-01T00:00:00Z.
pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// China Standard Time is UTC+8 all year.
const BEIJING_OFFSET_S: i64 = 8 * 3600;

/// The calendar date in Beijing at `unix` seconds: "today" for age checks and references.
pub fn beijing_date(unix: i64) -> Date {
    Date::from_days_since_epoch((unix + BEIJING_OFFSET_S).div_euclid(86_400))
}

/// `2026-03-15T02:14:09Z`.
pub fn rfc3339(unix: i64) -> String {
    let date = Date::from_days_since_epoch(unix.div_euclid(86_400));
    let secs = unix.rem_euclid(86_400);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        date.year,
        date.month,
        date.day,
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// `prefix` + 24 random bytes in URL-safe base64 (192 bits): tokens and ids nobody can guess.
pub fn random_token(prefix: &str) -> String {
    let bytes: [u8; 24] = rand::rng().random();
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// `n` characters from an alphabet without look-alikes (no 0/O, 1/I/L).
pub fn random_readable(n: usize) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut rng = rand::rng();
    (0..n)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// `n` random decimal digits, e.g. an SMS code.
pub fn random_digits(n: usize) -> String {
    let mut rng = rand::rng();
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Bytes in a MiB.
pub const MIB: u64 = 1024 * 1024;

/// Writes `bytes` to a new file at `path` that only the backend's user may read (0600): uploads hold ID cards.
pub async fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use tokio::io::AsyncWriteExt;
    let mut options = tokio::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options.open(path).await?;
    file.write_all(bytes).await?;
    file.flush().await
}

/// Equality that takes the same time wherever the inputs differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_formats_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_773_540_849), "2026-03-15T02:14:09Z");
    }

    #[test]
    fn beijing_date_turns_at_16_utc() {
        // 2026-03-15T15:59:59Z is 23:59:59 in Beijing; a second later it is the 16th there.
        let before = 1_773_590_399;
        assert_eq!(beijing_date(before), Date::new(2026, 3, 15).unwrap());
        assert_eq!(beijing_date(before + 1), Date::new(2026, 3, 16).unwrap());
    }

    #[test]
    fn random_values_have_their_shape() {
        let code = random_digits(6);
        assert_eq!(code.len(), 6);
        assert!(code.bytes().all(|b| b.is_ascii_digit()));
        let token = random_token("vt_");
        assert!(token.starts_with("vt_") && token.len() == 3 + 32);
        assert_ne!(random_token(""), random_token(""));
        let r = random_readable(6);
        assert!(r
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()));
        assert!(!r.contains(['0', 'O', '1', 'I', 'L']));
    }

    #[test]
    fn sha256_of_abc() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn constant_time_eq_compares() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
