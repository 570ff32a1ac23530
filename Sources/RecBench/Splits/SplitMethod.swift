/// How one interaction per user, or a fraction of them, is chosen for a holdout.
public enum HoldoutSelection: String, Codable, Hashable, Sendable, CaseIterable {
    /// The latest by the pair's time (its first interaction, ``InteractionTimes/splitTimes``;
    /// ties broken by item index); needs timestamps.
    case latest
    /// Uniformly at random, from the split's seed.
    case random
}

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

/// The splitting protocols, as a closed set of `Codable` values.
///
/// Every method is deterministic for a seed. Users that cannot be split are kept whole in
/// train, reported, and not evaluated. Every method assigns whole (user, item) pairs: an event
/// log's plays are aggregated to one count per pair by the loader, and that count goes to train
/// or to test whole.
public enum SplitMethod: Codable, Hashable, Sendable, CustomStringConvertible {
    /// Per user, hold out one interaction. Users with fewer than `minimum` interactions stay in train.
    case leaveOneOut(selection: HoldoutSelection, minimum: Int)
    /// Per user, hold out k interactions (users with fewer than `minimum`, or than k + 1, stay in train).
    case leaveKOut(k: Int, selection: HoldoutSelection, minimum: Int)
    /// Per user, hold out a random fraction of the interactions (rounded, at least one when the
    /// user has `minimum` or more), e.g. the 80/20 holdout with `fraction: 0.2`.
    case userHoldout(fraction: Double, minimum: Int)
    /// A random split of all rows, each row to test with probability `fraction`: the course
    /// lab's `randomSplit(Array(0.9, 0.1))`. Users with test rows but no train rows are excluded
    /// from evaluation and reported.
    case globalRandom(fraction: Double)
    /// One time cutoff for everyone: no test interaction is earlier than any train interaction.
    case temporalGlobal(TemporalCutoff)
    /// Each user's last interactions by time.
    case temporalPerUser(PerUserAmount, minimum: Int)

    /// Leave-one-out on the latest interaction, users with at least 2 interactions.
    public static let leaveLatestOut = SplitMethod.leaveOneOut(selection: .latest, minimum: 2)

    /// Whether the method needs timestamps.
    public var needsTimes: Bool {
        switch self {
        case .leaveOneOut(let selection, _), .leaveKOut(_, let selection, _): return selection == .latest
        case .temporalGlobal, .temporalPerUser: return true
        case .userHoldout, .globalRandom: return false
        }
    }

    public var description: String {
        switch self {
        case .leaveOneOut(let selection, let minimum): return "leave-one-out (\(selection.rawValue), users with >= \(minimum))"
        case .leaveKOut(let k, let selection, let minimum): return "leave-\(k)-out (\(selection.rawValue), users with >= \(minimum))"
        case .userHoldout(let fraction, let minimum): return "per-user random holdout \(fraction) (users with >= \(minimum))"
        case .globalRandom(let fraction): return "global random row split, test fraction \(fraction)"
        case .temporalGlobal(.timestamp(let t)): return "temporal, cutoff at \(t)"
        case .temporalGlobal(.testFraction(let f)): return "temporal, latest \(f) of interactions in test"
        case .temporalPerUser(.fraction(let f), let minimum): return "temporal per user, last \(f) (users with >= \(minimum))"
        case .temporalPerUser(.last(let k), let minimum): return "temporal per user, last \(k) (users with >= \(minimum))"
        }
    }

    /// Checks the parameters, naming the first that is out of range.
    public func validate() throws(SplitError) {
        switch self {
        case .leaveOneOut(_, let minimum):
            guard minimum >= 2 else { throw .invalid("the minimum must be at least 2, got \(minimum)") }
        case .leaveKOut(let k, _, let minimum):
            guard k >= 1 else { throw .invalid("k must be at least 1, got \(k)") }
            guard minimum >= k + 1 else { throw .invalid("the minimum must be at least k + 1 = \(k + 1), got \(minimum)") }
        case .userHoldout(let fraction, let minimum):
            guard fraction > 0 && fraction < 1 else { throw .invalid("the fraction must be in (0, 1), got \(fraction)") }
            guard minimum >= 2 else { throw .invalid("the minimum must be at least 2, got \(minimum)") }
        case .globalRandom(let fraction):
            guard fraction > 0 && fraction < 1 else { throw .invalid("the fraction must be in (0, 1), got \(fraction)") }
        case .temporalGlobal(.testFraction(let fraction)):
            guard fraction > 0 && fraction < 1 else { throw .invalid("the fraction must be in (0, 1), got \(fraction)") }
        case .temporalGlobal(.timestamp):
            break
        case .temporalPerUser(.fraction(let fraction), let minimum):
            guard fraction > 0 && fraction < 1 else { throw .invalid("the fraction must be in (0, 1), got \(fraction)") }
            guard minimum >= 2 else { throw .invalid("the minimum must be at least 2, got \(minimum)") }
        case .temporalPerUser(.last(let k), let minimum):
            guard k >= 1 else { throw .invalid("k must be at least 1, got \(k)") }
            guard minimum >= k + 1 else { throw .invalid("the minimum must be at least k + 1 = \(k + 1), got \(minimum)") }
        }
    }
}

/// What went wrong while splitting.
public enum SplitError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A parameter is out of range.
    case invalid(String)
    /// The method needs timestamps and the dataset has none (or misses some).
    case needsTimestamps(method: String, dataset: String)

    public var description: String {
        switch self {
        case .invalid(let reason): return "invalid split: \(reason)"
        case .needsTimestamps(let method, let dataset):
            return "the split '\(method)' needs a timestamp on every interaction, and \(dataset) lacks them; use a random selection"
        }
    }
}

extension InteractionTimes {
    /// The time by which temporal rules (``TemporalCutoff``, ``PerUserAmount``, and
    /// ``HoldoutSelection/latest``) order and cut each (user, item) pair: its first interaction.
    ///
    /// A pair moves whole, so timing it by its first play is what keeps every test pair after
    /// the cutoff: a pair first played before the cutoff stays in train with its whole count,
    /// plays after the cutoff included (an aggregated pair cannot be divided). Where each pair
    /// has one time (MovieLens, a file without duplicate pairs) first and last are the same.
    var splitTimes: [Int64] { firstRaw }
}
