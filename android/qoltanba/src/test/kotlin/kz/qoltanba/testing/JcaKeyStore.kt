package kz.qoltanba.testing

import kz.qoltanba.ffi.KeyEntry
import kz.qoltanba.ffi.KeyPurpose
import kz.qoltanba.ffi.NewKey
import kz.qoltanba.ffi.PlatformException
import kz.qoltanba.ffi.PlatformKeyStore
import java.security.KeyPair
import java.security.KeyPairGenerator
import java.security.KeyStore
import java.security.PrivateKey
import java.security.Signature
import java.security.cert.CertificateFactory
import java.security.cert.X509Certificate
import java.util.UUID
import java.util.concurrent.ConcurrentHashMap

/**
 * The key store the app backs with the Android Keystore, here with plain JCA: RSA-2048 pairs from
 * `KeyPairGenerator`, `SHA256withRSA` signatures, and the installed keys with their chains in a
 * `java.security.KeyStore` (PKCS12, in memory). A key waits in memory until its certificate comes (JCA
 * cannot store a private key without one).
 */
class JcaKeyStore : PlatformKeyStore {
    val keyStore: KeyStore = KeyStore.getInstance("PKCS12").apply { load(null, null) }
    private val pending = ConcurrentHashMap<String, KeyPair>()

    override fun generate(purpose: KeyPurpose): NewKey {
        val pair = KeyPairGenerator.getInstance("RSA").apply { initialize(2048) }.generateKeyPair()
        val id = "qoltanba-${purpose.name.lowercase()}-${UUID.randomUUID()}"
        pending[id] = pair
        return NewKey(id, pair.public.encoded)
    }

    override fun sign(id: String, data: ByteArray): ByteArray =
        Signature.getInstance("SHA256withRSA").run {
            initSign(privateKey(id))
            update(data)
            sign()
        }

    override fun publicKey(id: String): ByteArray =
        pending[id]?.public?.encoded ?: certificate(id)?.publicKey?.encoded ?: throw missing(id)

    override fun install(id: String, chain: List<ByteArray>): String {
        val pair = pending[id] ?: throw missing(id)
        val factory = CertificateFactory.getInstance("X.509")
        val certificates = chain.map { factory.generateCertificate(it.inputStream()) }.toTypedArray()
        synchronized(keyStore) { keyStore.setKeyEntry(id, pair.private, PASSWORD, certificates) }
        pending.remove(id)
        return id
    }

    override fun delete(id: String) {
        pending.remove(id)
        synchronized(keyStore) { if (keyStore.containsAlias(id)) keyStore.deleteEntry(id) }
    }

    override fun list(): List<KeyEntry> {
        val installed = synchronized(keyStore) { keyStore.aliases().toList() }
        return pending.keys.map { KeyEntry(it, purposeOf(it), installed = false) } +
            installed.map { KeyEntry(it, purposeOf(it), installed = true) }
    }

    /** The certificate installed for [id], if any. */
    fun certificate(id: String): X509Certificate? = synchronized(keyStore) { keyStore.getCertificate(id) as X509Certificate? }

    private fun privateKey(id: String): PrivateKey =
        pending[id]?.private ?: synchronized(keyStore) { keyStore.getKey(id, PASSWORD) as PrivateKey? } ?: throw missing(id)

    private fun purposeOf(id: String) = if (id.startsWith("qoltanba-auth-")) KeyPurpose.AUTH else KeyPurpose.SIGN

    private fun missing(id: String) = PlatformException.Unavailable("no key $id")

    private companion object {
        val PASSWORD = "in-memory".toCharArray()
    }
}
