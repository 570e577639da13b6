//! Messaging pages. They work without JavaScript: sending is a form post (with an
//! optional file) and a reload shows new messages; `messages.js` adds live delivery over
//! the WebSocket on top. The compose box always says when to expect a reply and where
//! immediate help is.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Multipart, Path, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::audit::{AuditAction, Outcome};
use haven_domain::{AttachmentId, Role, ThreadId, UserId};
use haven_store::{StoredMessage, Thread};

use super::service::{self, CleanFile, entry, require_member};
use super::{body, files};
use crate::audit;
use crate::booking::{html, parse_id, when};
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::identity::CurrentUser;
use crate::lang::Lang;
use crate::state::AppState;

/// How many of the newest messages a page shows.
const PAGE: i64 = 500;

struct ThreadRow {
    link: String,
    name: String,
    unread: i64,
}

#[derive(Template)]
#[template(path = "messages.html")]
struct ListPage {
    chrome: Chrome,
    threads: Vec<ThreadRow>,
}

/// Threads the person takes part in: a patient's own, or a clinician's care team's.
pub async fn list(lang: Lang, State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, current: CurrentUser) -> Result<Response, AppError> {
    let chrome = Chrome::new(lang.0, "/messages", &state.config.crisis).for_user(&current, &state.config.sessions);
    let mut threads = Vec::new();
    let mut listed = Vec::new();
    for (practice, role) in &current.user.memberships {
        match role {
            Role::Patient => {
                let thread = state.store.thread_of(*practice, current.user.id, state.clock.now()).await?;
                let name = state.store.practice_settings(*practice).await?.name;
                threads.push(ThreadRow { link: format!("/messages/{}", thread.id), name, unread: state.store.unread_in(thread.id, current.user.id).await? });
                listed.push(thread);
            }
            Role::Clinician => {
                for (patient, name) in state.store.care_team_patients_in(*practice, current.user.id).await? {
                    let thread = state.store.thread_of(*practice, patient, state.clock.now()).await?;
                    threads.push(ThreadRow { link: format!("/messages/{}", thread.id), name, unread: state.store.unread_in(thread.id, current.user.id).await? });
                    listed.push(thread);
                }
            }
            Role::Admin => {}
        }
    }
    // A patient with one practice goes straight to the conversation.
    if threads.len() == 1 && current.user.has_role(Role::Patient) {
        return Ok(Redirect::to(&threads[0].link).into_response());
    }
    let entries = listed
        .iter()
        .filter(|t| t.patient != current.user.id)
        .map(|t| service::entry(&current, t, AuditAction::Read, Outcome::Success))
        .map(|mut e| {
            e.category = haven_domain::audit::DataCategory::Demographics;
            e
        })
        .collect();
    audit::record_all(&state, peer, entries).await?;
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
}

async fn thread_or_404(state: &AppState, raw: &str) -> Result<Thread, AppError> {
    let id: ThreadId = parse_id(raw)?;
    state.store.thread(id).await?.ok_or(AppError::NotFound)
}

pub fn view(state: &AppState, lang: haven_domain::Language, current: &CurrentUser, m: &StoredMessage, tz: &jiff::tz::TimeZone, zone: &str) -> Result<MessageView, AppError> {
    Ok(MessageView {
        seq: m.seq,
        mine: m.sender == current.user.id,
        sender: m.sender_name.clone(),
        when: when::when_label(lang, m.created_at, tz, zone),
        body: body(state, m)?,
        automatic: m.automatic,
        file: m.attachment.as_ref().map(|a| (format!("/messages/{}/files/{}", m.thread, a.id), format!("{} ({} KB)", a.name, (a.size + 1023) / 1024))),
    })
}

async fn render(lang: Lang, state: &AppState, current: &CurrentUser, thread: &Thread, draft: String, error: Option<&str>, status: StatusCode) -> Result<Response, AppError> {
    let chrome = Chrome::new(lang.0, &format!("/messages/{}", thread.id), &state.config.crisis).for_user(current, &state.config.sessions);
    let (zone, tz) = crate::booking::visits::viewer_zone(state, current, thread.practice, None).await?;
    let stored = state.store.latest_messages(thread.id, PAGE).await?;
    let mut messages = Vec::new();
    for m in &stored {
        messages.push(view(state, lang.0, current, m, &tz, &zone)?);
    }
    let last_seq = stored.last().map_or(0, |m| m.seq);
    if last_seq > 0 {
        service::mark_read(state, current, thread, last_seq).await?;
    }
    let read_by = read_receipt(state, current, thread, &stored).await?;
    let title = if current.user.id == thread.patient {
        chrome.t("messages-your-care-team")
    } else {
        state.store.user(thread.patient).await?.map(|u| u.display_name).unwrap_or_default()
    };
    let page = ThreadPage {
        thread: thread.id.to_string(),
        me: current.user.id.to_string(),
        title,
        messages,
        last_seq,
        read_by,
        client_id: uuid::Uuid::now_v7().to_string(),
        expectation: service::expectation(state, lang.0, thread).await?,
        draft,
        error: error.map(|k| chrome.t(k)),
        max_chars: haven_domain::messaging::MAX_BODY_CHARS,
        chrome,
    };
    Ok((status, html(&page)?).into_response())
}

/// "Read by Dr. Lee" under the person's latest message, once someone else has read it.
pub async fn read_receipt(state: &AppState, current: &CurrentUser, thread: &Thread, stored: &[StoredMessage]) -> Result<Option<String>, AppError> {
    let Some(mine) = stored.iter().rev().find(|m| m.sender == current.user.id) else { return Ok(None) };
    let readers: Vec<UserId> = state.store.read_markers(thread.id).await?.into_iter().filter(|(u, s)| *u != current.user.id && *s >= mine.seq).map(|(u, _)| u).collect();
    if readers.is_empty() {
        return Ok(None);
    }
    let names = state.store.display_names(&readers).await?;
    let mut list: Vec<String> = names.into_values().collect();
    list.sort();
    Ok(Some(crate::i18n::translate(current.user.language, "messages-read-by", &[("names", &list.join(", "))])))
}

pub async fn show(lang: Lang, State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, current: CurrentUser, Path(id): Path<String>) -> Result<Response, AppError> {
    let thread = thread_or_404(&state, &id).await?;
    require_member(&state, peer, &current, &thread).await?;
    audit::record(&state, peer, entry(&current, &thread, AuditAction::Read, Outcome::Success)).await?;
    render(lang, &state, &current, &thread, String::new(), None, StatusCode::OK).await
}

/// The compose form's post: text, the page's client id (a double submit stores one
/// message) and an optional file.
pub async fn send(lang: Lang, State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, current: CurrentUser, Path(id): Path<String>, mut form: Multipart) -> Result<Response, AppError> {
    let thread = thread_or_404(&state, &id).await?;
    require_member(&state, peer, &current, &thread).await?;
    let (mut text, mut client_id, mut file): (String, String, Option<(String, Vec<u8>)>) = (String::new(), String::new(), None);
    let limit = state.config.max_attachment_bytes;
    while let Some(field) = form.next_field().await.map_err(|_| AppError::BadRequest)? {
        match field.name().unwrap_or_default() {
            "body" => text = field.text().await.map_err(|_| AppError::BadRequest)?,
            "client_id" => client_id = field.text().await.map_err(|_| AppError::BadRequest)?,
            "file" => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(|_| AppError::BadRequest)?;
                if !bytes.is_empty() {
                    file = Some((name, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    let rate = crate::identity::throttle::message_sent(&state, current.user.id).await;
    if let Err(e) = rate {
        audit::record(&state, peer, entry(&current, &thread, AuditAction::Read, Outcome::Success)).await?;
        let key = if matches!(e, AppError::TooManyRequests(_)) { "message-error-too-many" } else { return Err(e) };
        return render(lang, &state, &current, &thread, text, Some(key), StatusCode::TOO_MANY_REQUESTS).await;
    }
    let clean: Option<CleanFile> = match file {
        None => None,
        Some((name, bytes)) => match files::clean(&name, bytes, limit) {
            Ok(clean) => Some(clean),
            Err(key) => {
                audit::record(&state, peer, entry(&current, &thread, AuditAction::Read, Outcome::Success)).await?;
                return render(lang, &state, &current, &thread, text, Some(key), StatusCode::UNPROCESSABLE_ENTITY).await;
            }
        },
    };
    match service::send(&state, peer, &current, &thread, &client_id, &text, clean).await? {
        Ok(_) => Ok(Redirect::to(&format!("/messages/{}#latest", thread.id)).into_response()),
        Err(key) => {
            // Nothing was stored; the text stays in the box. Showing the thread again is a read.
            audit::record(&state, peer, entry(&current, &thread, AuditAction::Read, Outcome::Success)).await?;
            render(lang, &state, &current, &thread, text, Some(key), StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// A file, to the thread's members only, always as a download.
pub async fn download(State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, current: CurrentUser, Path((id, file)): Path<(String, String)>) -> Result<Response, AppError> {
    let thread = thread_or_404(&state, &id).await?;
    require_member(&state, peer, &current, &thread).await?;
    let file: AttachmentId = parse_id(&file)?;
    let (info, sealed) = state.store.attachment(thread.id, file).await?.ok_or(AppError::NotFound)?;
    audit::record(&state, peer, entry(&current, &thread, AuditAction::Read, Outcome::Success)).await?;
    let bytes = state.vault.open(&format!("attachments.data:{}", info.id), &sealed).map_err(|e| AppError::Internal(e.to_string()))?;
    let disposition = format!("attachment; filename=\"{}\"", info.name.replace(['"', '\\'], ""));
    Ok(([(CONTENT_TYPE, info.content_type), (CONTENT_DISPOSITION, disposition), (CACHE_CONTROL, "no-store".to_owned())], bytes).into_response())
}
