import Foundation
import QoltanbaKit

/// What the core is asking the citizen now (during the enrollment, or a wallet call); the screen on
/// view answers it.
enum Question {
    case iin(Answer<String>)
    case phone(Answer<String>)
    case consent(Answer<Bool>)
    case email(Person, Answer<String>)
    case keyStorage(hardwareAvailable: Bool, Answer<KeyStorage>)
    case password(Answer<SecretChoice>)
    case picture(Picture, Answer<Data>)
    case smsCode(phoneMasked: String, triesLeft: UInt8, Answer<String>)
    case choosePin(Answer<SecretChoice>)
    case pin(PinReason, triesLeft: UInt8, Answer<String>)
    /// The key files' password (signing, login); `wrong` after one that did not open the key.
    case keyPassword(wrong: Bool, Answer<String>)
    /// Who asks to log in, and the page's number (or "not me"); `again` after a number not offered.
    case loginChallenge(LoginChallengeInfo, again: Bool, Answer<LoginChoice>)
}

/// An answer the asker may give up on.
protocol Abandonable: AnyObject {
    /// Backs out: the waiting question gets `PlatformError.Cancelled`.
    func cancel()
}

/// One answer, given once: a value, or the citizen backing out (`PlatformError.Cancelled`, which
/// pauses the flow at its step). Whichever comes first wins; a cancellation before the wait is kept.
final class Answer<Value>: Abandonable, @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Value, Error>?
    private var cancelled = false

    func give(_ value: Value) { take()?.resume(returning: value) }

    func cancel() {
        lock.withLock { cancelled = true }
        take()?.resume(throwing: PlatformError.Cancelled)
    }

    /// Waits for the answer.
    func wait() async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let early = lock.withLock {
                if !cancelled { self.continuation = continuation }
                return cancelled
            }
            if early { continuation.resume(throwing: PlatformError.Cancelled) }
        }
    }

    private func take() -> CheckedContinuation<Value, Error>? {
        lock.withLock {
            defer { continuation = nil }
            return continuation
        }
    }
}

/// The pending question, published for the screens. The core's threads ask; the main actor answers.
@MainActor
final class Questions: ObservableObject {
    @Published private(set) var pending: Question?
    private var owner: Abandonable?

    /// Publishes the question and waits for its answer; a cancelled task backs out of it.
    func ask<Value>(_ question: @escaping (Answer<Value>) -> Question) async throws -> Value {
        let answer = Answer<Value>()
        pending = question(answer)
        owner = answer
        defer { if owner === answer { clear() } }
        return try await withTaskCancellationHandler {
            try await answer.wait()
        } onCancel: {
            answer.cancel()
        }
    }

    /// The screen that shows the question went away: back out of it.
    func cancelPending() {
        owner?.cancel()
        clear()
    }

    /// The screen answered (or backed out): the question goes away.
    func clear() {
        pending = nil
        owner = nil
    }
}
