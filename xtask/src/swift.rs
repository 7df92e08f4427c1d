//! `cargo xtask swift-api [--bless] [--library PATH]`: the public Swift API of the FFI, checked without a
//! Swift toolchain.
//!
//! 1. Generates the Swift bindings from the FFI library (library mode, UniFFI's generator linked in, the
//!    module named by `uniffi/uniffi.toml`) into `$CARGO_TARGET_DIR/swift`. The library is the test
//!    build's (as `kotlin-test` takes it), or the file given with `--library` / `QOLTANBA_FFI_LIBRARY`
//!    (e.g. one built by `cargo build -p qoltanba-uniffi`).
//! 2. Extracts the public declarations of `QoltanbaFFI.swift` (lines declaring a public or open
//!    `func`, `init`, `class`, `struct`, `enum`, `protocol`, `var`, `let`, `typealias`, `extension`, and
//!    enum `case`s; a declaration over several lines is joined, whitespace normalized, bodies dropped)
//!    and compares them with the checked-in [`API_FILE`]: on drift, prints a diff and fails; `--bless`
//!    rewrites the file instead.
//! 3. Cross-checks `QoltanbaKit`: every UpperCamelCase name its sources use must be declared by
//!    QoltanbaKit itself, by the bindings, or be one of [`SYSTEM_TYPES`] (Swift, Foundation). This
//!    catches a QoltanbaKit that names an FFI type, protocol or error which no longer exists (renamed or
//!    removed). It does not catch a renamed or removed method, field, argument label or enum case (the
//!    API diff of step 2 shows those, and `--bless` is the moment to fix QoltanbaKit), nor wrong types
//!    or arity: only a Swift compiler does (`swift build` in `ios/Qoltanba` on a Mac).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::artifacts;

/// The checked-in public API of the generated bindings, relative to the workspace root.
pub const API_FILE: &str = "ios/Qoltanba/api/QoltanbaFFI.api";
/// The Swift API's sources, relative to the workspace root.
const KIT_SOURCES: &str = "ios/Qoltanba/Sources/QoltanbaKit";
/// The generated Swift module (`[bindings.swift] module_name` in `uniffi/uniffi.toml`).
const MODULE: &str = "QoltanbaFFI";

/// Swift standard library and Foundation type names QoltanbaKit may use besides its own and the FFI's.
pub const SYSTEM_TYPES: &[&str] = &[
    "AsyncStream",
    "Bool",
    "Continuation",
    "Data",
    "Date",
    "Error",
    "Foundation",
    "Int",
    "Int64",
    "LocalizedError",
    "Never",
    "NSLock",
    "Optional",
    "Self",
    "Sendable",
    "String",
    "Task",
    "UInt32",
    "UInt8",
    "URL",
    "Void",
];

/// Generates, compares (or blesses) and cross-checks; `Err` on drift or a dangling name.
pub fn api(args: &[String]) -> Result<(), String> {
    let options = Options::parse(args)?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().ok_or("no workspace root")?.to_path_buf();
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let library = match options.library {
        Some(library) => library,
        None => artifacts::test_build(&root)?.ffi_library,
    };
    let generated = generate(&library, &target.join("swift"))?;
    let bindings = std::fs::read_to_string(&generated).map_err(|e| format!("{}: {e}", generated.display()))?;
    let api = public_api(&bindings);

    let api_file = root.join(API_FILE);
    if options.bless {
        write_api(&api_file, &api)?;
        eprintln!("xtask: wrote {} ({} declarations)", API_FILE, api.len());
    } else {
        compare(&api_file, &api)?;
    }
    cross_check(&root.join(KIT_SOURCES), &bindings)?;
    println!("swift-api: {} public declarations, QoltanbaKit names resolved", api.len());
    Ok(())
}

/// The command line.
struct Options {
    bless: bool,
    library: Option<PathBuf>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut options =
            Self { bless: false, library: std::env::var_os("QOLTANBA_FFI_LIBRARY").map(PathBuf::from) };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--bless" => options.bless = true,
                "--library" => {
                    options.library = Some(args.next().ok_or("--library needs a path")?.into());
                }
                other => return Err(format!("swift-api: unknown argument {other}")),
            }
        }
        Ok(options)
    }
}

/// Generates the Swift bindings of `library` into a fresh `out`; returns the `.swift` file.
fn generate(library: &Path, out: &Path) -> Result<PathBuf, String> {
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    uniffi::generate(uniffi::GenerateOptions {
        languages: vec![uniffi::TargetLanguage::Swift],
        source: utf8(library)?,
        out_dir: utf8(out)?,
        config_override: None,
        format: false,
        crate_filter: None,
        metadata_no_deps: false,
    })
    .map_err(|e| format!("generating the Swift bindings: {e:#}"))?;
    let file = out.join(format!("{MODULE}.swift"));
    if file.is_file() { Ok(file) } else { Err(format!("the generator wrote no {}", file.display())) }
}

/// The public declarations of a Swift source, one normalized line each, in source order.
pub fn public_api(source: &str) -> Vec<String> {
    let mut api = Vec::new();
    let mut pending: Option<String> = None;
    for line in source.lines().map(str::trim) {
        if let Some(mut declaration) = pending.take() {
            declaration.push(' ');
            declaration.push_str(line);
            if balanced(&declaration) {
                api.push(normalize(&declaration));
            } else {
                pending = Some(declaration);
            }
        } else if is_declaration(line) {
            if balanced(line) {
                api.push(normalize(line));
            } else {
                pending = Some(line.to_owned());
            }
        }
    }
    api
}

/// Whether `line` starts a public declaration (or an enum case, public with its enum).
fn is_declaration(line: &str) -> bool {
    const KINDS: [&str; 11] =
        ["func", "init", "class", "struct", "enum", "protocol", "var", "let", "typealias", "extension", "case"];
    let words: Vec<&str> = line.split_whitespace().take(6).collect();
    let Some(first) = words.first() else { return false };
    if *first == "case" {
        return is_case_declaration(line);
    }
    let public = ["public", "open"].iter().any(|modifier| first == modifier || first.starts_with("public("));
    public && words.iter().skip(1).any(|word| KINDS.iter().any(|kind| word_is(word, kind)))
}

/// `word` is the keyword `kind`, possibly followed by `(`, `<` or `?` (`init(`, `init?(`).
fn word_is(word: &str, kind: &str) -> bool {
    word.strip_prefix(kind).is_some_and(|rest| rest.is_empty() || rest.starts_with(['(', '<', '?']))
}

/// `case name` or `case name(…)` declaring an enum case, not a `switch` label (`case .x:`, `case 1:`,
/// `case let …`).
fn is_case_declaration(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("case ") else { return false };
    let starts_with_name = rest.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_' || c == '`');
    starts_with_name && !rest.starts_with("let ") && !rest.starts_with("var ") && !line.ends_with(':')
}

/// Parentheses and angle brackets are closed (a declaration may span lines until they are).
fn balanced(text: &str) -> bool {
    let depth = text.chars().fold(0i64, |depth, c| match c {
        '(' => depth + 1,
        ')' => depth - 1,
        _ => depth,
    });
    depth <= 0
}

/// One spacing, no body, no trailing comment.
fn normalize(declaration: &str) -> String {
    let declaration = declaration.split(" //").next().unwrap_or(declaration);
    let declaration = match declaration.find('{') {
        Some(body) => &declaration[..body],
        None => declaration,
    };
    let collapsed = declaration.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(" ,", ",")
        .replace(")async", ") async")
        .replace(")throws", ") throws")
        .trim_end_matches([' ', ','])
        .to_owned()
}

fn write_api(file: &Path, api: &[String]) -> Result<(), String> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut text = String::from(
        "# The public API of the generated Swift bindings (QoltanbaFFI), one declaration a line.\n\
         # Checked by `cargo xtask swift-api`; rewritten by `cargo xtask swift-api --bless`.\n",
    );
    for line in api {
        text.push_str(line);
        text.push('\n');
    }
    std::fs::write(file, text).map_err(|e| format!("{}: {e}", file.display()))
}

/// Fails with a diff when `api` differs from the checked-in file.
fn compare(file: &Path, api: &[String]) -> Result<(), String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("{}: {e} (run `cargo xtask swift-api --bless` to create it)", file.display()))?;
    let expected: Vec<&str> = text.lines().filter(|line| !line.starts_with('#') && !line.is_empty()).collect();
    let actual: Vec<&str> = api.iter().map(String::as_str).collect();
    if expected == actual {
        return Ok(());
    }
    for line in diff(&expected, &actual) {
        println!("{line}");
    }
    Err(format!(
        "the public Swift API drifted from {API_FILE} (above: - checked in, + generated); if intended, run \
         `cargo xtask swift-api --bless`, check QoltanbaKit and commit the file"
    ))
}

/// A line diff (longest common subsequence): `- ` for lines only in `old`, `+ ` only in `new`.
pub fn diff(old: &[&str], new: &[&str]) -> Vec<String> {
    let (n, m) = (old.len(), new.len());
    let mut common = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            common[i][j] =
                if old[i] == new[j] { common[i + 1][j + 1] + 1 } else { common[i + 1][j].max(common[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut lines) = (0, 0, Vec::new());
    while i < n || j < m {
        if i < n && j < m && old[i] == new[j] {
            (i, j) = (i + 1, j + 1);
        } else if j < m && (i == n || common[i][j + 1] >= common[i + 1][j]) {
            lines.push(format!("+ {}", new[j]));
            j += 1;
        } else {
            lines.push(format!("- {}", old[i]));
            i += 1;
        }
    }
    lines
}

/// Every UpperCamelCase name in the QoltanbaKit sources resolves (see the module's documentation).
fn cross_check(kit: &Path, bindings: &str) -> Result<(), String> {
    let sources = swift_sources(kit)?;
    let kit_text = sources.iter().map(|(_, text)| text.as_str()).collect::<Vec<_>>().join("\n");
    let known: BTreeSet<&str> = identifiers(bindings)
        .chain(declared(&kit_text))
        .chain(SYSTEM_TYPES.iter().copied())
        .chain([MODULE])
        .collect();
    let mut dangling = Vec::new();
    for (path, text) in &sources {
        let names: BTreeSet<&str> = identifiers(&code_only(text)).filter(|name| is_type_name(name)).collect();
        for name in names.into_iter().filter(|name| !known.contains(name)) {
            dangling.push(format!("{}: {name}", path.display()));
        }
    }
    if dangling.is_empty() {
        return Ok(());
    }
    for line in &dangling {
        println!("unknown name {line}");
    }
    Err(format!(
        "QoltanbaKit uses {} name(s) neither it, the bindings nor the system list declare",
        dangling.len()
    ))
}

fn swift_sources(dir: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "swift") {
                let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                files.push((path, text));
            }
        }
    }
    files.sort();
    Ok(files)
}

fn identifiers(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|word| {
        word.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
    })
}

fn is_type_name(name: &str) -> bool {
    name.chars().next().is_some_and(char::is_uppercase) && name.chars().any(char::is_lowercase)
}

/// Names the sources declare (`struct X`, `enum X`, `protocol X`, `class X`, `actor X`, `typealias X`,
/// generic parameters `<X`).
fn declared(text: &str) -> impl Iterator<Item = &str> {
    const INTRODUCERS: [&str; 7] = ["struct", "enum", "protocol", "class", "actor", "typealias", "associatedtype"];
    let words: Vec<&str> = identifiers(text).collect();
    let mut names: Vec<&str> = words
        .windows(2)
        .filter(|pair| INTRODUCERS.contains(&pair[0]))
        .map(|pair| pair[1])
        .collect();
    names.extend(text.split('<').skip(1).filter_map(|rest| identifiers(rest).next()));
    names.into_iter()
}

/// The source without comments and string literals (their words are not names).
fn code_only(text: &str) -> String {
    text.lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .map(|line| line.split('"').step_by(2).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

fn utf8(path: &Path) -> Result<camino::Utf8PathBuf, String> {
    camino::Utf8PathBuf::from_path_buf(path.to_path_buf())
        .map_err(|path| format!("{}: not UTF-8", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_a_declaration_over_several_lines_and_drops_its_body() {
        let source = "public struct FlowConfig {\n    public var serverUrl: String\n    public init(\n        \
                      serverUrl: String, \n        dataDir: String) {\n        self.serverUrl = serverUrl\n    }\n}\n";
        assert_eq!(
            public_api(source),
            ["public struct FlowConfig", "public var serverUrl: String", "public init(serverUrl: String, dataDir: String)"]
        );
    }

    #[test]
    fn keeps_enum_cases_and_skips_switch_labels_and_private_code() {
        let source = "public enum Step {\n    case deviceCheck\n    case enterSmsCode(phoneMasked: String\n    )\n}\n\
                      fileprivate func lift() {\n    switch x {\n    case .deviceCheck: break\n    case 1: return\n    \
                      case let .enterSmsCode(p): break\n    }\n}\n";
        assert_eq!(public_api(source), ["public enum Step", "case deviceCheck", "case enterSmsCode(phoneMasked: String)"]);
    }

    #[test]
    fn a_changed_declaration_shows_as_removed_and_added() {
        assert_eq!(diff(&["a", "b", "c"], &["a", "B", "c", "d"]), ["+ B", "- b", "+ d"]);
    }

    #[test]
    fn a_name_missing_from_the_bindings_is_dangling() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        std::fs::write(dir.path().join("Flow.swift"), "struct Kit { let s: EnrollmentState; let g: GoneType }")
            .expect("a source file");
        let bindings = "public struct EnrollmentState {}";
        assert!(cross_check(dir.path(), bindings).is_err());
        std::fs::write(dir.path().join("Flow.swift"), "struct Kit { let s: EnrollmentState // GoneType\n}")
            .expect("a source file");
        assert_eq!(cross_check(dir.path(), bindings), Ok(()));
    }
}
