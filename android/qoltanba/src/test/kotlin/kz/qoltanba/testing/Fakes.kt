package kz.qoltanba.testing

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.withContext
import kz.qoltanba.JcaKeyStore
import kz.qoltanba.PlatformServices
import kz.qoltanba.ffi.Camera
import kz.qoltanba.ffi.CitizenForms
import kz.qoltanba.ffi.Device
import kz.qoltanba.ffi.DeviceOs
import kz.qoltanba.ffi.DeviceStatus
import kz.qoltanba.ffi.FlowConfig
import kz.qoltanba.ffi.KeyStorage
import kz.qoltanba.ffi.Person
import kz.qoltanba.ffi.Picture
import kz.qoltanba.ffi.PinPrompt
import kz.qoltanba.ffi.PinReason
import kz.qoltanba.ffi.PlatformException
import kz.qoltanba.ffi.SecretChoice
import kz.qoltanba.ffi.SmsCodeSource
import java.awt.image.BufferedImage
import java.io.ByteArrayOutputStream
import java.io.File
import java.nio.file.Files
import javax.imageio.ImageIO

/** A citizen who answers every form with [iin], consent, an e-mail, [storage] and a strong password. */
open class ScriptedCitizen(private val iin: String, private val storage: KeyStorage) : CitizenForms {
    @Volatile var person: Person? = null

    override suspend fun deviceCheck() = DeviceStatus(camera = true, network = true)
    override suspend fun iin(): String = iin
    override suspend fun phoneNumber(): String = throw PlatformException.Unavailable("the demo citizens have a phone")
    override suspend fun consent() = true
    override suspend fun email(person: Person): String {
        this.person = person
        return "citizen@example.kz"
    }
    override suspend fun keyStorage(hardwareAvailable: Boolean) = storage
    override suspend fun password() = SecretChoice(PASSWORD, PASSWORD)

    companion object {
        const val PASSWORD = "Qoltanba2024"
    }
}

/** A camera that takes a small real PNG. */
class PngCamera : Camera {
    override suspend fun capture(picture: Picture): ByteArray = png()
}

/** The SMS code as the phone would auto-read it: from the `--dev` server's outbox for [phone]. */
class OutboxSms(private val server: TestServer, private val phone: String) : SmsCodeSource {
    override suspend fun code(phoneMasked: String, triesLeft: UByte): String {
        while (true) {
            withContext(Dispatchers.IO) { server.smsCode(phone) }?.let { return it }
            delay(100)
        }
    }
}

/** The citizen's PIN, chosen and typed again. */
class FixedPin : PinPrompt {
    override suspend fun choosePin() = SecretChoice(PIN, PIN)
    override suspend fun pin(reason: PinReason, triesLeft: UByte) = PIN

    companion object {
        const val PIN = "2580"
    }
}

/** The services of a citizen who does everything right. */
fun services(server: TestServer, citizen: DemoCitizen, storage: KeyStorage, keyStore: JcaKeyStore? = JcaKeyStore()) =
    PlatformServices(ScriptedCitizen(citizen.iin, storage), PngCamera(), OutboxSms(server, citizen.phone), FixedPin(), keyStore)

/** A flow configuration with a fresh data directory. */
fun config(serverUrl: String): FlowConfig =
    FlowConfig(serverUrl, tempDir("qoltanba-phone").absolutePath, Device(DeviceOs.DESKTOP, "17", "0.1.0-test", "JVM"))

fun tempDir(prefix: String): File = Files.createTempDirectory(prefix).toFile().apply { deleteOnExit() }

/** An 8×8 PNG. */
fun png(): ByteArray {
    val image = BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB)
    return ByteArrayOutputStream().also { ImageIO.write(image, "png", it) }.toByteArray()
}
