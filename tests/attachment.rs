//! Browser tests of the attachment field (headless Chromium, wasm-bindgen-test): files are put on the real file
//! input with a DataTransfer, as a browser does after the file dialog, and the messages shown are compared with
//! the locale file. Also the size formatting, the upload answer decoding and the upload error messages.
#![cfg(target_arch = "wasm32")]

use app::api::decode_answer;
use app::api::ApiError;
use app::components::attachment_field::{
    format_size, upload_error_message, AttachmentField, FileFacts,
};
use app::config::{parse_config, ConfigState};
use app::draft::DraftContext;
use app::i18n::*;
use app::upload::{Progress, StoredUpload};
use domain::api::{ErrorBody, UploadCreated, UploadKind};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{canvas, container, encoded, settle};

const CONFIG: &str = include_str!("../public/config.json");
const ZH: &str = include_str!("../locales/zh-CN.json");

/// A zh-CN text of the `attachment` section with its `{{ … }}` placeholders filled in.
fn zh(key: &str, args: &[(&str, &str)]) -> String {
    let locale: serde_json::Value = serde_json::from_str(ZH).unwrap();
    let mut text = locale["attachment"][key]
        .as_str()
        .unwrap_or_else(|| panic!("no attachment.{key} in zh-CN.json"))
        .to_string();
    for (name, value) in args {
        text = text.replace(&format!("{{{{ {name} }}}}"), value);
    }
    assert!(!text.contains("{{"), "unfilled placeholder in {text}");
    text
}

/// The contexts the field needs, in Chinese, with the shipped config.json.
#[component]
fn Harness(
    uploads: RwSignal<Vec<StoredUpload>>,
    #[prop(optional)] multiple: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| i18n.set_locale(Locale::zh_CN));
    provide_context(ConfigState::new(parse_config(CONFIG).unwrap()));
    DraftContext::provide();
    view! {
        <AttachmentField
            id="test-attachment"
            kind=UploadKind::IdFront
            label=|| "身份证人像面".to_string()
            multiple=multiple
            uploads=uploads
            on_change=Callback::new(move |list| uploads.set(list))
            error=Signal::derive(|| None::<String>)
        />
    }
}

fn mount(uploads: RwSignal<Vec<StoredUpload>>) -> (web_sys::HtmlElement, impl Drop) {
    let root = container();
    let mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <I18nContextProvider>
                <Harness uploads=uploads />
            </I18nContextProvider>
        }
    });
    (root, mounted)
}

/// Puts one file on the field's input and fires `change`, as the browser does after the file dialog.
fn pick(root: &web_sys::HtmlElement, name: &str, bytes: &[u8]) {
    let input: web_sys::HtmlInputElement = root
        .query_selector("#test-attachment")
        .unwrap()
        .expect("the file input has the field's id")
        .unchecked_into();
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::FilePropertyBag::new();
    options.set_type("image/jpeg");
    let file =
        web_sys::File::new_with_u8_array_sequence_and_options(&parts, name, &options).unwrap();
    let transfer = web_sys::DataTransfer::new().unwrap();
    transfer.items().add_with_file(&file).unwrap();
    input.set_files(transfer.files().as_ref());
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let change = web_sys::Event::new_with_event_init_dict("change", &init).unwrap();
    input.dispatch_event(&change).unwrap();
}

fn visible_text(root: &web_sys::HtmlElement, selector: &str) -> Option<String> {
    let element: web_sys::HtmlElement = root.query_selector(selector).unwrap()?.unchecked_into();
    (!element.hidden()).then(|| element.text_content().unwrap_or_default())
}

/// Waits (up to 2 s) until the element is shown with some text.
async fn shown_text(root: &web_sys::HtmlElement, selector: &str) -> String {
    for _ in 0..100 {
        settle(20).await;
        if let Some(text) = visible_text(root, selector).filter(|t| !t.trim().is_empty()) {
            return text;
        }
    }
    panic!(
        "nothing shown at {selector}; the field reads: {:?}",
        root.text_content()
    );
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&[0, 0, 0, 0]); // CRC, not checked by the rules
}

/// A PNG whose header declares `width` × `height` (the pixel data is a stub: nothing here decodes it).
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    png_chunk(&mut out, b"IHDR", &ihdr);
    png_chunk(&mut out, b"IDAT", &[0x78, 0x9C, 0x63, 0x00, 0x00]);
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// A real `width` × `height` PNG, drawn and encoded by the browser.
fn drawn_png(width: u32, height: u32) -> Vec<u8> {
    let (canvas, context) = canvas(width, height);
    context.set_fill_style_str("#0b6e4f");
    context.fill_rect(0.0, 0.0, f64::from(width) / 2.0, f64::from(height));
    encoded(&canvas, "image/png", 1.0)
}

/// Picks `bytes` as `name` in a fresh field and gives back the message the field shows.
async fn refusal(name: &str, bytes: &[u8]) -> String {
    let (root, _mounted) = mount(RwSignal::new(Vec::new()));
    settle(10).await;
    pick(&root, name, bytes);
    let message = shown_text(&root, ".field-error").await;
    assert!(
        root.query_selector(".attachment-item").unwrap().is_none(),
        "a refused file is not listed"
    );
    message
}

/// Headers that pass every rule over pixel data no browser can decode: refused before upload.
#[wasm_bindgen_test]
async fn a_good_header_over_broken_pixels_is_refused_as_damaged() {
    assert_eq!(
        refusal("front.png", &png(800, 600)).await,
        zh("decode_failed", &[("name", "front.png")])
    );
}

#[wasm_bindgen_test]
async fn a_pdf_named_jpg_is_named_as_a_pdf() {
    let uploads = RwSignal::new(Vec::new());
    let (root, _mounted) = mount(uploads);
    settle(10).await;
    pick(
        &root,
        "x.jpg",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
    );
    let message = shown_text(&root, ".field-error").await;
    assert_eq!(message, zh("type_pdf", &[("name", "x.jpg")]));
    assert!(message.contains("PDF"));
    let input = root.query_selector("#test-attachment").unwrap().unwrap();
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(uploads.get_untracked().is_empty(), "nothing may be stored");
    assert!(
        root.query_selector(".attachment-item").unwrap().is_none(),
        "a refused file is not listed"
    );
}

#[wasm_bindgen_test]
async fn an_empty_file_is_refused_as_empty() {
    assert_eq!(
        refusal("photo.jpg", b"").await,
        zh("empty", &[("name", "photo.jpg")])
    );
}

#[wasm_bindgen_test]
async fn a_pixel_bomb_is_refused_from_its_header() {
    let bomb = png(30_000, 30_000);
    assert!(bomb.len() < 100, "the bomb is tiny on disk");
    assert_eq!(
        refusal("bomb.png", &bomb).await,
        zh(
            "too_many_pixels",
            &[
                ("name", "bomb.png"),
                ("width", "30000"),
                ("height", "30000"),
                ("megapixels", "40")
            ]
        )
    );
}

#[wasm_bindgen_test]
async fn a_tiny_image_is_refused_as_illegible() {
    assert_eq!(
        refusal("small.png", &png(300, 200)).await,
        zh(
            "too_small",
            &[
                ("name", "small.png"),
                ("width", "300"),
                ("height", "200"),
                ("min", "400")
            ]
        )
    );
}

/// A good image gets past the checks and is listed at once; without a verified phone (no token in the draft)
/// the upload is not sent and the investor is told to verify again, with the file kept for a retry.
#[wasm_bindgen_test]
async fn a_good_image_without_verification_asks_to_verify_again() {
    web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
        .remove_item(app::draft::STORAGE_KEY)
        .unwrap();
    let (root, _mounted) = mount(RwSignal::new(Vec::new()));
    settle(10).await;
    pick(&root, "front.png", &drawn_png(800, 600));
    let failure = shown_text(&root, ".attachment-failure").await;
    assert!(failure.starts_with(&zh("token_expired", &[])), "{failure}");
    assert!(root
        .query_selector(".attachment-failure a[href$='/personal/identity']")
        .unwrap()
        .is_some());
    assert_eq!(
        visible_text(&root, ".attachment-name").as_deref(),
        Some("front.png")
    );
    assert!(
        visible_text(&root, ".field-error").is_none(),
        "a good file is not refused"
    );
    let retry = root.query_selector(".attachment-retry").unwrap();
    assert!(retry.is_some(), "a failed upload offers a retry");
    // Removing the failed item empties the list.
    let remove: web_sys::HtmlElement = root
        .query_selector(".attachment-remove")
        .unwrap()
        .unwrap()
        .unchecked_into();
    remove.click();
    settle(20).await;
    assert!(root.query_selector(".attachment-item").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn a_restored_upload_shows_name_and_size_and_can_be_removed() {
    let uploads = RwSignal::new(vec![StoredUpload {
        upload_id: "up_restored".into(),
        file_name: "身份证正面.jpg".into(),
        bytes: 1_572_864,
        width: 2560,
        height: 1920,
    }]);
    let (root, _mounted) = mount(uploads);
    settle(20).await;
    assert_eq!(
        visible_text(&root, ".attachment-name").as_deref(),
        Some("身份证正面.jpg")
    );
    assert_eq!(
        visible_text(&root, ".attachment-size").as_deref(),
        Some("1.5 MB")
    );
    let remove: web_sys::HtmlElement = root
        .query_selector(".attachment-remove")
        .unwrap()
        .unwrap()
        .unchecked_into();
    remove.click();
    settle(20).await;
    assert!(
        uploads.get_untracked().is_empty(),
        "on_change gets the list without it"
    );
    assert!(root.query_selector(".attachment-item").unwrap().is_none());
}

#[wasm_bindgen_test]
fn sizes_read_as_kilobytes_then_megabytes() {
    assert_eq!(format_size(0), "0 KB");
    assert_eq!(format_size(1), "1 KB");
    assert_eq!(format_size(1023), "1 KB");
    assert_eq!(format_size(1536), "2 KB");
    assert_eq!(format_size(200 * 1024), "200 KB");
    assert_eq!(format_size(1023 * 1024), "1023 KB");
    // 1023.6 KB would round to "1024 KB": megabytes from there.
    assert_eq!(format_size(1_048_166), "1 MB");
    assert_eq!(format_size(1024 * 1024), "1 MB");
    assert_eq!(format_size(1_572_864), "1.5 MB");
    assert_eq!(format_size(10 * 1024 * 1024), "10 MB");
    assert_eq!(format_size(10 * 1024 * 1024 + 1), "10 MB");
    assert_eq!(format_size(12_700_000), "12.1 MB");
}

#[wasm_bindgen_test]
fn upload_progress_in_whole_percent() {
    let p = |loaded, total| Progress { loaded, total };
    assert_eq!(p(0.0, Some(200.0)).percent(), Some(0));
    assert_eq!(p(199.0, Some(200.0)).percent(), Some(99));
    assert_eq!(p(200.0, Some(200.0)).percent(), Some(100));
    assert_eq!(p(300.0, Some(200.0)).percent(), Some(100));
    assert_eq!(p(10.0, None).percent(), None);
    assert_eq!(p(10.0, Some(0.0)).percent(), None);
}

#[wasm_bindgen_test]
fn upload_answers_are_decoded_like_the_api_module() {
    let created = decode_answer::<UploadCreated>(
        201,
        r#"{"upload_id":"up_1","kind":"id_front","bytes":1234,"width":800,"height":600,"format":"jpeg"}"#,
    )
    .unwrap();
    assert_eq!((created.upload_id.as_str(), created.width), ("up_1", 800));
    let refused = decode_answer::<UploadCreated>(
        415,
        r#"{"code":"attachment_type_pdf","message":"image: not an image","field":"file"}"#,
    )
    .unwrap_err();
    assert_eq!(
        (refused.status(), refused.code()),
        (Some(415), Some("attachment_type_pdf"))
    );
    assert_eq!(
        decode_answer::<UploadCreated>(502, "<html>Bad Gateway</html>").unwrap_err(),
        ApiError::Unexpected {
            status: 502,
            retry_after_s: None
        }
    );
    assert_eq!(
        decode_answer::<UploadCreated>(201, "not json").unwrap_err(),
        ApiError::Unexpected {
            status: 201,
            retry_after_s: None
        }
    );
}

/// Renders the upload error messages for a few answers of the backend, in Chinese.
#[component]
fn MessageProbe(errors: Vec<ApiError>) -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| i18n.set_locale(Locale::zh_CN));
    let images = parse_config(CONFIG).unwrap().images;
    let facts = FileFacts {
        name: "big.jpg".into(),
        bytes: 12 * 1024 * 1024,
        width: 4000,
        height: 3000,
    };
    view! {
        <ul>
            {move || {
                errors
                    .iter()
                    .map(|e| view! { <li>{upload_error_message(i18n, e, &facts, &images)}</li> })
                    .collect_view()
            }}
        </ul>
    }
}

fn api_error(status: u16, code: &str, change: impl FnOnce(&mut ErrorBody)) -> ApiError {
    let mut body = ErrorBody::new(code, "operator text");
    change(&mut body);
    ApiError::Api { status, body }
}

#[wasm_bindgen_test]
async fn server_refusals_get_messages_that_say_what_to_do() {
    let errors = vec![
        api_error(413, "payload_too_large", |b| {
            b.limit_bytes = Some(10 * 1024 * 1024)
        }),
        api_error(415, "attachment_type_heic", |_| {}),
        api_error(422, "attachment_truncated", |_| {}),
        api_error(401, "token_expired", |_| {}),
        api_error(429, "upload_limit", |b| b.retry_after_s = Some(3600)),
        api_error(429, "too_many_requests", |b| b.retry_after_s = Some(30)),
        api_error(500, "internal_error", |_| {}),
        ApiError::Network("offline".into()),
        // No answer in time; a proxy's refusals and a cut answer, which are not the contract's JSON.
        ApiError::Timeout,
        ApiError::Unexpected {
            status: 413,
            retry_after_s: None,
        },
        ApiError::Unexpected {
            status: 429,
            retry_after_s: Some(45),
        },
        ApiError::Unexpected {
            status: 201,
            retry_after_s: None,
        },
    ];
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <I18nContextProvider>
                <MessageProbe errors=errors />
            </I18nContextProvider>
        }
    });
    settle(30).await;
    let items = root.query_selector_all("li").unwrap();
    let texts: Vec<String> = (0..items.length())
        .map(|i| items.item(i).unwrap().text_content().unwrap_or_default())
        .collect();
    let name = ("name", "big.jpg");
    assert_eq!(
        texts,
        vec![
            zh("too_large", &[name, ("size", "12 MB"), ("max", "10 MB")]),
            zh("type_heic", &[name]),
            zh("truncated", &[name]),
            zh("token_expired", &[]),
            zh("upload_limit", &[]),
            zh("rate_limited", &[("seconds", "30")]),
            zh("server", &[("status", "500")]),
            zh("network", &[]),
            zh("timeout", &[]),
            zh("too_large_for_server", &[name, ("size", "12 MB")]),
            zh("rate_limited", &[("seconds", "45")]),
            zh("answer_unreadable", &[]),
        ]
    );
}
