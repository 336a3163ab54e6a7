//! The SMS code of a mobile number: its input (one-time-code autofill, numeric keyboard, paste allowed) and
//! "发送验证码", which checks the number first, sends once however often it is pressed, and then counts down
//! for as long as the server says. The countdown is kept in the draft, so it survives a refresh.

use crate::api::{Api, ApiError};
use crate::clock::now_ms;
use crate::components::error_summary::focus_element;
use crate::components::field::{Field, TextInput};
use crate::config::use_config;
use crate::draft::{use_draft, SmsCooldown};
use crate::form::place::dom_id;
use crate::form::Form;
use crate::i18n::*;
use crate::messages::{api_error_message, wait_text};
use domain::api::{SmsCodeRequest, SmsCodeSent};
use domain::phone::{mask_phone, PhoneError};
use leptos::prelude::*;

#[component]
pub fn SmsCodeField(
    form: Form,
    /// API path of the code; its control's id derives from it.
    path: &'static str,
    /// API path of the number's field, whose error shows when 发送验证码 is pressed without a valid number.
    phone_path: &'static str,
    /// The number as typed, normalized (or why it is not a mobile number).
    #[prop(into)]
    phone: Signal<Result<String, PhoneError>>,
    code: RwSignal<String>,
    /// The number already verified, if any: the code is not needed then.
    #[prop(into)]
    verified: Signal<Option<String>>,
    /// The clock of the countdown, in milliseconds ([`crate::clock::use_now`]).
    now: RwSignal<f64>,
    /// Called when the investor types a code: an earlier verification answer no longer applies.
    on_input: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = use_draft();
    let api = Api::new(&use_config().api_base_url);
    let id = dom_id(path);
    let phone_id = dom_id(phone_path);
    let error = form.shown(path);

    let cooldown_left = move || -> u64 {
        let now = now.get();
        draft.draft.with(|d| match (&d.sms_cooldown, phone.get()) {
            (Some(c), Ok(p)) if c.phone == p && c.until_ms > now => {
                ((c.until_ms - now) / 1000.0).ceil() as u64
            }
            _ => 0,
        })
    };

    let send = Action::new_local(move |phone: &String| {
        let request = SmsCodeRequest {
            phone: phone.clone(),
        };
        let api = api.clone();
        async move {
            let sent = Api::send_json::<_, SmsCodeSent>(api.post("/sms-codes"), &request).await;
            (request.phone, sent)
        }
    });
    let send_error = RwSignal::new(None::<ApiError>);
    let sent_to = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let Some((input, outcome)) = send.value().get() else {
            return;
        };
        let wait_s = match &outcome {
            Ok(sent) => Some(sent.cooldown_s),
            Err(ApiError::Api { status: 429, body }) => body.retry_after_s,
            // A proxy's refusal: its Retry-After header.
            Err(ApiError::Unexpected {
                status: 429,
                retry_after_s,
            }) => *retry_after_s,
            Err(_) => None,
        };
        if let Some(wait_s) = wait_s {
            draft.update(|d| {
                d.sms_cooldown = Some(SmsCooldown {
                    phone: input.clone(),
                    until_ms: now_ms() + wait_s as f64 * 1000.0,
                })
            });
            now.set(now_ms());
        }
        match outcome {
            Ok(_) => {
                send_error.set(None);
                sent_to.set(Some(input));
            }
            Err(error) => send_error.set(Some(error)),
        }
    });
    let focus_phone = phone_id.clone();
    let on_send = move |_| {
        form.touched().touch(&phone_id);
        if send.pending().get_untracked() || cooldown_left() > 0 {
            return;
        }
        match phone.get_untracked() {
            Ok(p) => {
                send_error.set(None);
                on_input.run(());
                send.dispatch(p);
            }
            Err(_) => focus_element(&focus_phone),
        }
    };

    let send_label = move || {
        let left = cooldown_left();
        if send.pending().get() {
            t_string!(i18n, identity.sending).to_string()
        } else if left > 0 {
            let wait = wait_text(i18n, left);
            t_string!(i18n, identity.resend_in, wait).to_string()
        } else {
            t_string!(i18n, identity.send_code).to_string()
        }
    };
    // Announced politely (role="status"): the code sent, then once the wait is over that a new one may be asked
    // for — not each second of the countdown, which the button shows. A memo: the text changes only then.
    let status = Memo::new(move |_| {
        if let Some(p) = verified.get() {
            return Some(t_string!(i18n, identity.verified, phone = mask_phone(&p)).to_string());
        }
        let phone = mask_phone(&sent_to.get()?);
        Some(if cooldown_left() == 0 && !send.pending().get() {
            t_string!(i18n, identity.code_sent_resend, phone).to_string()
        } else {
            t_string!(i18n, identity.code_sent, phone).to_string()
        })
    });

    view! {
        <Field
            id=id.clone()
            label=move || t_string!(i18n, identity.code_label).to_string()
            hint=move || t_string!(i18n, identity.code_hint).to_string()
            error=error
        >
            <div class="code-row">
                <TextInput
                    id=id.clone()
                    class="input input-code"
                    value=code
                    error=error
                    on_input=move |value| {
                        on_input.run(());
                        code.set(value);
                    }
                    touched=form.touched()
                    {..}
                    type="text"
                    inputmode="numeric"
                    autocomplete="one-time-code"
                    disabled=move || verified.with(Option::is_some)
                />
                <button
                    type="button"
                    class="button button-secondary"
                    aria-disabled=move || (send.pending().get() || cooldown_left() > 0).to_string()
                    on:click=on_send
                >
                    {send_label}
                </button>
            </div>
            <p class="field-error" role="alert" hidden=move || send_error.with(Option::is_none)>
                {move || send_error.get().map(|e| api_error_message(i18n, &e))}
            </p>
            <p class="field-status" role="status">{move || status.get()}</p>
        </Field>
    }
}
