//! Mail to send, and queueing it inside an open transaction (so it is sent exactly when what
//! caused it is stored). Nothing here opens a connection.

#[derive(Debug, Clone)]
pub struct NewMail {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// An iCalendar file to attach (appointment mail).
    pub calendar: Option<String>,
}

/// Queues `$mail` inside the open transaction `$tx` at time `$now`.
macro_rules! queue_mail {
    ($tx:expr, $mail:expr, $now:expr) => {
        async {
            let mail: &$crate::mail::queue::NewMail = $mail;
            let at = $crate::time::to_db($now);
            sqlx::query(
                "INSERT INTO outgoing_mail (id, to_addr, subject, body, calendar, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
            )
            .bind(uuid::Uuid::now_v7())
            .bind(&mail.to)
            .bind(&mail.subject)
            .bind(&mail.body)
            .bind(mail.calendar.as_deref())
            .bind(at)
            .execute(&mut *$tx)
            .await
            .map(|_| ())
        }
    };
}

