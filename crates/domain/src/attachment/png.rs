//! PNG: the signature, the IHDR chunk that gives the size, and the chunks up to IEND.

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

/// Offset just after the IEND chunk.
fn end(b: &[u8]) -> Result<usize, AttachmentError> {
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
        if kind == b"IEND" {
            return Ok(end);
        }
        pos = end;
    }
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

#[cfg(test)]
mod tests {
    use crate::attachment::samples::png;
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
}
