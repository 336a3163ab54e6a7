//! What a picked file is, decided by its bytes and never by its name: the domain crate's sniffing and header
//! checks ([`domain::attachment::check_header`]) on the first bytes, which decide whether the picture may be
//! decoded at all (a pixel bomb or a renamed PDF is refused before anything decodes it), then the checks of the
//! whole file ([`domain::attachment::check_image`]: not cut off, nothing after the image), which may run while
//! the picture decodes.

use domain::attachment::{
    check_header, check_image, jpeg_exif_orientation, AttachmentError, ImageFormat, ImageLimits,
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

/// A picked file whose first bytes passed the checks: its type, size and pixel count are known, so it may be
/// decoded. `rest_checked` tells whether the whole file was in those bytes; if not, [`check_rest`] still has to
/// confirm that it is not cut off and carries nothing after the image (it may run while the picture decodes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub image: Inspected,
    pub rest_checked: bool,
}

fn unreadable(e: JsValue) -> InspectError {
    InspectError::Unreadable(format!("{e:?}"))
}

/// The limits for judging bytes of the file: `max_bytes` is judged on the file's size instead.
fn header_limits(limits: &ImageLimits) -> ImageLimits {
    ImageLimits {
        max_bytes: u64::MAX,
        ..*limits
    }
}

/// Checks the first bytes of a picked file against `limits`: type by magic bytes, byte size, dimensions and
/// pixel count from the header, EXIF orientation. `max_bytes` of the limits applies to the file as picked; pass
/// `u64::MAX` when larger files are shrunk before upload. A pixel bomb or a renamed PDF ends here.
pub async fn inspect_header(blob: &Blob, limits: &ImageLimits) -> Result<Header, InspectError> {
    let size = blob.size() as u64;
    if size == 0 {
        return Err(InspectError::refused(AttachmentError::Empty));
    }
    let head = read_range(blob, 0, size.min(HEAD_BYTES))
        .await
        .map_err(unreadable)?;
    let partial = (head.len() as u64) < size;
    let checked = if partial {
        check_header(&head, &header_limits(limits))
    } else {
        check_image(&head, &header_limits(limits))
    };
    let (info, read) = match checked {
        // A header that goes on past the first bytes (large metadata): the whole file is read and checked.
        Err(AttachmentError::Truncated) if partial => {
            let whole = read_range(blob, 0, size).await.map_err(unreadable)?;
            let info =
                check_image(&whole, &header_limits(limits)).map_err(|e| refusal(e, &whole))?;
            (info, whole)
        }
        checked => (checked.map_err(|e| refusal(e, &head))?, head),
    };
    if size > limits.max_bytes {
        return Err(InspectError::refused(AttachmentError::TooLarge {
            max_bytes: limits.max_bytes,
        }));
    }
    Ok(Header {
        image: Inspected {
            format: info.format,
            width: info.width,
            height: info.height,
            orientation: jpeg_exif_orientation(&read),
            bytes: size,
        },
        // The whole file was read, so the checks of the whole file were made.
        rest_checked: read.len() as u64 == size,
    })
}

/// The rest of the checks of a file bigger than its first bytes: the whole file must be whole (not cut off)
/// and carry no page or script after the image, as the backend requires.
pub async fn check_rest(
    blob: &Blob,
    header: &Header,
    limits: &ImageLimits,
) -> Result<(), InspectError> {
    if header.rest_checked {
        return Ok(());
    }
    let whole = read_range(blob, 0, header.image.bytes)
        .await
        .map_err(unreadable)?;
    check_image(&whole, &header_limits(limits))
        .map(|_| ())
        .map_err(|e| refusal(e, &whole))
}

/// Every check of a picked file ([`inspect_header`], then [`check_rest`]).
pub async fn inspect(blob: &Blob, limits: &ImageLimits) -> Result<Inspected, InspectError> {
    let header = inspect_header(blob, limits).await?;
    check_rest(blob, &header, limits).await?;
    Ok(header.image)
}

fn refusal(error: AttachmentError, bytes: &[u8]) -> InspectError {
    let (width, height) = domain::attachment::image_dimensions(bytes).unwrap_or((0, 0));
    InspectError::Refused {
        error,
        width,
        height,
    }
}
