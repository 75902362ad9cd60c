import Foundation
import HTTPTransfer

/// `app_metrics_server.py` as a real process: applications whose Prometheus pages show traffic with an error
/// ratio the test sets while it runs.
final class AppMetricsServer: @unchecked Sendable {
    // Invariant: `process` is configured before `run()` and afterwards only signalled.
    private let process: Process
    private let outputPath: String
    let port: Int

    private init(process: Process, outputPath: String, port: Int) {
        self.process = process
        self.outputPath = outputPath
        self.port = port
    }

    func metricsURL(of application: String) -> String { "http://127.0.0.1:\(port)/metrics/\(application)" }

    static func start() async throws -> AppMetricsServer {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "app_metrics_server.py"
        )
        let outputPath = NSTemporaryDirectory() + "vigil-apps-\(UUID().uuidString).out"
        guard FileManager.default.createFile(atPath: outputPath, contents: nil) else {
            throw EndToEndError.unexpected("cannot create \(outputPath)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        try process.run()
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first, line.hasPrefix("listening "),
                let port = Int(line.dropFirst("listening ".count))
            {
                return AppMetricsServer(process: process, outputPath: outputPath, port: port)
            }
            guard process.isRunning else { throw EndToEndError.unexpected("app_metrics_server.py exited") }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.terminate()
        throw EndToEndError.unexpected("app_metrics_server.py did not say it was listening")
    }

    /// From now on, this share of the application's requests fail.
    func setErrorRatio(_ ratio: Double, of application: String) async throws {
        let url = "http://127.0.0.1:\(port)/apps/\(application)/error_ratio/\(ratio)"
        let response = try await HTTPTransfer.perform(HTTPRequest(url: url, method: "PUT"))
        guard response.status == 200 else { throw EndToEndError.unexpected("PUT \(url): \(response.status)") }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: outputPath)
    }
}
