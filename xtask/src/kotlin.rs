//! `cargo xtask kotlin-test`: the Kotlin library module, compiled and tested on the host JVM.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::artifacts;

/// The `kotlin-compiler` npm package version (kotlinc, kotlinx-coroutines and kotlin-test inside).
const KOTLIN_VERSION: &str = "2.4.20";
/// Debian `libjna-java`.
const JNA_JAR: &str = "/usr/share/java/jna.jar";
/// Debian `junit4` (and its `libhamcrest-java` dependency).
const JUNIT_JARS: [&str; 2] = ["/usr/share/java/junit4.jar", "/usr/share/java/hamcrest-core.jar"];
/// The class that runs the JUnit classes and prints the summary line.
const RUNNER: &str = "kz.qoltanba.testing.RunAllKt";

/// Builds, generates, compiles and runs; `Err` on any failure, failing tests included.
pub fn test() -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().ok_or("no workspace root")?.to_path_buf();
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let module = root.join("android/qoltanba");
    let out = target.join("kotlin");
    for jar in [JNA_JAR].iter().chain(&JUNIT_JARS) {
        if !Path::new(jar).is_file() {
            return Err(format!("{jar} is missing: apt-get install -y libjna-java junit4"));
        }
    }

    let built = artifacts::test_build(&root)?;
    let generated = fresh_dir(&out.join("generated"))?;
    uniffi::generate(uniffi::GenerateOptions {
        languages: vec![uniffi::TargetLanguage::Kotlin],
        source: utf8(&built.ffi_library)?,
        out_dir: utf8(&generated)?,
        config_override: None,
        format: false,
        crate_filter: None,
        metadata_no_deps: false,
    })
    .map_err(|e| format!("generating the Kotlin bindings: {e:#}"))?;

    let library_dir = built.ffi_library.parent().ok_or("the FFI library has no directory")?.to_path_buf();
    let kotlin = compiler()?;
    let lib = kotlin.join("lib");
    let coroutines = lib.join("kotlinx-coroutines-core-jvm.jar");
    let main_classes = fresh_dir(&out.join("main"))?;
    let main_path = classpath(&[JNA_JAR.into(), coroutines.clone()]);
    run(kotlinc(&kotlin, &main_path, &main_classes).arg(&generated).arg(module.join("src/main/kotlin")))?;

    let tests = module.join("src/test/kotlin");
    let test_classes = fresh_dir(&out.join("test"))?;
    let mut test_jars = vec![main_classes.clone(), JNA_JAR.into(), coroutines.clone()];
    test_jars.extend(JUNIT_JARS.iter().map(PathBuf::from));
    test_jars.extend(["kotlin-test.jar", "kotlin-test-junit.jar"].map(|jar| lib.join(jar)));
    run(kotlinc(&kotlin, &classpath(&test_jars), &test_classes).arg(&tests))?;

    let mut runtime_jars = vec![test_classes, lib.join("kotlin-stdlib.jar")];
    runtime_jars.extend(test_jars);
    let status = Command::new("java")
        .current_dir(&root)
        .arg(format!("-Djna.library.path={}", library_dir.display()))
        .arg(format!("-Dqoltanba.server={}", built.server.display()))
        .arg("-cp")
        .arg(classpath(&runtime_jars))
        .arg(RUNNER)
        .args(test_classes_in(&tests)?)
        .status()
        .map_err(|e| format!("java: {e}"))?;
    if status.success() { Ok(()) } else { Err("the Kotlin tests failed".into()) }
}

/// The cached compiler's home (`bin/kotlinc`, `lib/*.jar`), installed with npm when missing.
fn compiler() -> Result<PathBuf, String> {
    let cache = match std::env::var_os("XDG_CACHE_HOME") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").ok_or("HOME is not set")?).join(".cache"),
    }
    .join("qoltanba/kotlin")
    .join(KOTLIN_VERSION);
    let home = cache.join("node_modules/kotlin-compiler");
    if !home.join("bin/kotlinc").is_file() {
        std::fs::create_dir_all(&cache).map_err(|e| format!("{}: {e}", cache.display()))?;
        eprintln!("xtask: installing kotlin-compiler@{KOTLIN_VERSION} into {}", cache.display());
        run(Command::new("npm")
            .args(["install", "--no-save", "--no-audit", "--no-fund", "--prefix"])
            .arg(&cache)
            .arg(format!("kotlin-compiler@{KOTLIN_VERSION}")))?;
    }
    Ok(home)
}

fn kotlinc(home: &Path, classpath: &str, out: &Path) -> Command {
    let mut command = Command::new(home.join("bin/kotlinc"));
    command.args(["-Werror", "-jvm-target", "17"]);
    command.args(["-classpath", classpath, "-d"]).arg(out);
    command
}

/// The JUnit classes: every `*Test.kt` under `tests`, named by its `package` line and file name.
fn test_classes_in(tests: &Path) -> Result<Vec<String>, String> {
    let mut classes = Vec::new();
    let mut dirs = vec![tests.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
            if path.is_dir() {
                dirs.push(path);
            } else if let Some(class) = name.strip_suffix("Test.kt") {
                let source =
                    std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                let package = source.lines().find_map(|line| line.strip_prefix("package ")).map(str::trim);
                classes.push(match package {
                    Some(package) => format!("{package}.{class}Test"),
                    None => format!("{class}Test"),
                });
            }
        }
    }
    classes.sort();
    Ok(classes)
}

fn utf8(path: &Path) -> Result<camino::Utf8PathBuf, String> {
    camino::Utf8PathBuf::from_path_buf(path.to_path_buf())
        .map_err(|path| format!("{}: not UTF-8", path.display()))
}

fn classpath(entries: &[PathBuf]) -> String {
    entries.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(":")
}

fn fresh_dir(dir: &Path) -> Result<PathBuf, String> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir.to_path_buf())
}

fn run(command: &mut Command) -> Result<(), String> {
    let status = command.status().map_err(|e| format!("{:?}: {e}", command.get_program()))?;
    if status.success() { Ok(()) } else { Err(format!("{:?} failed ({status})", command.get_program())) }
}
