import Shared
import Testing

@testable import Agent

@Suite struct SeriesCatalogTests {
    @Test func theSameSeriesKeepsItsIDAndNewOnesGetTheNext() {
        let catalog = SeriesCatalog()
        let first = catalog.samples(for: [.gauge("a", 1), .gauge("b", 2, labels: ["x": "1"])])
        let second = catalog.samples(for: [.gauge("b", 3, labels: ["x": "1"]), .gauge("c", 4), .gauge("a", 5)])
        #expect(first.map(\.seriesID.rawValue) == [1, 2])
        #expect(second.map(\.seriesID.rawValue) == [2, 3, 1])
        #expect(catalog.descriptor(for: SeriesID(3))?.name == "c")
    }

    @Test func seriesBeyondTheCapacityAreDroppedAndCounted() {
        let catalog = SeriesCatalog(capacity: 2)
        let samples = catalog.samples(for: (1...5).map { .gauge("g\($0)", 1) })
        #expect(samples.count == 2)
        #expect(catalog.droppedSamples == 3)
    }
}
