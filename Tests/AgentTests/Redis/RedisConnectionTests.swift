import Shared
import Testing

@testable import Agent

@Suite(.timeLimit(.minutes(1)))
struct RedisConnectionTests {
    @Test func sendsBinarySafeArgumentsAndReadsEveryReplyKind() async throws {
        let server = try await RedisServer.start()
        let key = "key with spaces\r\nand a line break"
        let replies = try await server.run([
            ["SET", key, "välue"],
            ["GET", key],
            ["GET", "missing"],
            ["INCRBY", "counter", "41"],
            ["RPUSH", "list", "a", "b"],
            ["LRANGE", "list", "0", "-1"],
        ])
        #expect(
            replies == [
                .simpleString("OK"),
                .bulkString(Array("välue".utf8)),
                .bulkString(nil),
                .integer(41),
                .integer(2),
                .array([.bulkString(Array("a".utf8)), .bulkString(Array("b".utf8))]),
            ]
        )
    }

    @Test func anErrorReplyThrowsWithTheCommandNameOnly() async throws {
        let server = try await RedisServer.start()
        let error = await #expect(throws: RedisConnection.Failure.self) {
            try await server.run([["SET", "secret-key"]])
        }
        #expect(error == .serverError(command: "SET", message: "ERR wrong number of arguments for 'set' command"))
    }

    @Test func selectsTheConfiguredDatabase() async throws {
        let server = try await RedisServer.start()
        var options = RedisConnection.Options(address: server.address, database: 3)
        try await RedisConnection.withConnection(options) { _ = try await $0.command(["SET", "k", "in three"]) }
        let inThree = try await RedisConnection.withConnection(options) { try await $0.command(["GET", "k"]) }
        options.database = 0
        let inZero = try await RedisConnection.withConnection(options) { try await $0.command(["GET", "k"]) }
        #expect(inThree.text == "in three")
        #expect(inZero == .bulkString(nil))
        options.database = 99
        let error = await #expect(throws: RedisConnection.Failure.self) {
            try await RedisConnection.withConnection(options) { _ = try await $0.command(["PING"]) }
        }
        #expect(error?.description == "SELECT failed: ERR DB index is out of range")
    }

    @Test func authenticatesWithAPasswordOrAUserAndPassword() async throws {
        let server = try await RedisServer.start(password: "s3cret")
        var options = RedisConnection.Options(address: server.address, password: "s3cret")
        #expect(
            try await RedisConnection.withConnection(options) { try await $0.command(["PING"]) }
                == .simpleString("PONG")
        )
        options.username = "default"
        #expect(
            try await RedisConnection.withConnection(options) { try await $0.command(["PING"]) }
                == .simpleString("PONG")
        )

        options.password = "wrong"
        let wrong = await #expect(throws: RedisConnection.Failure.self) {
            try await RedisConnection.withConnection(options) { _ = try await $0.command(["PING"]) }
        }
        #expect(wrong == .authenticationFailed("WRONGPASS invalid username-password pair or user is disabled."))
        options = RedisConnection.Options(address: server.address)
        let missing = await #expect(throws: RedisConnection.Failure.self) {
            try await RedisConnection.withConnection(options) { _ = try await $0.command(["PING"]) }
        }
        #expect(missing?.description == "authentication failed: NOAUTH Authentication required.")
    }

    @Test func aClosedPortIsRefused() async throws {
        let options = RedisConnection.Options(address: HostPort(host: "127.0.0.1", port: try RedisServer.freePort()))
        let error = await #expect(throws: RedisConnection.Failure.self) {
            try await RedisConnection.withConnection(options) { _ = try await $0.command(["PING"]) }
        }
        #expect(error == .connectFailed("connection refused"))
    }

    @Test(arguments: [
        ("HTTP/1.1 400 Bad Request\r\n\r\n", "invalid reply to PING: unexpected reply type byte 'H' (0x48)"),
        ("+OK\r\n?junk", "invalid reply to GET: unexpected reply type byte '?' (0x3F)"),
        (
            "+OK\r\n$99999999999\r\n",
            "invalid reply to GET: reply too large: bulk string of 99999999999 bytes exceeds the limit of 67108864"
        ),
        ("+OK\r\n:12x\r\n", "invalid reply to GET: invalid integer \"12x\""),
        ("+OK\r\n$10\r\nshort", "no reply to GET within 0.5 seconds"),
        ("", "no reply to PING within 0.5 seconds"),
    ])
    func aServerThatIsNotRedisFailsTheCommandClearly(_ answer: String, _ message: String) async throws {
        let server = try await ScriptedTCPServer.start(.send(Array(answer.utf8)))
        let options = RedisConnection.Options(
            address: HostPort(host: "127.0.0.1", port: server.port),
            commandTimeout: .milliseconds(500)
        )
        let error = await #expect(throws: RedisConnection.Failure.self) {
            try await RedisConnection.withConnection(options) { connection in
                _ = try await connection.command(["PING"])
                _ = try await connection.command(["GET", "k"])
            }
        }
        #expect(error?.description == message)
    }

    @Test func aServerThatHangsUpIsNamed() async throws {
        let server = try await ScriptedTCPServer.start(.close)
        let options = RedisConnection.Options(address: HostPort(host: "127.0.0.1", port: server.port))
        let error = await #expect(throws: RedisConnection.Failure.self) {
            try await RedisConnection.withConnection(options) { _ = try await $0.command(["PING"]) }
        }
        let description = error?.description ?? ""
        // Whether the write or the read notices first is up to the kernel; both name the command.
        #expect(
            description == "connection closed by the server during PING"
                || description.hasPrefix("connection lost during PING: "),
            "got: \(description)"
        )
    }

    @Test func aConnectionThatFailedOnTheWireStaysFailed() async throws {
        let server = try await ScriptedTCPServer.start(.send(Array("?".utf8)))
        let options = RedisConnection.Options(address: HostPort(host: "127.0.0.1", port: server.port))
        let errors = try await RedisConnection.withConnection(options) { connection in
            var errors: [RedisConnection.Failure] = []
            for command in [["PING"], ["PING"], []] {
                do { _ = try await connection.command(command) } catch let failure as RedisConnection.Failure {
                    errors.append(failure)
                }
            }
            return errors
        }
        let garbage = RedisConnection.Failure.invalidReply(
            command: "PING",
            detail: "unexpected reply type byte '?' (0x3F)"
        )
        #expect(errors == [garbage, garbage, .emptyCommand])
    }
}
