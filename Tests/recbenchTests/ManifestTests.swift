import Foundation
import Testing

/// What SwiftPM reads from Package.swift, as root package and as a versioned dependency.
///
/// SwiftPM refuses a versioned dependency whose library products contain a target with
/// `unsafeFlags` (README.md, "Depending on RecBench"); these tests read the manifest through
/// `swift package dump-package` (a few seconds, no build) in both roles.
@Suite("Package manifest")
struct ManifestTests {
    /// The repository holding this file.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// The manifest as `dump-package` prints it; `asDependency` evaluates it as a versioned dependency would be.
    static func dump(asDependency: Bool) throws -> [String: Any] {
        let scratch = NSTemporaryDirectory() + "recbench-manifest-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // A scratch path of its own, so it never waits for the lock of the build running these tests.
        process.arguments = ["swift", "package", "--package-path", root, "--scratch-path", scratch, "dump-package"]
        var environment = ProcessInfo.processInfo.environment
        environment["RECBENCH_AS_DEPENDENCY"] = asDependency ? "1" : nil
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        _ = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Targets of `manifest` by name.
    static func targets(_ manifest: [String: Any]) -> [String: [String: Any]] {
        let list = manifest["targets"] as? [[String: Any]] ?? []
        return Dictionary(list.compactMap { t in (t["name"] as? String).map { ($0, t) } }, uniquingKeysWith: { a, _ in a })
    }

    /// Every target a library product builds: its targets and, transitively, their targets in this package.
    static func libraryTargets(_ manifest: [String: Any]) -> Set<String> {
        let byName = targets(manifest)
        var pending = (manifest["products"] as? [[String: Any]] ?? [])
            .filter { ($0["type"] as? [String: Any])?["library"] != nil }
            .flatMap { $0["targets"] as? [String] ?? [] }
        var seen = Set<String>()
        while let name = pending.popLast() {
            guard seen.insert(name).inserted, let target = byName[name] else { continue }
            for dependency in target["dependencies"] as? [[String: Any]] ?? [] {
                let reference = (dependency["byName"] ?? dependency["target"]) as? [Any]
                if let local = reference?.first as? String, byName[local] != nil { pending.append(local) }
            }
        }
        return seen
    }

    /// The kinds of setting (`unsafeFlags`, `define`, …) of a target, with the strings of their values.
    static func settings(_ target: [String: Any]) -> [(kind: String, value: [String])] {
        func strings(_ value: Any) -> [String] {
            if let text = value as? String { return [text] }
            if let list = value as? [Any] { return list.flatMap(strings) }
            if let object = value as? [String: Any] { return object.values.flatMap(strings) }
            return []
        }
        return (target["settings"] as? [[String: Any]] ?? []).flatMap { setting in
            (setting["kind"] as? [String: Any] ?? [:]).map { (kind: $0.key, value: strings($0.value)) }
        }
    }

    @Test func libraryProductsHaveNoUnsafeFlagsAsAVersionedDependency() throws {
        let manifest = try Self.dump(asDependency: true)
        let library = Self.libraryTargets(manifest)
        #expect(library.isSuperset(of: ["RecBench", "RecBenchKernels"]))
        let byName = Self.targets(manifest)
        for name in library.sorted() {
            let unsafe = Self.settings(byName[name] ?? [:]).filter { $0.kind == "unsafeFlags" }
            #expect(unsafe.isEmpty, "target \(name) of a library product has unsafe flags: \(unsafe.map(\.value))")
        }
        // Without the flags that make FMA instructions available, the kernels must not assume them.
        let defines = Self.settings(byName["RecBenchKernels"] ?? [:]).filter { $0.kind == "define" }
        #expect(!defines.isEmpty && defines.allSatisfy { $0.value == ["RECBENCH_BUILT_BASELINE"] })
    }

    @Test func rootBuildKeepsItsOptimisationFlags() throws {
        let manifest = try Self.dump(asDependency: false)
        let byName = Self.targets(manifest)
        // The umbrella `RecBench` holds only re-exports; the modules with the numeric code keep the flags.
        for name in ["RecBenchKernels", "RecBenchCore", "RecBenchAlgorithms", "RecBenchEvaluation"] {
            let unsafe = Self.settings(byName[name] ?? [:]).filter { $0.kind == "unsafeFlags" }.flatMap(\.value)
            #expect(unsafe.contains("-O"), "\(name): \(unsafe)")
            #expect(unsafe.contains("-enforce-exclusivity=unchecked"), "\(name): \(unsafe)")
        }
    }

    @Test func dependentExampleNamesRecBenchByVersionOnTheLineTheScriptRewrites() throws {
        let text = try String(contentsOfFile: Self.root + "/Examples/DependentPackage/Package.swift", encoding: .utf8)
        let lines = text.split(separator: "\n").filter { $0.contains("// recbench-dependency") }
        #expect(lines.count == 1)
        #expect(lines.first.map { $0.contains(".package(url: ") && $0.contains("from: ") } == true)
    }
}
