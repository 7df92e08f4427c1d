package kz.qoltanba.app

import androidx.compose.foundation.layout.Row
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.fragment.app.FragmentActivity
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import com.google.mlkit.vision.barcode.common.Barcode
import com.google.mlkit.vision.codescanner.GmsBarcodeScannerOptions
import com.google.mlkit.vision.codescanner.GmsBarcodeScanning
import kz.qoltanba.ffi.LoginChallengeInfo
import kz.qoltanba.ffi.LoginChoice

/** Log in to egov on a computer: scan the page's animated QR code, check who asks, pick the page's number. */
@Composable
fun LoginScreen(model: WalletModel, activity: FragmentActivity) {
    val context = LocalContext.current
    val outcome by model.outcome.collectAsStateWithLifecycle()
    WalletColumn(model, activity, R.string.nav_qr_login) {
        Button(onClick = {
            val options = GmsBarcodeScannerOptions.Builder().setBarcodeFormats(Barcode.FORMAT_QR_CODE).build()
            GmsBarcodeScanning.getClient(context, options).startScan()
                .addOnSuccessListener { barcode -> barcode.rawValue?.let(model::login) }
        }) { Text(stringResource(R.string.login_scan)) }
        (outcome as? Outcome.LoginEnded)?.let { Text(loginEndingText(it.ending), style = MaterialTheme.typography.titleMedium) }
    }
}

/** Who asks to log in, and the three numbers: the citizen picks the one the page shows, or says it is not them. */
@Composable
fun LoginChallenge(challenge: LoginChallengeInfo, again: Boolean, choose: (LoginChoice) -> Unit) {
    Text(stringResource(R.string.login_who, challenge.relyingParty), style = MaterialTheme.typography.titleMedium)
    Text(stringResource(R.string.login_browser, challenge.browser, challenge.place ?: challenge.browserAddress))
    if (challenge.addressWarning) Text(stringResource(R.string.login_address_warning), color = MaterialTheme.colorScheme.error)
    if (again) Text(stringResource(R.string.login_number_again), color = MaterialTheme.colorScheme.error)
    Text(stringResource(R.string.login_pick_number))
    Row {
        challenge.numbers.forEach { number ->
            Button(onClick = { choose(LoginChoice.Number(number)) }) { Text("%02d".format(number.toInt())) }
        }
    }
    OutlinedButton(onClick = { choose(LoginChoice.Decline) }) { Text(stringResource(R.string.login_not_me)) }
}
