package kz.qoltanba

import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kz.qoltanba.ffi.DeviceStatus
import kz.qoltanba.ffi.EnrollmentFlow
import kz.qoltanba.ffi.EnrollmentObserver
import kz.qoltanba.ffi.EnrollmentOutcome
import kz.qoltanba.ffi.EnrollmentState
import kz.qoltanba.ffi.FlowException
import kz.qoltanba.ffi.InputProblem
import kz.qoltanba.ffi.KeyStorage
import kz.qoltanba.ffi.PlatformException
import kz.qoltanba.ffi.Progress
import kz.qoltanba.ffi.Step
import kz.qoltanba.testing.FixedPin
import kz.qoltanba.testing.PngCamera
import kz.qoltanba.testing.ScriptedCitizen
import kz.qoltanba.testing.config
import kz.qoltanba.ffi.SmsCodeSource
import org.junit.Test
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertIs

/** Errors crossing the FFI both ways; none of these reach a server (the flow fails or pauses first). */
class ErrorsTest {
    /** Nothing listens on this port: the flow must not need the server for these steps. */
    private val nowhere = "http://127.0.0.1:9"

    private val noSms = object : SmsCodeSource {
        override suspend fun code(phoneMasked: String, triesLeft: UByte): String = error("not reached")
    }

    private fun services(citizen: ScriptedCitizen) = PlatformServices(citizen, PngCamera(), noSms, FixedPin())

    @Test
    fun a_declared_platform_exception_comes_back_as_a_typed_flow_error(): Unit = runBlocking {
        val citizen = object : ScriptedCitizen("850314301011", KeyStorage.FILE) {
            override suspend fun deviceCheck(): DeviceStatus = throw PlatformException.Unavailable("camera permission denied")
        }
        Enrollment(config(nowhere), services(citizen)).use { enrollment ->
            val error = assertIs<EnrollmentResult.Error>(enrollment.run()).error
            assertContains(assertIs<FlowException.Platform>(error).reason, "camera permission denied")
            assertEquals(Step.DeviceCheck, enrollment.state.value.step)
        }
    }

    @Test
    fun an_undeclared_kotlin_exception_is_a_typed_error_not_a_crash(): Unit = runBlocking {
        val citizen = object : ScriptedCitizen("850314301011", KeyStorage.FILE) {
            override suspend fun deviceCheck(): DeviceStatus = throw IllegalStateException("boom in Kotlin")
        }
        Enrollment(config(nowhere), services(citizen)).use { enrollment ->
            val error = assertIs<EnrollmentResult.Error>(enrollment.run()).error
            val reason = assertIs<FlowException.Platform>(error).reason
            assertContains(reason, "unexpected")
            assertContains(reason, "boom in Kotlin")
        }
    }

    @Test
    fun a_cancelled_prompt_pauses_the_flow_at_its_step(): Unit = runBlocking {
        val citizen = object : ScriptedCitizen("850314301011", KeyStorage.FILE) {
            override suspend fun iin(): String = throw PlatformException.Cancelled()
        }
        val config = config(nowhere)
        Enrollment(config, services(citizen)).use { assertEquals(EnrollmentResult.Paused, it.run()) }
        // A new flow over the same data directory starts where the citizen left.
        Enrollment(config, services(citizen)).use { assertEquals(Step.EnterIin, it.state.value.step) }
    }

    @Test
    fun refused_input_is_reported_and_asked_again(): Unit = runBlocking {
        val answers = ArrayDeque(listOf("850314301012", "85031430101"))
        val citizen = object : ScriptedCitizen("850314301011", KeyStorage.FILE) {
            override suspend fun iin(): String = answers.removeFirstOrNull() ?: throw PlatformException.Cancelled()
        }
        Enrollment(config(nowhere), services(citizen)).use { enrollment ->
            val rejected = async(start = CoroutineStart.UNDISPATCHED) {
                enrollment.events.first { it is EnrollmentEvent.InputRejected && it.problem is InputProblem.IinLength }
            }
            assertEquals(EnrollmentResult.Paused, enrollment.run())
            assertEquals(EnrollmentEvent.InputRejected(InputProblem.IinLength(11u)), rejected.await())
            assertEquals(0, answers.size)
        }
    }

    @Test
    fun an_unusable_server_address_throws_a_typed_exception(): Unit = runBlocking {
        val flow = EnrollmentFlow(config("ftp://example.kz"), ScriptedCitizen("850314301011", KeyStorage.FILE), PngCamera(), noSms, FixedPin(), QuietObserver(), null)
        flow.use { assertFailsWith<FlowException.InvalidServer> { it.run() } }
    }

    @Test
    fun a_throwing_observer_does_not_break_the_flow(): Unit = runBlocking {
        val citizen = object : ScriptedCitizen("850314301011", KeyStorage.FILE) {
            override suspend fun iin(): String = throw PlatformException.Cancelled()
        }
        val observer = object : EnrollmentObserver {
            override fun stateChanged(state: EnrollmentState) = throw IllegalStateException("UI gone")
            override fun inputRejected(problem: InputProblem) = throw IllegalStateException("UI gone")
            override fun progress(progress: Progress) = throw IllegalStateException("UI gone")
        }
        EnrollmentFlow(config(nowhere), citizen, PngCamera(), noSms, FixedPin(), observer, null).use { flow ->
            assertEquals(EnrollmentOutcome.Paused, flow.run())
            assertEquals(Step.EnterIin, flow.state().step)
        }
    }
}

/** An observer that ignores everything. */
class QuietObserver : EnrollmentObserver {
    override fun stateChanged(state: EnrollmentState) {}
    override fun inputRejected(problem: InputProblem) {}
    override fun progress(progress: Progress) {}
}
