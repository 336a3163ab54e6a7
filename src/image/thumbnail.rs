//! The stored image of an upload restored from the draft (after a reload, say), fetched with the bearer token
//! from `GET /uploads/{id}/thumbnail`: an `<img>` cannot send the header, so it is shown through a `blob:` URL.

use crate::api::{Api, ApiError};
use web_sys::{Blob, BlobPropertyBag};

pub async fn fetch_thumbnail(api: &Api, token: &str, upload_id: &str) -> Result<Blob, ApiError> {
    let request = api
        .get(&format!("/uploads/{upload_id}/thumbnail"))
        .header("Authorization", &format!("Bearer {token}"));
    let (bytes, mime) = Api::fetch_bytes(request).await?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    let options = BlobPropertyBag::new();
    options.set_type(&mime.unwrap_or_else(|| "image/jpeg".into()));
    Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|e| ApiError::Network(format!("{e:?}")))
}
