//! 下载客户端 — the last step: the PC trading client's download page, what comes after (signing, the bank card,
//! funds) and the help line.

use crate::components::help_line::HelpLine;
use crate::components::step_indicator::{OpeningProgress, OpeningStep};
use crate::config::use_config;
use crate::i18n::*;
use crate::routes::Page;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn ClientPage() -> impl IntoView {
    let i18n = use_i18n();
    let download = use_config().client_download_url.clone();
    view! {
        <section class="client">
            <OpeningProgress current=OpeningStep::Client />
            <h1>{t!(i18n, client.title)}</h1>
            <p>{t!(i18n, client.lead)}</p>
            <p>
                <a class="button button-primary" href=download target="_blank" rel="noopener noreferrer">
                    {t!(i18n, client.download)}
                    <span class="visually-hidden">{t!(i18n, common.opens_in_new_tab)}</span>
                </a>
            </p>
            <h2>{t!(i18n, client.next_title)}</h2>
            <ol class="next-steps">
                <li>{t!(i18n, client.next_sign)}</li>
                <li>{t!(i18n, client.next_bank)}</li>
                <li>{t!(i18n, client.next_deposit)}</li>
            </ol>
            <p>{t!(i18n, client.help)} " " <HelpLine /></p>
            <p>
                <A href=Page::Status.href()>{t!(i18n, fee.status_link)}</A>
            </p>
        </section>
    }
}
