package kz.qoltanba

import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kz.qoltanba.ffi.DevTools
import kz.qoltanba.ffi.KeyStorage
import kz.qoltanba.ffi.Operation
import kz.qoltanba.ffi.Progress
import kz.qoltanba.ffi.Step
import kz.qoltanba.testing.ABILOV
import kz.qoltanba.testing.ScriptedCitizen
import kz.qoltanba.testing.TestServer
import kz.qoltanba.testing.config
import kz.qoltanba.testing.services
import org.junit.AfterClass
import org.junit.BeforeClass
import org.junit.Test
import java.math.BigInteger
import java.security.cert.CertificateFactory
import java.security.cert.X509Certificate
import javax.security.auth.x500.X500Principal
import kotlin.test.assertContains
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertTrue

/** A complete enrollment against a real server, keys made and kept by the Kotlin (JCA) key store. */
class EnrollmentTest {
    @Test
    fun enrolls_with_keys_made_by_the_kotlin_key_store(): Unit = runBlocking {
        val keys = JcaKeyStore()
        val services = services(server, ABILOV, KeyStorage.HARDWARE, keys)
        val config = config(server.url)
        Enrollment(config, services).use { enrollment ->
            val working = async(start = CoroutineStart.UNDISPATCHED) {
                enrollment.events.first { it == EnrollmentEvent.Working(Progress.GENERATING_KEYS) }
            }
            val review = launch(start = CoroutineStart.UNDISPATCHED) { approveSelfie(enrollment, server, ABILOV.iin) }
            val result = enrollment.run()
            review.join()
            working.await()

            val enrolled = assertIs<EnrollmentResult.Enrolled>(result)
            assertIs<Step.Done>(enrollment.state.value.step)
            assertEquals(ABILOV.iin, (services.citizen as ScriptedCitizen).person?.iin)

            val factory = CertificateFactory.getInstance("X.509")
            val auth = factory.generateCertificate(enrolled.certificates.authPem.byteInputStream()) as X509Certificate
            val sign = factory.generateCertificate(enrolled.certificates.signPem.byteInputStream()) as X509Certificate
            val issuing = factory.generateCertificates(enrolled.certificates.chainPem.byteInputStream()).first()
            auth.verify(issuing.publicKey)
            sign.verify(issuing.publicKey)
            val subject = auth.subjectX500Principal.getName(X500Principal.RFC2253, mapOf("2.5.4.5" to "SERIALNUMBER"))
            assertContains(subject, "SERIALNUMBER=IIN${ABILOV.iin}")

            // Both certified keys are the ones the Kotlin store generated, installed with their chains.
            val installed = keys.list().filter { it.installed }
            assertEquals(2, installed.size)
            val certifiedKeys = installed.map { keys.certificate(it.id)!!.publicKey.encoded }
            assertTrue(certifiedKeys.any { it.contentEquals(auth.publicKey.encoded) })
            assertTrue(certifiedKeys.any { it.contentEquals(sign.publicKey.encoded) })

            Wallet(config, services).use { wallet ->
                val certificates = wallet.certificates()
                assertEquals(setOf(auth.serialNumber, sign.serialNumber), certificates.map { BigInteger(it.serial, 16) }.toSet())
                assertTrue(certificates.all { it.storage == KeyStorage.HARDWARE && it.subjectIin == ABILOV.iin })
                assertContentEquals(auth.encoded, certificates.first { BigInteger(it.serial, 16) == auth.serialNumber }.der)
                assertEquals(Operation.ENROLLED, wallet.history().first().operation)
            }
        }
    }

    companion object {
        private lateinit var server: TestServer

        @JvmStatic @BeforeClass
        fun start() {
            server = TestServer()
        }

        @JvmStatic @AfterClass
        fun stop() = server.close()
    }
}

/**
 * Acts as the operator: once the flow waits (the selfie is under review), approves the selfie. Keyed on
 * the `Working(WAITING)` event because the core publishes no new state while it polls.
 */
suspend fun approveSelfie(enrollment: Enrollment, server: TestServer, iin: String) {
    enrollment.events.first { it == EnrollmentEvent.Working(Progress.WAITING) }
    DevTools(server.url).use { tools ->
        assertEquals(1u, tools.approveSelfies(TestServer.OPERATOR, TestServer.OPERATOR_PASSWORD, iin))
    }
}
