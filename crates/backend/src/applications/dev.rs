//! The operator's side in development mode: the stored record, and the status changes of a review.

use axum::extract::{Path, State};
use axum::Json;
use domain::api::{
    codes, ApplicationStatus, ApplicationStatusResponse, DevApplicationRecord, DevStatusUpdate,
    FieldError,
};
use rusqlite::named_params;

use super::status_of;
use super::storage::{load_record, record};
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::util::now_unix;
use crate::AppState;

fn no_such_application() -> ApiError {
    ApiError::not_found(codes::APPLICATION_NOT_FOUND, "no such application")
}

/// `GET /dev/applications/{reference}` (development mode): the stored row without the password hash.
pub async fn dev_record(
    State(state): State<AppState>,
    Path(reference): Path<String>,
) -> Result<Json<DevApplicationRecord>, ApiError> {
    let reference = reference.trim().to_ascii_uppercase();
    record(state.db(), reference)
        .await?
        .map(Json)
        .ok_or_else(no_such_application)
}

/// `POST /dev/applications/{reference}/status` (development mode): what an operator does in review.
pub async fn dev_set_status(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    JsonBody(update): JsonBody<DevStatusUpdate>,
) -> Result<Json<ApplicationStatusResponse>, ApiError> {
    let text = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let account_number = text(&update.account_number);
    let reason = text(&update.reason);
    let mut errors = Vec::new();
    if update.status == ApplicationStatus::Approved && account_number.is_none() {
        errors.push(FieldError::new(
            "account_number",
            codes::ACCOUNT_NUMBER_MISSING,
            "an approved application needs its trading account number",
        ));
    }
    if update.status == ApplicationStatus::Returned && reason.is_none() {
        errors.push(FieldError::new(
            "reason",
            codes::RETURNED_REASON_MISSING,
            "a returned application needs the reason",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let approved = update.status == ApplicationStatus::Approved;
    let returned = update.status == ApplicationStatus::Returned;
    let step = update.step.filter(|_| returned).map(|s| s.as_str());
    let reference = reference.trim().to_ascii_uppercase();
    let now = now_unix();
    let record = state
        .db()
        .call(move |conn| {
            conn.execute(
                "UPDATE applications
                 SET status = :status, account_number = :account_number, returned_reason = :returned_reason,
                     returned_step = :returned_step, updated_at = :updated_at
                 WHERE reference = :reference",
                named_params! {
                    ":status": update.status.as_str(),
                    ":account_number": account_number.filter(|_| approved),
                    ":returned_reason": reason.filter(|_| returned),
                    ":returned_step": step,
                    ":updated_at": now,
                    ":reference": reference,
                },
            )?;
            Ok(load_record(conn, &reference)?)
        })
        .await?
        .ok_or_else(no_such_application)?;
    tracing::info!(reference = %record.reference, status = record.status.as_str(), "status changed");
    Ok(Json(status_of(record)))
}
