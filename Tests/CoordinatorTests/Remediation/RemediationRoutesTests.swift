import Foundation
import Testing

@testable import Coordinator

/// The remediation switch and approvals over the real API and CLI of an in-process coordinator.
@Suite(.timeLimit(.minutes(1)))
struct RemediationRoutesTests {
    @Test func pauseAndResumeAreSeenByStatusAndAnUnknownApprovalIsNotFound() async throws {
        let directory = try TemporaryDirectory()
        try await InProcessCoordinator.withRunning(dataDirectory: directory.path, runbooks: DefaultRunbooks.all) {
            coordinator in
            let url = "http://127.0.0.1:\(coordinator.httpPort)"
            let client = APIClient(baseURL: url)
            #expect(try await client.get("/api/v1/remediation", as: RemediationStatus.self).isPaused == false)
            #expect(
                await CoordinatorCommand.runMain(arguments: [
                    "remediation", "pause", "--by", "alice", "--coordinator", url,
                ]) == 0
            )
            let paused = try await client.get("/api/v1/remediation", as: RemediationStatus.self)
            #expect(paused.isPaused)
            #expect(paused.runbooks.contains("memory_leak"))
            #expect(
                await CoordinatorCommand.runMain(arguments: [
                    "remediation", "resume", "--by", "alice", "--coordinator", url,
                ]) == 0
            )
            #expect(try await client.get("/api/v1/remediation", as: RemediationStatus.self).isPaused == false)

            let error = await #expect(throws: APIClientError.self) {
                try await client.post(
                    "/api/v1/approvals/apr-9-1-web-1",
                    body: RemediationRoutes.PersonBody(by: "alice"),
                    as: RemediationCommand.self
                )
            }
            #expect(error?.description == "coordinator answered 404: no approval apr-9-1-web-1 is waiting")
            #expect(
                await CoordinatorCommand.runMain(arguments: ["approve", "apr-9-1-web-1", "--coordinator", url]) == 1
            )
            #expect(await CoordinatorCommand.runMain(arguments: ["approve", "two words", "--coordinator", url]) == 2)
        }
    }
}
