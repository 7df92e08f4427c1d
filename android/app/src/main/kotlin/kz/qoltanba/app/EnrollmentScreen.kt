package kz.qoltanba.app

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.fragment.app.FragmentActivity
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import kz.qoltanba.EnrollmentResult
import kz.qoltanba.ffi.Step

/** The enrollment: the current step (the core's state record), its notice, and the pending question. */
@Composable
fun EnrollmentScreen(model: EnrollmentModel, activity: FragmentActivity) {
    val state by model.state.collectAsStateWithLifecycle()
    val problem by model.problem.collectAsStateWithLifecycle()
    val question by model.questions.pending.collectAsStateWithLifecycle()
    val result by model.result.collectAsStateWithLifecycle()
    LaunchedEffect(Unit) { model.start() }
    Column(
        Modifier.padding(24.dp).verticalScroll(rememberScrollState()),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        StepInfo(state.step)
        state.notice?.let { Text(noticeText(it), color = MaterialTheme.colorScheme.error) }
        problem?.let { Text(problemText(it), color = MaterialTheme.colorScheme.error) }
        if (state.busy) LinearProgressIndicator()
        question?.let { QuestionInput(it, activity, answered = model::answered) }
        if (result is EnrollmentResult.Error) {
            Button(onClick = model::start) { Text(stringResource(R.string.common_retry)) }
        }
    }
}

/** What the state record says about the step. */
@Composable
private fun StepInfo(step: Step) {
    val title = MaterialTheme.typography.titleLarge
    when (step) {
        Step.DeviceCheck -> Text(stringResource(R.string.step_device_check), style = title)
        Step.EnterIin -> Text(stringResource(R.string.step_enter_iin), style = title)
        Step.StartingSession -> Text(stringResource(R.string.step_starting_session), style = title)
        Step.EnterPhone -> Text(stringResource(R.string.step_enter_phone), style = title)
        is Step.AwaitingOperator -> Text(stringResource(R.string.step_awaiting_operator, step.phoneMasked), style = title)
        is Step.EnterSmsCode -> {
            Text(stringResource(R.string.step_sms_code, step.phoneMasked), style = title)
            Text(stringResource(R.string.common_tries_left, step.triesLeft.toInt()))
        }
        is Step.TakeSelfie -> {
            Text(stringResource(R.string.step_selfie), style = title)
            Text(stringResource(R.string.common_tries_left, step.attemptsLeft.toInt()))
            step.lastRejection?.let { Text(it, color = MaterialTheme.colorScheme.error) }
        }
        Step.SelfieUnderReview -> Text(stringResource(R.string.step_selfie_review), style = title)
        Step.ChoosePin -> Text(stringResource(R.string.step_choose_pin), style = title)
        Step.TakeIdCardPhoto -> Text(stringResource(R.string.step_id_card), style = title)
        Step.ConfirmPinAndConsent -> Text(stringResource(R.string.step_pin_consent), style = title)
        is Step.ReviewPersonAndEmail -> {
            Text(stringResource(R.string.step_review_person), style = title)
            Text(listOfNotNull(step.person.surname, step.person.name, step.person.patronymic).joinToString(" "))
            Text(step.person.iin)
            Text(step.person.birthDate)
        }
        Step.ChooseKeyStorage -> Text(stringResource(R.string.step_key_storage), style = title)
        Step.ChoosePassword -> Text(stringResource(R.string.step_password), style = title)
        Step.GeneratingKeys -> Text(stringResource(R.string.step_generating_keys), style = title)
        Step.Issuing -> Text(stringResource(R.string.step_issuing), style = title)
        Step.Installing -> Text(stringResource(R.string.step_installing), style = title)
        Step.UnlockKeys -> Text(stringResource(R.string.step_unlock_keys), style = title)
        is Step.Done -> {
            Text(stringResource(R.string.step_done), style = title)
            Text("AUTH ${step.certificates.authSerial}")
            Text("SIGN ${step.certificates.signSerial}")
        }
        is Step.Failed -> {
            Text(stringResource(R.string.step_failed), style = title)
            Text(failText(step.reason))
            step.detail?.let { Text(it) }
        }
    }
}
