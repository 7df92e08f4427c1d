// The Android side of Qoltanba: the Kotlin library module (`:qoltanba`, tested on the JVM by
// `cargo xtask kotlin-test`) and the app module (`:app`, Jetpack Compose; needs the Android SDK).
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
    plugins {
        id("com.android.application") version "8.7.3"
        id("com.android.library") version "8.7.3"
        id("org.jetbrains.kotlin.android") version "2.4.20"
        id("org.jetbrains.kotlin.plugin.compose") version "2.4.20"
    }
}
dependencyResolutionManagement {
    repositories {
        google()
        mavenCentral()
    }
}
rootProject.name = "qoltanba-android"
include(":qoltanba")
include(":app")
