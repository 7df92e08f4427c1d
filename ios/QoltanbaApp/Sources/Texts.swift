import SwiftUI
import QoltanbaKit

/// Why the enrollment failed, in the citizen's language.
struct FailText: View {
    let reason: FailReason

    var body: some View {
        switch reason {
        case .phoneRegistrationRejected: Text("fail_phone_registration_rejected")
        case .tooManyCodeAttempts: Text("fail_too_many_code_attempts")
        case .selfieAttemptsExhausted: Text("fail_selfie_attempts_exhausted")
        case .consentRefused: Text("fail_consent_refused")
        case .personNotFound: Text("fail_person_not_found")
        case .issuanceRefused: Text("fail_issuance_refused")
        case .cancelledByOperator: Text("fail_cancelled_by_operator")
        case .sessionExpired: Text("fail_session_expired")
        case .sessionNotFound: Text("fail_session_not_found")
        case let .refused(code): Text("fail_refused \(code)")
        case .keysLost: Text("fail_keys_lost")
        }
    }
}

/// The notice beside the step.
struct NoticeText: View {
    let notice: Notice

    var body: some View {
        switch notice {
        case let .codeMismatch(triesLeft): Text("notice_code_mismatch \(Int(triesLeft))")
        case .codeExpired: Text("notice_code_expired")
        case .rateLimited: Text("notice_rate_limited")
        case .serverUnavailable: Text("notice_server_unavailable")
        case .network: Text("notice_network")
        case let .refused(code): Text("notice_refused \(code)")
        case let .wrongPin(triesLeft, _): Text("notice_wrong_pin \(Int(triesLeft))")
        case .keysFailed: Text("notice_keys_failed")
        case .installFailed: Text("notice_install_failed")
        case .interrupted: Text("notice_interrupted")
        }
    }
}

/// Why the last input was refused.
struct ProblemText: View {
    let problem: InputProblem

    var body: some View {
        switch problem {
        case .deviceNotReady: Text("problem_device_not_ready")
        case .iinLength: Text("problem_iin_length")
        case .iinNotADigit: Text("problem_iin_not_a_digit")
        case .iinCheckDigit: Text("problem_iin_check_digit")
        case .phone: Text("problem_phone")
        case .smsCode: Text("problem_sms_code")
        case .pictureType: Text("problem_picture_type")
        case .pictureTooLarge: Text("problem_picture_too_large")
        case .pinShape: Text("problem_pin_shape")
        case .pinWeak: Text("problem_pin_weak")
        case .pinConfirmation: Text("problem_pin_confirmation")
        case .email: Text("problem_email")
        case let .passwordWeak(minChars): Text("problem_password_weak \(Int(minChars))")
        case .passwordConfirmation: Text("problem_password_confirmation")
        case .passwordEmpty: Text("problem_password_empty")
        }
    }
}
