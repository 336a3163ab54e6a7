//! 企业用户: what an enterprise needs and how it applies (text and contact from the config). There is no
//! online flow for enterprises yet, and this page does not pretend otherwise.

use crate::components::paragraphs::Paragraphs;
use crate::config::use_config;
use crate::i18n::*;
use crate::routes::Page;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn EnterprisePage() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let phone = config.enterprise.contact_phone.clone();
    let email = config.enterprise.contact_email.clone();
    view! {
        <section class="enterprise">
            <h1>{t!(i18n, enterprise.title)}</h1>
            <p class="enterprise-lead">{t!(i18n, enterprise.lead)}</p>
            <div class="enterprise-info"><Paragraphs text=config.enterprise.info.clone() /></div>
            <h2>{t!(i18n, enterprise.contact_title)}</h2>
            <dl class="enterprise-contact">
                <dt>{t!(i18n, enterprise.phone_label)}</dt>
                <dd>
                    <a href=format!("tel:{phone}")>{phone.clone()}</a>
                </dd>
                <dt>{t!(i18n, enterprise.email_label)}</dt>
                <dd>
                    <a href=format!("mailto:{email}")>{email.clone()}</a>
                </dd>
            </dl>
            <p>
                <A href=Page::QuizNotice.href()>{t!(i18n, enterprise.personal_instead)}</A>
            </p>
        </section>
    }
}
