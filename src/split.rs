//! The parts of the wasm that trunk's split step (tools/split-wasm.sh, with the `split` feature) moves out of the
//! first download: the later pages ([`crate::routes`]) and the reader of `config.json` ([`crate::config`]). Each
//! is fetched the first time it is needed, or earlier in the background.

/// A part of the wasm could not be fetched: no network, a server error, or a newer build replaced it. Nothing is
/// remembered of the failure: the next call fetches the part afresh.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotLoaded;

impl From<leptos::wasm_split::SplitLoaderError> for NotLoaded {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        NotLoaded
    }
}
