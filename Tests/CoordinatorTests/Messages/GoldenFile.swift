import Foundation
import Testing

/// Compares rendered text with a file under `Golden/`, and shows the lines that differ. With
/// `VIGIL_UPDATE_GOLDEN=1` in the environment it writes the file instead: review the change with `git diff`.
enum GoldenFile {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static var isUpdating: Bool { ProcessInfo.processInfo.environment["VIGIL_UPDATE_GOLDEN"] == "1" }

    static func expect(_ actual: String, matches name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent(name)
        if isUpdating {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try actual.write(to: url, atomically: true, encoding: .utf8)
            } catch {
                Issue.record("cannot write golden file \(url.path): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record(
                "golden file \(name) is missing; run the tests with VIGIL_UPDATE_GOLDEN=1 to write it",
                sourceLocation: sourceLocation
            )
            return
        }
        guard actual != expected else { return }
        let changes = diff(expected: expected, actual: actual)
        Issue.record(
            "output differs from Golden/\(name) (- golden, + actual; VIGIL_UPDATE_GOLDEN=1 rewrites it):\n\(changes)",
            sourceLocation: sourceLocation
        )
    }

    /// The removed and inserted lines, with their line numbers, in order.
    static func diff(expected: String, actual: String) -> String {
        let old = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let new = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var lines: [String] = []
        for change in new.difference(from: old) {
            switch change {
            case .remove(let offset, let line, _): lines.append("-\(offset + 1): \(line)")
            case .insert(let offset, let line, _): lines.append("+\(offset + 1): \(line)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
