//! A returned application back in the wizard: the draft filled from what the exchange stored, to be corrected
//! and sent again under the same reference. Never the password: the investor types it again.

use super::{AccountDraft, AgreementRecord, ConsentRecord, Draft, IdentityDraft, QuizPass};
use crate::upload::StoredUpload;
use domain::api::{StoredApplication, UploadSummary};

impl From<&UploadSummary> for StoredUpload {
    fn from(upload: &UploadSummary) -> StoredUpload {
        StoredUpload {
            upload_id: upload.upload_id.clone(),
            file_name: upload.file_name.clone(),
            bytes: upload.bytes,
            width: upload.width,
            height: upload.height,
        }
    }
}

impl Draft {
    /// The draft that corrects the stored application `stored`.
    pub fn resubmission(stored: &StoredApplication) -> Draft {
        let account = &stored.account;
        let attachments = &stored.attachments;
        Draft {
            quiz_pass: Some(QuizPass {
                mode: stored.quiz.mode,
                attempt_id: stored.quiz.attempt_id.clone(),
                score: stored.quiz.declared_score.unwrap_or_default(),
            }),
            consent: Some(ConsentRecord {
                version: stored.sensitive_data_consent.version.clone(),
                agreed_at: stored.sensitive_data_consent.agreed_at.clone(),
            }),
            identity: IdentityDraft {
                name: stored.identity.name.clone(),
                document_type: stored.identity.document_type,
                document_number: stored.identity.document_number.clone(),
                phone: stored.identity.phone.clone(),
            },
            account: AccountDraft {
                username: account.username.clone(),
                address: account.address.clone().unwrap_or_default(),
                email: account.email.clone(),
                id_front: vec![StoredUpload::from(&attachments.id_front)],
                id_back: vec![StoredUpload::from(&attachments.id_back)],
                asset_proofs: attachments
                    .asset_proofs
                    .iter()
                    .map(StoredUpload::from)
                    .collect(),
                agreements: stored
                    .agreements
                    .iter()
                    .map(|a| {
                        let record = AgreementRecord {
                            version: a.version.clone(),
                            opened_at: a.opened_at.clone(),
                            agreed_at: Some(a.agreed_at.clone()),
                        };
                        (a.id.as_str().to_string(), record)
                    })
                    .collect(),
            },
            resubmission: Some(stored.reference.clone()),
            ..Draft::default()
        }
    }
}
