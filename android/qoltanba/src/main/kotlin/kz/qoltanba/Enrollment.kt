package kz.qoltanba

import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.SharedFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asSharedFlow
import kotlinx.coroutines.flow.asStateFlow
import kz.qoltanba.ffi.EnrollmentFlow
import kz.qoltanba.ffi.EnrollmentObserver
import kz.qoltanba.ffi.EnrollmentOutcome
import kz.qoltanba.ffi.EnrollmentState
import kz.qoltanba.ffi.FailReason
import kz.qoltanba.ffi.FlowConfig
import kz.qoltanba.ffi.FlowException
import kz.qoltanba.ffi.InputProblem
import kz.qoltanba.ffi.IssuedCertificates
import kz.qoltanba.ffi.Progress
import kz.qoltanba.ffi.Step

/**
 * One enrollment on this device, over the Rust core's `EnrollmentFlow`.
 *
 * [state] is what the screens render (every step, with failure reasons and tries left); [events] says
 * when an input was refused or long work starts. [run] drives the flow until it ends or pauses; cancelling
 * the coroutine stops the core at its next wait, and the next [run] resumes where it was.
 */
class Enrollment(config: FlowConfig, services: PlatformServices) : AutoCloseable {
    private val relay = Relay()
    private val flow = EnrollmentFlow(
        config,
        services.citizen,
        services.camera,
        services.sms,
        services.pin,
        relay,
        services.keyStore,
    )

    init {
        relay.state.value = flow.state()
    }

    /** The state the UI shows now, updated by the core on every step. */
    val state: StateFlow<EnrollmentState> = relay.state.asStateFlow()

    /** Refused inputs and long work, as they happen. */
    val events: SharedFlow<EnrollmentEvent> = relay.events.asSharedFlow()

    /** Runs the flow to its end (or a pause); never throws a core error, it returns [EnrollmentResult.Error]. */
    suspend fun run(): EnrollmentResult =
        try {
            when (val outcome = flow.run()) {
                is EnrollmentOutcome.Enrolled -> EnrollmentResult.Enrolled(outcome.certificates)
                is EnrollmentOutcome.Failed -> EnrollmentResult.Failed(outcome.reason, outcome.detail)
                EnrollmentOutcome.Paused -> EnrollmentResult.Paused
            }
        } catch (error: FlowException) {
            EnrollmentResult.Error(error)
        }

    /** Frees the core's flow; a running [run] keeps its own reference until it returns. */
    override fun close() = flow.close()

    /** Receives the core's callbacks (on a core thread) and publishes them as flows. */
    private class Relay : EnrollmentObserver {
        val state = MutableStateFlow(EnrollmentState(Step.DeviceCheck, busy = false, stalled = false, notice = null, expiresAt = null))
        val events = MutableSharedFlow<EnrollmentEvent>(extraBufferCapacity = 64)

        override fun stateChanged(state: EnrollmentState) {
            this.state.value = state
        }

        override fun inputRejected(problem: InputProblem) {
            events.tryEmit(EnrollmentEvent.InputRejected(problem))
        }

        override fun progress(progress: Progress) {
            events.tryEmit(EnrollmentEvent.Working(progress))
        }
    }
}

/** How a [Enrollment.run] ended. */
sealed class EnrollmentResult {
    /** Both certificates are installed beside their keys. */
    data class Enrolled(val certificates: IssuedCertificates) : EnrollmentResult()

    /** The enrollment ended without certificates; a new one may start. */
    data class Failed(val reason: FailReason, val detail: String?) : EnrollmentResult()

    /** The citizen cancelled a prompt; the next run resumes at that step. */
    data object Paused : EnrollmentResult()

    /** The core could not go on (server unreachable, a platform service failed, …); typed. */
    data class Error(val error: FlowException) : EnrollmentResult()
}

/** Something that happened during a run, besides state changes. */
sealed class EnrollmentEvent {
    /** The last input was refused; the step is asked again. */
    data class InputRejected(val problem: InputProblem) : EnrollmentEvent()

    /** Long work starts (show progress). */
    data class Working(val progress: Progress) : EnrollmentEvent()
}
