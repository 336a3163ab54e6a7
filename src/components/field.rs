//! One form field: label, hint, the inline error (shown above the control, GOV.UK style) and the control the
//! page passes as children. The control points at the hint and error with `aria-describedby={described_by(id)}`.

use leptos::prelude::*;

/// The ids of a field's hint and error, for the control's `aria-describedby`.
pub fn described_by(id: &str) -> String {
    format!("{id}-hint {id}-error")
}

#[component]
pub fn Field(
    /// Id of the control; the label points at it and error summaries link to it.
    id: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    /// The message to show, already in the investor's language; `None` shows no error.
    #[prop(into)]
    error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label for=id>{label}</label>
            {hint.map(|hint| view! { <p class="field-hint" id=format!("{id}-hint")>{hint}</p> })}
            <p class="field-error" id=format!("{id}-error") hidden=move || error.with(Option::is_none)>
                {move || error.get()}
            </p>
            {children()}
        </div>
    }
}
