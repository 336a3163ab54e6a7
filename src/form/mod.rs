//! The pages' one error model. A page lists its fields by API path and says how to check them (the domain's
//! section check on the draft, plus what only the page knows); [`Form`] merges that with the server's last
//! refusal, decides what shows where — beside a field once it was left or the form was sent, in the error
//! summary once the form was sent — and gives each field's control its id ([`place::dom_id`]).

pub mod place;
pub mod server;
pub mod touched;

use crate::config::use_config;
use crate::i18n::*;
use crate::messages::FieldMessages;
use crate::routes::Page;
use leptos::prelude::*;
use place::{dom_id, field_path};
use server::{use_server_errors, ServerErrors};
use touched::Touched;

/// One line of the error summary: the id of the control to focus and the message, already in the investor's
/// language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorItem {
    pub target_id: String,
    pub message: String,
}

/// What is wrong with the fields of a page, as `(API path, message)` pairs in the order of its fields.
type Problems = Vec<(String, String)>;

/// The state of one page's form: its problems, whether it was sent, which fields were left.
#[derive(Clone, Copy)]
pub struct Form {
    problems: Memo<Problems>,
    attempt: RwSignal<u32>,
    touched: Touched,
    server: ServerErrors,
}

impl Form {
    /// The form of `page`, whose fields are `fields` (API paths, in the order they are shown). `check` gives
    /// the page's own problems; it is given the messages of the investor's language and the configuration.
    /// A field the server refused shows the server's word until the investor changes it. A page the server
    /// sent the investor back to shows its problems at once.
    pub fn new(
        page: Page,
        fields: Vec<String>,
        check: impl Fn(&FieldMessages) -> Problems + Send + Sync + 'static,
    ) -> Form {
        let messages = FieldMessages {
            i18n: use_i18n(),
            config: use_config(),
        };
        let server = use_server_errors();
        let problems = Memo::new(move |_| {
            let own = check(&messages);
            let mut merged = Vec::new();
            for field in &fields {
                if let Some(refused) = server.for_field(field) {
                    merged.push((field.clone(), messages.message(&refused)));
                } else if let Some(problem) = own.iter().find(|(path, _)| field_path(path) == field)
                {
                    merged.push((field.clone(), problem.1.clone()));
                }
            }
            merged
        });
        let attempt = RwSignal::new(u32::from(server.on_page(page)));
        Form {
            problems,
            attempt,
            touched: Touched::new(),
            server,
        }
    }

    /// The field's problem, whether it is shown yet or not.
    pub fn problem(&self, path: &str) -> Option<String> {
        self.problems.with(|problems| {
            problems
                .iter()
                .find(|(p, _)| p == path)
                .map(|(_, message)| message.clone())
        })
    }

    /// The field's problem as shown beside it: once the field was left or the form was sent.
    pub fn shown(&self, path: &'static str) -> Signal<Option<String>> {
        let form = *self;
        let id = dom_id(path);
        Signal::derive(move || {
            let visible = form.attempt.get() > 0 || form.touched.contains(&id);
            form.problem(path).filter(|_| visible)
        })
    }

    /// The field's problem once the form was sent (fields the investor does not type in and leave).
    pub fn shown_after_sending(&self, path: String) -> Signal<Option<String>> {
        let form = *self;
        Signal::derive(move || form.problem(&path).filter(|_| form.attempt.get() > 0))
    }

    /// The error summary's lines once the form was sent.
    pub fn summary(&self) -> Signal<Vec<ErrorItem>> {
        let form = *self;
        Signal::derive(move || {
            if form.attempt.get() == 0 {
                return Vec::new();
            }
            form.problems.with(|problems| {
                problems
                    .iter()
                    .map(|(path, message)| ErrorItem {
                        target_id: dom_id(path),
                        message: message.clone(),
                    })
                    .collect()
            })
        })
    }

    /// Counts a sending of the form (the summary takes the focus again); whether it has no problem.
    pub fn send(&self) -> bool {
        self.attempt.update(|n| *n += 1);
        self.problems.with_untracked(Vec::is_empty)
    }

    /// Counts a sending of the form; whether it has no problem but, perhaps, at `path` (a field whose last
    /// answer from the server a new sending may change: the SMS code after a failed verification, say).
    pub fn send_except(&self, path: &str) -> bool {
        self.attempt.update(|n| *n += 1);
        self.problems
            .with_untracked(|problems| problems.iter().all(|(p, _)| p == path))
    }

    /// Counts a sending that failed for a reason of its own (a refused code, say).
    pub fn fail(&self) {
        self.attempt.update(|n| *n += 1);
    }

    /// How often the form was sent, for the error summary.
    pub fn attempt(&self) -> Signal<u32> {
        self.attempt.into()
    }

    pub fn was_sent(&self) -> bool {
        self.attempt.get() > 0
    }

    /// Which fields the investor has left.
    pub fn touched(&self) -> Touched {
        self.touched
    }

    /// The investor changed the field: the server's refusal of it no longer applies.
    pub fn changed(&self, path: &str) {
        self.server.clear(path);
    }
}
