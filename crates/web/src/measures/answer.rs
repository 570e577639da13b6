//! Answering a check-in: the questionnaire as a plain form (a fieldset and legend per item,
//! radio buttons large enough to touch), partial answers saved, incomplete items named.
//! After the answers, a thank-you; when they show risk, a calm page with the crisis lines
//! and what happens next.

use askama::Template;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_app::Actor;
use haven_app::measures::{By, Form as CheckIn, Submitted};
use haven_domain::audit::{AuditAction, DataCategory};
use haven_domain::measures::{Answers, Problem};
use uuid::Uuid;

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::form::Form;
use crate::identity::session::Signed;
use crate::lang::Lang;
use crate::render::html;
use crate::state::AppState;

struct OptionView {
    value: i64,
    label: String,
    checked: bool,
}

struct ItemView {
    id: String,
    number: usize,
    text: String,
    options: Vec<OptionView>,
    /// "Only if you answered yes to question 2", for the C-SSRS follow-ups.
    condition: Option<String>,
    optional: bool,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "check_in.html")]
struct CheckInPage {
    chrome: Chrome,
    /// Where the form posts: `/check-ins/<id>`, or `/c/<token>` for an emailed link.
    action: String,
    title: String,
    instructions: String,
    about: String,
    items: Vec<ItemView>,
    errors: Vec<(String, String)>,
    saved: bool,
    english_only: bool,
}

#[derive(Template)]
#[template(path = "check_in_done.html")]
struct DonePage {
    chrome: Chrome,
    /// The answers showed risk: the calm page with help now.
    risk: bool,
    /// Who asked; `None` on an emailed link's page, which names nobody.
    clinician: Option<String>,
}

fn parse(id: &str) -> Result<Uuid, AppError> {
    id.parse().map_err(|_| AppError::NotFound)
}

fn page(chrome: Chrome, action: String, form: &CheckIn, answers: &Answers, problems: &[Problem], saved: bool) -> CheckInPage {
    let lang = chrome.lang();
    let i = form.instrument;
    let number_of = |id: &str| i.items.iter().position(|x| x.id == id).map_or(0, |p| p + 1);
    let items: Vec<ItemView> = i
        .items
        .iter()
        .enumerate()
        .map(|(n, item)| {
            let mut options: Vec<OptionView> = i
                .options_of(item)
                .iter()
                .map(|o| OptionView { value: o.value, label: o.label.get(lang).to_owned(), checked: answers.get(&item.id) == Some(&o.value) })
                .collect();
            if i.descending_display {
                options.reverse();
            }
            let condition = item.ask_if.as_ref().map(|c| chrome.t1("checkin-only-if-yes", "number", &number_of(&c.item).to_string()));
            let error = problems.iter().find(|p| p.item() == item.id).map(|p| match p {
                Problem::Missing(_) => chrome.t1("checkin-error-missing", "number", &(n + 1).to_string()),
                Problem::Invalid(_) => chrome.t1("checkin-error-invalid", "number", &(n + 1).to_string()),
            });
            ItemView {
                id: item.id.clone(),
                number: n + 1,
                text: item.text.get(lang).to_owned(),
                options,
                condition,
                optional: !item.required || item.show_if_score_above.is_some(),
                error,
            }
        })
        .collect();
    let errors = items.iter().filter_map(|v| v.error.clone().map(|e| (format!("item-{}", v.id), e))).collect();
    CheckInPage {
        action,
        title: i.title.get(lang).to_owned(),
        instructions: i.instructions.get(lang).to_owned(),
        about: chrome.t2("checkin-about", ("count", &i.items.len().to_string()), ("minutes", &i.minutes.to_string())),
        items,
        errors,
        saved,
        english_only: i.es_missing && lang == haven_domain::Language::Es,
        chrome,
    }
}

async fn record_read(state: &AppState, actor: &Actor, form: &CheckIn) -> Result<(), AppError> {
    let entry = haven_app::audit::Entry::about(actor, Some(form.request.practice), form.request.patient, DataCategory::Clinical, AuditAction::Read);
    Ok(state.app.cx.record(actor, entry).await?)
}

pub async fn show(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Path(id): Path<String>) -> Result<Response, AppError> {
    let form = state.app.measures.form(&actor, parse(&id)?).await?;
    record_read(&state, &actor, &form).await?;
    let chrome = Chrome::signed(&state, lang.0, &format!("/check-ins/{id}"), &actor);
    let draft = form.draft.clone();
    Ok(html(&page(chrome, format!("/check-ins/{id}"), &form, &draft, &[], false))?.into_response())
}

/// Reads `item-<id>=<value>` fields; values that aren't numbers are problems to name.
fn read_answers(fields: &[(String, String)]) -> (Answers, Vec<Problem>, bool) {
    let mut answers = Answers::new();
    let mut unreadable = Vec::new();
    for (key, value) in fields {
        let Some(item) = key.strip_prefix("item-") else { continue };
        match value.trim().parse::<i64>() {
            Ok(v) => {
                answers.insert(item.to_owned(), v);
            }
            Err(_) => unreadable.push(Problem::Invalid(item.to_owned())),
        }
    }
    let save_only = fields.iter().any(|(k, v)| k == "action" && v == "save");
    (answers, unreadable, save_only)
}

/// Answers the form, wherever it came from; `clinician` is named only when signed in.
async fn answer(
    state: &AppState,
    chrome: Chrome,
    action: String,
    by: By<'_>,
    form: &CheckIn,
    fields: &[(String, String)],
    clinician: Option<String>,
) -> Result<Response, AppError> {
    let (answers, unreadable, save_only) = read_answers(fields);
    if !unreadable.is_empty() {
        let body = html(&page(chrome, action, form, &answers, &unreadable, false))?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    }
    match state.app.measures.submit(by, form, &answers, save_only).await? {
        Submitted::Saved => Ok(html(&page(chrome, action, form, &answers, &[], true))?.into_response()),
        Submitted::Problems(problems) => {
            let body = html(&page(chrome, action, form, &answers, &problems, false))?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Submitted::Done { signal, .. } => Ok(html(&DonePage { chrome, risk: signal, clinician })?.into_response()),
    }
}

/// The emailed link: only the questionnaire, no sign-in, no names. A practice that wants
/// sign-in sends its links to the signed-in page instead.
#[derive(Template)]
#[template(path = "check_in_closed.html")]
struct ClosedPage {
    chrome: Chrome,
}

/// An emailed link's form, or (for a link answered, closed or never made) a page that says
/// so and where to go, still "not found" (every dead link looks the same).
async fn link_form(lang: Lang, state: &AppState, token: &str, source: std::net::IpAddr) -> Result<Result<CheckIn, Response>, AppError> {
    match state.app.measures.form_by_link(token, source).await {
        Ok(form) => Ok(Ok(form)),
        Err(haven_app::Error::NotFound) => {
            let page = html(&ClosedPage { chrome: Chrome::public(state, lang.0, "/c") })?;
            Ok(Err((StatusCode::NOT_FOUND, page).into_response()))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn show_link(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let form = match link_form(lang, &state, &token, peer.ip()).await? {
        Ok(form) => form,
        Err(closed) => return Ok(closed),
    };
    if state.app.measures.links_need_sign_in(&form).await? {
        return Ok(Redirect::to(&format!("/check-ins/{}", form.request.id)).into_response());
    }
    let chrome = Chrome::public(&state, lang.0, "/c");
    let draft = form.draft.clone();
    Ok(html(&page(chrome, format!("/c/{token}"), &form, &draft, &[], false))?.into_response())
}

pub async fn submit_link(
    lang: Lang,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = match link_form(lang, &state, &token, peer.ip()).await? {
        Ok(form) => form,
        Err(closed) => return Ok(closed),
    };
    if state.app.measures.links_need_sign_in(&form).await? {
        return Err(AppError::NotFound);
    }
    let chrome = Chrome::public(&state, lang.0, "/c");
    answer(&state, chrome, format!("/c/{token}"), By::Link(peer.ip()), &form, &fields, None).await
}

/// Answers arrive as `item-<id>=<value>`; `action=save` keeps them without scoring.
pub async fn submit(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = state.app.measures.form(&actor, parse(&id)?).await?;
    let chrome = Chrome::signed(&state, lang.0, &format!("/check-ins/{id}"), &actor);
    let clinician = Some(form.request.requested_by_name.clone());
    answer(&state, chrome, format!("/check-ins/{id}"), By::Person(&actor), &form, &fields, clinician).await
}
