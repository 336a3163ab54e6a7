//! The styleguide's form controls: text fields, boxes to tick, the SMS code, the agreements and the attachment
//! fields, each in its states.

use super::{words, Section, State, FOCUSED_SAMPLE};
use crate::clock::now_ms;
use crate::components::agreement::AgreementField;
use crate::components::attachment_field::{AttachmentField, Sample, SampleState};
use crate::components::field::{CheckboxField, Field, TextInput, Touched};
use crate::components::sms_code::SmsCodeField;
use crate::config::use_config;
use crate::draft::{use_draft, AgreementRecord, SmsCooldown};
use crate::form::Form;
use crate::i18n::*;
use crate::routes::Page;
use crate::upload::StoredUpload;
use domain::api::UploadKind;
use domain::phone::PhoneError;
use leptos::prelude::*;

/// The mobile number of the SMS samples.
const SAMPLE_PHONE: &str = "13812345678";
/// The seconds left on the sample countdown.
const COUNTDOWN_S: f64 = 42.0;

/// One text field: `id`, its value, its error, whether it is disabled.
#[component]
fn TextSample(
    id: &'static str,
    #[prop(into)] value: String,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] disabled: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let value = RwSignal::new(value);
    view! {
        <Field
            id=id
            label=words!(i18n, identity.name_label)
            hint=words!(i18n, identity.name_hint)
            error=error
        >
            <TextInput
                id=id
                value=value
                error=error
                on_input=move |text| value.set(text)
                touched=Touched::new()
                {..}
                type="text"
                autocomplete="off"
                disabled=disabled
            />
        </Field>
    }
}

#[component]
pub fn TextFields() -> impl IntoView {
    let i18n = use_i18n();
    let name = move || t_string!(i18n, styleguide.sample_name).to_string();
    let none = Signal::stored(None::<String>);
    view! {
        <Section title=words!(i18n, styleguide.text_field)>
            <State name=words!(i18n, styleguide.empty)>
                <TextSample id="styleguide-text-empty" value="" error=none />
            </State>
            <State name=words!(i18n, styleguide.filled)>
                <TextSample id="styleguide-text-filled" value=name() error=none />
            </State>
            <State name=words!(i18n, styleguide.focused)>
                <TextSample id=FOCUSED_SAMPLE value="" error=none />
            </State>
            <State name=words!(i18n, styleguide.error)>
                <TextSample
                    id="styleguide-text-error"
                    value=""
                    error=Signal::derive(move || Some(t_string!(i18n, errors.name_empty).to_string()))
                />
            </State>
            <State name=words!(i18n, styleguide.disabled)>
                <TextSample id="styleguide-text-disabled" value=name() error=none disabled=true />
            </State>
        </Section>
    }
}

#[component]
pub fn Checkboxes() -> impl IntoView {
    let i18n = use_i18n();
    let states = [
        ("styleguide-box-unchecked", false, false),
        ("styleguide-box-checked", true, false),
        ("styleguide-box-error", false, true),
    ];
    view! {
        <Section title=words!(i18n, styleguide.checkbox)>
            {states
                .into_iter()
                .map(|(id, ticked, invalid)| {
                    let checked = RwSignal::new(ticked);
                    let name = match (ticked, invalid) {
                        (true, _) => words!(i18n, styleguide.checked),
                        (false, false) => words!(i18n, styleguide.unchecked),
                        (false, true) => words!(i18n, styleguide.error),
                    };
                    let error = Signal::derive(move || {
                        invalid.then(|| t_string!(i18n, errors.consent_missing).to_string())
                    });
                    view! {
                        <State name=name>
                            <CheckboxField
                                id=id
                                label=words!(i18n, consent.agree)
                                checked=checked
                                on_change=move |on| checked.set(on)
                                error=error
                            />
                        </State>
                    }
                })
                .collect_view()}
        </Section>
    }
}

#[component]
pub fn SmsCodes() -> impl IntoView {
    let i18n = use_i18n();
    let draft = use_draft();
    // The clock stands still, so the countdown shows the same number of seconds on every look.
    let now = RwSignal::new(now_ms());
    draft.update(|d| {
        d.sms_cooldown = Some(SmsCooldown {
            phone: SAMPLE_PHONE.into(),
            until_ms: now.get_untracked() + COUNTDOWN_S * 1000.0,
        })
    });
    let paths = [
        "styleguide.code_idle",
        "styleguide.code_countdown",
        "styleguide.code_verified",
    ];
    let form = Form::new(
        Page::Styleguide,
        paths.iter().map(|p| p.to_string()).collect(),
        |_| Vec::new(),
    );
    let sample = move |path: &'static str, phone: &'static str, verified: bool| {
        view! {
            <SmsCodeField
                form=form
                path=path
                phone_path="styleguide.phone"
                phone=Signal::stored(Ok::<_, PhoneError>(phone.to_string()))
                code=RwSignal::new(String::new())
                verified=Signal::stored(verified.then(|| phone.to_string()))
                now=now
                on_input=Callback::new(|()| {})
            />
        }
    };
    view! {
        <Section title=words!(i18n, styleguide.sms_code)>
            <State name=words!(i18n, styleguide.idle)>{sample(paths[0], "13912345678", false)}</State>
            <State name=words!(i18n, styleguide.countdown)>{sample(paths[1], SAMPLE_PHONE, false)}</State>
            <State name=words!(i18n, styleguide.verified)>{sample(paths[2], SAMPLE_PHONE, true)}</State>
        </Section>
    }
}

#[component]
pub fn Agreements() -> impl IntoView {
    let i18n = use_i18n();
    let agreement = use_config().agreements[0].clone();
    let title = agreement.title.clone();
    let record = |agreed: bool| AgreementRecord {
        version: agreement.version.clone(),
        opened_at: "2026-03-15T10:00:00+08:00".into(),
        agreed_at: agreed.then(|| "2026-03-15T10:02:00+08:00".into()),
    };
    let states = [
        ("unread", None, false),
        ("read", Some(record(false)), false),
        ("agreed", Some(record(true)), false),
        ("error", None, true),
    ];
    view! {
        <Section title=words!(i18n, styleguide.agreement)>
            {states
                .into_iter()
                .map(|(state, start, invalid)| {
                    let current = RwSignal::new(start);
                    let name = match state {
                        "unread" => words!(i18n, styleguide.unread),
                        "read" => words!(i18n, styleguide.read),
                        "agreed" => words!(i18n, styleguide.agreed),
                        _ => words!(i18n, styleguide.error),
                    };
                    let (title, agreement) = (title.clone(), agreement.clone());
                    let error = Signal::derive(move || {
                        invalid.then(|| {
                            let title = title.get(i18n.get_locale().as_str()).to_string();
                            t_string!(i18n, errors.agreement_missing, title).to_string()
                        })
                    });
                    view! {
                        <State name=name>
                            <AgreementField
                                id=format!("styleguide-agreement-{state}")
                                agreement=agreement
                                record=current
                                on_change=Callback::new(move |r| current.set(r))
                                error=error
                            />
                        </State>
                    }
                })
                .collect_view()}
        </Section>
    }
}

#[component]
pub fn Attachments() -> impl IntoView {
    let i18n = use_i18n();
    let file = move || t_string!(i18n, styleguide.sample_file).to_string();
    let uploaded = vec![StoredUpload {
        upload_id: "styleguide-upload".into(),
        file_name: file(),
        bytes: 812_345,
        width: 2560,
        height: 1600,
    }];
    let sample = |state| Sample {
        name: file(),
        bytes: 3_456_789,
        state,
    };
    let states = [
        ("idle", Vec::new(), None, false),
        ("uploaded", uploaded, None, false),
        (
            "preparing",
            Vec::new(),
            Some(sample(SampleState::Preparing)),
            false,
        ),
        (
            "uploading",
            Vec::new(),
            Some(sample(SampleState::Uploading(40))),
            false,
        ),
        (
            "failed",
            Vec::new(),
            Some(sample(SampleState::Failed)),
            false,
        ),
        ("error", Vec::new(), None, true),
    ];
    view! {
        <Section title=words!(i18n, styleguide.attachment)>
            {states
                .into_iter()
                .map(|(state, stored, sample, invalid)| {
                    let uploads = RwSignal::new(stored);
                    let name = match state {
                        "idle" => words!(i18n, styleguide.idle),
                        "uploaded" => words!(i18n, styleguide.uploaded),
                        "preparing" => words!(i18n, styleguide.preparing),
                        "uploading" => words!(i18n, styleguide.uploading),
                        "failed" => words!(i18n, styleguide.upload_failed),
                        _ => words!(i18n, styleguide.error),
                    };
                    let error = Signal::derive(move || {
                        invalid.then(|| t_string!(i18n, errors.id_front_missing).to_string())
                    });
                    view! {
                        <State name=name>
                            <AttachmentField
                                id=format!("styleguide-attachment-{state}")
                                kind=UploadKind::IdFront
                                label=words!(i18n, account.id_front_label)
                                hint=words!(i18n, account.id_hint)
                                uploads=uploads
                                on_change=Callback::new(move |list| uploads.set(list))
                                error=error
                                sample=sample
                            />
                        </State>
                    }
                })
                .collect_view()}
        </Section>
    }
}
