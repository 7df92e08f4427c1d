package kz.qoltanba

import kz.qoltanba.ffi.KeyEntry
import kz.qoltanba.ffi.KeyPurpose
import kz.qoltanba.ffi.PlatformException
import org.junit.Test
import java.security.KeyFactory
import java.security.Signature
import java.security.spec.X509EncodedKeySpec
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/** The JCA key store the app backs with the Android Keystore, on its own (installing is in EnrollmentTest). */
class JcaKeyStoreTest {
    private val keys = JcaKeyStore()

    @Test
    fun a_new_key_signs_what_its_public_key_verifies() {
        val key = keys.generate(KeyPurpose.SIGN)
        val data = "қолтаңба".toByteArray()
        val public = KeyFactory.getInstance("RSA").generatePublic(X509EncodedKeySpec(keys.publicKey(key.id)))
        val verifier = Signature.getInstance("SHA256withRSA").apply { initVerify(public) }
        verifier.update(data)
        assertTrue(verifier.verify(keys.sign(key.id, data)))
        assertTrue(keys.publicKey(key.id).contentEquals(key.publicKeyDer))
    }

    @Test
    fun keys_are_listed_by_purpose_until_deleted() {
        val auth = keys.generate(KeyPurpose.AUTH)
        val sign = keys.generate(KeyPurpose.SIGN)
        assertEquals(
            setOf(KeyEntry(auth.id, KeyPurpose.AUTH, false), KeyEntry(sign.id, KeyPurpose.SIGN, false)),
            keys.list().toSet(),
        )
        keys.delete(auth.id)
        assertEquals(listOf(sign.id), keys.list().map { it.id })
    }

    @Test
    fun an_unknown_key_is_a_typed_platform_error() {
        assertFailsWith<PlatformException.Unavailable> { keys.sign("qoltanba-sign-missing", byteArrayOf(1)) }
        assertFailsWith<PlatformException.Unavailable> { keys.publicKey("qoltanba-sign-missing") }
    }

    @Test
    fun an_unreadable_certificate_is_refused_and_the_key_stays_pending() {
        val key = keys.generate(KeyPurpose.AUTH)
        assertFailsWith<PlatformException.Unavailable> { keys.install(key.id, listOf(byteArrayOf(0x30, 0x00))) }
        assertEquals(listOf(KeyEntry(key.id, KeyPurpose.AUTH, false)), keys.list())
    }
}
