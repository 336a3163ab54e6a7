//! What the browser test files share: waiting for the page to catch up, a fresh element to mount into, and
//! pictures drawn and encoded by the browser.
#![allow(dead_code)]

use wasm_bindgen::JsCast;

/// Lets effects, promises, requests and dialog events run for `ms` milliseconds.
pub async fn settle(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits until `done` holds, for at most two seconds.
pub async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..100 {
        if done() {
            return;
        }
        settle(20).await;
    }
    panic!("timed out waiting until {what}");
}

/// A fresh element at the end of the body to mount a component into.
pub fn container() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div.unchecked_into()
}

/// A `width` × `height` canvas and its 2D context.
pub fn canvas(
    width: u32,
    height: u32,
) -> (
    web_sys::HtmlCanvasElement,
    web_sys::CanvasRenderingContext2d,
) {
    let canvas: web_sys::HtmlCanvasElement = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .create_element("canvas")
        .unwrap()
        .unchecked_into();
    canvas.set_width(width);
    canvas.set_height(height);
    let context = canvas.get_context("2d").unwrap().unwrap().unchecked_into();
    (canvas, context)
}

/// What `canvas` holds, encoded by the browser as `mime` at `quality`.
pub fn encoded(canvas: &web_sys::HtmlCanvasElement, mime: &str, quality: f64) -> Vec<u8> {
    let url = canvas
        .to_data_url_with_type_and_encoder_options(mime, &quality.into())
        .unwrap();
    let base64 = url.split_once(',').unwrap().1;
    web_sys::window()
        .unwrap()
        .atob(base64)
        .unwrap()
        .chars()
        .map(|c| c as u32 as u8)
        .collect()
}
