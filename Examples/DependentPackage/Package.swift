// swift-tools-version: 6.1
// A separate package that depends on RecBench by version, as any other package would.
//
//   Benchmarks/depend-by-version.sh     (tags a clone of this commit and builds this package against it)
//
// Replace the URL with RecBench's repository. The script rewrites the marked line to a file://
// URL of a tagged clone. See README.md, "Depending on RecBench".
import PackageDescription

let package = Package(
    name: "DependentPackage",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://example.invalid/RecBench.git", from: "1.0.0"), // recbench-dependency
    ],
    targets: [
        .executableTarget(
            name: "DependentPackage",
            dependencies: [
                .product(name: "RecBench", package: "RecBench"),
                .product(name: "RecBenchKernels", package: "RecBench"),
            ]
        ),
    ]
)
