import RecBenchCore
/// The time cutoff of a global temporal split.
///
/// The unit is the (user, item) pair with all its interactions, timed by its first one
/// (``InteractionTimes/splitTimes``): a pair goes to test when its user first played it at or
/// after the cutoff, so no test pair was played before the cutoff.
public enum TemporalCutoff: Codable, Hashable, Sendable {
    /// Pairs first played at or after this Unix second go to test.
    case timestamp(Int64)
    /// The cutoff is the quantile of the pairs' first times that puts this fraction of pairs in test.
    case testFraction(Double)
}

/// One time cutoff for everyone: no test interaction is earlier than any train interaction.
public struct TemporalGlobal: SplitRule {
    public static let name = "temporal"
    public static let parameters = [
        SplitParameter("fraction", default: "0.2", "the cutoff puts this fraction of the pairs, the latest, in test"),
        SplitParameter("cutoff", default: nil, "instead of a fraction, the Unix second from which pairs go to test"),
    ]

    public var cutoff: TemporalCutoff

    /// Creates the rule.
    public init(cutoff: TemporalCutoff) { self.cutoff = cutoff }

    public init(parameters: SplitParameters) throws(SplitError) {
        try parameters.exclusive("fraction", "cutoff")
        if let time = try parameters.optionalInteger("cutoff", in: Int(Int64.min)...Int(Int64.max)) {
            self.init(cutoff: .timestamp(Int64(time)))
        } else {
            self.init(cutoff: .testFraction(try parameters.fraction("fraction", default: 0.2)))
        }
    }

    public var parameterValues: [(name: String, value: SplitParameterValue)] {
        switch cutoff {
        case .testFraction(let fraction): return [("fraction", .number(fraction))]
        case .timestamp(let time): return [("cutoff", .integer(Int(time)))]
        }
    }

    public var needsTimes: Bool { true }
    public var drawsRandomNumbers: Bool { false }

    public func validate() throws(SplitError) {
        if case .testFraction(let fraction) = cutoff, !(fraction > 0 && fraction < 1) {
            throw .invalid("the fraction must be in (0, 1), got \(fraction)")
        }
    }

    public func assign(_ matrix: InteractionMatrix, times: [Int64], seed: UInt64) -> SplitAssignment {
        let threshold: Int64
        switch cutoff {
        case .timestamp(let t): threshold = t
        case .testFraction(let fraction):
            let sorted = times.sorted()
            let index = min(sorted.count - 1, max(0, Int((Double(sorted.count) * (1 - fraction)).rounded(.down))))
            threshold = sorted.isEmpty ? .max : sorted[index]
        }
        var toTest = [Bool](repeating: false, count: matrix.nonZeroCount)
        for position in 0..<matrix.nonZeroCount { toTest[position] = times[position] >= threshold }
        return SplitAssignment(toTest: toTest)
    }

    public var description: String {
        switch cutoff {
        case .timestamp(let t): return "temporal, cutoff at \(t)"
        case .testFraction(let f): return "temporal, latest \(f) of interactions in test"
        }
    }
    public var method: SplitMethod { .temporalGlobal(cutoff) }
}
