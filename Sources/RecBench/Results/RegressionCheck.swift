import Foundation

/// Compares a leaderboard with a committed baseline: the CI regression gate.
///
/// A metric of an algorithm regresses when it fell by more than the tolerance, where the
/// tolerance follows numpy's `isclose`: `absolute + relative × |baseline|`. An algorithm of
/// the baseline that is missing now counts as a regression of each of its metrics. Every
/// metric is taken as higher-is-better, as all of RecBench's accuracy metrics are.
public struct RegressionCheck: Sendable {
    /// One metric that fell too far.
    public struct Regression: Sendable, Equatable, CustomStringConvertible {
        public var algorithm: String
        public var metric: String
        public var baseline: Double
        /// The current value (nil: the algorithm or metric is missing).
        public var current: Double?
        public var allowed: Double

        public var description: String {
            guard let current else { return "\(algorithm) \(metric): missing (baseline \(String(format: "%.4f", baseline)))" }
            return "\(algorithm) \(metric): \(String(format: "%.4f", current)) < baseline \(String(format: "%.4f", baseline))"
                + " (fell \(String(format: "%.4f", baseline - current)), tolerance \(String(format: "%.4f", allowed)))"
        }
    }

    public var absolute: Double
    public var relative: Double

    /// Creates a check with the tolerances.
    public init(absolute: Double, relative: Double) {
        self.absolute = absolute
        self.relative = relative
    }

    /// The regressions of `current` against `baseline`, and how many metrics were compared.
    public func compare(baseline: Leaderboard, current: Leaderboard) -> (regressions: [Regression], compared: Int) {
        var regressions: [Regression] = []
        var compared = 0
        for old in baseline.rows {
            let now = current.rows.first { $0.algorithm == old.algorithm }
            for (metric, value) in old.metrics.sorted(by: { $0.key < $1.key }) {
                compared += 1
                let allowed = absolute + relative * abs(value)
                guard let currentValue = now?.metrics[metric] else {
                    regressions.append(Regression(algorithm: old.algorithm, metric: metric, baseline: value, current: nil, allowed: allowed))
                    continue
                }
                if value - currentValue > allowed {
                    regressions.append(Regression(algorithm: old.algorithm, metric: metric, baseline: value, current: currentValue, allowed: allowed))
                }
            }
        }
        return (regressions, compared)
    }
}
