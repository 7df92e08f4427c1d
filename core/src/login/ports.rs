//! What the platform asks the citizen during a login.

use async_trait::async_trait;
use qoltanba_protocol::LoginChallenge;
use zeroize::Zeroizing;

use crate::ports::PortError;

/// The citizen's answer to a shown challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Choice {
    /// The number the citizen picked (the one the page shows, if it is them).
    Number(u8),
    /// It is not them: decline the login.
    Decline,
}

/// The login screens. [`PortError::Cancelled`] from any of them declines the login.
#[async_trait]
pub trait LoginPrompt: Send + Sync {
    /// Shows `challenge` (who asks, the browser, place and time, the address warning) and its three
    /// numbers; `again` after a number the challenge does not offer.
    async fn choose(&self, challenge: &LoginChallenge, again: bool) -> Result<Choice, PortError>;
    /// The key files' password (keys kept in files); `wrong` after one that did not open the key.
    async fn key_password(&self, wrong: bool) -> Result<Zeroizing<String>, PortError>;
}
