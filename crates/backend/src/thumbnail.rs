//! Thumbnails of stored uploads, for the app to show an upload again after a reload (iOS after the camera):
//! a JPEG with the long edge at most [`LONG_EDGE`], made on the first request and kept beside the upload.
//! Decoding takes up to 256 MiB, so only `--decode-concurrency` pictures are decoded at a time, and a picture
//! that cannot be decoded is marked as such and from then on served as stored, without trying again.

use axum::extract::{Path, State};
use axum::response::Response;
use domain::attachment::ImageFormat;
use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageReader, Limits, Rgb, RgbImage};
use std::io::Cursor;

use crate::auth::Verified;
use crate::error::ApiError;
use crate::uploads::{image_response, stored, StoredUpload};
use crate::util::{random_token, write_private};
use crate::AppState;

/// Long edge of a thumbnail in pixels: sharp at three device pixels per CSS pixel in the app's 160 px preview.
pub const LONG_EDGE: u32 = 480;
const QUALITY: u8 = 80;
/// Memory a decode may take: a 40 MP picture (the pixel limit of uploads) in 8-bit RGBA, and some.
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;

/// `GET /uploads/{upload_id}/thumbnail`, for its uploader only: a JPEG of at most [`LONG_EDGE`] px, made on the
/// first request and kept as `<id>.thumb.jpg`. A picture that small already (by the size stored with it) is its
/// own thumbnail, and so is one that could not be decoded: neither is decoded.
pub async fn thumbnail(
    State(state): State<AppState>,
    verified: Verified,
    Path(upload_id): Path<String>,
) -> Result<Response, ApiError> {
    let upload = stored(&state, upload_id, Some(verified.phone)).await?;
    if upload.width.max(upload.height) <= LONG_EDGE || upload.thumbnail_failed {
        let bytes = tokio::fs::read(&upload.path).await?;
        return Ok(image_response(upload.format, bytes));
    }
    let thumb_path = upload.path.with_extension("thumb.jpg");
    if let Ok(thumb) = tokio::fs::read(&thumb_path).await {
        return Ok(image_response(ImageFormat::Jpeg, thumb));
    }
    let bytes = tokio::fs::read(&upload.path).await?;
    let format = upload.format;
    let (bytes, thumb) = state
        .decoding()
        .run(move || {
            let thumb = make(&bytes, format);
            (bytes, thumb)
        })
        .await?;
    let Some(thumb) = thumb else {
        remember_failure(&state, &upload).await?;
        return Ok(image_response(format, bytes));
    };
    // Written aside and renamed, so a request at the same moment never reads half a file.
    let partial = upload
        .path
        .with_extension(format!("thumb.{}", random_token("tmp")));
    if write_private(&partial, &thumb).await.is_ok()
        && tokio::fs::rename(&partial, &thumb_path).await.is_err()
    {
        let _ = tokio::fs::remove_file(&partial).await;
    }
    Ok(image_response(ImageFormat::Jpeg, thumb))
}

/// Marks the upload as a picture that cannot be decoded: it is served as stored from now on.
async fn remember_failure(state: &AppState, upload: &StoredUpload) -> Result<(), ApiError> {
    tracing::warn!(
        upload = %upload.id,
        "the picture could not be decoded for a thumbnail; it is served as stored from now on"
    );
    let id = upload.id.clone();
    state
        .db()
        .call(move |conn| {
            conn.execute(
                "UPDATE uploads SET thumbnail_failed = 1 WHERE id = ?1",
                [&id],
            )?;
            Ok(())
        })
        .await
}

/// A JPEG of the stored picture `bytes` fitted into [`LONG_EDGE`], transparent areas on white; `None` when the
/// picture is that small already (it serves as its own thumbnail) or cannot be decoded.
pub fn make(bytes: &[u8], format: ImageFormat) -> Option<Vec<u8>> {
    let format = match format {
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
        ImageFormat::Png => image::ImageFormat::Png,
        ImageFormat::Gif => image::ImageFormat::Gif,
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let picture = reader.decode().ok()?;
    if picture.width().max(picture.height()) <= LONG_EDGE {
        return None;
    }
    let small = picture.thumbnail(LONG_EDGE, LONG_EDGE);
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, QUALITY)
        .encode_image(&on_white(&small))
        .ok()?;
    Some(out)
}

/// The picture's colours over a white background.
fn on_white(picture: &DynamicImage) -> RgbImage {
    let rgba = picture.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        Rgb([over(r), over(g), over(b)])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgba, RgbaImage};

    fn encoded(picture: DynamicImage, format: image::ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        picture.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_large_picture_is_fitted_into_the_long_edge_as_jpeg() {
        let photo = RgbImage::from_fn(1920, 2560, |_, y| {
            if y < 1280 {
                Rgb([200, 20, 20])
            } else {
                Rgb([20, 20, 200])
            }
        });
        let jpeg = encoded(DynamicImage::ImageRgb8(photo), image::ImageFormat::Jpeg);
        let thumb = make(&jpeg, ImageFormat::Jpeg).expect("a thumbnail");
        assert!(thumb.len() < jpeg.len() / 4);
        let small = image::load_from_memory_with_format(&thumb, image::ImageFormat::Jpeg).unwrap();
        assert_eq!((small.width(), small.height()), (360, 480));
        let top = small.to_rgb8().get_pixel(180, 60).0;
        let bottom = small.to_rgb8().get_pixel(180, 420).0;
        assert!(top[0] > 150 && top[2] < 80, "red stays on top: {top:?}");
        assert!(bottom[2] > 150 && bottom[0] < 80, "blue below: {bottom:?}");
    }

    #[test]
    fn transparent_areas_come_out_white_and_small_pictures_are_their_own_thumbnail() {
        let shot = RgbaImage::from_pixel(1000, 500, Rgba([0, 0, 0, 0]));
        let png = encoded(DynamicImage::ImageRgba8(shot), image::ImageFormat::Png);
        let thumb = make(&png, ImageFormat::Png).expect("a thumbnail");
        let small = image::load_from_memory(&thumb).unwrap().to_rgb8();
        assert_eq!(small.dimensions(), (480, 240));
        assert!(small.get_pixel(10, 10).0.iter().all(|&c| c > 245));

        let little = encoded(
            DynamicImage::ImageRgb8(RgbImage::new(480, 300)),
            image::ImageFormat::Png,
        );
        assert_eq!(make(&little, ImageFormat::Png), None);
        assert_eq!(make(b"\x89PNG\r\n\x1a\nbroken", ImageFormat::Png), None);
    }
}
