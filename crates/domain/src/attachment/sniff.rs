//! What a file is, judged by its first bytes: the accepted formats by their signatures, and the kinds people
//! often pick instead (an iPhone HEIC photo, a WebP from a chat app, a scanned PDF, a Word document…) so that
//! the message can name them.

use super::bytes::{be32, contains_ignore_case};
use super::{gif, jpeg, png, ImageFormat, SniffedKind};

const HEIF_BRANDS: [&[u8; 4]; 8] = [
    b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1",
];
const AVIF_BRANDS: [&[u8; 4]; 2] = [b"avif", b"avis"];

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

/// What a file is, from its first bytes.
pub fn sniff(bytes: &[u8]) -> SniffedKind {
    let b = bytes;
    if b.is_empty() {
        SniffedKind::Empty
    } else if jpeg::has_signature(b) {
        SniffedKind::Image(ImageFormat::Jpeg)
    } else if png::has_signature(b) {
        SniffedKind::Image(ImageFormat::Png)
    } else if gif::has_signature(b) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attachment::samples::{jpeg, png};

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
}
