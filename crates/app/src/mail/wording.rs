//! The words of Haven's account mail, in the recipient's language. An invitation says who
//! invited and links to the sign-up; a reset links to the form; nothing more.

use haven_domain::Language;

use super::Mail;

#[must_use]
pub fn invitation(lang: Language, to: &str, name: &str, practice: &str, link: &str) -> Mail {
    Mail {
        calendar: None,
        to: to.to_owned(),
        subject: crate::mail::worded(lang, "mail-invite-subject", &[("practice", practice)]),
        body: crate::mail::worded(lang, "mail-invite-body", &[("name", name), ("practice", practice), ("link", link)]),
    }
}

#[must_use]
pub fn password_reset(lang: Language, to: &str, link: &str) -> Mail {
    Mail {
        calendar: None,
        to: to.to_owned(),
        subject: crate::mail::worded(lang, "mail-reset-subject", &[]),
        body: crate::mail::worded(lang, "mail-reset-body", &[("link", link)]),
    }
}
