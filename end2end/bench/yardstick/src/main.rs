//! A Leptos 0.8 hello-world with two routes: the least a client-side Leptos app with a router sends and runs,
//! measured by `make bench` beside the app's first screen.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

fn main() {
    mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    view! {
        <Router>
            <nav>
                <A href="/">"首页"</A>
                " "
                <A href="/about">"关于"</A>
            </nav>
            <main>
                <Routes fallback=|| "页面不存在">
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/about") view=About />
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn Home() -> impl IntoView {
    let (count, set_count) = signal(0);
    view! {
        <h1>"你好，世界"</h1>
        <button on:click=move |_| set_count.update(|n| *n += 1)>"点击 " {count}</button>
    }
}

#[component]
fn About() -> impl IntoView {
    view! { <h1>"关于"</h1> }
}
