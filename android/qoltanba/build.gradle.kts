// The Kotlin library module: the UniFFI bindings of qoltanba-uniffi plus the idiomatic API in
// src/main/kotlin. An app module depends on it with `implementation(project(":qoltanba"))`.
//
// Tested on this repository's CI without the Android SDK by `cargo xtask kotlin-test` (kotlinc + JNA on
// the desktop JVM, same sources). With the SDK, the Rust library is built per ABI by cargo-ndk and the
// bindings generated from it (library mode) before Kotlin compiles.
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "kz.qoltanba"
    compileSdk = 35
    defaultConfig {
        minSdk = 28
        consumerProguardFiles("consumer-rules.pro")
    }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    sourceSets["main"].java.srcDir(layout.buildDirectory.dir("generated/uniffi"))
    sourceSets["main"].jniLibs.srcDir(layout.buildDirectory.dir("rustJniLibs"))
}

kotlin {
    jvmToolchain(17)
    compilerOptions { allWarningsAsErrors = true }
}

dependencies {
    implementation("net.java.dev.jna:jna:5.13.0@aar")
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.10.2")
    testImplementation("junit:junit:4.13.2")
    testImplementation(kotlin("test-junit"))
}

val workspace = rootProject.projectDir.parentFile

// arm64-v8a, armeabi-v7a and x86_64, 16 KB page aligned (Android 15+).
val cargoNdk by tasks.registering(Exec::class) {
    workingDir = workspace
    environment("RUSTFLAGS", "-C link-arg=-Wl,-z,max-page-size=16384")
    commandLine(
        "cargo", "ndk", "-t", "arm64-v8a", "-t", "armeabi-v7a", "-t", "x86_64",
        "-o", layout.buildDirectory.dir("rustJniLibs").get().asFile.path,
        "build", "--release", "-p", "qoltanba-uniffi",
    )
}

val uniffiBindings by tasks.registering(Exec::class) {
    dependsOn(cargoNdk)
    workingDir = workspace
    commandLine(
        "cargo", "run", "-p", "xtask", "--bin", "uniffi-bindgen", "--",
        "generate", "--library", layout.buildDirectory.file("rustJniLibs/arm64-v8a/libqoltanba_uniffi.so").get().asFile.path,
        "--language", "kotlin", "--config", "uniffi/uniffi-android.toml",
        "--out-dir", layout.buildDirectory.dir("generated/uniffi").get().asFile.path,
    )
}

tasks.named("preBuild") { dependsOn(uniffiBindings) }
