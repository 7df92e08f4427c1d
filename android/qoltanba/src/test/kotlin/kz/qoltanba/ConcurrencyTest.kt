package kz.qoltanba

import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kz.qoltanba.ffi.KeyPurpose
import kz.qoltanba.ffi.KeyStorage
import kz.qoltanba.testing.DemoCitizen
import kz.qoltanba.testing.FixedPassword
import kz.qoltanba.testing.FixedPin
import kz.qoltanba.testing.NURGALIEV
import kz.qoltanba.testing.TestServer
import kz.qoltanba.testing.ZHUMABEKOVA
import kz.qoltanba.testing.config
import kz.qoltanba.testing.services
import org.junit.AfterClass
import org.junit.BeforeClass
import org.junit.Test
import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertTrue

/** Two enrollments at once on the core's one runtime, against one real server. */
class ConcurrencyTest {
    private class Run(val citizen: DemoCitizen, val storage: KeyStorage) {
        val config = config(server.url)
    }

    @Test
    fun two_flows_enroll_at_once(): Unit = runBlocking(Dispatchers.Default) {
        val runs = listOf(Run(ZHUMABEKOVA, KeyStorage.HARDWARE), Run(NURGALIEV, KeyStorage.FILE))
        val results = runs.map { run -> async { enroll(run) } }.awaitAll()

        val serials = results.flatMap { listOf(it.certificates.authSerial, it.certificates.signSerial) }
        assertEquals(4, serials.toSet().size)
        for (run in runs) {
            val certificates = Wallet(run.config, FixedPin(), FixedPassword()).use { it.certificates() }
            assertEquals(setOf(KeyPurpose.AUTH, KeyPurpose.SIGN), certificates.map { it.purpose }.toSet())
            assertTrue(certificates.all { it.subjectIin == run.citizen.iin && it.storage == run.storage })
        }
        // File storage: NCA-named PKCS#12 files in the data directory.
        val files = File(runs[1].config.dataDir, "keys").list().orEmpty().filter { it.endsWith(".p12") }
        assertEquals(2, files.size, "key files: $files")
        assertEquals(1, files.count { it.startsWith("AUTH_RSA256_") })
    }

    private suspend fun enroll(run: Run): EnrollmentResult.Enrolled = coroutineScope {
        Enrollment(run.config, services(server, run.citizen, run.storage)).use { enrollment ->
            val review = launch(start = CoroutineStart.UNDISPATCHED) { approveSelfie(enrollment, server, run.citizen.iin) }
            val result = enrollment.run()
            review.join()
            assertIs<EnrollmentResult.Enrolled>(result)
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
