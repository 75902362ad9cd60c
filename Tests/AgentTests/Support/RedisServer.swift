import Foundation
import Shared

@testable import Agent

/// A real `redis-server` on a free loopback port, in its own temporary directory, killed by pid in `deinit`.
final class RedisServer: @unchecked Sendable {
    // Invariant: `process` is configured before `run()` and afterwards only signalled.
    private let process: Process
    private let directory: String
    let port: Int
    let password: String?

    var address: HostPort { HostPort(host: "127.0.0.1", port: port) }

    private init(process: Process, directory: String, port: Int, password: String?) {
        self.process = process
        self.directory = directory
        self.port = port
        self.password = password
    }

    /// Starts a server without persistence and waits until it answers PING.
    ///
    /// - Parameters:
    ///   - password: Set as `--requirepass`.
    ///   - replicaOf: The port of a master on 127.0.0.1 to replicate.
    static func start(password: String? = nil, replicaOf masterPort: Int? = nil) async throws -> RedisServer {
        var lastProblem = ""
        // The free port can be taken between finding it and redis binding it; another port then does.
        for _ in 0..<3 {
            let port = try freePort()
            let directory = NSTemporaryDirectory() + "vigil-redis-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var arguments = [
                "--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", directory, "--logfile", directory + "/redis.log", "--daemonize", "no",
            ]
            if let password { arguments += ["--requirepass", password] }
            if let masterPort {
                arguments += ["--replicaof", "127.0.0.1", "\(masterPort)"]
                if let password { arguments += ["--masterauth", password] }
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let server = RedisServer(process: process, directory: directory, port: port, password: password)
            if try await server.waitUntilAnswering() { return server }
            lastProblem = server.log
        }
        throw TestServerError.didNotStart("redis-server: \(lastProblem)")
    }

    private func waitUntilAnswering() async throws -> Bool {
        let options = RedisConnection.Options(address: address, password: password, commandTimeout: .seconds(1))
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { return false }
            let pong = try? await RedisConnection.withConnection(options) { try await $0.command(["PING"]) }
            if pong == .simpleString("PONG") { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// The end of the server's log, to say why it did not start.
    var log: String {
        String(((try? String(contentsOfFile: directory + "/redis.log", encoding: .utf8)) ?? "no log").suffix(500))
    }

    /// Runs `commands` on one connection and returns their replies, as a client of the application would.
    @discardableResult
    func run(_ commands: [[String]]) async throws -> [RESPValue] {
        let options = RedisConnection.Options(address: address, password: password)
        return try await RedisConnection.withConnection(options) { connection in
            var replies: [RESPValue] = []
            for command in commands { replies.append(try await connection.command(command)) }
            return replies
        }
    }

    /// A loopback port nothing listens on right now: bound once by the kernel's choice, then released.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestServerError.didNotStart("socket failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw TestServerError.didNotStart("cannot bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
