import Foundation
import ServiceLifecycle

/// The escalator runs as one of the coordinator's services: a pass every second, until shutdown.
extension Escalator: Service {
    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await tick(now: Date())
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            } catch {
                break
            }
        }
    }
}
