//! The quiz's ordered sending task.

use std::sync::Arc;

use poise::serenity_prelude as serenity;
use tokio::sync::mpsc;

use crate::discord::{error_chain, no_pings};

/// Channel messages, sent one after the other by their own task so the
/// quiz never waits for Discord; a failed send is logged and skipped.
pub(super) struct Outbox {
    tx: Option<mpsc::UnboundedSender<serenity::CreateMessage>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Outbox {
    pub(super) fn spawn(http: Arc<serenity::Http>, channel: serenity::ChannelId) -> Self {
        let (tx, mut rx) = mpsc::unbounded_channel::<serenity::CreateMessage>();
        let task = tokio::spawn(async move {
            while let Some(message) = rx.recv().await {
                let message = message.allowed_mentions(no_pings());
                if let Err(e) = channel.send_message(&http, message).await {
                    tracing::warn!(error = %error_chain(&e), "could not post a quiz message");
                }
            }
        });
        Self {
            tx: Some(tx),
            task: Some(task),
        }
    }

    pub(super) fn send(&self, message: serenity::CreateMessage) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(message);
        }
    }

    /// Waits until every queued message was sent (or failed).
    pub(super) async fn close(&mut self) {
        self.tx = None;
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}
