//! The lower part of a long page, rendered once the page's first frame is on the screen.
//!
//! Going to the next step builds the new page, then lays it out and paints it before the investor sees anything.
//! On a phone only the page's top fits the screen: what lies below it is built right after that first frame, so
//! the step answers sooner (issue 13: 下一步 → next page painted). The part below waits one frame, about 16 ms at
//! full speed; until then an empty block a screen high holds its place, so that what follows the page (the help
//! line) never shows halfway up and then jumps down. A field named in the address (`#id`: the check-answers
//! page's 修改 links, a server error taken back to its field) is focused once it is there: see
//! [`crate::components::error_summary::focus_fragment_field`], which waits for it.

use leptos::either::Either;
use leptos::prelude::*;
use std::time::Duration;

#[component]
pub fn AfterFirstPaint(children: ChildrenFn) -> impl IntoView {
    let painted = RwSignal::new(false);
    // A frame callback runs just before the frame is painted; a task queued from it runs after the paint.
    request_animation_frame(move || {
        set_timeout(
            move || {
                painted.try_set(true);
            },
            Duration::ZERO,
        )
    });
    move || {
        if painted.get() {
            Either::Left(children())
        } else {
            Either::Right(view! { <div class="after-first-paint" aria-hidden="true"></div> })
        }
    }
}
