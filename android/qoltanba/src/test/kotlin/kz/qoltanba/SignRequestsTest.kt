package kz.qoltanba

import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kz.qoltanba.ffi.Device
import kz.qoltanba.ffi.DeviceOs
import kz.qoltanba.ffi.KeyStorage
import kz.qoltanba.ffi.RequestVerdict
import kz.qoltanba.ffi.SignRequest
import kz.qoltanba.testing.ABILOV
import kz.qoltanba.testing.Answer
import kz.qoltanba.testing.Enrolled
import kz.qoltanba.testing.Http
import kz.qoltanba.testing.TestServer
import org.junit.ClassRule
import org.junit.Test
import java.util.Base64
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/** Signing requests of a relying party, seen in the wallet's inbox and approved or refused there. */
class SignRequestsTest {
    private val service by lazy { Http(server.url, mapOf("Authorization" to "Bearer ${server.serviceApiKey}")) }

    /** Asks the citizen to sign [text] (attached); the service's answer holds the id and the code. */
    private fun ask(text: String): Answer {
        val data = Base64.getEncoder().encodeToString(text.toByteArray())
        val created = service.post("/v1/sign-requests", """{"iin":"${ABILOV.iin}","data":"$data","format":"attached","display_text":"$text"}""")
        assertEquals(201, created.status, created.body)
        return created
    }

    /** The request [id] as the wallet's inbox shows it, once it arrives. */
    private suspend fun Wallet.arrived(id: String): SignRequest =
        withTimeout(60_000) { signRequests(pollSeconds = 5u).first { pending -> pending.any { it.id == id } } }.first { it.id == id }

    @Test
    fun an_approved_request_gives_the_service_a_cms_signature(): Unit = runBlocking {
        enrolled.wallet().use { wallet ->
            wallet.register(Device(DeviceOs.ANDROID, "14", "0.1.0-test", "JVM"), pushToken = null)
            val created = ask("Loan agreement No. 1")
            val id = assertNotNull(created.field("id"))
            val request = wallet.arrived(id)
            assertEquals(created.field("verification_code"), request.verificationCode)
            assertEquals(TestServer.SERVICE, request.relyingParty)
            assertEquals(RequestVerdict.Open, request.verdict)
            assertTrue(request.canApprove)

            val approved = wallet.approve(id)
            val outcome = service.get("/v1/sign-requests/$id")
            assertEquals("signed", outcome.field("status"), outcome.body)
            val cms = Base64.getDecoder().decode(assertNotNull(outcome.field("signature")))
            val verification = wallet.verify(cms)
            assertTrue(verification.signatureValid)
            assertEquals(approved.signerSerial, verification.signers.single().serial)
        }
    }

    @Test
    fun a_refused_request_is_refused_for_the_service(): Unit = runBlocking {
        enrolled.wallet().use { wallet ->
            val id = assertNotNull(ask("Loan agreement No. 2").field("id"))
            assertTrue(wallet.arrived(id).canRefuse)
            wallet.refuse(id)
            assertEquals("refused", service.get("/v1/sign-requests/$id").field("status"))
            assertTrue(wallet.signRequests(0u).first().none { it.id == id })
        }
    }

    companion object {
        @get:ClassRule @JvmStatic
        val enrolled = Enrolled(ABILOV, KeyStorage.HARDWARE)
        private val server get() = enrolled.server
    }
}
