import SwiftUI
import QoltanbaKit

/// Why a wallet call failed, in the citizen's language.
struct WalletErrorText: View {
    let error: Error

    var body: some View {
        if let error = error as? WalletError {
            Known(error: error)
        } else {
            Text("wallet_error_other \(error.localizedDescription)")
        }
    }

    private struct Known: View {
        let error: WalletError

        var body: some View {
            switch error {
            case .NotEnrolled: Text("wallet_error_not_enrolled")
            case .NoPin: Text("wallet_error_no_pin")
            case let .PinLocked(until): PinLockedText(until: until)
            case let .WrongPin(triesLeft): Text("wallet_error_wrong_pin \(Int(triesLeft))")
            case .WrongKeyPassword: Text("key_password_wrong")
            case .NotALoginCode: Text("wallet_error_not_a_login_code")
            case .RequestNotPending: Text("wallet_error_request_not_pending")
            case let .CodeMismatch(announced, computed): Text("wallet_error_code_mismatch \(announced) \(computed)")
            case .MalformedRequest: Text("requests_verdict_malformed")
            case .Expired: Text("wallet_error_expired")
            case .Network: Text("wallet_error_network")
            case let .Stalled(retryAfter):
                if let retryAfter { Text("wallet_error_stalled_after \(Int(retryAfter))") } else { Text("wallet_error_stalled") }
            case let .Server(code): Text("wallet_error_server \(code)")
            case .UnreadableSignature: Text("wallet_error_unreadable_signature")
            case .Store: Text("wallet_error_store")
            case .Platform: Text("wallet_error_platform")
            case .Cancelled: Text("wallet_error_cancelled")
            case .Defect: Text("wallet_error_defect")
            }
        }
    }
}

/// Too many wrong PINs: when the PIN can be tried again.
struct PinLockedText: View {
    let until: Date

    var body: some View {
        Text("wallet_error_pin_locked \(until.formatted(date: .abbreviated, time: .shortened))")
    }
}

/// How a login ended.
struct LoginEndingText: View {
    let ending: LoginEnding

    var body: some View {
        switch ending {
        case let .loggedIn(relyingParty): Label("login_logged_in \(relyingParty)", systemImage: "checkmark.circle.fill")
        case .declined: Text("login_declined")
        case .expired: Text("login_expired")
        case let .refused(reason): LoginRefusalText(reason: reason).foregroundStyle(.red)
        case let .pinLocked(until): PinLockedText(until: until).foregroundStyle(.red)
        case .serverFailed: Text("login_server_failed").foregroundStyle(.red)
        case .keyFailed: Text("login_key_failed").foregroundStyle(.red)
        }
    }
}

/// Why the server refused a login (the page shows the same reason).
struct LoginRefusalText: View {
    let reason: LoginRefusalReason

    var body: some View {
        switch reason {
        case .wrongNumber: Text("login_refusal_wrong_number")
        case .replayed: Text("login_refusal_replayed")
        case .otherSession: Text("login_refusal_other_session")
        case .certificateRevoked: Text("login_refusal_certificate_revoked")
        case .certificateExpired: Text("login_refusal_certificate_expired")
        case .notAnAuthCertificate: Text("login_refusal_not_an_auth_certificate")
        case .badSignature: Text("login_refusal_bad_signature")
        case .untrustedCertificate: Text("login_refusal_untrusted_certificate")
        case .expired: Text("login_expired")
        case .otherBrowser: Text("login_refusal_other_browser")
        case .staleQrCode: Text("login_refusal_stale_qr_code")
        case .alreadyScanned: Text("login_refusal_already_scanned")
        case .declined: Text("login_refusal_declined")
        }
    }
}

/// What the citizen may do with a signing request, and why.
struct VerdictText: View {
    let verdict: RequestVerdict

    var body: some View {
        switch verdict {
        case .open: Text("requests_verdict_open")
        case let .codeMismatch(announced):
            Label("requests_verdict_code_mismatch \(announced)", systemImage: "exclamationmark.octagon.fill")
                .foregroundStyle(.red)
        case .malformed:
            Label("requests_verdict_malformed", systemImage: "exclamationmark.octagon.fill").foregroundStyle(.red)
        case .expired: Text("requests_verdict_expired").foregroundStyle(.secondary)
        }
    }
}

/// Whether the signers' certificates chain to the CA this phone enrolled with.
struct ChainText: View {
    let chain: ChainStatus

    var body: some View {
        switch chain {
        case .trusted: Label("verify_chain_trusted", systemImage: "checkmark.seal.fill").foregroundStyle(.green)
        case .untrusted: Label("verify_chain_untrusted", systemImage: "xmark.seal.fill").foregroundStyle(.red)
        case .notChecked: Label("verify_chain_not_checked", systemImage: "questionmark.circle")
        }
    }
}
