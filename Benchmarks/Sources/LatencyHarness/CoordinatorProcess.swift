import Dispatch
import Foundation
import Synchronization

/// Child processes still running, so a signal to the tool stops them too.
let runningCoordinators = Mutex<[Int32]>([])

/// The real `vigil serve` as a child process on loopback ports the system picks, with an empty data directory
/// and the built-in rules except: the two error ratio rules fire on the first report that crosses (what the
/// tools measure is detection, not the rule's deliberate `for`) and `node_silent` is off. `extraConfiguration`
/// is appended to that YAML.
public final class CoordinatorProcess {
    let process = Process()
    public let directory: String
    public private(set) var agentPort = 0
    public private(set) var httpPort = 0
    /// Leaves the directory (configuration, database, log) in place when stopped, and says where.
    let keep: Bool

    public init(binary: String, label: String, extraConfiguration: String = "", keep: Bool = false) throws {
        self.keep = keep
        directory = NSTemporaryDirectory() + "vigil-\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let config = """
            agent_listen: 127.0.0.1:0
            http_listen: 127.0.0.1:0
            data_dir: \(directory)/data
            rules:
              - name: error_ratio_critical
                for_seconds: 0
              - name: error_ratio_high
                for_seconds: 0
              - name: node_silent
                disabled: true

            """ + extraConfiguration
        try config.write(toFile: directory + "/coordinator.yaml", atomically: true, encoding: .utf8)
        let output = directory + "/coordinator.out"
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--config", directory + "/coordinator.yaml"]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        let log = directory + "/coordinator.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try process.run()
        let pid = process.processIdentifier
        runningCoordinators.withLock { $0.append(pid) }
        do {
            try waitUntilReady(output: output)
        } catch {
            stop()
            throw error
        }
    }

    private func waitUntilReady(output: String) throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains("vigil serve: ready") }) {
                agentPort = Self.port(after: "agents=", in: line)
                httpPort = Self.port(after: "http=", in: line)
                return
            }
            guard process.isRunning else { throw ToolError("vigil serve exited: \(text.suffix(500))") }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw ToolError("vigil serve did not get ready within 30 s")
    }

    static func port(after key: String, in line: Substring) -> Int {
        guard let range = line.range(of: key) else { return 0 }
        return Int(line[range.upperBound...].prefix { $0 != " " }.split(separator: ":").last ?? "") ?? 0
    }

    /// SIGTERM, then up to 15 s for the graceful shutdown, then SIGKILL. Safe to call twice.
    public func stop() {
        let pid = process.processIdentifier
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(15)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            if process.isRunning { kill(pid, SIGKILL) }
            process.waitUntilExit()
        }
        runningCoordinators.withLock { $0.removeAll { $0 == pid } }
        if keep {
            print("  kept \(directory)")
        } else {
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// On SIGINT or SIGTERM, stops the coordinators before exiting; keep the sources for as long as that should
    /// hold.
    public static func stopOnSignals() -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                for pid in runningCoordinators.withLock({ $0 }) {
                    kill(pid, SIGTERM)
                    var status: Int32 = 0
                    waitpid(pid, &status, 0)
                }
                exit(130)
            }
            source.resume()
            return source
        }
    }
}
