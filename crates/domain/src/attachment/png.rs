//! PNG: the signature, the IHDR chunk that gives the size, the chunks up to IEND, and the file without its
//! metadata ([`strip_metadata`]).

use super::bytes::{be32, contains_markup, is_padding};
use super::AttachmentError;

pub(super) const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// Stray bytes after the IEND chunk that are tolerated (some tools pad files).
const TRAILING_TOLERANCE: usize = 16;

pub(super) fn has_signature(b: &[u8]) -> bool {
    b.starts_with(SIGNATURE)
}

/// Width and height from the IHDR chunk, which must come first.
pub(super) fn dimensions(b: &[u8]) -> Result<(u32, u32), AttachmentError> {
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

/// One chunk of a PNG file.
struct Chunk<'a> {
    kind: &'a [u8],
    /// Offset of the chunk's length field.
    start: usize,
    /// Offset just after the chunk's CRC.
    end: usize,
}

/// Walks the chunks from the one after the signature to IEND and gives the offset just after IEND. `visit`
/// sees every chunk on the way, IEND included.
fn walk_to_end(b: &[u8], mut visit: impl FnMut(&Chunk<'_>)) -> Result<usize, AttachmentError> {
    let mut pos = SIGNATURE.len();
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
        visit(&Chunk {
            kind,
            start: pos,
            end,
        });
        if kind == b"IEND" {
            return Ok(end);
        }
        pos = end;
    }
}

/// Offset just after the IEND chunk.
fn end(b: &[u8]) -> Result<usize, AttachmentError> {
    walk_to_end(b, |_| {})
}

/// The PNG is whole, and after its end come at most a few stray bytes besides padding, and no markup.
pub(super) fn check_whole(b: &[u8]) -> Result<(), AttachmentError> {
    let trailing = &b[end(b)?..];
    let stray = trailing.iter().filter(|&&b| !is_padding(b)).count();
    if stray > TRAILING_TOLERANCE || contains_markup(trailing) {
        return Err(AttachmentError::Polyglot);
    }
    Ok(())
}

/// The chunks that say how to show the picture: its header, palette and transparency, the data, the end, and its
/// colour space (gamma, chromaticities, sRGB, ICC profile, significant bits) and pixel density.
const KEPT: [&[u8; 4]; 11] = [
    b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT",
    b"pHYs",
];

/// The PNG with only the chunks needed to show it: text (tEXt, zTXt, iTXt, where XMP lives), EXIF (eXIf), the
/// time (tIME) and every other ancillary or private chunk go, and so does whatever follows IEND. The chunks kept
/// are copied byte for byte. `None` when the bytes are not a PNG whose chunks can be followed to IEND.
pub fn strip_metadata(bytes: &[u8]) -> Option<Vec<u8>> {
    if !has_signature(bytes) {
        return None;
    }
    let mut out = SIGNATURE.to_vec();
    walk_to_end(bytes, |chunk| {
        if KEPT.iter().any(|k| k.as_slice() == chunk.kind) {
            out.extend_from_slice(&bytes[chunk.start..chunk.end]);
        }
    })
    .ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::strip_metadata;
    use crate::attachment::samples::{png, png_with, PNG_COLOUR, PNG_METADATA};
    use crate::attachment::{image_dimensions, AttachmentError};

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
    fn only_the_chunks_that_show_the_picture_stay() {
        let picture = png_with(800, 600, &PNG_COLOUR, &[]);
        let mut chunks = PNG_METADATA.to_vec();
        chunks.extend_from_slice(&PNG_COLOUR);
        let mut tagged = png_with(800, 600, &chunks, &PNG_METADATA);
        tagged.extend_from_slice(b"\0\0 after the end");
        let stripped = strip_metadata(&tagged).unwrap();
        assert_eq!(stripped, picture);
        // A plain PNG loses nothing.
        assert_eq!(strip_metadata(&png(800, 600)), Some(png(800, 600)));
    }

    #[test]
    fn a_png_that_cannot_be_followed_is_not_stripped() {
        let p = png_with(800, 600, &PNG_METADATA, &[]);
        assert_eq!(strip_metadata(&p[..p.len() - 1]), None, "cut inside IEND");
        assert_eq!(strip_metadata(&p[..60]), None, "cut inside a text chunk");
        let mut bad_kind = p.clone();
        bad_kind[37] = b'1';
        assert_eq!(strip_metadata(&bad_kind), None);
        assert_eq!(strip_metadata(b"GIF89a"), None);
    }
}
