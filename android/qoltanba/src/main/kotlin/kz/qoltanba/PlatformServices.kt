package kz.qoltanba

import kz.qoltanba.ffi.Camera
import kz.qoltanba.ffi.CitizenForms
import kz.qoltanba.ffi.KeyPasswordPrompt
import kz.qoltanba.ffi.PinPrompt
import kz.qoltanba.ffi.PlatformKeyStore
import kz.qoltanba.ffi.SmsCodeSource

/**
 * What the app implements for the core. Each service is an interface of `suspend` functions (the key
 * store's are blocking: the core calls them on its own worker threads); throw
 * `PlatformException.Cancelled` when the citizen backs out (the flow pauses), `PlatformException.Unavailable`
 * when the platform cannot do it. Any other exception reaches the core as `PlatformException.Unexpected`.
 */
class PlatformServices(
    /** The forms: device check, IIN, phone, consent, e-mail, key storage, password. */
    val citizen: CitizenForms,
    /** Selfie and ID-card capture (CameraX on Android). */
    val camera: Camera,
    /** The SMS code from 1414 (SMS Retriever on Android, else typed). */
    val sms: SmsCodeSource,
    /** The PIN (or biometric) prompt. */
    val pin: PinPrompt,
    /** The hardware-backed key store (Android Keystore), or null where there is none. */
    val keyStore: PlatformKeyStore? = null,
    /** The key files' password prompt for the [Wallet] (signing, login), or null when no keys are kept in files. */
    val passwords: KeyPasswordPrompt? = null,
)
