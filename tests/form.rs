//! Browser tests of the form building blocks every page uses: `Field` (label, hint, inline error, the
//! control's description), `TextInput` (its input), `ErrorSummary` (takes focus, links lead into the fields) and `Touched` (a field's
//! error waits for the click that took the focus from it).
#![cfg(target_arch = "wasm32")]

use app::components::error_summary::{ErrorItem, ErrorSummary};
use app::components::field::{described_by, Field, TextInput, Touched};
use app::i18n::I18nContextProvider;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{container, settle};

fn element(root: &web_sys::HtmlElement, selector: &str) -> web_sys::HtmlElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .unchecked_into()
}

fn active_id() -> String {
    document()
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn field_shows_its_error_only_while_there_is_one() {
    let root = container();
    let error = RwSignal::new(None::<String>);
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <Field id="t-name" label="真实姓名" hint="与证件上的姓名一致" error=error>
                <input id="t-name" aria-describedby=described_by("t-name") />
            </Field>
        }
    });
    settle(10).await;
    let label = element(&root, "label");
    assert_eq!(label.get_attribute("for").as_deref(), Some("t-name"));
    assert_eq!(
        element(&root, "#t-name-hint").text_content().unwrap(),
        "与证件上的姓名一致"
    );
    let message = element(&root, "#t-name-error");
    assert!(message.hidden(), "no error yet");
    assert!(!element(&root, ".field")
        .class_list()
        .contains("field-invalid"));

    error.set(Some("姓名不能包含数字".into()));
    settle(10).await;
    assert!(!message.hidden());
    assert_eq!(message.text_content().unwrap(), "姓名不能包含数字");
    assert!(element(&root, ".field")
        .class_list()
        .contains("field-invalid"));
    // The control is described by the hint and the error, so a screen reader reads both.
    assert_eq!(
        element(&root, "input")
            .get_attribute("aria-describedby")
            .as_deref(),
        Some("t-name-hint t-name-error")
    );

    error.set(None);
    settle(10).await;
    assert!(message.hidden());
}

#[wasm_bindgen_test]
async fn error_summary_takes_focus_and_its_links_lead_into_the_fields() {
    let root = container();
    let errors = RwSignal::new(Vec::<ErrorItem>::new());
    let attempt = RwSignal::new(0u32);
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <I18nContextProvider>
                <ErrorSummary errors=errors attempt=attempt />
                <input id="t-phone" />
                <input id="t-email" />
            </I18nContextProvider>
        }
    });
    settle(10).await;
    assert!(
        root.query_selector(".error-summary").unwrap().is_none(),
        "nothing while empty"
    );

    errors.set(vec![
        ErrorItem {
            target_id: "t-phone".into(),
            message: "请输入 11 位手机号".into(),
        },
        ErrorItem {
            target_id: "t-email".into(),
            message: "请输入邮箱".into(),
        },
    ]);
    attempt.set(1);
    settle(20).await;
    let summary = element(&root, ".error-summary");
    assert_eq!(summary.get_attribute("role").as_deref(), Some("alert"));
    assert!(document()
        .active_element()
        .unwrap()
        .is_same_node(Some(&summary)));
    let links = summary.query_selector_all("a").unwrap();
    assert_eq!(links.length(), 2);
    let second: web_sys::HtmlElement = links.item(1).unwrap().unchecked_into();
    assert_eq!(second.text_content().unwrap(), "请输入邮箱");
    assert_eq!(second.get_attribute("href").as_deref(), Some("#t-email"));
    second.click();
    settle(10).await;
    assert_eq!(active_id(), "t-email");

    // The next 下一步 with errors left takes the focus back to the summary.
    element(&root, "#t-phone").focus().unwrap();
    attempt.set(2);
    settle(20).await;
    assert!(document()
        .active_element()
        .unwrap()
        .is_same_node(Some(&summary)));

    errors.set(Vec::new());
    settle(10).await;
    assert!(root.query_selector(".error-summary").unwrap().is_none());
}

fn pointer(kind: &str) {
    let event = web_sys::Event::new(kind).unwrap();
    window().dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn a_field_left_by_pressing_a_button_shows_its_error_after_the_click() {
    let touched = StoredValue::new(None::<Touched>);
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        touched.set_value(Some(Touched::new()));
    });
    let touched = touched.get_value().unwrap();

    // Left with the keyboard: at once.
    touched.touch("t-name");
    assert!(touched.contains("t-name"));

    // Left because a button is being pressed: only once the pointer is up and the click had its turn.
    pointer("pointerdown");
    touched.touch("t-phone");
    assert!(
        !touched.contains("t-phone"),
        "shown while the button is pressed"
    );
    pointer("pointerup");
    assert!(!touched.contains("t-phone"), "shown before the click");
    settle(10).await;
    assert!(touched.contains("t-phone"));
}

#[wasm_bindgen_test]
async fn a_text_input_shows_the_value_reports_typing_and_leaving_and_is_marked_while_its_error_shows(
) {
    let root = container();
    let value = RwSignal::new("张三".to_string());
    let error = RwSignal::new(None::<String>);
    let typed = RwSignal::new(Vec::<String>::new());
    let touched = StoredValue::new(None::<Touched>);
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        let left = Touched::new();
        touched.set_value(Some(left));
        view! {
            <Field id="t-phone" label="手机号码" error=error>
                <TextInput
                    id="t-phone"
                    value=value
                    error=error
                    on_input=move |v| typed.update(|t| t.push(v))
                    touched={left}
                    {..}
                    type="tel"
                    autocomplete="tel-national"
                />
            </Field>
        }
    });
    settle(10).await;
    let input: web_sys::HtmlInputElement = element(&root, "input").unchecked_into();
    assert_eq!(input.id(), "t-phone");
    assert_eq!(input.class_name(), "input");
    // The attributes given after `{..}` reach the input.
    assert_eq!(input.type_(), "tel");
    assert_eq!(
        input.get_attribute("autocomplete").as_deref(),
        Some("tel-national")
    );
    assert_eq!(
        input.get_attribute("aria-describedby").as_deref(),
        Some("t-phone-hint t-phone-error")
    );
    assert_eq!(input.value(), "张三");
    assert_eq!(
        input.get_attribute("aria-invalid").as_deref(),
        Some("false")
    );

    input.set_value("1380013800");
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    assert_eq!(typed.get_untracked(), vec!["1380013800".to_string()]);

    value.set("13800138000".into());
    error.set(Some("请输入11位手机号码".into()));
    settle(10).await;
    assert_eq!(input.value(), "13800138000");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));

    let touched = touched.get_value().unwrap();
    assert!(!touched.contains("t-phone"));
    input
        .dispatch_event(&web_sys::Event::new("blur").unwrap())
        .unwrap();
    assert!(
        touched.contains("t-phone"),
        "leaving the input touches the field"
    );
}
