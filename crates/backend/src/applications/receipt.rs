//! `POST /applications/{reference}/receipt`: the investor uploads the receipt of the fee transfer, and the
//! application moves on with [`StatusChange::Receipt`].

use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use domain::api::{codes, StatusChange, UploadCreated, UploadKind};

use super::access::{not_found, StatusAccess};
use super::storage::record;
use crate::error::ApiError;
use crate::review::{self, ChangeError, StatusUpdate};
use crate::util::now_unix;
use crate::{notify, uploads, AppState};

/// `POST /applications/{reference}/receipt` (multipart: `file`).
///
/// The image goes through the checks and the storage of `POST /uploads` (kind `fee_receipt`, the application's
/// number); an application that takes no receipt now (`fee_received`, `approved`, `returned`) answers 409
/// `receipt_not_expected` before the image is stored. A later receipt replaces the earlier one.
pub async fn upload_receipt(
    State(state): State<AppState>,
    access: StatusAccess,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<UploadCreated>), ApiError> {
    let reference = access.reference;
    let application = record(state.db(), reference.clone())
        .await?
        .ok_or_else(not_found)?;
    let change = StatusChange::Receipt;
    if application.review.status.after(change).is_none() {
        let refused = ChangeError::NotAllowed {
            from: application.review.status,
            change,
        };
        return Err(refused.into_api(codes::RECEIPT_NOT_EXPECTED));
    }
    let created = uploads::receive(
        &state,
        application.phone,
        Some(UploadKind::FeeReceipt),
        Some(reference.clone()),
        multipart,
    )
    .await?;
    if application.fee_receipt.as_deref() == Some(created.upload_id.as_str()) {
        // This very receipt was taken already: a retry whose answer was lost. Nothing changes, nothing is sent.
        return Ok((StatusCode::CREATED, Json(created)));
    }
    let upload_id = created.upload_id.clone();
    let update = StatusUpdate {
        receipt: Some(upload_id.clone()),
        ..StatusUpdate::new(change, review::INVESTOR)
    };
    let now = now_unix();
    // Checked again under the write lock: an operator may have moved the application meanwhile.
    let changed = state
        .db()
        .write(move |tx| {
            let changed = review::change(tx, &reference, &update, now)
                .map_err(|e| e.into_api(codes::RECEIPT_NOT_EXPECTED))?;
            // Attached: kept from the purge of uploads no application quotes.
            tx.execute(
                "UPDATE uploads SET application = ?1 WHERE id = ?2",
                rusqlite::params![reference, upload_id],
            )?;
            Ok(changed)
        })
        .await?;
    tracing::info!(reference = %changed.reference, "fee receipt received");
    notify::announce(state.config().dev, &changed.reference, &changed.messages);
    Ok((StatusCode::CREATED, Json(created)))
}
