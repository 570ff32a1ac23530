import Foundation
import RecBenchKernels

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
    /// Spark MLlib's implicit ALS: confidence 1 + α·r, λ scaled by each row's interactions.
    case als(rank: Int, lambda: Double, alpha: Double, iterations: Int)

    public var description: String {
        switch self {
        case .mostListened: return "most-listened"
        case .als(let rank, let lambda, let alpha, let iterations): return "ALS (\(rank), \(lambda), \(alpha)) x\(iterations)"
        }
    }

    /// The AUC a Spark-era solution published for this model on the full dump (5 iterations), if any.
    public var publishedAUC: Double? {
        switch self {
        case .mostListened: return 0.9524
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
    public var rows: [LabRow]
}

/// The protocol of *Advanced Analytics with Spark*, chapter 3, and the EURECOM music lab: a 90/10
/// random row split, the sampled AUC of the book's `areaUnderCurve`, most-listened and ALS models.
public enum CourseLab {
    /// Runs the lab on `dataset` (aliases already applied, duplicates summed).
    public static func run(_ dataset: Dataset, models: [LabModel], policy: UnknownItemPolicy = .lowest,
                           splitSeed: UInt64 = 54321, negativeSeeds: [UInt64] = [1, 2, 3, 4, 5], fitSeed: UInt64 = 1) throws -> LabReport {
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
        var rows: [LabRow] = []
        for model in models {
            let fitted: any TrainedModel
            switch model {
            case .mostListened:
                fitted = try PopularityConfiguration(measure: .plays).fit(split.trainDataset, seed: fitSeed)
            case .als(let rank, let lambda, let alpha, let iterations):
                fitted = try ALSConfiguration(factors: rank, iterations: iterations, regularization: lambda, alpha: alpha,
                                              regularizationScaling: .byInteractions, solver: .cholesky).fit(split.trainDataset, seed: fitSeed)
            }
            let withPolicy = PolicyModel(model: fitted, unknown: unknown, policy: policy)
            let sampled = LabAUC.perUser(split: split, seeds: negativeSeeds) { withPolicy.row(user: $0) }.map { values in
                let kept = values.filter { !$0.isNaN }
                return kept.reduce(0, +) / Double(max(kept.count, 1))
            }
            let report = Evaluator(EvaluationConfiguration(metrics: [.auc, .ndcg(10)], bootstrapResamples: 0)).evaluate(withPolicy, on: split)
            rows.append(LabRow(model: model.description, publishedAUC: model.publishedAUC,
                               sampledAUC: sampled.reduce(0, +) / Double(sampled.count),
                               sampledAUCMin: sampled.min() ?? 0, sampledAUCMax: sampled.max() ?? 0,
                               fullAUC: report.mean(.auc) ?? 0, ndcg10: report.mean(.ndcg(10)) ?? 0))
        }
        return LabReport(dataset: dataset.name, policy: policy, splitSeed: splitSeed, negativeSeeds: negativeSeeds,
                         users: split.evaluatedUsers.count, heldOutRows: split.evaluatedUsers.reduce(0) { $0 + split.testItems(of: Int($1)).count },
                         unknownHeldOutRows: unknownRows, aucCeiling: ceilingSum / Double(max(split.evaluatedUsers.count, 1)), rows: rows)
    }
}

/// Applies an unknown-artist policy to a model's scores.
///
/// `lowest` and `nan-high` put unknown artists below or above every finite score (ties among
/// them count as wrong in the lab's AUC); `drop` removes them from every candidate set.
struct PolicyModel: TrainedModel {
    let model: any TrainedModel
    let unknown: [Bool]
    let policy: UnknownItemPolicy

    var itemCount: Int { model.itemCount }

    var unknownScore: Float {
        switch policy {
        case .lowest: return -Float.greatestFiniteMagnitude
        case .nanHigh: return Float.greatestFiniteMagnitude
        case .drop: return -Float.infinity
        }
    }

    func scores(for users: ArraySlice<Int32>, into scores: UnsafeMutablePointer<Float>) {
        model.scores(for: users, into: scores)
        let value = unknownScore
        for row in 0..<users.count {
            for item in 0..<itemCount where unknown[item] { scores[row * itemCount + item] = value }
        }
    }

    /// Every item's score for one user (−∞ for dropped items, which the lab's AUC skips).
    func row(user: Int32) -> [Float] {
        var all = [Float](repeating: 0, count: itemCount)
        all.withUnsafeMutableBufferPointer { scores(for: [user][...], into: $0.baseAddress!) }
        return all
    }
}
