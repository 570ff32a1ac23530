import RecBenchCore
/// How much of each user's history a per-user temporal split holds out.
///
/// The unit is the (user, item) pair timed by its first interaction, as for ``TemporalCutoff``:
/// the pairs held out are those the user played first most recently.
public enum PerUserAmount: Codable, Hashable, Sendable {
    /// The last fraction of each user's pairs, by time (rounded, at least one).
    case fraction(Double)
    /// The last k pairs of each user, by time.
    case last(Int)
}

/// Per user, hold out the latest interactions by time: a fraction of them or the last k.
public struct TemporalPerUser: PerUserHoldoutRule {
    public static let name = "temporal-user"
    public static let parameters = [
        SplitParameter("fraction", default: "0.2", "the latest fraction of each user's interactions held out"),
        SplitParameter("minimum", default: "2", "users with fewer interactions stay in train"),
        SplitParameter("last", default: nil, "instead of a fraction, hold out each user's last k interactions"),
    ]

    public var amount: PerUserAmount
    public var minimum: Int

    /// Creates the rule.
    public init(amount: PerUserAmount, minimum: Int) {
        self.amount = amount
        self.minimum = minimum
    }

    public init(parameters: SplitParameters) throws(SplitError) {
        try parameters.exclusive("fraction", "last")
        let minimum = try parameters.integer("minimum", default: 2, in: 0...1_000_000)
        if let last = try parameters.optionalInteger("last", in: 1...1_000_000) {
            self.init(amount: .last(last), minimum: minimum)
        } else {
            self.init(amount: .fraction(try parameters.fraction("fraction", default: 0.2)), minimum: minimum)
        }
    }

    public var parameterValues: [(name: String, value: SplitParameterValue)] {
        switch amount {
        case .fraction(let fraction): return [("fraction", .number(fraction)), ("minimum", .integer(minimum))]
        case .last(let k): return [("minimum", .integer(minimum)), ("last", .integer(k))]
        }
    }

    public var selection: HoldoutSelection { .latest }
    public func holdoutCount(of interactions: Int) -> Int {
        switch amount {
        case .fraction(let fraction): return Self.fractionCount(fraction, of: interactions)
        case .last(let k): return k
        }
    }

    public func validate() throws(SplitError) {
        switch amount {
        case .fraction(let fraction):
            guard fraction > 0 && fraction < 1 else { throw .invalid("the fraction must be in (0, 1), got \(fraction)") }
            guard minimum >= 2 else { throw .invalid("the minimum must be at least 2, got \(minimum)") }
        case .last(let k):
            guard k >= 1 else { throw .invalid("k must be at least 1, got \(k)") }
            guard minimum >= k + 1 else { throw .invalid("the minimum must be at least k + 1 = \(k + 1), got \(minimum)") }
        }
    }

    public var description: String {
        switch amount {
        case .fraction(let f): return "temporal per user, last \(f) (users with >= \(minimum))"
        case .last(let k): return "temporal per user, last \(k) (users with >= \(minimum))"
        }
    }
    public var method: SplitMethod { .temporalPerUser(amount, minimum: minimum) }
}
