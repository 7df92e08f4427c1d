import Foundation

/// A file the citizen picked (`.fileImporter`), read into memory.
struct PickedFile: Sendable {
    let name: String
    let content: Data

    /// Reads the picked `url` off the main actor, inside its security scope.
    static func read(_ url: URL) async throws -> PickedFile {
        try await Task.detached {
            let scoped = url.startAccessingSecurityScopedResource()
            defer { if scoped { url.stopAccessingSecurityScopedResource() } }
            return PickedFile(name: url.lastPathComponent, content: try Data(contentsOf: url))
        }.value
    }

    /// The size for people ("1.2 MB").
    var size: String { ByteCountFormatter.string(fromByteCount: Int64(content.count), countStyle: .file) }

    /// Writes `content` under `name` in a folder of its own in the temporary directory, to share or save.
    static func export(_ content: Data, named name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name.replacingOccurrences(of: "/", with: "_"))
        try content.write(to: url, options: [.atomic, .completeFileProtection])
        return url
    }
}
