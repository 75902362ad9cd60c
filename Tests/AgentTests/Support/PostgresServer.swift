import Foundation
import Logging
import PostgresNIO

/// A real PostgreSQL 15 server on an ephemeral loopback port, in its own temporary directory.
///
/// The server refuses to run as root, so when the tests run as root its tools run as the `postgres` user.
/// Logins over TCP need `password` (SCRAM), so a wrong password is refused as it would be in production.
final class PostgresServer: @unchecked Sendable {
    // Invariant: every property is set in `init` and never changed; `deinit` only signals and removes.
    static let binaries = "/usr/lib/postgresql/15/bin"
    static let user = "postgres"
    static let password = "vigil-test-secret"

    let port: Int
    let directory: String
    private let process: Process

    private static let logger = Logger(label: "postgres-test", factory: { _ in SwiftLogNoOpLogHandler() })

    private init(port: Int, directory: String, process: Process) {
        self.port = port
        self.directory = directory
        self.process = process
    }

    /// Creates a cluster and starts a server on it; `settings` are extra `-c name=value` options.
    static func start(settings: [String] = []) async throws -> PostgresServer {
        let directory = try makeDirectory()
        let passwordFile = directory + "/password"
        try password.write(toFile: passwordFile, atomically: false, encoding: .utf8)
        try giveToPostgres(passwordFile)
        try await runTool(
            "initdb",
            ["-D", directory + "/data", "-U", user, "--auth-local=trust", "--auth-host=scram-sha-256",
             "--pwfile=" + passwordFile, "--no-sync", "-E", "UTF8", "--locale=C"]
        )
        return try await launch(in: directory, settings: settings)
    }

    /// Copies `primary` with `pg_basebackup -R` and starts it as a streaming replica named `name`.
    static func startReplica(of primary: PostgresServer, name: String) async throws -> PostgresServer {
        let directory = try makeDirectory()
        try await runTool(
            "pg_basebackup",
            ["-h", "127.0.0.1", "-p", String(primary.port), "-U", user, "-D", directory + "/data", "-R",
             "-X", "stream", "--no-sync"],
            environment: ["PGPASSWORD": password]
        )
        return try await launch(in: directory, settings: ["cluster_name=\(name)"])
    }

    private static func launch(in directory: String, settings: [String]) async throws -> PostgresServer {
        let port = try unusedPort()
        let process = Process()
        var arguments = ["-D", directory + "/data", "-c", "listen_addresses=127.0.0.1", "-c", "port=\(port)",
                         "-c", "unix_socket_directories=\(directory)", "-c", "fsync=off"]
        for setting in settings { arguments += ["-c", setting] }
        // A time bound of its own, so a test process that dies without `deinit` leaves no server behind.
        try configure(process, tool: "postgres", arguments: arguments, timeBound: 180)
        process.standardOutput = try FileHandle(forWritingTo: makeFile(directory + "/server.log"))
        process.standardError = process.standardOutput
        try process.run()
        let server = PostgresServer(port: port, directory: directory, process: process)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
                throw TestServerError.didNotStart("postgres exited: \(log.suffix(500))")
            }
            let probe = ["-q", "-h", "127.0.0.1", "-p", String(port)]
            if (try? await runTool("pg_isready", probe, asPostgres: false)) != nil {
                return server
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestServerError.didNotStart("postgres did not accept connections on port \(port)")
    }

    /// Opens a session as the administrator, for the tests' own sessions.
    func connect(applicationName: String = "vigil-test") async throws -> PostgresConnection {
        var configuration = PostgresConnection.Configuration(
            host: "127.0.0.1",
            port: port,
            username: Self.user,
            password: Self.password,
            database: "postgres",
            tls: .disable
        )
        configuration.options.additionalStartupParameters = [("application_name", applicationName)]
        return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Self.logger)
    }

    /// Runs each statement in its own short session.
    func execute(_ statements: String...) async throws {
        let connection = try await connect(applicationName: "vigil-test-setup")
        do {
            for statement in statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: Self.logger)
            }
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    deinit {
        // The postmaster's pid is the first line of postmaster.pid; the launched process may be a wrapper.
        let pidText = (try? String(contentsOfFile: directory + "/data/postmaster.pid", encoding: .utf8)) ?? ""
        if let pid = pidText.split(separator: "\n").first.flatMap({ pid_t($0) }), pid > 0 {
            kill(pid, SIGINT)  // fast shutdown: ends sessions, no checkpoint wait on a throwaway cluster
            var waited = 0
            while kill(pid, 0) == 0, waited < 100 {
                usleep(50_000)
                waited += 1
            }
            if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: - Processes and files

    private static var runsAsRoot: Bool { geteuid() == 0 }

    private static func configure(
        _ process: Process,
        tool: String,
        arguments: [String],
        asPostgres: Bool = true,
        timeBound: Int = 60
    ) throws {
        let command = ["/usr/bin/timeout", "-s", "INT", String(timeBound), binaries + "/" + tool] + arguments
        if asPostgres && runsAsRoot {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", user, "--"] + command
        } else {
            process.executableURL = URL(fileURLWithPath: command[0])
            process.arguments = Array(command.dropFirst())
        }
    }

    /// Runs a tool to its end, polling rather than blocking a concurrency thread in `waitUntilExit`.
    @discardableResult
    private static func runTool(
        _ tool: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        asPostgres: Bool = true
    ) async throws -> Int32 {
        let process = Process()
        try configure(process, tool: tool, arguments: arguments, asPostgres: asPostgres)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        guard process.terminationStatus == 0 else {
            throw TestServerError.didNotStart("\(tool) exited with status \(process.terminationStatus)")
        }
        return process.terminationStatus
    }

    private static func makeDirectory() throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("vigil-pg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try giveToPostgres(directory)
        return directory
    }

    private static func makeFile(_ path: String) throws -> URL {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw TestServerError.didNotStart("cannot create \(path)")
        }
        return URL(fileURLWithPath: path)
    }

    private static func giveToPostgres(_ path: String) throws {
        guard runsAsRoot else { return }
        guard let account = getpwnam(user) else { throw TestServerError.didNotStart("no user \(user)") }
        guard chown(path, account.pointee.pw_uid, account.pointee.pw_gid) == 0 else {
            throw TestServerError.didNotStart("cannot chown \(path)")
        }
    }

    /// A loopback port nothing listens on: bound to port 0 for the kernel to pick, then released.
    static func unusedPort() throws -> Int {
        let socket = try LoopbackSocket()
        return socket.port
    }
}

/// A TCP socket bound to an ephemeral loopback port; listening, it accepts connections and never answers.
final class LoopbackSocket: @unchecked Sendable {
    // Invariant: `descriptor` is opened in `init`, only closed in `deinit`.
    private let descriptor: Int32
    let port: Int

    init(listening: Bool = false) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestServerError.didNotStart("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound, !listening || listen(descriptor, 8) == 0 else {
            close(descriptor)
            throw TestServerError.didNotStart("cannot bind a loopback port")
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}
