package kz.qoltanba

import kotlinx.coroutines.runBlocking
import kz.qoltanba.ffi.KeyStorage
import kz.qoltanba.ffi.LoginChallengeInfo
import kz.qoltanba.ffi.LoginChoice
import kz.qoltanba.ffi.LoginEnding
import kz.qoltanba.ffi.LoginRefusalReason
import kz.qoltanba.ffi.LoginScreens
import kz.qoltanba.testing.ABILOV
import kz.qoltanba.testing.Enrolled
import kz.qoltanba.testing.Http
import kz.qoltanba.testing.TestServer
import org.junit.ClassRule
import org.junit.Test
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/** QR login: a browser starts it over the server's login API, the wallet answers with the AUTH key. */
class LoginTest {
    /** The browser's side: a login session, its number and the QR code's text. */
    private class Browser(server: TestServer) {
        val http = Http(server.url)
        private val started = http.post("/v1/login/sessions")
        val id = assertNotNull(started.field("session_id"), started.body)
        val number = assertNotNull(started.number("number"), started.body)
        val qr = assertNotNull(http.get("/v1/login/sessions/$id/qr").header("X-Login-Qr"))

        fun status(): String? = http.get("/v1/login/sessions/$id").field("status")
    }

    /** Picks [pick] among the challenge's numbers. */
    private class Pick(private val pick: (List<Int>) -> Int) : LoginScreens {
        var shown: LoginChallengeInfo? = null

        override suspend fun choose(challenge: LoginChallengeInfo, again: Boolean): LoginChoice {
            shown = challenge
            return LoginChoice.Number(pick(challenge.numbers.map { it.toInt() }).toUByte())
        }
    }

    @Test
    fun the_page_number_logs_the_browser_in(): Unit = runBlocking {
        val browser = Browser(server)
        val screens = Pick { browser.number }
        val ending = enrolled.wallet().use { it.login(browser.qr, screens) }
        assertEquals(LoginEnding.LoggedIn(assertNotNull(screens.shown).relyingParty), ending)
        assertTrue(browser.number in screens.shown!!.numbers.map { it.toInt() })
        assertEquals("approved", browser.status())
    }

    @Test
    fun another_number_is_refused_on_the_phone_and_the_page(): Unit = runBlocking {
        val browser = Browser(server)
        val ending = enrolled.wallet().use { wallet -> wallet.login(browser.qr, Pick { numbers -> numbers.first { it != browser.number } }) }
        assertEquals(LoginRefusalReason.WRONG_NUMBER, assertIs<LoginEnding.Refused>(ending).reason)
        assertEquals("refused", browser.status())
    }

    companion object {
        @get:ClassRule @JvmStatic
        val enrolled = Enrolled(ABILOV, KeyStorage.HARDWARE)
        private val server get() = enrolled.server
    }
}
