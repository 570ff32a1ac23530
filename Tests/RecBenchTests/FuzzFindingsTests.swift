import Foundation
import Testing
@testable import RecBench

/// Inputs found by `Benchmarks/fuzz-inputs.sh` that crashed or misbehaved, kept as regressions.
@Suite("Fuzz findings")
struct FuzzFindingsTests {
    /// Fuzz case 1879 (seed 2026): a table header starting with ',' made the bundled toml++
    /// parser assert and abort (signal 6) instead of reporting a syntax error.
    @Test(arguments: ["[,,,,datat]\nname = \"x\"\n", "[[,]]\n", "[.a]\n", "x = 1\n  [ ,y]\n"])
    func tableHeadersThatDoNotStartWithAKeyAreSyntaxErrors(text: String) {
        do {
            _ = try Experiment.parse(text, file: "fuzz.toml")
            Issue.record("accepted")
        } catch {
            guard case .syntax(let file, let line, _, let reason) = error else { Issue.record("\(error)"); return }
            #expect(file == "fuzz.toml" && line >= 1 && reason.contains("table header"))
        }
    }

    @Test func bracketsInsideValuesAndStringsAreNotTableHeaders() throws {
        let text = Experiment.defaultText + "\n[[algorithms]]\nname = \"K\"\ntype = \"item-knn\"\nneighbors = [\n5,\n10]\n# [,] in a comment\n"
        let experiment = try Experiment.parse(text, file: "ok.toml")
        #expect(experiment.algorithms.last?.name == "K")
        #expect(throws: ExperimentError.self) { try TOMLHeaderCheck.check("x = '''\n[,]\n'''\ny = \"[\"\n[,z]\n", file: "f") }
        try TOMLHeaderCheck.check("x = '''\n[,]\n'''\ny = \"[\"\n[z]\n", file: "f")
    }
}
