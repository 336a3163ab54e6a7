//! The market-entry qualification test (入市测试): the built-in quiz quoted by its attempt, or the score
//! declared after the exchange's external questionnaire, in the mode and with the pass mark the exchange
//! configured.

use super::{fields, is_valid_id, Errors};
use crate::api::{codes, FieldError, QuizAnswer, QuizMode};
use crate::config::{QuizConfig, QuizGate};

/// The highest score there is.
pub const QUIZ_MAX_SCORE: u32 = 100;
/// The exchange's pass mark (60 points), used where no configuration says otherwise.
pub const QUIZ_PASS_MARK: u32 = 60;

/// How the test must have been taken, and the points that pass it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuizRules {
    /// The one mode accepted; `None` accepts either.
    pub mode: Option<QuizMode>,
    pub pass_mark: u32,
}

impl Default for QuizRules {
    fn default() -> Self {
        QuizRules {
            mode: None,
            pass_mark: QUIZ_PASS_MARK,
        }
    }
}

impl QuizRules {
    /// The rules of the configured gate (`quiz` of `config.json`).
    pub fn of(config: &QuizConfig) -> QuizRules {
        QuizRules {
            mode: Some(match config.mode {
                QuizGate::BuiltIn => QuizMode::BuiltIn,
                QuizGate::External => QuizMode::SelfDeclared,
            }),
            pass_mark: config.pass_mark,
        }
    }
}

/// The quiz part, normalized, or why it does not pass the gate. Whether a built-in attempt exists and passed
/// only the server knows.
pub fn check_quiz(quiz: &QuizAnswer, rules: &QuizRules) -> Result<QuizAnswer, Vec<FieldError>> {
    let mut errors = Errors::default();
    if rules.mode.is_some_and(|mode| mode != quiz.mode) {
        errors.fail(
            fields::QUIZ_MODE,
            codes::QUIZ_MODE_NOT_ALLOWED,
            format!(
                "the market-entry test is taken in {} mode here",
                rules.mode.map_or("", QuizMode::as_str)
            ),
        );
        return errors.into_result(|| quiz.clone());
    }
    let answer = match quiz.mode {
        QuizMode::BuiltIn => {
            let id = quiz.attempt_id.as_deref().map(str::trim).unwrap_or("");
            if id.is_empty() {
                errors.fail(
                    fields::QUIZ_ATTEMPT_ID,
                    codes::QUIZ_ATTEMPT_MISSING,
                    "the quiz attempt is missing",
                );
            } else if !is_valid_id(id) {
                errors.fail(
                    fields::QUIZ_ATTEMPT_ID,
                    codes::QUIZ_ATTEMPT_NOT_FOUND,
                    "not a quiz attempt id",
                );
            }
            QuizAnswer {
                mode: QuizMode::BuiltIn,
                attempt_id: Some(id.to_string()),
                declared_score: None,
            }
        }
        QuizMode::SelfDeclared => {
            let field = fields::QUIZ_DECLARED_SCORE;
            match quiz.declared_score {
                None => errors.fail(
                    field,
                    codes::QUIZ_DECLARED_SCORE_MISSING,
                    "the declared quiz score is missing",
                ),
                Some(score) if score > QUIZ_MAX_SCORE => errors.fail(
                    field,
                    codes::QUIZ_DECLARED_SCORE_OUT_OF_RANGE,
                    format!("a score is at most {QUIZ_MAX_SCORE}"),
                ),
                Some(score) if score < rules.pass_mark => errors.fail(
                    field,
                    codes::QUIZ_NOT_PASSED,
                    format!("{} points are needed to pass", rules.pass_mark),
                ),
                Some(_) => {}
            }
            QuizAnswer {
                mode: QuizMode::SelfDeclared,
                attempt_id: None,
                declared_score: quiz.declared_score,
            }
        }
    };
    errors.into_result(|| answer)
}
