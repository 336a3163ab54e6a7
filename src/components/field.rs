//! One form field: label, hint, the inline error (shown above the control, GOV.UK style) and the control the
//! page passes as children. The control points at the hint and error with `aria-describedby={described_by(id)}`.
//! [`TextField`] is the whole of a text field of a [`Form`], named by its API path.

use crate::draft::use_draft;
use crate::form::place::dom_id;
use crate::form::Form;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

pub use crate::form::touched::Touched;

/// The ids of a field's hint and error, for the control's `aria-describedby`.
pub fn described_by(id: &str) -> String {
    format!("{id}-hint {id}-error")
}

#[component]
pub fn Field(
    /// Id of the control; the label points at it and error summaries link to it.
    #[prop(into)]
    id: String,
    #[prop(into)] label: Signal<String>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    /// The message to show, already in the investor's language; `None` shows no error.
    #[prop(into)]
    error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    field_view(id, label, hint, error, children())
}

fn field_view(
    id: String,
    label: Signal<String>,
    hint: Option<Signal<String>>,
    error: Signal<Option<String>>,
    control: impl IntoView,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label for=id>{label}</label>
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id>{hint}</p> })}
            <p class="field-error" id=error_id hidden=move || error.with(Option::is_none)>
                {move || error.get()}
            </p>
            {control}
        </div>
    }
}

/// The text input of a [`Field`], as the forms here want it: the field's id (the label and the error summary
/// point at it), `aria-describedby` its hint and error, `aria-invalid` while `error` shows, the value from the
/// draft, each change handed to `on_input`, and leaving it marks it [`Touched`]. Type, autocomplete, inputmode
/// and the like come after `{..}`: `<TextInput id=… {..} type="tel" autocomplete="tel-national" />`.
#[component]
pub fn TextInput(
    #[prop(into)] id: String,
    #[prop(into)] value: Signal<String>,
    /// The error as it is shown (the same as the [`Field`]'s `error`).
    #[prop(into)]
    error: Signal<Option<String>>,
    #[prop(into)] on_input: Callback<String>,
    touched: Touched,
    /// Classes of the input; `input` when not given.
    #[prop(optional)]
    class: Option<&'static str>,
) -> impl IntoView {
    let described = described_by(&id);
    let left = id.clone();
    view! {
        <input
            id=id
            class=class.unwrap_or("input")
            aria-describedby=described
            aria-invalid=move || error.with(Option::is_some).to_string()
            prop:value=move || value.get()
            on:input:target=move |ev| on_input.run(ev.target().value())
            on:blur=move |_| touched.touch(&left)
        />
    }
}

/// A box to tick, with its label and the error above it (GOV.UK style); the box is described by the error.
#[component]
pub fn CheckboxField(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] checked: Signal<bool>,
    #[prop(into)] on_change: Callback<bool>,
    /// The message to show, already in the investor's language; `None` shows no error.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <p class="field-error" id=error_id.clone() hidden=move || error.with(Option::is_none)>
                {move || error.get()}
            </p>
            <div class="checkbox">
                <input
                    id=id.clone()
                    type="checkbox"
                    aria-describedby=error_id
                    prop:checked=move || checked.get()
                    on:change:target=move |ev| on_change.run(ev.target().checked())
                />
                <label for=id>{label}</label>
            </div>
        </div>
    }
}

/// What a text field holds, which decides the keyboard a phone shows and what the browser may fill in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A person's name as on the ID document.
    Name,
    /// An ID document number: letters upper-case, no spelling help.
    DocumentNumber,
    /// A mainland mobile number.
    Phone,
    /// A new username.
    Username,
    Address,
    Email,
    /// An application's reference (HB…): letters upper-case, no spelling help.
    Reference,
}

impl Entry {
    fn input_type(self) -> &'static str {
        match self {
            Entry::Phone => "tel",
            Entry::Email => "email",
            _ => "text",
        }
    }

    fn inputmode(self) -> Option<&'static str> {
        match self {
            Entry::Phone => Some("tel"),
            Entry::Email => Some("email"),
            _ => None,
        }
    }

    fn autocomplete(self) -> &'static str {
        match self {
            Entry::Name => "name",
            Entry::DocumentNumber => "off",
            Entry::Phone => "tel-national",
            Entry::Username => "username",
            Entry::Address => "street-address",
            Entry::Email => "email",
            Entry::Reference => "off",
        }
    }

    fn autocapitalize(self) -> Option<&'static str> {
        match self {
            Entry::DocumentNumber | Entry::Reference => Some("characters"),
            Entry::Username | Entry::Email => Some("off"),
            _ => None,
        }
    }

    /// No spelling help for codes and addresses of the internet.
    fn spellcheck(self) -> Option<&'static str> {
        matches!(
            self,
            Entry::DocumentNumber | Entry::Username | Entry::Email | Entry::Reference
        )
        .then_some("false")
    }
}

/// The label of a field and its hint (if it has one) in the investor's language, by the field's API path.
/// Each page has one such function, so that its fields read as a list of paths.
pub type Words = fn(I18nContext<Locale>, &str) -> (&'static str, Option<&'static str>);

/// A text field of `form`, named by its API path: label and hint (from `words`), the problem as the form shows
/// it, and the input, whose value comes from `value` and whose changes go to `on_input` (a change also spends
/// the server's refusal of the field). `children` come below the input (a status line, a suggestion).
#[component]
pub fn TextField(
    form: Form,
    path: &'static str,
    entry: Entry,
    words: Words,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_input: Callback<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    text_field(form, path, entry, words, value, on_input, children)
}

/// A [`TextField`] of the draft: its value is the text of the draft at `path`, and typing changes it there.
#[component]
pub fn DraftField(
    form: Form,
    path: &'static str,
    entry: Entry,
    words: Words,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let draft = use_draft();
    let value = Signal::derive(move || draft.draft.with(|d| d.text(path).to_string()));
    let on_input = Callback::new(move |value: String| {
        draft.update(|d| {
            if let Some(text) = d.text_mut(path) {
                *text = value;
            }
        })
    });
    text_field(form, path, entry, words, value, on_input, children)
}

fn text_field(
    form: Form,
    path: &'static str,
    entry: Entry,
    words: Words,
    value: Signal<String>,
    on_input: Callback<String>,
    children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = dom_id(path);
    let error = form.shown(path);
    let changed = Callback::new(move |value: String| {
        form.changed(path);
        on_input.run(value);
    });
    let label = Signal::derive(move || words(i18n, path).0.to_string());
    let hint = words(i18n, path)
        .1
        .map(|_| Signal::derive(move || words(i18n, path).1.unwrap_or_default().to_string()));
    let input = view! {
        <TextInput
            id=id.clone()
            value=value
            error=error
            on_input=changed
            touched=form.touched()
            {..}
            type=entry.input_type()
            inputmode=entry.inputmode()
            autocomplete=entry.autocomplete()
            autocapitalize=entry.autocapitalize()
            spellcheck=entry.spellcheck()
        />
    };
    field_view(
        id,
        label,
        hint,
        error,
        (input, children.map(|children| children())),
    )
}
