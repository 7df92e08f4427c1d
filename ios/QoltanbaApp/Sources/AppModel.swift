import Foundation
import QoltanbaKit

/// Owns the enrollment and publishes its state and the pending question to the screens.
@MainActor
final class AppModel: ObservableObject {
    @Published private(set) var state: EnrollmentState?
    @Published private(set) var problem: InputProblem?
    @Published private(set) var result: EnrollmentResult?
    @Published private(set) var running = false
    let questions = Questions()
    private var enrollment: Enrollment?

    /// Starts (or resumes) the enrollment; its state streams into `state` until it ends.
    func start() {
        guard !running else { return }
        running = true
        result = nil
        Task {
            do {
                let enrollment = try self.enrollment ?? Enrollment(config: AppSetup.config, services: services())
                self.enrollment = enrollment
                let watcher = Task { for await state in enrollment.states() { self.state = state } }
                let events = Task {
                    for await event in enrollment.events() {
                        if case let .inputRejected(problem) = event { self.problem = problem }
                    }
                }
                result = await enrollment.run()
                watcher.cancel()
                events.cancel()
                state = enrollment.state
            } catch {
                result = .error(error as? FlowError ?? .Defect(reason: String(describing: error)))
            }
            running = false
        }
    }

    /// The citizen answered; the refusal shown for the previous answer goes.
    func answered() { problem = nil }

    private func services() -> PlatformServices {
        let forms = Forms(questions: questions)
        return PlatformServices(citizen: forms, camera: forms, sms: forms, pin: forms, keyStore: AppSetup.keyStore)
    }
}
