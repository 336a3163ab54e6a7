//! Reading numbers and looking for text in the bytes of a file; every reader gives `None` past the end.

pub(super) fn be16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([s[0], s[1]]))
}

pub(super) fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

pub(super) fn le16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

pub(super) fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

/// Markup that makes a file dangerous when a browser or server mistakes it for a page or script.
pub(super) fn contains_markup(b: &[u8]) -> bool {
    const MARKUP: [&[u8]; 5] = [b"<script", b"<html", b"<?php", b"<iframe", b"<!doctype"];
    MARKUP.iter().any(|m| contains_ignore_case(b, m))
}

/// Bytes that tools pad files with after their end.
pub(super) fn is_padding(b: u8) -> bool {
    matches!(b, 0x00 | 0xFF | b' ' | b'\t' | b'\r' | b'\n')
}
