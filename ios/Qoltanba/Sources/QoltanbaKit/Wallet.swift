import Foundation
import QoltanbaFFI

/// The citizen enrolled on this device (by an `Enrollment` with the same `FlowConfig`), over the Rust
/// core's `Wallet`. Every call throws `WalletError` (typed: `.WrongPin(triesLeft:)`, `.PinLocked(until:)`,
/// `.WrongKeyPassword`, `.Network`, …) and is cancelled with its task.
public final class Wallet: @unchecked Sendable {
    private let wallet: QoltanbaFFI.Wallet

    /// The wallet in `config.dataDir` with the PIN prompt, the key files' password prompt and the
    /// hardware key store the enrollment used.
    /// - Throws: `WalletError` when the local store cannot be opened.
    public init(config: FlowConfig, pin: PinPrompt, passwords: KeyPasswordPrompt, keyStore: PlatformKeyStore? = nil) throws {
        wallet = try QoltanbaFFI.Wallet.open(config: config, pin: pin, passwords: passwords, keyStore: keyStore)
    }

    /// The wallet with the enrollment's `services`; key files ask `services.passwords`.
    public convenience init(config: FlowConfig, services: PlatformServices) throws {
        try self.init(config: config, pin: services.pin, passwords: services.passwords ?? NoKeyFiles(), keyStore: services.keyStore)
    }

    /// The certificates, newest first.
    public func certificates() async throws -> [CertificateInfo] {
        let wallet = wallet
        return try await Task.detached { try wallet.certificates() }.value
    }

    /// A page of the history, newest first.
    public func history(offset: UInt32 = 0, limit: UInt32 = 50) async throws -> [HistoryItem] {
        let wallet = wallet
        return try await Task.detached { try wallet.history(offset: offset, limit: limit) }.value
    }

    /// Signs `content` (the file `fileName`) with the SIGN key after the PIN: a CAdES-BES CMS.
    public func sign(_ content: Data, fileName: String, detached: Bool = false) async throws -> SignedDocument {
        try await wallet.signDocument(content: content, fileName: fileName, detached: detached)
    }

    /// Verifies `signature` over its own content, or over `content` when detached.
    public func verify(_ signature: Data, content: Data? = nil) async throws -> Verification {
        let wallet = wallet
        return try await Task.detached { try wallet.verifyDocument(signature: signature, content: content) }.value
    }

    /// Approves (or declines) the login of the scanned `qrText`; `screens` shows who asks and takes the number.
    public func login(qrText: String, screens: LoginScreens) async throws -> LoginEnding {
        try await wallet.approveLogin(qrText: qrText, screens: screens)
    }

    /// Registers this device for signing requests, with the APNs token that wakes the app.
    public func register(device: Device, pushToken: String?) async throws {
        try await wallet.registerDevice(device: device, pushToken: pushToken)
    }

    /// The pending signing requests, each time they change: long-polls the server (`pollSeconds` per
    /// call) while iterated, and re-checks every `pollSeconds` while requests are pending. A failure is
    /// the last element (`.failed`); cancelling the iterating task stops the stream.
    public func signRequests(pollSeconds: UInt32 = 30) -> AsyncStream<InboxUpdate> {
        let wallet = wallet
        return AsyncStream { continuation in
            let task = Task {
                var last: [SignRequest]?
                while !Task.isCancelled {
                    do {
                        let pending = try await wallet.signRequests(waitSeconds: pollSeconds)
                        if pending != last { continuation.yield(.pending(pending)) }
                        last = pending
                        if !pending.isEmpty { try await Task.sleep(nanoseconds: UInt64(max(pollSeconds, 1)) * 1_000_000_000) }
                    } catch let error as WalletError {
                        continuation.yield(.failed(error))
                        break
                    } catch {
                        break
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Approves request `id`: the PIN, then the signature is sent to the service.
    public func approve(id: String) async throws -> ApprovedRequest {
        try await wallet.approveSignRequest(id: id)
    }

    /// Refuses request `id`.
    public func refuse(id: String) async throws {
        try await wallet.refuseSignRequest(id: id)
    }
}

/// What the inbox stream says.
public enum InboxUpdate: Sendable {
    /// The pending requests now (the phone's verification codes, what may be done with each).
    case pending([SignRequest])
    /// Listing failed (network, not enrolled, …); the stream ends.
    case failed(WalletError)
}

/// The password prompt of an app that keeps keys only in the Keychain.
private final class NoKeyFiles: KeyPasswordPrompt, @unchecked Sendable {
    func keyPassword(wrong: Bool) async throws -> String {
        throw PlatformError.Unavailable(reason: "this app keeps no key files")
    }
}
