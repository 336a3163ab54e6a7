//! Entry point of the browser app: mounts [`app::App`] and nothing else — into the element
//! `<div data-hbets-kaihu …>` when the page has one (another site's page), else into the body
//! ([`app::mount`]).

fn main() {
    console_error_panic_hook::set_once();
    app::mount::mount(app::App);
}
