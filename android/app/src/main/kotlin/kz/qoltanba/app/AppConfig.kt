package kz.qoltanba.app

import android.app.Application
import android.os.Build
import kz.qoltanba.ffi.Device
import kz.qoltanba.ffi.DeviceOs
import kz.qoltanba.ffi.FlowConfig
import java.io.File

/** Where the core talks to and keeps its data on this phone; the enrollment and the wallet share it. */
fun flowConfig(application: Application) = FlowConfig(
    serverUrl = BuildConfig.SERVER_URL,
    dataDir = File(application.filesDir, "qoltanba").absolutePath,
    device = Device(DeviceOs.ANDROID, Build.VERSION.RELEASE, BuildConfig.VERSION_NAME, Build.MODEL),
)
