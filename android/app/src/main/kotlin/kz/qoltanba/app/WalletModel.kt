package kz.qoltanba.app

import android.app.Application
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.SharingStarted
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.catch
import kotlinx.coroutines.flow.stateIn
import kotlinx.coroutines.launch
import kz.qoltanba.Wallet
import kz.qoltanba.ffi.ApprovedRequest
import kz.qoltanba.ffi.LoginEnding
import kz.qoltanba.ffi.SignRequest
import kz.qoltanba.ffi.SignedDocument
import kz.qoltanba.ffi.Verification
import kz.qoltanba.ffi.WalletException

/** What the last wallet action came to, for the screen that started it. */
sealed interface Outcome {
    data class Signed(val document: SignedDocument) : Outcome
    data class Verified(val verification: Verification) : Outcome
    data class LoginEnded(val ending: LoginEnding) : Outcome
    data class Approved(val request: ApprovedRequest) : Outcome
    data object Refused : Outcome
    data class Failed(val error: WalletException) : Outcome
}

/**
 * The enrolled citizen's wallet for the signing, QR-login and request screens: one action at a time, its
 * questions (PIN, key password, the login number) through [questions], its outcome in [outcome]. Every
 * decision is the core's; this only runs the calls off the UI and publishes what they return.
 */
class WalletModel(application: Application) : AndroidViewModel(application) {
    /** What the core asks now. */
    val questions = Questions()
    private val forms = Forms(application, questions)
    private val wallet = Wallet(flowConfig(application), forms, forms, androidKeyStore(application))

    private val last = MutableStateFlow<Outcome?>(null)

    /** The last action's outcome, until the next action starts. */
    val outcome: StateFlow<Outcome?> = last.asStateFlow()

    private val busyNow = MutableStateFlow(false)

    /** An action is running. */
    val busy: StateFlow<Boolean> = busyNow.asStateFlow()

    /** The pending sign requests, long-polled while a screen collects them. */
    val requests: StateFlow<List<SignRequest>> = wallet.signRequests(POLL_SECONDS)
        .catch { error -> if (error is WalletException) last.value = Outcome.Failed(error) else throw error }
        .stateIn(viewModelScope, SharingStarted.WhileSubscribed(5_000), emptyList())

    /** Signs [content] (a file named [fileName]) with the SIGN key. */
    fun sign(content: ByteArray, fileName: String, detached: Boolean) =
        act { Outcome.Signed(wallet.sign(content, fileName, detached)) }

    /** Checks [signature] (with the [content] a detached one was made over). */
    fun verify(signature: ByteArray, content: ByteArray?) = act { Outcome.Verified(wallet.verify(signature, content)) }

    /** Approves (or declines) the egov login of a scanned QR code. */
    fun login(qrText: String) = act { Outcome.LoginEnded(wallet.login(qrText, forms)) }

    /** Signs and sends the request [id]. */
    fun approve(id: String) = act { Outcome.Approved(wallet.approve(id)) }

    /** Refuses the request [id]. */
    fun refuse(id: String) = act {
        wallet.refuse(id)
        Outcome.Refused
    }

    private fun act(action: suspend () -> Outcome) {
        if (busyNow.value) return
        busyNow.value = true
        last.value = null
        viewModelScope.launch {
            last.value = try {
                action()
            } catch (error: WalletException) {
                Outcome.Failed(error)
            } finally {
                busyNow.value = false
            }
        }
    }

    override fun onCleared() = wallet.close()

    private companion object {
        const val POLL_SECONDS = 25u
    }
}
