//! Reusable widgets, one per file, each styled by the CSS file of the same name under `style/`.

pub mod after_first_paint;
pub mod agreement;
pub mod attachment_field;
pub mod configured;
pub mod copy_value;
pub mod error_summary;
pub mod field;
pub mod help_line;
pub mod language_switch;
pub mod layout;
pub mod lazy_page;
pub mod loading;
pub mod next_task;
pub mod page_focus;
pub mod paragraphs;
pub mod quiz_gate;
pub mod sms_code;
pub mod step_indicator;
pub mod tracked_status;
