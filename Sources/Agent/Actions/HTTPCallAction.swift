import Foundation
import HTTPTransfer
import Shared

/// `http_call`: calls a local admin endpoint the policy names — a cache drain, a pool reset — with the
/// method, body and headers the policy gives; it succeeds when the status is one the policy expects.
struct HTTPCallAction: AgentAction {
    /// One endpoint the coordinator may call.
    struct Endpoint: Sendable, Equatable {
        var method: String
        /// http(s) on this host only: the agent is no proxy into the network.
        var url: String
        var body: String?
        var headers: [String: String]
        var expectedStatuses: [Int]
    }

    /// `actions.http_call`.
    struct Policy: Sendable, Equatable {
        var endpoints: [String: Endpoint]
    }

    let name: String
    let endpoint: Endpoint
    let timeout: Duration

    init(parameters: [String: String], policy: Policy, timeout: Duration) throws(ActionRefusal) {
        let parameters = try ActionParameters(parameters, for: .httpCall, accepting: [ActionParameter.endpoint])
        let name = try parameters.required(ActionParameter.endpoint)
        guard let endpoint = policy.endpoints[name] else {
            throw ActionRefusal("endpoint \"\(name)\" is not allowed for http_call")
        }
        self.name = name
        self.endpoint = endpoint
        self.timeout = timeout
    }

    var intent: String { "call endpoint \(name): \(endpoint.method) \(endpoint.url)" }

    func perform() async throws -> ActionOutcome {
        let request = HTTPRequest(
            url: endpoint.url,
            method: endpoint.method,
            headers: endpoint.headers,
            body: endpoint.body.map { Array($0.utf8) },
            timeout: timeout,
            connectTimeout: min(timeout, .seconds(5)),
            maximumResponseBytes: 64 << 10
        )
        let response: HTTPResponse
        do {
            response = try await HTTPTransfer.perform(request)
        } catch let error as HTTPTransferError {
            throw ActionError.unavailable(target: "endpoint \(name)", reason: error.description)
        }
        let isExpected = endpoint.expectedStatuses.contains(response.status)
        return ActionOutcome(
            isSuccess: isExpected,
            exitCode: isExpected ? 0 : 1,
            outputTail: response.bodyText,
            detail: "\(endpoint.method) \(endpoint.url) answered \(response.status)"
                + (isExpected
                    ? "" : ", expected \(endpoint.expectedStatuses.map(String.init).joined(separator: " or "))")
        )
    }
}
