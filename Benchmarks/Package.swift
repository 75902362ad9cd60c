// swift-tools-version:6.1
import PackageDescription

// Benchmarks for Vigil, kept in their own package so the root package does not depend on
// ordo-one/benchmark. Run from this directory:
//
//     swift package benchmark
//     swift run -c release WireSize
//     swift run -c release DetectionLatency
//     swift run -c release CommandRoundTrip
//     swift run -c release PageLatency
//
// See README.md here and docs/PERFORMANCE.md at the root.

let package = Package(
    name: "VigilBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // The reports both the benchmarks and WireSize measure, built the same way in both.
        .target(
            name: "ReportFixtures",
            dependencies: [
                .product(name: "Shared", package: "main"),
            ],
            path: "Sources/ReportFixtures",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "WireCodec",
            dependencies: [
                "ReportFixtures",
                .product(name: "Shared", package: "main"),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/WireCodec",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
        // What DetectionLatency and PageLatency share: the real coordinator as a child process, and agents whose
        // reports cross the SEV-1 threshold.
        .target(
            name: "LatencyHarness",
            dependencies: [
                .product(name: "Shared", package: "main"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Sources/LatencyHarness",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "DetectionLatency",
            dependencies: [
                "LatencyHarness",
                .product(name: "Shared", package: "main"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Sources/DetectionLatency",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "PageLatency",
            dependencies: [
                "LatencyHarness",
                .product(name: "Shared", package: "main"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Sources/PageLatency",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "CommandRoundTrip",
            path: "Sources/CommandRoundTrip",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "WireSize",
            dependencies: [
                "ReportFixtures",
                .product(name: "Shared", package: "main"),
            ],
            path: "Sources/WireSize",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
