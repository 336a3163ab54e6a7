//! A part of the page built in a later task of the browser than the rest ([`crate::tasks`]).

use leptos::prelude::*;

/// Renders its children one task after the component itself: nothing shows in between.
#[component]
pub fn NextTask(children: ChildrenFn) -> impl IntoView {
    let ready = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        crate::tasks::next_task().await;
        ready.try_set(true);
    });
    move || ready.get().then(|| children())
}
