import Shared

/// Runs one collection under the collector's timeout.
enum CollectorRunner {
    /// Runs `collector` once; a run past its timeout fails with `timedOut`.
    ///
    /// `onResult` is called as soon as the outcome is known, so a hung collector is reported down at its
    /// timeout even if it ignores cancellation and only returns later.
    static func run(
        _ collector: any Collector,
        onResult: @Sendable (Result<CollectorOutput, any Error>) async -> Void
    ) async {
        await withTaskGroup(of: Result<CollectorOutput, any Error>?.self) { group in
            group.addTask {
                do { return .success(try await collector.collect()) } catch { return .failure(error) }
            }
            group.addTask {
                do {
                    try await Task.sleep(for: collector.timeout)
                    return .failure(CollectorError.timedOut(collector: collector.name, after: collector.timeout))
                } catch {
                    return nil
                }
            }
            let first = await group.next() ?? nil
            await onResult(first ?? .failure(CollectorError.timedOut(collector: collector.name, after: collector.timeout)))
            group.cancelAll()
        }
    }

    /// Runs every collector once, side by side, and returns each outcome by collector name.
    static func runOnce(_ collectors: [any Collector]) async -> [String: Result<CollectorOutput, any Error>] {
        await withTaskGroup(of: (String, Result<CollectorOutput, any Error>).self) { group in
            for collector in collectors {
                group.addTask {
                    let box = ResultBox()
                    await run(collector) { await box.set($0) }
                    return (collector.name, await box.result ?? .failure(CollectorError.timedOut(collector: collector.name, after: collector.timeout)))
                }
            }
            var results: [String: Result<CollectorOutput, any Error>] = [:]
            for await (name, result) in group { results[name] = result }
            return results
        }
    }
}

/// Holds the outcome `run` reports, for callers that want it as a value.
private actor ResultBox {
    var result: Result<CollectorOutput, any Error>?

    func set(_ result: Result<CollectorOutput, any Error>) { self.result = result }
}
