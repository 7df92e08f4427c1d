import SwiftUI
import QoltanbaKit

/// The enrollment: the current step's screen (from the core's state record), the notice beside it, and
/// the input for the question the core is asking.
struct EnrollmentView: View {
    @EnvironmentObject private var model: AppModel

    var body: some View {
        Form {
            if let state = model.state {
                StepSection(step: state.step)
                if let notice = state.notice { Section { NoticeText(notice: notice).foregroundStyle(.red) } }
                if state.busy { ProgressView("common_busy") }
            }
            if let problem = model.problem { Section { ProblemText(problem: problem).foregroundStyle(.red) } }
            PendingQuestion(questions: model.questions, done: model.answered)
            if !model.running, case .error = model.result { Button("common_retry") { model.start() } }
        }
        .navigationTitle("nav_enroll")
        .onAppear { model.start() }
    }
}

/// The input for the question the core is asking now, if any.
struct PendingQuestion: View {
    @ObservedObject var questions: Questions
    let done: () -> Void

    var body: some View {
        if let question = questions.pending {
            QuestionSection(question: question) {
                questions.clear()
                done()
            }
        }
    }
}

/// What the state record says about the current step.
struct StepSection: View {
    let step: Step

    var body: some View {
        Section {
            switch step {
            case .deviceCheck: Text("step_device_check")
            case .enterIin: Text("step_enter_iin")
            case .startingSession: Text("step_starting_session")
            case .enterPhone: Text("step_enter_phone")
            case let .awaitingOperator(phoneMasked): Text("step_awaiting_operator \(phoneMasked)")
            case let .enterSmsCode(phoneMasked, expiresAt, _, triesLeft):
                Text("step_sms_code \(phoneMasked)")
                Text("common_tries_left \(Int(triesLeft))")
                Text(expiresAt, style: .timer)
            case let .takeSelfie(attemptsLeft, lastRejection):
                Text("step_selfie")
                Text("common_tries_left \(Int(attemptsLeft))")
                if let lastRejection { Text(lastRejection).foregroundStyle(.red) }
            case .selfieUnderReview: Text("step_selfie_review")
            case .choosePin: Text("step_choose_pin")
            case .takeIdCardPhoto: Text("step_id_card")
            case .confirmPinAndConsent: Text("step_pin_consent")
            case let .reviewPersonAndEmail(person):
                Text("step_review_person")
                Text([person.surname, person.name, person.patronymic].compactMap { $0 }.joined(separator: " "))
                Text(person.iin)
                Text(person.birthDate)
            case .chooseKeyStorage: Text("step_key_storage")
            case .choosePassword: Text("step_password")
            case .generatingKeys: Text("step_generating_keys")
            case .issuing: Text("step_issuing")
            case .installing: Text("step_installing")
            case .unlockKeys: Text("step_unlock_keys")
            case let .done(certificates):
                Text("step_done")
                Text(verbatim: "AUTH \(certificates.authSerial)").font(.caption.monospaced())
                Text(verbatim: "SIGN \(certificates.signSerial)").font(.caption.monospaced())
            case let .failed(reason, detail):
                Text("step_failed")
                FailText(reason: reason)
                if let detail { Text(detail) }
            }
        }
    }
}
