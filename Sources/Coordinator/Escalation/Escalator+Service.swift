import Foundation
import ServiceLifecycle

/// The escalator runs as one of the coordinator's services: a pass every second, and one as soon as incident
/// changes are committed, so a new incident's first page does not wait for the next second.
extension Escalator: Service {
    func run() async throws {
        let passes = self.passes
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    while !Task.isCancelled {
                        self.incidentsChanged()
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
                group.addTask {
                    for await _ in passes { await self.tick(now: Date()) }
                }
            }
        }
    }
}
