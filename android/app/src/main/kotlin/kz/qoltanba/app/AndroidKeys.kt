package kz.qoltanba.app

import android.content.Context
import android.content.pm.PackageManager
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import android.security.keystore.StrongBoxUnavailableException
import kz.qoltanba.JcaKeyStore
import kz.qoltanba.KeyPairFactory
import java.security.KeyPair
import java.security.KeyPairGenerator
import java.security.KeyStore

/**
 * The Android Keystore as the core's hardware key store: RSA-2048 keys generated inside it (in StrongBox
 * where the phone has one, else the TEE), usable only to sign with SHA-256 and PKCS#1 v1.5, never
 * exported. The library's [JcaKeyStore] does the rest (signing, installing the chain, listing).
 */
fun androidKeyStore(context: Context): JcaKeyStore {
    val store = KeyStore.getInstance(ANDROID_KEY_STORE).apply { load(null) }
    val strongBox = context.packageManager.hasSystemFeature(PackageManager.FEATURE_STRONGBOX_KEYSTORE)
    return JcaKeyStore(store, KeyPairFactory { alias -> generate(alias, strongBox) })
}

private fun generate(alias: String, strongBox: Boolean): KeyPair =
    try {
        generate(spec(alias, strongBox))
    } catch (_: StrongBoxUnavailableException) {
        generate(spec(alias, strongBox = false))
    }

private fun generate(spec: KeyGenParameterSpec): KeyPair =
    KeyPairGenerator.getInstance(KeyProperties.KEY_ALGORITHM_RSA, ANDROID_KEY_STORE).run {
        initialize(spec)
        generateKeyPair()
    }

private fun spec(alias: String, strongBox: Boolean): KeyGenParameterSpec =
    KeyGenParameterSpec.Builder(alias, KeyProperties.PURPOSE_SIGN)
        .setKeySize(2048)
        .setDigests(KeyProperties.DIGEST_SHA256)
        .setSignaturePaddings(KeyProperties.SIGNATURE_PADDING_RSA_PKCS1)
        .setIsStrongBoxBacked(strongBox)
        .build()

private const val ANDROID_KEY_STORE = "AndroidKeyStore"
