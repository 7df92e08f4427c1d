package kz.qoltanba.app

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.fragment.app.FragmentActivity
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import kz.qoltanba.ffi.RequestVerdict
import kz.qoltanba.ffi.SignRequest

/** What services ask this phone to sign: each with the code the phone computed, to compare with the service's. */
@Composable
fun RequestsScreen(model: WalletModel, activity: FragmentActivity) {
    val requests by model.requests.collectAsStateWithLifecycle()
    val outcome by model.outcome.collectAsStateWithLifecycle()
    WalletColumn(model, activity, R.string.nav_requests) {
        when (val done = outcome) {
            is Outcome.Approved -> Text(stringResource(R.string.requests_approved, done.request.signerSerial))
            Outcome.Refused -> Text(stringResource(R.string.requests_refused))
            else -> Unit
        }
        if (requests.isEmpty()) Text(stringResource(R.string.requests_none))
        requests.forEach { RequestCard(it, model) }
    }
}

@Composable
private fun RequestCard(request: SignRequest, model: WalletModel) {
    Card {
        Column(Modifier.padding(16.dp)) {
            Text(request.relyingParty, style = MaterialTheme.typography.titleMedium)
            Text(request.displayText)
            Text(request.verificationCode, style = MaterialTheme.typography.displaySmall)
            Text(stringResource(R.string.requests_compare_code))
            Text(stringResource(R.string.requests_document, request.documentSize?.toString() ?: "—", request.digestHex.take(16)))
            Text(stringResource(R.string.requests_expires, request.expiresAt.toString()))
            when (val verdict = request.verdict) {
                is RequestVerdict.CodeMismatch ->
                    Text(stringResource(R.string.requests_code_mismatch, verdict.announced), color = MaterialTheme.colorScheme.error)
                RequestVerdict.Malformed -> Text(stringResource(R.string.requests_malformed), color = MaterialTheme.colorScheme.error)
                RequestVerdict.Expired -> Text(stringResource(R.string.requests_expired))
                RequestVerdict.Open -> Unit
            }
            Row {
                if (request.canApprove) Button(onClick = { model.approve(request.id) }) { Text(stringResource(R.string.requests_approve)) }
                if (request.canRefuse) {
                    OutlinedButton(onClick = { model.refuse(request.id) }) { Text(stringResource(R.string.requests_refuse)) }
                }
            }
        }
    }
}
