//! The operator's side in development mode: the stored record, the status changes of a review, and the messages
//! queued for the investor.

use axum::extract::{Path, State};
use axum::Json;
use domain::api::{
    codes, ApplicationStatus, ApplicationStatusResponse, DevApplicationRecord, DevStatusUpdate,
    OutboxMessage, StatusChange,
};

use super::access::{normalize_reference, not_found};
use super::status_answer;
use super::storage::{load_record, record};
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::review::{self, StatusUpdate};
use crate::util::now_unix;
use crate::{notify, AppState};

fn no_such_application() -> ApiError {
    ApiError::not_found(codes::APPLICATION_NOT_FOUND, "no such application")
}

/// `GET /dev/applications/{reference}` (development mode): the stored row without the password hash.
pub async fn dev_record(
    State(state): State<AppState>,
    Path(reference): Path<String>,
) -> Result<Json<DevApplicationRecord>, ApiError> {
    record(state.db(), normalize_reference(&reference))
        .await?
        .map(Json)
        .ok_or_else(no_such_application)
}

/// The change that leads into `status` (by [`ApplicationStatus::after`]).
fn change_into(status: ApplicationStatus) -> Option<StatusChange> {
    StatusChange::ALL.into_iter().find(|change| {
        ApplicationStatus::ALL
            .into_iter()
            .any(|from| from.after(*change) == Some(status))
    })
}

/// `POST /dev/applications/{reference}/status` (development mode): what an operator does in review, as the
/// actor `dev`. A status the application cannot move into from where it is: 409 `status_change_not_allowed`.
pub async fn dev_set_status(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    JsonBody(update): JsonBody<DevStatusUpdate>,
) -> Result<Json<ApplicationStatusResponse>, ApiError> {
    let not_allowed = || {
        ApiError::conflict(
            codes::STATUS_CHANGE_NOT_ALLOWED,
            format!("no change leads into {}", update.status.as_str()),
        )
    };
    let change = change_into(update.status).ok_or_else(not_allowed)?;
    let status_update = StatusUpdate {
        account_number: update.account_number,
        reason: update.reason,
        step: update.step,
        ..StatusUpdate::new(change, review::DEV)
    };
    let reference = normalize_reference(&reference);
    let now = now_unix();
    let changed = state
        .db()
        .write(move |tx| {
            review::change(tx, &reference, &status_update, now)
                .map_err(|e| e.into_api(codes::STATUS_CHANGE_NOT_ALLOWED))
        })
        .await?;
    tracing::info!(
        reference = %changed.reference,
        from = changed.from.as_str(),
        to = changed.to.as_str(),
        "status changed (development mode)"
    );
    notify::announce(state.config().dev, &changed.reference, &changed.messages);
    Ok(Json(status_answer(&state, changed.reference).await?))
}

/// `GET /dev/outbox/{reference}` (development mode): the messages queued for the investor, oldest first.
pub async fn dev_outbox(
    State(state): State<AppState>,
    Path(reference): Path<String>,
) -> Result<Json<Vec<OutboxMessage>>, ApiError> {
    let reference = normalize_reference(&reference);
    state
        .db()
        .call(move |conn| {
            load_record(conn, &reference)?.ok_or_else(not_found)?;
            Ok(notify::messages_of(conn, &reference)?)
        })
        .await
        .map(Json)
}
