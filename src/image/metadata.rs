//! Taking the metadata out of a JPEG that is sent as it is: EXIF (GPS position, device serial, the date), XMP and
//! IPTC segments are dropped, the compressed picture is copied byte for byte. Only for files whose orientation
//! is upright already (the orientation lives in the EXIF segment).

/// The JPEG without its APP1 (EXIF, XMP) and APP13 (IPTC/Photoshop) segments; `None` if the segment structure
/// before the picture data cannot be followed (the caller then re-encodes instead).
pub fn strip_jpeg_metadata(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2]);
    let mut pos = 2;
    loop {
        // Fill bytes before a marker are allowed.
        while bytes.get(pos) == Some(&0xFF) && bytes.get(pos + 1) == Some(&0xFF) {
            pos += 1;
        }
        if bytes.get(pos) != Some(&0xFF) {
            return None;
        }
        let marker = *bytes.get(pos + 1)?;
        match marker {
            // Start of scan: the picture data and everything after it are kept as they are.
            0xDA => {
                out.extend_from_slice(&bytes[pos..]);
                return Some(out);
            }
            // End of image before any scan, or markers without a length here: not a file to keep.
            0xD8 | 0xD9 | 0x00 | 0x01 | 0xD0..=0xD7 => return None,
            _ => {
                let len = usize::from(u16::from_be_bytes([
                    *bytes.get(pos + 2)?,
                    *bytes.get(pos + 3)?,
                ]));
                if len < 2 {
                    return None;
                }
                let end = pos.checked_add(2 + len)?;
                let segment = bytes.get(pos..end)?;
                if !matches!(marker, 0xE1 | 0xED) {
                    out.extend_from_slice(segment);
                }
                pos = end;
            }
        }
    }
}
