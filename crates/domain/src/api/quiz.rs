//! The built-in market-entry quiz, scored by the server.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `POST /quiz/attempts`: question id → chosen option ids.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizAttemptRequest {
    pub answers: BTreeMap<String, Vec<String>>,
}

/// 201 answer of `POST /quiz/attempts`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizAttemptResult {
    /// Quoted in the application as `quiz.attempt_id`.
    pub attempt_id: String,
    pub score: u32,
    pub max_score: u32,
    pub passed: bool,
    /// Topic ids of the questions answered wrongly.
    pub topics_to_revisit: Vec<String>,
}

/// How the market-entry test was taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuizMode {
    /// The app's own quiz, scored by the backend and quoted by attempt id.
    BuiltIn,
    /// The exchange's external questionnaire; the investor declares the score.
    SelfDeclared,
}

impl QuizMode {
    pub fn as_str(self) -> &'static str {
        match self {
            QuizMode::BuiltIn => "built_in",
            QuizMode::SelfDeclared => "self_declared",
        }
    }

    pub fn from_name(name: &str) -> Option<QuizMode> {
        [QuizMode::BuiltIn, QuizMode::SelfDeclared]
            .into_iter()
            .find(|m| m.as_str() == name)
    }
}
