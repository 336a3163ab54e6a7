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
