import Foundation
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation

/// How a range is spaced.
public enum RangeScale: String, Codable, Hashable, Sendable { case linear, log }

/// The values a hyperparameter may take in a sweep.
public enum ParameterSpace: Codable, Hashable, Sendable {
    /// These values (one value: fixed).
    case values([ParameterValue])
    /// A numeric range: `steps` evenly spaced points for a grid, uniform (or log-uniform) draws for random search.
    case range(min: Double, max: Double, scale: RangeScale, steps: Int?, integer: Bool)

    /// Whether the space holds more than one value.
    public var isSwept: Bool {
        switch self {
        case .values(let v): return v.count > 1
        case .range(let lo, let hi, _, let steps, _): return lo != hi && (steps ?? 2) > 1
        }
    }

    /// The grid points (a range needs `steps`).
    package func gridValues() -> [ParameterValue] {
        switch self {
        case .values(let v): return v
        case let .range(lo, hi, scale, steps, integer):
            let n = steps ?? 2
            var points: [ParameterValue] = []
            var seen: Set<ParameterValue> = []
            for k in 0..<n {
                let t = n == 1 ? 0 : Double(k) / Double(n - 1)
                let x = scale == .log ? exp(log(lo) + t * (log(hi) - log(lo))) : lo + t * (hi - lo)
                let value: ParameterValue = integer ? .integer(Self.integer(x)) : .double(Self.tidy(x))
                if seen.insert(value).inserted { points.append(value) }
            }
            return points
        }
    }

    /// One random draw.
    package func draw(using rng: inout SeededGenerator) -> ParameterValue {
        switch self {
        case .values(let v): return v[rng.nextInt(below: v.count)]
        case let .range(lo, hi, scale, _, integer):
            let t = rng.nextUnit()
            let x = scale == .log ? exp(log(lo) + t * (log(hi) - log(lo))) : lo + t * (hi - lo)
            return integer ? .integer(Self.integer(x)) : .double(Self.tidy(x))
        }
    }

    /// `x` rounded to the nearest integer, saturated at `Int`'s bounds instead of trapping
    /// (experiment files keep integer ranges within their parameter's limits, so this only
    /// guards ranges built in code).
    package static func integer(_ x: Double) -> Int {
        let value = x.rounded()
        if let exact = Int(exactly: value) { return exact }
        return value > 0 ? Int.max : Int.min   // beyond Int, or NaN from NaN bounds
    }

    /// How many distinct values this space gives: a grid's points (for a range, at most
    /// `steps`; fewer when integer points coincide), or for random draws the integers of an
    /// integer range, and `nil` for a continuous one.
    ///
    /// - Complexity: O(steps) for a grid range (its points are computed), O(1) otherwise.
    package func distinctValues(grid: Bool) -> Int? {
        switch self {
        case .values(let v): return v.count
        case let .range(lo, hi, _, _, integer):
            if grid { return gridValues().count }
            if lo == hi { return 1 }
            guard integer else { return nil }
            let width = hi.rounded() - lo.rounded() + 1
            return width >= 9e18 || !width.isFinite ? Int.max : max(1, Int(width))
        }
    }

    /// Rounds to 6 significant digits, so grid points print and compare cleanly.
    package static func tidy(_ x: Double) -> Double { Double(String(format: "%.6g", x)) ?? x }
}

/// How configurations are drawn from the spaces.
public enum SearchStrategy: Codable, Hashable, Sendable {
    /// Every combination.
    case grid
    /// `samples` seeded draws (duplicates dropped).
    case random(samples: Int, seed: UInt64)

    /// The configurations a sweep may plan unless it says otherwise (experiment files: the
    /// `search.max_configurations` key), over all the algorithms of an experiment.
    public static let defaultConfigurationLimit = 10_000
    /// The most configurations any sweep may plan, whatever it says: every one is at least one fit.
    public static let configurationLimitCeiling = 1_000_000

    /// The configurations, in a fixed order: each maps parameter names to values.
    ///
    /// Builds every one of them: check ``configurationCount(_:)`` against a limit first.
    /// - Complexity: O(count · parameters) for a grid; O(samples · parameters) expected for
    ///   random search (duplicates are found by hashing).
    public func configurations(_ spaces: [String: ParameterSpace]) -> [[String: ParameterValue]] {
        let named = spaces.sorted { $0.key < $1.key }
        switch self {
        case .grid:
            var result: [[String: ParameterValue]] = [[:]]
            for (name, space) in named {
                let values = space.gridValues()
                result = result.flatMap { partial in values.map { value in partial.merging([name: value]) { $1 } } }
            }
            return result
        case let .random(samples, seed):
            var rng = SeededGenerator(seed: seed)
            var result: [[String: ParameterValue]] = []
            var seen: Set<[String: ParameterValue]> = []
            for _ in 0..<samples {
                var configuration: [String: ParameterValue] = [:]
                for (name, space) in named { configuration[name] = space.draw(using: &rng) }
                if seen.insert(configuration).inserted { result.append(configuration) }
            }
            return result
        }
    }

    /// The number of configurations ``configurations(_:)`` gives at most, computed without
    /// building them and saturated at `Int.max`: a grid's product of point counts; for random
    /// search, `samples`, or fewer when the spaces hold fewer distinct combinations.
    ///
    /// - Complexity: O(Σ steps) for a grid, O(parameters) for random search.
    public func configurationCount(_ spaces: [String: ParameterSpace]) -> Int {
        switch self {
        case .grid:
            return Saturating.product(spaces.values.map { $0.distinctValues(grid: true) ?? Int.max })
        case .random(let samples, _):
            var combinations = 1
            for space in spaces.values {
                guard let count = space.distinctValues(grid: false) else { return samples }
                combinations = Saturating.product(combinations, count)
            }
            return min(samples, combinations)
        }
    }
}
