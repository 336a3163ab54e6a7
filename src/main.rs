//! Entry point of the browser app: mounts [`app::App`] and nothing else — into the element
//! `<div data-hbets-kaihu …>` when the page has one (another site's page), else into the body
//! ([`app::mount`]).

fn main() {
    console_error_panic_hook::set_once();
    // The wasm's start is a task of its own; the app is built in the next ones (app::tasks).
    wasm_bindgen_futures::spawn_local(async {
        app::tasks::next_task().await;
        app::mount::mount(app::App);
    });
}
