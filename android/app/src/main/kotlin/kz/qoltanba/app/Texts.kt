package kz.qoltanba.app

import androidx.compose.runtime.Composable
import androidx.compose.ui.res.stringResource
import kz.qoltanba.ffi.ChainStatus
import kz.qoltanba.ffi.FailReason
import kz.qoltanba.ffi.InputProblem
import kz.qoltanba.ffi.LoginEnding
import kz.qoltanba.ffi.LoginRefusalReason
import kz.qoltanba.ffi.Notice
import kz.qoltanba.ffi.WalletException

/** Why the enrollment failed, in the citizen's language. */
@Composable
fun failText(reason: FailReason): String = when (reason) {
    FailReason.PhoneRegistrationRejected -> stringResource(R.string.fail_phone_registration_rejected)
    FailReason.TooManyCodeAttempts -> stringResource(R.string.fail_too_many_code_attempts)
    FailReason.SelfieAttemptsExhausted -> stringResource(R.string.fail_selfie_attempts_exhausted)
    FailReason.ConsentRefused -> stringResource(R.string.fail_consent_refused)
    FailReason.PersonNotFound -> stringResource(R.string.fail_person_not_found)
    FailReason.IssuanceRefused -> stringResource(R.string.fail_issuance_refused)
    FailReason.CancelledByOperator -> stringResource(R.string.fail_cancelled_by_operator)
    FailReason.SessionExpired -> stringResource(R.string.fail_session_expired)
    FailReason.SessionNotFound -> stringResource(R.string.fail_session_not_found)
    is FailReason.Refused -> stringResource(R.string.fail_refused, reason.code)
    FailReason.KeysLost -> stringResource(R.string.fail_keys_lost)
}

/** The notice beside the step. */
@Composable
fun noticeText(notice: Notice): String = when (notice) {
    is Notice.CodeMismatch -> stringResource(R.string.notice_code_mismatch, notice.triesLeft.toInt())
    Notice.CodeExpired -> stringResource(R.string.notice_code_expired)
    is Notice.RateLimited -> stringResource(R.string.notice_rate_limited)
    is Notice.ServerUnavailable -> stringResource(R.string.notice_server_unavailable)
    Notice.Network -> stringResource(R.string.notice_network)
    is Notice.Refused -> stringResource(R.string.notice_refused, notice.code)
    is Notice.WrongPin -> stringResource(R.string.notice_wrong_pin, notice.triesLeft.toInt())
    is Notice.KeysFailed -> stringResource(R.string.notice_keys_failed)
    is Notice.InstallFailed -> stringResource(R.string.notice_install_failed)
    Notice.Interrupted -> stringResource(R.string.notice_interrupted)
}

/** Why the last input was refused. */
@Composable
fun problemText(problem: InputProblem): String = when (problem) {
    is InputProblem.DeviceNotReady -> stringResource(R.string.problem_device_not_ready)
    is InputProblem.IinLength -> stringResource(R.string.problem_iin_length)
    is InputProblem.IinNotADigit -> stringResource(R.string.problem_iin_not_a_digit)
    InputProblem.IinCheckDigit -> stringResource(R.string.problem_iin_check_digit)
    InputProblem.Phone -> stringResource(R.string.problem_phone)
    InputProblem.SmsCode -> stringResource(R.string.problem_sms_code)
    InputProblem.PictureType -> stringResource(R.string.problem_picture_type)
    is InputProblem.PictureTooLarge -> stringResource(R.string.problem_picture_too_large)
    InputProblem.PinShape -> stringResource(R.string.problem_pin_shape)
    InputProblem.PinWeak -> stringResource(R.string.problem_pin_weak)
    InputProblem.PinConfirmation -> stringResource(R.string.problem_pin_confirmation)
    InputProblem.Email -> stringResource(R.string.problem_email)
    is InputProblem.PasswordWeak -> stringResource(R.string.problem_password_weak, problem.minChars.toInt())
    InputProblem.PasswordConfirmation -> stringResource(R.string.problem_password_confirmation)
    InputProblem.PasswordEmpty -> stringResource(R.string.problem_password_empty)
}

/** Why a wallet action failed. */
@Composable
fun walletErrorText(error: WalletException): String = when (error) {
    is WalletException.NotEnrolled -> stringResource(R.string.wallet_not_enrolled)
    is WalletException.NoPin -> stringResource(R.string.wallet_no_pin)
    is WalletException.PinLocked -> stringResource(R.string.wallet_pin_locked, error.until.toString())
    is WalletException.WrongPin -> stringResource(R.string.notice_wrong_pin, error.triesLeft.toInt())
    is WalletException.WrongKeyPassword -> stringResource(R.string.key_password_wrong)
    is WalletException.NotALoginCode -> stringResource(R.string.wallet_not_a_login_code)
    is WalletException.RequestNotPending -> stringResource(R.string.wallet_request_not_pending)
    is WalletException.CodeMismatch -> stringResource(R.string.requests_code_mismatch, error.announced)
    is WalletException.MalformedRequest -> stringResource(R.string.requests_malformed)
    is WalletException.Expired -> stringResource(R.string.requests_expired)
    is WalletException.Network -> stringResource(R.string.notice_network)
    is WalletException.Stalled -> stringResource(R.string.notice_server_unavailable)
    is WalletException.Server -> stringResource(R.string.notice_refused, error.code)
    is WalletException.UnreadableSignature -> stringResource(R.string.wallet_unreadable_signature)
    is WalletException.Store, is WalletException.Platform, is WalletException.Defect -> stringResource(R.string.wallet_failed)
    is WalletException.Cancelled -> stringResource(R.string.wallet_cancelled)
}

/** How a QR login ended. */
@Composable
fun loginEndingText(ending: LoginEnding): String = when (ending) {
    is LoginEnding.LoggedIn -> stringResource(R.string.login_logged_in, ending.relyingParty)
    LoginEnding.Declined -> stringResource(R.string.login_declined)
    is LoginEnding.Refused -> when (ending.reason) {
        LoginRefusalReason.WRONG_NUMBER -> stringResource(R.string.login_refused_wrong_number)
        LoginRefusalReason.CERTIFICATE_REVOKED -> stringResource(R.string.login_refused_revoked)
        LoginRefusalReason.CERTIFICATE_EXPIRED -> stringResource(R.string.login_refused_expired)
        LoginRefusalReason.EXPIRED -> stringResource(R.string.login_expired)
        LoginRefusalReason.DECLINED -> stringResource(R.string.login_declined)
        else -> stringResource(R.string.login_refused, ending.reason.name.lowercase())
    }
    LoginEnding.Expired -> stringResource(R.string.login_expired)
    is LoginEnding.PinLocked -> stringResource(R.string.wallet_pin_locked, ending.until.toString())
    is LoginEnding.ServerFailed -> stringResource(R.string.notice_server_unavailable)
    is LoginEnding.KeyFailed -> stringResource(R.string.notice_keys_failed)
}

/** Whether the signers' certificates chain to the enrolled CA. */
@Composable
fun chainText(chain: ChainStatus): String = when (chain) {
    ChainStatus.TRUSTED -> stringResource(R.string.verify_chain_trusted)
    ChainStatus.UNTRUSTED -> stringResource(R.string.verify_chain_untrusted)
    ChainStatus.NOT_CHECKED -> stringResource(R.string.verify_chain_not_checked)
}
