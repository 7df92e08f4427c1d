package kz.qoltanba.app

import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kz.qoltanba.ffi.KeyStorage
import kz.qoltanba.ffi.LoginChallengeInfo
import kz.qoltanba.ffi.LoginChoice
import kz.qoltanba.ffi.Person
import kz.qoltanba.ffi.Picture
import kz.qoltanba.ffi.PinReason
import kz.qoltanba.ffi.PlatformException
import kz.qoltanba.ffi.SecretChoice

/** One answer, given once: a value, or the citizen backing out (the flow pauses at its step). */
class Answer<T> {
    internal val deferred = CompletableDeferred<T>()

    fun give(value: T) {
        deferred.complete(value)
    }

    fun cancel() {
        deferred.completeExceptionally(PlatformException.Cancelled())
    }
}

/** What the core is asking the citizen now; the screen of the current step answers it. */
sealed class Question {
    abstract val answer: Answer<*>

    data class CameraPermission(override val answer: Answer<Boolean>) : Question()
    data class Iin(override val answer: Answer<String>) : Question()
    data class Phone(override val answer: Answer<String>) : Question()
    data class Consent(override val answer: Answer<Boolean>) : Question()
    data class Email(val person: Person, override val answer: Answer<String>) : Question()
    data class Storage(val hardwareAvailable: Boolean, override val answer: Answer<KeyStorage>) : Question()
    data class Password(override val answer: Answer<SecretChoice>) : Question()
    data class Photo(val picture: Picture, override val answer: Answer<ByteArray>) : Question()
    data class SmsCode(val phoneMasked: String, val triesLeft: UByte, override val answer: Answer<String>) : Question()
    data class ChoosePin(override val answer: Answer<SecretChoice>) : Question()
    data class Pin(val reason: PinReason, val triesLeft: UByte, override val answer: Answer<String>) : Question()
    data class KeyPassword(val wrong: Boolean, override val answer: Answer<String>) : Question()
    data class LoginNumber(val challenge: LoginChallengeInfo, val again: Boolean, override val answer: Answer<LoginChoice>) : Question()
}

/** The pending question, published for the screens. The core's threads ask; the UI answers. */
class Questions {
    private val current = MutableStateFlow<Question?>(null)

    /** The question to show, if any. */
    val pending: StateFlow<Question?> = current.asStateFlow()

    /** Publishes the question and waits for its answer; a cancelled caller backs out of it. */
    suspend fun <T> ask(make: (Answer<T>) -> Question): T {
        val answer = Answer<T>()
        val question = make(answer)
        current.value = question
        try {
            return answer.deferred.await()
        } finally {
            current.compareAndSet(question, null)
        }
    }
}
