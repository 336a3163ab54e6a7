//! In an iframe of another site's page: the app tells that page how tall it is, so that the page's
//! `kaihu-frame.js` sizes the iframe to it (no inner scroll bar), and on which address it is (the script
//! scrolls the frame's top into view when the investor moves to another page of the app).
//!
//! Only a parent whose origin the configuration allows (`frame_parent_origins`, plus the app's own origin) is
//! told anything, and `postMessage` names that origin, so the browser delivers nothing to any other. The
//! parent's origin is read from `location.ancestorOrigins` (Chromium, WebKit) or else from the referrer.

use crate::config::use_config;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// The `type` of the message the app posts.
pub const HEIGHT_MESSAGE: &str = "hbets-kaihu:height";

/// The origin to tell the height to: the parent's, if it is the app's own or one of `allowed`.
pub fn allowed_parent(allowed: &[String], own: &str, parent: Option<&str>) -> Option<String> {
    let parent = parent?.trim_end_matches('/');
    (parent == own || allowed.iter().any(|a| a == parent)).then(|| parent.to_string())
}

/// The origin of the page around this frame, `None` when the app is not in a frame.
fn parent_origin() -> Option<String> {
    let window = window();
    let parent = window.parent().ok().flatten()?;
    if js_sys::Object::is(&parent, &window) {
        return None;
    }
    let location = window.location();
    let ancestors = js_sys::Reflect::get(&location, &JsValue::from_str("ancestorOrigins"))
        .ok()
        .filter(|list| !list.is_undefined() && !list.is_null());
    if let Some(list) = ancestors {
        return js_sys::Reflect::get(&list, &JsValue::from(0))
            .ok()
            .and_then(|first| first.as_string());
    }
    let referrer = document().referrer();
    web_sys::Url::new(&referrer).ok().map(|url| url.origin())
}

/// The height of the app's content in CSS pixels: from the top of the app's root to the bottom of its lowest
/// part (the root itself may be stretched to the frame's height).
fn content_height(root: &web_sys::Element) -> f64 {
    let top = root.get_bounding_client_rect().top();
    let children = root.children();
    let bottom = (0..children.length())
        .filter_map(|i| children.item(i))
        .map(|child| child.get_bounding_client_rect().bottom())
        .fold(top, f64::max);
    (bottom - top).ceil()
}

/// Posts the height and the address to the parent at `origin`.
fn post(origin: &str, root: &web_sys::Element) {
    let Some(parent) = window().parent().ok().flatten() else {
        return;
    };
    let message = js_sys::Object::new();
    let path = window().location().pathname().unwrap_or_default();
    for (key, value) in [
        ("type", JsValue::from_str(HEIGHT_MESSAGE)),
        ("height", JsValue::from_f64(content_height(root))),
        ("path", JsValue::from_str(&path)),
    ] {
        let _ = js_sys::Reflect::set(&message, &JsValue::from_str(key), &value);
    }
    let _ = parent.post_message(&message, origin);
}

/// Reports the app's height to an allowed parent whenever the content changes size or the address changes.
/// Renders nothing; does nothing outside a frame or under a parent that is not allowed.
#[component]
pub fn FrameHeight() -> impl IntoView {
    let own = window().location().origin().unwrap_or_default();
    let Some(origin) = allowed_parent(
        &use_config().frame_parent_origins,
        &own,
        parent_origin().as_deref(),
    ) else {
        return;
    };
    let Some(root) = crate::mount::query(&format!(".{}", crate::ROOT_CLASS)) else {
        return;
    };
    let report = {
        let (origin, root) = (origin.clone(), root.clone());
        Closure::<dyn Fn()>::new(move || post(&origin, &root))
    };
    let observer = web_sys::ResizeObserver::new(report.as_ref().unchecked_ref()).ok();
    if let Some(observer) = &observer {
        let children = root.children();
        for child in (0..children.length()).filter_map(|i| children.item(i)) {
            observer.observe(&child);
        }
    }
    let location = use_location();
    Effect::new(move |_| {
        location.pathname.track();
        let (origin, root) = (origin.clone(), root.clone());
        request_animation_frame(move || post(&origin, &root));
    });
    // The callback lives as long as the observer; both go with the app.
    let kept = StoredValue::new_local((report, observer));
    on_cleanup(move || {
        if let Some(Some(observer)) = kept.try_with_value(|(_, observer)| observer.clone()) {
            observer.disconnect();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_allowed_parents_are_told() {
        let allowed = vec!["https://www.hbets.cn".to_string()];
        let own = "https://kaihu.hbets.cn";
        assert_eq!(
            allowed_parent(&allowed, own, Some("https://www.hbets.cn")),
            Some("https://www.hbets.cn".into())
        );
        assert_eq!(
            allowed_parent(&allowed, own, Some("https://www.hbets.cn/")),
            Some("https://www.hbets.cn".into())
        );
        assert_eq!(
            allowed_parent(&allowed, own, Some(own)),
            Some(own.to_string())
        );
        for other in [
            "https://evil.example",
            "http://www.hbets.cn",
            "https://www.hbets.cn.evil.example",
            "null",
            "",
        ] {
            assert_eq!(allowed_parent(&allowed, own, Some(other)), None, "{other}");
        }
        assert_eq!(allowed_parent(&allowed, own, None), None);
        assert_eq!(allowed_parent(&[], own, Some("https://www.hbets.cn")), None);
    }
}
