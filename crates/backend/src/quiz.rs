//! The built-in market-entry quiz: the public questions and the server-side answer key, loaded at start;
//! attempts scored here and recorded.

use std::path::Path;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use domain::api::{codes, FieldError, QuizAttemptRequest, QuizAttemptResult};
use domain::quiz::{check_key, score, AnswerKey, Quiz, QuizError};

use crate::error::ApiError;
use crate::extract::{ClientIp, JsonBody};
use crate::limits::{Per, RollingLimit, Window};
use crate::util::{now_unix, random_token};
use crate::AppState;

/// Attempts per client address per rolling day, unless `--quiz-attempts-per-ip-per-day` says otherwise.
pub const DEFAULT_ATTEMPTS_PER_IP_PER_DAY: u32 = 10;

/// Attempts scored for one client address within the day.
const PER_CLIENT_ADDRESS: RollingLimit = RollingLimit {
    table: "quiz_attempts",
    time_column: "created_at",
    per: Per::ClientAddress,
    window: Window::Day,
    rows: "quiz attempts",
    code: codes::QUIZ_DAILY_LIMIT,
};

/// The questions and their key, checked against each other.
pub struct LoadedQuiz {
    pub quiz: Quiz,
    pub key: AnswerKey,
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<T, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the {what} {}: {e}", path.display()))?;
    serde_json::from_str(&text)
        .map_err(|e| format!("the {what} {} is not valid: {e}", path.display()))
}

impl LoadedQuiz {
    /// Reads both files; refuses a key that does not fit the questions, or questions whose points do not reach
    /// the pass mark (the exchange's, `quiz.pass_mark` of `--app-config`): the backend then does not start.
    pub fn load(quiz_path: &Path, key_path: &Path, pass_mark: u32) -> Result<LoadedQuiz, String> {
        let quiz: Quiz = read_json(quiz_path, "quiz questions file (--quiz)")?;
        let key: AnswerKey = read_json(key_path, "quiz answer key (--quiz-key)")?;
        check_key(&quiz, &key, pass_mark).map_err(|e| match e {
            QuizError::PassMarkUnreachable { .. } => format!(
                "the quiz questions {} cannot reach the pass mark (quiz.pass_mark of --app-config): {e} ({})",
                quiz_path.display(),
                e.code()
            ),
            _ => format!(
                "the quiz answer key {} does not fit the questions {}: {e} ({})",
                key_path.display(),
                quiz_path.display(),
                e.code()
            ),
        })?;
        Ok(LoadedQuiz { quiz, key })
    }

    /// Answers naming questions or options the quiz does not have.
    pub fn unknown_answers(&self, req: &QuizAttemptRequest) -> Vec<FieldError> {
        let mut errors = Vec::new();
        for (question_id, chosen) in &req.answers {
            let field = format!("answers.{question_id}");
            let Some(question) = self.quiz.question(question_id) else {
                errors.push(FieldError::new(
                    field,
                    codes::QUIZ_UNKNOWN_QUESTION,
                    "the quiz has no such question",
                ));
                continue;
            };
            if let Some(option) = chosen
                .iter()
                .find(|o| !question.options.iter().any(|known| &known.id == *o))
            {
                errors.push(FieldError::new(
                    field,
                    codes::QUIZ_UNKNOWN_OPTION,
                    format!("the question has no option {option:?}"),
                ));
            }
        }
        errors
    }
}

/// `POST /quiz/attempts`.
pub async fn create_attempt(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonBody(req): JsonBody<QuizAttemptRequest>,
) -> Result<(StatusCode, Json<QuizAttemptResult>), ApiError> {
    let loaded = state.quiz();
    let errors = loaded.unknown_answers(&req);
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let pass_mark = state.rules().quiz.pass_mark;
    let result = score(&loaded.quiz, &loaded.key, &req.answers, pass_mark);
    let attempt_id = random_token("qa_");
    let now = now_unix();
    let answers_json = serde_json::to_string(&req.answers).map_err(ApiError::internal)?;
    let version = loaded.quiz.version.clone();
    let limit = state.config().quiz_attempts_per_ip_per_day;
    let (id, sc, max, passed) = (
        attempt_id.clone(),
        result.score,
        result.max_score,
        result.passed,
    );
    state
        .db()
        .call(move |conn| {
            let tx = conn.transaction()?;
            PER_CLIENT_ADDRESS.check(&tx, &ip, limit, now)?;
            tx.execute(
                "INSERT INTO quiz_attempts (id, client_ip, quiz_version, answers_json, score, max_score, passed, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                rusqlite::params![id, ip, version, answers_json, sc, max, passed, now],
            )?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(QuizAttemptResult {
            attempt_id,
            score: result.score,
            max_score: result.max_score,
            passed: result.passed,
            topics_to_revisit: result.topics_to_revisit,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn root() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    /// The shipped app configuration's pass mark.
    fn shipped_pass_mark() -> u32 {
        let rules =
            crate::applications::load_rules(&root().join("public/config.json"), false).unwrap();
        rules.quiz.pass_mark
    }

    /// The questions the app ships and the key in this crate are loaded at start: they must fit.
    #[test]
    fn the_shipped_quiz_and_key_fit_and_full_marks_pass() {
        let pass_mark = shipped_pass_mark();
        let loaded = LoadedQuiz::load(
            &root().join("public/quiz.json"),
            &root().join("crates/backend/quiz-answer-key.json"),
            pass_mark,
        )
        .unwrap();
        assert_eq!(loaded.quiz.max_score(), 100);
        assert_eq!(pass_mark, 60);
        let answers: BTreeMap<String, Vec<String>> = loaded.key.answers.clone();
        let result = score(&loaded.quiz, &loaded.key, &answers, pass_mark);
        assert_eq!(result.score, 100);
        assert!(result.passed);
        let nothing = score(&loaded.quiz, &loaded.key, &BTreeMap::new(), pass_mark);
        assert!(!nothing.passed);
    }

    #[test]
    fn a_pass_mark_the_questions_cannot_reach_is_named() {
        let err = LoadedQuiz::load(
            &root().join("public/quiz.json"),
            &root().join("crates/backend/quiz-answer-key.json"),
            101,
        )
        .err()
        .unwrap();
        assert!(
            err.contains("quiz.pass_mark") && err.contains("quiz_pass_mark_unreachable"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_key_file_is_named() {
        let err = LoadedQuiz::load(
            &root().join("public/quiz.json"),
            Path::new("/nonexistent/key.json"),
            shipped_pass_mark(),
        )
        .err()
        .unwrap();
        assert!(
            err.contains("--quiz-key") && err.contains("/nonexistent/key.json"),
            "{err}"
        );
    }
}
