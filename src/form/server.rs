//! The field errors of the last refused submission (422), kept until the investor changes the field: the page
//! of each shows them as its own.

use super::place::{field_path, page_of};
use crate::routes::Page;
use domain::api::FieldError;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct ServerErrors {
    errors: RwSignal<Vec<FieldError>>,
}

impl ServerErrors {
    pub fn provide() -> Self {
        let errors = Self {
            errors: RwSignal::new(Vec::new()),
        };
        provide_context(errors);
        errors
    }

    /// Replaces the errors with those of the latest refusal.
    pub fn set(&self, errors: Vec<FieldError>) {
        self.errors.set(errors);
    }

    /// Whether a field of `page` was refused: the page then shows its errors at once.
    pub fn on_page(&self, page: Page) -> bool {
        self.errors
            .with_untracked(|errors| errors.iter().any(|e| page_of(&e.field) == page))
    }

    /// The refusal of the field at `path` (or of an item of it), if any.
    pub fn for_field(&self, path: &str) -> Option<FieldError> {
        self.errors.with(|errors| {
            errors
                .iter()
                .find(|e| field_path(&e.field) == path)
                .cloned()
        })
    }

    /// The investor changed the field: its server error no longer applies.
    pub fn clear(&self, path: &str) {
        let refused =
            |errors: &Vec<FieldError>| errors.iter().any(|e| field_path(&e.field) == path);
        if self.errors.with_untracked(refused) {
            self.errors
                .update(|errors| errors.retain(|e| field_path(&e.field) != path));
        }
    }
}

pub fn use_server_errors() -> ServerErrors {
    expect_context::<ServerErrors>()
}
