//! The 网上开户 entry page: 个人用户 (this wizard) or 企业用户.

use crate::i18n::*;
use crate::routes::Page;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn EntryPage() -> impl IntoView {
    let i18n = use_i18n();
    // The entry page written into index.html gives way to this one, built in the same task, in the language chosen
    // on it meanwhile (index.html remembers a choice made there before the app had loaded).
    Effect::new(move |_| {
        crate::first_screen::take_over(move || {
            if let Some(chosen) = crate::locale::stored_locale() {
                if chosen != i18n.get_locale_untracked() {
                    i18n.set_locale(chosen);
                }
            }
        });
    });
    view! {
        <section class="entry">
            <h1>{t!(i18n, entry.title)}</h1>
            <p class="entry-lead">{t!(i18n, entry.lead)}</p>
            <ul class="entry-choices">
                <li class="entry-choice">
                    <h2>{t!(i18n, entry.personal_title)}</h2>
                    <p>{t!(i18n, entry.personal_body)}</p>
                    <A href=Page::QuizNotice.href() attr:class="button button-primary">
                        {t!(i18n, entry.start)}
                    </A>
                </li>
                <li class="entry-choice">
                    <h2>{t!(i18n, entry.enterprise_title)}</h2>
                    <p>{t!(i18n, entry.enterprise_body)}</p>
                    <A href=Page::Enterprise.href() attr:class="button button-secondary">
                        {t!(i18n, entry.start)}
                    </A>
                </li>
            </ul>
        </section>
    }
}
