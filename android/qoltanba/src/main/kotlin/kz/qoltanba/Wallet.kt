package kz.qoltanba

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import kz.qoltanba.ffi.CertificateInfo
import kz.qoltanba.ffi.HistoryItem
import kz.qoltanba.ffi.LocalStore

/** The citizen's certificates and history, read off the main thread from the core's local store. */
class Wallet(dataDir: String) : AutoCloseable {
    private val store = LocalStore.open(dataDir)

    /** The certificates, newest first. */
    suspend fun certificates(): List<CertificateInfo> = withContext(Dispatchers.IO) { store.certificates() }

    /** A page of the history, newest first. */
    suspend fun history(offset: UInt = 0u, limit: UInt = 50u): List<HistoryItem> =
        withContext(Dispatchers.IO) { store.history(offset, limit) }

    override fun close() = store.close()
}
