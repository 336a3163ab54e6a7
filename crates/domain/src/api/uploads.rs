//! `POST /uploads`: the images of an application.

use serde::{Deserialize, Serialize};

use crate::attachment::ImageFormat;

/// What an uploaded image shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UploadKind {
    /// ID card, portrait side.
    IdFront,
    /// ID card, national emblem side.
    IdBack,
    /// Proof of assets (≥ 500,000 CNY) or of trading flow.
    AssetProof,
    /// Receipt of the account-opening fee transfer.
    FeeReceipt,
}

impl UploadKind {
    pub const ALL: [UploadKind; 4] = [
        UploadKind::IdFront,
        UploadKind::IdBack,
        UploadKind::AssetProof,
        UploadKind::FeeReceipt,
    ];

    /// The serde name, e.g. `id_front`.
    pub fn as_str(self) -> &'static str {
        match self {
            UploadKind::IdFront => "id_front",
            UploadKind::IdBack => "id_back",
            UploadKind::AssetProof => "asset_proof",
            UploadKind::FeeReceipt => "fee_receipt",
        }
    }

    pub fn from_name(name: &str) -> Option<UploadKind> {
        UploadKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// 201 answer of `POST /uploads`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadCreated {
    pub upload_id: String,
    pub kind: UploadKind,
    pub bytes: u64,
    pub width: u32,
    pub height: u32,
    pub format: ImageFormat,
}
