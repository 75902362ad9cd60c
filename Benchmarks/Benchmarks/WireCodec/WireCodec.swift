import Benchmark
import NIOCore
import ReportFixtures
import Shared

// Cost of turning a `Report` into a frame and a frame's payload back into a `WireMessage`: what the agent
// pays per report interval and what the coordinator pays per agent per interval.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput, .peakMemoryResident],
        timeUnits: .nanoseconds,
        warmupIterations: 100,
        maxDuration: .seconds(5),
        maxIterations: 50_000
    )

    // MARK: Calibration: what the harness itself costs per iteration (subtract from the figures below).

    Benchmark("Baseline: empty iteration (harness overhead)") { benchmark in
        for index in benchmark.scaledIterations {
            blackHole(index)
        }
    }

    let encoder = FrameEncoder()
    let allocator = ByteBufferAllocator()

    // MARK: Steady state: 50 samples, series already declared on this connection.

    let steadyState = WireMessage.report(TypicalReport.steadyState(sampleCount: 50))

    Benchmark("Report encode (50 samples)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try encoder.encode(steadyState, allocator: allocator))
        }
    }

    // The payload of the steady-state frame, without its 4-byte length header, as `FrameDecoder` hands it on.
    let frame = try! encoder.encode(steadyState, allocator: allocator)
    let payload = frame.getSlice(
        at: frame.readerIndex + FrameDecoder.headerLength,
        length: frame.readableBytes - FrameDecoder.headerLength
    )!
    precondition(try! WireMessage(serializedBytes: payload.readableBytesView) == steadyState)

    Benchmark("Report decode (50 samples)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try WireMessage(serializedBytes: payload.readableBytesView))
        }
    }

    // MARK: First report on a connection: the same samples plus a declaration of each series.

    let firstOnConnection = WireMessage.report(TypicalReport.firstOnConnection(sampleCount: 50))

    Benchmark("Report encode, first on connection (50 samples + declarations)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try encoder.encode(firstOnConnection, allocator: allocator))
        }
    }
}
