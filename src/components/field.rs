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

/// The text input of a [`Field`], as the forms here want it: the field's id (the label and the error summary
/// point at it), `aria-describedby` its hint and error, `aria-invalid` while `error` shows, the value from the
/// draft, each change handed to `on_input`, and leaving it marks it [`Touched`]. Type, autocomplete, inputmode
/// and the like come after `{..}`: `<TextInput id=… {..} type="tel" autocomplete="tel-national" />`.
#[component]
pub fn TextInput(
    id: &'static str,
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
    view! {
        <input
            id=id
            class=class.unwrap_or("input")
            aria-describedby=described_by(id)
            aria-invalid=move || error.with(Option::is_some).to_string()
            prop:value=move || value.get()
            on:input:target=move |ev| on_input.run(ev.target().value())
            on:blur=move |_| touched.touch(id)
        />
    }
}

/// Which fields show their error: those the investor has left (blur) — except while a pointer is pressed.
///
/// Pressing a button first takes the focus from the field; showing that field's error at once would push the
/// button down under the pointer and the click would be lost. So a field left while a pointer is pressed shows
/// its error once the pointer is released and the click has happened.
#[derive(Clone, Copy)]
pub struct Touched {
    fields: RwSignal<Vec<&'static str>>,
    pending: StoredValue<Vec<&'static str>>,
    pressed: StoredValue<bool>,
}

impl Touched {
    pub fn new() -> Self {
        let touched = Self {
            fields: RwSignal::new(Vec::new()),
            pending: StoredValue::new(Vec::new()),
            pressed: StoredValue::new(false),
        };
        let down = window_event_listener(leptos::ev::pointerdown, move |_| {
            touched.pressed.set_value(true)
        });
        let release = move || {
            touched.pressed.set_value(false);
            set_timeout(move || touched.flush(), std::time::Duration::ZERO);
        };
        let up = window_event_listener(leptos::ev::pointerup, move |_| release());
        let cancel = window_event_listener(leptos::ev::pointercancel, move |_| release());
        on_cleanup(move || {
            down.remove();
            up.remove();
            cancel.remove();
        });
        touched
    }

    /// The investor left this field.
    pub fn touch(&self, field: &'static str) {
        if self.pressed.get_value() {
            self.pending.update_value(|p| p.push(field));
        } else {
            self.mark(field);
        }
    }

    /// Whether the field was left (reactive).
    pub fn contains(&self, field: &'static str) -> bool {
        self.fields.with(|f| f.contains(&field))
    }

    fn mark(&self, field: &'static str) {
        if !self.fields.with_untracked(|f| f.contains(&field)) {
            self.fields.update(|f| f.push(field));
        }
    }

    fn flush(&self) {
        let pending = self.pending.try_update_value(std::mem::take);
        for field in pending.unwrap_or_default() {
            self.mark(field);
        }
    }
}

impl Default for Touched {
    fn default() -> Self {
        Self::new()
    }
}
