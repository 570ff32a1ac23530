import Foundation
import Testing
@testable import RecBench

/// The k-fold rule: its folds partition the rows, are fixed by the seed, decode like every rule,
/// and the cross-validation over them summarises each metric.
@Suite("k-fold split")
struct KFoldTests {
    /// 40 users, 30 items, about 500 distinct pairs drawn from a fixed seed.
    func sample() throws -> Dataset {
        var rng = SeededGenerator(seed: 7)
        var triples: [Dataset.Triple] = []
        for u in 0..<40 {
            for _ in 0..<(3 + rng.nextInt(below: 20)) { triples.append(("u\(u)", "i\(rng.nextInt(below: 30))", 1)) }
        }
        return try Dataset(name: "sample", interactions: triples)
    }

    /// The test rows of a split as (user, item) pairs.
    func testPairs(_ split: Split) -> Set<[Int32]> {
        var pairs: Set<[Int32]> = []
        for u in 0..<split.test.rowCount { for item in split.testItems(of: u) { pairs.insert([Int32(u), item]) } }
        return pairs
    }

    @Test func everyRowIsInExactlyOneTestFold() throws {
        let dataset = try sample()
        let splits = try Splitter.folds(dataset, folds: 5, seed: 3)
        #expect(splits.count == 5)
        var seen: Set<[Int32]> = []
        var total = 0
        for split in splits {
            let pairs = testPairs(split)
            #expect(seen.isDisjoint(with: pairs))
            seen.formUnion(pairs)
            total += pairs.count
            #expect(split.train.nonZeroCount + split.test.nonZeroCount == dataset.interactionCount)
        }
        #expect(total == dataset.interactionCount && seen.count == dataset.interactionCount)
        // Equal sizes, the first ones one row longer.
        let sizes = splits.map { $0.test.nonZeroCount }
        #expect(sizes.max()! - sizes.min()! <= 1 && sizes == sizes.sorted(by: >))
    }

    @Test func eachFoldOfFoldsIsTheSplitOfItsMethod() throws {
        let dataset = try sample()
        for (index, split) in try Splitter.folds(dataset, folds: 4, seed: 9).enumerated() {
            let alone = try Splitter.split(dataset, method: .kFold(folds: 4, fold: index + 1), seed: 9)
            #expect(alone.method == split.method && alone.test.columns == split.test.columns && alone.test.rowOffsets == split.test.rowOffsets)
            #expect(alone.report == split.report && alone.evaluatedUsers == split.evaluatedUsers)
        }
    }

    @Test func theSameSeedGivesTheSameFoldsAndAnotherSeedOthers() throws {
        let dataset = try sample()
        let a = try Splitter.folds(dataset, folds: 5, seed: 1).map(testPairs)
        let b = try Splitter.folds(dataset, folds: 5, seed: 1).map(testPairs)
        let c = try Splitter.folds(dataset, folds: 5, seed: 2).map(testPairs)
        #expect(a == b)
        #expect(a != c)
    }

    @Test func usersWithoutTrainRowsAreReportedAsTheGlobalRandomSplitReportsThem() throws {
        // "solo" has one row: in the fold that holds it, solo has test rows but none in train.
        var triples: [Dataset.Triple] = [("solo", "x", 1)]
        for u in 0..<10 { for i in 0..<6 { triples.append(("u\(u)", "i\(i)", 1)) } }
        let splits = try Splitter.folds(try Dataset(name: "d", interactions: triples), folds: 3, seed: 0)
        let reported = splits.map { $0.report.excluded["test interactions but none in train: not evaluated"] ?? 0 }
        #expect(reported.reduce(0, +) == 1)
        for split in splits { for u in split.evaluatedUsers { #expect(!split.trainItems(of: Int(u)).isEmpty) } }
    }

    @Test func theRuleRoundTripsThroughTextAndJSON() throws {
        let method = try SplitMethod(parsing: "k-fold:folds=10,fold=3")
        #expect(method == .kFold(folds: 10, fold: 3))
        #expect(try SplitMethod(parsing: "k-fold") == .kFold(folds: 5, fold: 1))
        #expect(method.text == "k-fold:folds=10,fold=3")
        #expect(try SplitMethod(parsing: method.text) == method)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = try encoder.encode(method)
        #expect(String(decoding: json, as: UTF8.self) == #"{"fold":3,"folds":10,"type":"k-fold"}"#)
        #expect(try JSONDecoder().decode(SplitMethod.self, from: json) == method)
        #expect(SplitMethod.names.contains("k-fold") && method.drawsRandomNumbers && !method.needsTimes)
    }

    @Test func badParametersAreTypedErrorsNamingThem() throws {
        #expect(throws: SplitError.invalidParameter(split: "k-fold", parameter: "folds", value: "1", reason: "it must be in 2...100")) {
            try SplitMethod(parsing: "k-fold:folds=1")
        }
        #expect(throws: SplitError.invalidParameter(split: "k-fold", parameter: "folds", value: "101", reason: "it must be in 2...100")) {
            try SplitMethod(parsing: "k-fold:folds=101")
        }
        #expect(throws: SplitError.invalidParameter(split: "k-fold", parameter: "fold", value: "6",
                                                    reason: "it must be in 1...5 (the number of folds)")) {
            try SplitMethod(parsing: "k-fold:fold=6")
        }
        #expect(throws: SplitError.invalidParameter(split: "k-fold", parameter: "fold", value: "0", reason: "it must be in 1...100")) {
            try SplitMethod(parsing: "k-fold:folds=3,fold=0")
        }
        #expect(throws: SplitError.invalidParameter(split: "k-fold", parameter: "folds", value: "five", reason: "an integer is expected")) {
            try SplitMethod(parsing: "k-fold:folds=five")
        }
        #expect(throws: SplitError.unknownParameter(split: "k-fold", parameter: "k", known: ["folds", "fold"])) {
            try SplitMethod(parsing: "k-fold:k=5")
        }
        #expect(throws: SplitError.invalid("the folds must be in 2...100, got 1")) { try Splitter.folds(try sample(), folds: 1, seed: 0) }
        #expect(throws: SplitError.invalid("the fold must be in 1...3, got 4")) {
            try Splitter.split(try sample(), method: .kFold(folds: 3, fold: 4), seed: 0)
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SplitMethod.self, from: Data(#"{"type":"k-fold","folds":0}"#.utf8)) }
    }

    @Test func crossValidationReportsEveryFoldAndTheMeanAndSpread() throws {
        let dataset = try sample()
        let evaluator = Evaluator(EvaluationConfiguration(metrics: [.precision(5), .ndcg(10)], bootstrapResamples: 0))
        let result = try Benchmark.crossValidate(.popularity(PopularityConfiguration()), on: dataset, folds: 4, splitSeed: 5, seed: 1,
                                                 evaluator: evaluator)
        #expect(result.perFold.map(\.fold) == [1, 2, 3, 4] && result.summaries.map(\.metric) == ["P@5", "NDCG@10"])
        for (index, fold) in result.perFold.enumerated() {
            let split = try Splitter.split(dataset, method: .kFold(folds: 4, fold: index + 1), seed: 5)
            let alone = try Benchmark.fitAndEvaluate(.popularity(PopularityConfiguration()), on: split, seed: 1, evaluator: evaluator)
            #expect(fold.report.summaries == alone.report.summaries)
        }
        let values = result.perFold.map { $0.report.mean(.ndcg(10))! }
        let summary = try #require(result.summary("NDCG@10"))
        let mean = values.reduce(0, +) / 4
        #expect(summary.values == values && abs(summary.mean - mean) < 1e-12)
        let spread = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4).squareRoot()
        #expect(abs(summary.standardDeviation - spread) < 1e-12 && spread > 0)
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as? [String: Any])
        #expect((object["perFold"] as? [Any])?.count == 4 && object["folds"] as? Int == 4)
        // JSON text keeps a double to within its last bit.
        func close(_ value: Double?, _ expected: Double?) -> Bool { abs((value ?? .nan) - (expected ?? .nan)) <= 1e-12 }
        #expect(close((object["mean"] as? [String: Double])?["NDCG@10"], summary.mean) && close(object["NDCG@10"] as? Double, summary.mean))
        #expect(close((object["standardDeviation"] as? [String: Double])?["P@5"], result.summary("P@5")?.standardDeviation))
    }

    @Test func aSummaryOfKnownValuesHasTheirMeanAndPopulationDeviation() {
        let summary = CrossValidation.Summary(metric: "RMSE", values: [1, 2, 3, 4])
        #expect(summary.mean == 2.5)
        #expect(abs(summary.standardDeviation - 1.25.squareRoot()) < 1e-15)
    }
}
