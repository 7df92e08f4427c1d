package kz.qoltanba

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.distinctUntilChanged
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.withContext
import kz.qoltanba.ffi.ApprovedRequest
import kz.qoltanba.ffi.CertificateInfo
import kz.qoltanba.ffi.Device
import kz.qoltanba.ffi.FlowConfig
import kz.qoltanba.ffi.HistoryItem
import kz.qoltanba.ffi.KeyPasswordPrompt
import kz.qoltanba.ffi.LoginEnding
import kz.qoltanba.ffi.LoginScreens
import kz.qoltanba.ffi.PinPrompt
import kz.qoltanba.ffi.PlatformException
import kz.qoltanba.ffi.PlatformKeyStore
import kz.qoltanba.ffi.SignRequest
import kz.qoltanba.ffi.SignedDocument
import kz.qoltanba.ffi.Verification
import kz.qoltanba.ffi.Wallet as CoreWallet

/**
 * The citizen enrolled on this device (by an [Enrollment] with the same [FlowConfig]), over the Rust
 * core's `Wallet`. Every call throws `WalletException` (typed: `WrongPin(triesLeft)`, `PinLocked(until)`,
 * `WrongKeyPassword`, `Network`, …) and is cancelled with its coroutine.
 */
class Wallet(config: FlowConfig, pin: PinPrompt, passwords: KeyPasswordPrompt, keyStore: PlatformKeyStore? = null) :
    AutoCloseable {
    /** The wallet with the enrollment's [services]; key files ask [PlatformServices.passwords]. */
    constructor(config: FlowConfig, services: PlatformServices) :
        this(config, services.pin, services.passwords ?: NoKeyFiles, services.keyStore)

    private val wallet = CoreWallet.open(config, pin, passwords, keyStore)

    /** The certificates, newest first. */
    suspend fun certificates(): List<CertificateInfo> = withContext(Dispatchers.IO) { wallet.certificates() }

    /** A page of the history, newest first. */
    suspend fun history(offset: UInt = 0u, limit: UInt = 50u): List<HistoryItem> =
        withContext(Dispatchers.IO) { wallet.history(offset, limit) }

    /** Signs [content] (the file [fileName]) with the SIGN key after the PIN: a CAdES-BES CMS. */
    suspend fun sign(content: ByteArray, fileName: String, detached: Boolean = false): SignedDocument =
        wallet.signDocument(content, fileName, detached)

    /** Verifies [signature] over its own content, or over [content] when detached. */
    suspend fun verify(signature: ByteArray, content: ByteArray? = null): Verification =
        withContext(Dispatchers.Default) { wallet.verifyDocument(signature, content) }

    /** Approves (or declines) the login of the scanned [qrText]; [screens] shows who asks and takes the number. */
    suspend fun login(qrText: String, screens: LoginScreens): LoginEnding = wallet.approveLogin(qrText, screens)

    /** Registers this device for signing requests, with the push token that wakes the app. */
    suspend fun register(device: Device, pushToken: String?) = wallet.registerDevice(device, pushToken)

    /**
     * The pending signing requests, each time they change: a cold flow that long-polls the server
     * ([pollSeconds] per call) while it is collected, and re-checks every [pollSeconds] while requests are
     * pending (the server answers at once then). Errors end the flow with the `WalletException`.
     */
    fun signRequests(pollSeconds: UInt = 30u): Flow<List<SignRequest>> =
        flow {
            while (true) {
                val pending = wallet.signRequests(pollSeconds)
                emit(pending)
                if (pending.isNotEmpty()) delay(pollSeconds.toLong().coerceAtLeast(1) * 1000)
            }
        }.distinctUntilChanged()

    /** Approves request [id]: the PIN, then the signature is sent to the service. */
    suspend fun approve(id: String): ApprovedRequest = wallet.approveSignRequest(id)

    /** Refuses request [id]. */
    suspend fun refuse(id: String) = wallet.refuseSignRequest(id)

    override fun close() = wallet.close()

    /** The password prompt of an app that keeps keys only in the hardware store. */
    private object NoKeyFiles : KeyPasswordPrompt {
        override suspend fun keyPassword(wrong: Boolean): String =
            throw PlatformException.Unavailable("this app keeps no key files")
    }
}
