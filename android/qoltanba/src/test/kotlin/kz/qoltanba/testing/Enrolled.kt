package kz.qoltanba.testing

import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kz.qoltanba.Enrollment
import kz.qoltanba.EnrollmentResult
import kz.qoltanba.JcaKeyStore
import kz.qoltanba.Wallet
import kz.qoltanba.approveSelfie
import kz.qoltanba.ffi.FlowConfig
import kz.qoltanba.ffi.IssuedCertificates
import kz.qoltanba.ffi.KeyPasswordPrompt
import kz.qoltanba.ffi.KeyStorage
import kz.qoltanba.ffi.PinPrompt
import org.junit.rules.ExternalResource
import java.io.File
import kotlin.test.assertIs

/**
 * A class rule: a fresh [TestServer] with [citizen] enrolled against it (the enrollment test's services, keys
 * kept in [storage]) before the class's tests, the server stopped after them.
 */
class Enrolled(private val citizen: DemoCitizen, private val storage: KeyStorage) : ExternalResource() {
    val keys = JcaKeyStore()
    lateinit var server: TestServer
        private set
    lateinit var config: FlowConfig
        private set
    lateinit var certificates: IssuedCertificates
        private set

    /** The CA chain of the enrollment, as a PEM file for `openssl -CAfile`. */
    val chainFile: File by lazy { File(tempDir("qoltanba-chain"), "chain.pem").apply { writeText(certificates.chainPem) } }

    override fun before() {
        server = TestServer()
        config = config(server.url)
        certificates = runBlocking {
            Enrollment(config, services(server, citizen, storage, keys)).use { enrollment ->
                val review = launch(start = CoroutineStart.UNDISPATCHED) { approveSelfie(enrollment, server, citizen.iin) }
                val result = enrollment.run()
                review.join()
                assertIs<EnrollmentResult.Enrolled>(result).certificates
            }
        }
    }

    override fun after() = server.close()

    /** The citizen's wallet, with the PIN and key password [pin] and [passwords] give. */
    fun wallet(pin: PinPrompt = FixedPin(), passwords: KeyPasswordPrompt = FixedPassword()) = Wallet(config, pin, passwords, keys)
}

/** The key files' password the scripted citizen chose, or [password]; counts how often it was asked. */
class FixedPassword(private val password: String = ScriptedCitizen.PASSWORD) : KeyPasswordPrompt {
    @Volatile var asked = 0

    override suspend fun keyPassword(wrong: Boolean): String {
        asked++
        return password
    }
}

/** Runs `openssl` with [args]; true when it exits 0. */
fun openssl(vararg args: String): Boolean {
    val process = ProcessBuilder("/usr/bin/openssl", *args).redirectErrorStream(true).start()
    process.inputStream.readAllBytes()
    return process.waitFor() == 0
}
