import Foundation
import Testing
@testable import RecBench
import RecBenchTestSupport

/// A rating model for the evaluator's tests: an item's training mean when user and item are
/// known, no prediction otherwise (so fallbacks are easy to count), and an offset to push
/// predictions off the scale.
private struct ItemMeanRatings: RecommenderConfiguration {
    static let typeName = "test-item-mean"
    static let hyperparameters: [Hyperparameter] = [Hyperparameter("offset", .real(-100...100), "Added to every prediction.")]
    var offset = 0.0
    init() {}
    init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        let reader = try ParameterReader(parameters, for: Self.self)
        offset = reader.real("offset") ?? 0
    }
    var parameters: [String: ParameterValue] { ["offset": .double(offset)] }
    var label: String { "ItemMean(+\(offset))" }
    static var usesSeed: Bool { false }

    struct Model: RatingModel {
        let ratings: RatingTrainingSet
        let offset: Double
        var itemCount: Int { ratings.itemCount }
        var fallbackRating: Double { ratings.globalMean }
        func estimate(user: UserIndex, item: ItemIndex) -> Double? {
            guard ratings.knows(user: user), ratings.knows(item: item) else { return nil }
            let row = ratings.byItem.range(ofRow: Int(item.rawValue))
            return ratings.byItem.values[row].reduce(0.0) { $0 + Double($1) } / Double(row.count) + offset
        }
    }

    func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> Model { Model(ratings: RatingTrainingSet(train), offset: offset) }
}

@Suite struct RatingMetricTests {
    let predictions = RatingPredictions(users: [0, 0, 0, 1, 1], actual: [4, 2, 5, 1, 3], predicted: [3.5, 2.5, 4, 2, 2])

    @Test func rmseIsTheRootOfTheMeanSquaredErrorPooledOverAllRatings() throws {
        // errors 0.5, 0.5, 1, 1, 1 → squares 0.25 + 0.25 + 1 + 1 + 1 = 3.5; √(3.5 / 5) = √0.7
        let value = try #require(RMSE().value(over: predictions))
        #expect(abs(value - 0.7.squareRoot()) < 1e-15)
    }

    @Test func maeIsTheMeanAbsoluteErrorOverAllRatings() throws {
        // |errors| 0.5 + 0.5 + 1 + 1 + 1 = 4; 4 / 5
        #expect(try #require(MAE().value(over: predictions)) == 0.8)
    }

    @Test func errorMetricsAreLowerIsBetterAndUndefinedWithoutPredictions() {
        #expect(Metric.rmse.direction == .lowerIsBetter && Metric.mae.direction == .lowerIsBetter && Metric.fcp.direction == .higherIsBetter)
        let empty = RatingPredictions(users: [], actual: [], predicted: [])
        #expect(RMSE().value(over: empty) == nil && MAE().value(over: empty) == nil && FCP().value(over: empty) == nil)
    }

    @Test func fcpCountsConcordantAndDiscordantPairsPerUserAsSurpriseDoes() throws {
        // User 0: ratings (4, 2, 5), predictions (3.5, 2.5, 4).
        //   pairs with r_i > r_j: (4,2): 3.5 > 2.5 concordant; (5,4): 4 > 3.5 concordant; (5,2): 4 > 2.5 concordant → n_c = 3, n_d = 0.
        // User 1: ratings (1, 3), predictions (2, 2): the tie counts discordant for r_i < r_j with r̂_i ≥ r̂_j → n_c = 0, n_d = 1.
        // Surprise's means: n_c over users with n_c > 0 = 3 / 1; n_d over users with n_d > 0 = 1 / 1 → FCP = 3 / 4.
        #expect(try #require(FCP().value(over: predictions)) == 0.75)
    }

    @Test func fcpIsUndefinedWhenNoUserHasTwoDifferentRatings() {
        let single = RatingPredictions(users: [0, 1], actual: [4, 2], predicted: [3, 3])
        #expect(FCP().value(over: single) == nil)
    }

    @Test func ratingMetricNamesParseCaseInsensitively() throws {
        #expect(try Metric.parse("rmse") == .rmse && Metric.parse("MAE") == .mae && Metric.parse("fcp") == .fcp)
        #expect(Metric.defaults(for: .rating) == [.rmse, .mae])
        #expect(Metric.defaults(for: .ranking) == Metric.standard)
    }
}

@Suite struct RatingEvaluationTests {
    /// Train: ann rates x 4, y 2; bob rates x 2, z 5. Test: ann z (5), bob y (1), cid x (3, unknown user), ann w? no.
    func split() throws -> Split {
        try Split(train: [("ann", "x", 4), ("ann", "y", 2), ("bob", "x", 2), ("bob", "z", 5)],
                  test: [("ann", "z", 5), ("bob", "y", 1), ("cid", "x", 3)])
    }

    @Test func everyHeldOutRatingIsPredictedAndUnknownUsersFallBackToTheTrainingMean() throws {
        let split = try split()
        let evaluator = Evaluator(EvaluationConfiguration(metrics: [.rmse, .mae], bootstrapResamples: 0, threads: 1))
        let outcome = try Benchmark.fitAndEvaluate(ItemMeanRatings(), on: split, seed: 0, evaluator: evaluator)
        let counts = try #require(outcome.report.ratingPredictions)
        // ann·z → mean(z) = 5; bob·y → mean(y) = 2; cid·x → cid unknown → global mean (4+2+2+5)/4 = 3.25.
        // errors 0, 1, 0.25 → RMSE √((0 + 1 + 0.0625) / 3), MAE (0 + 1 + 0.25) / 3.
        #expect(counts.predictions == 3 && counts.fallbacks == 1 && counts.clipped == 0 && counts.fallbackRating == 3.25)
        #expect(counts.scale == (try RatingScale(lower: 1, upper: 5)))
        let rmse = try #require(outcome.report.mean(.rmse)), mae = try #require(outcome.report.mean(.mae))
        let expectedRMSE: Double = (1.0625 / 3).squareRoot(), expectedMAE: Double = 1.25 / 3
        #expect(abs(rmse - expectedRMSE) < 1e-15 && abs(mae - expectedMAE) < 1e-15)
        #expect(outcome.report.summaries.map(\.metric) == ["RMSE", "MAE"])
        // Nobody is ranked, so no note says a user was left out of the ranking (cid is predicted all the same).
        #expect(!outcome.report.notes.contains { $0.contains("excluded") })
    }

    @Test func predictionsAreClippedToTheRatingScaleAndCounted() throws {
        let split = try split()
        var configuration = ItemMeanRatings()
        configuration.offset = 1   // ann·z → 6 → clipped to 5; bob·y → 3; cid → fallback 3.25
        let evaluator = Evaluator(EvaluationConfiguration(metrics: [.mae], bootstrapResamples: 0, threads: 1))
        let report = try Benchmark.fitAndEvaluate(configuration, on: split, seed: 0, evaluator: evaluator).report
        #expect(report.ratingPredictions?.clipped == 1)
        let clippedMAE = try #require(report.mean(.mae)), expectedClipped: Double = 2.25 / 3
        #expect(abs(clippedMAE - expectedClipped) < 1e-15)
        // A wider scale given by the user keeps the 6.
        let wide = Evaluator(EvaluationConfiguration(metrics: [.mae], bootstrapResamples: 0, threads: 1,
                                                     ratingScale: try RatingScale(lower: 0, upper: 10)))
        let unclipped = try Benchmark.fitAndEvaluate(configuration, on: split, seed: 0, evaluator: wide).report
        #expect(unclipped.ratingPredictions?.clipped == 0)
        let wideMAE = try #require(unclipped.mean(.mae)), expectedWide: Double = 3.25 / 3
        #expect(abs(wideMAE - expectedWide) < 1e-15)
    }

    @Test func aRankingOnlyAlgorithmAskedForRMSEIsRefusedBeforeFitting() throws {
        let evaluator = Evaluator(EvaluationConfiguration(metrics: [.ndcg(10), .rmse], bootstrapResamples: 0))
        #expect(throws: RatingEvaluationError.self) {
            _ = try Benchmark.fitAndEvaluate(Algorithm.popularity(PopularityConfiguration()), on: try split(), seed: 0, evaluator: evaluator)
        }
        #expect(!PopularityConfiguration.predictsRatings && ItemMeanRatings.predictsRatings)
    }

    @Test func rankingMetricsOnARatingSplitCountOnlyRatingsAtTheThresholdAsRelevant() throws {
        let split = try split()
        let evaluator = Evaluator(EvaluationConfiguration(metrics: [.rmse, .hitRate(1)], bootstrapResamples: 0, threads: 1,
                                                          relevanceThreshold: 4))
        let report = try Benchmark.fitAndEvaluate(ItemMeanRatings(), on: split, seed: 0, evaluator: evaluator).report
        // Only ann·z (5) is relevant; bob's held-out y (1) is not, so only ann is ranked. ann's
        // candidates: z (mean 5) and w… only z is unseen by ann → hit at rank 1.
        #expect(report.evaluatedUsers == 1)
        #expect(report.mean(.hitRate(1)) == 1)
        #expect(report.summaries.map(\.metric) == ["RMSE", "HR@1"])
        #expect(report.ratingPredictions?.predictions == 3)
    }

    @Test func ratingPredictionsDoNotDependOnTheThreadCount() throws {
        var triples: [Dataset.Triple] = []
        var generator = SeededGenerator(seed: 7)
        for u in 0..<60 { for i in 0..<40 where generator.nextUnit() < 0.3 { triples.append(("u\(u)", "i\(i)", Float(1 + generator.nextInt(below: 5)))) } }
        let dataset = try Dataset(interactions: triples)
        let split = try Splitter.split(dataset, method: .kFold(folds: 5, fold: 2), seed: 3)
        func run(_ threads: Int) throws -> EvaluationReport {
            try Benchmark.fitAndEvaluate(ItemMeanRatings(), on: split, seed: 0,
                                         evaluator: Evaluator(EvaluationConfiguration(metrics: [.rmse, .mae, .fcp], bootstrapResamples: 0, threads: threads))).report
        }
        let one = try run(1), two = try run(2)
        #expect(one.summaries == two.summaries && one.ratingPredictions == two.ratingPredictions)
    }

    @Test func theConformanceSuiteChecksRatingModelsAndCatchesNonFiniteEstimates() throws {
        try ConformanceSuite(ItemMeanRatings(), ranking: .unordered).run(.ratingPredictions)
        var broken = ItemMeanRatings()
        broken.offset = .infinity   // outside the domain, but fit does not validate in this test type
        #expect(throws: ConformanceFailure.self) { try ConformanceSuite(broken, ranking: .unordered).run(.ratingPredictions) }
    }

    @Test func crossValidationGivesTheSameFiguresWithFoldsSideBySideAsOneAfterAnother() throws {
        var triples: [Dataset.Triple] = []
        var generator = SeededGenerator(seed: 9)
        for u in 0..<50 { for i in 0..<30 where generator.nextUnit() < 0.4 { triples.append(("u\(u)", "i\(i)", Float(1 + generator.nextInt(below: 5)))) } }
        let dataset = try Dataset(interactions: triples)
        func run(_ threads: Int) throws -> CrossValidation {
            try Benchmark.crossValidate(ItemMeanRatings(), on: dataset, folds: 5, splitSeed: 0, seed: 0, threads: threads,
                                        evaluator: Evaluator(EvaluationConfiguration(metrics: [.rmse, .mae, .fcp], bootstrapResamples: 0, threads: threads)))
        }
        let one = try run(1), two = try run(2)
        #expect(one.summaries == two.summaries)
        #expect(one.perFold.map(\.fold) == [1, 2, 3, 4, 5] && two.perFold.map(\.fold) == [1, 2, 3, 4, 5])
        #expect(one.perFold.map(\.report.ratingPredictions) == two.perFold.map(\.report.ratingPredictions))
        // Every rating is predicted exactly once over the folds.
        #expect(one.perFold.compactMap(\.report.ratingPredictions?.predictions).reduce(0, +) == dataset.interactionCount)
    }

    @Test func theRatingTaskKeepsZeroAndNegativeRatings() throws {
        let dataset = try Dataset(interactions: [("a", "x", 0), ("a", "y", 100), ("b", "x", -1)])
        #expect(try Preparation(EvaluationTask.rating.preparationSteps).apply(to: dataset).interactionCount == 3)
        #expect(try Preparation(EvaluationTask.ranking.preparationSteps).apply(to: dataset).interactionCount == 1)
    }

    @Test func aRatingScaleIsParsedFromLoCommaHiAndBadOnesAreRefused() throws {
        #expect(try RatingScale(parsing: "0.5, 5") == RatingScale(lower: 0.5, upper: 5))
        #expect(try RatingScale(parsing: "1,5").description == "1,5")
        for bad in ["5,1", "1", "a,b", "1,inf", ""] { #expect(throws: DatasetError.self) { _ = try RatingScale(parsing: bad) } }
        #expect(try RatingScale(parsing: "1,5").defaultRelevanceThreshold == 4)
        #expect(try RatingScale(parsing: "0,100").defaultRelevanceThreshold == 75)
    }
}

@Suite struct RatingExperimentTests {
    /// A small rating experiment on a generated MovieLens 100K folder.
    static func text(_ folder: String) -> String {
        """
        name = "rating-sweep"
        task = "rating"
        [dataset]
        name = "\(folder)"
        [split]
        method = "random"
        fraction = 0.2
        seed = 3
        [evaluation]
        metrics = ["RMSE", "MAE"]
        [search]
        strategy = "grid"
        [[algorithms]]
        type = "baseline"
        [[algorithms]]
        type = "svd"
        factors = [4, 8]
        epochs = [5]
        """
    }

    @Test func aRatingSweepSelectsTheLowestValidationRMSEAndTheLeaderboardRanksLowestFirst() throws {
        let movieLens = try GeneratedMovieLens(configuration: SyntheticConfiguration(users: 120, items: 200, interactions: 4_000, zipfExponent: 0.9, seed: 5))
        let experiment = try Experiment.parse(Self.text(movieLens.path), file: "rating.toml")
        #expect(experiment.task == .rating && experiment.selection == .rmse && experiment.metrics == [.rmse, .mae])
        #expect(experiment.preparation.steps.isEmpty)
        let results = TemporaryFolder()
        let outcome = try ExperimentRunner.run(experiment, store: ResultStore(directory: results.path), progress: { _ in })
        #expect(outcome.failures.isEmpty)
        let records = try ResultStore.records(in: results.path)
        let validation = records.filter { $0.phase == .validation && $0.algorithmName == "svd" }
        #expect(validation.count == 2)
        let best = try #require(validation.min { $0.mean("RMSE")! < $1.mean("RMSE")! })
        let test = try #require(records.first { $0.phase == .test && $0.algorithmName == "svd" })
        #expect(test.algorithm == best.algorithm)
        // Ratings are kept as ratings: the generated file's 1–5 stars, never thresholded.
        #expect(test.dataset.interactions == movieLens.ratingCount)
        let board = Leaderboard(records: records)
        let rmse = board.rows.map { $0.metrics["RMSE"]! }
        #expect(rmse == rmse.sorted())
    }

    @Test func ratingMetricsOnARankingExperimentAndRatingOptionsOnARankingTaskAreRefused() {
        #expect(throws: ExperimentError.self) {
            _ = try Experiment.parse("[evaluation]\nmetrics = [\"RMSE\"]\nselect = \"RMSE\"\n[[algorithms]]\ntype = \"svd\"\n", file: "x.toml")
        }
        #expect(throws: ExperimentError.self) {
            _ = try Experiment.parse("[dataset]\nrating_scale = [1, 5]\n[[algorithms]]\ntype = \"svd\"\n", file: "x.toml")
        }
        #expect(throws: ExperimentError.self) {
            _ = try Experiment.parse("task = \"rating\"\n[dataset]\nrating_scale = [5, 1]\n[[algorithms]]\ntype = \"svd\"\n", file: "x.toml")
        }
        #expect(throws: ExperimentError.self) { _ = try Experiment.parse("task = \"stars\"\n[[algorithms]]\ntype = \"svd\"\n", file: "x.toml") }
    }
}
