// swift-tools-version: 6.1
// The package-benchmark suites of RecBench, kept in their own package (as swift-collections
// does) so that the benchmark dependency never reaches the main build, its tests or users.
//
//   cd Benchmarks && swift package --allow-writing-to-package-directory benchmark
import PackageDescription

let package = Package(
    name: "RecBenchBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "RecBench", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "KernelBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RecBenchKernels", package: "RecBench"),
            ],
            path: "Benchmarks/KernelBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
