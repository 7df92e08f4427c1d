//! The one tokio runtime owned by this crate (the matrix-rust-sdk pattern): every async call spawns its
//! work here and awaits the join handle, so the foreign side's executor (Kotlin coroutines, Swift
//! tasks) never has to drive tokio, and UniFFI's fallback executor is never used.

use std::future::Future;
use std::sync::LazyLock;

use tokio::runtime::{Handle, Runtime};

/// Why work could not run on the runtime; each call's error type says it in its own terms.
#[derive(Debug)]
pub enum RuntimeFailure {
    /// The runtime could not start (the system refused threads).
    Unavailable(String),
    /// The task panicked or was aborted (a defect).
    Lost(String),
}

static RUNTIME: LazyLock<std::io::Result<Runtime>> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread().enable_all().thread_name("qoltanba-core").build()
});

/// The runtime, or why it could not start.
fn runtime() -> Result<&'static Runtime, RuntimeFailure> {
    RUNTIME.as_ref().map_err(|e| RuntimeFailure::Unavailable(e.to_string()))
}

/// A handle on the runtime, for spawning from synchronous code (a key store asking a foreign prompt).
pub(crate) fn handle() -> Result<Handle, RuntimeFailure> {
    runtime().map(|runtime| runtime.handle().clone())
}

/// Runs `work` on the runtime and waits for it. Dropping the returned future (a cancelled coroutine)
/// aborts the task. (Only the dev tools use it so far; the core's calls run through [`spawn_local`].)
#[cfg(feature = "dev-tools")]
pub(crate) async fn spawn<F, T, E>(work: F) -> Result<T, E>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: From<RuntimeFailure> + Send + 'static,
{
    let mut task = AbortOnDrop(runtime()?.spawn(work));
    (&mut task.0).await.map_err(|e| RuntimeFailure::Lost(e.to_string()))?
}

/// Runs `make`'s future on a thread of the runtime's blocking pool (for work whose future is not `Send`,
/// such as anything holding the SQLite connection), and waits for it. Dropping the returned future
/// cancels the work: the future is dropped at its next await point.
pub(crate) async fn spawn_local<M, F, T, E>(make: M) -> Result<T, E>
where
    M: FnOnce() -> F + Send + 'static,
    F: Future<Output = Result<T, E>>,
    T: Send + 'static,
    E: From<RuntimeFailure> + Send + 'static,
{
    let runtime = runtime()?;
    let handle = runtime.handle().clone();
    let (cancel, cancelled) = tokio::sync::oneshot::channel::<()>();
    let task = runtime.spawn_blocking(move || {
        handle.block_on(async move {
            tokio::select! {
                outcome = make() => Some(outcome),
                _ = cancelled => None,
            }
        })
    });
    let outcome = task.await.map_err(|e| RuntimeFailure::Lost(e.to_string()))?;
    drop(cancel);
    outcome.ok_or(RuntimeFailure::Lost("cancelled".into()))?
}

/// A task aborted when its handle is dropped before it finished.
#[cfg(feature = "dev-tools")]
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

#[cfg(feature = "dev-tools")]
impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}
