import RecBenchKernels
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms

/// What the rating predictions of an evaluation came to: how many, how many fell back, how
/// many were clipped, and to which scale.
public struct RatingPredictionCounts: Codable, Sendable, Equatable {
    /// Held-out ratings predicted (every entry of the test part).
    public var predictions: Int
    /// Predictions the model could not make (unknown user or item, too few neighbours), given
    /// the fallback instead.
    public var fallbacks: Int
    /// Predictions outside the scale, clipped to it.
    public var clipped: Int
    /// The scale predictions were clipped to.
    public var scale: RatingScale
    /// The fallback prediction (the training ratings' mean).
    public var fallbackRating: Double
}

/// Why a rating evaluation cannot run.
public enum RatingEvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The metrics need predicted ratings, and the model predicts none (a ranking-only model).
    case notARatingModel(model: String, metrics: [String])

    public var description: String {
        switch self {
        case let .notARatingModel(model, metrics):
            return "\(metrics.joined(separator: ", ")) \(metrics.count == 1 ? "needs" : "need") predicted ratings, and \(model) only ranks items; "
                + "use a rating algorithm (\(Algorithm.ratingTypeNames.joined(separator: ", "))) or ranking metrics"
        }
    }
}

extension Algorithm {
    /// The built-in types whose models predict ratings (``RatingModel``), from a fit on a tiny
    /// rating set: no list to keep in step.
    public static var ratingTypeNames: [String] { types.filter { $0.predictsRatings }.map { $0.typeName } }
}

extension RecommenderConfiguration {
    /// Whether this type's models predict ratings (its `Model` is a ``RatingModel``).
    public static var predictsRatings: Bool { Model.self is any RatingModel.Type }
}

extension Evaluator {
    /// Throws unless `configuration`'s models predict ratings or no metric needs them: called
    /// before fitting, so that a ranking-only algorithm asked for RMSE fails at once.
    ///
    /// - Throws: ``RatingEvaluationError/notARatingModel(model:metrics:)``.
    public func checkPredictsRatings(_ configuration: some RecommenderConfiguration) throws(RatingEvaluationError) {
        let wanted = ratingMetrics.map(\.name)
        guard wanted.isEmpty || type(of: configuration).predictsRatings else {
            throw .notARatingModel(model: configuration.label, metrics: wanted)
        }
    }

    /// The configuration's rating metrics (RMSE, MAE, FCP).
    package var ratingMetrics: [any RatingMetric] { configuration.metrics.compactMap { $0.definition as? any RatingMetric } }

    /// Predicts every held-out rating of `split` (every test entry, of every user, known or not):
    /// the model's estimate, or its fallback where it gives none, clipped to `scale`.
    ///
    /// Users are shared among threads; each prediction lands at its test entry's position, so
    /// the result does not depend on the thread count.
    /// - Complexity: one ``RatingModel/estimate(user:item:)`` per test entry.
    package func predictRatings(_ model: any RatingModel, on split: Split, scale: RatingScale) -> (RatingPredictions, RatingPredictionCounts) {
        let test = split.test
        let n = test.nonZeroCount
        var users = [Int32](repeating: 0, count: n)
        var predicted = [Double](repeating: 0, count: n)
        var fallback = [UInt8](repeating: 0, count: n)
        let fallbackRating = model.fallbackRating
        predicted.withUnsafeMutableBufferPointer { p in
            fallback.withUnsafeMutableBufferPointer { f in
                users.withUnsafeMutableBufferPointer { u in
                    let out = SendableMutablePointer(p.baseAddress!), fell = SendableMutablePointer(f.baseAddress!)
                    let owner = SendableMutablePointer(u.baseAddress!)
                    guard n > 0 else { return }
                    Parallel.forEachRange(count: test.rowCount, pieces: 64, threads: configuration.threads) { rows in
                        for user in rows {
                            for position in test.range(ofRow: user) {
                                owner.pointer[position] = Int32(user)
                                if let estimate = model.estimate(user: UserIndex(user), item: ItemIndex(Int(test.columns[position]))) {
                                    out.pointer[position] = estimate
                                } else {
                                    out.pointer[position] = fallbackRating
                                    fell.pointer[position] = 1
                                }
                            }
                        }
                    }
                }
            }
        }
        var clipped = 0
        for p in 0..<n {
            let value = scale.clip(predicted[p])
            if value != predicted[p] { clipped += 1 }
            predicted[p] = value
        }
        let actual = test.values.map(Double.init)
        let counts = RatingPredictionCounts(predictions: n, fallbacks: fallback.reduce(0) { $0 + Int($1) }, clipped: clipped,
                                            scale: scale, fallbackRating: fallbackRating)
        return (RatingPredictions(users: users, actual: actual, predicted: predicted), counts)
    }
}

extension Split {
    /// The rating scale of the split: the smallest and largest rating of train and test.
    public var ratingScale: RatingScale? { RatingScale(spanning: train.values + test.values) }

    /// The split with only the test entries rated at least `threshold` (the relevant ones of
    /// ranking metrics on a rating task), and only the evaluated users who keep one.
    ///
    /// - Complexity: O(test entries).
    public func relevant(atLeast threshold: Double) -> Split {
        var offsets = [0]
        var columns: [Int32] = [], values: [Float] = []
        var keptTimes: [Int] = []
        for user in 0..<test.rowCount {
            for position in test.range(ofRow: user) where Double(test.values[position]) >= threshold {
                columns.append(test.columns[position])
                values.append(test.values[position])
                keptTimes.append(position)
            }
            offsets.append(columns.count)
        }
        var result = self
        result.test = InteractionMatrix(rowCount: test.rowCount, columnCount: test.columnCount, rowOffsets: offsets, columns: columns, values: values)
        result.testTimes = testTimes?.gathering(keptTimes)
        result.evaluatedUsers = evaluatedUsers.filter { offsets[Int($0) + 1] > offsets[Int($0)] }
        return result
    }
}

extension Evaluator {
    /// Evaluates a configuration with rating metrics, or with a relevance threshold: the ranking
    /// metrics on the split's relevant entries (when there are any ranking metrics), then the
    /// rating metrics over every held-out rating; summaries in the configuration's order.
    package func evaluateWithRatings(_ model: some TrainedModel, on split: Split, name: String) -> EvaluationReport {
        let start = ContinuousClock.now
        var ranking = self
        ranking.configuration.metrics = configuration.metrics.filter { !($0.definition is any RatingMetric) }
        ranking.configuration.relevanceThreshold = nil
        let rankingSplit = configuration.relevanceThreshold.map { split.relevant(atLeast: $0) } ?? split
        var report: EvaluationReport
        if ranking.configuration.metrics.isEmpty && configuration.keepRanking == 0 {
            report = ranking.collecting(rankingSplit, name: name) { _ in }
            report.beyondAccuracy = [:]
            // Nobody is ranked: the notes on users left out of the ranking do not apply.
            report.notes.removeAll { $0.contains("user(s) excluded") }
            report.rankings = []
            report.rankingScores = []
            report.depth = 0
        } else {
            report = ranking.evaluateRanking(model, on: rankingSplit, name: name)
        }
        if let threshold = configuration.relevanceThreshold, !ranking.configuration.metrics.isEmpty {
            report.notes.append("ranking metrics count held-out ratings >= \(threshold) as relevant (\(rankingSplit.test.nonZeroCount) of "
                                + "\(split.test.nonZeroCount)); \(rankingSplit.evaluatedUsers.count) user(s) have one")
        }
        let wanted = ratingMetrics
        var values: [String: Double] = [:]
        if !wanted.isEmpty {
            if let ratingModel = model as? any RatingModel {
                let scale = configuration.ratingScale ?? split.ratingScale ?? RatingScale(unchecked: 0, upper: 0)
                let (predictions, counts) = predictRatings(ratingModel, on: split, scale: scale)
                report.ratingPredictions = counts
                for metric in wanted { values[metric.name] = metric.value(over: predictions) ?? .nan }
                report.notes.append("\(counts.predictions) held-out rating(s) predicted; \(counts.fallbacks) fell back to the training mean "
                                    + "\(counts.fallbackRating) (unknown user or item, or no neighbour); \(counts.clipped) clipped to \(scale)")
            } else {
                for metric in wanted { values[metric.name] = .nan }
                report.notes.append("\(name) predicts no ratings: \(wanted.map(\.name).joined(separator: ", ")) not measured")
            }
        }
        let ranked = Dictionary(report.summaries.map { ($0.metric, $0) }) { first, _ in first }
        report.summaries = configuration.metrics.compactMap { metric in
            if let value = values[metric.name] { return EvaluationReport.Summary(metric: metric.name, mean: value, lower: value, upper: value) }
            return ranked[metric.name]
        }
        report.seconds = (ContinuousClock.now - start).seconds
        return report
    }
}
