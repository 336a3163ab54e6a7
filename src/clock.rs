//! The browser's clock, for timestamps that go with the application and for validation of ages.

use domain::date::Date;

/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The current time in RFC 3339 (UTC), e.g. `2026-11-24T08:30:00.000Z`.
pub fn now_rfc3339() -> String {
    js_sys::Date::new_0().to_iso_string().into()
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
