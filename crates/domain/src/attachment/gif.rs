//! GIF: the logical screen descriptor that gives the size, and the blocks up to the trailer.

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

/// Offset just after the GIF trailer (0x3B). Comments carrying markup count as a polyglot.
fn end(b: &[u8]) -> Result<usize, AttachmentError> {
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
                    pos = sub_blocks(b, pos + 2, Some(&mut comment))?;
                    if contains_markup(&comment) {
                        return Err(AttachmentError::Polyglot);
                    }
                } else {
                    pos = sub_blocks(b, pos + 2, None)?;
                }
            }
            0x2C => {
                let flags = *b.get(pos + 9).ok_or(AttachmentError::Truncated)?;
                // Descriptor (10 bytes), local color table, LZW minimum code size, then the data.
                pos += 10 + color_table_len(flags) + 1;
                pos = sub_blocks(b, pos, None)?;
                images += 1;
            }
            _ => return Err(AttachmentError::Corrupt),
        }
    }
}

/// The GIF is whole, and nothing but padding follows its trailer.
pub(super) fn check_whole(b: &[u8]) -> Result<(), AttachmentError> {
    let trailing = &b[end(b)?..];
    if !trailing.iter().all(|&b| is_padding(b)) {
        return Err(AttachmentError::Polyglot);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::attachment::samples::gif;
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
}
