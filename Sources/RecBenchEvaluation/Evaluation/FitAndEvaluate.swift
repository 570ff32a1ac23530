import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
/// The one "fit → time → evaluate" sequence that `recbench run`, `evaluate`, `bench fit`, the
/// course lab and the experiment runner share.
public enum Benchmark {
    /// A fitted and scored model with the time of each step.
    public struct Outcome: Sendable {
        /// The trained model.
        public var model: any TrainedModel
        /// The evaluator's report.
        public var report: EvaluationReport
        /// Seconds spent fitting (the best of the repetitions).
        public var fitSeconds: Double
        /// Seconds spent evaluating.
        public var evaluateSeconds: Double
    }

    /// Checks that the evaluation fits in memory, fits `configuration` on the split's training
    /// part (`repetitions` times, keeping the best time and the last model), then scores it.
    ///
    /// - Parameters:
    ///   - configuration: what to fit (a built-in ``Algorithm`` or any configuration).
    ///   - split: the split to fit on and score.
    ///   - seed: the fit's seed.
    ///   - threads: the fit's threads (nil: all cores); the result does not depend on it.
    ///   - evaluator: how to score.
    ///   - name: the model's name in the report (default: the configuration's label).
    ///   - repetitions: fits to time (at least 1).
    /// - Throws: ``MemoryError`` or ``RatingEvaluationError`` before fitting, or what the fit throws.
    public static func fitAndEvaluate(_ configuration: any RecommenderConfiguration, on split: Split, seed: UInt64, threads: Int? = nil,
                                      evaluator: Evaluator, name: String? = nil, repetitions: Int = 1) throws -> Outcome {
        try evaluator.checkMemory(for: split)          // refuse before fitting, with the figures
        try evaluator.checkPredictsRatings(configuration)
        try ColdStart.check(configuration, on: split, evaluator: evaluator)
        var best = Double.infinity
        var model: (any TrainedModel)?
        for _ in 0..<max(1, repetitions) {
            model = nil
            let start = ContinuousClock.now
            model = try configuration.fit(split.trainDataset, seed: seed, threads: threads)
            best = min(best, (ContinuousClock.now - start).seconds)
        }
        let fitted = model!   // at least one repetition ran
        let evaluationStart = ContinuousClock.now
        let label = name ?? configuration.label
        let (scored, fallback) = try ColdStart.model(fitted, on: split, seed: seed, name: label)
        var report = evaluator.evaluate(scored, on: split, name: label)
        if let fallback {
            report.fallback = fallback
            report.notes.append("\(fallback.reason): ranked by \(fallback.fallback) for \(fallback.users) user(s)")
        }
        return Outcome(model: fitted, report: report, fitSeconds: best, evaluateSeconds: (ContinuousClock.now - evaluationStart).seconds)
    }

    /// ``fitAndEvaluate(_:on:seed:threads:evaluator:name:repetitions:)`` for a built-in algorithm.
    public static func fitAndEvaluate(_ algorithm: Algorithm, on split: Split, seed: UInt64, threads: Int? = nil,
                                      evaluator: Evaluator, name: String? = nil, repetitions: Int = 1) throws -> Outcome {
        try fitAndEvaluate(algorithm.configuration, on: split, seed: seed, threads: threads, evaluator: evaluator, name: name, repetitions: repetitions)
    }
}
