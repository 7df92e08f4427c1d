package kz.qoltanba.app

import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import android.content.IntentFilter
import androidx.core.content.ContextCompat
import com.google.android.gms.auth.api.phone.SmsRetriever
import com.google.android.gms.common.api.CommonStatusCodes
import com.google.android.gms.common.api.Status
import kotlinx.coroutines.channels.awaitClose
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.callbackFlow

/**
 * The SMS code from 1414, read by the SMS Retriever API without any SMS permission. Google Play
 * services hands over an SMS only if it ends with the app's 11-character hash, so the operator's
 * message must carry it; otherwise nothing arrives within 5 minutes and the citizen types the code.
 */
object SmsRetrieval {
    private val code = Regex("""\b(\d{6})\b""")

    /** Codes as they arrive, while collected. */
    fun codes(context: Context): Flow<String> = callbackFlow {
        val receiver = object : BroadcastReceiver() {
            override fun onReceive(context: Context, intent: Intent) {
                if (intent.action != SmsRetriever.SMS_RETRIEVED_ACTION) return
                val extras = intent.extras ?: return
                @Suppress("DEPRECATION") // the typed getParcelable needs API 33
                val status = extras.get(SmsRetriever.EXTRA_STATUS) as? Status ?: return
                if (status.statusCode != CommonStatusCodes.SUCCESS) return
                val message = extras.getString(SmsRetriever.EXTRA_SMS_MESSAGE) ?: return
                code.find(message)?.let { trySend(it.groupValues[1]) }
            }
        }
        ContextCompat.registerReceiver(
            context,
            receiver,
            IntentFilter(SmsRetriever.SMS_RETRIEVED_ACTION),
            SmsRetriever.SEND_PERMISSION,
            null,
            ContextCompat.RECEIVER_EXPORTED,
        )
        SmsRetriever.getClient(context).startSmsRetriever()
        awaitClose { context.unregisterReceiver(receiver) }
    }
}
