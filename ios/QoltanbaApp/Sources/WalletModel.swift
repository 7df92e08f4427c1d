import Foundation
import QoltanbaKit

/// The enrolled citizen's wallet for the signing, login and request screens. It is opened on first use
/// with the enrollment's configuration and key store (`AppSetup`); the PIN, the key files' password and
/// the login challenge are asked through `questions`, which the screen on view shows.
/// Every call throws `WalletError` (or `CancellationError` when its task is cancelled).
@MainActor
final class WalletModel: ObservableObject {
    let questions = Questions()
    private lazy var forms = Forms(questions: questions)
    private var opened: QoltanbaKit.Wallet?

    /// How long one long-poll of the inbox lasts, and the re-check period while requests are pending.
    private static let pollSeconds: UInt32 = 30

    /// Signs `content` (the file `fileName`): a CAdES-BES CMS, attached unless `detached`.
    func sign(_ content: Data, fileName: String, detached: Bool) async throws -> SignedDocument {
        try await wallet().sign(content, fileName: fileName, detached: detached)
    }

    /// Verifies `signature` over its own content, or over `content` when detached.
    func verify(_ signature: Data, content: Data?) async throws -> Verification {
        try await wallet().verify(signature, content: content)
    }

    /// Approves (or declines) the login of a scanned QR code; the challenge comes as a question.
    func login(qrText: String) async throws -> LoginEnding {
        try await wallet().login(qrText: qrText, screens: forms)
    }

    /// The pending signing requests each time they change, long-polling while iterated. The core registers
    /// this iPhone on first use (as iOS, from `AppSetup.config.device`); without an APNs entitlement there is
    /// no push token, so the inbox is polled while its screen is open.
    func signRequests() throws -> AsyncStream<InboxUpdate> {
        try wallet().signRequests(pollSeconds: Self.pollSeconds)
    }

    /// Approves request `id` (the PIN is asked).
    func approve(id: String) async throws -> ApprovedRequest {
        try await wallet().approve(id: id)
    }

    /// Refuses request `id`.
    func refuse(id: String) async throws {
        try await wallet().refuse(id: id)
    }

    private func wallet() throws -> QoltanbaKit.Wallet {
        if let opened { return opened }
        let wallet = try QoltanbaKit.Wallet(
            config: AppSetup.config, pin: forms, passwords: forms, keyStore: AppSetup.keyStore
        )
        opened = wallet
        return wallet
    }
}
