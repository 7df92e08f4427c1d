package kz.qoltanba.app

import android.content.Context
import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import android.util.Base64
import androidx.biometric.BiometricManager
import androidx.biometric.BiometricManager.Authenticators.BIOMETRIC_STRONG
import androidx.biometric.BiometricPrompt
import androidx.core.content.ContextCompat
import androidx.fragment.app.FragmentActivity
import java.security.KeyStore
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import kotlin.coroutines.resume
import kotlinx.coroutines.suspendCancellableCoroutine

/**
 * The PIN remembered behind BiometricPrompt: encrypted (AES-GCM, JCA) with an Android Keystore key that
 * only a strong biometric unlocks and a new enrollment invalidates, so the citizen may unlock with a
 * fingerprint or face instead of typing. The core still checks the PIN; this only remembers it.
 */
class BiometricPin(context: Context) {
    private val preferences = context.getSharedPreferences("biometric-pin", Context.MODE_PRIVATE)

    /** A strong biometric is enrolled and usable. */
    val available: Boolean =
        BiometricManager.from(context).canAuthenticate(BIOMETRIC_STRONG) == BiometricManager.BIOMETRIC_SUCCESS

    /** A PIN is remembered. */
    val remembered: Boolean get() = preferences.contains(CIPHERTEXT)

    /** Encrypts and keeps [pin] once the citizen confirms with their biometric. */
    suspend fun remember(activity: FragmentActivity, pin: String, title: String): Boolean {
        val cipher = Cipher.getInstance(TRANSFORMATION).apply { init(Cipher.ENCRYPT_MODE, key(fresh = true)) }
        val unlocked = authenticate(activity, cipher, title) ?: return false
        val sealed = unlocked.doFinal(pin.toByteArray())
        preferences.edit()
            .putString(CIPHERTEXT, Base64.encodeToString(sealed, Base64.NO_WRAP))
            .putString(IV, Base64.encodeToString(unlocked.iv, Base64.NO_WRAP))
            .apply()
        return true
    }

    /** The remembered PIN after the biometric prompt; null if none, refused, or invalidated (then forgotten). */
    suspend fun recall(activity: FragmentActivity, title: String): String? {
        val sealed = preferences.getString(CIPHERTEXT, null)?.let { Base64.decode(it, Base64.NO_WRAP) } ?: return null
        val iv = preferences.getString(IV, null)?.let { Base64.decode(it, Base64.NO_WRAP) } ?: return null
        val cipher = try {
            Cipher.getInstance(TRANSFORMATION).apply { init(Cipher.DECRYPT_MODE, key(fresh = false), GCMParameterSpec(128, iv)) }
        } catch (_: KeyPermanentlyInvalidatedException) {
            forget()
            return null
        }
        return authenticate(activity, cipher, title)?.doFinal(sealed)?.let { String(it) }
    }

    /** Forgets the PIN and its key. */
    fun forget() {
        preferences.edit().clear().apply()
        KeyStore.getInstance(ANDROID_KEY_STORE).apply { load(null) }.deleteEntry(ALIAS)
    }

    private fun key(fresh: Boolean): SecretKey {
        val store = KeyStore.getInstance(ANDROID_KEY_STORE).apply { load(null) }
        if (!fresh) (store.getKey(ALIAS, null) as? SecretKey)?.let { return it }
        val spec = KeyGenParameterSpec.Builder(ALIAS, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setUserAuthenticationRequired(true) // before API 30: a biometric for every use, by default
            .setInvalidatedByBiometricEnrollment(true)
            .apply {
                if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) {
                    setUserAuthenticationParameters(0, KeyProperties.AUTH_BIOMETRIC_STRONG)
                }
            }
            .build()
        return KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, ANDROID_KEY_STORE).run {
            init(spec)
            generateKey()
        }
    }

    private suspend fun authenticate(activity: FragmentActivity, cipher: Cipher, title: String): Cipher? =
        suspendCancellableCoroutine { continuation ->
            val callback = object : BiometricPrompt.AuthenticationCallback() {
                override fun onAuthenticationSucceeded(result: BiometricPrompt.AuthenticationResult) {
                    continuation.resume(result.cryptoObject?.cipher)
                }

                override fun onAuthenticationError(errorCode: Int, errString: CharSequence) {
                    continuation.resume(null)
                }
            }
            val prompt = BiometricPrompt(activity, ContextCompat.getMainExecutor(activity), callback)
            val info = BiometricPrompt.PromptInfo.Builder()
                .setTitle(title)
                .setNegativeButtonText(activity.getString(R.string.common_cancel))
                .setAllowedAuthenticators(BIOMETRIC_STRONG)
                .build()
            prompt.authenticate(info, BiometricPrompt.CryptoObject(cipher))
            continuation.invokeOnCancellation { prompt.cancelAuthentication() }
        }

    private companion object {
        const val ANDROID_KEY_STORE = "AndroidKeyStore"
        const val ALIAS = "qoltanba-biometric-pin"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val CIPHERTEXT = "pin"
        const val IV = "iv"
    }
}
