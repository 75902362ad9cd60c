import Foundation
import Testing

@testable import HTTPTransfer

/// The libcurl transfer the probes and scrapes use, against a real server: statuses, timings and failures.
@Suite(.timeLimit(.minutes(1)))
struct HTTPTransferTests {
    @Test func answersCarryStatusBodyAndPhaseTimings() async throws {
        let server = try await TestHTTPServer.start()
        let response = try await HTTPTransfer.perform(HTTPRequest(url: server.baseURL + "/status/503?body=down"))
        #expect(response.status == 503)
        #expect(response.bodyText == "down")
        #expect(response.timings.totalSeconds > 0)
        #expect(response.timings.connectSeconds <= response.timings.firstByteSeconds)
        #expect(response.timings.firstByteSeconds <= response.timings.totalSeconds)
    }

    @Test func aSlowAnswerTimesOutWithTheReason() async throws {
        let server = try await TestHTTPServer.start()
        let error = await #expect(throws: HTTPTransferError.self) {
            try await HTTPTransfer.perform(HTTPRequest(url: server.baseURL + "/slow/5", timeout: .milliseconds(300)))
        }
        #expect(error?.kind == .timeout)
    }

    @Test func aRefusedConnectionIsNamed() async throws {
        let error = await #expect(throws: HTTPTransferError.self) {
            try await HTTPTransfer.perform(HTTPRequest(url: "http://127.0.0.1:1/"))
        }
        #expect(error?.kind == .connectionRefused)
    }

    @Test func aTruncatedBodyIsAnError() async throws {
        let server = try await TestHTTPServer.start()
        await #expect(throws: HTTPTransferError.self) {
            try await HTTPTransfer.perform(HTTPRequest(url: server.baseURL + "/truncated"))
        }
    }

    @Test func onlyHTTPAndHTTPSAreSpoken() async throws {
        let error = await #expect(throws: HTTPTransferError.self) {
            try await HTTPTransfer.perform(HTTPRequest(url: "file:///etc/passwd"))
        }
        #expect(error?.kind == .badURL)
    }

    @Test func bodiesPastTheLimitAreCutAndSaySo() async throws {
        let server = try await TestHTTPServer.start()
        let response = try await HTTPTransfer.perform(
            HTTPRequest(url: server.baseURL + "/status/200?body=0123456789", maximumResponseBytes: 4)
        )
        #expect(response.isTruncated)
        #expect(response.bodyText == "0123")
    }

    @Test func postSendsTheBody() async throws {
        let server = try await TestHTTPServer.start()
        let response = try await HTTPTransfer.perform(
            HTTPRequest(url: server.baseURL + "/reset", method: "POST", body: Array("queue=sync".utf8))
        )
        #expect(response.bodyText == "posted:queue=sync")
    }

    @Test(arguments: [
        (ECONNREFUSED, HTTPTransferError.Kind.connectionRefused, "connection refused"),
        (EHOSTUNREACH, HTTPTransferError.Kind.unreachable, "cannot connect: No route to host"),
        (ENETUNREACH, HTTPTransferError.Kind.unreachable, "cannot connect: Network is unreachable"),
        (Int32(0), HTTPTransferError.Kind.unreachable, "cannot connect"),
    ])
    func aFailedConnectSaysWhatTheSocketSaid(_ osErrno: Int32, _ kind: HTTPTransferError.Kind, _ reason: String) {
        let failure = HTTPTransferError.connectFailure(osErrno: osErrno)
        #expect(failure.kind == kind)
        #expect(failure.reason == reason)
    }
}
