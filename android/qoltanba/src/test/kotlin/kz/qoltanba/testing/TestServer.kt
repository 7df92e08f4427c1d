package kz.qoltanba.testing

import java.io.File
import java.net.HttpURLConnection
import java.net.ServerSocket
import java.net.URI
import java.nio.file.Files

/**
 * A real `qoltanba-server` process (`--dev`, SQLite in a temporary directory), seeded with the demo
 * citizens and one operator account. The binary is `-Dqoltanba.server`, set by `cargo xtask kotlin-test`.
 */
class TestServer : AutoCloseable {
    val dir: File = Files.createTempDirectory("qoltanba-server").toFile()
    private val binary = System.getProperty("qoltanba.server") ?: error("-Dqoltanba.server is not set")
    private val db = "sqlite://${File(dir, "server.db").absolutePath}"
    private val port = ServerSocket(0).use { it.localPort }
    val url = "http://127.0.0.1:$port"
    private val process: Process

    /** The API key of the relying party [SERVICE], registered before the server starts. */
    val serviceApiKey: String

    init {
        command("seed")
        command("operator", "add", OPERATOR)
        serviceApiKey = Regex("api key: +(\\S+)").find(command("rp", "add", SERVICE))?.groupValues?.get(1)
            ?: error("qoltanba-server rp add printed no API key")
        process = ProcessBuilder(binary, "--db", db, "serve", "--dev", "--listen", "127.0.0.1:$port")
            .redirectOutput(File(dir, "server.log"))
            .redirectErrorStream(true)
            .start()
        awaitHealthy()
    }

    /** The newest six-digit code in the `--dev` SMS outbox of [phone] that is not in [seen]. */
    fun smsCode(phone: String, seen: Set<String> = emptySet()): String? {
        val body = get("/v1/dev/sms?phone=" + java.net.URLEncoder.encode(phone, Charsets.UTF_8)) ?: return null
        return Regex("(?<![0-9])[0-9]{6}(?![0-9])").findAll(body).map { it.value }.lastOrNull { it !in seen }
    }

    override fun close() {
        process.destroy()
        process.waitFor()
        dir.deleteRecursively()
    }

    private fun command(vararg args: String): String {
        val builder = ProcessBuilder(binary, "--db", db, *args).redirectErrorStream(true)
        builder.environment()["QOLTANBA_OPERATOR_PASSWORD"] = OPERATOR_PASSWORD
        val process = builder.start()
        val output = process.inputStream.bufferedReader().readText()
        check(process.waitFor() == 0) { "qoltanba-server ${args.joinToString(" ")} failed: $output" }
        return output
    }

    /** Waits until `/healthz` answers (the server migrates and creates its CA first), or it exits. */
    private fun awaitHealthy() {
        while (get("/healthz") == null) {
            check(process.isAlive) { "the server exited: " + File(dir, "server.log").readText() }
            Thread.sleep(100)
        }
    }

    private fun get(path: String): String? =
        try {
            val connection = URI(url + path).toURL().openConnection() as HttpURLConnection
            connection.connectTimeout = 1000
            if (connection.responseCode == 200) connection.inputStream.bufferedReader().readText() else null
        } catch (_: java.io.IOException) {
            null
        }

    companion object {
        const val OPERATOR = "tester"
        const val OPERATOR_PASSWORD = "correct horse battery staple 7"
        const val SERVICE = "Kotlin Test Service"
    }
}

/** A demo citizen of `qoltanba-server seed` with a registered phone. */
data class DemoCitizen(val iin: String, val phone: String)

/** The seeded citizens with phones (their IINs as the seed computes them). */
val ABILOV = DemoCitizen("850314301011", "+77011234567")
val ZHUMABEKOVA = DemoCitizen("921102401380", "+77021112233")
val NURGALIEV = DemoCitizen("030930502497", "+77051234567")
