//! What to do with an image before upload, from its header alone: its size the right way up, whether it must
//! be shrunk, turned or re-encoded, and the size to decode it at. Pure arithmetic, tested without a browser.

use super::inspect::Inspected;
use domain::attachment::ImageFormat;
use domain::config::ImageConfig;

/// Width and height as shown, after the EXIF orientation (5–8 swap the sides).
pub fn oriented_size(width: u32, height: u32, orientation: Option<u8>) -> (u32, u32) {
    match orientation {
        Some(5..=8) => (height, width),
        _ => (width, height),
    }
}

/// `width` × `height` scaled so the long edge is at most `long_edge`, keeping the aspect ratio (each side at
/// least 1 px). Unchanged when already within.
pub fn fit_long_edge(width: u32, height: u32, long_edge: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= long_edge || long == 0 {
        return (width, height);
    }
    let scale = f64::from(long_edge) / f64::from(long);
    let side = |v: u32| ((f64::from(v) * scale).round() as u32).clamp(1, long_edge);
    if width >= height {
        (long_edge, side(height))
    } else {
        (side(width), long_edge)
    }
}

/// Largest picture decoded at its full size before it is scaled by the drawing (iOS refuses bigger canvases,
/// and up to here the browser's plain decode plus a scaled draw is the fastest path). Bigger photos are
/// scaled while they are decoded, so they are never held at full size.
pub const FULL_DECODE_MAX_PIXELS: u64 = 16_777_216;

/// Bytes per pixel up to which a PNG that needs no shrinking or turning is sent as it is, without a JPEG being
/// made to compare: phone screenshots of statements come at 0.03–0.2 and stay lossless, text sharp (a JPEG of
/// them saves little); photos saved as PNG (1–3) are also encoded as JPEG and the smaller file is sent.
pub const LIGHT_PNG_BYTES_PER_PIXEL: f64 = 0.25;

/// The plan for one image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Size of the output, the right way up.
    pub width: u32,
    pub height: u32,
    /// The long edge is over `target_long_edge`: decoded at the smaller size.
    pub shrink: bool,
    /// The EXIF orientation turns or mirrors the picture: the pixels must be turned.
    pub reorient: bool,
    /// The file is over `max_bytes` as it is.
    pub too_heavy: bool,
    /// Too many pixels to decode at full size: scaled to the output size while decoding.
    pub scale_while_decoding: bool,
    /// A light PNG within every limit: sent as it is, once the browser has decoded it.
    pub send_as_is: bool,
}

impl Plan {
    /// Whether the original cannot be sent as it is.
    pub fn must_reencode(&self) -> bool {
        self.shrink || self.reorient || self.too_heavy
    }
}

pub fn plan(image: &Inspected, config: &ImageConfig) -> Plan {
    let (width, height) = oriented_size(image.width, image.height, image.orientation);
    let (out_width, out_height) = fit_long_edge(width, height, config.target_long_edge);
    let pixels = u64::from(image.width) * u64::from(image.height);
    let mut plan = Plan {
        width: out_width,
        height: out_height,
        shrink: (out_width, out_height) != (width, height),
        reorient: image.orientation.is_some_and(|o| o != 1),
        too_heavy: image.bytes > config.max_bytes,
        scale_while_decoding: pixels > FULL_DECODE_MAX_PIXELS,
        send_as_is: false,
    };
    plan.send_as_is = image.format == ImageFormat::Png
        && !plan.must_reencode()
        && image.bytes as f64 <= LIGHT_PNG_BYTES_PER_PIXEL * pixels as f64;
    plan
}
