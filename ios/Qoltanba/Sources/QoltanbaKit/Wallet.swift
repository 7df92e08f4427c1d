import QoltanbaFFI

/// The citizen's certificates and history, read off the main actor from the core's local store.
public final class Wallet: @unchecked Sendable {
    private let store: LocalStore

    /// Opens the local store in `dataDir` (the flow's `FlowConfig.dataDir`).
    /// - Throws: `FlowError`.
    public init(dataDir: String) throws {
        store = try LocalStore.open(dataDir: dataDir)
    }

    /// The certificates, newest first.
    public func certificates() async throws -> [CertificateInfo] {
        let store = store
        return try await Task.detached { try store.certificates() }.value
    }

    /// A page of the history, newest first.
    public func history(offset: UInt32 = 0, limit: UInt32 = 50) async throws -> [HistoryItem] {
        let store = store
        return try await Task.detached { try store.history(offset: offset, limit: limit) }.value
    }
}
