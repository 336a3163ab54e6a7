//! The application's life after submit (DESIGN §6): every status change — the investor's (a receipt uploaded, a
//! returned application sent again), an operator's (`backend review …`) or development mode's — goes through
//! [`change`]. It applies [`ApplicationStatus::after`], updates the row, writes the audit row and queues the
//! messages the exchange sends, all in the caller's transaction.

use domain::api::{
    codes, ApplicationStatus, ApplicationStep, FieldError, OutboxMessage, StatusChange, StatusEvent,
};
use rusqlite::{named_params, Connection, OptionalExtension};

use crate::error::ApiError;
use crate::notify::{self, Details, Notice, Recipient};
use crate::util::rfc3339;

/// The actor of the investor's own changes.
pub const INVESTOR: &str = "investor";
/// The actor of changes made through the development-mode endpoint.
pub const DEV: &str = "dev";

/// A status change asked for, with what it needs.
#[derive(Clone, Debug)]
pub struct StatusUpdate {
    pub change: StatusChange,
    /// [`INVESTOR`], [`DEV`] or the operator's name.
    pub actor: String,
    /// Required with [`StatusChange::Approve`].
    pub account_number: Option<String>,
    /// Required with [`StatusChange::Return`].
    pub reason: Option<String>,
    /// With [`StatusChange::Return`]: the part of the application to fix.
    pub step: Option<ApplicationStep>,
    /// With [`StatusChange::Receipt`]: the upload of the receipt (replaces an earlier one).
    pub receipt: Option<String>,
}

impl StatusUpdate {
    pub fn new(change: StatusChange, actor: impl Into<String>) -> StatusUpdate {
        StatusUpdate {
            change,
            actor: actor.into(),
            account_number: None,
            reason: None,
            step: None,
            receipt: None,
        }
    }
}

/// A change that was made.
#[derive(Clone, Debug)]
pub struct Changed {
    pub reference: String,
    pub from: ApplicationStatus,
    pub to: ApplicationStatus,
    /// The messages queued about it.
    pub messages: Vec<OutboxMessage>,
}

/// Why a change was not made.
#[derive(Debug)]
pub enum ChangeError {
    NotFound,
    /// [`ApplicationStatus::after`] has no such change from `from`.
    NotAllowed {
        from: ApplicationStatus,
        change: StatusChange,
    },
    AccountNumberMissing,
    ReasonMissing,
    Database(rusqlite::Error),
}

impl From<rusqlite::Error> for ChangeError {
    fn from(e: rusqlite::Error) -> ChangeError {
        ChangeError::Database(e)
    }
}

impl std::fmt::Display for ChangeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChangeError::NotFound => write!(f, "no application with this reference"),
            ChangeError::NotAllowed { from, change } => {
                let applies: Vec<&str> = StatusChange::ALL
                    .into_iter()
                    .filter(|c| from.after(*c).is_some())
                    .map(StatusChange::as_str)
                    .collect();
                write!(
                    f,
                    "the application is {}: `{}` does not apply to it ({})",
                    from.as_str(),
                    change.as_str(),
                    match applies.as_slice() {
                        [] => "nothing does".to_string(),
                        some => format!("what applies: {}", some.join(", ")),
                    }
                )
            }
            ChangeError::AccountNumberMissing => {
                write!(
                    f,
                    "an approved application needs its trading account number"
                )
            }
            ChangeError::ReasonMissing => write!(f, "a returned application needs the reason"),
            ChangeError::Database(e) => write!(f, "database: {e}"),
        }
    }
}

impl ChangeError {
    /// The API's answer; `not_allowed` is the code of a change that does not apply (it says to whom: the
    /// investor's `receipt_not_expected`, `application_not_returned`, or `status_change_not_allowed`).
    pub fn into_api(self, not_allowed: &str) -> ApiError {
        let message = self.to_string();
        match self {
            ChangeError::NotFound => ApiError::not_found(codes::APPLICATION_NOT_FOUND, message),
            ChangeError::NotAllowed { .. } => ApiError::conflict(not_allowed, message),
            ChangeError::AccountNumberMissing => ApiError::validation(vec![FieldError::new(
                "account_number",
                codes::ACCOUNT_NUMBER_MISSING,
                message,
            )]),
            ChangeError::ReasonMissing => ApiError::validation(vec![FieldError::new(
                "reason",
                codes::RETURNED_REASON_MISSING,
                message,
            )]),
            ChangeError::Database(e) => ApiError::from(e),
        }
    }
}

/// A trimmed text, `None` when empty.
fn text(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// The application's status and whom its messages go to.
fn load(conn: &Connection, reference: &str) -> rusqlite::Result<Option<(String, Recipient)>> {
    conn.query_row(
        "SELECT status, name, email, phone, locale FROM applications WHERE reference = ?1",
        [reference],
        |r| {
            Ok((
                r.get("status")?,
                Recipient {
                    reference: reference.to_string(),
                    name: r.get("name")?,
                    email: r.get("email")?,
                    phone: r.get("phone")?,
                    locale: r.get("locale")?,
                },
            ))
        },
    )
    .optional()
}

/// The one way an application changes status; run it in a write transaction (see
/// [`Db::write`](crate::db::Db)) and commit it with whatever else the change stores.
pub fn change(
    conn: &Connection,
    reference: &str,
    update: &StatusUpdate,
    now: i64,
) -> Result<Changed, ChangeError> {
    let account_number = text(&update.account_number);
    let reason = text(&update.reason);
    match update.change {
        StatusChange::Approve if account_number.is_none() => {
            return Err(ChangeError::AccountNumberMissing)
        }
        StatusChange::Return if reason.is_none() => return Err(ChangeError::ReasonMissing),
        _ => {}
    }
    let (stored, recipient) = load(conn, reference)?.ok_or(ChangeError::NotFound)?;
    let from = ApplicationStatus::from_name(&stored).ok_or(ChangeError::NotFound)?;
    let to = from.after(update.change).ok_or(ChangeError::NotAllowed {
        from,
        change: update.change,
    })?;
    let details = Details {
        account_number: account_number.filter(|_| to == ApplicationStatus::Approved),
        reason: reason.filter(|_| to == ApplicationStatus::Returned),
        step: update.step.filter(|_| to == ApplicationStatus::Returned),
    };
    conn.execute(
        "UPDATE applications
         SET status = :status, account_number = :account_number, returned_reason = :reason,
             returned_step = :step, fee_receipt = COALESCE(:receipt, fee_receipt), updated_at = :now
         WHERE reference = :reference",
        named_params! {
            ":status": to.as_str(),
            ":account_number": details.account_number,
            ":reason": details.reason,
            ":step": details.step.map(ApplicationStep::as_str),
            ":receipt": update.receipt,
            ":now": now,
            ":reference": reference,
        },
    )?;
    audit(
        conn,
        reference,
        Some(from),
        to,
        &update.actor,
        &details,
        now,
    )?;
    let notice = match update.change {
        StatusChange::Receipt => Notice::ReceiptReceived,
        StatusChange::FeeReceived => Notice::FeeReceived,
        StatusChange::Approve => Notice::Approved,
        StatusChange::Return => Notice::Returned,
        StatusChange::Resubmit => Notice::Resubmitted,
    };
    let messages = notify::queue(conn, notice, &recipient, &details, now)?;
    Ok(Changed {
        reference: reference.to_string(),
        from,
        to,
        messages,
    })
}

/// The first submission of a stored application: its audit row (from nothing to `submitted`, by the investor)
/// and the messages saying it was received.
pub fn submitted(
    conn: &Connection,
    reference: &str,
    now: i64,
) -> Result<Vec<OutboxMessage>, ChangeError> {
    let (_, recipient) = load(conn, reference)?.ok_or(ChangeError::NotFound)?;
    let details = Details::default();
    let to = ApplicationStatus::Submitted;
    audit(conn, reference, None, to, INVESTOR, &details, now)?;
    Ok(notify::queue(
        conn,
        Notice::Received,
        &recipient,
        &details,
        now,
    )?)
}

fn audit(
    conn: &Connection,
    reference: &str,
    from: Option<ApplicationStatus>,
    to: ApplicationStatus,
    actor: &str,
    details: &Details,
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO status_audit (reference, from_status, to_status, actor, reason, step, at)
         VALUES (:reference, :from, :to, :actor, :reason, :step, :at)",
        named_params! {
            ":reference": reference,
            ":from": from.map(ApplicationStatus::as_str),
            ":to": to.as_str(),
            ":actor": actor,
            ":reason": details.reason,
            ":step": details.step.map(ApplicationStep::as_str),
            ":at": now,
        },
    )?;
    Ok(())
}

/// One row of the audit: a status the application entered, who moved it there and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRow {
    /// `None` for the submission (and for what came before the audit was kept).
    pub from: Option<ApplicationStatus>,
    pub to: ApplicationStatus,
    pub actor: String,
    pub reason: Option<String>,
    pub step: Option<ApplicationStep>,
    /// RFC 3339.
    pub at: String,
}

/// The audit of an application, oldest first.
pub fn audit_rows(conn: &Connection, reference: &str) -> rusqlite::Result<Vec<AuditRow>> {
    let mut stmt = conn.prepare(
        "SELECT from_status, to_status, actor, reason, step, at
         FROM status_audit WHERE reference = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([reference], |r| {
        let from: Option<String> = r.get("from_status")?;
        let to: String = r.get("to_status")?;
        let step: Option<String> = r.get("step")?;
        Ok(AuditRow {
            from: from.as_deref().and_then(ApplicationStatus::from_name),
            to: ApplicationStatus::from_name(&to).unwrap_or(ApplicationStatus::Submitted),
            actor: r.get("actor")?,
            reason: r.get("reason")?,
            step: step.as_deref().and_then(ApplicationStep::from_name),
            at: rfc3339(r.get("at")?),
        })
    })?;
    rows.collect()
}

/// Every status the application has been in, oldest first, as the investor sees it.
pub fn history(conn: &Connection, reference: &str) -> rusqlite::Result<Vec<StatusEvent>> {
    Ok(audit_rows(conn, reference)?
        .into_iter()
        .map(|row| StatusEvent {
            status: row.to,
            at: row.at,
        })
        .collect())
}
