import Shared
import Synchronization

/// Gives each series a small id for the life of the agent process, and remembers what each id stands for,
/// so reports carry ids and the connection can declare any series the coordinator has not yet been told of.
final class SeriesCatalog: Sendable {
    /// Beyond this many series, new ones are dropped and counted: a runaway label must not exhaust memory.
    let capacity: Int
    private let state = Mutex(State())

    private struct State {
        var idsBySeries: [SeriesDescriptor: SeriesID] = [:]
        var seriesByID: [SeriesID: SeriesDescriptor] = [:]
        var droppedSamples: UInt64 = 0
    }

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// Turns measurements into samples, declaring new series as it goes; those past `capacity` are dropped.
    func samples(for measurements: [MetricSample]) -> [Sample] {
        state.withLock { state in
            measurements.compactMap { measurement in
                if let id = state.idsBySeries[measurement.series] {
                    return Sample(seriesID: id, value: measurement.value)
                }
                guard state.idsBySeries.count < capacity else {
                    state.droppedSamples += 1
                    return nil
                }
                let id = SeriesID(UInt32(state.idsBySeries.count + 1))
                state.idsBySeries[measurement.series] = id
                state.seriesByID[id] = measurement.series
                return Sample(seriesID: id, value: measurement.value)
            }
        }
    }

    func descriptor(for id: SeriesID) -> SeriesDescriptor? {
        state.withLock { $0.seriesByID[id] }
    }

    var droppedSamples: UInt64 { state.withLock { $0.droppedSamples } }
}
