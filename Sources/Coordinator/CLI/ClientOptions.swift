import ArgumentParser
import Foundation

/// Where the operator commands find the coordinator, and how they print.
struct ClientOptions: ParsableArguments {
    static let defaultCoordinator = "http://127.0.0.1:7401"

    @Option(
        name: .long,
        help: "Coordinator HTTP address (default: $VIGIL_COORDINATOR, else \(ClientOptions.defaultCoordinator))."
    )
    var coordinator: String?

    @Option(name: .long, help: "Output format: table or json.")
    var output: OutputFormat = .table

    func validate() throws {
        if let coordinator, APIClient.baseURL(coordinator) == nil {
            throw ValidationError("--coordinator \"\(coordinator)\" is not an http:// or https:// URL")
        }
        if coordinator == nil, let environment = ProcessInfo.processInfo.environment["VIGIL_COORDINATOR"],
            APIClient.baseURL(environment) == nil
        {
            throw ValidationError("VIGIL_COORDINATOR \"\(environment)\" is not an http:// or https:// URL")
        }
    }

    func makeClient() throws -> APIClient { try Self.client(coordinator: coordinator) }

    /// The client for `--coordinator`, else `$VIGIL_COORDINATOR`, else the default address.
    static func client(coordinator: String?) throws -> APIClient {
        let text = coordinator ?? ProcessInfo.processInfo.environment["VIGIL_COORDINATOR"] ?? Self.defaultCoordinator
        guard let base = APIClient.baseURL(text) else {
            throw APIClientError.invalidURL(text)
        }
        return APIClient(baseURL: base)
    }
}
