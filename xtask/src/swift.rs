//! `cargo xtask swift-api [--bless] [--library PATH]`: the public Swift API of the FFI, checked without a
//! Swift toolchain.
//!
//! 1. Generates the Swift bindings from the FFI library (library mode, UniFFI's generator linked in, the
//!    module named by `uniffi/uniffi.toml`) into `$CARGO_TARGET_DIR/swift`. The library is the test
//!    build's (as `kotlin-test` takes it), or the file given with `--library` / `QOLTANBA_FFI_LIBRARY`
//!    (e.g. one built by `cargo build -p qoltanba-uniffi --features dev-tools`: the test build unifies that
//!    feature in, so the checked-in list has `DevTools`).
//! 2. Extracts the public declarations of `QoltanbaFFI.swift` (lines declaring a public or open
//!    `func`, `init`, `class`, `struct`, `enum`, `protocol`, `var`, `let`, `typealias`, `subscript` in
//!    public types, the requirements of public protocols, the cases of public enums and the conformances
//!    added by top-level extensions (`extension Person: Sendable`); a declaration over
//!    several lines is joined, doc comments and bodies dropped, whitespace normalized; the generated
//!    `FfiConverter…` plumbing is left out)
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
    "Any",
    "Array",
    "AsyncStream",
    "Bool",
    "Continuation",
    "Data",
    "Date",
    "Dictionary",
    "Error",
    "Foundation",
    "Int",
    "Int64",
    "LocalizedError",
    "Never",
    "NSLock",
    "Optional",
    "OSStatus",
    "Security",
    "Self",
    "Sendable",
    "Set",
    "String",
    "Task",
    "UInt32",
    "UInt64",
    "UInt8",
    "Unmanaged",
    "URL",
    "UUID",
    "Void",
];

/// Prefixes of the Security framework's and Core Foundation's names (`SecKey`, `SecItemAdd`, `CFData`),
/// which the Keychain key store uses.
pub const SYSTEM_PREFIXES: &[&str] = &["Sec", "CF"];

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
    let bindings =
        std::fs::read_to_string(&generated).map_err(|e| format!("{}: {e}", generated.display()))?;
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

/// A type's body while the extraction walks through it.
struct Scope {
    /// The brace depth inside the body.
    depth: i64,
    /// Public (or an extension) and not the generated plumbing (`FfiConverter…`).
    visible: bool,
    /// Its kind (`enum`, `protocol`, …).
    kind: &'static str,
}

/// The public declarations of a Swift source, one normalized line each, in source order: public or open
/// declarations in visible scopes, the requirements of public protocols and the cases of public enums.
pub fn public_api(source: &str) -> Vec<String> {
    let source = without_block_comments(source);
    let mut api = Vec::new();
    let mut scopes: Vec<Scope> = Vec::new();
    let mut depth = 0i64;
    for line in logical_lines(&source) {
        let code = code_only(&line);
        let visible = scopes.iter().all(|scope| scope.visible);
        let directly_in = scopes.last().filter(|scope| scope.depth == depth).map(|scope| scope.kind);
        let declaration = normalize(&line);
        let plumbing = declaration.contains("FfiConverter");
        if visible && !plumbing && is_declaration(&line, directly_in) {
            api.push(declaration);
        }
        if let Some(kind) = type_kind(&line)
            && code.contains('{')
        {
            let public = kind == "extension" || is_public(&line);
            scopes.push(Scope { depth: depth + 1, visible: public && !plumbing, kind });
        }
        depth += code.matches('{').count() as i64 - code.matches('}').count() as i64;
        while scopes.last().is_some_and(|scope| scope.depth > depth) {
            scopes.pop();
        }
    }
    api
}

/// Trimmed lines, a declaration over several lines joined into one: until its parentheses close, and a
/// lone `public` / `open` with the line after it.
fn logical_lines(source: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut pending = String::new();
    for line in source.lines().map(without_line_comment).map(str::trim).filter(|line| !line.is_empty()) {
        if !pending.is_empty() {
            pending.push(' ');
        }
        pending.push_str(line);
        let lone_modifier = pending == "public" || pending == "open";
        if !lone_modifier && balanced(&code_only(&pending)) {
            lines.push(std::mem::take(&mut pending));
        }
    }
    lines
}

/// Whether `line` declares public API; `directly_in` is the kind of the type whose body holds it.
fn is_declaration(line: &str, directly_in: Option<&str>) -> bool {
    const KINDS: [&str; 11] = [
        "func",
        "init",
        "class",
        "struct",
        "enum",
        "protocol",
        "var",
        "let",
        "typealias",
        "extension",
        "subscript",
    ];
    let words: Vec<&str> = line.split_whitespace().take(6).collect();
    let declares = |words: &[&str]| words.iter().any(|word| KINDS.iter().any(|kind| word_is(word, kind)));
    let conformance = line.split('{').next().is_some_and(|head| head.contains(':'));
    match directly_in {
        None if line.starts_with("extension ") => conformance,
        Some("enum") if line.starts_with("case ") => true,
        Some("protocol") => declares(&words[..words.len().min(3)]),
        _ => is_public(line) && declares(&words),
    }
}

fn is_public(line: &str) -> bool {
    line.split_whitespace()
        .take_while(|word| !word.contains('('))
        .any(|word| word == "public" || word == "open")
}

/// The kind of type `line` declares, if it does (`public struct X {`, `extension X {`).
fn type_kind(line: &str) -> Option<&'static str> {
    const TYPES: [&str; 6] = ["struct", "class", "enum", "protocol", "extension", "actor"];
    let head = line.split(['(', ':', '{', '<']).next().unwrap_or_default();
    head.split_whitespace().find_map(|word| TYPES.iter().find(|kind| **kind == word).copied())
}

/// `word` is the keyword `kind`, possibly followed by `(`, `<` or `?` (`init(`, `init?(`).
fn word_is(word: &str, kind: &str) -> bool {
    word.strip_prefix(kind).is_some_and(|rest| rest.is_empty() || rest.starts_with(['(', '<', '?']))
}

/// Parentheses are closed (a declaration may span lines until they are).
fn balanced(code: &str) -> bool {
    code.matches('(').count() <= code.matches(')').count()
}

/// One spacing, no body.
fn normalize(declaration: &str) -> String {
    let code = code_only(declaration);
    let declaration = match code.find('{') {
        Some(body) => declaration.get(..body).unwrap_or(declaration),
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

/// `line` up to its `//` comment, if any (outside string literals).
fn without_line_comment(line: &str) -> &str {
    let (mut in_string, mut previous) = (false, ' ');
    for (at, c) in line.char_indices() {
        match c {
            '"' if previous != '\\' => in_string = !in_string,
            '/' if previous == '/' && !in_string => return &line[..at - 1],
            _ => {}
        }
        previous = c;
    }
    line
}

/// The source without `/* … */` comments (the generator puts doc comments inside declarations).
fn without_block_comments(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..].find("*/").map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out
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
    let expected: Vec<&str> =
        text.lines().filter(|line| !line.starts_with('#') && !line.is_empty()).collect();
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
            common[i][j] = if old[i] == new[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
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
        let code = code_only(&without_block_comments(text));
        let names: BTreeSet<&str> = identifiers(&code).filter(|name| is_type_name(name)).collect();
        let system = |name: &&str| SYSTEM_PREFIXES.iter().any(|prefix| is_prefixed(name, prefix));
        for name in names.into_iter().filter(|name| !known.contains(name) && !system(name)) {
            dangling.push(format!("{}: {name}", path.strip_prefix(kit).unwrap_or(path).display()));
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
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|word| word.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_'))
}

/// `name` is `prefix` followed by an UpperCamelCase word (`SecKey` for `Sec`, not `Second`).
fn is_prefixed(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix).and_then(|rest| rest.chars().next()).is_some_and(char::is_uppercase)
}

fn is_type_name(name: &str) -> bool {
    name.chars().next().is_some_and(char::is_uppercase) && name.chars().any(char::is_lowercase)
}

/// Names the sources declare (`struct X`, `enum X`, `protocol X`, `class X`, `actor X`, `typealias X`,
/// generic parameters `<X`).
fn declared(text: &str) -> impl Iterator<Item = &str> {
    const INTRODUCERS: [&str; 7] =
        ["struct", "enum", "protocol", "class", "actor", "typealias", "associatedtype"];
    let words: Vec<&str> = identifiers(text).collect();
    let mut names: Vec<&str> =
        words.windows(2).filter(|pair| INTRODUCERS.contains(&pair[0])).map(|pair| pair[1]).collect();
    names.extend(text.split('<').skip(1).filter_map(|rest| identifiers(rest).next()));
    names.into_iter()
}

/// `text` with line comments and string literals blanked out (same length: their braces, parentheses
/// and words are not code).
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut in_comment, mut previous) = (false, false, ' ');
    for c in text.chars() {
        if c == '\n' {
            (in_string, in_comment) = (false, false);
        } else if !in_string && c == '/' && previous == '/' {
            in_comment = true;
            out.pop();
            out.push(' ');
        }
        let blank = in_comment || (in_string && c != '"');
        if c == '"' && !in_comment && previous != '\\' {
            in_string = !in_string;
        }
        if blank && c != '\n' {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
        previous = c;
    }
    out
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
            [
                "public struct FlowConfig",
                "public var serverUrl: String",
                "public init(serverUrl: String, dataDir: String)"
            ]
        );
    }

    #[test]
    fn keeps_enum_cases_and_skips_switch_labels_and_private_code() {
        let source = "public enum Step {\n    case deviceCheck\n    case enterSmsCode(phoneMasked: String\n    )\n    \
                      public var x: Int { switch self {\n    case .deviceCheck: return 1\n    case let .enterSmsCode(p): \
                      return 2\n    }\n    }\n}\nfileprivate enum Internal {\n    case hidden\n    public func hidden() {}\n}\n";
        assert_eq!(
            public_api(source),
            [
                "public enum Step",
                "case deviceCheck",
                "case enterSmsCode(phoneMasked: String)",
                "public var x: Int"
            ]
        );
    }

    #[test]
    fn reads_protocol_requirements_doc_commented_arguments_and_a_modifier_on_its_own_line() {
        let source = "public protocol Camera: AnyObject, Sendable {\n    /**\n     * A picture.\n     */\n    \
                      func capture(picture: Picture) async throws  -> Data\n}\npublic \nenum FlowError: Swift.Error {\n    \
                      case Store(\n        /**\n         * Why (a \"{\" here is text).\n         */reason: String\n    )\n}\n\
                      public struct FfiConverterTypeStep {\n    public static func lift() {}\n}\n";
        assert_eq!(
            public_api(source),
            [
                "public protocol Camera: AnyObject, Sendable",
                "func capture(picture: Picture) async throws -> Data",
                "public enum FlowError: Swift.Error",
                "case Store(reason: String)",
            ]
        );
    }

    #[test]
    fn a_comment_is_not_a_declaration_and_a_body_on_the_same_line_is_dropped() {
        let source = "// public init of nothing\npublic class Store {\n    open func delete(id: String)throws   \
                      {try call(FfiConverterTypeError_lift) {\n    }\n    }\n    public let url = \"http://x\" // a URL\n}\n";
        assert_eq!(
            public_api(source),
            ["public class Store", "open func delete(id: String) throws", "public let url = \"http://x\""]
        );
    }

    #[test]
    fn a_conformance_added_by_an_extension_is_api() {
        let source = "public struct Person {}\nextension Person: Sendable {}\nextension Person {\n    func helper() {}\n}\n";
        assert_eq!(public_api(source), ["public struct Person", "extension Person: Sendable"]);
    }

    #[test]
    fn a_changed_declaration_shows_as_removed_and_added() {
        assert_eq!(diff(&["a", "b", "c"], &["a", "B", "c", "d"]), ["+ B", "- b", "+ d"]);
    }

    #[test]
    fn a_name_missing_from_the_bindings_is_dangling() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        std::fs::write(
            dir.path().join("Flow.swift"),
            "struct Kit { let s: EnrollmentState; let g: GoneType }",
        )
        .expect("a source file");
        let bindings = "public struct EnrollmentState {}";
        assert!(cross_check(dir.path(), bindings).is_err());
        std::fs::write(dir.path().join("Flow.swift"), "struct Kit { let s: EnrollmentState // GoneType\n}")
            .expect("a source file");
        assert_eq!(cross_check(dir.path(), bindings), Ok(()));
    }

    #[test]
    fn security_framework_names_resolve_but_a_lookalike_does_not() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let write = |text: &str| std::fs::write(dir.path().join("Keys.swift"), text).expect("a source file");
        write("let k: SecKey = SecKeyCreateRandomKey(a as CFDictionary, &e)");
        assert_eq!(cross_check(dir.path(), ""), Ok(()));
        write("let s: Second = Cfg()");
        assert!(cross_check(dir.path(), "").is_err());
    }
}
