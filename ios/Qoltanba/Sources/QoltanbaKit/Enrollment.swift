import QoltanbaFFI

/// One enrollment on this device, over the Rust core's `EnrollmentFlow`.
///
/// `states()` is what the screens render (every step, with failure reasons and tries left); `events()`
/// says when an input was refused or long work starts. `run()` drives the flow until it ends or pauses;
/// cancelling the calling task stops the core at its next wait, and the next `run()` resumes where it was.
public final class Enrollment: @unchecked Sendable {
    private let relay: Relay
    private let flow: EnrollmentFlow

    /// A flow with its platform services; reads the saved enrollment, if any.
    /// - Throws: `FlowError` when the local store cannot be opened.
    public init(config: FlowConfig, services: PlatformServices) throws {
        let relay = Relay()
        let flow = try EnrollmentFlow(
            config: config,
            citizen: services.citizen,
            camera: services.camera,
            sms: services.sms,
            pin: services.pin,
            observer: relay,
            keyStore: services.keyStore
        )
        relay.publish(flow.state())
        self.relay = relay
        self.flow = flow
    }

    /// The state the UI shows now.
    public var state: EnrollmentState { relay.latest }

    /// The current state, then every change, until the enrollment is released or the task cancelled.
    public func states() -> AsyncStream<EnrollmentState> { relay.states() }

    /// Refused inputs and long work, as they happen.
    public func events() -> AsyncStream<EnrollmentEvent> { relay.events() }

    /// Runs the flow to its end (or a pause). Never throws: a core error is `.error(FlowError)`.
    public func run() async -> EnrollmentResult {
        do {
            switch try await flow.run() {
            case let .enrolled(certificates): return .enrolled(certificates)
            case let .failed(reason, detail): return .failed(reason, detail: detail)
            case .paused: return .paused
            }
        } catch let error as FlowError {
            return .error(error)
        } catch {
            return .error(.Defect(reason: String(describing: error)))
        }
    }
}

/// How `Enrollment.run()` ended.
public enum EnrollmentResult: Sendable {
    /// Both certificates are installed beside their keys.
    case enrolled(IssuedCertificates)
    /// The enrollment ended without certificates; a new one may start.
    case failed(FailReason, detail: String?)
    /// The citizen cancelled a prompt; the next run resumes at that step.
    case paused
    /// The core could not go on (server unreachable, a platform service failed, …).
    case error(FlowError)
}

/// Something that happened during a run, besides state changes.
public enum EnrollmentEvent: Sendable {
    /// The last input was refused; the step is asked again.
    case inputRejected(InputProblem)
    /// Long work starts (show progress).
    case working(QoltanbaFFI.Progress)
}
