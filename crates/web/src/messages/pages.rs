//! The messages list, a thread's page (with the compose form), sending by form post, and
//! downloading a file. The compose box always says when to expect a reply and where
//! immediate help is.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect, Response};
use haven_app::Actor;
use haven_app::messaging::files;
use haven_app::when;
use haven_domain::{AttachmentId, Role};
use haven_store::{StoredMessage, Thread};

use crate::access::Scoped;
use crate::booking::viewer_zone;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::identity::session::Signed;
use crate::lang::Lang;
use crate::render::{html, parse_id};
use crate::state::AppState;

/// How many of the newest messages a page shows.
const PAGE: i64 = 500;

struct ThreadRow {
    link: String,
    name: String,
    unread: i64,
    /// The patient has no clinician yet: the front desk answers.
    no_care_team: bool,
}

#[derive(Template)]
#[template(path = "messages.html")]
struct ListPage {
    chrome: Chrome,
    threads: Vec<ThreadRow>,
}

/// Threads the person takes part in, with their unread counts (one query).
pub async fn list(lang: Lang, State(state): State<AppState>, Signed(actor): Signed) -> Result<Response, AppError> {
    let chrome = Chrome::signed(&state, lang.0, "/messages", &actor);
    let threads: Vec<ThreadRow> = state
        .app
        .messaging
        .inbox(&actor)
        .await?
        .into_iter()
        .map(|t| ThreadRow {
            link: format!("/messages/{}", t.thread.id),
            name: if t.thread.patient == actor.id() { t.practice_name } else { t.patient_name },
            unread: t.unread,
            no_care_team: t.no_care_team && t.thread.patient != actor.id(),
        })
        .collect();
    // A patient with one practice goes straight to the conversation.
    if threads.len() == 1 && actor.has_role(Role::Patient) {
        return Ok(Redirect::to(&threads[0].link).into_response());
    }
    Ok(html(&ListPage { chrome, threads })?.into_response())
}

pub struct MessageView {
    pub seq: i64,
    pub mine: bool,
    pub sender: String,
    pub when: String,
    pub body: String,
    pub automatic: bool,
    pub file: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "thread.html")]
struct ThreadPage {
    chrome: Chrome,
    thread: String,
    me: String,
    title: String,
    messages: Vec<MessageView>,
    last_seq: i64,
    read_by: Option<String>,
    client_id: String,
    expectation: String,
    draft: String,
    error: Option<String>,
    max_chars: usize,
    max_file_bytes: usize,
    /// The largest file in whole megabytes, as people read it.
    max_file_mb: String,
    /// The patient's own page: the expectation and crisis notice are for them.
    for_patient: bool,
    zone: String,
}

fn view(lang: haven_domain::Language, actor: &Actor, m: &StoredMessage, body: String, tz: &jiff::tz::TimeZone) -> MessageView {
    MessageView {
        seq: m.seq,
        mine: m.sender == actor.id(),
        sender: m.sender_name.clone(),
        when: when::when_label(lang, m.created_at, tz),
        body,
        automatic: m.automatic,
        file: m
            .attachment
            .as_ref()
            .map(|a| (format!("/messages/{}/files/{}", m.thread, a.id), format!("{} ({} KB)", a.name, (a.size + 1023) / 1024))),
    }
}

async fn render(
    lang: Lang,
    state: &AppState,
    actor: &Actor,
    thread: &Thread,
    draft: String,
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let messaging = &state.app.messaging;
    let chrome = Chrome::signed(state, lang.0, &format!("/messages/{}", thread.id), actor);
    let (zone, tz) = viewer_zone(state, actor, thread.practice, None).await?;
    let stored = messaging.latest(thread, PAGE).await?;
    let last_seq = stored.last().map_or(0, |(m, _)| m.seq);
    if last_seq > 0 {
        messaging.mark_read(actor, thread, last_seq).await?;
    }
    // "Read by Dr. Lee" under the person's latest message, once someone else has read it.
    let read_by = match stored.iter().rev().find(|(m, _)| m.sender == actor.id()) {
        Some((mine, _)) => {
            let names = messaging.read_by(actor, thread, mine.seq).await?;
            (!names.is_empty()).then(|| chrome.t1("messages-read-by", "names", &names.join(", ")))
        }
        None => None,
    };
    let messages = stored.into_iter().map(|(m, body)| view(lang.0, actor, &m, body, &tz)).collect();
    let title = if actor.id() == thread.patient { chrome.t("messages-your-care-team") } else { messaging.patient_name(thread).await? };
    let page = ThreadPage {
        thread: thread.id.to_string(),
        me: actor.id().to_string(),
        title,
        messages,
        last_seq,
        read_by,
        client_id: uuid::Uuid::now_v7().to_string(),
        expectation: messaging.expectation(lang.0, thread).await?,
        draft,
        error: error
            .map(|k| if k == "message-error-file-large" { chrome.t1(k, "mb", &megabytes(messaging.max_attachment_bytes)) } else { chrome.t(k) }),
        max_chars: haven_domain::messaging::MAX_BODY_CHARS,
        max_file_bytes: messaging.max_attachment_bytes,
        max_file_mb: megabytes(messaging.max_attachment_bytes),
        for_patient: actor.id() == thread.patient,
        zone,
        chrome,
    };
    Ok((status, html(&page)?).into_response())
}

pub async fn show(lang: Lang, State(state): State<AppState>, Signed(actor): Signed, Scoped(thread): Scoped<Thread>) -> Result<Response, AppError> {
    state.app.messaging.record_read(&actor, &thread).await?;
    render(lang, &state, &actor, &thread, String::new(), None, StatusCode::OK).await
}

/// The compose form's post: text, the page's client id (a double submit stores one
/// message) and an optional file.
pub async fn send(
    lang: Lang,
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped(thread): Scoped<Thread>,
    mut form: Multipart,
) -> Result<Response, AppError> {
    let messaging = &state.app.messaging;
    let (mut text, mut client_id, mut file): (String, String, Option<(String, Vec<u8>)>) = (String::new(), String::new(), None);
    // Showing the thread again (with what the person typed kept) is a read.
    let again = |key: &'static str, status: StatusCode, text: String| {
        let (state, actor) = (state.clone(), actor.clone());
        async move {
            state.app.messaging.record_read(&actor, &thread).await?;
            render(lang, &state, &actor, &thread, text, Some(key), status).await
        }
    };
    // The text comes before the file in the form, so a file over the limit still leaves
    // the typed text to give back with the reason.
    let too_large = |e: &axum::extract::multipart::MultipartError| e.status() == StatusCode::PAYLOAD_TOO_LARGE;
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if too_large(&e) => return again("message-error-file-large", StatusCode::PAYLOAD_TOO_LARGE, text).await,
            Err(_) => return Err(AppError::BadRequest),
        };
        match field.name().unwrap_or_default() {
            // Strictly: multipart's own text() would replace bytes that aren't UTF-8.
            "body" => text = strict_text(field).await?,
            "client_id" => client_id = strict_text(field).await?,
            "file" => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let bytes = match field.bytes().await {
                    Ok(bytes) => bytes,
                    Err(e) if too_large(&e) => return again("message-error-file-large", StatusCode::PAYLOAD_TOO_LARGE, text).await,
                    Err(_) => return Err(AppError::BadRequest),
                };
                if !bytes.is_empty() {
                    file = Some((name, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    match messaging.allow_send(&actor).await {
        Ok(()) => {}
        Err(haven_app::Error::TooManyRequests(_)) => return again("message-error-too-many", StatusCode::TOO_MANY_REQUESTS, text).await,
        Err(e) => return Err(e.into()),
    }
    let clean = match file {
        None => None,
        Some((name, bytes)) => match files::clean(&name, bytes, messaging.max_attachment_bytes) {
            Ok(clean) => Some(clean),
            Err(key) => return again(key, StatusCode::UNPROCESSABLE_ENTITY, text).await,
        },
    };
    match messaging.send(&actor, &thread, &client_id, &text, clean).await? {
        Ok(_) => Ok(Redirect::to(&format!("/messages/{}#latest", thread.id)).into_response()),
        // Nothing was stored; the text stays in the box.
        Err(key) => again(key, StatusCode::UNPROCESSABLE_ENTITY, text).await,
    }
}

/// "25" for a limit of 25 MiB.
fn megabytes(bytes: usize) -> String {
    bytes.div_ceil(1024 * 1024).to_string()
}

/// A multipart field's text, refused (not altered) when it isn't valid UTF-8.
async fn strict_text(field: axum::extract::multipart::Field<'_>) -> Result<String, AppError> {
    let bytes = field.bytes().await.map_err(|_| AppError::BadRequest)?;
    String::from_utf8(bytes.to_vec()).map_err(|_| AppError::BadEncoding)
}

/// A file, to the thread's members only, always as a download.
pub async fn download(
    State(state): State<AppState>,
    Signed(actor): Signed,
    Scoped(thread): Scoped<Thread>,
    Path((_, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let file: AttachmentId = parse_id(&file)?;
    let (info, bytes) = state.app.messaging.attachment(&actor, &thread, file).await?;
    let disposition = format!("attachment; filename=\"{}\"", info.name.replace(['"', '\\'], ""));
    Ok(([(CONTENT_TYPE, info.content_type), (CONTENT_DISPOSITION, disposition), (CACHE_CONTROL, "no-store".to_owned())], bytes).into_response())
}
