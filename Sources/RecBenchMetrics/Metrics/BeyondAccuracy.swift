import Foundation
import RecBenchCore

/// Measures of the top-k lists beyond accuracy (docs/metrics.md, "Beyond accuracy"), each a
/// ``ListMetric`` that can be selected, reported, used for selection and gated:
///
/// - `coverage@k`: distinct items in the top-k lists / items in the catalogue (higher is better).
/// - `meanPopularity@k`: mean, over every recommended slot, of the item's number of training
///   users (lower is better: less popularity bias).
/// - `novelty@k`: mean self-information −log2((pop + 1) / (U + 1)) of recommended items
///   (higher is better).
/// - `gini@k`: Gini coefficient of how often each catalogue item is recommended (lower is
///   better: recommendations spread more evenly).
public struct BeyondAccuracyMetric: ListMetric {
    /// Which figure.
    public enum Figure: String, Sendable, Hashable, CaseIterable {
        case coverage, meanPopularity, novelty, gini

        /// The figure's direction.
        public var direction: MetricDirection {
            switch self {
            case .coverage, .novelty: return .higherIsBetter
            case .meanPopularity, .gini: return .lowerIsBetter
            }
        }
    }

    /// Which figure.
    public var figure: Figure
    /// The cutoff: the top k of each list.
    public var k: Int
    /// The figure over the top `k` of each list.
    public init(_ figure: Figure, k: Int) {
        self.figure = figure
        self.k = k
    }

    public var name: String { "\(figure.rawValue)@\(k)" }
    public var cutoff: Int? { k }
    public var direction: MetricDirection { figure.direction }
    public var needs: MetricInput { .recommendationLists }

    public func value(over lists: RecommendationLists) -> Double? {
        BeyondAccuracy.figures(lists, cutoff: min(k, lists.depth))?[figure]
    }
}

/// The beyond-accuracy figures of a set of top-k lists, computed in one pass.
public enum BeyondAccuracy {
    /// Every figure of the lists' top `k` (`nil` when no slot holds an item).
    ///
    /// - Complexity: O(users × k + items log items).
    public static func figures(_ lists: RecommendationLists, cutoff k: Int) -> [BeyondAccuracyMetric.Figure: Double]? {
        let depth = lists.depth, rankings = lists.rankings, popularity = lists.popularity
        guard depth > 0, k > 0 else { return nil }
        let userCount = Double(lists.userCount)
        var counts = [Int](repeating: 0, count: popularity.count)
        var slots = 0, popularitySum = 0.0, information = 0.0
        for start in stride(from: 0, to: rankings.count, by: depth) {
            for item in rankings[start..<(start + k)] where item >= 0 {
                counts[Int(item)] += 1
                slots += 1
                let pop = Double(popularity[Int(item)])
                popularitySum += pop
                information += -log2((pop + 1) / (userCount + 1))
            }
        }
        guard slots > 0 else { return nil }
        return [
            .coverage: Double(counts.filter { $0 > 0 }.count) / Double(popularity.count),
            .meanPopularity: popularitySum / Double(slots),
            .novelty: information / Double(slots),
            .gini: Inequality.gini(counts.map(Double.init)),
        ]
    }

    /// The figures as the report's name → value table (`coverage@k`, …; empty when no slot holds an item).
    package static func measure(rankings: [Int32], depth: Int, cutoff k: Int, train: InteractionMatrix) -> [String: Double] {
        let lists = RecommendationLists(rankings: rankings, depth: depth, popularity: train.columnLengths, userCount: train.rowCount)
        guard let figures = figures(lists, cutoff: k) else { return [:] }
        var out: [String: Double] = [:]
        for (figure, value) in figures { out["\(figure.rawValue)@\(k)"] = value }
        return out
    }
}
