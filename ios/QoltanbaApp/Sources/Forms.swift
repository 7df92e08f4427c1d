import AVFoundation
import Network
import QoltanbaKit

/// The platform services the flow and the wallet ask, each forwarded to the screen on view.
final class Forms: CitizenForms, Camera, SmsCodeSource, PinPrompt, KeyPasswordPrompt, LoginScreens, @unchecked Sendable {
    private let questions: Questions

    init(questions: Questions) { self.questions = questions }

    private func ask<Value>(_ question: @escaping (Answer<Value>) -> Question) async throws -> Value {
        try await questions.ask(question)
    }

    func deviceCheck() async throws -> DeviceStatus {
        var camera = false
        if AVCaptureDevice.default(for: .video) != nil {
            camera = await AVCaptureDevice.requestAccess(for: .video)
        }
        let network = await Self.networkReachable()
        return DeviceStatus(camera: camera, network: network)
    }

    func iin() async throws -> String { try await ask { .iin($0) } }

    func phoneNumber() async throws -> String { try await ask { .phone($0) } }

    func consent() async throws -> Bool { try await ask { .consent($0) } }

    func email(person: Person) async throws -> String { try await ask { .email(person, $0) } }

    func keyStorage(hardwareAvailable: Bool) async throws -> KeyStorage {
        try await ask { .keyStorage(hardwareAvailable: hardwareAvailable, $0) }
    }

    func password() async throws -> SecretChoice { try await ask { .password($0) } }

    func capture(picture: Picture) async throws -> Data { try await ask { .picture(picture, $0) } }

    func code(phoneMasked: String, triesLeft: UInt8) async throws -> String {
        try await ask { .smsCode(phoneMasked: phoneMasked, triesLeft: triesLeft, $0) }
    }

    func choosePin() async throws -> SecretChoice { try await ask { .choosePin($0) } }

    func pin(reason: PinReason, triesLeft: UInt8) async throws -> String {
        try await ask { .pin(reason, triesLeft: triesLeft, $0) }
    }

    func keyPassword(wrong: Bool) async throws -> String { try await ask { .keyPassword(wrong: wrong, $0) } }

    func choose(challenge: LoginChallengeInfo, again: Bool) async throws -> LoginChoice {
        try await ask { .loginChallenge(challenge, again: again, $0) }
    }

    /// Whether the system has a usable network path now.
    private static func networkReachable() async -> Bool {
        await withCheckedContinuation { continuation in
            let monitor = NWPathMonitor()
            var answered = false // touched only on the monitor's serial queue
            monitor.pathUpdateHandler = { path in
                guard !answered else { return }
                answered = true
                monitor.cancel()
                continuation.resume(returning: path.status == .satisfied)
            }
            monitor.start(queue: DispatchQueue(label: "kz.qoltanba.network-check"))
        }
    }
}
