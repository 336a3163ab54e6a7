//! What the browser test files share: waiting for the page to catch up, and a fresh element to mount into.
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
