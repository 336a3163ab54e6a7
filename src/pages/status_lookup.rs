//! 查询开户申请 — the status on another device (or after this one forgot it): the reference, the mobile number of
//! the application and an SMS code sent to it. The exchange answers with a status token for this device; a
//! reference and number that do not belong together get one message, whether the reference exists or not.

use crate::api::ApiError;
use crate::clock::use_now;
use crate::components::error_summary::ErrorSummary;
use crate::components::field::{Entry, TextField};
use crate::components::sms_code::SmsCodeField;
use crate::config::use_config;
use crate::form::Form;
use crate::i18n::*;
use crate::messages::{api_error_message, code_message};
use crate::routes::Page;
use crate::status::{use_tracked, StatusApi};
use domain::api::{codes, StatusLookupRequest};
use domain::phone::normalize_phone;
use domain::sms_code::validate_sms_code;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::use_navigate;

const REFERENCE: &str = "lookup.reference";
const PHONE: &str = "lookup.phone";
const CODE: &str = "lookup.code";

/// The label and hint of each text field, one a line.
#[rustfmt::skip]
fn words(i18n: I18nContext<Locale>, path: &str) -> (&'static str, Option<&'static str>) {
    match path {
        REFERENCE => (t_string!(i18n, lookup.reference_label), Some(t_string!(i18n, lookup.reference_hint))),
        _ => (t_string!(i18n, identity.phone_label), None),
    }
}

/// The reference as the exchange writes it: upper case, no spaces.
fn normalized_reference(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase()
}

#[component]
pub fn StatusLookupPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = StatusApi::new(&use_config().api_base_url);
    let tracked = use_tracked();
    let navigate = use_navigate();
    let now = use_now();
    let reference = RwSignal::new(String::new());
    let phone_typed = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let refused = RwSignal::new(None::<ApiError>);
    let phone = Memo::new(move |_| phone_typed.with(|p| normalize_phone(p)));
    // A change of the reference or the number: the last refusal no longer applies.
    let typed = move |field: RwSignal<String>| {
        Callback::new(move |value: String| {
            refused.set(None);
            field.set(value);
        })
    };

    let order = [REFERENCE, PHONE, CODE].map(String::from).to_vec();
    let form = Form::new(Page::StatusLookup, order, move |_| {
        let mut problems = Vec::new();
        let wrong_pair = refused.with(|r| {
            r.as_ref()
                .is_some_and(|e| e.code() == Some(codes::APPLICATION_NOT_FOUND))
        });
        if reference.with(|r| normalized_reference(r).is_empty()) {
            let missing = t_string!(i18n, lookup.reference_missing).to_string();
            problems.push((REFERENCE.to_string(), missing));
        } else if wrong_pair {
            let message = t_string!(i18n, lookup.not_found).to_string();
            problems.push((REFERENCE.to_string(), message));
        }
        if let Err(e) = phone.get() {
            problems.push((PHONE.to_string(), code_message(i18n, e.code())));
        }
        let code_problem = match refused.get() {
            Some(error) if !wrong_pair => Some(api_error_message(i18n, &error)),
            _ => validate_sms_code(&code.get())
                .err()
                .map(|e| code_message(i18n, e.code())),
        };
        problems.extend(code_problem.map(|message| (CODE.to_string(), message)));
        problems
    });

    let lookup = Action::new_local(move |request: &StatusLookupRequest| {
        let api = api.clone();
        let request = request.clone();
        async move { api.lookup(&request).await }
    });
    Effect::new(move |_| match lookup.value().get() {
        Some(Ok(found)) => {
            tracked.remember(found);
            navigate(Page::Status.path(), Default::default());
        }
        Some(Err(error)) => {
            refused.set(Some(error));
            form.fail();
        }
        None => {}
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if lookup.pending().get_untracked() || !form.send_except(CODE) {
            return;
        }
        if let (Ok(phone), Ok(code)) = (
            phone.get_untracked(),
            validate_sms_code(&code.get_untracked()),
        ) {
            refused.set(None);
            lookup.dispatch(StatusLookupRequest {
                reference: normalized_reference(&reference.get_untracked()),
                phone,
                code,
            });
        }
    };

    view! {
        <section class="lookup">
            <ErrorSummary errors=form.summary() attempt=form.attempt() />
            <h1>{t!(i18n, lookup.title)}</h1>
            <p>{t!(i18n, lookup.lead)}</p>
            <form on:submit=on_submit novalidate>
                <TextField form=form path=REFERENCE entry=Entry::Reference words=words value=reference on_input=typed(reference) />
                <TextField form=form path=PHONE entry=Entry::Phone words=words value=phone_typed on_input=typed(phone_typed) />
                <SmsCodeField
                    form=form
                    path=CODE
                    phone_path=PHONE
                    phone=phone
                    code=code
                    verified=Signal::derive(|| None::<String>)
                    now=now
                    on_input=Callback::new(move |()| refused.set(None))
                />
                <div class="actions">
                    <button type="submit" class="button button-primary" disabled=move || lookup.pending().get()>
                        {move || {
                            if lookup.pending().get() {
                                t_string!(i18n, lookup.looking_up)
                            } else {
                                t_string!(i18n, lookup.submit)
                            }
                        }}
                    </button>
                </div>
            </form>
        </section>
    }
}
