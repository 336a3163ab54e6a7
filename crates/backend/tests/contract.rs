//! `docs/openapi.yaml` and the code agree: the backend routes exactly the documented operations, and every
//! schema example is a value of the matching `domain::api` type.

use std::collections::BTreeSet;

use domain::api::*;
use domain::attachment::ImageFormat;
use domain::id_document::DocumentType;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

fn document() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.yaml");
    let text = std::fs::read_to_string(path).expect("docs/openapi.yaml");
    serde_norway::from_str(&text).expect("docs/openapi.yaml is valid YAML")
}

fn schema(doc: &Value, name: &str) -> Value {
    doc["components"]["schemas"][name].clone()
}

#[test]
fn the_backend_routes_exactly_the_documented_operations() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], API_BASE);
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if !["get", "put", "post", "delete", "patch", "head", "options"]
                .contains(&method.as_str())
            {
                continue;
            }
            let dev_only = operation["x-dev-only"].as_bool().unwrap_or(false);
            documented.insert((method.to_uppercase(), path.clone(), dev_only));
        }
    }
    let routed: BTreeSet<(String, String, bool)> = backend::routes()
        .into_iter()
        .map(|r| (r.method.to_string(), r.path.to_string(), r.dev_only))
        .collect();
    assert_eq!(routed, documented);
}

/// `example` → type → JSON gives the example back, and the schema's `required` list is what the type
/// requires: dropping a required key fails, dropping an optional one does not.
fn round_trip<T: Serialize + DeserializeOwned>(doc: &Value, name: &str) {
    let schema = schema(doc, name);
    let example = schema
        .get("example")
        .unwrap_or_else(|| panic!("schema {name} has no example"));
    let value: T = serde_json::from_value(example.clone())
        .unwrap_or_else(|e| panic!("example of {name} does not fit the type: {e}"));
    assert_eq!(
        &serde_json::to_value(&value).unwrap(),
        example,
        "example of {name} changes in a round trip"
    );
    let required: BTreeSet<&str> = schema["required"]
        .as_array()
        .map(|r| r.iter().map(|v| v.as_str().unwrap()).collect())
        .unwrap_or_default();
    let properties = schema["properties"].as_object().unwrap();
    for name_in_schema in &required {
        assert!(
            properties.contains_key(*name_in_schema),
            "{name}.{name_in_schema} is required but not a property"
        );
    }
    for key in example.as_object().unwrap().keys() {
        assert!(
            properties.contains_key(key),
            "{name}.{key} is not in the schema"
        );
        let mut without = example.clone();
        without.as_object_mut().unwrap().remove(key);
        let accepted = serde_json::from_value::<T>(without).is_ok();
        assert_eq!(
            accepted,
            !required.contains(key.as_str()),
            "{name}.{key}: required in the schema = {}, but the type {}",
            required.contains(key.as_str()),
            if accepted {
                "accepts it missing"
            } else {
                "needs it"
            }
        );
    }
}

#[test]
fn every_example_is_a_value_of_its_type() {
    let doc = document();
    type Check = fn(&Value, &str);
    let checks: Vec<(&str, Check)> = vec![
        ("Error", round_trip::<ErrorBody>),
        ("FieldError", round_trip::<FieldError>),
        ("Health", round_trip::<Health>),
        ("SmsCodeRequest", round_trip::<SmsCodeRequest>),
        ("SmsCodeSent", round_trip::<SmsCodeSent>),
        ("SmsVerifyRequest", round_trip::<SmsVerifyRequest>),
        ("SmsVerified", round_trip::<SmsVerified>),
        ("UsernameAvailability", round_trip::<UsernameAvailability>),
        ("UploadCreated", round_trip::<UploadCreated>),
        ("QuizAttemptRequest", round_trip::<QuizAttemptRequest>),
        ("QuizAttemptResult", round_trip::<QuizAttemptResult>),
        ("QuizAnswer", round_trip::<QuizAnswer>),
        ("Identity", round_trip::<Identity>),
        ("Account", round_trip::<Account>),
        ("Attachments", round_trip::<Attachments>),
        ("AgreementAcceptance", round_trip::<AgreementAcceptance>),
        ("Consent", round_trip::<Consent>),
        ("ApplicationRequest", round_trip::<ApplicationRequest>),
        ("ApplicationCreated", round_trip::<ApplicationCreated>),
        (
            "ApplicationStatusResponse",
            round_trip::<ApplicationStatusResponse>,
        ),
        ("StatusEvent", round_trip::<StatusEvent>),
        ("StatusLookupRequest", round_trip::<StatusLookupRequest>),
        ("UploadSummary", round_trip::<UploadSummary>),
        ("StoredAccount", round_trip::<StoredAccount>),
        ("StoredAttachments", round_trip::<StoredAttachments>),
        ("StoredApplication", round_trip::<StoredApplication>),
        ("OutboxMessage", round_trip::<OutboxMessage>),
        ("DevSmsCode", round_trip::<DevSmsCode>),
        ("DevStatusUpdate", round_trip::<DevStatusUpdate>),
        ("DevApplicationRecord", round_trip::<DevApplicationRecord>),
    ];
    for (name, check) in &checks {
        check(&doc, name);
    }
    // Every object schema with an example is checked (the multipart forms have no JSON type).
    let checked: BTreeSet<&str> = checks.iter().map(|(name, _)| *name).collect();
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        if schema["type"] == "object" && !["UploadForm", "ReceiptForm"].contains(&name.as_str()) {
            assert!(
                checked.contains(name.as_str()),
                "schema {name} is not checked"
            );
        }
    }
}

#[test]
fn the_ready_made_error_answers_are_error_bodies() {
    let doc = document();
    for (name, response) in doc["components"]["responses"].as_object().unwrap() {
        let example = &response["content"]["application/json"]["example"];
        let body: ErrorBody = serde_json::from_value(example.clone())
            .unwrap_or_else(|e| panic!("example of response {name}: {e}"));
        assert_eq!(&serde_json::to_value(&body).unwrap(), example, "{name}");
    }
}

fn enum_names<T: Serialize>(values: &[T]) -> BTreeSet<String> {
    values
        .iter()
        .map(|v| {
            serde_json::to_value(v)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn enums_list_the_same_values() {
    let doc = document();
    let documented = |name: &str| -> BTreeSet<String> {
        schema(&doc, name)["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} has no enum"))
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(documented("UploadKind"), enum_names(&UploadKind::ALL));
    assert_eq!(documented("AgreementId"), enum_names(&AgreementId::ALL));
    assert_eq!(
        documented("ApplicationStatus"),
        enum_names(&ApplicationStatus::ALL)
    );
    assert_eq!(
        documented("ApplicationStep"),
        enum_names(&ApplicationStep::ALL)
    );
    assert_eq!(
        documented("Channel"),
        enum_names(&[Channel::Email, Channel::Sms])
    );
    assert_eq!(
        documented("QuizMode"),
        enum_names(&[QuizMode::BuiltIn, QuizMode::SelfDeclared])
    );
    assert_eq!(documented("DocumentType"), enum_names(&DocumentType::ALL));
    assert_eq!(
        documented("ImageFormat"),
        enum_names(&[ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::Gif])
    );
    let locales: BTreeSet<String> = LOCALES.iter().map(|l| l.to_string()).collect();
    assert_eq!(documented("Locale"), locales);
}
