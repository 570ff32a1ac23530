import RecBenchCore
/// Per user, hold out a random fraction of the interactions (rounded, at least one, at least
/// one left in train) when the user has `minimum` or more: e.g. the 80/20 holdout with 0.2.
public struct UserHoldout: PerUserHoldoutRule {
    public static let name = "holdout"
    public static let parameters = [
        SplitParameter("fraction", default: "0.2", "the fraction of each user's interactions held out"),
        SplitParameter("minimum", default: "2", "users with fewer interactions stay in train"),
    ]

    public var fraction: Double
    public var minimum: Int

    /// Creates the rule.
    public init(fraction: Double, minimum: Int) {
        self.fraction = fraction
        self.minimum = minimum
    }

    public init(parameters: SplitParameters) throws(SplitError) {
        self.init(fraction: try parameters.fraction("fraction", default: 0.2),
                  minimum: try parameters.integer("minimum", default: 2, in: 0...1_000_000))
    }

    public var parameterValues: [(name: String, value: SplitParameterValue)] {
        [("fraction", .number(fraction)), ("minimum", .integer(minimum))]
    }

    public var selection: HoldoutSelection { .random }
    public func holdoutCount(of interactions: Int) -> Int { Self.fractionCount(fraction, of: interactions) }

    public func validate() throws(SplitError) {
        guard fraction > 0 && fraction < 1 else { throw .invalid("the fraction must be in (0, 1), got \(fraction)") }
        guard minimum >= 2 else { throw .invalid("the minimum must be at least 2, got \(minimum)") }
    }

    public var description: String { "per-user random holdout \(fraction) (users with >= \(minimum))" }
    public var method: SplitMethod { .userHoldout(fraction: fraction, minimum: minimum) }
}
