//! The market-entry qualification test (入市测试): questions shown in the browser, answers scored on
//! the server against a key the browser never sees. The pass mark is not part of the questions: it is the
//! exchange's setting (`quiz.pass_mark` of the app's `config.json`, 60 points), the same one the app shows.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use crate::localized::Localized;

/// Whether a question has one correct option or several.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// 单选题: exactly one option is correct.
    Single,
    /// 多选题: one or more options are correct; all of them, and only them, must be chosen.
    Multiple,
}

/// One answer option.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizOption {
    pub id: String,
    pub text: Localized,
}

/// One question of the public questions file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizQuestion {
    pub id: String,
    /// The subject the question tests; missed topics are listed for revision.
    pub topic: String,
    pub kind: QuestionKind,
    pub points: u32,
    pub text: Localized,
    pub options: Vec<QuizOption>,
}

/// The public questions file (no answers in it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quiz {
    /// Version of the question set; the answer key must have the same.
    pub version: String,
    /// Shown above the questions, e.g. that the shipped questions are sample content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<Localized>,
    /// Title of each topic id, for the list of topics to revisit after a failed attempt.
    #[serde(default)]
    pub topics: BTreeMap<String, Localized>,
    pub questions: Vec<QuizQuestion>,
}

impl Quiz {
    /// Total points of all questions.
    pub fn max_score(&self) -> u32 {
        self.questions.iter().map(|q| q.points).sum()
    }

    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&QuizQuestion> {
        self.questions.iter().find(|q| q.id == id)
    }
}

/// The server-side answer key: question id → ids of the correct options.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerKey {
    pub version: String,
    pub answers: BTreeMap<String, Vec<String>>,
}

/// A question set and answer key that do not fit together.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum QuizError {
    #[error("answer key version {key} does not match quiz version {quiz}")]
    VersionMismatch { quiz: String, key: String },
    #[error("question id {0} appears more than once")]
    DuplicateQuestion(String),
    #[error("question {question} lists option {option} more than once")]
    DuplicateOption { question: String, option: String },
    #[error("question {0} has no answer in the key")]
    MissingKey(String),
    #[error("answer key has an entry for unknown question {0}")]
    UnknownQuestion(String),
    #[error("answer key names option {option}, which question {question} does not have")]
    UnknownOption { question: String, option: String },
    #[error("single-choice question {0} needs exactly one correct option")]
    SingleNeedsOne(String),
    #[error("question {0} has no correct option")]
    NoCorrectOption(String),
    #[error("pass mark {pass_mark} is above the maximum score {max_score}")]
    PassMarkUnreachable { pass_mark: u32, max_score: u32 },
}

impl QuizError {
    /// Stable code for logs and the API.
    pub fn code(&self) -> &'static str {
        match self {
            QuizError::VersionMismatch { .. } => "quiz_version_mismatch",
            QuizError::DuplicateQuestion(_) => "quiz_duplicate_question",
            QuizError::DuplicateOption { .. } => "quiz_duplicate_option",
            QuizError::MissingKey(_) => "quiz_missing_key",
            QuizError::UnknownQuestion(_) => "quiz_unknown_question",
            QuizError::UnknownOption { .. } => "quiz_unknown_option",
            QuizError::SingleNeedsOne(_) => "quiz_single_needs_one",
            QuizError::NoCorrectOption(_) => "quiz_no_correct_option",
            QuizError::PassMarkUnreachable { .. } => "quiz_pass_mark_unreachable",
        }
    }
}

/// Checks, when the server starts, that the answer key fits the questions: same version, unique
/// question and option ids, a key entry for every question and none for others, key options that
/// exist, exactly one correct option for single-choice questions and at least one for the others, and
/// that the questions' points reach `pass_mark`.
pub fn check_key(quiz: &Quiz, key: &AnswerKey, pass_mark: u32) -> Result<(), QuizError> {
    if quiz.version != key.version {
        return Err(QuizError::VersionMismatch {
            quiz: quiz.version.clone(),
            key: key.version.clone(),
        });
    }
    let mut seen = BTreeSet::new();
    for q in &quiz.questions {
        if !seen.insert(q.id.as_str()) {
            return Err(QuizError::DuplicateQuestion(q.id.clone()));
        }
        let mut options = BTreeSet::new();
        for o in &q.options {
            if !options.insert(o.id.as_str()) {
                return Err(QuizError::DuplicateOption {
                    question: q.id.clone(),
                    option: o.id.clone(),
                });
            }
        }
        let correct = key
            .answers
            .get(&q.id)
            .ok_or_else(|| QuizError::MissingKey(q.id.clone()))?;
        if let Some(bad) = correct.iter().find(|c| !options.contains(c.as_str())) {
            return Err(QuizError::UnknownOption {
                question: q.id.clone(),
                option: bad.clone(),
            });
        }
        let distinct: BTreeSet<&str> = correct.iter().map(String::as_str).collect();
        match (q.kind, distinct.len()) {
            (_, 0) => return Err(QuizError::NoCorrectOption(q.id.clone())),
            (QuestionKind::Single, n) if n != 1 => {
                return Err(QuizError::SingleNeedsOne(q.id.clone()))
            }
            _ => {}
        }
    }
    if let Some(extra) = key.answers.keys().find(|id| !seen.contains(id.as_str())) {
        return Err(QuizError::UnknownQuestion(extra.clone()));
    }
    let max_score = quiz.max_score();
    if pass_mark > max_score {
        return Err(QuizError::PassMarkUnreachable {
            pass_mark,
            max_score,
        });
    }
    Ok(())
}

/// The outcome of one attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizResult {
    pub score: u32,
    pub max_score: u32,
    pub passed: bool,
    /// Topics of the questions missed, each once, in the order of the quiz.
    pub topics_to_revisit: Vec<String>,
}

/// Scores answers (question id → chosen option ids) against the key.
///
/// A question earns its points only when the set of chosen options equals the set of correct ones
/// (multiple choice is all-or-nothing); an option chosen twice counts once. Unanswered questions earn
/// nothing, answers to unknown questions are ignored. Passed when the score reaches `pass_mark`.
pub fn score(
    quiz: &Quiz,
    key: &AnswerKey,
    answers: &BTreeMap<String, Vec<String>>,
    pass_mark: u32,
) -> QuizResult {
    let mut total = 0;
    let mut topics_to_revisit: Vec<String> = Vec::new();
    for q in &quiz.questions {
        let as_set = |ids: &Vec<String>| ids.iter().cloned().collect::<BTreeSet<String>>();
        let correct = key.answers.get(&q.id).map(as_set).unwrap_or_default();
        let chosen = answers.get(&q.id).map(as_set).unwrap_or_default();
        if !correct.is_empty() && chosen == correct {
            total += q.points;
        } else if !topics_to_revisit.contains(&q.topic) {
            topics_to_revisit.push(q.topic.clone());
        }
    }
    QuizResult {
        score: total,
        max_score: quiz.max_score(),
        passed: total >= pass_mark,
        topics_to_revisit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exchange's pass mark.
    const PASS_MARK: u32 = 60;

    fn text(s: &str) -> Localized {
        Localized {
            zh_cn: s.to_string(),
            en: s.to_string(),
        }
    }

    fn question(id: &str, topic: &str, kind: QuestionKind, points: u32) -> QuizQuestion {
        QuizQuestion {
            id: id.to_string(),
            topic: topic.to_string(),
            kind,
            points,
            text: text(id),
            options: ["a", "b", "c", "d"]
                .iter()
                .map(|o| QuizOption {
                    id: o.to_string(),
                    text: text(o),
                })
                .collect(),
        }
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    /// 20 + 20 + 19 + 1 + 40 = 100 points, so that 59 and 60 can both be scored.
    fn sample() -> (Quiz, AnswerKey) {
        use QuestionKind::*;
        let quiz = Quiz {
            version: "2024-1".into(),
            notice: None,
            topics: BTreeMap::new(),
            questions: vec![
                question("q1", "market", Single, 20),
                question("q2", "risk", Multiple, 20),
                question("q3", "rules", Single, 19),
                question("q4", "rules", Single, 1),
                question("q5", "fees", Multiple, 40),
            ],
        };
        let key = AnswerKey {
            version: "2024-1".into(),
            answers: [
                ("q1", ids(&["a"])),
                ("q2", ids(&["b", "c"])),
                ("q3", ids(&["d"])),
                ("q4", ids(&["a"])),
                ("q5", ids(&["a", "b", "c", "d"])),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        };
        (quiz, key)
    }

    fn answers(list: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        list.iter().map(|(q, a)| (q.to_string(), ids(a))).collect()
    }

    #[test]
    fn sample_key_is_consistent() {
        let (quiz, key) = sample();
        assert_eq!(check_key(&quiz, &key, PASS_MARK), Ok(()));
        assert_eq!(quiz.max_score(), 100);
    }

    #[test]
    fn key_problems_are_found() {
        let (quiz, key) = sample();
        let mut k = key.clone();
        k.version = "2023-9".into();
        assert_eq!(
            check_key(&quiz, &k, PASS_MARK).unwrap_err().code(),
            "quiz_version_mismatch"
        );
        let mut k = key.clone();
        k.answers.remove("q3");
        assert_eq!(
            check_key(&quiz, &k, PASS_MARK),
            Err(QuizError::MissingKey("q3".into()))
        );
        let mut k = key.clone();
        k.answers.insert("q9".into(), ids(&["a"]));
        assert_eq!(
            check_key(&quiz, &k, PASS_MARK),
            Err(QuizError::UnknownQuestion("q9".into()))
        );
        let mut k = key.clone();
        k.answers.insert("q2".into(), ids(&["b", "e"]));
        assert_eq!(
            check_key(&quiz, &k, PASS_MARK),
            Err(QuizError::UnknownOption {
                question: "q2".into(),
                option: "e".into()
            })
        );
        let mut k = key.clone();
        k.answers.insert("q1".into(), ids(&["a", "b"]));
        assert_eq!(
            check_key(&quiz, &k, PASS_MARK),
            Err(QuizError::SingleNeedsOne("q1".into()))
        );
        let mut k = key.clone();
        k.answers.insert("q2".into(), vec![]);
        assert_eq!(
            check_key(&quiz, &k, PASS_MARK),
            Err(QuizError::NoCorrectOption("q2".into()))
        );
        assert_eq!(
            check_key(&quiz, &key, 101),
            Err(QuizError::PassMarkUnreachable {
                pass_mark: 101,
                max_score: 100
            })
        );
        let mut q = quiz.clone();
        q.questions
            .push(question("q1", "x", QuestionKind::Single, 0));
        assert_eq!(
            check_key(&q, &key, PASS_MARK),
            Err(QuizError::DuplicateQuestion("q1".into()))
        );
    }

    #[test]
    fn all_correct_passes() {
        let (quiz, key) = sample();
        let a = answers(&[
            ("q1", &["a"]),
            ("q2", &["c", "b"]),
            ("q3", &["d"]),
            ("q4", &["a"]),
            ("q5", &["d", "c", "b", "a"]),
        ]);
        let r = score(&quiz, &key, &a, PASS_MARK);
        assert_eq!(
            r,
            QuizResult {
                score: 100,
                max_score: 100,
                passed: true,
                topics_to_revisit: vec![]
            }
        );
    }

    #[test]
    fn pass_mark_boundary() {
        let (quiz, key) = sample();
        // 40 + 19 = 59: fails.
        let a = answers(&[
            ("q5", &["a", "b", "c", "d"]),
            ("q3", &["d"]),
            ("q4", &["b"]),
        ]);
        let r = score(&quiz, &key, &a, PASS_MARK);
        assert_eq!((r.score, r.passed), (59, false));
        assert_eq!(r.topics_to_revisit, ids(&["market", "risk", "rules"]));
        // 40 + 19 + 1 = 60: passes.
        let a = answers(&[
            ("q5", &["a", "b", "c", "d"]),
            ("q3", &["d"]),
            ("q4", &["a"]),
        ]);
        let r = score(&quiz, &key, &a, PASS_MARK);
        assert_eq!((r.score, r.passed), (60, true));
        assert_eq!(r.topics_to_revisit, ids(&["market", "risk"]));
        // The same 60 points under an exchange's pass mark of 61: fails.
        let r = score(&quiz, &key, &a, 61);
        assert_eq!((r.score, r.passed), (60, false));
    }

    #[test]
    fn multiple_choice_is_all_or_nothing() {
        let (quiz, key) = sample();
        let full = score(&quiz, &key, &answers(&[("q2", &["b", "c"])]), PASS_MARK);
        assert_eq!(full.score, 20);
        let partial = score(&quiz, &key, &answers(&[("q2", &["b"])]), PASS_MARK);
        assert_eq!(partial.score, 0);
        let extra = score(
            &quiz,
            &key,
            &answers(&[("q2", &["b", "c", "d"])]),
            PASS_MARK,
        );
        assert_eq!(extra.score, 0);
        let repeated = score(
            &quiz,
            &key,
            &answers(&[("q2", &["b", "c", "b", "c"])]),
            PASS_MARK,
        );
        assert_eq!(repeated.score, 20);
        // Two options on a single-choice question, one of them right: no points.
        let hedged = score(&quiz, &key, &answers(&[("q1", &["a", "b"])]), PASS_MARK);
        assert_eq!(hedged.score, 0);
    }

    #[test]
    fn partial_and_unknown_answers() {
        let (quiz, key) = sample();
        let r = score(&quiz, &key, &BTreeMap::new(), PASS_MARK);
        assert_eq!((r.score, r.max_score, r.passed), (0, 100, false));
        assert_eq!(
            r.topics_to_revisit,
            ids(&["market", "risk", "rules", "fees"])
        );
        let a = answers(&[("q1", &["a"]), ("q99", &["a"]), ("q2", &[])]);
        let r = score(&quiz, &key, &a, PASS_MARK);
        assert_eq!(r.score, 20);
        assert_eq!(r.topics_to_revisit, ids(&["risk", "rules", "fees"]));
    }

    #[test]
    fn public_file_shape() {
        let json = r#"{
            "version": "2024-1",
            "questions": [{
                "id": "q1", "topic": "market", "kind": "single", "points": 10,
                "text": {"zh-CN": "碳排放权是什么？", "en": "What is an emission allowance?"},
                "options": [{"id": "a", "text": {"zh-CN": "甲", "en": "A"}}]
            }]
        }"#;
        let quiz: Quiz = serde_json::from_str(json).unwrap();
        assert_eq!(quiz.questions[0].kind, QuestionKind::Single);
        assert_eq!(quiz.questions[0].text.zh_cn, "碳排放权是什么？");
        let back = serde_json::to_value(&quiz).unwrap();
        assert_eq!(back["questions"][0]["text"]["zh-CN"], "碳排放权是什么？");
    }
}
