import SwiftUI
import QoltanbaKit

/// QR login on egov: scan the page's code, see who asks, tap the number the page shows (or "not me"),
/// confirm with the PIN; then how it ended.
struct LoginView: View {
    @EnvironmentObject private var wallet: WalletModel
    @State private var phase = Phase.scanning
    @State private var running: Task<Void, Never>?

    private enum Phase {
        case scanning
        case approving
        case ended(LoginEnding)
        case failed(Error)
    }

    var body: some View {
        Form {
            switch phase {
            case .scanning:
                Section {
                    QrScannerView { approve($0) }
                } footer: {
                    Text("login_scan_hint")
                }
                Section {
                    // Where there is no camera (the simulator), the code's text pasted.
                    PasteButton(payloadType: String.self) { texts in
                        Task { @MainActor in
                            if let text = texts.first { approve(text) }
                        }
                    }
                }
            case .approving:
                PendingQuestion(questions: wallet.questions) {}
                Section { ProgressView() }
            case let .ended(ending):
                Section { LoginEndingText(ending: ending) }
                Button("login_scan_again") { phase = .scanning }
            case let .failed(error):
                Section { WalletErrorText(error: error).foregroundStyle(.red) }
                Button("login_scan_again") { phase = .scanning }
            }
        }
        .navigationTitle("nav_qr_login")
        .onDisappear {
            // Leaving declines a challenge left unanswered.
            wallet.questions.cancelPending()
            running?.cancel()
        }
    }

    @MainActor
    private func approve(_ qrText: String) {
        guard case .scanning = phase else { return }
        phase = .approving
        running = Task {
            do {
                phase = .ended(try await wallet.login(qrText: qrText))
            } catch {
                phase = .failed(error)
            }
            running = nil
        }
    }
}

/// The login challenge: who asks, from which browser and where, the warning when the browser is on
/// another network, the three numbers and "not me".
struct ChallengeRows: View {
    let challenge: LoginChallengeInfo
    let again: Bool
    let choose: (LoginChoice) -> Void

    var body: some View {
        Text("login_to \(challenge.relyingParty)").font(.headline)
        LabeledContent("login_browser", value: challenge.browser)
        LabeledContent("login_place", value: challenge.place ?? challenge.browserAddress)
        if challenge.place != nil { LabeledContent("login_address", value: challenge.browserAddress) }
        LabeledContent("login_started") { Text(challenge.startedAt, style: .time) }
        if challenge.addressWarning {
            Label("login_address_warning", systemImage: "exclamationmark.triangle.fill").foregroundStyle(.orange)
        }
        Text(again ? LocalizedStringKey("login_pick_offered") : "login_pick_number").foregroundStyle(again ? Color.red : Color.primary)
        HStack {
            ForEach(Array(challenge.numbers), id: \.self) { number in
                Button { choose(.number(value: number)) } label: {
                    Text(verbatim: "\(number)").font(.largeTitle.monospacedDigit().bold()).frame(maxWidth: .infinity)
                }
                .buttonStyle(.bordered) // a styled button takes only its own taps inside a list row
            }
        }
        Button("login_not_me", role: .destructive) { choose(.decline) }
        Text("login_time_left \(Text(challenge.expiresAt, style: .timer))").foregroundStyle(.secondary)
    }
}
