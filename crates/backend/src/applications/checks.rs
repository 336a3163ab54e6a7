//! The application checked: the domain's rules with the exchange's parameters (`--app-config`), then what only
//! the server knows — the verified number, common passwords, the username, the uploads (and their bytes
//! together) and the quiz attempt.

use std::collections::HashSet;

use domain::api::{codes, ApplicationRequest, FieldError, QuizMode, UploadKind};
use domain::application::{
    check_application, fields, in_page_order, is_valid_id, Rules, ValidApplication,
};
use domain::config::AppConfig;
use domain::password::{common_password_set, is_common_password};
use domain::phone::normalize_phone;
use domain::username::validate_username;
use rusqlite::{Connection, OptionalExtension};

use super::gate::{check_attempt, AttemptClaim};
use crate::auth::Verified;
use crate::config::Config;
use crate::error::ApiError;
use crate::usernames;
use crate::util::{beijing_date, MIB};
use crate::AppState;

/// The rules' parameters of the app's configuration file (`--app-config`): the quiz gate's mode and pass mark,
/// the agreement and consent versions a submission must carry.
///
/// A missing file stops the start: without it the backend would accept either quiz mode and any text version.
/// In development mode it is only logged as a warning, and the exchange's defaults apply without any version
/// check. A file that cannot be read or is not a valid app configuration stops the start.
pub fn load_rules(path: &std::path::Path, dev: bool) -> Result<Rules, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && dev => {
            tracing::warn!(
                path = %path.display(),
                "the app configuration (--app-config) is missing: development mode goes on with either quiz mode, \
                 pass mark 60 and no check of the agreement and consent versions of submissions"
            );
            return Ok(Rules::default());
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(format!(
                "the app configuration (--app-config) {} is missing: the backend takes the quiz mode, the pass \
                 mark and the agreement versions from it; point --app-config at the config.json the app is \
                 served with (e.g. dist/config.json)",
                path.display()
            ))
        }
        Err(e) => {
            return Err(format!(
                "cannot read the app configuration (--app-config) {}: {e}",
                path.display()
            ))
        }
    };
    let config: AppConfig = serde_json::from_str(&text).map_err(|e| {
        format!(
            "the app configuration (--app-config) {} is not valid: {e}",
            path.display()
        )
    })?;
    config.check().map_err(|e| {
        format!(
            "the app configuration (--app-config) {} is not valid: {e} ({})",
            path.display(),
            e.code()
        )
    })?;
    Ok(Rules::of(&config))
}

/// The list of common passwords shipped in `common-passwords.txt` (lower case).
pub fn common_passwords() -> HashSet<String> {
    common_password_set(include_str!("../../common-passwords.txt"))
}

/// An application that passed every check, with the quiz score to store (the attempt's, or the declared one).
pub(super) struct Checked {
    pub valid: ValidApplication,
    pub quiz_score: Option<u32>,
}

/// Every check of a submission; all field errors at once, in the order of the app's pages. `resubmitting`: the
/// reference of a returned application sent again, whose own username does not count as taken.
pub(super) async fn check(
    state: &AppState,
    req: &ApplicationRequest,
    verified: &Verified,
    now: i64,
    resubmitting: Option<&str>,
) -> Result<Checked, ApiError> {
    let checked = check_application(req, beijing_date(now), state.rules());
    let mut errors = checked.as_ref().err().cloned().unwrap_or_default();
    let already = |field: &str| errors.iter().any(|e| e.field == field);
    let mut server = request_errors(req, verified, state.common_passwords(), &already);
    let server_side = (state.config(), state.quiz().quiz.version.as_str());
    let lookups = Lookups::of(req, verified, resubmitting, server_side, &already);
    let (found, attempt_score) = state.db().call(move |conn| lookups.run(conn)).await?;
    server.extend(found);
    errors.extend(server);
    in_page_order(&mut errors);
    let quiz_score = match req.quiz.mode {
        QuizMode::BuiltIn => attempt_score,
        QuizMode::SelfDeclared => req.quiz.declared_score,
    };
    match checked {
        Ok(valid) if errors.is_empty() => Ok(Checked { valid, quiz_score }),
        _ => Err(ApiError::validation(errors)),
    }
}

/// What the request itself shows against what the server holds: the number that was verified, the list of
/// common passwords.
fn request_errors(
    req: &ApplicationRequest,
    verified: &Verified,
    common_passwords: &HashSet<String>,
    already: &dyn Fn(&str) -> bool,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Ok(phone) = normalize_phone(&req.identity.phone) {
        if phone != verified.phone {
            errors.push(FieldError::new(
                fields::IDENTITY_PHONE,
                codes::PHONE_NOT_VERIFIED,
                "this is not the number that was verified by SMS",
            ));
        }
    }
    if !already(fields::ACCOUNT_PASSWORD)
        && is_common_password(&req.account.password, common_passwords)
    {
        errors.push(FieldError::new(
            fields::ACCOUNT_PASSWORD,
            codes::PASSWORD_COMMON,
            "this password is on the list of common passwords",
        ));
    }
    errors
}

/// An upload the application quotes: its field, its id, and the kind it must be.
struct UploadClaim {
    field: String,
    id: String,
    kind: UploadKind,
}

/// What is looked up in the database, taken from the request (fields the rules already refused are left out).
struct Lookups {
    phone: String,
    username: Option<String>,
    /// The application being sent again.
    except: Option<String>,
    uploads: Vec<UploadClaim>,
    attempt: Option<AttemptClaim>,
    /// The bytes the quoted uploads may have together (`--upload-mib-per-application`).
    max_attachment_bytes: u64,
}

impl Lookups {
    /// What to look up for `req`, with what the server is configured with: the bytes an application may have,
    /// the quiz's current version.
    fn of(
        req: &ApplicationRequest,
        verified: &Verified,
        except: Option<&str>,
        (config, quiz_version): (&Config, &str),
        already: &dyn Fn(&str) -> bool,
    ) -> Lookups {
        let claim = |field: String, id: &str, kind| UploadClaim {
            field,
            id: id.trim().to_string(),
            kind,
        };
        let attachments = &req.attachments;
        let mut uploads = vec![
            claim(
                fields::ID_FRONT.into(),
                &attachments.id_front,
                UploadKind::IdFront,
            ),
            claim(
                fields::ID_BACK.into(),
                &attachments.id_back,
                UploadKind::IdBack,
            ),
        ];
        for (i, id) in attachments.asset_proofs.iter().enumerate() {
            uploads.push(claim(fields::asset_proof(i), id, UploadKind::AssetProof));
        }
        uploads.retain(|u| is_valid_id(&u.id) && !already(&u.field));
        let quiz_refused = already(fields::QUIZ_MODE) || already(fields::QUIZ_ATTEMPT_ID);
        let attempt = match req.quiz.mode {
            QuizMode::BuiltIn if !quiz_refused => req
                .quiz
                .attempt_id
                .as_deref()
                .map(str::trim)
                .filter(|id| is_valid_id(id))
                .map(|id| AttemptClaim {
                    id: id.to_string(),
                    phone: verified.phone.clone(),
                    quiz_version: quiz_version.to_string(),
                    application: except.map(str::to_string),
                }),
            _ => None,
        };
        Lookups {
            phone: verified.phone.clone(),
            username: validate_username(&req.account.username).ok(),
            except: except.map(str::to_string),
            uploads,
            attempt,
            max_attachment_bytes: u64::from(config.upload_mib_per_application) * MIB,
        }
    }

    /// The field errors found, and the score of the quoted attempt when it passed (binding the attempt to the
    /// verified number, see [`gate`](super::gate)).
    fn run(self, conn: &Connection) -> Result<(Vec<FieldError>, Option<u32>), ApiError> {
        let mut errors = Vec::new();
        if let Some(username) = self.username {
            if usernames::is_reserved(&username)
                || usernames::is_taken_by_other(conn, &username, self.except.as_deref())?
            {
                errors.push(username_taken());
            }
        }
        let mut attachment_bytes = 0;
        for claim in self.uploads {
            match upload_error(conn, claim, &self.phone)? {
                Ok(bytes) => attachment_bytes += bytes,
                Err(error) => errors.push(error),
            }
        }
        if attachment_bytes > self.max_attachment_bytes {
            errors.push(FieldError::new(
                fields::ASSET_PROOFS,
                codes::ATTACHMENTS_TOO_LARGE,
                format!(
                    "the attachments have {attachment_bytes} bytes together; an application may have {}",
                    self.max_attachment_bytes
                ),
            ));
        }
        let mut score = None;
        if let Some(attempt) = self.attempt {
            match check_attempt(conn, &attempt)? {
                Ok(passed) => score = Some(passed),
                Err(error) => errors.push(error),
            }
        }
        Ok((errors, score))
    }
}

/// `account.username` is taken (or reserved).
pub(super) fn username_taken() -> FieldError {
    FieldError::new(
        fields::ACCOUNT_USERNAME,
        codes::USERNAME_TAKEN,
        "this username is taken",
    )
}

/// The bytes of a quoted upload, or why it cannot be used: not found for the verified number, or of another
/// kind.
fn upload_error(
    conn: &Connection,
    claim: UploadClaim,
    phone: &str,
) -> rusqlite::Result<Result<u64, FieldError>> {
    let row: Option<(String, String, i64)> = conn
        .query_row(
            "SELECT kind, phone, bytes FROM uploads WHERE id = ?1",
            [&claim.id],
            |r| Ok((r.get("kind")?, r.get("phone")?, r.get("bytes")?)),
        )
        .optional()?;
    Ok(match row {
        Some((_, owner, _)) if owner != phone => Err(upload_not_found(claim.field)),
        None => Err(upload_not_found(claim.field)),
        Some((stored_kind, _, _)) if stored_kind != claim.kind.as_str() => Err(FieldError::new(
            claim.field,
            codes::UPLOAD_WRONG_KIND,
            format!(
                "this upload is a {stored_kind}, not a {}",
                claim.kind.as_str()
            ),
        )),
        Some((_, _, bytes)) => Ok(bytes.max(0) as u64),
    })
}

fn upload_not_found(field: String) -> FieldError {
    FieldError::new(
        field,
        codes::UPLOAD_NOT_FOUND,
        "no such upload for the verified number; upload the image again",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_is_real() {
        let list = common_passwords();
        assert!(list.len() > 3000, "{}", list.len());
        for p in [
            "password",
            "12345678",
            "qwertyuiop",
            "1qaz2wsx",
            "woaini1314",
            "iloveyou",
        ] {
            assert!(list.contains(p), "{p}");
        }
        assert!(list.iter().all(|p| p == &p.to_lowercase()));
    }
}
