//! Browser tests of the agreement gate (`AgreementField`): mounted in headless Chromium with the app's styles,
//! the agreement text served from a `data:` URL.
#![cfg(target_arch = "wasm32")]

use app::components::agreement::AgreementField;
use app::components::paragraphs::text_paragraphs;
use app::draft::AgreementRecord;
use app::i18n::{use_i18n, I18nContextProvider, Locale};
use domain::config::AgreementDocument;
use domain::localized::Localized;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{settle, until};

const VERSION: &str = "2026-2";
const BOX_ID: &str = "account-agreement-market_entry";

/// The app's styles, so that the text region gets its height and scrolls as in the app.
fn install_styles() {
    let document = document();
    if document
        .get_element_by_id("agreement-test-styles")
        .is_some()
    {
        return;
    }
    let style = document.create_element("style").unwrap();
    style.set_id("agreement-test-styles");
    style.set_text_content(Some(concat!(
        include_str!("../style/tokens.css"),
        include_str!("../style/base.css"),
        include_str!("../style/field.css"),
        include_str!("../style/agreement.css"),
    )));
    document.head().unwrap().append_child(&style).unwrap();
}

fn data_url(text: &str) -> String {
    format!(
        "data:text/plain;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(text))
    )
}

fn agreement(url: &str) -> AgreementDocument {
    AgreementDocument {
        id: "market_entry".into(),
        title: Localized {
            zh_cn: "入市协议书".into(),
            en: "Market Entry Agreement".into(),
        },
        url: Localized {
            zh_cn: url.into(),
            en: url.into(),
        },
        version: VERSION.into(),
    }
}

/// Long enough to need scrolling in any window.
fn long_text() -> String {
    (1..=80)
        .map(|n| format!("第{n}条　投资者应当遵守交易中心的交易规则及相关管理办法。"))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Forces zh-CN, whatever the browser's language (the provider applies that in an effect of its own).
#[component]
fn ChineseLocale() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| i18n.set_locale(Locale::zh_CN));
}

/// A mounted `AgreementField` whose record lives in a signal, as on the account page.
struct Mounted {
    root: web_sys::HtmlElement,
    record: RwSignal<Option<AgreementRecord>>,
    changes: RwSignal<Vec<Option<AgreementRecord>>>,
    error: RwSignal<Option<String>>,
    _handle: Box<dyn std::any::Any>,
}

impl Mounted {
    async fn new(agreement: AgreementDocument, initial: Option<AgreementRecord>) -> Mounted {
        install_styles();
        let document = document();
        // Whatever a failed test left behind (a panic skips `Drop`): an open modal dialog makes the page inert.
        let leftovers = document.query_selector_all(".agreement-test-root").unwrap();
        for i in 0..leftovers.length() {
            let leftover: web_sys::Element = leftovers.item(i).unwrap().unchecked_into();
            if let Some(dialog) = leftover.query_selector("dialog").unwrap() {
                dialog
                    .unchecked_into::<web_sys::HtmlDialogElement>()
                    .close();
            }
            leftover.remove();
        }
        let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
        root.set_class_name("hbets-kaihu agreement-test-root");
        document.body().unwrap().append_child(&root).unwrap();
        let record = RwSignal::new(initial);
        let changes = RwSignal::new(Vec::new());
        let error = RwSignal::new(None::<String>);
        let handle = leptos::mount::mount_to(root.clone(), move || {
            let on_change = Callback::new(move |r: Option<AgreementRecord>| {
                changes.update(|c| c.push(r.clone()));
                record.set(r);
            });
            view! {
                <I18nContextProvider>
                    <ChineseLocale />
                    <AgreementField
                        id=BOX_ID
                        agreement=agreement.clone()
                        record=record
                        on_change=on_change
                        error=error
                    />
                </I18nContextProvider>
            }
        });
        let mounted = Mounted {
            root,
            record,
            changes,
            error,
            _handle: Box::new(handle),
        };
        settle(20).await;
        mounted
    }

    fn el<T: JsCast>(&self, selector: &str) -> T {
        self.root
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no element matches {selector}"))
            .unchecked_into()
    }

    fn checkbox(&self) -> web_sys::HtmlInputElement {
        self.el(&format!("#{BOX_ID}"))
    }

    fn box_disabled(&self) -> bool {
        self.checkbox().get_attribute("aria-disabled").as_deref() == Some("true")
    }

    fn dialog(&self) -> web_sys::HtmlDialogElement {
        self.el("dialog")
    }

    fn text(&self) -> web_sys::HtmlElement {
        self.el(".agreement-text")
    }

    fn agree_button(&self) -> web_sys::HtmlButtonElement {
        self.el(".agreement-agree")
    }

    fn open_button(&self) -> web_sys::HtmlElement {
        self.el(".agreement-open")
    }

    /// Opens the dialog from the title and waits for the text.
    async fn open_and_load(&self) {
        self.open_button().click();
        until("the dialog is open", || self.dialog().open()).await;
        until("the text is loaded", || {
            self.text()
                .query_selector("p:not(.agreement-loading)")
                .unwrap()
                .is_some()
        })
        .await;
        settle(20).await;
    }

    async fn scroll_to(&self, top: i32) {
        let text = self.text();
        text.set_scroll_top(top);
        text.dispatch_event(&web_sys::Event::new("scroll").unwrap())
            .unwrap();
        settle(20).await;
    }

    async fn scroll_to_end(&self) {
        let text = self.text();
        self.scroll_to(text.scroll_height() - text.client_height())
            .await;
    }

    fn active_element(&self) -> Option<web_sys::Element> {
        document().active_element()
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        // A dialog left open would make the rest of the page inert for the next test.
        if let Some(dialog) = self.root.query_selector("dialog").ok().flatten() {
            dialog
                .unchecked_into::<web_sys::HtmlDialogElement>()
                .close();
        }
        self.root.remove();
    }
}

/// Dispatches a keydown (bubbling, cancelable) on `target`, as a keyboard would.
fn key(target: &web_sys::Element, key: &str, shift: bool) -> bool {
    let init = js_sys::Object::new();
    for (name, value) in [
        ("key", JsValue::from_str(key)),
        ("shiftKey", JsValue::from_bool(shift)),
        ("bubbles", JsValue::TRUE),
        ("cancelable", JsValue::TRUE),
    ] {
        js_sys::Reflect::set(&init, &JsValue::from_str(name), &value).unwrap();
    }
    let constructor: js_sys::Function = js_sys::Reflect::get(&window(), &"KeyboardEvent".into())
        .unwrap()
        .unchecked_into();
    let event: web_sys::Event =
        js_sys::Reflect::construct(&constructor, &js_sys::Array::of2(&"keydown".into(), &init))
            .unwrap()
            .unchecked_into();
    target.dispatch_event(&event).unwrap()
}

fn is_rfc3339_utc(s: &str) -> bool {
    s.len() >= 20 && s.ends_with('Z') && !js_sys::Date::parse(s).is_nan()
}

#[wasm_bindgen_test]
fn paragraphs_split_on_blank_lines_and_keep_line_breaks() {
    let text = "\u{feff}第一段\r\n第二行\r\n\r\n  \n第二段  \n\n\n第三段\n";
    assert_eq!(
        text_paragraphs(text),
        vec![
            "第一段\n第二行".to_string(),
            "第二段".into(),
            "第三段".into()
        ]
    );
    assert!(text_paragraphs(" \n\n").is_empty());
}

#[wasm_bindgen_test]
async fn box_starts_disabled_and_the_text_shows_as_text() {
    let text = "甲方：交易中心\n乙方：投资者\n\n<script>window.agreementInjected = 1</script>\n\n<b>不是粗体</b> & 结束";
    let m = Mounted::new(agreement(&data_url(text)), None).await;
    let checkbox = m.checkbox();
    assert!(m.box_disabled(), "the box starts disabled");
    assert!(!checkbox.checked(), "the box starts unticked");
    assert_eq!(
        m.el::<web_sys::HtmlElement>("label")
            .text_content()
            .unwrap(),
        "我已阅读并同意《入市协议书》"
    );
    assert!(!m.dialog().open());

    m.open_and_load().await;
    let dialog = m.dialog();
    let title_id = dialog.get_attribute("aria-labelledby").unwrap();
    assert_eq!(
        document()
            .get_element_by_id(&title_id)
            .unwrap()
            .text_content()
            .unwrap(),
        "《入市协议书》"
    );
    let region = m.text();
    let paragraphs = region.query_selector_all("p").unwrap();
    assert_eq!(paragraphs.length(), 3);
    assert_eq!(
        paragraphs.item(0).unwrap().text_content().unwrap(),
        "甲方：交易中心\n乙方：投资者"
    );
    assert_eq!(
        paragraphs.item(1).unwrap().text_content().unwrap(),
        "<script>window.agreementInjected = 1</script>"
    );
    assert_eq!(
        paragraphs.item(2).unwrap().text_content().unwrap(),
        "<b>不是粗体</b> & 结束"
    );
    assert!(region.query_selector("script, b").unwrap().is_none());
    assert!(js_sys::Reflect::get(&window(), &"agreementInjected".into())
        .unwrap()
        .is_undefined());
    assert_eq!(region.get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(
        m.active_element(),
        Some(region.unchecked_into::<web_sys::Element>()),
        "the focus goes into the dialog, on the text"
    );
}

#[wasm_bindgen_test]
async fn agree_needs_the_end_of_the_text_then_ticks_the_box() {
    let m = Mounted::new(agreement(&data_url(&long_text())), None).await;
    m.open_and_load().await;
    let text = m.text();
    assert!(
        text.scroll_height() > text.client_height() + 100,
        "the text scrolls inside the dialog"
    );
    let agree = m.agree_button();
    assert!(agree.disabled(), "同意 is disabled before scrolling");
    assert!(m
        .el::<web_sys::HtmlElement>(".agreement-scroll-hint")
        .text_content()
        .unwrap()
        .contains("请阅读至末尾"));

    m.scroll_to(text.scroll_height() - text.client_height() - 60)
        .await;
    assert!(agree.disabled(), "同意 stays disabled short of the end");
    assert!(m.changes.get_untracked().is_empty());
    assert!(m.box_disabled());

    m.scroll_to_end().await;
    assert!(!agree.disabled(), "同意 is enabled at the end");
    let read = m
        .record
        .get_untracked()
        .expect("reading to the end is recorded");
    assert_eq!(read.version, VERSION);
    assert!(is_rfc3339_utc(&read.opened_at), "{}", read.opened_at);
    assert_eq!(read.agreed_at, None);

    agree.click();
    until("the dialog is closed", || !m.dialog().open()).await;
    settle(20).await;
    let checkbox = m.checkbox();
    assert!(!m.box_disabled(), "the box is enabled");
    assert!(checkbox.checked(), "the box is ticked");
    let last = m.changes.get_untracked().last().cloned().flatten().unwrap();
    assert_eq!(last.version, VERSION);
    assert_eq!(last.opened_at, read.opened_at);
    let agreed_at = last.agreed_at.expect("agreed_at is recorded");
    assert!(is_rfc3339_utc(&agreed_at), "{agreed_at}");
    assert!(agreed_at >= last.opened_at);
    assert_eq!(
        m.active_element(),
        Some(m.open_button().unchecked_into::<web_sys::Element>()),
        "the focus goes back to the title that opened the dialog"
    );
}

#[wasm_bindgen_test]
async fn a_short_text_enables_agree_at_once() {
    let m = Mounted::new(agreement(&data_url("只有一句。")), None).await;
    m.open_and_load().await;
    until("同意 is enabled", || !m.agree_button().disabled()).await;
    assert!(m
        .record
        .get_untracked()
        .is_some_and(|r| r.agreed_at.is_none()));
}

#[wasm_bindgen_test]
async fn escape_and_close_close_without_agreeing() {
    let m = Mounted::new(agreement(&data_url(&long_text())), None).await;

    m.open_and_load().await;
    let not_cancelled = key(&m.text(), "Escape", false);
    assert!(!not_cancelled, "Esc is handled");
    until("Esc closed the dialog", || !m.dialog().open()).await;
    assert!(m.changes.get_untracked().is_empty());
    assert!(m.box_disabled() && !m.checkbox().checked());

    // The browser's own close request (Esc, the Android back gesture) arrives as `cancel`.
    m.open_and_load().await;
    m.dialog()
        .dispatch_event(&web_sys::Event::new("cancel").unwrap())
        .unwrap();
    until("cancel closed the dialog", || !m.dialog().open()).await;
    assert!(m.changes.get_untracked().is_empty());

    // 关闭 after reading: the box becomes available but stays unticked.
    m.open_and_load().await;
    m.scroll_to_end().await;
    m.el::<web_sys::HtmlElement>(".agreement-close").click();
    until("关闭 closed the dialog", || !m.dialog().open()).await;
    settle(20).await;
    assert!(m
        .changes
        .get_untracked()
        .iter()
        .all(|r| r.as_ref().is_some_and(|r| r.agreed_at.is_none())));
    assert!(!m.box_disabled(), "read to the end: the box can be ticked");
    assert!(!m.checkbox().checked(), "关闭 does not tick the box");
}

#[wasm_bindgen_test]
async fn tab_stays_inside_the_dialog() {
    let m = Mounted::new(agreement(&data_url(&long_text())), None).await;
    m.open_and_load().await;
    m.scroll_to_end().await;
    let text: web_sys::Element = m.text().unchecked_into();
    let close: web_sys::HtmlElement = m.el(".agreement-close");
    close.focus().unwrap();
    assert!(
        !key(&close, "Tab", false),
        "Tab on the last control is handled"
    );
    assert_eq!(m.active_element(), Some(text.clone()));
    assert!(
        !key(&text, "Tab", true),
        "Shift+Tab on the first control is handled"
    );
    assert_eq!(
        m.active_element(),
        Some(close.unchecked_into::<web_sys::Element>())
    );
}

#[wasm_bindgen_test]
async fn unticking_clears_agreed_at_and_keeps_opened_at() {
    let opened_at = "2026-03-01T08:00:00.000Z".to_string();
    let initial = AgreementRecord {
        version: VERSION.into(),
        opened_at: opened_at.clone(),
        agreed_at: Some("2026-03-01T08:01:00.000Z".into()),
    };
    let m = Mounted::new(agreement(&data_url("短文本")), Some(initial)).await;
    let checkbox = m.checkbox();
    assert!(!m.box_disabled());
    assert!(checkbox.checked());

    checkbox.click();
    settle(20).await;
    assert_eq!(
        m.record.get_untracked(),
        Some(AgreementRecord {
            version: VERSION.into(),
            opened_at: opened_at.clone(),
            agreed_at: None,
        })
    );
    assert!(!checkbox.checked());
    assert!(!m.box_disabled(), "unticked, the box stays available");

    checkbox.click();
    settle(20).await;
    assert!(!m.dialog().open(), "re-ticking needs no second reading");
    let record = m.record.get_untracked().unwrap();
    assert_eq!(record.opened_at, opened_at);
    assert!(record.agreed_at.is_some_and(|a| is_rfc3339_utc(&a)));
    assert!(checkbox.checked());
}

#[wasm_bindgen_test]
async fn a_record_of_an_older_version_leaves_the_box_disabled() {
    let old = AgreementRecord {
        version: "2025-1".into(),
        opened_at: "2025-06-01T08:00:00.000Z".into(),
        agreed_at: Some("2025-06-01T08:01:00.000Z".into()),
    };
    let m = Mounted::new(agreement(&data_url(&long_text())), Some(old.clone())).await;
    let checkbox = m.checkbox();
    assert!(m.box_disabled());
    assert!(!checkbox.checked());

    // Clicking the box opens the agreement instead of ticking it.
    checkbox.click();
    until("the dialog is open", || m.dialog().open()).await;
    assert!(!checkbox.checked());
    assert_eq!(m.record.get_untracked(), Some(old));
    assert!(
        m.agree_button().disabled(),
        "the new version must be read again"
    );
    m.el::<web_sys::HtmlElement>(".agreement-close").click();
    until("the dialog is closed", || !m.dialog().open()).await;
    assert_eq!(
        m.active_element(),
        Some(checkbox.unchecked_into::<web_sys::Element>()),
        "the focus goes back to the box that opened the dialog"
    );
}

#[wasm_bindgen_test]
async fn a_text_that_fails_to_load_says_so_and_offers_retry() {
    let m = Mounted::new(agreement("agreements/no-such-agreement.txt"), None).await;
    m.open_button().click();
    until("the failure is shown", || {
        m.root
            .query_selector(".agreement-load-failed")
            .unwrap()
            .is_some()
    })
    .await;
    let failed: web_sys::HtmlElement = m.el(".agreement-load-failed");
    assert_eq!(failed.get_attribute("role").as_deref(), Some("alert"));
    assert!(failed.text_content().unwrap().contains("加载失败"));
    assert!(m.agree_button().disabled());
    let retry: web_sys::HtmlElement = m.el(".agreement-load-failed button");
    assert_eq!(retry.text_content().unwrap(), "重试");
    retry.click();
    settle(0).await;
    until("the retry failed again", || {
        m.root
            .query_selector(".agreement-load-failed")
            .unwrap()
            .is_some()
    })
    .await;
    assert!(m.changes.get_untracked().is_empty());
}

#[wasm_bindgen_test]
async fn the_error_shows_above_the_box() {
    let m = Mounted::new(agreement(&data_url("短文本")), None).await;
    let error: web_sys::HtmlElement = m.el(&format!("#{BOX_ID}-error"));
    assert!(error.hidden());
    assert_eq!(
        m.checkbox().get_attribute("aria-describedby").as_deref(),
        Some(format!("{BOX_ID}-hint {BOX_ID}-error").as_str())
    );
    assert!(m
        .el::<web_sys::HtmlElement>(&format!("#{BOX_ID}-hint"))
        .text_content()
        .unwrap()
        .contains("阅读"));
    m.error
        .set(Some("请阅读《入市协议书》全文并点击“同意”".into()));
    settle(20).await;
    assert!(!error.hidden());
    assert_eq!(
        error.text_content().unwrap(),
        "请阅读《入市协议书》全文并点击“同意”"
    );
    assert!(m
        .el::<web_sys::HtmlElement>(".agreement-field")
        .class_list()
        .contains("field-invalid"));
}
