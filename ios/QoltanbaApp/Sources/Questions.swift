import Foundation
import QoltanbaFFI

/// What the core is asking the citizen now; the screen of the current step answers it.
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
}

/// One answer, given once: a value, or the citizen backing out (`PlatformError.Cancelled`, which
/// pauses the flow at its step).
final class Answer<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Value, Error>?

    init(_ continuation: CheckedContinuation<Value, Error>) { self.continuation = continuation }

    func give(_ value: Value) { take()?.resume(returning: value) }

    func cancel() { take()?.resume(throwing: PlatformError.Cancelled) }

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

    /// Publishes the question and waits for its answer (or the task's cancellation).
    func ask<Value>(_ question: @escaping (Answer<Value>) -> Question) async throws -> Value {
        var asked: Answer<Value>?
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let answer = Answer(continuation)
                asked = answer
                pending = question(answer)
            }
        } onCancel: { [asked] in
            asked?.cancel()
        }
    }

    /// The screen answered (or backed out): the question goes away.
    func clear() { pending = nil }
}
