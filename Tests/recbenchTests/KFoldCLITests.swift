import Foundation
import Testing
import RecBench
@testable import recbench

/// `recbench evaluate --split k-fold`: every fold and the mean over folds, or one fold with `--fold`.
@Suite("k-fold on the command line", .serialized)
struct KFoldCLITests {
    /// A generated dataset in the Audioscrobbler layout.
    func generated(_ scratch: Scratch) throws -> String {
        let file = scratch.path + "/user_artist_data.txt"
        let output = try CLI.run(["generate", "--users", "120", "--items", "300", "--interactions", "2500", "--seed", "4", "--out", file])
        #expect(output.status == 0, "\(output.stderr)")
        return file
    }

    @Test func evaluatePrintsEveryFoldAndTheMeanAndDeviation() throws {
        let scratch = Scratch()
        let file = try generated(scratch)
        let output = try CLI.run(["evaluate", file, "--split", "k-fold", "--folds", "5", "--seed", "0", "--algorithm", "popularity",
                                  "--metrics", "P@10", "NDCG@10", "--bootstrap", "0"])
        #expect(output.status == 0, "\(output.stderr)")
        let lines = output.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("5-fold cross-validation, seed 0") == true)
        #expect(lines.contains { $0.hasPrefix("fold  users") && $0.contains("P@10") && $0.contains("NDCG@10") })
        for fold in 1...5 { #expect(lines.contains { $0.hasPrefix("\(fold) ") }) }
        #expect(lines.contains { $0.hasPrefix("mean ") } && lines.contains { $0.hasPrefix("std ") })
    }

    @Test func evaluateJSONHoldsEachFoldAndTheMeansThatOneFoldReproduces() throws {
        let scratch = Scratch()
        let file = try generated(scratch)
        let all = try CLI.run(["evaluate", file, "--split", "k-fold", "--folds", "3", "--seed", "2", "--algorithm", "popularity",
                               "--metrics", "NDCG@10", "--bootstrap", "0", "--json"])
        #expect(all.status == 0, "\(all.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [String: Any])
        let folds = try #require(object["perFold"] as? [[String: Any]])
        #expect(folds.count == 3 && object["folds"] as? Int == 3)
        let values = folds.compactMap { ($0["metrics"] as? [String: Double])?["NDCG@10"] }
        let mean = try #require(object["NDCG@10"] as? Double)
        #expect(values.count == 3 && abs(mean - values.reduce(0, +) / 3) < 1e-12)
        #expect(abs(((object["mean"] as? [String: Double])?["NDCG@10"] ?? .nan) - mean) < 1e-12 && (object["standardDeviation"] as? [String: Double])?["NDCG@10"] != nil)
        // --fold 2 evaluates that fold alone, with the same figure.
        let one = try CLI.run(["evaluate", file, "--split", "k-fold", "--folds", "3", "--fold", "2", "--seed", "2", "--algorithm", "popularity",
                               "--metrics", "NDCG@10", "--bootstrap", "0", "--json"])
        #expect(one.status == 0, "\(one.stderr)")
        let single = try #require(try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
        let summaries = try #require(single["summaries"] as? [[String: Any]])
        #expect(abs((summaries.first?["mean"] as? Double ?? .nan) - values[1]) < 1e-12)
    }

    @Test func badFoldOptionsExitWithTwoNamingThem() throws {
        let scratch = Scratch()
        let file = try generated(scratch)
        let outOfRange = try CLI.run(["evaluate", file, "--split", "k-fold", "--folds", "3", "--fold", "4"])
        #expect(outOfRange.status == 2)
        #expect(outOfRange.stderr == "error: the split k-fold: fold = '4' is invalid: it must be in 1...3 (the number of folds)\n")
        let tooFew = try CLI.run(["evaluate", file, "--split", "k-fold", "--folds", "1"])
        #expect(tooFew.status == 2 && tooFew.stderr.contains("folds = '1' is invalid: it must be in 2...100"))
        let elsewhere = try CLI.run(["evaluate", file, "--split", "holdout", "--folds", "3"])
        #expect(elsewhere.status == 2 && elsewhere.stderr.contains("--folds does not apply to the split holdout"))
        let export = try CLI.run(["evaluate", file, "--split", "k-fold", "--export-run", scratch.path + "/run.txt"])
        #expect(export.status == 2 && export.stderr.contains("--export-run does not apply to a cross-validation over every fold"))
    }

    @Test func theFoldOptionsDecodeThroughTheLibrary() throws {
        let options = try SplitOptions.parse(["--split", "k-fold", "--folds", "10", "--fold", "3"])
        #expect(try options.method == .kFold(folds: 10, fold: 3))
        #expect(options.applicable == [.folds, .fold, .seed] && options.crossValidationFolds == nil)
        #expect(try SplitOptions.parse(["--split", "k-fold"]).crossValidationFolds == 5)
    }
}
