//! Browser tests of the image pipeline (headless Chromium): the size arithmetic, and whole runs of `prepare`
//! (metadata stripping included) on photos drawn here with a canvas and given an EXIF orientation, checked pixel
//! by pixel.
#![cfg(target_arch = "wasm32")]

use app::image::inspect::{
    check_rest, inspect, inspect_header, InspectError, Inspected, HEAD_BYTES,
};
use app::image::plan::{fit_long_edge, oriented_size, plan};
use app::image::{prepare, upload_name, Prepared};
use domain::attachment::{
    image_dimensions, jpeg_exif_orientation, AttachmentError, ImageFormat, ImageLimits,
};
use domain::config::ImageConfig;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::Blob;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{canvas, encoded};

fn config() -> ImageConfig {
    ImageConfig {
        max_bytes: 10 * 1024 * 1024,
        max_pixels: 40_000_000,
        min_long_edge: 400,
        target_long_edge: 2560,
        jpeg_quality: 0.85,
    }
}

fn inspected(width: u32, height: u32, orientation: Option<u8>, bytes: u64) -> Inspected {
    Inspected {
        format: ImageFormat::Jpeg,
        width,
        height,
        orientation,
        bytes,
    }
}

#[wasm_bindgen_test]
fn sizes_after_orientation_and_shrinking() {
    assert_eq!(oriented_size(4000, 3000, Some(6)), (3000, 4000));
    assert_eq!(oriented_size(4000, 3000, Some(8)), (3000, 4000));
    assert_eq!(oriented_size(4000, 3000, Some(3)), (4000, 3000));
    assert_eq!(oriented_size(4000, 3000, None), (4000, 3000));
    assert_eq!(fit_long_edge(4000, 3000, 2560), (2560, 1920));
    assert_eq!(fit_long_edge(3024, 4032, 2560), (1920, 2560));
    assert_eq!(fit_long_edge(1170, 2532, 2560), (1170, 2532));
    assert_eq!(fit_long_edge(2560, 2560, 2560), (2560, 2560));
    assert_eq!(fit_long_edge(10_000, 3, 2560), (2560, 1));

    let big = plan(&inspected(4000, 3000, Some(6), 5_000_000), &config());
    assert_eq!((big.width, big.height), (1920, 2560));
    assert!(big.shrink && big.reorient && !big.too_heavy && big.must_reencode());
    // A 12 MP photo is decoded whole and scaled by the drawing; past the iOS canvas limit, while decoding.
    assert!(!big.scale_while_decoding);
    let huge = plan(&inspected(6000, 4000, Some(6), 9_000_000), &config());
    assert!(huge.scale_while_decoding && huge.shrink);
    assert_eq!((huge.width, huge.height), (1707, 2560));
    let upright = plan(&inspected(1600, 1200, Some(1), 400_000), &config());
    assert_eq!((upright.width, upright.height), (1600, 1200));
    assert!(!upright.must_reencode());
    let heavy = plan(&inspected(2000, 1500, None, 11 * 1024 * 1024), &config());
    assert!(heavy.too_heavy && heavy.must_reencode() && !heavy.shrink);
    // A light PNG within the limits is sent as it is; a heavy one, a big one or any JPEG is not.
    let png = |width, height, bytes| Inspected {
        format: ImageFormat::Png,
        ..inspected(width, height, None, bytes)
    };
    assert!(plan(&png(1170, 2532, 200_000), &config()).send_as_is);
    assert!(!plan(&png(1170, 2532, 1_000_000), &config()).send_as_is);
    assert!(!plan(&png(1500, 3000, 200_000), &config()).send_as_is);
    assert!(!upright.send_as_is);
}

#[wasm_bindgen_test]
fn upload_names_get_the_sent_format() {
    assert_eq!(
        upload_name("IMG_0001.HEIC.jpeg", ImageFormat::Jpeg),
        "IMG_0001.HEIC.jpg"
    );
    assert_eq!(upload_name("截图.png", ImageFormat::Jpeg), "截图.jpg");
    assert_eq!(upload_name("scan", ImageFormat::Png), "scan.png");
    assert_eq!(upload_name(".png", ImageFormat::Png), "image.png");
    assert_eq!(upload_name("a.b.c.gif", ImageFormat::Gif), "a.b.c.gif");
}

/// An EXIF APP1 segment with the orientation and a GPS-like note (something that must not leave the device).
fn exif_app1(orientation: u16) -> Vec<u8> {
    let mut tiff = b"II*\0".to_vec();
    tiff.extend_from_slice(&8u32.to_le_bytes());
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&0x0112u16.to_le_bytes());
    tiff.extend_from_slice(&3u16.to_le_bytes());
    tiff.extend_from_slice(&1u32.to_le_bytes());
    tiff.extend_from_slice(&orientation.to_le_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(b"GPS 30.5928N 114.3055E serial ABC123");
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(&tiff);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    segment.extend_from_slice(&payload);
    segment
}

fn with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&exif_app1(orientation));
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A `width` × `height` picture whose top half is red and bottom half blue, encoded by the browser.
fn two_colour_image(width: u32, height: u32, mime: &str, quality: f64) -> Vec<u8> {
    let (canvas, context) = canvas(width, height);
    let (w, h) = (f64::from(width), f64::from(height));
    context.set_fill_style_str("#ff0000");
    context.fill_rect(0.0, 0.0, w, h / 2.0);
    context.set_fill_style_str("#0000ff");
    context.fill_rect(0.0, h / 2.0, w, h / 2.0);
    encoded(&canvas, mime, quality)
}

fn blob(bytes: &[u8]) -> Blob {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    Blob::new_with_u8_array_sequence(&parts).unwrap()
}

async fn bytes_of(blob: &Blob) -> Vec<u8> {
    let buffer = JsFuture::from(blob.array_buffer()).await.unwrap();
    js_sys::Uint8Array::new(&buffer).to_vec()
}

async fn run(bytes: &[u8], name: &str) -> (Prepared, Vec<u8>) {
    let file = blob(bytes);
    let limits = ImageLimits {
        max_bytes: u64::MAX,
        max_pixels: 40_000_000,
        min_long_edge: 400,
    };
    let info = inspect(&file, &limits).await.expect("a good image");
    let prepared = prepare(&file, name, &info, &config())
        .await
        .expect("prepared");
    let out = bytes_of(&prepared.blob).await;
    (prepared, out)
}

/// The colour (r, g, b) at a point given in fractions of the width and height of the decoded `bytes`, decoded
/// without applying any orientation (the output must be upright in its pixels, not by metadata).
async fn colour_at(bytes: &[u8], fx: f64, fy: f64) -> (u8, u8, u8) {
    let bitmap: web_sys::ImageBitmap = JsFuture::from(
        web_sys::window()
            .unwrap()
            .create_image_bitmap_with_blob(&blob(bytes))
            .unwrap(),
    )
    .await
    .unwrap()
    .unchecked_into();
    let (w, h) = (bitmap.width(), bitmap.height());
    let canvas = web_sys::OffscreenCanvas::new(w, h).unwrap();
    let context: web_sys::OffscreenCanvasRenderingContext2d =
        canvas.get_context("2d").unwrap().unwrap().unchecked_into();
    context
        .draw_image_with_image_bitmap(&bitmap, 0.0, 0.0)
        .unwrap();
    let x = (f64::from(w) * fx) as i32;
    let y = (f64::from(h) * fy) as i32;
    let pixel = context
        .get_image_data(f64::from(x), f64::from(y), 1.0, 1.0)
        .unwrap()
        .data();
    (pixel[0], pixel[1], pixel[2])
}

fn is_red((r, g, b): (u8, u8, u8)) -> bool {
    r > 200 && g < 60 && b < 60
}

fn is_blue((r, g, b): (u8, u8, u8)) -> bool {
    b > 200 && r < 60 && g < 60
}

#[wasm_bindgen_test]
async fn drawn_pictures_are_what_the_tests_assume() {
    let jpeg = two_colour_image(600, 400, "image/jpeg", 0.9);
    assert_eq!(image_dimensions(&jpeg), Ok((600, 400)));
    assert!(is_red(colour_at(&jpeg, 0.5, 0.1).await));
    assert!(is_blue(colour_at(&jpeg, 0.5, 0.9).await));
}

/// A phone photo held upright: stored sideways with orientation 6. The output is turned in its pixels (red,
/// the stored top, is now on the right) and has no EXIF left.
#[wasm_bindgen_test]
async fn a_sideways_photo_comes_out_upright_without_exif() {
    let photo = with_exif(&two_colour_image(600, 400, "image/jpeg", 0.9), 6);
    assert_eq!(jpeg_exif_orientation(&photo), Some(6));
    let (prepared, out) = run(&photo, "IMG_0001.jpg").await;
    assert!(prepared.reencoded);
    assert_eq!((prepared.width, prepared.height), (400, 600));
    assert_eq!(image_dimensions(&out), Ok((400, 600)));
    assert_eq!(jpeg_exif_orientation(&out), None);
    assert!(!contains(&out, b"GPS 30.5928N"));
    assert!(
        is_red(colour_at(&out, 0.9, 0.5).await),
        "stored top is on the right"
    );
    assert!(
        is_blue(colour_at(&out, 0.1, 0.5).await),
        "stored bottom is on the left"
    );
    assert_eq!(prepared.upload_name, "IMG_0001.jpg");
}

/// A large sideways photo is shrunk while decoding, and still turned the right way (the resize applies to the
/// upright picture, not to the stored one).
#[wasm_bindgen_test]
async fn a_large_sideways_photo_is_shrunk_and_turned() {
    let photo = with_exif(&two_colour_image(4000, 3000, "image/jpeg", 0.9), 6);
    let (prepared, out) = run(&photo, "big.jpg").await;
    assert_eq!((prepared.width, prepared.height), (1920, 2560));
    assert_eq!(image_dimensions(&out), Ok((1920, 2560)));
    assert!(is_red(colour_at(&out, 0.9, 0.5).await));
    assert!(is_blue(colour_at(&out, 0.1, 0.5).await));
    assert!(
        is_red(colour_at(&out, 0.9, 0.05).await),
        "not squashed: red fills the right half"
    );
}

/// Past the iOS canvas limit (here 24 MP) the photo is scaled while it is decoded, and still comes out upright.
#[wasm_bindgen_test]
async fn a_photo_past_the_canvas_limit_is_scaled_while_decoding_and_turned() {
    let photo = with_exif(&two_colour_image(6000, 4000, "image/jpeg", 0.8), 6);
    let (prepared, out) = run(&photo, "huge.jpg").await;
    assert_eq!((prepared.width, prepared.height), (1707, 2560));
    assert_eq!(image_dimensions(&out), Ok((1707, 2560)));
    assert!(is_red(colour_at(&out, 0.9, 0.5).await));
    assert!(is_blue(colour_at(&out, 0.1, 0.5).await));
}

#[wasm_bindgen_test]
async fn a_large_png_screenshot_is_shrunk_to_the_long_edge() {
    let shot = two_colour_image(1500, 3000, "image/png", 1.0);
    let (prepared, out) = run(&shot, "screenshot.png").await;
    assert_eq!((prepared.width, prepared.height), (1280, 2560));
    assert_eq!(image_dimensions(&out), Ok((1280, 2560)));
    assert!(is_red(colour_at(&out, 0.5, 0.1).await));
    assert!(is_blue(colour_at(&out, 0.5, 0.9).await));
    // PNG or JPEG, whichever came out smaller; the name says which.
    let expected_name = format!("screenshot.{}", prepared.format.extension());
    assert_eq!(prepared.upload_name, expected_name);
    assert_eq!(prepared.bytes, out.len() as u64);
}

/// An upright photo already within the limits and compressed harder than the pipeline would: the original is
/// sent (without its EXIF), not a larger re-encoding.
#[wasm_bindgen_test]
async fn a_small_upright_photo_is_kept_without_its_metadata() {
    let plain = two_colour_image(800, 600, "image/jpeg", 0.3);
    let photo = with_exif(&plain, 1);
    let (prepared, out) = run(&photo, "small.jpg").await;
    assert!(!prepared.reencoded, "the original was smaller");
    assert_eq!(out, plain, "the original bytes without the EXIF segment");
    assert_eq!(prepared.bytes, plain.len() as u64);
}

#[wasm_bindgen_test]
async fn a_cut_off_photo_is_refused_before_decoding() {
    let photo = two_colour_image(600, 400, "image/jpeg", 0.9);
    let cut = blob(&photo[..photo.len() / 2]);
    assert_eq!(
        inspect(&cut, &no_size_limit()).await,
        Err(InspectError::Refused {
            error: AttachmentError::Truncated,
            width: 600,
            height: 400
        })
    );
}

/// `jpeg` with `count` comment segments of 60,000 bytes each, put right after SOI (`before_frame`), so the
/// frame header comes after them, or else right before the scan.
fn with_comments(jpeg: &[u8], count: usize, before_frame: bool) -> Vec<u8> {
    let mut at = 2;
    if !before_frame {
        while jpeg[at + 1] != 0xDA {
            at += 2 + usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
        }
    }
    let mut out = jpeg[..at].to_vec();
    for _ in 0..count {
        out.extend_from_slice(&[0xFF, 0xFE]);
        out.extend_from_slice(&60_002u16.to_be_bytes());
        out.extend(std::iter::repeat_n(b' ', 60_000));
    }
    out.extend_from_slice(&jpeg[at..]);
    out
}

fn no_size_limit() -> ImageLimits {
    ImageLimits {
        max_bytes: u64::MAX,
        max_pixels: 40_000_000,
        min_long_edge: 0,
    }
}

#[wasm_bindgen_test]
async fn a_big_file_cut_off_after_its_first_bytes_is_refused_by_the_rest_of_the_checks() {
    let photo = with_comments(&two_colour_image(600, 400, "image/jpeg", 0.9), 6, false);
    assert!(photo.len() as u64 > HEAD_BYTES + 60_000);
    let cut = blob(&photo[..HEAD_BYTES as usize + 30_000]);
    let limits = no_size_limit();
    // The first bytes say it may be decoded...
    let header = inspect_header(&cut, &limits).await.expect("header passes");
    assert_eq!((header.image.width, header.image.height), (600, 400));
    assert!(!header.rest_checked);
    // ...and the rest says it is cut off.
    let truncated = Err(InspectError::Refused {
        error: AttachmentError::Truncated,
        width: 600,
        height: 400,
    });
    assert_eq!(check_rest(&cut, &header, &limits).await, truncated);
    assert_eq!(inspect(&cut, &limits).await.map(|_| ()), truncated);
    // The whole file passes both.
    let whole = blob(&photo);
    let header = inspect_header(&whole, &limits)
        .await
        .expect("header passes");
    assert_eq!(check_rest(&whole, &header, &limits).await, Ok(()));
}

#[wasm_bindgen_test]
async fn a_header_past_the_first_bytes_is_read_from_the_whole_file() {
    let photo = with_comments(&two_colour_image(600, 400, "image/jpeg", 0.9), 6, true);
    assert!(photo.len() as u64 > HEAD_BYTES);
    let header = inspect_header(&blob(&photo), &no_size_limit())
        .await
        .expect("a good image");
    assert_eq!((header.image.width, header.image.height), (600, 400));
    assert!(header.rest_checked, "the whole file was read and checked");
}

/// `width` × `height` of random pixels as a PNG: a photo-like PNG that compresses badly (3 bytes a pixel).
fn noise_png(width: u32, height: u32) -> Vec<u8> {
    let (canvas, context) = canvas(width, height);
    let mut seed = 12345u32;
    let mut pixels = Vec::with_capacity((width * height * 4) as usize);
    for _ in 0..width * height {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
        pixels.extend_from_slice(&[
            (seed >> 24) as u8,
            (seed >> 16) as u8,
            (seed >> 8) as u8,
            255,
        ]);
    }
    let data = web_sys::ImageData::new_with_u8_clamped_array(wasm_bindgen::Clamped(&pixels), width)
        .unwrap();
    context.put_image_data(&data, 0.0, 0.0).unwrap();
    encoded(&canvas, "image/png", 1.0)
}

/// A screenshot-like PNG within the limits is sent as it is (lossless, no JPEG tried); a photo saved as PNG
/// is sent as the much smaller JPEG.
#[wasm_bindgen_test]
async fn a_light_png_is_sent_as_it_is_and_a_heavy_one_as_jpeg() {
    let shot = two_colour_image(600, 1200, "image/png", 1.0);
    let (prepared, out) = run(&shot, "screenshot.png").await;
    assert!(!prepared.reencoded);
    assert_eq!(prepared.format, ImageFormat::Png);
    assert_eq!(out, shot, "the very bytes picked");
    assert_eq!(prepared.upload_name, "screenshot.png");

    let photo = noise_png(600, 450);
    assert!(photo.len() > 600 * 450 * 2, "a heavy PNG");
    let (prepared, out) = run(&photo, "photo.png").await;
    assert!(prepared.reencoded);
    assert_eq!(prepared.format, ImageFormat::Jpeg);
    assert_eq!(image_dimensions(&out), Ok((600, 450)));
    assert!(out.len() < photo.len());
    assert_eq!(prepared.upload_name, "photo.jpg");
}
