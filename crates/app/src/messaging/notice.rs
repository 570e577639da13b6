//! "You have a new secure message": mailed to a member who didn't get a message live, a few
//! minutes after it came, and only if it is still unread then. The mail says only that
//! something is waiting, with a link; never what it says or who wrote. One per run of unread
//! messages: the job's key is the thread, the person and where their reading stood.

use haven_domain::{ThreadId, UserId};
use haven_store::Effects;
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::error::Error;
use crate::i18n::translate;
use crate::jobs::{Done, Job, JobError, Run};
use crate::mail::Mail;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnreadNotice {
    pub thread: ThreadId,
    pub user: UserId,
    /// The last message they had read when the run began.
    pub after: i64,
}

impl Job for UnreadNotice {
    const KIND: &'static str = "messaging.unread-notice";
    const SEALED: bool = false;

    fn unique_key(&self) -> Option<String> {
        Some(format!("notice:{}:{}:{}", self.thread, self.user, self.after))
    }
}

impl Run for UnreadNotice {
    async fn run(&self, cx: &Ctx) -> Result<Done, JobError> {
        let store = &cx.store;
        let Some(thread) = store.thread(self.thread).await.map_err(Error::from)? else { return Ok(Done::nothing()) };
        let Some(user) = store.user(self.user).await.map_err(Error::from)?.filter(|u| u.active) else { return Ok(Done::nothing()) };
        // Read meanwhile (here or on another instance), or no longer a member: nothing to say.
        if store.unread_in(thread.id, user.id).await.map_err(Error::from)? == 0
            || !store.is_thread_member(&thread, user.id).await.map_err(Error::from)?
        {
            return Ok(Done::nothing());
        }
        let link = cx.links.to(&format!("/messages/{}", thread.id));
        let mail = Mail {
            to: user.email.to_string(),
            subject: translate(user.language, "mail-message-subject", &[]),
            body: translate(user.language, "mail-message-body", &[("link", &link)]),
            calendar: None,
        };
        Ok(Done::with(Effects::default().with_job(cx.queue.mail(mail, cx.now())?)))
    }
}
