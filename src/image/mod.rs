//! The image pipeline of the attachment fields. A picked file is first judged by its bytes ([`inspect`], the
//! domain crate's rules), then [`prepare`]d in the browser: decoded upright at the size it will be sent
//! ([`decode`]), drawn and encoded without metadata ([`encode`]), and sent as the smallest of the candidates:
//! the original (without its metadata, whatever its format) only when it needs no shrinking or turning.

pub mod decode;
pub mod encode;
pub mod inspect;
pub mod object_url;
pub mod plan;
pub mod thumbnail;

use domain::attachment::{self, ImageFormat};
use domain::config::ImageConfig;
use inspect::{read_range, InspectError, Inspected};
use wasm_bindgen::JsValue;
use web_sys::{Blob, BlobPropertyBag};

/// Largest file taken in before shrinking; `images.max_bytes` applies to what is sent.
pub const MAX_ORIGINAL_BYTES: u64 = 64 * 1024 * 1024;

/// What is sent for one picked file.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub blob: Blob,
    /// The picked file's name with the extension of the format sent.
    pub upload_name: String,
    pub format: ImageFormat,
    pub bytes: u64,
    /// Size the right way up.
    pub width: u32,
    pub height: u32,
    /// The pixels were decoded and encoded again (else the original bytes are sent).
    pub reencoded: bool,
}

/// `photo.HEIC.jpeg` → `photo.HEIC.jpg` for a JPEG; a name without extension gets one.
pub fn upload_name(name: &str, format: ImageFormat) -> String {
    let stem = match name.rsplit_once('.') {
        Some((stem, ext)) if ext.len() <= 5 => stem,
        _ => name,
    };
    let stem = if stem.trim().is_empty() {
        "image"
    } else {
        stem
    };
    format!("{stem}.{}", format.extension())
}

fn undecodable(e: JsValue) -> InspectError {
    InspectError::Undecodable(e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

fn blob_of(bytes: &[u8], format: ImageFormat) -> Result<Blob, JsValue> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(format.mime());
    Blob::new_with_u8_array_sequence_and_options(&parts, &options)
}

/// The original as it may be sent, without its metadata ([`attachment::strip_metadata`]): a JPEG without its
/// EXIF, XMP, IPTC and comment segments (its colour profile stays) and what follows its end, a PNG with only the
/// chunks that show the picture, a GIF without comments, application and plain-text extensions.
async fn original(file: &Blob, image: &Inspected) -> Option<Blob> {
    let bytes = read_range(file, 0, image.bytes).await.ok()?;
    let stripped = attachment::strip_metadata(image.format, &bytes)?;
    blob_of(&stripped, image.format).ok()
}

/// Decodes, turns, shrinks and encodes a checked image as `config` says (`target_long_edge`, `jpeg_quality`),
/// keeping the original when it needs none of that and is the smaller file, or is a light PNG (a screenshot,
/// [`plan::LIGHT_PNG_BYTES_PER_PIXEL`]).
pub async fn prepare(
    file: &Blob,
    name: &str,
    image: &Inspected,
    config: &ImageConfig,
) -> Result<Prepared, InspectError> {
    let plan = plan::plan(image, config);
    let scale_to = plan
        .scale_while_decoding
        .then_some((plan.width, plan.height));
    let decoded = decode::decode(file, scale_to).await.map_err(undecodable)?;
    let as_is = if plan.send_as_is {
        original(file, image).await
    } else {
        None
    };
    let best = match as_is {
        Some(kept) => {
            // Decoded only to know that the browser can show it.
            decoded.close();
            (kept, image.format, false)
        }
        None => smallest(file, image, &plan, config, decoded).await?,
    };
    let (blob, format, reencoded) = best;
    Ok(Prepared {
        bytes: blob.size() as u64,
        blob,
        upload_name: upload_name(name, format),
        format,
        width: plan.width,
        height: plan.height,
        reencoded,
    })
}

/// Draws `decoded` at the planned size and gives the smallest of what may be sent: the JPEG, for a PNG that must
/// be re-encoded also a PNG, and the original when the plan lets it go as it is. With whether it was re-encoded.
async fn smallest(
    file: &Blob,
    image: &Inspected,
    plan: &plan::Plan,
    config: &ImageConfig,
    decoded: decode::Decoded,
) -> Result<(Blob, ImageFormat, bool), InspectError> {
    let drawn = encode::draw(&decoded, plan.width, plan.height);
    decoded.close();
    let drawn = drawn.map_err(undecodable)?;
    // Screenshots: PNG keeps text sharp and is often the smaller file. The browser encodes both at once.
    let png_too = image.format == ImageFormat::Png && plan.must_reencode();
    let (jpeg, png) =
        futures::future::join(drawn.encode("image/jpeg", config.jpeg_quality), async {
            if png_too {
                drawn.encode("image/png", 1.0).await.ok()
            } else {
                None
            }
        })
        .await;
    drawn.release();
    let mut best = (jpeg.map_err(undecodable)?, ImageFormat::Jpeg, true);
    if let Some(png) = png.filter(|png| png.size() < best.0.size()) {
        best = (png, ImageFormat::Png, true);
    }
    if !plan.must_reencode() {
        if let Some(kept) = original(file, image).await {
            if kept.size() <= best.0.size() {
                best = (kept, image.format, false);
            }
        }
    }
    Ok(best)
}
