package kz.qoltanba

import kotlinx.coroutines.runBlocking
import kz.qoltanba.ffi.ChainStatus
import kz.qoltanba.ffi.KeyStorage
import kz.qoltanba.ffi.Operation
import kz.qoltanba.ffi.PinReason
import kz.qoltanba.ffi.WalletException
import kz.qoltanba.testing.ABILOV
import kz.qoltanba.testing.Enrolled
import kz.qoltanba.testing.FixedPassword
import kz.qoltanba.testing.FixedPin
import kz.qoltanba.testing.openssl
import kz.qoltanba.testing.tempDir
import org.junit.ClassRule
import org.junit.Test
import java.io.File
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue

/** Signing files with the SIGN key kept in a password-protected file, and verifying them. */
class DocumentsTest {
    private val document = "Шарт № 7: 1 000 000 теңге".toByteArray()

    @Test
    fun signs_attached_and_detached_documents_that_openssl_and_the_wallet_verify(): Unit = runBlocking {
        val passwords = FixedPassword()
        enrolled.wallet(passwords = passwords).use { wallet ->
            for (detached in listOf(false, true)) {
                val signed = wallet.sign(document, "loan.txt", detached)
                assertEquals(if (detached) "loan.txt.p7s" else "loan.txt.cms", signed.suggestedFileName)

                val verification = wallet.verify(signed.cms, if (detached) document else null)
                assertTrue(verification.signatureValid)
                assertEquals(ChainStatus.TRUSTED, verification.chain)
                val signer = verification.signers.single()
                assertEquals(ABILOV.iin, signer.iin)
                assertEquals(signed.signerSerial, signer.serial)

                val dir = tempDir("qoltanba-cms")
                val cms = File(dir, signed.suggestedFileName).apply { writeBytes(signed.cms) }
                val content = File(dir, "loan.txt").apply { writeBytes(document) }
                val args = mutableListOf("cms", "-verify", "-binary", "-inform", "DER", "-in", cms.path,
                    "-CAfile", enrolled.chainFile.path, "-purpose", "any", "-out", File(dir, "out").path)
                if (detached) args += listOf("-content", content.path)
                assertTrue(openssl(*args.toTypedArray()), "openssl cms -verify refused the ${if (detached) "detached" else "attached"} CMS")
            }
            assertEquals(2, passwords.asked)
            val history = wallet.history(0u, 2u)
            assertTrue(history.all { it.operation == Operation.SIGNED })
            assertContains(history.first().detailJson, "loan.txt")
        }
    }

    @Test
    fun tampered_content_is_invalid_for_the_wallet_and_openssl(): Unit = runBlocking {
        enrolled.wallet().use { wallet ->
            val signed = wallet.sign(document, "loan.txt", detached = true)
            val tampered = document.copyOf().also { it[0] = (it[0] + 1).toByte() }
            assertFalse(wallet.verify(signed.cms, tampered).signatureValid)

            val dir = tempDir("qoltanba-cms")
            val cms = File(dir, "loan.p7s").apply { writeBytes(signed.cms) }
            val content = File(dir, "loan.txt").apply { writeBytes(tampered) }
            assertFalse(openssl("cms", "-verify", "-binary", "-inform", "DER", "-in", cms.path, "-content", content.path,
                "-CAfile", enrolled.chainFile.path, "-purpose", "any", "-out", File(dir, "out").path))
        }
    }

    @Test
    fun a_wrong_pin_crosses_typed_with_the_tries_left(): Unit = runBlocking {
        val wrongPin = object : kz.qoltanba.ffi.PinPrompt by FixedPin() {
            override suspend fun pin(reason: PinReason, triesLeft: UByte) = "0000"
        }
        enrolled.wallet(pin = wrongPin).use { wallet ->
            val error = assertFailsWith<WalletException.WrongPin> { wallet.sign(document, "loan.txt", false) }
            assertTrue(error.triesLeft > 0u)
        }
        enrolled.wallet(passwords = FixedPassword("not the password")).use { wallet ->
            assertFailsWith<WalletException.WrongKeyPassword> { wallet.sign(document, "loan.txt", false) }
        }
    }

    companion object {
        @get:ClassRule @JvmStatic
        val enrolled = Enrolled(ABILOV, KeyStorage.FILE)
    }
}
