//! Push wake-ups: when a request is created, each of the citizen's devices that gave a push token is
//! woken through a [`Notifier`]. A wake-up carries only the device's token, never the request: the app
//! then pulls `GET /v1/device/sign-requests` over its own authenticated channel. Push is never required
//! (the default is [`NoPush`]); FCM HTTP v1 and APNs adapters plug in behind this trait.

use std::future::Future;
use std::pin::Pin;

use qoltanba_protocol::Platform;

/// Whom to wake: a device's push token and platform, nothing else.
#[derive(Clone, PartialEq, Eq)]
pub struct WakeUp {
    /// The device's operating system, when it said.
    pub platform: Option<Platform>,
    /// The FCM / APNs token the device registered.
    pub push_token: String,
}

impl std::fmt::Debug for WakeUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WakeUp").field("platform", &self.platform).finish_non_exhaustive()
    }
}

/// Sends wake-ups. Implementations log their own failures: a lost wake-up only delays the citizen, who
/// still sees the request when the app opens.
pub trait Notifier: Send + Sync {
    /// Wakes one device.
    fn wake(&self, wake_up: WakeUp) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

/// No push at all: devices learn of requests through their event stream or by pulling.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoPush;

impl Notifier for NoPush {
    fn wake(&self, _wake_up: WakeUp) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(std::future::ready(()))
    }
}
