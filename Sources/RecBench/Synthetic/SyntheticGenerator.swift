import Foundation

/// Parameters of a synthetic implicit-feedback dataset.
public struct SyntheticConfiguration: Codable, Hashable, Sendable {
    /// The number of users.
    public var users: Int
    /// The number of items.
    public var items: Int
    /// The target number of distinct (user, item) interactions.
    public var interactions: Int
    /// Item popularity follows p(rank r) ∝ r^(−s).
    public var zipfExponent: Double
    /// Users' activity is log-normal with this σ (0 gives every user the same activity).
    public var activitySigma: Double
    /// The first Unix second of the time range (timestamps are uniform in the range).
    public var startTime: Int64
    /// One past the last Unix second of the time range.
    public var endTime: Int64
    /// The seed of every random choice.
    public var seed: UInt64

    /// Creates a configuration; the defaults resemble Last.fm listening data.
    public init(users: Int = 1000, items: Int = 5000, interactions: Int = 50_000, zipfExponent: Double = 1.0,
                activitySigma: Double = 1.0, startTime: Int64 = 1_104_537_600, endTime: Int64 = 1_230_768_000,
                seed: UInt64 = 42) {
        self.users = users
        self.items = items
        self.interactions = interactions
        self.zipfExponent = zipfExponent
        self.activitySigma = activitySigma
        self.startTime = startTime
        self.endTime = endTime
        self.seed = seed
    }

    /// Checks the values, naming the first that is out of range.
    public func validate() throws(DatasetError) {
        guard users > 0 else { throw .invalidPreparation(reason: "users must be > 0, got \(users)") }
        guard items > 1 else { throw .invalidPreparation(reason: "items must be > 1, got \(items)") }
        guard interactions > 0 else { throw .invalidPreparation(reason: "interactions must be > 0, got \(interactions)") }
        guard Double(interactions) <= Double(users) * Double(items) / 2 else {
            throw .invalidPreparation(reason: "interactions (\(interactions)) must be at most half of users x items")
        }
        guard zipfExponent >= 0, activitySigma >= 0 else { throw .invalidPreparation(reason: "zipf exponent and activity sigma must be >= 0") }
        guard endTime > startTime else { throw .invalidPreparation(reason: "the end time must be after the start time") }
    }
}

/// The formats `recbench generate` writes.
public enum SyntheticFormat: String, Codable, Sendable, CaseIterable {
    /// `user artist playcount`, single spaces (the Audioscrobbler dump's `user_artist_data.txt`).
    case audioscrobbler
    /// HetRec `user_artists.dat`: a header, then `userID<TAB>artistID<TAB>weight`.
    case lastfm
    /// MovieLens `u.data`: `user<TAB>item<TAB>rating<TAB>unixtime`, ratings 1–5.
    case movielens
    /// `user<TAB>item<TAB>value<TAB>timestamp`, no header.
    case tsv
    /// One row per play: `user<TAB>item<TAB>timestamp` (values become that many rows).
    case events
}

/// Generates seeded synthetic play counts with a Zipf item popularity and log-normal users.
///
/// Users draw their number of distinct items from a log-normal activity scaled to the
/// target count (at least 1, at most half the catalogue); items are drawn without
/// repetition per user from a Zipf distribution over a seeded random permutation of the ids
/// (Walker's alias method, O(1) per draw); play counts are 1 + ⌊e^N(1, 1.3)⌋. The same
/// configuration always writes the same bytes.
public struct SyntheticGenerator {
    /// The configuration.
    public let configuration: SyntheticConfiguration

    /// Creates a generator.
    public init(_ configuration: SyntheticConfiguration) { self.configuration = configuration }

    /// Calls `emit(user, item, count, time)` for every interaction, users in order.
    ///
    /// - Complexity: O(users + items + interactions) expected time; O(users + items) memory.
    public func generate(_ emit: (Int, Int, Int, Int64) throws -> Void) throws {
        let c = configuration
        try c.validate()
        var rng = SeededGenerator(seed: c.seed)
        // Activity per user.
        let activity = (0..<c.users).map { _ in Foundation.exp(c.activitySigma * rng.nextGaussian()) }
        let scale = Double(c.interactions) / activity.reduce(0, +)
        let cap = max(1, c.items / 2)
        // Zipf alias table over ranks; ranks map to ids through a permutation.
        var permutation = Array(0..<c.items)
        for i in stride(from: c.items - 1, to: 0, by: -1) { permutation.swapAt(i, rng.nextInt(below: i + 1)) }
        let alias = AliasTable(weights: (1...c.items).map { Foundation.pow(Double($0), -c.zipfExponent) })
        var seen = Set<Int32>()
        var carry = 0.0
        for user in 0..<c.users {
            let exact = activity[user] * scale + carry
            var count = max(1, Int(exact.rounded(.down)))
            carry = exact - Double(count)
            count = min(count, cap)
            seen.removeAll(keepingCapacity: true)
            var attempts = 0
            var row: [Int32] = []
            while row.count < count && attempts < count * 50 {
                attempts += 1
                let item = Int32(permutation[alias.sample(&rng)])
                if seen.insert(item).inserted { row.append(item) }
            }
            for item in row {
                let plays = 1 + Int(Foundation.exp(1.0 + 1.3 * rng.nextGaussian()).rounded(.down))
                let time = c.startTime + Int64(rng.nextInt(below: Int(c.endTime - c.startTime)))
                try emit(user, Int(item), min(plays, 1_000_000), time)
            }
        }
    }

    /// Writes the dataset to `path` in `format`, atomically (a temporary file, then rename).
    ///
    /// - Returns: the number of lines written (without a header).
    @discardableResult
    public func write(to path: String, format: SyntheticFormat) throws -> Int {
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            throw DatasetError.unreadable(path: temporary, reason: "cannot create the file")
        }
        var out = [UInt8]()
        out.reserveCapacity(1 << 22)
        var lines = 0
        func flush(force: Bool) throws {
            if force || out.count > (1 << 22) - 256 {
                try handle.write(contentsOf: out)
                out.removeAll(keepingCapacity: true)
            }
        }
        if format == .lastfm { out.append(contentsOf: Array("userID\tartistID\tweight\n".utf8)) }
        try generate { user, item, count, time in
            let userID = user + 1, itemID = item + 1
            switch format {
            case .audioscrobbler:
                out.appendDecimal(1_000_000 + userID); out.append(0x20)
                out.appendDecimal(itemID); out.append(0x20)
                out.appendDecimal(count); out.append(0x0A)
                lines += 1
            case .lastfm:
                out.appendDecimal(userID); out.append(0x09); out.appendDecimal(itemID); out.append(0x09)
                out.appendDecimal(count); out.append(0x0A)
                lines += 1
            case .movielens:
                out.appendDecimal(userID); out.append(0x09); out.appendDecimal(itemID); out.append(0x09)
                out.appendDecimal(min(5, 1 + (count - 1) / 4)); out.append(0x09); out.appendDecimal(Int(time)); out.append(0x0A)
                lines += 1
            case .tsv:
                out.appendDecimal(userID); out.append(0x09); out.appendDecimal(itemID); out.append(0x09)
                out.appendDecimal(count); out.append(0x09); out.appendDecimal(Int(time)); out.append(0x0A)
                lines += 1
            case .events:
                let plays = min(count, 50)
                for play in 0..<plays {
                    out.appendDecimal(userID); out.append(0x09); out.appendDecimal(itemID); out.append(0x09)
                    out.appendDecimal(Int(time) + play * 3600); out.append(0x0A)
                    lines += 1
                }
            }
            try flush(force: false)
        }
        try flush(force: true)
        try handle.close()
        guard rename(temporary, path) == 0 else { throw DatasetError.unreadable(path: path, reason: "cannot move the file into place") }
        return lines
    }
}

/// Walker's alias table: O(n) set-up, O(1) draws from a discrete distribution.
struct AliasTable {
    private var probability: [Double]
    private var alias: [Int]

    init(weights: [Double]) {
        let n = weights.count
        let total = weights.reduce(0, +)
        var scaled = weights.map { $0 * Double(n) / total }
        probability = [Double](repeating: 1, count: n)
        alias = Array(0..<n)
        var small = [Int](), large = [Int]()
        for (i, p) in scaled.enumerated() { if p < 1 { small.append(i) } else { large.append(i) } }
        while let s = small.popLast(), let l = large.last {
            probability[s] = scaled[s]
            alias[s] = l
            scaled[l] -= 1 - scaled[s]
            if scaled[l] < 1 { large.removeLast(); small.append(l) }
        }
    }

    @inline(__always)
    func sample(_ rng: inout SeededGenerator) -> Int {
        let column = rng.nextInt(below: probability.count)
        return rng.nextUnit() < probability[column] ? column : alias[column]
    }
}

extension [UInt8] {
    /// Appends the decimal digits of a non-negative integer.
    @inline(__always)
    mutating func appendDecimal(_ value: Int) {
        if value < 10 { append(UInt8(truncatingIfNeeded: value) &+ 0x30); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var v = value
        Swift.withUnsafeMutableBytes(of: &digits) { buffer in
            while v > 0 { buffer[19 - count] = UInt8(v % 10) &+ 0x30; v /= 10; count += 1 }
            append(contentsOf: buffer[(20 - count)...])
        }
    }
}
