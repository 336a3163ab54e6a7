//! Drawing a decoded picture at its output size on a white background (transparent PNG areas would turn black
//! in a JPEG) and encoding it. An `OffscreenCanvas` when the browser has one, else a detached `<canvas>`. The
//! output carries no metadata at all: canvases do not write EXIF.

use super::decode::Decoded;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, CanvasRenderingContext2d, HtmlCanvasElement, ImageEncodeOptions, OffscreenCanvas,
    OffscreenCanvasRenderingContext2d,
};

/// A canvas with the picture drawn on it, to be encoded once or several times.
pub enum Drawn {
    Offscreen(OffscreenCanvas),
    Element(HtmlCanvasElement),
}

fn has_offscreen_canvas() -> bool {
    js_sys::Reflect::has(&js_sys::global(), &JsValue::from_str("OffscreenCanvas")).unwrap_or(false)
}

/// Paints `picture` scaled to `w` × `h` on a white background, with a 2D context of either canvas kind (the
/// two context types share these methods but no trait).
macro_rules! paint {
    ($context:expr, $picture:expr, $w:expr, $h:expr) => {{
        let context = $context;
        context.set_fill_style_str("#ffffff");
        context.fill_rect(0.0, 0.0, $w, $h);
        match $picture {
            Decoded::Bitmap(b) => {
                context.draw_image_with_image_bitmap_and_dw_and_dh(b, 0.0, 0.0, $w, $h)?
            }
            Decoded::Image(img, _) => {
                context.draw_image_with_html_image_element_and_dw_and_dh(img, 0.0, 0.0, $w, $h)?
            }
        }
    }};
}

/// Draws `picture` scaled to `width` × `height`.
pub fn draw(picture: &Decoded, width: u32, height: u32) -> Result<Drawn, JsValue> {
    let (w, h) = (f64::from(width), f64::from(height));
    if has_offscreen_canvas() {
        let canvas = OffscreenCanvas::new(width, height)?;
        let context: OffscreenCanvasRenderingContext2d = canvas
            .get_context("2d")?
            .ok_or("no 2d context")?
            .dyn_into()?;
        paint!(context, picture, w, h);
        Ok(Drawn::Offscreen(canvas))
    } else {
        let canvas: HtmlCanvasElement = web_sys::window()
            .and_then(|w| w.document())
            .ok_or("no document")?
            .create_element("canvas")?
            .dyn_into()?;
        canvas.set_width(width);
        canvas.set_height(height);
        let context: CanvasRenderingContext2d = canvas
            .get_context("2d")?
            .ok_or("no 2d context")?
            .dyn_into()?;
        paint!(context, picture, w, h);
        Ok(Drawn::Element(canvas))
    }
}

impl Drawn {
    /// Encodes the canvas as `mime` (`image/jpeg` with `quality` 0–1, or `image/png`).
    pub async fn encode(&self, mime: &str, quality: f64) -> Result<Blob, JsValue> {
        match self {
            Drawn::Offscreen(canvas) => {
                let options = ImageEncodeOptions::new();
                options.set_type(mime);
                options.set_quality(quality);
                let blob = JsFuture::from(canvas.convert_to_blob_with_options(&options)?).await?;
                blob.dyn_into()
            }
            Drawn::Element(canvas) => {
                let mut result: Result<(), JsValue> = Ok(());
                let promise = js_sys::Promise::new(&mut |resolve, reject| {
                    let callback = Closure::once_into_js(move |blob: JsValue| {
                        let _ = if blob.is_null() {
                            reject.call1(&JsValue::NULL, &JsValue::from_str("toBlob gave nothing"))
                        } else {
                            resolve.call1(&JsValue::NULL, &blob)
                        };
                    });
                    result = canvas.to_blob_with_type_and_encoder_options(
                        callback.unchecked_ref(),
                        mime,
                        &JsValue::from_f64(quality),
                    );
                });
                result?;
                JsFuture::from(promise).await?.dyn_into()
            }
        }
    }

    /// Gives the canvas memory back at once.
    pub fn release(self) {
        match self {
            Drawn::Offscreen(c) => {
                c.set_width(0);
                c.set_height(0);
            }
            Drawn::Element(c) => {
                c.set_width(0);
                c.set_height(0);
            }
        }
    }
}
