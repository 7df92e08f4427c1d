package kz.qoltanba.app

import android.Manifest
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.Button
import androidx.compose.material3.Checkbox
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.text.input.VisualTransformation
import androidx.fragment.app.FragmentActivity
import kotlinx.coroutines.launch
import kz.qoltanba.ffi.KeyStorage
import kz.qoltanba.ffi.PinReason
import kz.qoltanba.ffi.SecretChoice

/** The input that answers [question]; [answered] runs after each answer. */
@Composable
fun QuestionInput(question: Question, activity: FragmentActivity, answered: () -> Unit) {
    fun <T> give(answer: Answer<T>, value: T) {
        answer.give(value)
        answered()
    }
    Column {
        when (question) {
            is Question.CameraPermission -> {
                val launcher = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) {
                    give(question.answer, it)
                }
                LaunchedEffect(question) { launcher.launch(Manifest.permission.CAMERA) }
            }
            is Question.Iin -> TextEntry(R.string.step_enter_iin_hint, KeyboardType.Number) { give(question.answer, it) }
            is Question.Phone -> TextEntry(R.string.phone_hint, KeyboardType.Phone) { give(question.answer, it) }
            is Question.Email -> TextEntry(R.string.email_hint, KeyboardType.Email) { give(question.answer, it) }
            is Question.SmsCode -> SmsCodeEntry { give(question.answer, it) }
            is Question.Consent -> Button(onClick = { give(question.answer, true) }) {
                Text(stringResource(R.string.step_pin_consent_agree))
            }
            is Question.Storage -> {
                if (question.hardwareAvailable) {
                    Button(onClick = { give(question.answer, KeyStorage.HARDWARE) }) {
                        Text(stringResource(R.string.step_key_storage_hardware))
                    }
                }
                Button(onClick = { give(question.answer, KeyStorage.FILE) }) {
                    Text(stringResource(R.string.step_key_storage_file))
                }
            }
            is Question.Password ->
                SecretPair(R.string.step_password, R.string.step_password_confirm, KeyboardType.Password) { give(question.answer, it) }
            is Question.ChoosePin ->
                SecretPair(R.string.pin_hint, R.string.pin_confirm, KeyboardType.NumberPassword) { give(question.answer, it) }
            is Question.Pin -> PinEntry(question, activity) { give(question.answer, it) }
            is Question.KeyPassword -> {
                if (question.wrong) Text(stringResource(R.string.key_password_wrong))
                SecretEntry(R.string.key_password_hint) { give(question.answer, it) }
            }
            is Question.LoginNumber -> LoginChallenge(question.challenge, question.again) { give(question.answer, it) }
            is Question.Photo -> CameraCapture(question.picture) { jpeg ->
                if (jpeg != null) give(question.answer, jpeg) else question.answer.cancel()
            }
        }
        if (question !is Question.CameraPermission) {
            TextButton(onClick = { question.answer.cancel() }) { Text(stringResource(R.string.common_cancel)) }
        }
    }
}

/** A text field and a continue button. */
@Composable
private fun TextEntry(hint: Int, keyboard: KeyboardType, initial: String = "", submit: (String) -> Unit) {
    var text by remember(initial) { mutableStateOf(initial) }
    OutlinedTextField(
        value = text,
        onValueChange = { text = it },
        label = { Text(stringResource(hint)) },
        singleLine = true,
        keyboardOptions = KeyboardOptions(keyboardType = keyboard),
    )
    Button(onClick = { submit(text) }, enabled = text.isNotEmpty()) { Text(stringResource(R.string.common_continue)) }
}

/** The SMS code: auto-read by the SMS Retriever API and submitted, or typed. */
@Composable
private fun SmsCodeEntry(submit: (String) -> Unit) {
    val context = LocalContext.current
    LaunchedEffect(Unit) { SmsRetrieval.codes(context).collect { submit(it) } }
    TextEntry(R.string.sms_code_hint, KeyboardType.Number, submit = submit)
}

/** A new secret typed twice. */
@Composable
private fun SecretPair(hint: Int, confirmation: Int, keyboard: KeyboardType, submit: (SecretChoice) -> Unit) {
    var value by remember { mutableStateOf("") }
    var repeated by remember { mutableStateOf("") }
    SecretField(value, hint, keyboard) { value = it }
    SecretField(repeated, confirmation, keyboard) { repeated = it }
    Button(onClick = { submit(SecretChoice(value, repeated)) }, enabled = value.isNotEmpty() && repeated.isNotEmpty()) {
        Text(stringResource(R.string.common_continue))
    }
}

/** One secret and a continue button. */
@Composable
private fun SecretEntry(hint: Int, submit: (String) -> Unit) {
    var value by remember { mutableStateOf("") }
    SecretField(value, hint, KeyboardType.Password) { value = it }
    Button(onClick = { submit(value) }, enabled = value.isNotEmpty()) { Text(stringResource(R.string.common_continue)) }
}

@Composable
private fun SecretField(value: String, hint: Int, keyboard: KeyboardType, change: (String) -> Unit) =
    OutlinedTextField(
        value = value,
        onValueChange = change,
        label = { Text(stringResource(hint)) },
        singleLine = true,
        visualTransformation = PasswordVisualTransformation(),
        keyboardOptions = KeyboardOptions(keyboardType = keyboard),
    )

/** The PIN, typed or recalled with BiometricPrompt; on confirming it the citizen may let biometrics keep it. */
@Composable
private fun PinEntry(question: Question.Pin, activity: FragmentActivity, submit: (String) -> Unit) {
    val biometric = remember { BiometricPin(activity) }
    val scope = rememberCoroutineScope()
    val prompt = stringResource(R.string.pin_biometric_reason)
    var pin by remember { mutableStateOf("") }
    var keep by remember { mutableStateOf(false) }
    Text(stringResource(R.string.common_tries_left, question.triesLeft.toInt()))
    SecretField(pin, R.string.pin_hint, KeyboardType.NumberPassword) { pin = it }
    if (question.reason == PinReason.CONFIRM && biometric.available) {
        Row {
            Checkbox(checked = keep, onCheckedChange = { keep = it })
            Text(stringResource(R.string.pin_biometric_remember))
        }
    }
    Button(
        onClick = {
            scope.launch {
                if (keep) biometric.remember(activity, pin, prompt)
                submit(pin)
            }
        },
        enabled = pin.isNotEmpty(),
    ) { Text(stringResource(R.string.common_continue)) }
    if (question.reason == PinReason.UNLOCK && biometric.available && biometric.remembered) {
        Button(onClick = { scope.launch { biometric.recall(activity, prompt)?.let(submit) } }) {
            Text(stringResource(R.string.pin_biometric))
        }
    }
}
