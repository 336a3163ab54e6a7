//! What needs `config.json`: it shows once the configuration has loaded, with the configuration provided to it
//! ([`crate::config::use_config`]), and the loading line until then. The entry page needs none, so it works
//! before the configuration is there. When the configuration cannot be loaded, the app's error page replaces
//! everything (`app.rs`).

use crate::components::loading::Loading;
use crate::config::{use_config_load, ConfigState};
use leptos::prelude::*;

#[component]
pub fn Configured(
    children: ChildrenFn,
    /// Nothing rather than the loading line until then (the footer, the frame's height reports).
    #[prop(optional)]
    quiet: bool,
) -> impl IntoView {
    let load = use_config_load();
    let ready = Memo::new(move |_| load.loaded().is_some());
    move || match ready.get().then(|| load.loaded_untracked()).flatten() {
        Some(config) => {
            provide_context(ConfigState(config));
            children().into_any()
        }
        None if quiet => ().into_any(),
        None => view! { <Loading /> }.into_any(),
    }
}
