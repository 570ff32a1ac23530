/// Timestamps of a dataset's interactions, aligned with ``InteractionMatrix/columns``.
///
/// Times are Unix seconds. An aggregated listening log keeps the first and the last play of
/// each (user, item) pair; a file with one timestamp per row has `first == last`. Formats
/// where only some pairs have a time (Last.fm 2K's tag dates) mark the others as missing,
/// which ``first(at:)`` and ``last(at:)`` report as `nil`.
public struct InteractionTimes: Sendable, Equatable {
    /// Stored in place of a time that the source does not give.
    package static let missing = Int64.min

    /// The earliest time of each entry (``missing`` where unknown).
    public internal(set) var firstRaw: [Int64]
    /// The latest time of each entry (``missing`` where unknown).
    public internal(set) var lastRaw: [Int64]

    /// Creates times from aligned first and last arrays.
    package init(first: [Int64], last: [Int64]) {
        precondition(first.count == last.count)
        self.firstRaw = first
        self.lastRaw = last
    }

    /// The earliest time of entry `position`, or `nil` when the source has none.
    public func first(at position: Int) -> Int64? {
        firstRaw[position] == Self.missing ? nil : firstRaw[position]
    }

    /// The latest time of entry `position`, or `nil` when the source has none.
    public func last(at position: Int) -> Int64? {
        lastRaw[position] == Self.missing ? nil : lastRaw[position]
    }

    /// The number of entries that have a time.
    public var knownCount: Int { lastRaw.lazy.filter { $0 != Self.missing }.count }

    /// Keeps the entries at `positions`, in that order.
    package func gathering(_ positions: [Int]) -> InteractionTimes {
        InteractionTimes(first: positions.map { firstRaw[$0] }, last: positions.map { lastRaw[$0] })
    }
}
