// swift-tools-version: 6.1
// RecBench: evaluation and benchmarking of recommender algorithms on implicit feedback.
import Foundation
import PackageDescription

/// The vector instruction level that release builds of the numeric modules target.
///
/// Chosen once, when the manifest is evaluated, from the CPU of the machine that builds:
/// AVX-512 where present, AVX2 + FMA otherwise, baseline x86-64 (SSE2) when neither is
/// there or the CPU cannot be read. `RECBENCH_VECTOR=avx512|avx2|baseline` overrides the
/// choice (for example, to build a binary for an older machine). On any other architecture
/// no x86 flag is emitted at all; nor when RecBench is a versioned dependency (see
/// `isSourceControlDependency`). See README.md, "Vector code and CPU dispatch".
enum VectorLevel: String {
    case avx512, avx2, baseline

    static var host: VectorLevel {
        #if arch(x86_64)
        if let forced = ProcessInfo.processInfo.environment["RECBENCH_VECTOR"],
           let level = VectorLevel(rawValue: forced.lowercased()) {
            return level
        }
        guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return .baseline }
        let flags = Set(flagsLine.split(separator: " ").map(String.init))
        if ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx2", "fma"].allSatisfy(flags.contains) {
            return .avx512
        }
        if ["avx2", "fma", "bmi2"].allSatisfy(flags.contains) { return .avx2 }
        return .baseline
        #else
        return .baseline
        #endif
    }

    /// Code-generation flags for the numeric modules (release only).
    var codegenFlags: [String] {
        switch self {
        case .avx512: return ["-Xcc", "-march=x86-64-v4", "-Xcc", "-mprefer-vector-width=512"]
        case .avx2: return ["-Xcc", "-march=x86-64-v3"]
        case .baseline: return []
        }
    }

    /// The compilation condition that tells the code which level it was built for.
    var define: String {
        switch self {
        case .avx512: return "RECBENCH_BUILT_AVX512"
        case .avx2: return "RECBENCH_BUILT_AVX2"
        case .baseline: return "RECBENCH_BUILT_BASELINE"
        }
    }
}

/// Whether SwiftPM reads this manifest as a dependency fetched from source control.
///
/// SwiftPM refuses a package whose library targets carry `unsafeFlags` when another package
/// depends on it by version ("the target 'RecBench' in product 'RecBench' contains unsafe build
/// flags"), whatever the flags' conditions (a package trait does not help). Such a manifest is
/// read from a repository checkout (`…/checkouts/<name>`, under `.build`, a scratch path or
/// Xcode's `SourcePackages`) or, while versions are resolved, straight from the repository
/// (the package directory is then `/`). Then the numeric modules get no unsafe flag and compile
/// for baseline x86-64; the client can add the vector flags itself (README.md, "Depending on
/// RecBench"). As the root package or a `path:` dependency, RecBench builds as before.
/// `RECBENCH_AS_DEPENDENCY=1` makes a root build behave as a versioned dependency (to measure
/// what a client gets).
let isSourceControlDependency: Bool = {
    if ProcessInfo.processInfo.environment["RECBENCH_AS_DEPENDENCY"] == "1" { return true }
    let directory = Context.packageDirectory
    if directory == "/" { return true }
    return URL(fileURLWithPath: directory).deletingLastPathComponent().lastPathComponent == "checkouts"
}()

let vector = isSourceControlDependency ? VectorLevel.baseline : VectorLevel.host
let release = BuildSettingCondition.when(configuration: .release)

/// Settings of the modules whose hot loops must be vectorised.
let numericSettings: [SwiftSetting] = isSourceControlDependency
    // No unsafe flags: the only kind of settings a versioned dependency may have.
    ? [.define(vector.define, release)]
    : [
        // Optimised in debug builds too, so that `swift test` runs the numeric code at speed.
        .unsafeFlags(["-O"], .when(configuration: .debug)),
        .define(vector.define, release),
        // Dynamic exclusivity checks cost ~15% of parsing (closures over loop state); the
        // static checks still run, and the debug builds that run the tests keep the dynamic ones.
        .unsafeFlags(vector.codegenFlags + ["-enforce-exclusivity=unchecked"], release),
    ]

/// The library's modules. Targets that use the library list them all as well as the re-exporting
/// `RecBench`: the build then recompiles them when any module changes (an umbrella module alone
/// hides its modules' changes from incremental builds: stale code, or link errors, were seen).
let libraryModules: [Target.Dependency] = [
    "RecBench", "RecBenchCore", "RecBenchSplits", "RecBenchMetrics", "RecBenchAlgorithms", "RecBenchEvaluation",
    "RecBenchExperiments", "RecBenchReporting", "RecBenchLab", "RecBenchBenchmarks",
]

let package = Package(
    name: "RecBench",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RecBench", targets: ["RecBench"]),
        .library(name: "RecBenchKernels", targets: ["RecBenchKernels"]),
        .library(name: "RecBenchTestSupport", targets: ["RecBenchTestSupport"]),
        .executable(name: "recbench", targets: ["recbench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // CPU feature detection, compiled for baseline x86-64 so it runs anywhere.
        .target(name: "CRecBenchCPU"),
        .target(
            name: "RecBenchKernels",
            swiftSettings: numericSettings
        ),
        // The library, in modules whose imports go one way (README, "Modules"):
        // Core → Splits, Metrics, Algorithms → Evaluation → Experiments → Reporting; Lab and
        // Benchmarks are clients of Evaluation. `RecBench` re-exports them all.
        .target(
            name: "RecBenchCore",
            dependencies: [
                "RecBenchKernels",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: numericSettings
        ),
        .target(name: "RecBenchSplits", dependencies: ["RecBenchCore"], swiftSettings: numericSettings),
        .target(name: "RecBenchMetrics", dependencies: ["RecBenchCore", "RecBenchKernels"], swiftSettings: numericSettings),
        .target(name: "RecBenchAlgorithms", dependencies: ["RecBenchCore", "RecBenchKernels"], swiftSettings: numericSettings),
        .target(
            name: "RecBenchEvaluation",
            dependencies: ["RecBenchCore", "RecBenchSplits", "RecBenchMetrics", "RecBenchAlgorithms", "RecBenchKernels"],
            swiftSettings: numericSettings
        ),
        .target(
            name: "RecBenchExperiments",
            dependencies: [
                "RecBenchEvaluation",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: numericSettings
        ),
        .target(name: "RecBenchReporting", dependencies: ["RecBenchExperiments"], swiftSettings: numericSettings),
        .target(name: "RecBenchLab", dependencies: ["RecBenchEvaluation"], swiftSettings: numericSettings),
        .target(name: "RecBenchBenchmarks", dependencies: ["RecBenchEvaluation"], swiftSettings: numericSettings),
        .target(
            name: "RecBench",
            dependencies: [
                "RecBenchCore", "RecBenchSplits", "RecBenchMetrics", "RecBenchAlgorithms", "RecBenchEvaluation",
                "RecBenchExperiments", "RecBenchReporting", "RecBenchLab", "RecBenchBenchmarks",
            ]
        ),
        // The CLI stays at baseline: it checks the CPU before any vector code runs.
        .executableTarget(
            name: "recbench",
            dependencies: libraryModules + [
                "RecBenchKernels",
                "CRecBenchCPU",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [.define(vector.define, release)]
        ),
        // An algorithm defined outside the library and run through its splits and evaluator.
        .executableTarget(name: "CustomAlgorithm", dependencies: libraryModules, path: "Examples/CustomAlgorithm",
                          swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // Fixtures and the conformance suite every algorithm runs (for this package's tests and
        // for outside authors' models).
        .target(name: "RecBenchTestSupport", dependencies: libraryModules),
        .testTarget(name: "RecBenchKernelsTests", dependencies: ["RecBenchKernels"]),
        .testTarget(
            name: "RecBenchTests",
            dependencies: libraryModules + ["RecBenchTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .testTarget(name: "recbenchTests", dependencies: libraryModules + ["recbench", "RecBenchTestSupport", "CustomAlgorithm"]),
    ]
)
