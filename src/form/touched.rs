//! Which fields the investor has left, for showing their errors.

use leptos::prelude::*;

/// Which fields show their error: those the investor has left (blur) — except while a pointer is pressed.
///
/// Pressing a button first takes the focus from the field; showing that field's error at once would push the
/// button down under the pointer and the click would be lost. So a field left while a pointer is pressed shows
/// its error once the pointer is released and the click has happened.
#[derive(Clone, Copy)]
pub struct Touched {
    fields: RwSignal<Vec<String>>,
    pending: StoredValue<Vec<String>>,
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
    pub fn touch(&self, field: &str) {
        if self.pressed.get_value() {
            self.pending.update_value(|p| p.push(field.to_string()));
        } else {
            self.mark(field);
        }
    }

    /// Whether the field was left (reactive).
    pub fn contains(&self, field: &str) -> bool {
        self.fields.with(|f| f.iter().any(|f| f == field))
    }

    fn mark(&self, field: &str) {
        if !self.fields.with_untracked(|f| f.iter().any(|f| f == field)) {
            self.fields.update(|f| f.push(field.to_string()));
        }
    }

    fn flush(&self) {
        let pending = self.pending.try_update_value(std::mem::take);
        for field in pending.unwrap_or_default() {
            self.mark(&field);
        }
    }
}

impl Default for Touched {
    fn default() -> Self {
        Self::new()
    }
}
