//! Small images built byte by byte for the tests: a JPEG with or without an EXIF orientation, a PNG, a GIF, and
//! the metadata that cameras, editors and chat apps put in them.

use super::{png::SIGNATURE as PNG_SIGNATURE, ImageLimits};

pub(crate) fn no_min() -> ImageLimits {
    ImageLimits {
        min_long_edge: 0,
        ..ImageLimits::default()
    }
}

pub(crate) fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&[0, 0, 0, 0]); // CRC, not checked
}

pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
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

pub(crate) fn gif(width: u16, height: u16, comment: &[u8]) -> Vec<u8> {
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
pub(crate) fn exif_app1(little_endian: bool, orientation: u16) -> Vec<u8> {
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
    segment(0xE1, &payload)
}

/// A JPEG marker segment with its length field.
pub(crate) fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut seg = vec![0xFF, marker];
    seg.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    seg.extend_from_slice(payload);
    seg
}

/// `jpeg` with `segments` right after its SOI.
pub(crate) fn with_segments(jpeg: &[u8], segments: &[Vec<u8>]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    out.extend(segments.iter().flatten());
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// JFIF (APP0) and Adobe (APP14): the segments a JPEG keeps when its metadata goes.
pub(crate) fn jfif_and_adobe() -> [Vec<u8>; 2] {
    [
        segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"),
        segment(0xEE, b"Adobe\0\x64\0\0\0\0\x01"),
    ]
}

/// An ICC colour profile in two APP2 parts (a Display P3 phone photo's): kept when the metadata goes.
pub(crate) fn icc_profile() -> [Vec<u8>; 2] {
    [
        segment(0xE2, b"ICC_PROFILE\0\x01\x02 Display P3, part one"),
        segment(0xE2, b"ICC_PROFILE\0\x02\x02 Display P3, part two"),
    ]
}

/// What cameras and editors write in a JPEG besides the picture: EXIF, XMP, FlashPix and MPF (both APP2, like
/// the ICC profile), IPTC, a vendor's APP15, a comment.
pub(crate) fn jpeg_metadata() -> [Vec<u8>; 7] {
    [
        exif_app1(true, 1),
        segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>"),
        segment(0xE2, b"FPXR\0\x00\x01 camera contents list"),
        segment(0xE2, b"MPF\0II*\0\x08\0\0\0"),
        segment(0xED, b"Photoshop 3.0\08BIM\x04\x04"),
        segment(0xEF, b"vendor data"),
        segment(0xFE, b"GPS 30.5928N 114.3055E"),
    ]
}

/// A PNG of `width` × `height` with `chunks` between IHDR and its two IDAT chunks and `after` between those and IEND.
pub(crate) fn png_with(
    width: u32,
    height: u32,
    chunks: &[(&[u8; 4], &[u8])],
    after: &[(&[u8; 4], &[u8])],
) -> Vec<u8> {
    let plain = png(width, height);
    let (ihdr, rest) = plain.split_at(PNG_SIGNATURE.len() + 25);
    let (idat, iend) = rest.split_at(rest.len() - 12);
    let mut out = ihdr.to_vec();
    for (kind, data) in chunks {
        png_chunk(&mut out, kind, data);
    }
    out.extend_from_slice(idat);
    out.extend_from_slice(idat);
    for (kind, data) in after {
        png_chunk(&mut out, kind, data);
    }
    out.extend_from_slice(iend);
    out
}

/// The chunks a PNG needs to be shown in the right colours, kept when its metadata goes.
pub(crate) const PNG_COLOUR: [(&[u8; 4], &[u8]); 8] = [
    (b"iCCP", b"icc\0\0\x78\x9c"),
    (b"cHRM", &[0; 32]),
    (b"gAMA", &[0, 0, 0xB1, 0x8F]),
    (b"sRGB", &[0]),
    (b"sBIT", &[8, 8, 8]),
    (b"PLTE", &[0, 0, 0, 255, 255, 255]),
    (b"tRNS", &[0, 0, 0, 0, 0, 0]),
    (b"pHYs", &[0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1]),
];

/// What editors and phones write in a PNG besides the picture.
pub(crate) const PNG_METADATA: [(&[u8; 4], &[u8]); 7] = [
    (b"tEXt", b"Author\0Zhang San"),
    (b"zTXt", b"Comment\0\0\x78\x9c"),
    (b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta/>"),
    (b"eXIf", b"II*\0\x08\0\0\0"),
    (b"tIME", &[0x07, 0xE8, 1, 2, 3, 4, 5]),
    (b"bKGD", &[0, 0, 0, 0, 0, 0]),
    (b"prVt", b"an editor's private data"),
];

/// A GIF extension block: introducer, label, the data in sub-blocks, terminator.
pub(crate) fn gif_extension(label: u8, sub_blocks: &[&[u8]]) -> Vec<u8> {
    let mut out = vec![0x21, label];
    for data in sub_blocks {
        out.push(data.len() as u8);
        out.extend_from_slice(data);
    }
    out.push(0);
    out
}

/// A graphic control extension (delay and transparency of the next image).
pub(crate) fn gif_graphic_control() -> Vec<u8> {
    gif_extension(0xF9, &[&[0x04, 0x0A, 0x00, 0x00]])
}

/// The looping extension of an animated GIF, as browsers and Adobe tools write it.
pub(crate) fn gif_looping(application: &[u8; 11]) -> Vec<u8> {
    gif_extension(0xFF, &[application, &[1, 0, 0]])
}

/// What editors write in a GIF besides the picture: a comment, XMP in an application extension, plain text.
pub(crate) fn gif_metadata() -> [Vec<u8>; 3] {
    [
        gif_extension(0xFE, &[b"GPS 30.5928N 114.3055E"]),
        gif_extension(0xFF, &[b"XMP DataXMP", b"<x:xmpmeta/>"]),
        gif_extension(0x01, &[&[0; 12], b"caption"]),
    ]
}

/// A GIF of `width` × `height` with `blocks` before each of its two images.
pub(crate) fn gif_with(width: u16, height: u16, blocks: &[Vec<u8>]) -> Vec<u8> {
    let plain = gif(width, height, b"");
    let (header, rest) = plain.split_at(19);
    let image = &rest[..rest.len() - 1];
    let mut out = header.to_vec();
    for _ in 0..2 {
        out.extend(blocks.iter().flatten());
        out.extend_from_slice(image);
    }
    out.push(0x3B);
    out
}

/// SOI, optional EXIF APP1, DQT, SOF0 (width × height), DHT, SOS, scan data with a stuffed byte and
/// a restart marker, EOI.
pub(crate) fn jpeg(width: u16, height: u16, exif: Option<(bool, u16)>) -> Vec<u8> {
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
