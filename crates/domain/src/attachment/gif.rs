//! GIF: the logical screen descriptor that gives the size, the blocks up to the trailer, and the file without
//! its metadata ([`strip_metadata`]).

use super::bytes::{contains_markup, is_padding, le16};
use super::AttachmentError;

pub(super) fn has_signature(b: &[u8]) -> bool {
    b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a")
}

/// Width and height from the logical screen descriptor.
pub(super) fn dimensions(b: &[u8]) -> Result<(u32, u32), AttachmentError> {
    let (Some(width), Some(height)) = (le16(b, 6), le16(b, 8)) else {
        return Err(AttachmentError::Truncated);
    };
    if width == 0 || height == 0 {
        return Err(AttachmentError::Corrupt);
    }
    Ok((u32::from(width), u32::from(height)))
}

/// Skips data sub-blocks from `pos`; returns the offset after the terminator. When `collect` is
/// given, the blocks' bytes are appended to it.
fn sub_blocks(
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

/// What a block after the header is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    /// An extension (0x21) with its label.
    Extension(u8),
    /// An image descriptor (0x2C) with its colour table and data.
    Image,
    Trailer,
}

/// One block of a GIF file after its header.
struct Block {
    kind: BlockKind,
    start: usize,
    /// Offset just after the block.
    end: usize,
}

/// Offset of the first block: after the header, the logical screen descriptor and the global colour table.
fn blocks_start(b: &[u8]) -> Result<usize, AttachmentError> {
    let flags = *b.get(10).ok_or(AttachmentError::Truncated)?;
    Ok(13 + color_table_len(flags))
}

/// Walks the blocks up to the trailer (0x3B), which must follow an image, and gives the offset just after it.
/// `visit` sees every block on the way, the trailer included, and may stop the walk with an error.
fn walk_to_end(
    b: &[u8],
    mut visit: impl FnMut(&Block) -> Result<(), AttachmentError>,
) -> Result<usize, AttachmentError> {
    let mut pos = blocks_start(b)?;
    let mut images = 0;
    loop {
        let start = pos;
        let kind = match *b.get(pos).ok_or(AttachmentError::Truncated)? {
            0x3B if images > 0 => {
                pos += 1;
                BlockKind::Trailer
            }
            0x21 => {
                let label = *b.get(pos + 1).ok_or(AttachmentError::Truncated)?;
                pos = sub_blocks(b, pos + 2, None)?;
                BlockKind::Extension(label)
            }
            0x2C => {
                let flags = *b.get(pos + 9).ok_or(AttachmentError::Truncated)?;
                // Descriptor (10 bytes), local color table, LZW minimum code size, then the data.
                pos += 10 + color_table_len(flags) + 1;
                pos = sub_blocks(b, pos, None)?;
                images += 1;
                BlockKind::Image
            }
            _ => return Err(AttachmentError::Corrupt),
        };
        visit(&Block {
            kind,
            start,
            end: pos,
        })?;
        if kind == BlockKind::Trailer {
            return Ok(pos);
        }
    }
}

/// Offset just after the GIF trailer (0x3B). Comments carrying markup count as a polyglot.
fn end(b: &[u8]) -> Result<usize, AttachmentError> {
    walk_to_end(b, |block| {
        if block.kind == BlockKind::Extension(0xFE) {
            let mut comment = Vec::new();
            sub_blocks(b, block.start + 2, Some(&mut comment))?;
            if contains_markup(&comment) {
                return Err(AttachmentError::Polyglot);
            }
        }
        Ok(())
    })
}

/// The GIF is whole, and nothing but padding follows its trailer.
pub(super) fn check_whole(b: &[u8]) -> Result<(), AttachmentError> {
    let trailing = &b[end(b)?..];
    if !trailing.iter().all(|&b| is_padding(b)) {
        return Err(AttachmentError::Polyglot);
    }
    Ok(())
}

/// Whether an application extension is the looping count of an animation (Netscape's, or Adobe's older one).
fn is_looping(extension: &[u8]) -> bool {
    matches!(
        extension.get(2..14),
        Some(b"\x0bNETSCAPE2.0" | b"\x0bANIMEXTS1.0")
    )
}

/// The GIF with only what is needed to show it: the header with its colour table, the images, their graphic
/// control extensions (delay, transparency) and the looping extension of an animation. Comments, other
/// application extensions (XMP, editors' data), plain-text extensions and whatever follows the trailer go.
/// `None` when the bytes are not a GIF whose blocks can be followed to the trailer.
pub fn strip_metadata(bytes: &[u8]) -> Option<Vec<u8>> {
    if !has_signature(bytes) {
        return None;
    }
    let mut out = bytes.get(..blocks_start(bytes).ok()?)?.to_vec();
    walk_to_end(bytes, |block| {
        let data = &bytes[block.start..block.end];
        let kept = match block.kind {
            BlockKind::Image | BlockKind::Trailer | BlockKind::Extension(0xF9) => true,
            BlockKind::Extension(0xFF) => is_looping(data),
            BlockKind::Extension(_) => false,
        };
        if kept {
            out.extend_from_slice(data);
        }
        Ok(())
    })
    .ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::strip_metadata;
    use crate::attachment::samples::{
        gif, gif_graphic_control, gif_looping, gif_metadata, gif_with,
    };
    use crate::attachment::{image_dimensions, AttachmentError};

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
    fn only_what_shows_the_animation_stays() {
        let kept = [
            gif_looping(b"NETSCAPE2.0"),
            gif_looping(b"ANIMEXTS1.0"),
            gif_graphic_control(),
        ];
        let picture = gif_with(640, 480, &kept);
        let mut blocks = gif_metadata().to_vec();
        blocks.extend_from_slice(&kept);
        blocks.extend(gif_metadata());
        let mut tagged = gif_with(640, 480, &blocks);
        tagged.extend_from_slice(b"\0\0 after the trailer");
        let stripped = strip_metadata(&tagged).unwrap();
        assert_eq!(stripped, picture);
        // The comment of the sample GIF goes; a plain GIF loses nothing.
        assert_eq!(
            strip_metadata(&gif(640, 480, b"hello")),
            Some(gif(640, 480, b""))
        );
        assert_eq!(strip_metadata(&picture), Some(picture));
    }

    #[test]
    fn a_gif_that_cannot_be_followed_is_not_stripped() {
        let g = gif_with(640, 480, &gif_metadata());
        assert_eq!(strip_metadata(&g[..g.len() - 1]), None, "no trailer");
        assert_eq!(strip_metadata(&g[..30]), None, "cut inside the comment");
        assert_eq!(
            strip_metadata(&g[..12]),
            None,
            "cut inside the screen descriptor"
        );
        let mut no_image = g[..19].to_vec();
        no_image.push(0x3B);
        assert_eq!(
            strip_metadata(&no_image),
            None,
            "a trailer before any image"
        );
        assert_eq!(strip_metadata(b"\x89PNG\r\n\x1a\n"), None);
    }
}
