package kz.qoltanba

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
import java.security.cert.CertificateException
import java.security.cert.CertificateFactory
import java.security.cert.X509Certificate
import java.util.UUID
import java.util.concurrent.ConcurrentHashMap

/** Makes the RSA-2048 key pair of a new key named [alias]. */
fun interface KeyPairFactory {
    /** The new pair. A factory of a key store that keeps keys itself (the Android Keystore) stores it under [alias]. */
    fun create(alias: String): KeyPair

    companion object {
        /** Plain JCA RSA-2048, kept in memory until its certificate comes (JCA stores a private key only with one). */
        val SOFTWARE = KeyPairFactory { KeyPairGenerator.getInstance("RSA").apply { initialize(2048) }.generateKeyPair() }
    }
}

/**
 * The core's hardware key store ([PlatformKeyStore]) over a JCA [KeyStore]. On the phone: the
 * `AndroidKeyStore` provider, with a [KeyPairFactory] that generates inside it (`KeyGenParameterSpec`,
 * in the app module) so the private key never leaves the secure hardware; in the JVM tests: a PKCS12 store
 * in memory with [KeyPairFactory.SOFTWARE]. Keys are named `qoltanba-auth-…` / `qoltanba-sign-…`, sign
 * with `SHA256withRSA` (PKCS#1 v1.5), and carry their certificate chain once installed.
 *
 * A key the store already holds before its certificate (the Android Keystore gives each new key a
 * self-signed placeholder) counts as installed only once its certificate is issued by someone else.
 */
class JcaKeyStore(
    private val store: KeyStore = KeyStore.getInstance("PKCS12").apply { load(null, null) },
    private val keyPairs: KeyPairFactory = KeyPairFactory.SOFTWARE,
    private val entryPassword: CharArray? = if (store.type == "AndroidKeyStore") null else "in-memory".toCharArray(),
) : PlatformKeyStore {
    private val pending = ConcurrentHashMap<String, KeyPair>()

    override fun generate(purpose: KeyPurpose): NewKey {
        val alias = "$PREFIX${purpose.name.lowercase()}-${UUID.randomUUID()}"
        val pair = keyPairs.create(alias)
        if (!locked { store.containsAlias(alias) }) pending[alias] = pair
        return NewKey(alias, pair.public.encoded)
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
        val factory = CertificateFactory.getInstance("X.509")
        val certificates = try {
            chain.map { factory.generateCertificate(it.inputStream()) }.toTypedArray()
        } catch (e: CertificateException) {
            throw PlatformException.Unavailable("unreadable certificate for $id: ${e.message}")
        }
        val key = privateKey(id)
        locked { store.setKeyEntry(id, key, entryPassword, certificates) }
        pending.remove(id)
        return id
    }

    override fun delete(id: String) {
        pending.remove(id)
        locked { if (store.containsAlias(id)) store.deleteEntry(id) }
    }

    override fun list(): List<KeyEntry> {
        val held = locked { store.aliases().toList().filter { it.startsWith(PREFIX) }.associateWith { certificate(it) } }
        return pending.keys.map { KeyEntry(it, purposeOf(it), installed = false) } +
            held.map { (alias, certificate) -> KeyEntry(alias, purposeOf(alias), installed = certificate?.let(::issued) == true) }
    }

    /** The certificate the store holds for [id] (a placeholder until installed, on the Android Keystore). */
    fun certificate(id: String): X509Certificate? = locked { store.getCertificate(id) as X509Certificate? }

    private fun privateKey(id: String): PrivateKey =
        pending[id]?.private ?: locked { store.getKey(id, entryPassword) as PrivateKey? } ?: throw missing(id)

    private fun issued(certificate: X509Certificate) = certificate.issuerX500Principal != certificate.subjectX500Principal

    private fun purposeOf(alias: String) = if (alias.startsWith("${PREFIX}auth-")) KeyPurpose.AUTH else KeyPurpose.SIGN

    private fun missing(id: String) = PlatformException.Unavailable("no key $id")

    private fun <T> locked(action: () -> T): T = synchronized(store, action)

    private companion object {
        const val PREFIX = "qoltanba-"
    }
}
