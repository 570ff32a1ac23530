import Foundation
import Synchronization
import RecBenchKernels
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation

/// The result of a k-fold cross-validation: each fold's evaluation, and each metric's mean and
/// standard deviation over the folds.
///
/// Its JSON: `model`, `dataset`, `split`, `folds` (k), `seed`, `perFold` (each fold's number,
/// split sizes, users evaluated and excluded, times and metric means), `mean` and
/// `standardDeviation` (metric name → value over the folds), and each metric's mean over the
/// folds again under its own name at the top (`"NDCG@10": 0.21`), where a single evaluation's
/// reader looks for it.
public struct CrossValidation: Sendable {
    /// One fold's evaluation.
    public struct Fold: Sendable {
        /// The fold held out as test, 1-based.
        public var fold: Int
        /// The sizes of the fold's split and the users it left out.
        public var split: SplitReport
        /// The evaluation of the model fitted on the other folds.
        public var report: EvaluationReport
        /// Seconds spent fitting.
        public var fitSeconds: Double
        /// Seconds spent evaluating.
        public var evaluateSeconds: Double
    }

    /// One metric over the folds.
    public struct Summary: Codable, Sendable, Equatable {
        /// The metric's name (`NDCG@10`).
        public var metric: String
        /// The fold means, in fold order.
        public var values: [Double]
        /// Their mean.
        public var mean: Double
        /// Their population standard deviation (divided by k, as Surprise's `cross_validate`
        /// reports it with `numpy.std`).
        public var standardDeviation: Double

        /// Summarises one value per fold.
        public init(metric: String, values: [Double]) {
            self.metric = metric
            self.values = values
            let n = Double(max(1, values.count))
            mean = values.reduce(0, +) / n
            let m = mean
            standardDeviation = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / n).squareRoot()
        }
    }

    /// The model's name.
    public var model: String
    /// The dataset's name.
    public var dataset: String
    /// The number of folds k.
    public var folds: Int
    /// The seed of the shuffle that made the folds.
    public var seed: UInt64
    /// Each fold, in order.
    public var perFold: [Fold]
    /// Each metric over the folds, in the evaluation's metric order.
    public var summaries: [Summary]

    /// The split in words.
    public var split: String { "\(folds)-fold cross-validation" }

    /// The summary of `metric`, or nil when it was not measured.
    public func summary(_ metric: String) -> Summary? { summaries.first { $0.metric == metric } }

    /// Seconds spent fitting and evaluating, over every fold (splitting and loading excluded).
    public var seconds: Double { perFold.reduce(0) { $0 + $1.fitSeconds + $1.evaluateSeconds } }

    /// Summarises `perFold`: each metric of the first fold's report, over every fold.
    public init(model: String, dataset: String, folds: Int, seed: UInt64, perFold: [Fold]) {
        self.model = model
        self.dataset = dataset
        self.folds = folds
        self.seed = seed
        self.perFold = perFold
        let names = perFold.first?.report.summaries.map(\.metric) ?? []
        summaries = names.map { name in
            Summary(metric: name, values: perFold.map { fold in fold.report.summaries.first { $0.metric == name }?.mean ?? .nan })
        }
    }
}

extension CrossValidation: Encodable {
    private typealias Key = NamedKey

    private struct FoldJSON: Encodable {
        var fold: Int
        var train: SplitReport.Part
        var test: SplitReport.Part
        var evaluatedUsers: Int
        var excluded: [String: Int]
        var testInteractionsWithUnseenItems: Int
        var fitSeconds: Double
        var evaluateSeconds: Double
        var metrics: [String: Double]
        var ratingPredictions: RatingPredictionCounts?
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(model, forKey: Key("model"))
        try container.encode(dataset, forKey: Key("dataset"))
        try container.encode(split, forKey: Key("split"))
        try container.encode(folds, forKey: Key("folds"))
        try container.encode(seed, forKey: Key("seed"))
        let rows = perFold.map { fold in
            FoldJSON(fold: fold.fold, train: fold.split.train, test: fold.split.test, evaluatedUsers: fold.report.evaluatedUsers,
                     excluded: fold.split.excluded, testInteractionsWithUnseenItems: fold.split.testInteractionsWithUnseenItems,
                     fitSeconds: fold.fitSeconds, evaluateSeconds: fold.evaluateSeconds,
                     metrics: Dictionary(uniqueKeysWithValues: fold.report.summaries.map { ($0.metric, $0.mean) }),
                     ratingPredictions: fold.report.ratingPredictions)
        }
        try container.encode(rows, forKey: Key("perFold"))
        try container.encode(Dictionary(uniqueKeysWithValues: summaries.map { ($0.metric, $0.mean) }), forKey: Key("mean"))
        try container.encode(Dictionary(uniqueKeysWithValues: summaries.map { ($0.metric, $0.standardDeviation) }),
                             forKey: Key("standardDeviation"))
        try container.encode(seconds, forKey: Key("seconds"))
        let fixed: Set = ["model", "dataset", "split", "folds", "seed", "perFold", "mean", "standardDeviation", "seconds"]
        for summary in summaries where !fixed.contains(summary.metric) { try container.encode(summary.mean, forKey: Key(summary.metric)) }
    }
}

extension Benchmark {
    /// k-fold cross-validation: for each fold of ``Splitter/folds(_:folds:seed:)``, fits
    /// `configuration` on the other folds and scores it on that one
    /// (``fitAndEvaluate(_:on:seed:threads:evaluator:name:repetitions:)``), then summarises each
    /// metric over the folds.
    ///
    /// With more than one thread the folds run side by side (up to `threads` at once, each fit
    /// and evaluation on its share of the threads), so up to that many splits and models are
    /// held in memory at once; every fold's fit uses the same `seed`, and the figures do not
    /// depend on the thread count. The first error, in fold order, is thrown.
    ///
    /// - Parameters:
    ///   - configuration: what to fit.
    ///   - dataset: the interactions to split.
    ///   - folds: the number of folds, 2...100.
    ///   - splitSeed: the seed of the shuffle that makes the folds.
    ///   - seed: each fit's seed.
    ///   - threads: the fits' threads (nil: all cores).
    ///   - evaluator: how to score.
    ///   - name: the model's name in the reports (default: the configuration's label).
    /// - Returns: each fold's evaluation and the metrics' means and standard deviations.
    /// - Throws: ``SplitError`` for a bad number of folds, ``MemoryError`` or what a fit throws.
    /// - Complexity: k fits and evaluations, plus O(k · nnz) to split.
    public static func crossValidate(_ configuration: any RecommenderConfiguration, on dataset: Dataset, folds: Int, splitSeed: UInt64,
                                     seed: UInt64, threads: Int? = nil, evaluator: Evaluator, name: String? = nil) throws -> CrossValidation {
        try KFold(folds: folds, fold: 1).validate()
        // Folds run side by side, each on its share of the threads: every fold's figures are
        // those of a fit on its share alone, which the thread count does not change.
        let total = max(1, threads ?? Parallel.defaultThreads)
        let workers = min(folds, total), inner = max(1, total / workers)
        let foldEvaluator = {
            var shared = evaluator
            if workers > 1 { shared.configuration.threads = inner }
            return shared
        }()
        let results = Mutex<[Int: Result<CrossValidation.Fold, any Error>]>([:])
        let run = { @Sendable (fold: Int) in
            let result = Result { () throws -> CrossValidation.Fold in
                let split = try Splitter.split(dataset, method: .kFold(folds: folds, fold: fold), seed: splitSeed)
                let outcome = try fitAndEvaluate(configuration, on: split, seed: seed, threads: workers > 1 ? inner : threads,
                                                 evaluator: foldEvaluator, name: name)
                return CrossValidation.Fold(fold: fold, split: split.report, report: outcome.report,
                                            fitSeconds: outcome.fitSeconds, evaluateSeconds: outcome.evaluateSeconds)
            }
            results.withLock { $0[fold] = result }
        }
        if workers > 1 {
            Parallel.forEach(count: folds, threads: workers) { run($0 + 1) }
        } else {
            for fold in 1...folds { run(fold) }
        }
        let perFold = try results.withLock { finished in try (1...folds).map { try finished[$0]!.get() } }
        return CrossValidation(model: name ?? configuration.label, dataset: dataset.name, folds: folds, seed: splitSeed, perFold: perFold)
    }

    /// ``crossValidate(_:on:folds:splitSeed:seed:threads:evaluator:name:)`` for a built-in algorithm.
    public static func crossValidate(_ algorithm: Algorithm, on dataset: Dataset, folds: Int, splitSeed: UInt64, seed: UInt64,
                                     threads: Int? = nil, evaluator: Evaluator, name: String? = nil) throws -> CrossValidation {
        try crossValidate(algorithm.configuration, on: dataset, folds: folds, splitSeed: splitSeed, seed: seed, threads: threads,
                          evaluator: evaluator, name: name)
    }
}
