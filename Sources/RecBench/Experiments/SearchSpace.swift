import Foundation

/// One hyperparameter's value in a configuration.
public enum ParameterValue: Codable, Hashable, Sendable, CustomStringConvertible {
    case integer(Int)
    case double(Double)
    case string(String)
    /// A list of integers (layer widths).
    case integers([Int])

    public var description: String {
        switch self {
        case .integer(let i): return String(i)
        case .double(let d): return String(format: "%g", d)
        case .string(let s): return s
        case .integers(let list): return list.map(String.init).joined(separator: "→")
        }
    }

    /// The value as a number, for plots (nil for strings and lists).
    public var number: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .double(let d): return d
        case .string, .integers: return nil
        }
    }
}

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
    func gridValues() -> [ParameterValue] {
        switch self {
        case .values(let v): return v
        case let .range(lo, hi, scale, steps, integer):
            let n = steps ?? 2
            var points: [ParameterValue] = []
            for k in 0..<n {
                let t = n == 1 ? 0 : Double(k) / Double(n - 1)
                let x = scale == .log ? exp(log(lo) + t * (log(hi) - log(lo))) : lo + t * (hi - lo)
                let value: ParameterValue = integer ? .integer(Int(x.rounded())) : .double(Self.tidy(x))
                if !points.contains(value) { points.append(value) }
            }
            return points
        }
    }

    /// One random draw.
    func draw(using rng: inout SeededGenerator) -> ParameterValue {
        switch self {
        case .values(let v): return v[rng.nextInt(below: v.count)]
        case let .range(lo, hi, scale, _, integer):
            let t = rng.nextUnit()
            let x = scale == .log ? exp(log(lo) + t * (log(hi) - log(lo))) : lo + t * (hi - lo)
            return integer ? .integer(Int(x.rounded())) : .double(Self.tidy(x))
        }
    }

    /// Rounds to 6 significant digits, so grid points print and compare cleanly.
    static func tidy(_ x: Double) -> Double { Double(String(format: "%.6g", x)) ?? x }
}

/// How configurations are drawn from the spaces.
public enum SearchStrategy: Codable, Hashable, Sendable {
    /// Every combination.
    case grid
    /// `samples` seeded draws (duplicates dropped).
    case random(samples: Int, seed: UInt64)

    /// The configurations, in a fixed order: each maps parameter names to values.
    public func configurations(_ spaces: [String: ParameterSpace]) -> [[String: ParameterValue]] {
        let names = spaces.keys.sorted()
        switch self {
        case .grid:
            var result: [[String: ParameterValue]] = [[:]]
            for name in names {
                result = result.flatMap { partial in spaces[name]!.gridValues().map { value in partial.merging([name: value]) { $1 } } }
            }
            return result
        case let .random(samples, seed):
            var rng = SeededGenerator(seed: seed)
            var result: [[String: ParameterValue]] = []
            for _ in 0..<samples {
                var configuration: [String: ParameterValue] = [:]
                for name in names { configuration[name] = spaces[name]!.draw(using: &rng) }
                if !result.contains(configuration) { result.append(configuration) }
            }
            return result
        }
    }
}
