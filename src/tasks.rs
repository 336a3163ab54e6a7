//! Work spread over the browser's tasks and frames: the start-up split into short tasks, and waiting frame by
//! frame for what a page is about to show ([`each_frame_until`]).
//!
//! The browser paints and answers a tap only between tasks. Built in one task, the app kept a phone (4× slower
//! than this machine) from answering for about 100 ms, once its entry page was already on the screen; in
//! Lighthouse's mobile preset that was most of a Total Blocking Time of 370–440 ms (issue 13). The app is started
//! in steps instead, each a task of its own, of 10-30 ms here:
//!
//! 1. the wasm starts (`main.rs`);
//! 2. the language is set up ([`crate::App`]);
//! 3. the page frame: the header and the language switch;
//! 4. the configuration's load, the router and the footer;
//! 5. the configuration's reader is fetched, and, a task later, the file ([`crate::config::ConfigLoad`]);
//! 6. the router's routes and the page ([`crate::routes::AppRoutes`]);
//! 7. once the configuration has come, it is read; what waited for it is built a task later.
//!
//! Each step is a [`crate::components::next_task::NextTask`] or an `await` of [`next_task`].

use leptos::prelude::request_animation_frame;
use wasm_bindgen::JsCast;

/// Resolves in a later task of the browser, after whatever the browser has queued meanwhile (a paint, a tap).
pub async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let queued = web_sys::window()
            .map(|window| window.set_timeout_with_callback(resolve.unchecked_ref()));
        if !matches!(queued, Some(Ok(_))) {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Runs `attempt` before each of the next frames, `frames` of them at the most, until it returns `true`: done,
/// or given up. For what a page is about to show (a new page's heading, a field named in the address): a page
/// whose code or configuration is still on its way shows it only some frames later.
pub fn each_frame_until(frames: u32, attempt: impl Fn() -> bool + 'static) {
    if frames == 0 {
        return;
    }
    request_animation_frame(move || {
        if !attempt() {
            each_frame_until(frames - 1, attempt);
        }
    });
}
