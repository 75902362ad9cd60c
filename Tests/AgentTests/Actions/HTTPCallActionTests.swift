import HTTPTransfer
import Testing

@testable import Agent

/// `http_call` against the test HTTP server, which records what it was sent.
@Suite(.timeLimit(.minutes(1)))
struct HTTPCallActionTests {
    private func policy(_ server: TestHTTPServer, path: String, expected: [Int] = [202]) -> HTTPCallAction.Policy {
        HTTPCallAction.Policy(endpoints: [
            "drain": HTTPCallAction.Endpoint(
                method: "POST",
                url: server.baseURL + path,
                body: "{\"drain\":true}",
                headers: ["X-Vigil-Test": "remediation"],
                expectedStatuses: expected
            )
        ])
    }

    @Test func callsTheNamedEndpointWithItsMethodHeadersAndBody() async throws {
        let server = try await TestHTTPServer.start()
        let action = try HTTPCallAction(
            parameters: ["endpoint": "drain"],
            policy: policy(server, path: "/record/drain"),
            timeout: .seconds(10)
        )
        let outcome = try await action.run(dryRun: false)
        #expect(outcome.isSuccess)
        #expect(outcome.outputTail == "recorded")
        #expect(outcome.detail == "POST \(server.baseURL)/record/drain answered 202")
        let recorded = try await HTTPTransfer.perform(HTTPRequest(url: server.baseURL + "/recorded/drain"))
        #expect(recorded.bodyText == "POST remediation {\"drain\":true}")
    }

    @Test func anUnexpectedStatusIsAFailure() async throws {
        let server = try await TestHTTPServer.start()
        let action = try HTTPCallAction(
            parameters: ["endpoint": "drain"],
            policy: policy(server, path: "/record/other", expected: [204]),
            timeout: .seconds(10)
        )
        let outcome = try await action.run(dryRun: false)
        #expect(!outcome.isSuccess)
        #expect(outcome.detail == "POST \(server.baseURL)/record/other answered 202, expected 204")
    }

    @Test func refusesAnEndpointThePolicyDoesNotName() {
        #expect(throws: ActionRefusal("endpoint \"flush\" is not allowed for http_call")) {
            try HTTPCallAction(
                parameters: ["endpoint": "flush"],
                policy: HTTPCallAction.Policy(endpoints: [:]),
                timeout: .seconds(1)
            )
        }
    }
}
