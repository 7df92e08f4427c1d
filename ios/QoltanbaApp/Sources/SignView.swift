import SwiftUI
import UniformTypeIdentifiers
import QoltanbaKit

/// Signing a file (attached or detached CMS, then shared or saved under the suggested name) and
/// checking a signature file, with its content file for a detached one.
struct SignView: View {
    @EnvironmentObject private var wallet: WalletModel
    @State private var document: PickedFile?
    @State private var detached = false
    @State private var signed: URL?
    @State private var signature: PickedFile?
    @State private var content: PickedFile?
    @State private var verification: Verification?
    @State private var problem: Error?
    @State private var importing = false
    @State private var target = Target.document
    @State private var running: Task<Void, Never>?

    /// What the file being picked is for.
    private enum Target { case document, signature, content }

    var body: some View {
        Form {
            PendingQuestion(questions: wallet.questions) {}
            if let problem { Section { WalletErrorText(error: problem).foregroundStyle(.red) } }
            Section("sign_section") {
                pickButton("sign_choose_file", file: document, for: .document)
                Toggle("sign_detached", isOn: $detached)
                Button("sign_action") { sign() }.disabled(document == nil || running != nil)
                if let signed {
                    Text("sign_done \(signed.lastPathComponent)")
                    ShareLink(item: signed) { Label("sign_share", systemImage: "square.and.arrow.up") }
                }
            }
            Section("verify_section") {
                pickButton("verify_choose_signature", file: signature, for: .signature)
                pickButton("verify_choose_content", file: content, for: .content)
                if content != nil { Button("verify_clear_content", role: .destructive) { content = nil } }
                Button("verify_action") { verify() }.disabled(signature == nil || running != nil)
            }
            if let verification { VerificationSections(verification: verification) }
            if running != nil { Section { ProgressView() } }
        }
        .navigationTitle("nav_sign")
        .fileImporter(isPresented: $importing, allowedContentTypes: [.data]) { picked(target, $0) }
        .onDisappear {
            wallet.questions.cancelPending()
            running?.cancel()
        }
    }

    private func pickButton(_ title: LocalizedStringKey, file: PickedFile?, for purpose: Target) -> some View {
        Button {
            target = purpose
            importing = true
        } label: {
            LabeledContent(title) { Text(verbatim: file.map { "\($0.name), \($0.size)" } ?? "—") }
        }
        .disabled(running != nil)
    }

    @MainActor
    private func picked(_ purpose: Target, _ result: Result<URL, Error>) {
        run {
            let file = try await PickedFile.read(try result.get())
            switch purpose {
            case .document:
                document = file
                signed = nil
            case .signature:
                signature = file
                verification = nil
            case .content:
                content = file
                verification = nil
            }
        }
    }

    @MainActor
    private func sign() {
        guard let document else { return }
        run {
            let result = try await wallet.sign(document.content, fileName: document.name, detached: detached)
            signed = try PickedFile.export(result.cms, named: result.suggestedFileName)
        }
    }

    @MainActor
    private func verify() {
        guard let signature else { return }
        run { verification = try await wallet.verify(signature.content, content: content?.content) }
    }

    /// Runs `work`, showing its failure (a backed-out prompt is not one).
    @MainActor
    private func run(_ work: @escaping @MainActor () async throws -> Void) {
        problem = nil
        running = Task {
            do {
                try await work()
            } catch WalletError.Cancelled {
            } catch is CancellationError {
            } catch {
                problem = error
            }
            running = nil
        }
    }
}

/// What a signature is worth: overall, the chain, and each signer.
struct VerificationSections: View {
    let verification: Verification

    var body: some View {
        Section("verify_result") {
            if verification.signatureValid {
                Label("verify_valid", systemImage: "checkmark.circle.fill").foregroundStyle(.green)
            } else {
                Label("verify_invalid", systemImage: "xmark.octagon.fill").foregroundStyle(.red)
            }
            ChainText(chain: verification.chain)
        }
        ForEach(Array(verification.signers.enumerated()), id: \.offset) { _, signer in
            Section("verify_signer") {
                LabeledContent("verify_signer_name", value: signer.name ?? "—")
                LabeledContent("verify_signer_iin", value: signer.iin ?? "—")
                LabeledContent("verify_signer_serial") {
                    Text(verbatim: signer.serial).font(.caption.monospaced()).textSelection(.enabled)
                }
                LabeledContent("verify_signer_time") {
                    if let time = signer.signingTime { Text(time, format: .dateTime) } else { Text(verbatim: "—") }
                }
                if signer.valid {
                    Label("verify_signer_valid", systemImage: "checkmark").foregroundStyle(.green)
                } else {
                    Label("verify_signer_invalid", systemImage: "xmark").foregroundStyle(.red)
                }
            }
        }
    }
}
