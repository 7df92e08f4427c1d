import Foundation
import QoltanbaFFI

/// Receives the core's callbacks (on a core thread) and fans them out to `AsyncStream`s.
final class Relay: EnrollmentObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var current = EnrollmentState(step: .deviceCheck, busy: false, stalled: false, notice: nil, expiresAt: nil)
    private var stateListeners: [UInt64: AsyncStream<EnrollmentState>.Continuation] = [:]
    private var eventListeners: [UInt64: AsyncStream<EnrollmentEvent>.Continuation] = [:]
    private var nextId: UInt64 = 0

    var latest: EnrollmentState { lock.withLock { current } }

    func publish(_ state: EnrollmentState) {
        let listeners = lock.withLock {
            current = state
            return Array(stateListeners.values)
        }
        listeners.forEach { $0.yield(state) }
    }

    func states() -> AsyncStream<EnrollmentState> {
        AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let id = lock.withLock {
                nextId += 1
                stateListeners[nextId] = continuation
                continuation.yield(current)
                return nextId
            }
            continuation.onTermination = { [weak self] _ in
                self?.lock.withLock { _ = self?.stateListeners.removeValue(forKey: id) }
            }
        }
    }

    func events() -> AsyncStream<EnrollmentEvent> {
        AsyncStream(bufferingPolicy: .bufferingNewest(64)) { continuation in
            let id = lock.withLock {
                nextId += 1
                eventListeners[nextId] = continuation
                return nextId
            }
            continuation.onTermination = { [weak self] _ in
                self?.lock.withLock { _ = self?.eventListeners.removeValue(forKey: id) }
            }
        }
    }

    private func emit(_ event: EnrollmentEvent) {
        lock.withLock { Array(eventListeners.values) }.forEach { $0.yield(event) }
    }

    func stateChanged(state: EnrollmentState) throws { publish(state) }

    func inputRejected(problem: InputProblem) throws { emit(.inputRejected(problem)) }

    func progress(progress: QoltanbaFFI.Progress) throws { emit(.working(progress)) }

    deinit {
        let (states, events) = lock.withLock { (Array(stateListeners.values), Array(eventListeners.values)) }
        states.forEach { $0.finish() }
        events.forEach { $0.finish() }
    }
}
