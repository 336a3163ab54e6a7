//! The passed quiz attempt an application quotes (the market-entry gate in `built_in` mode): it opens one
//! application, for one verified number, and only while the quiz has the version the attempt answered.
//!
//! The quiz is the first step, taken before the phone is verified, so an attempt is scored for nobody. The first
//! submission that quotes it binds it to that submission's verified number: from then on another number quoting
//! it is refused (`quiz_attempt_other_phone`). The application stored with it uses it up: a second application
//! quoting it is refused (`quiz_attempt_used`); a returned application sent again may quote the attempt it was
//! opened with. A submission refused for other reasons binds the attempt but leaves it usable, so the investor can
//! correct the fields and submit again. When the exchange changes the questions (another `version` in
//! `quiz.json`), attempts at the old ones no longer open anything (`quiz_attempt_outdated`).

use domain::api::{codes, FieldError};
use domain::application::fields;
use rusqlite::{named_params, Connection, OptionalExtension};

use crate::error::ApiError;

/// The attempt a submission quotes, with the verified number and the quiz's current version.
pub(super) struct AttemptClaim {
    pub id: String,
    pub phone: String,
    pub quiz_version: String,
    /// The returned application being sent again: it may quote the attempt it was opened with.
    pub application: Option<String>,
}

/// A stored attempt, as far as the gate is concerned.
struct Attempt {
    score: u32,
    passed: bool,
    /// The version of the questions it answered.
    version: String,
    /// The number it was first quoted with.
    bound_to: Option<String>,
    /// The application it opened.
    used_by: Option<String>,
}

fn refused(code: &str, message: impl Into<String>) -> FieldError {
    FieldError::new(fields::QUIZ_ATTEMPT_ID, code, message)
}

fn attempt_used() -> FieldError {
    refused(
        codes::QUIZ_ATTEMPT_USED,
        "this attempt opened an application already; take the test again",
    )
}

/// The score of the quoted attempt, or why it does not open the application. An attempt that does and is not
/// bound yet is bound to the claim's number.
pub(super) fn check_attempt(
    conn: &Connection,
    claim: &AttemptClaim,
) -> rusqlite::Result<Result<u32, FieldError>> {
    let row = conn
        .query_row(
            "SELECT score, passed, quiz_version, phone, used_by FROM quiz_attempts WHERE id = ?1",
            [&claim.id],
            |r| {
                Ok(Attempt {
                    score: r.get("score")?,
                    passed: r.get("passed")?,
                    version: r.get("quiz_version")?,
                    bound_to: r.get("phone")?,
                    used_by: r.get("used_by")?,
                })
            },
        )
        .optional()?;
    let Some(Attempt {
        score,
        passed,
        version,
        bound_to,
        used_by,
    }) = row
    else {
        return Ok(Err(refused(
            codes::QUIZ_ATTEMPT_NOT_FOUND,
            "no such quiz attempt",
        )));
    };
    let refusal = if !passed {
        Some(refused(
            codes::QUIZ_NOT_PASSED,
            format!("this attempt scored {score}, which does not pass"),
        ))
    } else if version != claim.quiz_version {
        Some(refused(
            codes::QUIZ_ATTEMPT_OUTDATED,
            format!(
                "this attempt answered version {version} of the questions; the quiz is now version {}",
                claim.quiz_version
            ),
        ))
    } else if used_by.is_some() && used_by != claim.application {
        Some(attempt_used())
    } else if bound_to.as_ref().is_some_and(|phone| *phone != claim.phone) {
        Some(refused(
            codes::QUIZ_ATTEMPT_OTHER_PHONE,
            "this attempt was quoted with another verified number; take the test again",
        ))
    } else {
        None
    };
    if let Some(refusal) = refusal {
        return Ok(Err(refusal));
    }
    if bound_to.is_none() {
        conn.execute(
            "UPDATE quiz_attempts SET phone = :phone WHERE id = :id AND phone IS NULL",
            named_params! { ":phone": claim.phone, ":id": claim.id },
        )?;
    }
    Ok(Ok(score))
}

/// Uses the attempt up for the application `reference`, in the transaction that stores it; refused when a
/// concurrent submission used it first (or bound it to another number). The application it opened may use it
/// again when it is sent again after it was returned.
pub(super) fn use_attempt(
    conn: &Connection,
    id: &str,
    phone: &str,
    reference: &str,
) -> Result<(), ApiError> {
    let changed = conn.execute(
        "UPDATE quiz_attempts SET used_by = :reference
         WHERE id = :id AND phone = :phone AND (used_by IS NULL OR used_by = :reference)",
        named_params! { ":reference": reference, ":id": id, ":phone": phone },
    )?;
    if changed == 0 {
        return Err(ApiError::validation(vec![attempt_used()]));
    }
    Ok(())
}
