import SwiftUI
import QoltanbaKit

/// The input that answers one question; `done` runs after the answer (or the back-out) is given.
struct QuestionSection: View {
    let question: Question
    let done: () -> Void

    var body: some View {
        Section {
            switch question {
            case let .iin(answer):
                TextEntry(hint: "step_enter_iin_hint", content: .none, keyboard: .numberPad) { answer.give($0); done() }
            case let .phone(answer):
                TextEntry(hint: "phone_hint", content: .telephoneNumber, keyboard: .phonePad) { answer.give($0); done() }
            case let .smsCode(_, _, answer):
                // One-time-code autofill: iOS offers the code from 1414's SMS above the keyboard.
                TextEntry(hint: "sms_code_hint", content: .oneTimeCode, keyboard: .numberPad) { answer.give($0); done() }
            case let .email(_, answer):
                TextEntry(hint: "email_hint", content: .emailAddress, keyboard: .emailAddress) { answer.give($0); done() }
            case let .consent(answer):
                Button("step_pin_consent_agree") { answer.give(true); done() }
            case let .keyStorage(hardwareAvailable, answer):
                if hardwareAvailable {
                    Button("step_key_storage_hardware") { answer.give(.hardware); done() }
                }
                Button("step_key_storage_file") { answer.give(.file); done() }
            case let .password(answer):
                SecretPair(hint: "step_password", confirmation: "step_password_confirm") { answer.give($0); done() }
            case let .choosePin(answer):
                SecretPair(hint: "pin_hint", confirmation: "pin_confirm", keyboard: .numberPad) { answer.give($0); done() }
            case let .pin(reason, triesLeft, answer):
                PinEntry(reason: reason, triesLeft: triesLeft) { answer.give($0); done() }
            case let .keyPassword(wrong, answer):
                KeyPasswordEntry(wrong: wrong) { answer.give($0); done() }
            case let .loginChallenge(challenge, again, answer):
                ChallengeRows(challenge: challenge, again: again) { answer.give($0); done() }
            case let .picture(picture, answer):
                CaptureView(picture: picture) { result in
                    switch result {
                    case let .success(jpeg): answer.give(jpeg)
                    case .failure: answer.cancel()
                    }
                    done()
                }
            }
            if !backsOutItself { Button("common_cancel", role: .cancel) { cancel(); done() } }
        }
    }

    /// A login challenge has its own way out ("not me").
    private var backsOutItself: Bool {
        if case .loginChallenge = question { return true }
        return false
    }

    private func cancel() {
        switch question {
        case let .iin(answer), let .phone(answer), let .smsCode(_, _, answer), let .email(_, answer),
             let .pin(_, _, answer), let .keyPassword(_, answer):
            answer.cancel()
        case let .consent(answer): answer.cancel()
        case let .keyStorage(_, answer): answer.cancel()
        case let .password(answer), let .choosePin(answer): answer.cancel()
        case let .picture(_, answer): answer.cancel()
        case let .loginChallenge(_, _, answer): answer.cancel()
        }
    }
}

/// A text field with its content type (autofill) and a continue button.
struct TextEntry: View {
    let hint: LocalizedStringKey
    let content: UITextContentType?
    let keyboard: UIKeyboardType
    let submit: (String) -> Void
    @State var text = ""

    var body: some View {
        TextField(hint, text: $text)
            .textContentType(content)
            .keyboardType(keyboard)
            .autocorrectionDisabled()
            .textInputAutocapitalization(.never)
        Button("common_continue") { submit(text) }.disabled(text.isEmpty)
    }
}

/// A new secret typed twice.
struct SecretPair: View {
    let hint: LocalizedStringKey
    let confirmation: LocalizedStringKey
    var keyboard: UIKeyboardType = .default
    let submit: (SecretChoice) -> Void
    @State var value = ""
    @State var repeated = ""

    var body: some View {
        SecureField(hint, text: $value).keyboardType(keyboard).textContentType(.newPassword)
        SecureField(confirmation, text: $repeated).keyboardType(keyboard).textContentType(.newPassword)
        Button("common_continue") { submit(SecretChoice(value: value, confirmation: repeated)) }
            .disabled(value.isEmpty || repeated.isEmpty)
    }
}

/// The PIN, typed or recalled with biometrics (LocalAuthentication); on confirming it, the citizen may
/// let biometrics remember it.
struct PinEntry: View {
    let reason: PinReason
    let triesLeft: UInt8
    let submit: (String) -> Void
    @State var pin = ""
    @State var remember = false

    var body: some View {
        // 0: the core does not know yet (the first ask of a wallet call); a wrong PIN says how many remain.
        if triesLeft > 0 { Text("common_tries_left \(Int(triesLeft))") }
        SecureField("pin_hint", text: $pin).keyboardType(.numberPad)
        if reason == .confirm, BiometricPin.available {
            Toggle("pin_biometric_remember", isOn: $remember)
        }
        Button("common_continue") {
            if remember { BiometricPin.remember(pin) }
            submit(pin)
        }
        .disabled(pin.isEmpty)
        if reason == .unlock, BiometricPin.available {
            Button("pin_biometric") {
                Task {
                    let prompt = String(localized: "pin_biometric_reason")
                    if let saved = await BiometricPin.recall(reason: prompt) { submit(saved) }
                }
            }
        }
    }
}

/// The key files' password, typed (never remembered).
struct KeyPasswordEntry: View {
    let wrong: Bool
    let submit: (String) -> Void
    @State var password = ""

    var body: some View {
        if wrong { Text("key_password_wrong").foregroundStyle(.red) }
        SecureField("key_password_hint", text: $password).textContentType(.password)
        Button("common_continue") { submit(password) }.disabled(password.isEmpty)
    }
}

/// The camera for one picture.
struct CaptureView: View {
    let picture: Picture
    let taken: (Result<Data, PlatformError>) -> Void
    @State var camera = CameraCapture()

    var body: some View {
        CameraPreview(session: camera.session)
            .frame(height: 360)
            .onAppear {
                do { try camera.start(for: picture) } catch { taken(.failure(.Unavailable(reason: "\(error)"))) }
            }
            .onDisappear { camera.stop() }
        Button("camera_capture") {
            camera.shoot { result in DispatchQueue.main.async { taken(result) } }
        }
    }
}
