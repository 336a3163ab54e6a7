//! The time, for timestamps that go with the application, for the age rule and for countdowns and expiries.
//!
//! A phone's clock may be off by hours or days (set by hand, a wrong time zone taken for the time). The server's
//! clock decides ages, expiries and cooldowns, so the app reads the server's time from the `Date` header of
//! every answer ([`observe_server_date`]) and, when the phone is more than [`TRUSTED_DRIFT_MS`] off, counts
//! from the server's time instead: the page then judges an age as the server will, and the times it sends
//! (agreement and consent records) are the server's.

use domain::date::Date;
use std::cell::Cell;

/// A phone this close to the server's time keeps its own clock (a `Date` header has whole seconds, and an
/// answer takes its time to arrive): countdowns do not jump by a second at each answer.
pub const TRUSTED_DRIFT_MS: f64 = 5.0 * 60_000.0;

thread_local! {
    /// Milliseconds to add to the phone's clock to get the server's.
    static SERVER_OFFSET_MS: Cell<f64> = const { Cell::new(0.0) };
}

/// Takes the server's time from an answer's `Date` header (an HTTP date, whole seconds).
pub fn observe_server_date(header: Option<&str>) {
    let Some(server_ms) = header.map(js_sys::Date::parse).filter(|ms| !ms.is_nan()) else {
        return;
    };
    // The header rounds down to the second: the server's time was half a second later on average.
    let offset = server_ms + 500.0 - js_sys::Date::now();
    let offset = if offset.abs() > TRUSTED_DRIFT_MS {
        offset
    } else {
        0.0
    };
    SERVER_OFFSET_MS.with(|o| {
        if (o.get() - offset).abs() > 2000.0 {
            o.set(offset);
        }
    });
}

/// Milliseconds since the epoch, by the server's clock as far as the app knows it.
pub fn now_ms() -> f64 {
    js_sys::Date::now() + SERVER_OFFSET_MS.with(Cell::get)
}

/// The current time in RFC 3339 (UTC), e.g. `2026-11-24T08:30:00.000Z`.
pub fn now_rfc3339() -> String {
    js_sys::Date::new(&now_ms().into()).to_iso_string().into()
}

/// Today's date in China, for the age rules.
pub fn today() -> Date {
    Date::from_unix_seconds_in_china((now_ms() / 1000.0) as i64)
}

/// The time in milliseconds, renewed every second while the page is open (countdowns, expiries).
pub fn use_now() -> leptos::prelude::RwSignal<f64> {
    use leptos::prelude::Set;
    let now = leptos::prelude::RwSignal::new(now_ms());
    leptos_use::use_interval_fn(move || now.set(now_ms()), 1000);
    now
}

/// A time of the API (RFC 3339) as investors in China read it: `2026-11-29 14:05`, Beijing time. The text
/// itself when it is not such a time.
pub fn beijing_time(rfc3339: &str) -> String {
    let Some(seconds) = domain::application::parse_rfc3339(rfc3339) else {
        return rfc3339.to_string();
    };
    let local = seconds + 8 * 3600;
    let date = Date::from_days_since_epoch(local.div_euclid(86_400));
    let minutes = local.rem_euclid(86_400) / 60;
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        date.year,
        date.month,
        date.day,
        minutes / 60,
        minutes % 60
    )
}

#[cfg(test)]
mod tests {
    use super::beijing_time;

    #[test]
    fn api_times_read_in_beijing_time() {
        assert_eq!(beijing_time("2026-11-29T06:05:09Z"), "2026-11-29 14:05");
        assert_eq!(beijing_time("2026-11-29T23:30:00Z"), "2026-11-30 07:30");
        assert_eq!(
            beijing_time("2026-11-29T10:00:00+08:00"),
            "2026-11-29 10:00"
        );
        assert_eq!(beijing_time("soon"), "soon");
    }
}
