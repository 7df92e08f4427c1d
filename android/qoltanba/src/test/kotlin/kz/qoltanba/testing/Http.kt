package kz.qoltanba.testing

import java.net.HttpURLConnection
import java.net.URI
import java.util.UUID

/** An HTTP answer: status, body and the headers the tests read. */
class Answer(val status: Int, val body: String, private val headers: Map<String?, List<String>>) {
    /** The first value of header [name]. */
    fun header(name: String): String? = headers.entries.firstOrNull { it.key.equals(name, ignoreCase = true) }?.value?.first()

    /** The string field [name] of the JSON body (the server writes compact JSON). */
    fun field(name: String): String? = Regex("\"$name\":\"([^\"]*)\"").find(body)?.groupValues?.get(1)

    /** The number field [name] of the JSON body. */
    fun number(name: String): Int? = Regex("\"$name\":([0-9]+)").find(body)?.groupValues?.get(1)?.toInt()
}

/**
 * An HTTP client the way a browser or a service talks to the server: it keeps the cookies it is given
 * and sends [headers] (an `Authorization`) with every call; each `POST` gets a fresh `Idempotency-Key`.
 */
class Http(private val base: String, private val headers: Map<String, String> = emptyMap()) {
    private val cookies = mutableMapOf<String, String>()

    fun get(path: String): Answer = call("GET", path, null)

    fun post(path: String, json: String = ""): Answer = call("POST", path, json)

    private fun call(method: String, path: String, json: String?): Answer {
        val connection = URI(base + path).toURL().openConnection() as HttpURLConnection
        connection.requestMethod = method
        headers.forEach(connection::setRequestProperty)
        if (cookies.isNotEmpty()) connection.setRequestProperty("Cookie", cookies.entries.joinToString("; ") { "${it.key}=${it.value}" })
        if (json != null) {
            connection.setRequestProperty("Idempotency-Key", UUID.randomUUID().toString())
            connection.setRequestProperty("Content-Type", "application/json")
            connection.doOutput = true
            connection.outputStream.use { it.write(json.toByteArray()) }
        }
        val status = connection.responseCode
        val body = (if (status < 400) connection.inputStream else connection.errorStream)?.bufferedReader()?.readText() ?: ""
        connection.headerFields.filterKeys { it.equals("Set-Cookie", ignoreCase = true) }.values.flatten().forEach { cookie ->
            val (name, value) = cookie.substringBefore(';').split('=', limit = 2)
            cookies[name.trim()] = value.trim()
        }
        return Answer(status, body, connection.headerFields)
    }
}
