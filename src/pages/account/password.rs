//! The password and its confirmation: a show/hide switch for both, a strength meter, never stored in the
//! draft (kept in memory only, see [`crate::draft::Secrets`]).

use crate::components::field::{described_by, Field, TextInput};
use crate::draft::use_secrets;
use crate::form::place::dom_id;
use crate::form::Form;
use crate::i18n::*;
use domain::application::fields;
use domain::password::{password_strength, Strength};
use leptos::prelude::*;

/// The confirmation: on the page, not in the application.
pub const CONFIRM: &str = "account.password_confirm";

fn strength_text(i18n: leptos_i18n::I18nContext<Locale>, strength: Strength) -> &'static str {
    match strength {
        Strength::TooShort => t_string!(i18n, account.strength_too_short),
        Strength::Weak => t_string!(i18n, account.strength_weak),
        Strength::Fair => t_string!(i18n, account.strength_fair),
        Strength::Good => t_string!(i18n, account.strength_good),
        Strength::Strong => t_string!(i18n, account.strength_strong),
    }
}

#[component]
pub fn PasswordFields(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    let secrets = use_secrets();
    let show = RwSignal::new(false);
    let input_type = move || if show.get() { "text" } else { "password" };
    let id = dom_id(fields::ACCOUNT_PASSWORD);
    let strength_id = format!("{id}-strength");
    let error = form.shown(fields::ACCOUNT_PASSWORD);
    let confirm_error = form.shown(CONFIRM);
    let strength = move || password_strength(&secrets.password.get());
    let touched = form.touched();
    let left = id.clone();
    let described = format!("{} {strength_id}", described_by(&id));

    view! {
        <Field
            id=id.clone()
            label=move || t_string!(i18n, account.password_label).to_string()
            hint=move || t_string!(i18n, account.password_hint).to_string()
            error=error
        >
            <div class="password-row">
                <input
                    id=id.clone()
                    class="input"
                    type=input_type
                    autocomplete="new-password"
                    aria-describedby=described
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    prop:value=move || secrets.password.get()
                    on:input:target=move |ev| {
                        form.changed(fields::ACCOUNT_PASSWORD);
                        secrets.password.set(ev.target().value());
                    }
                    on:blur=move |_| touched.touch(&left)
                />
                <button
                    type="button"
                    class="button button-secondary button-small"
                    aria-controls=id.clone()
                    aria-pressed=move || show.get().to_string()
                    on:click=move |_| show.update(|s| *s = !*s)
                >
                    {move || {
                        if show.get() {
                            t_string!(i18n, account.password_hide)
                        } else {
                            t_string!(i18n, account.password_show)
                        }
                    }}
                </button>
            </div>
            <div class="strength" id=strength_id data-score=move || strength().score()>
                <span class="strength-meter" aria-hidden="true">
                    <span></span>
                    <span></span>
                    <span></span>
                    <span></span>
                </span>
                <span class="strength-text">
                    {t!(i18n, account.strength_label)}
                    {move || strength_text(i18n, strength())}
                </span>
            </div>
        </Field>
        <Field
            id=dom_id(CONFIRM)
            label=move || t_string!(i18n, account.confirm_label).to_string()
            error=confirm_error
        >
            <TextInput
                id=dom_id(CONFIRM)
                value=secrets.confirmation
                error=confirm_error
                on_input=move |value| secrets.confirmation.set(value)
                touched={touched}
                {..}
                type=input_type
                autocomplete="new-password"
            />
        </Field>
    }
}
