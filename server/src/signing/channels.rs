//! In-memory wake-ups: who waits for a request to end (the relying party's long-poll), and who listens
//! for a citizen's requests (the devices' event streams and long-polls). The database stays the truth:
//! a wake-up only says "look again", so after a restart polling still works.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use qoltanba_protocol::{DeviceSignRequest, SignRequestCallback};
use tokio::sync::{broadcast, watch};
use uuid::Uuid;

/// Events a citizen's devices listen for, per citizen.
const DEVICE_EVENT_BUFFER: usize = 16;

/// What a citizen's devices are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceEvent {
    /// A new pending request.
    New(DeviceSignRequest),
    /// A request ended (signed, refused, expired, cancelled).
    Ended(SignRequestCallback),
}

/// The wake-up registry.
#[derive(Debug, Default)]
pub(crate) struct Channels {
    requests: Mutex<HashMap<Uuid, watch::Sender<()>>>,
    citizens: Mutex<HashMap<String, broadcast::Sender<DeviceEvent>>>,
}

impl Channels {
    /// A receiver that changes when request `id` ends; take it before reading the database.
    pub(crate) fn watch(&self, id: Uuid) -> watch::Receiver<()> {
        let mut requests = self.requests.lock().unwrap_or_else(PoisonError::into_inner);
        requests.entry(id).or_insert_with(|| watch::channel(()).0).subscribe()
    }

    /// Forgets request `id`'s channel once nobody waits on it (call after dropping the receiver).
    pub(crate) fn release(&self, id: Uuid) {
        let mut requests = self.requests.lock().unwrap_or_else(PoisonError::into_inner);
        if requests.get(&id).is_some_and(|s| s.receiver_count() == 0) {
            requests.remove(&id);
        }
    }

    /// Wakes everyone waiting for request `id`.
    pub(crate) fn ended(&self, id: Uuid) {
        let mut requests = self.requests.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(sender) = requests.remove(&id) {
            sender.send_replace(());
        }
    }

    /// A receiver of citizen `iin`'s device events; take it before reading the database.
    pub(crate) fn subscribe(&self, iin: &str) -> broadcast::Receiver<DeviceEvent> {
        let mut citizens = self.citizens.lock().unwrap_or_else(PoisonError::into_inner);
        citizens
            .entry(iin.to_owned())
            .or_insert_with(|| broadcast::channel(DEVICE_EVENT_BUFFER).0)
            .subscribe()
    }

    /// Tells citizen `iin`'s listening devices; forgets the channel when nobody listens any more.
    pub(crate) fn publish(&self, iin: &str, event: DeviceEvent) {
        let mut citizens = self.citizens.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(sender) = citizens.get(iin) else { return };
        if sender.send(event).is_err() {
            citizens.remove(iin);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_waiter_sees_the_end_of_its_request() {
        let channels = Channels::default();
        let id = Uuid::new_v4();
        let mut rx = channels.watch(id);
        channels.ended(id);
        assert!(rx.changed().await.is_ok());
        drop(rx);
        channels.release(id);
        assert!(channels.requests.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_citizen_listener_gets_published_events_and_others_do_not() {
        let channels = Channels::default();
        let mut mine = channels.subscribe("900101300255");
        let mut other = channels.subscribe("850503400126");
        let ended =
            SignRequestCallback { id: Uuid::new_v4(), status: qoltanba_protocol::SignRequestStatus::Refused };
        channels.publish("900101300255", DeviceEvent::Ended(ended.clone()));
        assert_eq!(mine.recv().await.unwrap(), DeviceEvent::Ended(ended));
        assert!(other.try_recv().is_err());
    }
}
