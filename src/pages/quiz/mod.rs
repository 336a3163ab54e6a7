//! The market-entry test (入市测试). Built-in mode: every question on one scrollable page with progress,
//! answers kept in the draft, scored by the backend (`POST /quiz/attempts`). External mode: the exchange's
//! questionnaire in a new tab, then the investor declares the score.

mod built_in;
mod external;

use crate::config::use_config;
use built_in::BuiltInQuiz;
use domain::config::QuizGate;
use domain::quiz::Quiz;
use external::ExternalQuiz;
use leptos::prelude::*;

/// Loads the public questions file named by the config.
pub async fn load_quiz(url: String) -> Result<Quiz, String> {
    let text = crate::api::fetch_text(&url).await?;
    serde_json::from_str(&text).map_err(|e| format!("{url}: {e}"))
}

#[component]
pub fn QuizPage() -> impl IntoView {
    match use_config().quiz.mode {
        QuizGate::BuiltIn => view! { <BuiltInQuiz /> }.into_any(),
        QuizGate::External => view! { <ExternalQuiz /> }.into_any(),
    }
}
