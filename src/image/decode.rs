//! Decoding an image the right way up: `createImageBitmap` with `imageOrientation: "from-image"`; a photo of
//! more than 16,777,216 px (iOS refuses bigger canvases) also with `resizeWidth`/`resizeHeight`, so it is never
//! held at full size. Smaller pictures are decoded as they are and scaled by the drawing, which is faster. Browsers without these options decode through an
//! `<img>` (which applies the EXIF orientation itself) and the drawing scales it down.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, HtmlImageElement, ImageBitmap, ImageBitmapOptions, ImageOrientation, ResizeQuality,
};

use super::object_url::ObjectUrl;

/// A decoded picture ready to be drawn.
pub enum Decoded {
    Bitmap(ImageBitmap),
    /// The fallback: an `<img>` that keeps its `blob:` URL alive while it is drawn.
    Image(HtmlImageElement, ObjectUrl),
}

impl Decoded {
    pub fn size(&self) -> (u32, u32) {
        match self {
            Decoded::Bitmap(b) => (b.width(), b.height()),
            Decoded::Image(img, _) => (img.natural_width(), img.natural_height()),
        }
    }

    /// Frees the decoded pixels at once instead of waiting for the garbage collector.
    pub fn close(self) {
        if let Decoded::Bitmap(bitmap) = self {
            bitmap.close();
        }
    }
}

/// Decodes `blob` upright; with `scale_to`, scaled to that width × height (the size after orientation).
pub async fn decode(blob: &Blob, scale_to: Option<(u32, u32)>) -> Result<Decoded, JsValue> {
    match decode_bitmap(blob, scale_to).await {
        Ok(bitmap) => Ok(Decoded::Bitmap(bitmap)),
        Err(_) => decode_img(blob).await,
    }
}

async fn decode_bitmap(blob: &Blob, scale_to: Option<(u32, u32)>) -> Result<ImageBitmap, JsValue> {
    let options = ImageBitmapOptions::new();
    options.set_image_orientation(ImageOrientation::FromImage);
    if let Some((width, height)) = scale_to {
        options.set_resize_width(width);
        options.set_resize_height(height);
        options.set_resize_quality(ResizeQuality::High);
    }
    let window = web_sys::window().ok_or("no window")?;
    let promise = window.create_image_bitmap_with_blob_and_image_bitmap_options(blob, &options)?;
    let bitmap: ImageBitmap = JsFuture::from(promise).await?.dyn_into()?;
    Ok(bitmap)
}

async fn decode_img(blob: &Blob) -> Result<Decoded, JsValue> {
    let url = ObjectUrl::new(blob).ok_or("no object URL")?;
    let img = HtmlImageElement::new()?;
    img.set_src(url.as_str());
    JsFuture::from(img.decode()).await?;
    Ok(Decoded::Image(img, url))
}
