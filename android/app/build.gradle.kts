// The Android app: Jetpack Compose screens over the library module `:qoltanba` (which builds the Rust
// core with cargo-ndk for arm64-v8a, armeabi-v7a and x86_64 and generates the bindings). No logic lives
// here: the enrollment is core's, the idiomatic API the library's; the app renders and asks.
plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
    id("org.jetbrains.kotlin.plugin.compose")
}

android {
    namespace = "kz.qoltanba.app"
    compileSdk = 35
    defaultConfig {
        applicationId = "kz.qoltanba.app"
        minSdk = 28
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
        // The server the app enrolls with; `-PqoltanbaServer=http://10.0.2.2:8080` for a --dev server on the host.
        val server = (project.findProperty("qoltanbaServer") as String?) ?: "https://qoltanba.example.kz"
        buildConfigField("String", "SERVER_URL", "\"$server\"")
    }
    buildFeatures {
        compose = true
        buildConfig = true
    }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    // Native libraries stored uncompressed and 16 KB aligned in the APK (Android 15+ page size).
    packaging { jniLibs { useLegacyPackaging = false } }
    androidResources { localeFilters += listOf("en", "kk", "ru") }
}

kotlin {
    jvmToolchain(17)
    compilerOptions { allWarningsAsErrors = true }
}

dependencies {
    implementation(project(":qoltanba"))
    implementation(platform("androidx.compose:compose-bom:2024.12.01"))
    implementation("androidx.compose.material3:material3")
    implementation("androidx.compose.ui:ui")
    implementation("androidx.activity:activity-compose:1.9.3")
    implementation("androidx.fragment:fragment-ktx:1.8.5")
    implementation("androidx.lifecycle:lifecycle-viewmodel-compose:2.8.7")
    implementation("androidx.lifecycle:lifecycle-runtime-compose:2.8.7")
    implementation("androidx.navigation:navigation-compose:2.8.5")
    implementation("androidx.camera:camera-camera2:1.4.1")
    implementation("androidx.camera:camera-lifecycle:1.4.1")
    implementation("androidx.camera:camera-view:1.4.1")
    implementation("androidx.biometric:biometric:1.1.0")
    implementation("com.google.android.gms:play-services-auth-api-phone:18.1.0")
    // The QR login: Google code scanner (ML Kit through Play services; no camera permission, no scanning UI of our own).
    implementation("com.google.android.gms:play-services-code-scanner:16.1.0")
}
