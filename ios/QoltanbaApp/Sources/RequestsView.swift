import SwiftUI
import QoltanbaKit

/// The inbox of signing requests from services: each with who asks, what, the verification code to
/// compare with the service's, the document and the expiry; approve (PIN) or refuse. Long-polls the
/// server while on screen; pulling down asks again.
struct RequestsView: View {
    @EnvironmentObject private var wallet: WalletModel
    @State private var requests: [SignRequest] = []
    @State private var listening = false
    @State private var problem: Error? // of the last approve / refuse
    @State private var inboxProblem: Error? // of listening
    @State private var outcome: LocalizedStringKey?
    @State private var round = 0
    @State private var answering: Task<Void, Never>?

    var body: some View {
        List {
            PendingQuestion(questions: wallet.questions) {}
            if let outcome { Section { Text(outcome) } }
            if let problem { Section { WalletErrorText(error: problem).foregroundStyle(.red) } }
            if let inboxProblem { Section { WalletErrorText(error: inboxProblem).foregroundStyle(.red) } }
            if requests.isEmpty {
                Section {
                    Text("requests_empty").foregroundStyle(.secondary)
                    if listening { ProgressView() }
                }
            }
            ForEach(requests, id: \.id) { request in
                RequestSection(request: request, busy: answering != nil) { answer(request, approve: $0) }
            }
        }
        .navigationTitle("nav_requests")
        .task(id: round) { await listen() }
        .refreshable { round += 1 }
        .onDisappear {
            wallet.questions.cancelPending()
            answering?.cancel()
        }
    }

    /// Follows the inbox until the screen goes; waits and starts again after a network failure.
    @MainActor
    private func listen() async {
        listening = true
        defer { if !Task.isCancelled { listening = false } } // a cancelled round has a successor
        while !Task.isCancelled {
            do {
                let inbox = try wallet.signRequests()
                for await update in inbox {
                    switch update {
                    case let .pending(pending):
                        requests = pending
                        inboxProblem = nil
                    case let .failed(error):
                        throw error
                    }
                }
                return
            } catch is CancellationError {
                return
            } catch {
                inboxProblem = error
                guard let seconds = Self.retryDelay(after: error) else { return }
                try? await Task.sleep(nanoseconds: UInt64(seconds) * 1_000_000_000)
            }
        }
    }

    /// Seconds to wait before listening again after `error`, or nil when waiting would not help.
    private static func retryDelay(after error: Error) -> UInt32? {
        guard let error = error as? WalletError else { return nil }
        switch error {
        case .Network: return 15
        case let .Stalled(retryAfter): return retryAfter ?? 15
        default: return nil
        }
    }

    @MainActor
    private func answer(_ request: SignRequest, approve: Bool) {
        outcome = nil
        problem = nil
        answering = Task {
            do {
                if approve {
                    _ = try await wallet.approve(id: request.id)
                    outcome = "requests_approved \(request.relyingParty)"
                } else {
                    try await wallet.refuse(id: request.id)
                    outcome = "requests_refused \(request.relyingParty)"
                }
                requests.removeAll { $0.id == request.id }
            } catch WalletError.Cancelled {
            } catch is CancellationError {
            } catch {
                problem = error
            }
            answering = nil
            round += 1 // the inbox again, now
        }
    }
}

/// One request: who asks, what, the verification code (large), the document, the time left, and the
/// actions its verdict allows.
struct RequestSection: View {
    let request: SignRequest
    let busy: Bool
    let answer: (_ approve: Bool) -> Void

    var body: some View {
        Section {
            Text(request.relyingParty).font(.headline)
            Text(request.displayText)
            VStack(alignment: .leading) {
                Text("requests_code").font(.caption).foregroundStyle(.secondary)
                Text(verbatim: request.verificationCode).font(.system(size: 44, weight: .bold, design: .monospaced))
            }
            VerdictText(verdict: request.verdict)
            LabeledContent("requests_document") {
                if let size = request.documentSize {
                    Text(verbatim: ByteCountFormatter.string(fromByteCount: Int64(clamping: size), countStyle: .file))
                } else {
                    Text("requests_digest_only")
                }
            }
            LabeledContent("requests_format") {
                Text(request.format == .attached ? LocalizedStringKey("requests_format_attached") : "requests_format_detached")
            }
            VStack(alignment: .leading) {
                Text(verbatim: "SHA-256").font(.caption).foregroundStyle(.secondary)
                Text(verbatim: request.digestHex).font(.caption.monospaced()).textSelection(.enabled)
            }
            if request.verdict != .expired {
                LabeledContent("requests_time_left") { Text(request.expiresAt, style: .timer) }
            }
            if request.canApprove { Button("requests_approve") { answer(true) }.disabled(busy) }
            if request.canRefuse { Button("requests_refuse", role: .destructive) { answer(false) }.disabled(busy) }
        }
    }
}
