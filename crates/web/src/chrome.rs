//! What every page's frame needs: language, who is signed in, the crisis lines.

use haven_app::i18n::Tr;
use haven_app::{Actor, SessionPolicy};
use haven_domain::crisis::dial_string;
use haven_domain::{CrisisLines, Language, Role};

/// The shared frame of every page (header, crisis link, language switch, footer).
pub struct Chrome {
    pub tr: Tr,
    /// The signed-in person's display name, if any.
    pub user_name: Option<String>,
    /// This page's path, so the language switch can come back here.
    pub path: String,
    pub crisis: CrisisLines,
    /// For signed-in pages: seconds of inactivity before the session ends (drives the
    /// idle warning).
    pub idle_seconds: Option<u64>,
    /// The signed-in person is a patient (their own access history is in the menu).
    pub patient: bool,
    /// The signed-in person works in a practice (their schedule is in the menu).
    pub staff: bool,
    /// The signed-in person runs a practice (people and audit are in the menu).
    pub admin: bool,
}

impl Chrome {
    #[must_use]
    pub fn new(lang: Language, path: &str, crisis: &CrisisLines) -> Self {
        Self {
            tr: Tr(lang),
            user_name: None,
            path: path.to_owned(),
            crisis: crisis.clone(),
            idle_seconds: None,
            patient: false,
            staff: false,
            admin: false,
        }
    }

    /// The frame of a page anyone may see.
    #[must_use]
    pub fn public(state: &crate::state::AppState, lang: Language, path: &str) -> Self {
        Self::new(lang, path, &state.app.config.crisis)
    }

    /// The frame of a signed-in person's page.
    #[must_use]
    pub fn signed(state: &crate::state::AppState, lang: Language, path: &str, actor: &Actor) -> Self {
        Self::new(lang, path, &state.app.config.crisis).for_user(actor, &state.app.config.sessions)
    }

    #[must_use]
    pub fn signed_in(mut self, name: &str) -> Self {
        self.user_name = Some(name.to_owned());
        self
    }

    /// The frame for a signed-in person, with their idle limit.
    #[must_use]
    pub fn for_user(mut self, actor: &Actor, sessions: &SessionPolicy) -> Self {
        self.user_name = Some(actor.user.display_name.clone());
        self.idle_seconds = Some(sessions.idle_for(actor.is_staff()).as_secs());
        self.patient = actor.has_role(Role::Patient);
        self.staff = actor.is_staff();
        self.admin = actor.has_role(Role::Admin);
        self
    }

    #[must_use]
    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }

    #[must_use]
    pub fn t1(&self, key: &str, name: &'static str, value: &str) -> String {
        self.tr.t1(key, name, value)
    }

    #[must_use]
    pub fn t2(&self, key: &str, a: (&'static str, &str), b: (&'static str, &str)) -> String {
        self.tr.t2(key, a, b)
    }

    #[must_use]
    pub fn asset(&self, name: &str) -> String {
        crate::assets::url(name)
    }

    #[must_use]
    pub fn lang(&self) -> Language {
        self.tr.0
    }

    #[must_use]
    pub fn lang_tag(&self) -> &'static str {
        self.tr.tag()
    }

    #[must_use]
    pub fn languages(&self) -> [Language; 2] {
        Language::ALL
    }

    #[must_use]
    pub fn is_current(&self, lang: &Language) -> bool {
        *lang == self.tr.0
    }

    #[must_use]
    pub fn emergency_dial(&self) -> String {
        dial_string(&self.crisis.emergency_number)
    }

    #[must_use]
    pub fn dial(&self, number: &str) -> String {
        dial_string(number)
    }

    #[must_use]
    pub fn note(&self, line: &haven_domain::CrisisLine) -> String {
        line.note.get(self.tr.0).to_owned()
    }
}
