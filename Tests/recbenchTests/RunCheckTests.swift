import Foundation
import Testing
import RecBench

/// `recbench run FILE --check`: the file is read and its sweep planned and validated, nothing run.
@Suite("Experiment check")
struct RunCheckTests {
    @Test func checkPlansAndValidatesWithoutWritingAnything() throws {
        let folder = NSTemporaryDirectory() + "recbench-check-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let good = CLI.run
        let ok = try good(["run", "--check", "--results", folder + "/results"], [:], nil)
        #expect(ok.status == 0 && ok.stdout.contains("9 validation or test run(s) planned"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/results"))
        let file = folder + "/bad.toml"
        try Experiment.defaultText.replacingOccurrences(of: "factors = 64\nregularization = 0.1", with: "factors = [64, 300]\nregularization = 0.1")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let bad = try good(["run", file, "--check"], [:], nil)
        #expect(bad.status == 2 && bad.stderr.contains("factors") && bad.stderr.contains("300"))
    }
}
