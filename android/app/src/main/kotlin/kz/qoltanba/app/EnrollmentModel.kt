package kz.qoltanba.app

import android.app.Application
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import kz.qoltanba.Enrollment
import kz.qoltanba.EnrollmentEvent
import kz.qoltanba.EnrollmentResult
import kz.qoltanba.PlatformServices
import kz.qoltanba.ffi.EnrollmentState
import kz.qoltanba.ffi.InputProblem

/** Owns the enrollment for the screens: its state, the refused input, the pending question, the result. */
class EnrollmentModel(application: Application) : AndroidViewModel(application) {
    /** What the core asks now. */
    val questions = Questions()
    private val forms = Forms(application, questions)

    private val enrollment =
        Enrollment(flowConfig(application), PlatformServices(forms, forms, forms, forms, keyStore = androidKeyStore(application)))

    /** The state the screens render. */
    val state: StateFlow<EnrollmentState> = enrollment.state

    private val refused = MutableStateFlow<InputProblem?>(null)

    /** Why the last input was refused, until the next answer. */
    val problem: StateFlow<InputProblem?> = refused.asStateFlow()

    private val ended = MutableStateFlow<EnrollmentResult?>(null)

    /** How the last run ended, once it has. */
    val result: StateFlow<EnrollmentResult?> = ended.asStateFlow()
    private var run: Job? = null

    init {
        viewModelScope.launch {
            enrollment.events.collect { if (it is EnrollmentEvent.InputRejected) refused.value = it.problem }
        }
    }

    /** Runs (or resumes) the flow unless it is running. */
    fun start() {
        if (run?.isActive == true) return
        ended.value = null
        run = viewModelScope.launch { ended.value = enrollment.run() }
    }

    /** The citizen answered: the refusal shown for the previous answer goes. */
    fun answered() {
        refused.value = null
    }

    override fun onCleared() = enrollment.close()
}
