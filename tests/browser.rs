//! Browser tests: Leptos components mounted in headless Chromium (wasm-bindgen-test), asserting on the DOM.
#![cfg(target_arch = "wasm32")]

use app::i18n::I18nContextProvider;
use leptos::prelude::*;
use std::collections::BTreeSet;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{container, settle};

fn text_of(root: &web_sys::HtmlElement, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .text_content()
        .unwrap_or_default()
}

fn keys(prefix: &str, value: &serde_json::Value, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                keys(&key, v, out);
            }
        }
        _ => {
            out.insert(prefix.to_string());
        }
    }
}

#[wasm_bindgen_test]
fn both_locales_have_the_same_keys() {
    let mut zh = BTreeSet::new();
    let mut en = BTreeSet::new();
    keys(
        "",
        &serde_json::from_str(include_str!("../locales/zh-CN.json")).unwrap(),
        &mut zh,
    );
    keys(
        "",
        &serde_json::from_str(include_str!("../locales/en.json")).unwrap(),
        &mut en,
    );
    let only_zh: Vec<_> = zh.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&zh).collect();
    assert!(
        only_zh.is_empty() && only_en.is_empty(),
        "only in zh-CN: {only_zh:?}; only in en: {only_en:?}"
    );
}

#[wasm_bindgen_test]
async fn language_switch_changes_text_and_html_lang() {
    use app::components::language_switch::LanguageSwitch;
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), || {
        view! {
            <I18nContextProvider>
                <LanguageSwitch />
            </I18nContextProvider>
        }
    });
    settle(10).await;
    let buttons = root.query_selector_all("button").unwrap();
    assert_eq!(buttons.length(), 2);
    let english: web_sys::HtmlElement = buttons.item(1).unwrap().unchecked_into();
    english.click();
    settle(10).await;
    let html = document().document_element().unwrap();
    assert_eq!(html.get_attribute("lang").as_deref(), Some("en"));
    assert_eq!(
        english.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    let chinese: web_sys::HtmlElement = buttons.item(0).unwrap().unchecked_into();
    chinese.click();
    settle(10).await;
    assert_eq!(html.get_attribute("lang").as_deref(), Some("zh-CN"));
    assert_eq!(
        chinese.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
}

/// The test server has no config.json, so the app must show its error page, not a blank screen or a panic.
#[wasm_bindgen_test]
async fn app_without_config_shows_readable_error_page() {
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), app::App);
    for _ in 0..50 {
        settle(50).await;
        if root.query_selector(".config-error").unwrap().is_some() {
            break;
        }
    }
    assert_eq!(text_of(&root, ".config-error h1"), "页面暂时无法打开");
    assert!(text_of(&root, ".config-error-detail").contains("config.json"));
}

#[wasm_bindgen_test]
fn config_errors_name_the_key_and_the_rule() {
    let text = include_str!("../public/config.json");
    assert!(
        app::config::parse_config(text).is_ok(),
        "the shipped config.json must be valid"
    );
    let broken = text.replace("\"help_line\"", "\"help_lines\"");
    let error = app::config::parse_config(&broken).unwrap_err();
    assert!(error.contains("help_lines"), "{error}");
    let empty_payee = text.replace("湖北碳排放权交易中心有限公司", " ");
    assert_eq!(
        app::config::parse_config(&empty_payee).unwrap_err(),
        "`fee.payee` must not be empty (config_empty_value)"
    );
}

/// A step behind the gate keeps its own state (a typed code, a countdown) while it writes to the draft.
#[wasm_bindgen_test]
async fn gated_step_keeps_its_state_while_the_draft_changes() {
    use app::components::quiz_gate::QuizGate;
    use app::draft::{ConsentRecord, DraftContext, QuizPass};
    use domain::api::QuizMode;
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), || {
        let draft = DraftContext::provide();
        draft.update(|d| {
            d.quiz_pass = Some(QuizPass {
                mode: QuizMode::BuiltIn,
                attempt_id: Some("a1".into()),
                score: 90,
            });
            d.consent = Some(ConsentRecord {
                version: "v1".into(),
                agreed_at: "2026-11-24T08:00:00Z".into(),
            });
        });
        view! {
            <leptos_router::components::Router>
                <QuizGate needs_consent=true>
                    {move || {
                        let local = RwSignal::new(0);
                        view! {
                            <button
                                id="bump"
                                on:click=move |_| {
                                    local.update(|n| *n += 1);
                                    draft.update(|d| d.identity.name.push('张'));
                                }
                            >
                                {move || local.get()}
                            </button>
                        }
                    }}
                </QuizGate>
            </leptos_router::components::Router>
        }
    });
    settle(10).await;
    let button: web_sys::HtmlElement = root
        .query_selector("#bump")
        .unwrap()
        .expect("the gate let the step through")
        .unchecked_into();
    button.click();
    settle(10).await;
    button.click();
    settle(10).await;
    assert_eq!(text_of(&root, "#bump"), "2");
    web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();
}
