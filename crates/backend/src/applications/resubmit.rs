//! `PUT /applications/{reference}`: a returned application, fixed by the investor and sent again. Checked like a
//! first submission, stored over its row (same reference), moved on with [`StatusChange::Resubmit`].

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::api::{codes, ApplicationRequest, FieldError, StatusChange};
use domain::application::fields;

use super::access::{not_found, StatusAccess};
use super::idempotency::{
    hash_password, idempotency_key, key_reused, replayed, same_request, stored_under, KeyedBy,
    Retry, Stored,
};
use super::storage::{record, refuse_under_review, Resubmission, Resubmitted};
use super::{checks, status_answer};
use crate::auth::Verification;
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::review::ChangeError;
use crate::util::now_unix;
use crate::{notify, AppState};

/// `PUT /applications/{reference}` with `X-Status-Token`, the verification token of the application's number and
/// an `Idempotency-Key`: 200 with the status.
///
/// Only a `returned` application is sent again (409 `application_not_returned`). The verified number must be
/// the application's (422 `phone_not_verified` on `identity.phone`). The same key with the same request answers
/// the same 200 again (`Idempotent-Replayed: true`) and changes nothing; with another request, or a key used for
/// another application or a first submission, 409 `idempotency_key_reused`.
pub async fn resubmit(
    State(state): State<AppState>,
    headers: HeaderMap,
    access: Result<StatusAccess, ApiError>,
    verification: Result<Verification, ApiError>,
    body: Result<JsonBody<ApplicationRequest>, ApiError>,
) -> Result<Response, ApiError> {
    let key = idempotency_key(&headers)?;
    let reference = access?.reference;
    let verification = verification?;
    let JsonBody(req) = body?;
    let retry = Retry::of(&req, &verification.verified)?;
    let now = now_unix();

    if stored_under(state.db(), KeyedBy::Submission, &key)
        .await?
        .is_some()
    {
        return Err(key_reused());
    }
    // A token that sent the application may still replay that request (the answer may have been lost).
    if let Some(stored) = stored_under(state.db(), KeyedBy::Resubmission, &key).await? {
        return replay(&state, stored, &reference, &retry).await;
    }
    let verified = verification.unspent()?;
    let application = record(state.db(), reference.clone())
        .await?
        .ok_or_else(not_found)?;
    let change = StatusChange::Resubmit;
    if application.review.status.after(change).is_none() {
        let refused = ChangeError::NotAllowed {
            from: application.review.status,
            change,
        };
        return Err(refused.into_api(codes::APPLICATION_NOT_RETURNED));
    }
    if verified.phone != application.phone {
        return Err(ApiError::validation(vec![FieldError::new(
            fields::IDENTITY_PHONE,
            codes::PHONE_NOT_VERIFIED,
            "the application was made with another number; verify that number by SMS",
        )]));
    }
    let checked = checks::check(&state, &req, &verified, now, Some(&reference)).await?;
    refuse_under_review(state.db(), &checked.valid.document_number, Some(&reference)).await?;

    let resubmission = Resubmission {
        reference: reference.clone(),
        password_hash: hash_password(state.argon2(), checked.valid.password.clone()).await?,
        token_hash: verified.token_hash.clone(),
        valid: checked.valid,
        quiz_score: checked.quiz_score,
        idempotency_key: key,
        fingerprint: retry.fingerprint.clone(),
        now,
    };
    match state.db().write(move |tx| resubmission.store(tx)).await? {
        Resubmitted::Done(messages) => {
            tracing::info!(%reference, "application sent again");
            notify::announce(state.config().dev, &reference, &messages);
            Ok(Json(status_answer(&state, reference).await?).into_response())
        }
        // Another request with the same key got there first.
        Resubmitted::Existing(stored) => replay(&state, stored, &reference, &retry).await,
    }
}

/// The answer to a retried resubmission: the status again, marked as replayed; nothing changes.
async fn replay(
    state: &AppState,
    stored: Stored,
    reference: &str,
    retry: &Retry<'_>,
) -> Result<Response, ApiError> {
    if stored.reference != reference {
        return Err(key_reused());
    }
    same_request(state.argon2(), &stored, retry).await?;
    let status = status_answer(state, stored.reference).await?;
    Ok(replayed(Json(status).into_response()))
}
