//! What a picked file is, decided by its bytes and never by its name: the domain crate's sniffing and
//! header-only checks ([`domain::attachment::check_image`]) on the first bytes, then on the whole file only when
//! the header did not fit in them. A pixel bomb or a renamed PDF is refused before anything decodes it.

use domain::attachment::{
    check_image, jpeg_exif_orientation, AttachmentError, ImageFormat, ImageLimits,
};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

/// How many bytes are read first. Enough for the headers of nearly every photo (EXIF with its thumbnail
/// included); a file whose header goes on further is read whole.
pub const HEAD_BYTES: u64 = 256 * 1024;

/// A picked file that passed the checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Inspected {
    pub format: ImageFormat,
    /// As stored in the file, before any EXIF orientation is applied.
    pub width: u32,
    pub height: u32,
    /// EXIF orientation (1–8) of a JPEG, when it has one.
    pub orientation: Option<u8>,
    pub bytes: u64,
}

/// Why a file could not be inspected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InspectError {
    /// Refused by the attachment rules; `width`/`height` are known for dimension refusals.
    Refused {
        error: AttachmentError,
        width: u32,
        height: u32,
    },
    /// The browser could not read the file (moved, deleted, permission withdrawn).
    Unreadable(String),
    /// The header was fine but the browser could not decode the picture.
    Undecodable(String),
}

impl InspectError {
    fn refused(error: AttachmentError) -> Self {
        InspectError::Refused {
            error,
            width: 0,
            height: 0,
        }
    }
}

/// Reads bytes `start..end` of a blob.
pub async fn read_range(blob: &Blob, start: u64, end: u64) -> Result<Vec<u8>, JsValue> {
    let part = blob.slice_with_f64_and_f64(start as f64, end as f64)?;
    let buffer = JsFuture::from(part.array_buffer()).await?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Checks a picked file against `limits`. `max_bytes` of the limits applies to the file as picked; pass
/// `u64::MAX` when larger files are shrunk before upload. The whole file must be whole (not cut off) and carry
/// no page or script after the image, as the backend requires.
pub async fn inspect(blob: &Blob, limits: &ImageLimits) -> Result<Inspected, InspectError> {
    let size = blob.size() as u64;
    if size == 0 {
        return Err(InspectError::refused(AttachmentError::Empty));
    }
    let unreadable = |e: JsValue| InspectError::Unreadable(format!("{e:?}"));
    let head = read_range(blob, 0, size.min(HEAD_BYTES))
        .await
        .map_err(unreadable)?;
    let header_limits = ImageLimits {
        max_bytes: u64::MAX,
        ..*limits
    };
    // On a partial file every refusal but `Truncated` is final: the type, the size in the header and the pixel
    // limits are all decided by the first bytes.
    let partial = (head.len() as u64) < size;
    let whole = match check_image(&head, &header_limits) {
        Err(AttachmentError::Truncated) | Ok(_) if partial => {
            read_range(blob, 0, size).await.map_err(unreadable)?
        }
        Ok(_) => head,
        Err(error) => return Err(refusal(error, &head)),
    };
    let info = check_image(&whole, &header_limits).map_err(|e| refusal(e, &whole))?;
    if size > limits.max_bytes {
        return Err(InspectError::refused(AttachmentError::TooLarge {
            max_bytes: limits.max_bytes,
        }));
    }
    Ok(Inspected {
        format: info.format,
        width: info.width,
        height: info.height,
        orientation: jpeg_exif_orientation(&whole),
        bytes: size,
    })
}

fn refusal(error: AttachmentError, bytes: &[u8]) -> InspectError {
    let (width, height) = domain::attachment::image_dimensions(bytes).unwrap_or((0, 0));
    InspectError::Refused {
        error,
        width,
        height,
    }
}
