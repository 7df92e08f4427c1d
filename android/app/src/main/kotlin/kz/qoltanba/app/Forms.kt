package kz.qoltanba.app

import android.Manifest
import android.content.Context
import android.content.pm.PackageManager
import android.net.ConnectivityManager
import android.net.NetworkCapabilities
import androidx.core.content.ContextCompat
import kz.qoltanba.ffi.Camera
import kz.qoltanba.ffi.CitizenForms
import kz.qoltanba.ffi.DeviceStatus
import kz.qoltanba.ffi.KeyPasswordPrompt
import kz.qoltanba.ffi.KeyStorage
import kz.qoltanba.ffi.LoginChallengeInfo
import kz.qoltanba.ffi.LoginChoice
import kz.qoltanba.ffi.LoginScreens
import kz.qoltanba.ffi.Person
import kz.qoltanba.ffi.Picture
import kz.qoltanba.ffi.PinPrompt
import kz.qoltanba.ffi.PinReason
import kz.qoltanba.ffi.SecretChoice
import kz.qoltanba.ffi.SmsCodeSource

/** The platform services the flow asks, each forwarded to the screen of the current step. */
class Forms(private val context: Context, private val questions: Questions) :
    CitizenForms, Camera, SmsCodeSource, PinPrompt, KeyPasswordPrompt, LoginScreens {
    override suspend fun deviceCheck(): DeviceStatus {
        val camera = context.packageManager.hasSystemFeature(PackageManager.FEATURE_CAMERA_ANY) &&
            (cameraAllowed() || questions.ask { Question.CameraPermission(it) })
        return DeviceStatus(camera = camera, network = networkReachable())
    }

    override suspend fun iin(): String = questions.ask { Question.Iin(it) }

    override suspend fun phoneNumber(): String = questions.ask { Question.Phone(it) }

    override suspend fun consent(): Boolean = questions.ask { Question.Consent(it) }

    override suspend fun email(person: Person): String = questions.ask { Question.Email(person, it) }

    override suspend fun keyStorage(hardwareAvailable: Boolean): KeyStorage =
        questions.ask { Question.Storage(hardwareAvailable, it) }

    override suspend fun password(): SecretChoice = questions.ask { Question.Password(it) }

    override suspend fun capture(picture: Picture): ByteArray = questions.ask { Question.Photo(picture, it) }

    override suspend fun code(phoneMasked: String, triesLeft: UByte): String =
        questions.ask { Question.SmsCode(phoneMasked, triesLeft, it) }

    override suspend fun choosePin(): SecretChoice = questions.ask { Question.ChoosePin(it) }

    override suspend fun pin(reason: PinReason, triesLeft: UByte): String =
        questions.ask { Question.Pin(reason, triesLeft, it) }

    override suspend fun keyPassword(wrong: Boolean): String = questions.ask { Question.KeyPassword(wrong, it) }

    override suspend fun choose(challenge: LoginChallengeInfo, again: Boolean): LoginChoice =
        questions.ask { Question.LoginNumber(challenge, again, it) }

    private fun cameraAllowed() =
        ContextCompat.checkSelfPermission(context, Manifest.permission.CAMERA) == PackageManager.PERMISSION_GRANTED

    private fun networkReachable(): Boolean {
        val connectivity = context.getSystemService(ConnectivityManager::class.java) ?: return false
        val capabilities = connectivity.getNetworkCapabilities(connectivity.activeNetwork) ?: return false
        return capabilities.hasCapability(NetworkCapabilities.NET_CAPABILITY_INTERNET)
    }
}
