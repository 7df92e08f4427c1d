package kz.qoltanba.app

import android.content.Context
import android.net.Uri
import android.provider.OpenableColumns
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.fragment.app.FragmentActivity
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import kz.qoltanba.ffi.Verification

/** Sign a file with the SIGN key and save the CMS; verify a signature file (with its content if detached). */
@Composable
fun SignScreen(model: WalletModel, activity: FragmentActivity) {
    val context = LocalContext.current
    val outcome by model.outcome.collectAsStateWithLifecycle()
    var detached by remember { mutableStateOf(false) }
    var signature by remember { mutableStateOf<ByteArray?>(null) }
    val pickToSign = rememberLauncherForActivityResult(ActivityResultContracts.OpenDocument()) { uri ->
        uri?.let { model.sign(context.bytes(it), context.displayName(it), detached) }
    }
    val pickSignature = rememberLauncherForActivityResult(ActivityResultContracts.OpenDocument()) { uri ->
        uri?.let { signature = context.bytes(it) }
    }
    val pickContent = rememberLauncherForActivityResult(ActivityResultContracts.OpenDocument()) { uri ->
        signature?.let { model.verify(it, uri?.let(context::bytes)) }
    }
    val signed = (outcome as? Outcome.Signed)?.document
    val save = rememberLauncherForActivityResult(ActivityResultContracts.CreateDocument("application/pkcs7-signature")) { uri ->
        if (uri != null && signed != null) context.contentResolver.openOutputStream(uri)?.use { it.write(signed.cms) }
    }
    WalletColumn(model, activity, R.string.nav_sign) {
        Row { Switch(checked = detached, onCheckedChange = { detached = it }); Text(stringResource(R.string.sign_detached)) }
        Button(onClick = { pickToSign.launch(arrayOf("*/*")) }) { Text(stringResource(R.string.sign_pick_file)) }
        signed?.let {
            Text(stringResource(R.string.sign_done, it.signerSerial))
            Button(onClick = { save.launch(it.suggestedFileName) }) { Text(stringResource(R.string.sign_save)) }
        }
        OutlinedButton(onClick = { pickSignature.launch(arrayOf("*/*")) }) { Text(stringResource(R.string.verify_pick_signature)) }
        if (signature != null) {
            OutlinedButton(onClick = { pickContent.launch(arrayOf("*/*")) }) { Text(stringResource(R.string.verify_pick_content)) }
            OutlinedButton(onClick = { signature?.let { model.verify(it, null) } }) { Text(stringResource(R.string.verify_attached)) }
        }
        (outcome as? Outcome.Verified)?.verification?.let { VerificationInfo(it) }
    }
}

/** Each signer and the chain, as the core judged them. */
@Composable
private fun VerificationInfo(verification: Verification) {
    val color = if (verification.signatureValid) MaterialTheme.colorScheme.primary else MaterialTheme.colorScheme.error
    Text(
        stringResource(if (verification.signatureValid) R.string.verify_valid else R.string.verify_invalid),
        color = color,
        style = MaterialTheme.typography.titleMedium,
    )
    Text(chainText(verification.chain))
    verification.signers.forEach { signer ->
        Column(Modifier.padding(vertical = 4.dp)) {
            Text(listOfNotNull(signer.name, signer.iin?.let { stringResource(R.string.verify_iin, it) }).joinToString(" · "))
            Text(stringResource(R.string.verify_serial, signer.serial))
            signer.signingTime?.let { Text(stringResource(R.string.verify_signing_time, it.toString())) }
            if (!signer.valid) Text(stringResource(R.string.verify_invalid), color = MaterialTheme.colorScheme.error)
        }
    }
}

/** The scaffold of a wallet screen: title, the pending question, progress, the failure, then [content]. */
@Composable
fun WalletColumn(model: WalletModel, activity: FragmentActivity, title: Int, content: @Composable () -> Unit) {
    val question by model.questions.pending.collectAsStateWithLifecycle()
    val busy by model.busy.collectAsStateWithLifecycle()
    val outcome by model.outcome.collectAsStateWithLifecycle()
    Column(Modifier.padding(24.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        Text(stringResource(title), style = MaterialTheme.typography.headlineSmall)
        question?.let { QuestionInput(it, activity, answered = {}) }
        if (busy && question == null) LinearProgressIndicator()
        (outcome as? Outcome.Failed)?.let { Text(walletErrorText(it.error), color = MaterialTheme.colorScheme.error) }
        content()
    }
}

private fun Context.bytes(uri: Uri): ByteArray = contentResolver.openInputStream(uri)?.use { it.readBytes() } ?: ByteArray(0)

private fun Context.displayName(uri: Uri): String =
    contentResolver.query(uri, arrayOf(OpenableColumns.DISPLAY_NAME), null, null, null)?.use { cursor ->
        if (cursor.moveToFirst()) cursor.getString(0) else null
    } ?: uri.lastPathSegment ?: "document"
