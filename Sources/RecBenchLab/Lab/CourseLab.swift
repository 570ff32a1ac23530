import Foundation
import RecBenchKernels
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation

/// What the lab does with held-out artists that appear nowhere in training (no model can score them).
public enum UnknownItemPolicy: String, Codable, Hashable, Sendable, CaseIterable {
    /// They rank below every known artist (the default).
    case lowest
    /// Pairs that involve them are left out (what the 1st edition's RDD `predict` silently did).
    case drop
    /// They rank above every known artist, as NaN does in the 2nd edition's DataFrames.
    case nanHigh = "nan-high"
}

/// One model of the lab's table.
public enum LabModel: Codable, Hashable, Sendable, CustomStringConvertible {
    /// `predictMostListened`: total plays in training.
    case mostListened
    /// Seeded random scores: the floor any figure should be read against.
    case random
    /// Spark MLlib's implicit ALS: confidence 1 + α·r, λ scaled by each row's interactions.
    case als(rank: Int, lambda: Double, alpha: Double, iterations: Int)

    public var description: String {
        switch self {
        case .mostListened: return "most-listened"
        case .random: return "random"
        case .als(let rank, let lambda, let alpha, let iterations): return "ALS (\(rank), \(lambda), \(alpha)) x\(iterations)"
        }
    }

    /// The AUC a Spark-era solution published for this model on the full dump (5 iterations), if any.
    public var publishedAUC: Double? {
        switch self {
        case .mostListened: return 0.9524
        case .random: return nil
        case .als(let rank, let lambda, let alpha, _):
            let table: [String: Double] = [
                "10 0.01 1.0": 0.9660, "50 1.0 40.0": 0.9763, "10 1.0 40.0": 0.9759, "10 0.0001 40.0": 0.9757,
                "50 0.0001 40.0": 0.9751, "10 1.0 1.0": 0.9684, "50 1.0 1.0": 0.9673, "10 0.0001 1.0": 0.9655,
                "50 0.0001 1.0": 0.9535,
            ]
            return table["\(rank) \(lambda) \(alpha)"]
        }
    }

    /// The book's first model and its 1st-edition grid (10 iterations).
    public static let firstEdition: [LabModel] = [.mostListened, .als(rank: 10, lambda: 0.01, alpha: 1.0, iterations: 5)]
        + [10, 50].flatMap { rank in [1.0, 0.0001].flatMap { lambda in [1.0, 40.0].map { alpha in
            LabModel.als(rank: rank, lambda: lambda, alpha: alpha, iterations: 10) } } }

    /// The 2nd-edition grid (20 iterations).
    public static let secondEdition: [LabModel] = [.mostListened]
        + [5, 30].flatMap { rank in [1.0, 0.0001].flatMap { lambda in [1.0, 40.0].map { alpha in
            LabModel.als(rank: rank, lambda: lambda, alpha: alpha, iterations: 20) } } }
}

/// One row of the lab's table.
public struct LabRow: Codable, Sendable {
    public var model: String
    public var publishedAUC: Double?
    /// The lab's sampled AUC, mean over the negative seeds, and its range.
    public var sampledAUC: Double
    public var sampledAUCMin: Double
    public var sampledAUCMax: Double
    /// AUC over all negatives (what the sampled AUC estimates) and NDCG@10, full ranking.
    public var fullAUC: Double
    public var ndcg10: Double
    /// The 2019 notebook's figure (`--compat 2019`): not a valid AUC (see ``LabAUC/compat2019(split:scores:)``).
    public var compat2019: Double?
}

/// Another engine's predictions for the lab's split, scored with the same negatives and policy.
public struct LabRun: Sendable {
    /// The row's name in the table.
    public var name: String
    /// Scores by raw user id, then raw artist id; artists not listed score below every listed one.
    public var scores: [String: [String: Double]]

    /// Creates the run.
    public init(name: String, scores: [String: [String: Double]]) {
        self.name = name
        self.scores = scores
    }

    /// A TREC run file's rankings (`user Q0 item rank score tag`) as a lab run.
    public init(name: String, trec: TrecRun) {
        self.name = name
        var scores: [String: [String: Double]] = [:]
        for (user, ranking) in trec.textRankings {
            var row: [String: Double] = [:]
            for (item, score) in ranking { row[item] = score }
            scores[user] = row
        }
        self.scores = scores
    }
}

/// The lab's result: the table and what the unknown artists imply.
public struct LabReport: Codable, Sendable {
    public var dataset: String
    public var policy: UnknownItemPolicy
    public var splitSeed: UInt64
    public var negativeSeeds: [UInt64]
    public var users: Int
    public var heldOutRows: Int
    /// Held-out rows whose artist appears nowhere in training.
    public var unknownHeldOutRows: Int
    /// The best sampled AUC any model can reach under `lowest`: the mean share of known positives.
    public var aucCeiling: Double
    /// Users over which full AUC and NDCG@10 were computed (all, or a seeded sample on large data).
    public var fullMetricUsers: Int
    public var rows: [LabRow]
}

/// The protocol of *Advanced Analytics with Spark*, chapter 3, and the EURECOM music lab: a 90/10
/// random row split, the sampled AUC of the book's `areaUnderCurve`, most-listened and ALS models.
public enum CourseLab {
    /// Runs the lab on `dataset` (aliases already applied, duplicates summed).
    ///
    /// - Parameters:
    ///   - runs: other engines' predictions on the same split, scored like the models.
    ///   - compat2019: also compute the 2019 notebook's figure for each row.
    ///   - fullMetricUsers: full AUC and NDCG@10 rank the whole catalogue per user; above this many
    ///     evaluated users they use a seeded sample of this many (the sampled AUC always uses all).
    public static func run(_ dataset: Dataset, models: [LabModel], runs: [LabRun] = [], policy: UnknownItemPolicy = .lowest,
                           splitSeed: UInt64 = 54321, negativeSeeds: [UInt64] = [1, 2, 3, 4, 5], fitSeed: UInt64 = 1,
                           compat2019: Bool = false, fullMetricUsers: Int = 5000) throws -> LabReport {
        let split = try Splitter.split(dataset, method: .globalRandom(fraction: 0.1), seed: splitSeed)
        let trainCounts = split.train.columnLengths
        let unknown = trainCounts.map { $0 == 0 }
        var unknownRows = 0
        var ceilingSum = 0.0
        for user in split.evaluatedUsers {
            let test = split.testItems(of: Int(user))
            let unknownHere = test.filter { unknown[Int($0)] }.count
            unknownRows += unknownHere
            ceilingSum += Double(test.count - unknownHere) / Double(test.count)
        }
        var sample = split
        if split.evaluatedUsers.count > fullMetricUsers {
            var rng = SeededGenerator(seed: splitSeed, stream: 99)
            sample.evaluatedUsers = Array(split.evaluatedUsers.shuffled(using: &rng).prefix(fullMetricUsers)).sorted()
        }
        // Each row's model is made, scored and released before the next (a rank-50 model of the
        // full dump holds about a gigabyte of factors).
        var rowModels: [(name: String, published: Double?, make: () throws -> any TrainedModel)] = []
        for model in models {
            switch model {
            case .mostListened:
                rowModels.append((model.description, model.publishedAUC, { try PopularityConfiguration(measure: .plays).fit(split.trainDataset, seed: fitSeed) }))
            case .random:
                rowModels.append((model.description, nil, { try RandomConfiguration().fit(split.trainDataset, seed: fitSeed) }))
            case .als(let rank, let lambda, let alpha, let iterations):
                rowModels.append((model.description, model.publishedAUC, {
                    try ALSConfiguration(factors: rank, iterations: iterations, regularization: lambda, alpha: alpha,
                                         regularizationScaling: .byInteractions, solver: .cholesky).fit(split.trainDataset, seed: fitSeed)
                }))
            }
        }
        for run in runs { rowModels.append((run.name, nil, { ExternalRunModel(run, split: split) })) }
        var rows: [LabRow] = []
        for (name, published, make) in rowModels {
            let withPolicy = PolicyModel(model: try make(), unknown: unknown, policy: policy)
            let sampled = LabAUC.perUser(split: split, seeds: negativeSeeds, scores: withPolicy.scores(user:items:)).map { values in
                let kept = values.filter { !$0.isNaN }
                return kept.reduce(0, +) / Double(max(kept.count, 1))
            }
            let report = Evaluator(EvaluationConfiguration(metrics: [.auc, .ndcg(10)], bootstrapResamples: 0)).evaluate(withPolicy, on: sample)
            rows.append(LabRow(model: name, publishedAUC: published,
                               sampledAUC: sampled.reduce(0, +) / Double(sampled.count),
                               sampledAUCMin: sampled.min() ?? 0, sampledAUCMax: sampled.max() ?? 0,
                               fullAUC: report.mean(.auc) ?? 0, ndcg10: report.mean(.ndcg(10)) ?? 0,
                               compat2019: compat2019 ? LabAUC.compat2019(split: split, scores: withPolicy.scores(user:items:)) : nil))
        }
        return LabReport(dataset: dataset.name, policy: policy, splitSeed: splitSeed, negativeSeeds: negativeSeeds,
                         users: split.evaluatedUsers.count, heldOutRows: split.evaluatedUsers.reduce(0) { $0 + split.testItems(of: Int($1)).count },
                         unknownHeldOutRows: unknownRows, aucCeiling: ceilingSum / Double(max(split.evaluatedUsers.count, 1)),
                         fullMetricUsers: sample.evaluatedUsers.count, rows: rows)
    }
}

/// Another engine's run as a model: listed (user, artist) pairs keep their score; anything
/// else scores below every listed pair.
package struct ExternalRunModel: TrainedModel {
    package let itemCount: Int
    /// Scores by dense user, then dense item.
    package let scores: [Int32: [Int32: Float]]

    package init(_ run: LabRun, split: Split) {
        itemCount = split.items.count
        var dense: [Int32: [Int32: Float]] = [:]
        for (rawUser, row) in run.scores {
            guard let user = split.users.position(of: rawUser) else { continue }
            var out: [Int32: Float] = [:]
            for (rawItem, score) in row { if let item = split.items.position(of: rawItem) { out[Int32(item)] = Float(score) } }
            dense[Int32(user)] = out
        }
        scores = dense
    }

    package static let unlisted = -Float.greatestFiniteMagnitude / 2

    package func scores(for users: UserBatch, into out: inout ScoreRows) {
        for (row, user) in users.enumerated() {
            let rowScores = out[row: row]
            rowScores.update(repeating: Self.unlisted)
            for (item, score) in scores[user.rawValue] ?? [:] { rowScores[Int(item)] = score }
        }
    }

    package func score(user: Int32, item: Int32) -> Float { scores[user]?[item] ?? Self.unlisted }
}

/// Applies an unknown-artist policy to a model's scores.
///
/// `lowest` and `nan-high` put unknown artists below or above every finite score (ties among
/// them count as wrong in the lab's AUC); `drop` removes them from every candidate set.
package struct PolicyModel: TrainedModel {
    package let model: any TrainedModel
    package let unknown: [Bool]
    package let policy: UnknownItemPolicy

    package var itemCount: Int { model.itemCount }

    package var unknownScore: Float {
        switch policy {
        case .lowest: return -Float.greatestFiniteMagnitude
        case .nanHigh: return Float.greatestFiniteMagnitude
        case .drop: return -Float.infinity
        }
    }

    package func scores(for users: UserBatch, into scores: inout ScoreRows) {
        model.scores(for: users, into: &scores)
        let value = unknownScore
        for row in 0..<users.count {
            let rowScores = scores[row: row]
            for item in 0..<itemCount where unknown[item] { rowScores[item] = value }
        }
    }

    /// The scores of `items` for `user`, with the policy applied (−∞ for dropped items, which the
    /// lab's AUC skips): pair by pair where the model allows it, else from the user's full row.
    package func scores(user: Int32, items: [Int32]) -> [Float] {
        let value = unknownScore
        let raw: [Float]
        switch model {
        case let pairs as any ChunkedScoring: raw = items.map { pairs.score(user: user, item: $0) }
        case let popularity as ItemScoreModel: raw = items.map { popularity.itemScores[Int($0)] }
        case let random as RandomModel: raw = items.map { random.score(user: user, item: $0) }
        case let external as ExternalRunModel: raw = items.map { external.score(user: user, item: $0) }
        default:
            var all = [Float](repeating: 0, count: itemCount)
            all.withUnsafeMutableBufferPointer { model.scores(for: [user][...], into: $0.baseAddress!) }
            raw = items.map { all[Int($0)] }
        }
        return zip(items, raw).map { unknown[Int($0)] ? value : $1 }
    }
}
