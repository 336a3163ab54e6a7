//! JPEG: the marker segments from the start of image to its end, the frame header that gives the size, the
//! EXIF orientation a phone writes, and the file without its metadata ([`strip_metadata`]).

use super::bytes::{be16, contains_markup};
use super::AttachmentError;

/// Start of image and the first byte of the next marker.
pub(super) fn has_signature(b: &[u8]) -> bool {
    b.starts_with(&[0xFF, 0xD8, 0xFF])
}

/// One marker segment of a JPEG file.
struct Segment<'a> {
    marker: u8,
    /// Offset of the segment, fill bytes before its marker included.
    start: usize,
    /// The segment's payload, after its length field (empty for standalone markers).
    data: &'a [u8],
    /// Offset just after the segment.
    end: usize,
}

/// Reads the marker segment starting at `pos` (which must hold 0xFF), skipping fill bytes.
fn segment(b: &[u8], pos: usize) -> Result<Segment<'_>, AttachmentError> {
    match b.get(pos) {
        None => return Err(AttachmentError::Truncated),
        Some(0xFF) => {}
        Some(_) => return Err(AttachmentError::Corrupt),
    }
    let start = pos;
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
            start,
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
            Ok(Segment {
                marker,
                start,
                data,
                end,
            })
        }
    }
}

/// Start-of-frame markers carry the picture size; C4 (DHT), C8 (JPG) and CC (DAC) share the range.
fn is_sof(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

/// Width and height from the frame header (SOFn), which must come before the image data.
pub(super) fn dimensions(b: &[u8]) -> Result<(u32, u32), AttachmentError> {
    let mut pos = 2;
    loop {
        let seg = segment(b, pos)?;
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

/// The EXIF orientation (1–8) of a JPEG, read from its APP1 segment; `None` when absent or unreadable.
pub(super) fn exif_orientation(bytes: &[u8]) -> Option<u8> {
    let mut pos = 2;
    loop {
        let seg = segment(bytes, pos).ok()?;
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

/// From `pos` inside entropy-coded data, the offset of the next marker.
fn skip_scan(b: &[u8], mut pos: usize) -> Result<usize, AttachmentError> {
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

/// Walks the segments from the one after SOI to EOI, passing over the entropy-coded data after each start of
/// scan, and gives the offset just after EOI. `visit` sees every segment on the way, EOI included.
fn walk_to_end(b: &[u8], mut visit: impl FnMut(&Segment<'_>)) -> Result<usize, AttachmentError> {
    let mut pos = 2;
    loop {
        let seg = segment(b, pos)?;
        visit(&seg);
        match seg.marker {
            0xD9 => return Ok(seg.end),
            0xDA => pos = skip_scan(b, seg.end)?,
            _ => pos = seg.end,
        }
    }
}

/// Offset just after the JPEG's EOI marker.
fn end(b: &[u8]) -> Result<usize, AttachmentError> {
    walk_to_end(b, |_| {})
}

/// The JPEG is whole, and what follows its end holds no markup. Data after the end is common (phones append
/// depth maps, secondary images, motion clips), so only markup is refused.
pub(super) fn check_whole(b: &[u8]) -> Result<(), AttachmentError> {
    if contains_markup(&b[end(b)?..]) {
        return Err(AttachmentError::Polyglot);
    }
    Ok(())
}

/// Segments that say something about the picture besides its pixels: APP1–APP13 and APP15 (EXIF with the GPS
/// position, device and date, XMP, MPF, IPTC…) and comments (COM). APP0 (JFIF), APP14 (Adobe, whose colour
/// transform some JPEGs need to decode right) and the ICC colour profile in APP2 (without it, a wide-gamut
/// phone photo shows in the wrong colours; browsers write an sRGB one) stay.
fn is_metadata(seg: &Segment<'_>) -> bool {
    match seg.marker {
        0xE2 => !seg.data.starts_with(ICC_PROFILE),
        marker => matches!(marker, 0xE1 | 0xE3..=0xED | 0xEF | 0xFE),
    }
}

/// How an APP2 segment that carries an ICC profile begins.
const ICC_PROFILE: &[u8] = b"ICC_PROFILE\0";

/// The JPEG without its metadata segments and without whatever follows its end (secondary images, depth maps,
/// motion clips); every other segment and the compressed picture are copied byte for byte. `None` when the
/// bytes are not a JPEG whose segments can be followed to its end.
///
/// The EXIF orientation goes with the rest: a picture that must be turned to show upright is turned before.
pub fn strip_metadata(bytes: &[u8]) -> Option<Vec<u8>> {
    if !has_signature(bytes) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2]);
    // A segment kept is copied when the next one is found: a scan's data runs up to the next marker.
    let mut kept_from = None;
    let end = walk_to_end(bytes, |seg| {
        if let Some(from) = kept_from.take() {
            out.extend_from_slice(&bytes[from..seg.start]);
        }
        if !is_metadata(seg) {
            kept_from = Some(seg.start);
        }
    })
    .ok()?;
    // EOI.
    if let Some(from) = kept_from {
        out.extend_from_slice(&bytes[from..end]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::strip_metadata;
    use crate::attachment::samples::{
        exif_app1, jfif_icc_and_adobe, jpeg, jpeg_metadata, no_min, png, segment, with_segments,
    };
    use crate::attachment::{
        check_header, check_image, image_dimensions, jpeg_exif_orientation, AttachmentError,
    };

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

    /// An EXIF segment with the orientation and a GPS-like note (something that must not leave the device).
    fn exif_with_gps(orientation: u16) -> Vec<u8> {
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
        segment(0xE1, &payload)
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    /// From the first start of scan to the end: the compressed picture.
    fn scans(j: &[u8]) -> &[u8] {
        &j[j.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap()..]
    }

    #[test]
    fn metadata_is_stripped_and_the_picture_kept() {
        let [jfif, _, _] = jfif_icc_and_adobe();
        let plain = with_segments(&jpeg(600, 400, None), &[jfif]);
        let tagged = with_segments(&plain, &[exif_with_gps(1)]);
        assert!(contains(&tagged, b"GPS 30.5928N"));
        let stripped = strip_metadata(&tagged).unwrap();
        assert!(!contains(&stripped, b"Exif"));
        assert!(!contains(&stripped, b"GPS 30.5928N"));
        assert_eq!(stripped, plain, "only the EXIF segment goes");
        assert_eq!(strip_metadata(b"not a jpeg"), None);
        assert_eq!(
            strip_metadata(&tagged[..40]),
            None,
            "cut inside the EXIF segment"
        );
    }

    #[test]
    fn only_jfif_adobe_and_colour_profile_segments_stay() {
        let picture = jpeg(800, 600, None);
        let [jfif, icc, adobe] = jfif_icc_and_adobe();
        let mut segments = vec![jfif.clone()];
        segments.extend(jpeg_metadata());
        segments.push(icc.clone());
        segments.push(adobe.clone());
        let tagged = with_segments(&picture, &segments);
        let stripped = strip_metadata(&tagged).unwrap();
        assert_eq!(stripped, with_segments(&picture, &[jfif, icc, adobe]));
        assert!(!contains(&stripped, b"MPF"), "the other APP2 went");
        assert!(!contains(&stripped, b"GPS 30.5928N"), "the comment went");
        assert_eq!(scans(&stripped), scans(&picture));
        assert_eq!(strip_metadata(&stripped), Some(stripped));
    }

    #[test]
    fn an_app2_segment_named_like_a_profile_without_its_terminator_goes() {
        let picture = jpeg(800, 600, None);
        let lookalike = segment(0xE2, b"ICC_PROFILE_NOTES serial 4711");
        let tagged = with_segments(&picture, &[lookalike]);
        assert_eq!(strip_metadata(&tagged), Some(picture));
    }

    #[test]
    fn what_follows_the_end_goes() {
        let picture = jpeg(800, 600, Some((true, 1)));
        let mut photo = picture.clone();
        photo.extend_from_slice(&jpeg(320, 240, None));
        photo.extend_from_slice(b"\0\0MotionPhoto_Data\x01\x02\x03");
        let stripped = strip_metadata(&photo).unwrap();
        assert_eq!(stripped, jpeg(800, 600, None));
        assert!(stripped.ends_with(&[0xFF, 0xD9]));
        assert_eq!(scans(&stripped), scans(&picture));
        // Without its end there is no knowing where the picture stops.
        assert_eq!(strip_metadata(&picture[..picture.len() - 2]), None);
    }

    #[test]
    fn metadata_between_scans_goes_and_the_scans_stay() {
        // A progressive JPEG: a comment and an EXIF segment before the second scan's tables and header.
        let first = jpeg(800, 600, None);
        let mut progressive = first[..first.len() - 2].to_vec();
        let mut second = segment(0xFE, b"second pass");
        second.extend_from_slice(&exif_app1(false, 6));
        let tables_and_scan = [
            &[0xFF, 0xC4, 0x00, 0x04, 0x10, 0x00][..],
            &[0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 0x3F, 0],
            &[0x9A, 0xFF, 0x00, 0xFF, 0xD1, 0xBC, 0xFF, 0xD9],
        ]
        .concat();
        second.extend_from_slice(&tables_and_scan);
        progressive.extend_from_slice(&second);
        let stripped = strip_metadata(&progressive).unwrap();
        let mut expected = first[..first.len() - 2].to_vec();
        expected.extend_from_slice(&tables_and_scan);
        assert_eq!(stripped, expected);
        assert_eq!(
            jpeg_exif_orientation(&progressive),
            None,
            "EXIF after the first scan is not read"
        );
        assert_eq!(
            check_image(&stripped, &no_min()).map(|i| (i.width, i.height)),
            Ok((800, 600))
        );
    }
}
