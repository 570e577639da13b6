//! Which handler runs each kind of job. Built at start-up from every feature's jobs (see
//! `App::jobs`); tests add their own kinds the same way.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::Arc;

use super::run::{Done, JobError, Run};
use crate::context::Ctx;
use crate::future::BoxFuture;

/// Runs one kind of job from its stored payload (already opened when sealed).
pub trait Handler: Send + Sync + 'static {
    fn run<'a>(&'a self, cx: &'a Ctx, payload: &'a [u8]) -> BoxFuture<'a, Result<Done, JobError>>;
}

/// The handler of a typed job: reads the payload as the job's type, then runs it.
struct Typed<J>(PhantomData<fn() -> J>);

impl<J: Run> Handler for Typed<J> {
    fn run<'a>(&'a self, cx: &'a Ctx, payload: &'a [u8]) -> BoxFuture<'a, Result<Done, JobError>> {
        Box::pin(async move {
            let job: J = serde_json::from_slice(payload).map_err(|_| JobError::Permanent("the job's payload could not be read"))?;
            job.run(cx).await
        })
    }
}

#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<&'static str, Arc<dyn Handler>>,
}

impl Registry {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers job type `J` under its kind.
    #[must_use]
    pub fn with<J: Run>(self) -> Self {
        self.with_handler(J::KIND, Typed::<J>(PhantomData))
    }

    /// Registers a handler built with what its kind needs beyond the context.
    #[must_use]
    pub fn with_handler(mut self, kind: &'static str, handler: impl Handler) -> Self {
        let previous = self.handlers.insert(kind, Arc::new(handler));
        debug_assert!(previous.is_none(), "two handlers for job kind {kind}");
        self
    }

    /// This registry with every kind of `other` added.
    #[must_use]
    pub fn merged(mut self, other: Registry) -> Self {
        for (kind, handler) in other.handlers {
            let previous = self.handlers.insert(kind, handler);
            debug_assert!(previous.is_none(), "two handlers for job kind {kind}");
        }
        self
    }

    pub(crate) fn get(&self, kind: &str) -> Option<Arc<dyn Handler>> {
        self.handlers.get(kind).cloned()
    }

    /// The registered kinds, sorted (for `haven check` and tests).
    #[must_use]
    pub fn kinds(&self) -> Vec<&'static str> {
        let mut kinds: Vec<_> = self.handlers.keys().copied().collect();
        kinds.sort_unstable();
        kinds
    }
}
