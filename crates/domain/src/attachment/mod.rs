//! Attachments (身份证附件, 资产证明附件, fee receipts): what a file is, decided by its bytes and never by
//! its name, and its pixel size, read from the header without decoding.
//!
//! Only JPEG, PNG and GIF are accepted. Everything else is named ([`SniffedKind`]) so that the message
//! can say what the file is and what to do (e.g. an iPhone HEIC photo: "set the camera to Most
//! Compatible or take a screenshot"). None of the functions here panics, whatever the bytes.
//!
//! An accepted image can be stripped of its metadata ([`strip_metadata`]: the GPS position, device and date
//! of a photo, an editor's comments) before it leaves the device or is kept.

mod bytes;
pub mod gif;
pub mod jpeg;
pub mod png;
#[cfg(test)]
mod samples;
mod sniff;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// An accepted image format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageFormat {
    Jpeg,
    Png,
    Gif,
}

impl ImageFormat {
    /// The media type to store and serve the file with.
    pub fn mime(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Png => "image/png",
            ImageFormat::Gif => "image/gif",
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Png => "png",
            ImageFormat::Gif => "gif",
        }
    }
}

/// What a file is, judged by its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SniffedKind {
    Image(ImageFormat),
    /// HEIF/HEIC, the default photo format of iPhones.
    Heic,
    Avif,
    Webp,
    Pdf,
    Bmp,
    Tiff,
    /// Zip archives, including Word and Excel documents.
    Zip,
    Svg,
    /// Readable text (UTF-8), e.g. a renamed .txt or .html file.
    Text,
    Empty,
    Unknown,
}

impl SniffedKind {
    /// Stable short name: `jpeg`, `png`, `gif`, `heic`, `avif`, `webp`, `pdf`, `bmp`, `tiff`, `zip`,
    /// `svg`, `text`, `empty` or `unknown`.
    pub fn code(self) -> &'static str {
        match self {
            SniffedKind::Image(ImageFormat::Jpeg) => "jpeg",
            SniffedKind::Image(ImageFormat::Png) => "png",
            SniffedKind::Image(ImageFormat::Gif) => "gif",
            SniffedKind::Heic => "heic",
            SniffedKind::Avif => "avif",
            SniffedKind::Webp => "webp",
            SniffedKind::Pdf => "pdf",
            SniffedKind::Bmp => "bmp",
            SniffedKind::Tiff => "tiff",
            SniffedKind::Zip => "zip",
            SniffedKind::Svg => "svg",
            SniffedKind::Text => "text",
            SniffedKind::Empty => "empty",
            SniffedKind::Unknown => "unknown",
        }
    }

    /// The accepted image format, if the file is one.
    pub fn image_format(self) -> Option<ImageFormat> {
        match self {
            SniffedKind::Image(f) => Some(f),
            _ => None,
        }
    }
}

/// Why an attachment was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum AttachmentError {
    #[error("file is empty")]
    Empty,
    /// Not a JPEG, PNG or GIF; says what it is instead.
    #[error("file is not a JPEG, PNG or GIF image but {}", .0.code())]
    NotAnImage(SniffedKind),
    /// The file ends before its image data does (an interrupted download or copy).
    #[error("image file is incomplete")]
    Truncated,
    /// The bytes do not follow the structure of the format.
    #[error("image file is damaged")]
    Corrupt,
    #[error("file is larger than {max_bytes} bytes")]
    TooLarge { max_bytes: u64 },
    #[error("image has more than {max_pixels} pixels")]
    TooManyPixels { max_pixels: u64 },
    #[error("image's long edge is shorter than {min_long_edge} pixels")]
    TooSmall { min_long_edge: u32 },
    /// Extra data after the end of the image that could be read as a web page or script.
    #[error("image file carries extra data after the image")]
    Polyglot,
}

impl AttachmentError {
    /// Stable code for the API and the locale files. A file of the wrong type gets a code naming the
    /// type (`attachment_type_heic`, `attachment_type_pdf`, …) so the message can say what to do.
    pub fn code(&self) -> &'static str {
        match self {
            AttachmentError::Empty => "attachment_empty",
            AttachmentError::NotAnImage(kind) => match kind {
                SniffedKind::Heic => "attachment_type_heic",
                SniffedKind::Avif => "attachment_type_avif",
                SniffedKind::Webp => "attachment_type_webp",
                SniffedKind::Pdf => "attachment_type_pdf",
                SniffedKind::Bmp => "attachment_type_bmp",
                SniffedKind::Tiff => "attachment_type_tiff",
                SniffedKind::Zip => "attachment_type_zip",
                SniffedKind::Svg => "attachment_type_svg",
                SniffedKind::Text => "attachment_type_text",
                SniffedKind::Empty => "attachment_empty",
                SniffedKind::Image(_) | SniffedKind::Unknown => "attachment_type_unknown",
            },
            AttachmentError::Truncated => "attachment_truncated",
            AttachmentError::Corrupt => "attachment_corrupt",
            AttachmentError::TooLarge { .. } => "attachment_too_large",
            AttachmentError::TooManyPixels { .. } => "attachment_too_many_pixels",
            AttachmentError::TooSmall { .. } => "attachment_too_small",
            AttachmentError::Polyglot => "attachment_polyglot",
        }
    }
}

pub use sniff::sniff;

/// Width and height in pixels, read from the file's header without decoding the image.
pub fn image_dimensions(bytes: &[u8]) -> Result<(u32, u32), AttachmentError> {
    match sniff(bytes) {
        SniffedKind::Image(ImageFormat::Jpeg) => jpeg::dimensions(bytes),
        SniffedKind::Image(ImageFormat::Png) => png::dimensions(bytes),
        SniffedKind::Image(ImageFormat::Gif) => gif::dimensions(bytes),
        SniffedKind::Empty => Err(AttachmentError::Empty),
        other => Err(AttachmentError::NotAnImage(other)),
    }
}

/// The EXIF orientation (1–8) of a JPEG: how the picture must be turned to show upright
/// (6: turn 90° clockwise, as phones held upright write it). `None` when absent or unreadable.
pub fn jpeg_exif_orientation(bytes: &[u8]) -> Option<u8> {
    if sniff(bytes) != SniffedKind::Image(ImageFormat::Jpeg) {
        return None;
    }
    jpeg::exif_orientation(bytes)
}

/// Limits an uploaded image must keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageLimits {
    /// Largest file, in bytes.
    pub max_bytes: u64,
    /// Largest width × height; refuses decompression bombs before anything decodes them.
    pub max_pixels: u64,
    /// Smallest long edge in pixels: below it an ID card is not legible.
    pub min_long_edge: u32,
}

impl Default for ImageLimits {
    /// 10 MiB, 40 megapixels, 400 px.
    fn default() -> Self {
        ImageLimits {
            max_bytes: 10 * 1024 * 1024,
            max_pixels: 40_000_000,
            min_long_edge: 400,
        }
    }
}

/// An image that passed [`check_image`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageInfo {
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    /// File size in bytes.
    pub bytes: u64,
}

/// Checks an uploaded image: a JPEG, PNG or GIF by its bytes, within the size and pixel limits, whole
/// (not cut off), and without a web page or script hidden after its end.
///
/// Data after the end of a JPEG is common (phones append depth maps, secondary images, motion
/// clips), so it is refused only when it holds markup. After a PNG's end more than a few bytes of
/// anything but padding are refused; after a GIF's trailer anything but padding is.
pub fn check_image(bytes: &[u8], limits: &ImageLimits) -> Result<ImageInfo, AttachmentError> {
    let info = check_header(bytes, limits)?;
    match info.format {
        ImageFormat::Jpeg => jpeg::check_whole(bytes)?,
        ImageFormat::Png => png::check_whole(bytes)?,
        ImageFormat::Gif => gif::check_whole(bytes)?,
    }
    Ok(info)
}

/// The checks of [`check_image`] that the first bytes of a file decide: its type by magic bytes, the size of
/// `bytes`, and the dimensions and pixel count of its header. Enough to know that a picture may be decoded;
/// whether the file is whole and clean after its end needs all of it.
pub fn check_header(bytes: &[u8], limits: &ImageLimits) -> Result<ImageInfo, AttachmentError> {
    let format = match sniff(bytes) {
        SniffedKind::Empty => return Err(AttachmentError::Empty),
        SniffedKind::Image(format) => format,
        other => return Err(AttachmentError::NotAnImage(other)),
    };
    let size = bytes.len() as u64;
    if size > limits.max_bytes {
        return Err(AttachmentError::TooLarge {
            max_bytes: limits.max_bytes,
        });
    }
    let (width, height) = image_dimensions(bytes)?;
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(AttachmentError::TooManyPixels {
            max_pixels: limits.max_pixels,
        });
    }
    if width.max(height) < limits.min_long_edge {
        return Err(AttachmentError::TooSmall {
            min_long_edge: limits.min_long_edge,
        });
    }
    Ok(ImageInfo {
        format,
        width,
        height,
        bytes: size,
    })
}

/// The image without its metadata, everything needed to show it copied byte for byte: see
/// [`jpeg::strip_metadata`], [`png::strip_metadata`] and [`gif::strip_metadata`] for what goes. `None` when the
/// bytes are not an image of `format` whose structure can be followed to its end.
pub fn strip_metadata(format: ImageFormat, bytes: &[u8]) -> Option<Vec<u8>> {
    match format {
        ImageFormat::Jpeg => jpeg::strip_metadata(bytes),
        ImageFormat::Png => png::strip_metadata(bytes),
        ImageFormat::Gif => gif::strip_metadata(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::samples::{
        gif, gif_graphic_control, gif_looping, gif_metadata, gif_with, icc_profile, jfif_and_adobe,
        jpeg, jpeg_metadata, no_min, png, png_with, with_segments, PNG_COLOUR, PNG_METADATA,
    };
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn mime_types() {
        assert_eq!(ImageFormat::Jpeg.mime(), "image/jpeg");
        assert_eq!(ImageFormat::Png.mime(), "image/png");
        assert_eq!(ImageFormat::Gif.mime(), "image/gif");
        assert_eq!(
            serde_json::to_string(&ImageFormat::Jpeg).unwrap(),
            "\"jpeg\""
        );
    }

    #[test]
    fn check_accepts_good_images() {
        let limits = ImageLimits::default();
        let info = check_image(&jpeg(1600, 1200, Some((true, 6))), &limits).unwrap();
        assert_eq!(info.format, ImageFormat::Jpeg);
        assert_eq!((info.width, info.height), (1600, 1200));
        let p = png(1200, 800);
        let info = check_image(&p, &limits).unwrap();
        assert_eq!(
            (info.format, info.bytes),
            (ImageFormat::Png, p.len() as u64)
        );
        let info = check_image(&gif(500, 300, b"made with love"), &limits).unwrap();
        assert_eq!((info.format, info.width), (ImageFormat::Gif, 500));
    }

    #[test]
    fn check_names_what_the_file_is() {
        let limits = ImageLimits::default();
        assert_eq!(check_image(b"", &limits), Err(AttachmentError::Empty));
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
        assert_eq!(
            check_image(heic, &limits),
            Err(AttachmentError::NotAnImage(SniffedKind::Heic))
        );
        assert_eq!(
            AttachmentError::NotAnImage(SniffedKind::Heic).code(),
            "attachment_type_heic"
        );
        assert_eq!(
            check_image(b"%PDF-1.4 ...", &limits),
            Err(AttachmentError::NotAnImage(SniffedKind::Pdf))
        );
        assert_eq!(
            check_image(b"RIFF\x24\0\0\0WEBPVP8 ", &limits),
            Err(AttachmentError::NotAnImage(SniffedKind::Webp))
        );
        assert_eq!(
            check_image(b"just some notes", &limits),
            Err(AttachmentError::NotAnImage(SniffedKind::Text))
        );
    }

    #[test]
    fn check_limits() {
        let limits = ImageLimits {
            max_bytes: 100,
            max_pixels: 1_000_000,
            min_long_edge: 400,
        };
        let mut big = png(800, 600);
        big.resize(101, 0);
        assert_eq!(
            check_image(&big, &limits),
            Err(AttachmentError::TooLarge { max_bytes: 100 })
        );
        assert_eq!(
            check_image(&png(1001, 1000), &limits),
            Err(AttachmentError::TooManyPixels {
                max_pixels: 1_000_000
            })
        );
        assert!(check_image(&png(1000, 1000), &limits).is_ok());
        // A 65535 × 65535 JPEG header in a few bytes: refused before anything decodes it.
        assert_eq!(
            check_image(&jpeg(65_535, 65_535, None), &ImageLimits::default()),
            Err(AttachmentError::TooManyPixels {
                max_pixels: 40_000_000
            })
        );
        assert_eq!(
            check_image(&png(399, 300), &limits),
            Err(AttachmentError::TooSmall { min_long_edge: 400 })
        );
        assert!(check_image(&png(300, 400), &limits).is_ok());
    }

    #[test]
    fn check_truncated_png_and_gif() {
        let p = png(800, 600);
        assert_eq!(
            check_image(&p[..p.len() - 3], &no_min()),
            Err(AttachmentError::Truncated)
        );
        assert_eq!(
            check_image(&p[..40], &no_min()),
            Err(AttachmentError::Truncated)
        );
        let g = gif(800, 600, b"");
        assert_eq!(
            check_image(&g[..g.len() - 1], &no_min()),
            Err(AttachmentError::Truncated)
        );
        assert_eq!(
            check_image(&g[..g.len() - 4], &no_min()),
            Err(AttachmentError::Truncated)
        );
    }

    #[test]
    fn polyglots_are_refused() {
        let limits = no_min();
        let mut g = gif(800, 600, b"");
        g.extend_from_slice(b"<script>alert(1)</script>");
        assert_eq!(check_image(&g, &limits), Err(AttachmentError::Polyglot));
        let mut g = gif(800, 600, b"");
        g.extend_from_slice(b"=1;alert(1)");
        assert_eq!(check_image(&g, &limits), Err(AttachmentError::Polyglot));
        let mut g = gif(800, 600, b"");
        g.extend_from_slice(&[0, 0, 0, b'\n']);
        assert!(check_image(&g, &limits).is_ok());
        let g = gif(800, 600, b"*/ <SCRIPT src=x></SCRIPT> /*");
        assert_eq!(check_image(&g, &limits), Err(AttachmentError::Polyglot));

        let mut p = png(800, 600);
        p.extend_from_slice(b"<?php system($_GET['c']); ?>");
        assert_eq!(check_image(&p, &limits), Err(AttachmentError::Polyglot));
        let mut p = png(800, 600);
        p.extend_from_slice(b"PK\x03\x04 a zip archive appended to the image");
        assert_eq!(check_image(&p, &limits), Err(AttachmentError::Polyglot));
        let mut p = png(800, 600);
        p.extend_from_slice(&[0; 64]);
        p.extend_from_slice(b"ab");
        assert!(check_image(&p, &limits).is_ok());

        let mut j = jpeg(800, 600, None);
        j.extend_from_slice(b"<html><body onload=alert(1)>");
        assert_eq!(check_image(&j, &limits), Err(AttachmentError::Polyglot));
        // Phones append secondary images (MPF) after EOI: fine.
        let mut j = jpeg(800, 600, Some((true, 6)));
        j.extend_from_slice(&jpeg(320, 240, None));
        j.extend_from_slice(b"\0\0MotionPhoto_Data\x01\x02\x03");
        assert!(check_image(&j, &limits).is_ok());
    }

    #[test]
    fn codes() {
        assert_eq!(AttachmentError::Truncated.code(), "attachment_truncated");
        assert_eq!(
            AttachmentError::TooLarge { max_bytes: 1 }.code(),
            "attachment_too_large"
        );
        assert_eq!(
            AttachmentError::NotAnImage(SniffedKind::Unknown).code(),
            "attachment_type_unknown"
        );
        assert_eq!(SniffedKind::Webp.code(), "webp");
    }

    fn exercise(bytes: &[u8]) {
        let kind = sniff(bytes);
        let dims = image_dimensions(bytes);
        let _ = jpeg_exif_orientation(bytes);
        let tiny = ImageLimits {
            max_bytes: 1 << 20,
            max_pixels: u64::MAX,
            min_long_edge: 0,
        };
        let checked = check_image(bytes, &tiny);
        if let Ok(info) = checked {
            assert_eq!(SniffedKind::Image(info.format), kind);
            assert_eq!(dims, Ok((info.width, info.height)));
        }
        let _ = check_image(bytes, &ImageLimits::default());
    }

    /// Writes each `(at, value)` of `edits` into `bytes` (wrapping `at`), and gives where to cut them (`cut`,
    /// wrapped).
    fn damage(bytes: &mut [u8], edits: &[(usize, u8)], cut: usize) -> usize {
        for &(at, value) in edits {
            let at = at % bytes.len();
            bytes[at] = value;
        }
        cut % (bytes.len() + 1)
    }

    fn magic() -> impl Strategy<Value = Vec<u8>> {
        prop::sample::select(vec![
            vec![],
            vec![0xFF, 0xD8, 0xFF],
            vec![
                0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x40, b'E', b'x', b'i', b'f', 0, 0, b'I', b'I', 42, 0,
            ],
            vec![
                0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x40, b'E', b'x', b'i', b'f', 0, 0, b'M', b'M', 0, 42,
            ],
            png::SIGNATURE.to_vec(),
            b"GIF89a".to_vec(),
            b"\0\0\0\x18ftyp".to_vec(),
            b"RIFF\0\0\0\0WEBP".to_vec(),
        ])
    }

    const FORMATS: [ImageFormat; 3] = [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::Gif];

    /// What stripping gives is stripped already, and an image that passes the checks still does after it, with
    /// the same size.
    fn exercise_strip(bytes: &[u8]) {
        for format in FORMATS {
            let stripped = strip_metadata(format, bytes);
            if let Some(out) = &stripped {
                assert_eq!(strip_metadata(format, out).as_ref(), Some(out));
            }
            let Ok(info) = check_image(bytes, &no_min()) else {
                continue;
            };
            if info.format == format {
                let after = check_image(&stripped.unwrap(), &no_min()).unwrap();
                assert_eq!((after.width, after.height), (info.width, info.height));
            }
        }
    }

    /// The pieces `chosen` picks, in its order, from `kept` followed by `metadata`: all of them, and the kept ones.
    fn pick<T: Clone>(kept: &[T], metadata: &[T], chosen: &[usize]) -> (Vec<T>, Vec<T>) {
        let all: Vec<(bool, &T)> = kept
            .iter()
            .map(|k| (true, k))
            .chain(metadata.iter().map(|m| (false, m)))
            .collect();
        let picked: Vec<&(bool, &T)> = chosen.iter().filter_map(|&i| all.get(i)).collect();
        let clone = |&&(_, t): &&(bool, &T)| t.clone();
        let clean = picked.iter().filter(|(kept, _)| *kept).map(clone);
        (picked.iter().map(clone).collect(), clean.collect())
    }

    /// A `format` image with the blocks it keeps and the metadata `chosen` picks, and with data after its end
    /// (that the checks let pass) when `trailing`; and the same image without the metadata and that data.
    fn tagged_and_clean(
        format: ImageFormat,
        (width, height): (u16, u16),
        chosen: &[usize],
        trailing: bool,
    ) -> (Vec<u8>, Vec<u8>) {
        let (mut tagged, clean) = match format {
            ImageFormat::Jpeg => {
                let kept: Vec<Vec<u8>> =
                    jfif_and_adobe().into_iter().chain(icc_profile()).collect();
                let (tagged, clean) = pick(&kept, &jpeg_metadata(), chosen);
                let picture = jpeg(width, height, None);
                (
                    with_segments(&picture, &tagged),
                    with_segments(&picture, &clean),
                )
            }
            ImageFormat::Png => {
                let (tagged, clean) = pick(&PNG_COLOUR, &PNG_METADATA, chosen);
                let (width, height) = (u32::from(width), u32::from(height));
                let after = if trailing { &PNG_METADATA[..2] } else { &[] };
                (
                    png_with(width, height, &tagged, after),
                    png_with(width, height, &clean, &[]),
                )
            }
            ImageFormat::Gif => {
                let kept = [
                    gif_looping(b"NETSCAPE2.0"),
                    gif_looping(b"ANIMEXTS1.0"),
                    gif_graphic_control(),
                ];
                let (tagged, clean) = pick(&kept, &gif_metadata(), chosen);
                (
                    gif_with(width, height, &tagged),
                    gif_with(width, height, &clean),
                )
            }
        };
        if trailing {
            match format {
                ImageFormat::Jpeg => tagged.extend_from_slice(&jpeg(320, 240, None)),
                ImageFormat::Png => tagged.extend_from_slice(b"\0\0\0\0ab"),
                ImageFormat::Gif => tagged.extend_from_slice(b"\0\0\r\n"),
            }
        }
        (tagged, clean)
    }

    fn chosen() -> impl Strategy<Value = Vec<usize>> {
        let indices: Vec<usize> = (0..16).collect();
        prop::sample::subsequence(indices, 0..=16).prop_shuffle()
    }

    #[test]
    fn strips_by_format() {
        let photo = tagged_and_clean(ImageFormat::Jpeg, (800, 600), &[0, 2, 3, 8, 1], true);
        assert_eq!(strip_metadata(ImageFormat::Jpeg, &photo.0), Some(photo.1));
        let shot = tagged_and_clean(ImageFormat::Png, (800, 600), &[12, 0, 9, 4, 8], true);
        assert_eq!(strip_metadata(ImageFormat::Png, &shot.0), Some(shot.1));
        let animation = tagged_and_clean(ImageFormat::Gif, (800, 600), &[3, 0, 4, 2, 5], true);
        assert_eq!(
            strip_metadata(ImageFormat::Gif, &animation.0),
            Some(animation.1)
        );
        assert_eq!(strip_metadata(ImageFormat::Png, &photo.0), None);
        assert_eq!(strip_metadata(ImageFormat::Gif, &shot.0), None);
        assert_eq!(strip_metadata(ImageFormat::Jpeg, &animation.0), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn stripping_keeps_the_picture_and_loses_the_metadata(
            format in prop::sample::select(FORMATS.to_vec()),
            size in (1u16..=3000, 1u16..=3000),
            chosen in chosen(),
            trailing in any::<bool>(),
        ) {
            let (tagged, clean) = tagged_and_clean(format, size, &chosen, trailing);
            let info = check_image(&tagged, &no_min()).unwrap();
            let stripped = strip_metadata(format, &tagged).unwrap();
            prop_assert_eq!(&stripped, &clean);
            prop_assert_eq!(strip_metadata(format, &stripped), Some(stripped.clone()));
            let after = check_image(&stripped, &no_min()).unwrap();
            prop_assert_eq!(
                (after.format, after.width, after.height),
                (info.format, info.width, info.height)
            );
        }

        #[test]
        fn stripping_never_panics_on_damaged_images(
            format in prop::sample::select(FORMATS.to_vec()),
            chosen in chosen(),
            edits in prop::collection::vec((any::<usize>(), any::<u8>()), 0..6),
            cut in any::<usize>(),
        ) {
            let (mut bytes, _) = tagged_and_clean(format, (800, 600), &chosen, true);
            let cut = damage(&mut bytes, &edits, cut);
            exercise_strip(&bytes[..cut]);
            exercise_strip(&bytes);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn stripping_never_panics_on_arbitrary_bytes(prefix in magic(), rest in prop::collection::vec(any::<u8>(), 0..600)) {
            let mut bytes = prefix;
            bytes.extend_from_slice(&rest);
            exercise_strip(&bytes);
        }

        #[test]
        fn never_panics_on_arbitrary_bytes(prefix in magic(), rest in prop::collection::vec(any::<u8>(), 0..600)) {
            let mut bytes = prefix;
            bytes.extend_from_slice(&rest);
            exercise(&bytes);
        }

        #[test]
        fn never_panics_on_damaged_images(
            which in 0usize..4,
            edits in prop::collection::vec((any::<usize>(), any::<u8>()), 0..6),
            cut in any::<usize>(),
        ) {
            let mut bytes = match which {
                0 => jpeg(800, 600, Some((true, 6))),
                1 => jpeg(800, 600, Some((false, 3))),
                2 => png(800, 600),
                _ => gif(800, 600, b"hello"),
            };
            let cut = damage(&mut bytes, &edits, cut);
            exercise(&bytes[..cut]);
            exercise(&bytes);
        }
    }
}
