//! Whether the username typed is free: asked once the investor paused typing, the final word given on submit.

use crate::api::Api;
use crate::config::use_config;
use crate::i18n::*;
use domain::api::UsernameAvailability;
use domain::username::validate_username;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_use::signal_debounced;

/// Wait after the last keystroke before asking whether a username is free, in milliseconds.
const CHECK_DELAY_MS: f64 = 400.0;

/// What is known about the username typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Availability {
    /// Not a valid username (its rule's error shows instead).
    Unknown,
    Checking,
    Free(String),
    Taken(String),
    CheckFailed,
}

impl Availability {
    /// The status line under the field.
    pub fn status(&self, i18n: leptos_i18n::I18nContext<Locale>) -> Option<String> {
        match self {
            Availability::Checking => Some(t_string!(i18n, account.username_checking).to_string()),
            Availability::Free(name) => {
                Some(t_string!(i18n, account.username_available, name).to_string())
            }
            Availability::CheckFailed => {
                Some(t_string!(i18n, account.username_check_failed).to_string())
            }
            Availability::Unknown | Availability::Taken(_) => None,
        }
    }
}

/// The availability of `username` (as typed), asked of `GET /usernames/{name}` after a pause in typing.
pub fn use_availability(username: Signal<String>) -> Signal<Availability> {
    let api = Api::new(&use_config().api_base_url);
    let valid = Memo::new(move |_| username.with(|name| validate_username(name).ok()));
    let settled: Signal<Option<String>> =
        signal_debounced::<Memo<Option<String>>, Option<String>>(valid, CHECK_DELAY_MS);
    // The answer for the name it was asked for; a late answer for an older name is ignored.
    let answer = RwSignal::new(None::<(String, Option<bool>)>);
    Effect::new(move |_| {
        let Some(name) = settled.get() else {
            return;
        };
        let api = api.clone();
        spawn_local(async move {
            let path = format!("/usernames/{}", js_sys::encode_uri_component(&name));
            let available = Api::fetch_json::<UsernameAvailability>(api.get(&path))
                .await
                .ok()
                .map(|a| a.available);
            if settled.try_get_untracked().flatten().as_ref() == Some(&name) {
                answer.try_set(Some((name, available)));
            }
        });
    });
    Signal::derive(move || {
        let Some(name) = valid.get() else {
            return Availability::Unknown;
        };
        answer.with(|answer| match answer {
            Some((asked, Some(true))) if *asked == name => Availability::Free(name),
            Some((asked, Some(false))) if *asked == name => Availability::Taken(name),
            Some((asked, None)) if *asked == name => Availability::CheckFailed,
            _ => Availability::Checking,
        })
    })
}
