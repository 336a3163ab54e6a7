//! `GET /applications/{reference}/answers`: what the application holds, for fixing a returned one in the wizard.

use axum::extract::State;
use axum::Json;
use domain::api::{
    Identity, QuizAnswer, QuizMode, StoredAccount, StoredApplication, StoredAttachments,
    UploadSummary,
};
use rusqlite::Connection;

use super::access::{not_found, StatusAccess};
use super::storage::load_record;
use crate::error::ApiError;
use crate::uploads::summary;
use crate::AppState;

fn upload(conn: &Connection, upload_id: &str) -> Result<UploadSummary, ApiError> {
    summary(conn, upload_id)?.ok_or_else(|| {
        ApiError::internal(format!(
            "upload {upload_id} of an application is not stored"
        ))
    })
}

/// `GET /applications/{reference}/answers` with `X-Status-Token`: everything but the password, each image as
/// the investor uploaded it.
pub async fn answers(
    State(state): State<AppState>,
    access: StatusAccess,
) -> Result<Json<StoredApplication>, ApiError> {
    let reference = access.reference;
    state
        .db()
        .call(move |conn| {
            let r = load_record(conn, &reference)?.ok_or_else(not_found)?;
            let asset_proofs = r
                .asset_proofs
                .iter()
                .map(|id| upload(conn, id))
                .collect::<Result<_, _>>()?;
            Ok(StoredApplication {
                reference: r.reference,
                quiz: QuizAnswer {
                    mode: r.quiz_mode,
                    attempt_id: r.quiz_attempt_id,
                    declared_score: r
                        .quiz_score
                        .filter(|_| r.quiz_mode == QuizMode::SelfDeclared),
                },
                identity: Identity {
                    name: r.name,
                    document_type: r.document_type,
                    document_number: r.document_number,
                    phone: r.phone,
                },
                account: StoredAccount {
                    username: r.username,
                    address: r.address,
                    email: r.email,
                },
                attachments: StoredAttachments {
                    id_front: upload(conn, &r.id_front)?,
                    id_back: upload(conn, &r.id_back)?,
                    asset_proofs,
                },
                agreements: r.agreements,
                sensitive_data_consent: r.sensitive_data_consent,
                locale: r.locale,
            })
        })
        .await
        .map(Json)
}
