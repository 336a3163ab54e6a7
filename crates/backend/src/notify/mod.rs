//! The messages the exchange sends an investor about the application: an e-mail and an SMS for each status it
//! enters, in the application's language (zh-CN or en), queued in the `outbox` table in the transaction of the
//! status change.
//!
//! # Plugging in the exchange's gateways
//!
//! The reference backend never sends anything. A message is a row of `outbox` with `sent_at` NULL; the exchange
//! runs a delivery worker beside it that takes the unsent rows oldest first ([`unsent`]), hands each to its
//! e-mail or SMS gateway (`channel`, `recipient`, `subject`, `body`) and marks it sent ([`mark_sent`]) once the
//! gateway accepted it. Queuing in the same transaction as the status change means a message is never lost and
//! never sent for a change that did not happen. In development mode [`announce`] logs each queued message in
//! full (and `GET /api/v1/dev/outbox/{reference}` lists them); otherwise only that a message was queued, never its
//! recipient or text.
//!
//! The texts are a table in [`texts`]: one row per [`Notice`], in Chinese and in English.

use domain::api::{ApplicationStatus, ApplicationStep, Channel, OutboxMessage};
use domain::phone::mask_phone;
use rusqlite::{named_params, Connection, OptionalExtension};

use crate::util::rfc3339;

mod texts;

pub use texts::compose;

/// What happened, in the words of the message about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The application was received (first submission).
    Received,
    /// A returned application was received again after the investor fixed it.
    Resubmitted,
    ReceiptReceived,
    FeeReceived,
    Approved,
    Returned,
}

impl Notice {
    /// The status the message announces.
    pub fn status(self) -> ApplicationStatus {
        match self {
            Notice::Received | Notice::Resubmitted => ApplicationStatus::Submitted,
            Notice::ReceiptReceived => ApplicationStatus::ReceiptReceived,
            Notice::FeeReceived => ApplicationStatus::FeeReceived,
            Notice::Approved => ApplicationStatus::Approved,
            Notice::Returned => ApplicationStatus::Returned,
        }
    }
}

/// Whom the messages of an application go to, and in which language.
#[derive(Clone, Debug)]
pub struct Recipient {
    pub reference: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    /// `zh-CN` or `en` (anything else is answered in Chinese).
    pub locale: String,
}

/// What a message quotes besides the recipient's name and reference.
#[derive(Clone, Debug, Default)]
pub struct Details {
    pub account_number: Option<String>,
    pub reason: Option<String>,
    pub step: Option<ApplicationStep>,
}

fn channel_name(channel: Channel) -> &'static str {
    match channel {
        Channel::Email => "email",
        Channel::Sms => "sms",
    }
}

/// Queues the e-mail and the SMS of `notice` in the caller's transaction; the messages queued.
pub fn queue(
    conn: &Connection,
    notice: Notice,
    to: &Recipient,
    details: &Details,
    now: i64,
) -> rusqlite::Result<Vec<OutboxMessage>> {
    let messages = compose(notice, to, details, now);
    for m in &messages {
        conn.execute(
            "INSERT INTO outbox (reference, channel, recipient, subject, body, status, created_at)
             VALUES (:reference, :channel, :recipient, :subject, :body, :status, :created_at)",
            named_params! {
                ":reference": to.reference,
                ":channel": channel_name(m.channel),
                ":recipient": m.to,
                ":subject": m.subject,
                ":body": m.body,
                ":status": m.status.as_str(),
                ":created_at": now,
            },
        )?;
    }
    Ok(messages.into())
}

/// Logs messages once their transaction committed: in development mode each in full; otherwise only that it was
/// queued (never the recipient or the text).
pub fn announce(dev: bool, reference: &str, messages: &[OutboxMessage]) {
    for m in messages {
        let channel = channel_name(m.channel);
        if dev {
            let to = match m.channel {
                Channel::Email => m.to.clone(),
                Channel::Sms => mask_phone(&m.to),
            };
            tracing::info!(
                reference,
                channel,
                to,
                subject = m.subject.as_deref().unwrap_or(""),
                body = m.body,
                "message queued (development mode: not sent, shown here)"
            );
        } else {
            tracing::info!(
                reference,
                channel,
                status = m.status.as_str(),
                "message queued in the outbox"
            );
        }
    }
}

fn message_from_row(row: &rusqlite::Row) -> rusqlite::Result<OutboxMessage> {
    let channel: String = row.get("channel")?;
    let status: String = row.get("status")?;
    Ok(OutboxMessage {
        channel: if channel == "sms" {
            Channel::Sms
        } else {
            Channel::Email
        },
        to: row.get("recipient")?,
        subject: row.get("subject")?,
        body: row.get("body")?,
        status: ApplicationStatus::from_name(&status).unwrap_or(ApplicationStatus::Submitted),
        created_at: rfc3339(row.get("created_at")?),
    })
}

const MESSAGE_COLUMNS: &str =
    "id, reference, channel, recipient, subject, body, status, created_at";

/// The messages queued for an application, oldest first.
pub fn messages_of(conn: &Connection, reference: &str) -> rusqlite::Result<Vec<OutboxMessage>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM outbox WHERE reference = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([reference], message_from_row)?;
    rows.collect()
}

/// A queued message as a delivery worker sees it.
#[derive(Clone, Debug)]
pub struct Unsent {
    /// Passed to [`mark_sent`].
    pub id: i64,
    pub reference: String,
    pub message: OutboxMessage,
}

/// The gateway's side: up to `limit` messages not sent yet, oldest first.
pub fn unsent(conn: &Connection, limit: u32) -> rusqlite::Result<Vec<Unsent>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?1"
    ))?;
    let rows = stmt.query_map([limit], |row| {
        Ok(Unsent {
            id: row.get("id")?,
            reference: row.get("reference")?,
            message: message_from_row(row)?,
        })
    })?;
    rows.collect()
}

/// The gateway's side: message `id` was handed over at `now`. `false` when it was marked already (or unknown).
pub fn mark_sent(conn: &Connection, id: i64, now: i64) -> rusqlite::Result<bool> {
    let marked = conn
        .query_row(
            "UPDATE outbox SET sent_at = ?2 WHERE id = ?1 AND sent_at IS NULL RETURNING id",
            rusqlite::params![id, now],
            |r| r.get::<_, i64>(0),
        )
        .optional()?;
    Ok(marked.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delivery_worker_takes_the_unsent_messages_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.sqlite3");
        crate::db::Db::open(&path).unwrap();
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        let to = Recipient {
            reference: "HB20260315K7Q2MX".into(),
            name: "李碳".into(),
            email: "li.tan@qq.com".into(),
            phone: "13812345678".into(),
            locale: "zh-CN".into(),
        };
        let queued = queue(&conn, Notice::FeeReceived, &to, &Details::default(), 100).unwrap();
        assert_eq!(messages_of(&conn, &to.reference).unwrap(), queued);

        let waiting = unsent(&conn, 10).unwrap();
        assert_eq!(waiting.len(), 2);
        assert_eq!(waiting[0].message.channel, Channel::Email);
        assert_eq!(waiting[0].reference, to.reference);
        assert!(mark_sent(&conn, waiting[0].id, 200).unwrap());
        assert!(!mark_sent(&conn, waiting[0].id, 300).unwrap());
        let left = unsent(&conn, 10).unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].message.channel, Channel::Sms);
    }
}
