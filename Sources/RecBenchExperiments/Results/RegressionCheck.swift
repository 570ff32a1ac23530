import Foundation
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation

/// Compares a leaderboard with a committed baseline: the CI regression gate.
///
/// A metric of an algorithm regresses when it moved the wrong way by more than the tolerance:
/// a higher-is-better metric fell, a lower-is-better one (``Leaderboard/direction(of:)``) rose.
/// The tolerance follows numpy's `isclose`: `absolute + relative × |baseline|`. An algorithm of
/// the baseline that is missing now counts as a regression of each of its metrics.
public struct RegressionCheck: Sendable {
    /// One metric that fell too far.
    public struct Regression: Sendable, Equatable, CustomStringConvertible {
        public var algorithm: String
        public var metric: String
        public var baseline: Double
        /// The current value (nil: the algorithm or metric is missing).
        public var current: Double?
        public var allowed: Double
        /// The metric's direction (a regression of a lower-is-better metric is a rise).
        public var direction: MetricDirection = .higherIsBetter

        public var description: String {
            guard let current else { return "\(algorithm) \(metric): missing (baseline \(String(format: "%.4f", baseline)))" }
            let (sign, verb) = direction == .higherIsBetter ? ("<", "fell") : (">", "rose, lower is better:")
            return "\(algorithm) \(metric): \(String(format: "%.4f", current)) \(sign) baseline \(String(format: "%.4f", baseline))"
                + " (\(verb) \(String(format: "%.4f", abs(baseline - current))), tolerance \(String(format: "%.4f", allowed)))"
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
                let direction = baseline.direction(of: metric)
                guard let currentValue = now?.metrics[metric] else {
                    regressions.append(Regression(algorithm: old.algorithm, metric: metric, baseline: value, current: nil, allowed: allowed,
                                                  direction: direction))
                    continue
                }
                // How far the value moved the wrong way.
                let worsened = direction == .higherIsBetter ? value - currentValue : currentValue - value
                if worsened > allowed {
                    regressions.append(Regression(algorithm: old.algorithm, metric: metric, baseline: value, current: currentValue,
                                                  allowed: allowed, direction: direction))
                }
            }
        }
        return (regressions, compared)
    }
}
