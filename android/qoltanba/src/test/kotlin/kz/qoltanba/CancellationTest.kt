package kz.qoltanba

import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kz.qoltanba.ffi.Camera
import kz.qoltanba.ffi.FlowException
import kz.qoltanba.ffi.KeyStorage
import kz.qoltanba.ffi.Picture
import kz.qoltanba.ffi.PlatformException
import kz.qoltanba.ffi.SmsCodeSource
import kz.qoltanba.ffi.Step
import kz.qoltanba.testing.ABILOV
import kz.qoltanba.testing.FixedPin
import kz.qoltanba.testing.OutboxSms
import kz.qoltanba.testing.PngCamera
import kz.qoltanba.testing.ScriptedCitizen
import kz.qoltanba.testing.TestServer
import kz.qoltanba.testing.config
import org.junit.AfterClass
import org.junit.BeforeClass
import org.junit.Test
import kotlin.test.assertEquals
import kotlin.test.assertIs

/** Cancelling the coroutine that runs the flow, against a real server. */
class CancellationTest {
    /** Announces that the code is asked for, then waits until it is cancelled, and says so. */
    private class StuckSms : SmsCodeSource {
        val asked = CompletableDeferred<Unit>()
        val cancelled = CompletableDeferred<Unit>()

        override suspend fun code(phoneMasked: String, triesLeft: UByte): String {
            asked.complete(Unit)
            try {
                awaitCancellation()
            } finally {
                cancelled.complete(Unit)
            }
        }
    }

    @Test
    fun cancelling_the_coroutine_stops_the_core_and_the_next_run_resumes(): Unit = runBlocking {
        val config = config(server.url)
        val citizen = ScriptedCitizen(ABILOV.iin, KeyStorage.FILE)
        val stuck = StuckSms()
        Enrollment(config, PlatformServices(citizen, PngCamera(), stuck, FixedPin())).use { enrollment ->
            val run = launch { enrollment.run() }
            stuck.asked.await()
            assertIs<Step.EnterSmsCode>(enrollment.state.value.step)
            // One run at a time.
            assertIs<FlowException.AlreadyRunning>(assertIs<EnrollmentResult.Error>(enrollment.run()).error)

            run.cancelAndJoin()
            // The core dropped its wait for the code, which cancelled the Kotlin side of it.
            stuck.cancelled.await()
        }

        // Resumed from the saved step: the code is read now, and the citizen backs out at the selfie.
        val backOut = object : Camera {
            override suspend fun capture(picture: Picture): ByteArray = throw PlatformException.Cancelled()
        }
        val services = PlatformServices(citizen, backOut, OutboxSms(server, ABILOV.phone), FixedPin())
        Enrollment(config, services).use { enrollment ->
            assertIs<Step.EnterSmsCode>(enrollment.state.value.step)
            assertEquals(EnrollmentResult.Paused, enrollment.run())
            assertIs<Step.TakeSelfie>(enrollment.state.value.step)
        }
    }

    companion object {
        private lateinit var server: TestServer

        @JvmStatic @BeforeClass
        fun start() {
            server = TestServer()
        }

        @JvmStatic @AfterClass
        fun stop() = server.close()
    }
}
