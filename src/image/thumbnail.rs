//! The stored image of an upload restored from the draft (after a reload, say), fetched with the bearer token
//! from `GET /uploads/{id}/thumbnail`: an `<img>` cannot send the header, so it is shown through a `blob:` URL.

use crate::api::{error_answer, Api, ApiError};
use web_sys::{Blob, BlobPropertyBag};

pub async fn fetch_thumbnail(api: &Api, token: &str, upload_id: &str) -> Result<Blob, ApiError> {
    let network = |e: gloo_net::Error| ApiError::Network(e.to_string());
    let response = api
        .get(&format!("/uploads/{upload_id}/thumbnail"))
        .header("Authorization", &format!("Bearer {token}"))
        .send()
        .await
        .map_err(network)?;
    let status = response.status();
    if !response.ok() {
        let text = response.text().await.unwrap_or_default();
        return Err(error_answer(status, &text));
    }
    let mime = response
        .headers()
        .get("content-type")
        .unwrap_or_else(|| "image/jpeg".into());
    let bytes = response.binary().await.map_err(network)?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    let options = BlobPropertyBag::new();
    options.set_type(&mime);
    Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|e| ApiError::Network(format!("{e:?}")))
}
