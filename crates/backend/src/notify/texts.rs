//! The texts of the messages, in both languages: one row per notice, filled in with the application's details.

use domain::api::{ApplicationStep, Channel, OutboxMessage};

use super::{Details, Notice, Recipient};
use crate::util::rfc3339;

/// One message in both languages: the e-mail's subject and body, and the SMS.
struct Text {
    subject: &'static str,
    email: &'static str,
    sms: &'static str,
}

/// The texts: `{name}`, `{reference}`, `{account_number}`, `{reason}` and `{step}` are filled in.
const TEXTS: [(Notice, Text, Text); 6] = [
    (
        Notice::Received,
        Text {
            subject: "开户申请已收到（编号 {reference}）",
            email: "{name}，您好：\n\n湖北碳排放权交易中心已收到您的网上开户申请，申请编号 {reference}。\n\n\
                    下一步：请按开户页面上的说明缴纳开户费，并在“申请状态”页面上传转账凭证。交易中心确认开户费到账后\
                    审核您的申请，结果将以电子邮件和短信通知您。\n\n凭申请编号和手机号可随时在“申请状态”页面查看进度。",
            sms: "【湖北碳排放权交易中心】您的开户申请已收到，编号 {reference}。请缴纳开户费，并在申请状态页上传转账凭证。",
        },
        Text {
            subject: "Your application has been received (reference {reference})",
            email: "Dear {name},\n\nThe Hubei Carbon Emission Exchange has received your online account \
                    application, reference {reference}.\n\nNext: pay the account-opening fee as the application page \
                    describes, then upload the transfer receipt on the application status page. Once the fee has \
                    arrived, the exchange reviews your application and tells you the result by e-mail and SMS.\n\n\
                    You can follow your application on the status page with its reference and your mobile number.",
            sms: "[Hubei Carbon Emission Exchange] Application {reference} received. Please pay the \
                  account-opening fee and upload the transfer receipt on the status page.",
        },
    ),
    (
        Notice::Resubmitted,
        Text {
            subject: "修改后的开户申请已收到（编号 {reference}）",
            email: "{name}，您好：\n\n交易中心已收到您修改后重新提交的开户申请，申请编号不变：{reference}。\
                    我们将重新审核，结果将以电子邮件和短信通知您。\n\n如尚未缴纳开户费，请按开户页面上的说明缴纳，\
                    并在“申请状态”页面上传转账凭证。",
            sms: "【湖北碳排放权交易中心】您修改后的开户申请 {reference} 已收到，我们将重新审核。",
        },
        Text {
            subject: "Your corrected application has been received (reference {reference})",
            email: "Dear {name},\n\nThe exchange has received your corrected application; its reference stays \
                    {reference}. We will review it again and tell you the result by e-mail and SMS.\n\nIf you have \
                    not paid the account-opening fee yet, pay it as the application page describes and upload the \
                    transfer receipt on the status page.",
            sms: "[Hubei Carbon Emission Exchange] Your corrected application {reference} has been received and \
                  will be reviewed again.",
        },
    ),
    (
        Notice::ReceiptReceived,
        Text {
            subject: "转账凭证已收到（编号 {reference}）",
            email: "{name}，您好：\n\n交易中心已收到您为开户申请 {reference} 上传的开户费转账凭证。\
                    核对到账后我们将通知您，无需再通过电子邮件发送凭证。",
            sms: "【湖北碳排放权交易中心】申请 {reference} 的开户费转账凭证已收到，核对到账后将通知您。",
        },
        Text {
            subject: "Fee receipt received (reference {reference})",
            email: "Dear {name},\n\nThe exchange has received the receipt of your account-opening fee transfer \
                    for application {reference}. We will let you know once the payment is confirmed; there is no \
                    need to e-mail the receipt as well.",
            sms: "[Hubei Carbon Emission Exchange] The fee receipt for application {reference} has been received. \
                  We will confirm once the payment has arrived.",
        },
    ),
    (
        Notice::FeeReceived,
        Text {
            subject: "开户费已到账（编号 {reference}）",
            email: "{name}，您好：\n\n交易中心已确认收到您的开户费，申请 {reference} 正在审核中。\
                    审核结果将以电子邮件和短信通知您。",
            sms: "【湖北碳排放权交易中心】申请 {reference} 的开户费已到账，正在审核，结果将另行通知。",
        },
        Text {
            subject: "Account-opening fee received (reference {reference})",
            email: "Dear {name},\n\nThe exchange has received your account-opening fee; application {reference} \
                    is now being reviewed. You will be told the result by e-mail and SMS.",
            sms: "[Hubei Carbon Emission Exchange] The fee for application {reference} has arrived; your \
                  application is being reviewed.",
        },
    ),
    (
        Notice::Approved,
        Text {
            subject: "开户成功：您的交易账号 {account_number}",
            email: "{name}，您好：\n\n您的开户申请 {reference} 已通过审核，交易账号为 {account_number}。\n\n\
                    接下来：交易中心将另行通过电子邮件发送签约文件和银行卡绑定（出入金）材料，请按邮件说明签署、绑定\
                    银行卡并入金；然后在交易中心官网“快速通道 → 客户端下载”下载 PC 客户端，用交易账号登录。",
            sms: "【湖北碳排放权交易中心】您的开户申请 {reference} 已通过，交易账号 {account_number}。\
                  签约及银行卡绑定材料将通过电子邮件发送，请留意查收。",
        },
        Text {
            subject: "Account opened: your trading account {account_number}",
            email: "Dear {name},\n\nYour application {reference} has been approved. Your trading account number \
                    is {account_number}.\n\nNext: the exchange will e-mail you the documents to sign and the forms \
                    for binding a bank card for deposits and withdrawals. Sign them and bind your card as that \
                    e-mail describes, deposit funds, then download the PC client from the exchange's website \
                    (Quick access → Client download) and log in with your trading account.",
            sms: "[Hubei Carbon Emission Exchange] Application {reference} approved: trading account \
                  {account_number}. The signing and bank-card documents follow by e-mail.",
        },
    ),
    (
        Notice::Returned,
        Text {
            subject: "开户申请需要修改（编号 {reference}）",
            email: "{name}，您好：\n\n您的开户申请 {reference} 需要修改后重新提交。\n\n原因：{reason}\n\
                    需要修改：{step}\n\n请在“申请状态”页面（凭申请编号和手机号）打开申请，修改“{step}”后重新提交；\
                    申请编号不变。",
            sms: "【湖北碳排放权交易中心】您的开户申请 {reference} 需要修改：{reason}。请在申请状态页修改“{step}”后\
                  重新提交。",
        },
        Text {
            subject: "Your application needs a correction (reference {reference})",
            email: "Dear {name},\n\nYour application {reference} needs a correction before it can be approved.\n\n\
                    Reason: {reason}\nTo fix: {step}\n\nOpen the application on the status page (with its \
                    reference and your mobile number), correct {step} and submit it again. The reference stays \
                    the same.",
            sms: "[Hubei Carbon Emission Exchange] Application {reference} needs a correction: {reason}. Please \
                  correct {step} on the status page and submit again.",
        },
    ),
];

/// The step to fix, as the messages name it (zh-CN, en); `None`: the operator did not name one.
fn step_words(step: Option<ApplicationStep>) -> (&'static str, &'static str) {
    match step {
        Some(ApplicationStep::Quiz) => ("入市测试", "the market-entry test"),
        Some(ApplicationStep::Identity) => ("身份信息", "your identity details"),
        Some(ApplicationStep::Account) => ("账户信息", "your account details"),
        Some(ApplicationStep::Attachments) => ("上传附件", "the attachments"),
        Some(ApplicationStep::Agreements) => ("协议确认", "the agreements"),
        None => ("申请内容", "the application"),
    }
}

/// `template` with each `{key}` replaced by its value (in one pass: a value is never read as a template).
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let value = after.find('}').and_then(|end| {
            let key = &after[..end];
            values
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v, end))
        });
        match value {
            Some((value, end)) => {
                out.push_str(value);
                rest = &after[end + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The e-mail and the SMS of `notice` for `to`, as they are queued.
pub fn compose(
    notice: Notice,
    to: &Recipient,
    details: &Details,
    created_at: i64,
) -> [OutboxMessage; 2] {
    let english = to.locale == "en";
    let (_, zh, en) = TEXTS
        .iter()
        .find(|(n, _, _)| *n == notice)
        .expect("every notice has its texts");
    let text = if english { en } else { zh };
    let (step_zh, step_en) = step_words(details.step);
    let values = [
        ("name", to.name.as_str()),
        ("reference", to.reference.as_str()),
        (
            "account_number",
            details.account_number.as_deref().unwrap_or(""),
        ),
        ("reason", details.reason.as_deref().unwrap_or("")),
        ("step", if english { step_en } else { step_zh }),
    ];
    let message = |channel, to: &str, subject: Option<String>, body| OutboxMessage {
        channel,
        to: to.to_string(),
        subject,
        body,
        status: notice.status(),
        created_at: rfc3339(created_at),
    };
    [
        message(
            Channel::Email,
            &to.email,
            Some(fill(text.subject, &values)),
            fill(text.email, &values),
        ),
        message(Channel::Sms, &to.phone, None, fill(text.sms, &values)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recipient(locale: &str) -> Recipient {
        Recipient {
            reference: "HB20260315K7Q2MX".into(),
            name: "李碳".into(),
            email: "li.tan@qq.com".into(),
            phone: "13812345678".into(),
            locale: locale.into(),
        }
    }

    #[test]
    fn templates_are_filled_in_one_pass() {
        let values = [("reason", "{name} unclear"), ("name", "Li")];
        assert_eq!(
            fill("{name}: {reason} {unknown} {", &values),
            "Li: {name} unclear {unknown} {"
        );
    }

    #[test]
    fn every_notice_has_both_channels_in_both_languages_with_nothing_left_to_fill() {
        let details = Details {
            account_number: Some("880012345".into()),
            reason: Some("资产证明看不清".into()),
            step: Some(ApplicationStep::Attachments),
        };
        for (notice, _, _) in &TEXTS {
            for locale in ["zh-CN", "en"] {
                let [email, sms] = compose(*notice, &recipient(locale), &details, 0);
                assert_eq!((email.channel, sms.channel), (Channel::Email, Channel::Sms));
                assert_eq!(email.to, "li.tan@qq.com");
                assert_eq!(sms.to, "13812345678");
                assert!(sms.subject.is_none());
                for text in [email.subject.as_deref().unwrap(), &email.body, &sms.body] {
                    assert!(!text.contains('{'), "{notice:?} {locale}: {text}");
                    assert!(text.contains("HB20260315K7Q2MX") || text.contains("880012345"));
                }
                assert_eq!(email.status, notice.status());
            }
        }
    }

    #[test]
    fn a_returned_application_is_told_the_reason_and_the_step() {
        let details = Details {
            reason: Some("资产证明看不清".into()),
            step: Some(ApplicationStep::Attachments),
            ..Details::default()
        };
        let [email, sms] = compose(Notice::Returned, &recipient("zh-CN"), &details, 0);
        assert!(email.body.contains("资产证明看不清") && email.body.contains("上传附件"));
        assert!(sms.body.contains("资产证明看不清"));
        let [email, _] = compose(Notice::Returned, &recipient("en"), &details, 0);
        assert!(
            email.body.contains("Reason: 资产证明看不清") && email.body.contains("the attachments")
        );
    }
}
