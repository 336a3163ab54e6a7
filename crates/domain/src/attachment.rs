//! Attachments (身份证附件, 资产证明附件, fee receipts): what a file is, decided by its bytes and never by
//! its name, and its pixel size, read from the header without decoding.
//!
//! Only JPEG, PNG and GIF are accepted. Everything else is named ([`SniffedKind`]) so that the message
//! can say what the file is and what to do (e.g. an iPhone HEIC photo: "set the camera to Most
//! Compatible or take a screenshot"). None of the functions here panics, whatever the bytes.

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

const PNG_SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";
const HEIF_BRANDS: [&[u8; 4]; 8] = [
    b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1",
];
const AVIF_BRANDS: [&[u8; 4]; 2] = [b"avif", b"avis"];

fn be16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([s[0], s[1]]))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

fn le16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

/// HEIF/AVIF: an ISO-BMFF `ftyp` box whose brands name an image format.
fn sniff_ftyp(b: &[u8]) -> Option<SniffedKind> {
    if b.get(4..8)? != b"ftyp" {
        return None;
    }
    let major = b.get(8..12)?;
    let box_end = (be32(b, 0)? as usize).min(b.len());
    let compatible: Vec<&[u8]> = b
        .get(16..box_end)
        .unwrap_or_default()
        .chunks_exact(4)
        .collect();
    let is_avif = |brand: &[u8]| AVIF_BRANDS.iter().any(|a| a.as_slice() == brand);
    let is_heif = |brand: &[u8]| HEIF_BRANDS.iter().any(|h| h.as_slice() == brand);
    if is_avif(major) || (major == b"mif1" && compatible.iter().any(|c| is_avif(c))) {
        Some(SniffedKind::Avif)
    } else if is_heif(major) {
        Some(SniffedKind::Heic)
    } else {
        None
    }
}

/// Whether the start of the file reads as UTF-8 text without control characters (tabs, line breaks
/// and form feeds allowed).
fn looks_like_text(b: &[u8]) -> bool {
    let prefix = &b[..b.len().min(1024)];
    let text = match std::str::from_utf8(prefix) {
        Ok(s) => s,
        // A character cut off by the prefix is fine; invalid bytes are not.
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&prefix[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    !text.is_empty()
        && text
            .chars()
            .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

/// Markup that makes a file dangerous when a browser or server mistakes it for a page or script.
fn contains_markup(b: &[u8]) -> bool {
    const MARKUP: [&[u8]; 5] = [b"<script", b"<html", b"<?php", b"<iframe", b"<!doctype"];
    MARKUP.iter().any(|m| contains_ignore_case(b, m))
}

/// What a file is, from its first bytes.
pub fn sniff(bytes: &[u8]) -> SniffedKind {
    let b = bytes;
    if b.is_empty() {
        SniffedKind::Empty
    } else if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        SniffedKind::Image(ImageFormat::Jpeg)
    } else if b.starts_with(PNG_SIGNATURE) {
        SniffedKind::Image(ImageFormat::Png)
    } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        SniffedKind::Image(ImageFormat::Gif)
    } else if let Some(kind) = sniff_ftyp(b) {
        kind
    } else if b.starts_with(b"RIFF") && b.get(8..12) == Some(b"WEBP") {
        SniffedKind::Webp
    } else if b.starts_with(b"%PDF-") {
        SniffedKind::Pdf
    } else if b.starts_with(b"BM")
        && b.len() >= 26
        && matches!(b[14..18], [12 | 40 | 52 | 56 | 64 | 108 | 124, 0, 0, 0])
    {
        SniffedKind::Bmp
    } else if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") {
        SniffedKind::Tiff
    } else if b.starts_with(b"PK\x03\x04") || b.starts_with(b"PK\x05\x06") {
        SniffedKind::Zip
    } else if looks_like_text(b) {
        if contains_ignore_case(&b[..b.len().min(1024)], b"<svg") {
            SniffedKind::Svg
        } else {
            SniffedKind::Text
        }
    } else {
        SniffedKind::Unknown
    }
}

/// One marker segment of a JPEG file.
struct Segment<'a> {
    marker: u8,
    /// The segment's payload, after its length field (empty for standalone markers).
    data: &'a [u8],
    /// Offset just after the segment.
    end: usize,
}

/// Reads the marker segment starting at `pos` (which must hold 0xFF), skipping fill bytes.
fn jpeg_segment(b: &[u8], pos: usize) -> Result<Segment<'_>, AttachmentError> {
    match b.get(pos) {
        None => return Err(AttachmentError::Truncated),
        Some(0xFF) => {}
        Some(_) => return Err(AttachmentError::Corrupt),
    }
    let mut pos = pos;
    while b.get(pos) == Some(&0xFF) {
        pos += 1;
    }
    let marker = *b.get(pos).ok_or(AttachmentError::Truncated)?;
    pos += 1;
    match marker {
        0x00 => Err(AttachmentError::Corrupt),
        // TEM, RST0–7, SOI, EOI: no length field.
        0x01 | 0xD0..=0xD9 => Ok(Segment {
            marker,
            data: &[],
            end: pos,
        }),
        _ => {
            let len = usize::from(be16(b, pos).ok_or(AttachmentError::Truncated)?);
            if len < 2 {
                return Err(AttachmentError::Corrupt);
            }
            let end = pos + len;
            let data = b.get(pos + 2..end).ok_or(AttachmentError::Truncated)?;
            Ok(Segment { marker, data, end })
        }
    }
}

/// Start-of-frame markers carry the picture size; C4 (DHT), C8 (JPG) and CC (DAC) share the range.
fn is_sof(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

fn jpeg_dimensions(b: &[u8]) -> Result<(u32, u32), AttachmentError> {
    let mut pos = 2;
    loop {
        let seg = jpeg_segment(b, pos)?;
        if is_sof(seg.marker) {
            let (Some(height), Some(width)) = (be16(seg.data, 1), be16(seg.data, 3)) else {
                return Err(AttachmentError::Corrupt);
            };
            if width == 0 || height == 0 {
                return Err(AttachmentError::Corrupt);
            }
            return Ok((u32::from(width), u32::from(height)));
        }
        match seg.marker {
            // Image data or the end before any frame header.
            0xDA | 0xD9 => return Err(AttachmentError::Corrupt),
            _ => pos = seg.end,
        }
    }
}

fn png_dimensions(b: &[u8]) -> Result<(u32, u32), AttachmentError> {
    if b.len() < 24 {
        return Err(AttachmentError::Truncated);
    }
    if be32(b, 8) != Some(13) || &b[12..16] != b"IHDR" {
        return Err(AttachmentError::Corrupt);
    }
    let (Some(width), Some(height)) = (be32(b, 16), be32(b, 20)) else {
        return Err(AttachmentError::Truncated);
    };
    // The format caps both at 2^31 - 1.
    if width == 0 || height == 0 || width > 0x7FFF_FFFF || height > 0x7FFF_FFFF {
        return Err(AttachmentError::Corrupt);
    }
    Ok((width, height))
}

fn gif_dimensions(b: &[u8]) -> Result<(u32, u32), AttachmentError> {
    let (Some(width), Some(height)) = (le16(b, 6), le16(b, 8)) else {
        return Err(AttachmentError::Truncated);
    };
    if width == 0 || height == 0 {
        return Err(AttachmentError::Corrupt);
    }
    Ok((u32::from(width), u32::from(height)))
}

/// Width and height in pixels, read from the file's header without decoding the image.
pub fn image_dimensions(bytes: &[u8]) -> Result<(u32, u32), AttachmentError> {
    match sniff(bytes) {
        SniffedKind::Image(ImageFormat::Jpeg) => jpeg_dimensions(bytes),
        SniffedKind::Image(ImageFormat::Png) => png_dimensions(bytes),
        SniffedKind::Image(ImageFormat::Gif) => gif_dimensions(bytes),
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
    let mut pos = 2;
    loop {
        let seg = jpeg_segment(bytes, pos).ok()?;
        match seg.marker {
            0xE1 if seg.data.starts_with(b"Exif\0\0") => return tiff_orientation(&seg.data[6..]),
            0xDA | 0xD9 => return None,
            _ => pos = seg.end,
        }
    }
}

/// Tag 0x0112 of IFD0 of an EXIF TIFF structure.
fn tiff_orientation(tiff: &[u8]) -> Option<u8> {
    let little = match tiff.get(0..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let s = tiff.get(at..at.checked_add(2)?)?;
        Some(if little {
            u16::from_le_bytes([s[0], s[1]])
        } else {
            u16::from_be_bytes([s[0], s[1]])
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let s = tiff.get(at..at.checked_add(4)?)?;
        let a = [s[0], s[1], s[2], s[3]];
        Some(if little {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        })
    };
    if u16_at(2)? != 42 {
        return None;
    }
    let ifd = usize::try_from(u32_at(4)?).ok()?;
    let count = usize::from(u16_at(ifd)?);
    for i in 0..count {
        let entry = ifd.checked_add(2 + i * 12)?;
        if u16_at(entry)? != 0x0112 {
            continue;
        }
        let value = match u16_at(entry.checked_add(2)?)? {
            3 => u32::from(u16_at(entry.checked_add(8)?)?),
            4 => u32_at(entry.checked_add(8)?)?,
            _ => return None,
        };
        return u8::try_from(value).ok().filter(|v| (1..=8).contains(v));
    }
    None
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

/// Stray bytes after a PNG's IEND chunk that are tolerated (some tools pad files).
const PNG_TRAILING_TOLERANCE: usize = 16;

fn is_padding(b: u8) -> bool {
    matches!(b, 0x00 | 0xFF | b' ' | b'\t' | b'\r' | b'\n')
}

/// Offset just after the IEND chunk.
fn png_end(b: &[u8]) -> Result<usize, AttachmentError> {
    let mut pos = PNG_SIGNATURE.len();
    loop {
        let len = be32(b, pos).ok_or(AttachmentError::Truncated)?;
        let kind = b.get(pos + 4..pos + 8).ok_or(AttachmentError::Truncated)?;
        if len > 0x7FFF_FFFF || !kind.iter().all(u8::is_ascii_alphabetic) {
            return Err(AttachmentError::Corrupt);
        }
        let end = usize::try_from(len)
            .ok()
            .and_then(|len| (pos + 12).checked_add(len))
            .ok_or(AttachmentError::Corrupt)?;
        if end > b.len() {
            return Err(AttachmentError::Truncated);
        }
        if kind == b"IEND" {
            return Ok(end);
        }
        pos = end;
    }
}

/// Skips GIF data sub-blocks from `pos`; returns the offset after the terminator. When `collect` is
/// given, the blocks' bytes are appended to it.
fn gif_sub_blocks(
    b: &[u8],
    mut pos: usize,
    mut collect: Option<&mut Vec<u8>>,
) -> Result<usize, AttachmentError> {
    loop {
        let size = usize::from(*b.get(pos).ok_or(AttachmentError::Truncated)?);
        pos += 1;
        if size == 0 {
            return Ok(pos);
        }
        let data = b.get(pos..pos + size).ok_or(AttachmentError::Truncated)?;
        if let Some(out) = collect.as_deref_mut() {
            out.extend_from_slice(data);
        }
        pos += size;
    }
}

fn color_table_len(flags: u8) -> usize {
    if flags & 0x80 != 0 {
        3 << ((flags & 0x07) + 1)
    } else {
        0
    }
}

/// Offset just after the GIF trailer (0x3B). Comments carrying markup count as a polyglot.
fn gif_end(b: &[u8]) -> Result<usize, AttachmentError> {
    let flags = *b.get(10).ok_or(AttachmentError::Truncated)?;
    let mut pos = 13 + color_table_len(flags);
    let mut images = 0;
    loop {
        match *b.get(pos).ok_or(AttachmentError::Truncated)? {
            0x3B if images > 0 => return Ok(pos + 1),
            0x21 => {
                let label = *b.get(pos + 1).ok_or(AttachmentError::Truncated)?;
                if label == 0xFE {
                    let mut comment = Vec::new();
                    pos = gif_sub_blocks(b, pos + 2, Some(&mut comment))?;
                    if contains_markup(&comment) {
                        return Err(AttachmentError::Polyglot);
                    }
                } else {
                    pos = gif_sub_blocks(b, pos + 2, None)?;
                }
            }
            0x2C => {
                let flags = *b.get(pos + 9).ok_or(AttachmentError::Truncated)?;
                // Descriptor (10 bytes), local color table, LZW minimum code size, then the data.
                pos += 10 + color_table_len(flags) + 1;
                pos = gif_sub_blocks(b, pos, None)?;
                images += 1;
            }
            _ => return Err(AttachmentError::Corrupt),
        }
    }
}

/// From `pos` inside entropy-coded data, the offset of the next marker.
fn jpeg_skip_scan(b: &[u8], mut pos: usize) -> Result<usize, AttachmentError> {
    loop {
        let rest = b.get(pos..).ok_or(AttachmentError::Truncated)?;
        let ff = rest
            .iter()
            .position(|&x| x == 0xFF)
            .ok_or(AttachmentError::Truncated)?;
        let at = pos + ff;
        match b.get(at + 1) {
            None => return Err(AttachmentError::Truncated),
            // Stuffed zero, restart marker, fill byte: still in the scan.
            Some(0x00 | 0xD0..=0xD7) => pos = at + 2,
            Some(0xFF) => pos = at + 1,
            Some(_) => return Ok(at),
        }
    }
}

/// Offset just after the JPEG's EOI marker.
fn jpeg_end(b: &[u8]) -> Result<usize, AttachmentError> {
    let mut pos = 2;
    loop {
        let seg = jpeg_segment(b, pos)?;
        match seg.marker {
            0xD9 => return Ok(seg.end),
            0xDA => pos = jpeg_skip_scan(b, seg.end)?,
            _ => pos = seg.end,
        }
    }
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
        ImageFormat::Jpeg => {
            let end = jpeg_end(bytes)?;
            if contains_markup(&bytes[end..]) {
                return Err(AttachmentError::Polyglot);
            }
        }
        ImageFormat::Png => {
            let trailing = &bytes[png_end(bytes)?..];
            let stray = trailing.iter().filter(|&&b| !is_padding(b)).count();
            if stray > PNG_TRAILING_TOLERANCE || contains_markup(trailing) {
                return Err(AttachmentError::Polyglot);
            }
        }
        ImageFormat::Gif => {
            let trailing = &bytes[gif_end(bytes)?..];
            if !trailing.iter().all(|&b| is_padding(b)) {
                return Err(AttachmentError::Polyglot);
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn no_min() -> ImageLimits {
        ImageLimits {
            min_long_edge: 0,
            ..ImageLimits::default()
        }
    }

    fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&[0, 0, 0, 0]); // CRC, not checked
    }

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = PNG_SIGNATURE.to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&width.to_be_bytes());
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        png_chunk(&mut out, b"IHDR", &ihdr);
        png_chunk(&mut out, b"IDAT", &[0x78, 0x9C, 0x63, 0x00, 0x00]);
        png_chunk(&mut out, b"IEND", &[]);
        out
    }

    fn gif(width: u16, height: u16, comment: &[u8]) -> Vec<u8> {
        let mut out = b"GIF89a".to_vec();
        out.extend_from_slice(&width.to_le_bytes());
        out.extend_from_slice(&height.to_le_bytes());
        out.extend_from_slice(&[0x80, 0, 0]); // global color table of 2 colors
        out.extend_from_slice(&[0, 0, 0, 255, 255, 255]);
        if !comment.is_empty() {
            out.extend_from_slice(&[0x21, 0xFE, comment.len() as u8]);
            out.extend_from_slice(comment);
            out.push(0);
        }
        out.push(0x2C);
        out.extend_from_slice(&[0, 0, 0, 0]);
        out.extend_from_slice(&width.to_le_bytes());
        out.extend_from_slice(&height.to_le_bytes());
        out.push(0); // no local color table
        out.push(2); // LZW minimum code size
        out.extend_from_slice(&[2, 0x44, 0x01, 0]);
        out.push(0x3B);
        out
    }

    /// An EXIF APP1 segment with IFD0 holding an orientation tag (and one tag before it).
    fn exif_app1(little_endian: bool, orientation: u16) -> Vec<u8> {
        let w16 = |v: u16| {
            if little_endian {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            }
        };
        let w32 = |v: u32| {
            if little_endian {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            }
        };
        let mut tiff = if little_endian {
            b"II".to_vec()
        } else {
            b"MM".to_vec()
        };
        tiff.extend_from_slice(&w16(42));
        tiff.extend_from_slice(&w32(8));
        tiff.extend_from_slice(&w16(2)); // two entries
                                         // 0x010F Make, ASCII, count 4, "Foo\0" inline
        tiff.extend_from_slice(&w16(0x010F));
        tiff.extend_from_slice(&w16(2));
        tiff.extend_from_slice(&w32(4));
        tiff.extend_from_slice(b"Foo\0");
        // 0x0112 Orientation, SHORT, count 1, value left-justified in the 4-byte field
        tiff.extend_from_slice(&w16(0x0112));
        tiff.extend_from_slice(&w16(3));
        tiff.extend_from_slice(&w32(1));
        tiff.extend_from_slice(&w16(orientation));
        tiff.extend_from_slice(&[0, 0]);
        tiff.extend_from_slice(&w32(0)); // no next IFD
        let mut payload = b"Exif\0\0".to_vec();
        payload.extend_from_slice(&tiff);
        let mut seg = vec![0xFF, 0xE1];
        seg.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        seg.extend_from_slice(&payload);
        seg
    }

    /// SOI, optional EXIF APP1, DQT, SOF0 (width × height), DHT, SOS, scan data with a stuffed byte and
    /// a restart marker, EOI.
    fn jpeg(width: u16, height: u16, exif: Option<(bool, u16)>) -> Vec<u8> {
        let mut out = vec![0xFF, 0xD8];
        if let Some((le, o)) = exif {
            out.extend_from_slice(&exif_app1(le, o));
        }
        out.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x04, 0x00, 0x01]); // DQT, abbreviated
        out.extend_from_slice(&[0xFF, 0xFF]); // fill bytes before a marker
        out.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08]);
        out.extend_from_slice(&height.to_be_bytes());
        out.extend_from_slice(&width.to_be_bytes());
        out.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        out.extend_from_slice(&[0xFF, 0xC4, 0x00, 0x04, 0x00, 0x00]); // DHT, abbreviated
        out.extend_from_slice(&[
            0xFF, 0xDA, 0x00, 0x0C, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3F, 0,
        ]);
        out.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0x78]);
        out.extend_from_slice(&[0xFF, 0xD9]);
        out
    }

    #[test]
    fn sniffs_by_bytes() {
        use SniffedKind::*;
        assert_eq!(sniff(b""), Empty);
        assert_eq!(sniff(&jpeg(1, 1, None)), Image(ImageFormat::Jpeg));
        assert_eq!(sniff(&png(1, 1)), Image(ImageFormat::Png));
        assert_eq!(sniff(b"GIF87a\x01\x00"), Image(ImageFormat::Gif));
        assert_eq!(sniff(b"GIF89a"), Image(ImageFormat::Gif));
        assert_eq!(sniff(b"GIF88a"), Text);
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic"), Heic);
        assert_eq!(sniff(b"\0\0\0\x18ftypmif1\0\0\0\0mif1heic"), Heic);
        assert_eq!(sniff(b"\0\0\0\x1cftypmif1\0\0\0\0mif1avifmiaf"), Avif);
        assert_eq!(sniff(b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf"), Avif);
        assert_eq!(sniff(b"\0\0\0\x18ftypisom\0\0\0\0isomiso2"), Unknown);
        assert_eq!(sniff(b"RIFF\x24\0\0\0WEBPVP8 "), Webp);
        assert_eq!(sniff(b"RIFF\x24\0\0\0WAVEfmt "), Unknown);
        assert_eq!(sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3"), Pdf);
        let mut bmp = b"BM".to_vec();
        bmp.extend_from_slice(&[0; 12]);
        bmp.extend_from_slice(&[40, 0, 0, 0]);
        bmp.extend_from_slice(&[0; 8]);
        assert_eq!(sniff(&bmp), Bmp);
        assert_eq!(sniff(b"BMW owners club"), Text);
        assert_eq!(sniff(b"II*\0\x08\0\0\0"), Tiff);
        assert_eq!(sniff(b"MM\0*\0\0\0\x08"), Tiff);
        assert_eq!(sniff(b"PK\x03\x04\x14\0"), Zip);
        assert_eq!(sniff("身份证号码 420106\r\n".as_bytes()), Text);
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\">"),
            Svg
        );
        assert_eq!(sniff(b"<html><body>hi</body></html>"), Text);
        assert_eq!(sniff(b"\x00\x01\x02binary"), Unknown);
        assert_eq!(sniff(&[0xFF, 0xD8]), Unknown);
        // A multi-byte character cut by the 1024-byte prefix is still text.
        let mut long = "a".repeat(1023).into_bytes();
        long.extend_from_slice("中文".as_bytes());
        assert_eq!(sniff(&long), Text);
    }

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
    fn png_dimensions_from_ihdr() {
        assert_eq!(image_dimensions(&png(1920, 1080)), Ok((1920, 1080)));
        assert_eq!(image_dimensions(&png(1, 70_000)), Ok((1, 70_000)));
        let p = png(1920, 1080);
        assert_eq!(image_dimensions(&p[..20]), Err(AttachmentError::Truncated));
        assert_eq!(image_dimensions(&png(0, 10)), Err(AttachmentError::Corrupt));
        let mut no_ihdr = p.clone();
        no_ihdr[12..16].copy_from_slice(b"IDAT");
        assert_eq!(image_dimensions(&no_ihdr), Err(AttachmentError::Corrupt));
    }

    #[test]
    fn gif_dimensions_from_screen_descriptor() {
        assert_eq!(image_dimensions(&gif(640, 480, b"")), Ok((640, 480)));
        assert_eq!(
            image_dimensions(b"GIF89a\x80\x02\xe0"),
            Err(AttachmentError::Truncated)
        );
        assert_eq!(image_dimensions(b"GIF87a\x80\x02\xe0\x01"), Ok((640, 480)));
        assert_eq!(
            image_dimensions(&gif(0, 480, b"")),
            Err(AttachmentError::Corrupt)
        );
    }

    #[test]
    fn jpeg_dimensions_after_exif() {
        assert_eq!(image_dimensions(&jpeg(4032, 3024, None)), Ok((4032, 3024)));
        assert_eq!(
            image_dimensions(&jpeg(4032, 3024, Some((true, 6)))),
            Ok((4032, 3024))
        );
        assert_eq!(
            image_dimensions(&jpeg(800, 600, Some((false, 1)))),
            Ok((800, 600))
        );
        // Progressive (SOF2) works the same way.
        let mut progressive = jpeg(800, 600, None);
        let sof = progressive
            .windows(2)
            .position(|w| w == [0xFF, 0xC0])
            .unwrap();
        progressive[sof + 1] = 0xC2;
        assert_eq!(image_dimensions(&progressive), Ok((800, 600)));
    }

    #[test]
    fn jpeg_dht_is_not_a_frame_header() {
        // DHT (C4) before SOF0 must be skipped, not read as a size.
        let mut j = vec![
            0xFF, 0xD8, 0xFF, 0xC4, 0x00, 0x07, 0x01, 0x02, 0x03, 0x04, 0x05,
        ];
        j.extend_from_slice(&[
            0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x01, 0x00, 0x02, 0x00, 1, 1, 0x11, 0,
        ]);
        assert_eq!(image_dimensions(&j), Ok((512, 256)));
    }

    #[test]
    fn truncated_jpegs() {
        let j = jpeg(800, 600, Some((true, 6)));
        let sof = j.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        // Cut inside the EXIF segment, inside the frame header, and right after SOI.
        for cut in [3, 4, 20, sof + 1, sof + 6, sof + 8] {
            assert_eq!(
                image_dimensions(&j[..cut]),
                Err(AttachmentError::Truncated),
                "cut at {cut}"
            );
        }
        // Cut inside the scan: the header is complete but the image is not.
        let whole = check_image(&j, &no_min()).unwrap();
        assert_eq!((whole.width, whole.height), (800, 600));
        assert_eq!(
            check_image(&j[..j.len() - 2], &no_min()),
            Err(AttachmentError::Truncated)
        );
        assert_eq!(
            check_image(&j[..j.len() - 5], &no_min()),
            Err(AttachmentError::Truncated)
        );
        // The header checks alone pass on those cuts: the header is all they look at.
        let header = check_header(&j[..j.len() - 5], &no_min()).unwrap();
        assert_eq!((header.width, header.height), (800, 600));
        assert_eq!(
            check_header(&j[..sof + 6], &no_min()),
            Err(AttachmentError::Truncated)
        );
    }

    #[test]
    fn jpeg_without_frame_header() {
        let j = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0x00, 0xFF, 0xD9];
        assert_eq!(image_dimensions(&j), Err(AttachmentError::Corrupt));
        let not_marker = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x02, 0x12];
        assert_eq!(image_dimensions(&not_marker), Err(AttachmentError::Corrupt));
        let short_len = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01];
        assert_eq!(image_dimensions(&short_len), Err(AttachmentError::Corrupt));
    }

    #[test]
    fn exif_orientation_both_byte_orders() {
        assert_eq!(
            jpeg_exif_orientation(&jpeg(800, 600, Some((true, 6)))),
            Some(6)
        );
        assert_eq!(
            jpeg_exif_orientation(&jpeg(800, 600, Some((false, 6)))),
            Some(6)
        );
        assert_eq!(
            jpeg_exif_orientation(&jpeg(800, 600, Some((false, 8)))),
            Some(8)
        );
        assert_eq!(
            jpeg_exif_orientation(&jpeg(800, 600, Some((true, 1)))),
            Some(1)
        );
        assert_eq!(
            jpeg_exif_orientation(&jpeg(800, 600, Some((true, 9)))),
            None
        );
        assert_eq!(
            jpeg_exif_orientation(&jpeg(800, 600, Some((true, 0)))),
            None
        );
        assert_eq!(jpeg_exif_orientation(&jpeg(800, 600, None)), None);
        assert_eq!(jpeg_exif_orientation(&png(800, 600)), None);
        // Truncated inside the EXIF block.
        let j = jpeg(800, 600, Some((false, 6)));
        for cut in 0..40 {
            assert_eq!(jpeg_exif_orientation(&j[..cut]), None);
        }
    }

    #[test]
    fn exif_after_xmp_app1() {
        let mut j = vec![0xFF, 0xD8];
        let xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>";
        j.extend_from_slice(&[0xFF, 0xE1]);
        j.extend_from_slice(&((xmp.len() + 2) as u16).to_be_bytes());
        j.extend_from_slice(xmp);
        j.extend_from_slice(&jpeg(800, 600, Some((false, 3)))[2..]);
        assert_eq!(jpeg_exif_orientation(&j), Some(3));
        assert_eq!(image_dimensions(&j), Ok((800, 600)));
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
            PNG_SIGNATURE.to_vec(),
            b"GIF89a".to_vec(),
            b"\0\0\0\x18ftyp".to_vec(),
            b"RIFF\0\0\0\0WEBP".to_vec(),
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

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
            for (at, value) in edits {
                let at = at % bytes.len();
                bytes[at] = value;
            }
            let cut = cut % (bytes.len() + 1);
            exercise(&bytes[..cut]);
            exercise(&bytes);
        }
    }
}
