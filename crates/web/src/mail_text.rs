//! The words of Haven's emails, in the recipient's language. Emails carry no clinical
//! detail: an invitation says who invited and links to the sign-up; a reset links to the form.

use haven_domain::Language;
use haven_store::NewMail;

use crate::i18n::translate;

pub fn invitation(lang: Language, to: &str, name: &str, practice: &str, link: &str) -> NewMail {
    NewMail {
        calendar: None,
        to: to.to_owned(),
        subject: translate(lang, "mail-invite-subject", &[("practice", practice)]),
        body: translate(lang, "mail-invite-body", &[("name", name), ("practice", practice), ("link", link)]),
    }
}

pub fn password_reset(lang: Language, to: &str, link: &str) -> NewMail {
    NewMail {
        calendar: None,
        to: to.to_owned(),
        subject: translate(lang, "mail-reset-subject", &[]),
        body: translate(lang, "mail-reset-body", &[("link", link)]),
    }
}
