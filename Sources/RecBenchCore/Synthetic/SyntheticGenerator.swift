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
    /// Yahoo! Music R1: `user<TAB>artist<TAB>rating`, ratings 0–100 in steps of 10, about one
    /// in 13 of them 255 ("never play again"); artist ids from 1000001.
    case yahooR1 = "yahoo-r1"
    /// Yahoo! Music R3's train file: `user<TAB>song<TAB>rating`, ratings 1–5; the test file is
    /// written beside it (``YahooR3Options/companion(ofTrain:)``): every third user rates 10
    /// songs drawn at random (fewer when the catalogue is smaller), ratings 1–5 at random.
    case yahooR3 = "yahoo-r3"
}

/// The MovieLens releases whose folder layout ``SyntheticGenerator/writeMovieLens(_:into:)`` writes,
/// with the file names and formats the loaders expect.
public enum MovieLensLayout: String, Codable, Sendable, CaseIterable {
    /// MovieLens 100K: `u.data` (`user<TAB>item<TAB>rating<TAB>unixtime`), `u.item` (ISO-8859-1,
    /// `id|title|release date|video date|URL|` and 19 genre flags), `u.user` (`id|age|gender|occupation|zip`).
    case ml100k = "ml-100k"
    /// MovieLens 1M: `ratings.dat` (`UserID::MovieID::Rating::Timestamp`), `movies.dat`
    /// (ISO-8859-1, `MovieID::Title::Genres`), `users.dat` (`UserID::Gender::Age::Occupation::Zip`).
    case ml1m = "ml-1m"
    /// MovieLens latest (and latest-small): `ratings.csv` (`userId,movieId,rating,timestamp`,
    /// half-star ratings), `movies.csv` (UTF-8, `movieId,title,genres`, titles with commas quoted).
    case mlLatest = "ml-latest"
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

    /// Writes a folder in the layout of a MovieLens release: ratings, movies and users files,
    /// for tests and demonstrations where the real files (which may not be redistributed) are absent.
    ///
    /// Ratings come from the play counts: 1, 2 and 3 plays rate 1, 2 and 3; 4 to 7 plays rate 4;
    /// 8 or more rate 5 (about half the ratings are 4 or 5, as in MovieLens). `ml-latest` halves
    /// a star off when the timestamp is odd (0.5 to 5.0). Every item gets a title, `Movie <id>
    /// (<year>)`, every seventh with an accented `é` (in the file's encoding) and every eleventh
    /// with a comma (`…, The (<year>)`); no title holds `:` or `|`. The same configuration always
    /// writes the same bytes.
    ///
    /// - Parameters:
    ///   - layout: the release whose file names and formats to write.
    ///   - directory: the folder to write into (created if needed).
    /// - Returns: the number of ratings written.
    /// - Complexity: O(users + items + interactions).
    @discardableResult
    public func writeMovieLens(_ layout: MovieLensLayout, into directory: String) throws -> Int {
        try configuration.validate()
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DatasetError.unreadable(path: directory, reason: "cannot create the folder")
        }
        let names: (ratings: String, movies: String, users: String)
        switch layout {
        case .ml100k: names = ("u.data", "u.item", "u.user")
        case .ml1m: names = ("ratings.dat", "movies.dat", "users.dat")
        case .mlLatest: names = ("ratings.csv", "movies.csv", "")
        }
        var ratings = try BufferedFile(path: directory + "/" + names.ratings)
        if layout == .mlLatest { ratings.out.append(contentsOf: Array("userId,movieId,rating,timestamp\n".utf8)) }
        var lines = 0
        try generate { user, item, count, time in
            let stars = count >= 8 ? 5 : (count >= 4 ? 4 : count)
            let separator: [UInt8] = layout == .ml1m ? [0x3A, 0x3A] : (layout == .mlLatest ? [0x2C] : [0x09])
            ratings.out.appendDecimal(user + 1); ratings.out.append(contentsOf: separator)
            ratings.out.appendDecimal(item + 1); ratings.out.append(contentsOf: separator)
            if layout == .mlLatest {
                let half = time & 1 == 1
                ratings.out.appendDecimal(half ? stars - 1 : stars); ratings.out.append(contentsOf: Array((half ? ".5" : ".0").utf8))
            } else {
                ratings.out.appendDecimal(stars)
            }
            ratings.out.append(contentsOf: separator); ratings.out.appendDecimal(Int(time)); ratings.out.append(0x0A)
            lines += 1
            try ratings.flush(force: false)
        }
        try ratings.finish()

        var movies = try BufferedFile(path: directory + "/" + names.movies)
        if layout == .mlLatest { movies.out.append(contentsOf: Array("movieId,title,genres\n".utf8)) }
        for id in 1...configuration.items {
            let year = 1920 + id % 80
            var title = id % 11 == 0 ? "Movie \(id), The (\(year))" : "Movie \(id) (\(year))"
            if id % 7 == 0 { title = "Café " + title }
            let titleBytes: [UInt8] = layout == .mlLatest ? Array(title.utf8) : title.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
            movies.out.appendDecimal(id)
            switch layout {
            case .ml100k:
                movies.out.append(0x7C); movies.out.append(contentsOf: titleBytes)
                movies.out.append(contentsOf: Array("|01-Jan-\(year)||http://example.org/\(id)".utf8))
                for genre in 0..<19 { movies.out.append(contentsOf: [0x7C, genre == id % 19 ? 0x31 : 0x30]) }
            case .ml1m:
                movies.out.append(contentsOf: [0x3A, 0x3A]); movies.out.append(contentsOf: titleBytes)
                movies.out.append(contentsOf: Array("::Drama|Comedy".utf8))
            case .mlLatest:
                movies.out.append(0x2C)
                if title.contains(",") { movies.out.append(0x22); movies.out.append(contentsOf: titleBytes); movies.out.append(0x22) } else { movies.out.append(contentsOf: titleBytes) }
                movies.out.append(contentsOf: Array(",Drama|Comedy".utf8))
            }
            movies.out.append(0x0A)
            try movies.flush(force: false)
        }
        try movies.finish()

        if !names.users.isEmpty {
            var users = try BufferedFile(path: directory + "/" + names.users)
            let occupations = ["educator", "engineer", "student", "writer", "other"]
            for id in 1...configuration.users {
                let age = 18 + id % 50, gender = id % 2 == 0 ? "F" : "M", zip = 10_000 + id % 89_999
                let line = layout == .ml100k ? "\(id)|\(age)|\(gender)|\(occupations[id % occupations.count])|\(zip)\n"
                                             : "\(id)::\(gender)::\(age)::\(id % 21)::\(zip)\n"
                users.out.append(contentsOf: Array(line.utf8))
                try users.flush(force: false)
            }
            try users.finish()
        }
        return lines
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
            case .yahooR1:
                // Ratings from the play counts; the timestamp picks the "never play again" rows.
                out.appendDecimal(userID); out.append(0x09); out.appendDecimal(1_000_000 + itemID); out.append(0x09)
                out.appendDecimal(time % 13 == 0 ? 255 : min(100, 10 * (count - 1))); out.append(0x0A)
                lines += 1
            case .yahooR3:
                out.appendDecimal(userID); out.append(0x09); out.appendDecimal(itemID); out.append(0x09)
                out.appendDecimal(min(5, 1 + (count - 1) / 4)); out.append(0x0A)
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
        if format == .yahooR3 { try writeYahooR3Test(to: YahooR3Options.companion(ofTrain: path)) }
        return lines
    }

    /// Writes R3's test file: every third user (0, 3, 6, …) rates `min(10, items)` distinct
    /// songs drawn uniformly, each rating uniform in 1–5, from a stream of its own.
    ///
    /// - Returns: the number of lines written.
    @discardableResult
    func writeYahooR3Test(to path: String) throws -> Int {
        try configuration.validate()
        var rng = SeededGenerator(seed: configuration.seed, stream: 3)
        var file = try BufferedFile(path: path)
        var lines = 0
        let perUser = min(10, configuration.items)
        for user in stride(from: 0, to: configuration.users, by: 3) {
            var songs = Set<Int>()
            while songs.count < perUser { songs.insert(rng.nextInt(below: configuration.items)) }
            for song in songs.sorted() {
                file.out.appendDecimal(user + 1); file.out.append(0x09); file.out.appendDecimal(song + 1); file.out.append(0x09)
                file.out.appendDecimal(1 + rng.nextInt(below: 5)); file.out.append(0x0A)
                lines += 1
            }
            try file.flush(force: false)
        }
        try file.finish()
        return lines
    }
}

/// A file written through a 4 MiB buffer into a temporary file, renamed into place by ``finish()``.
private struct BufferedFile {
    let path: String
    let temporary: String
    let handle: FileHandle
    /// The bytes not yet written.
    var out: [UInt8] = []

    init(path: String) throws {
        self.path = path
        temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            throw DatasetError.unreadable(path: temporary, reason: "cannot create the file")
        }
        self.handle = handle
        out.reserveCapacity(1 << 22)
    }

    /// Writes the buffer out when it is nearly full, or always with `force`.
    mutating func flush(force: Bool) throws {
        if force || out.count > (1 << 22) - 256 {
            try handle.write(contentsOf: out)
            out.removeAll(keepingCapacity: true)
        }
    }

    /// Writes what is left, closes the file and moves it into place.
    mutating func finish() throws {
        try flush(force: true)
        try handle.close()
        guard rename(temporary, path) == 0 else { throw DatasetError.unreadable(path: path, reason: "cannot move the file into place") }
    }
}

/// Walker's alias table: O(n) set-up, O(1) draws from a discrete distribution.
package struct AliasTable {
    private var probability: [Double]
    private var alias: [Int]

    package init(weights: [Double]) {
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
    package func sample(_ rng: inout SeededGenerator) -> Int {
        let column = rng.nextInt(below: probability.count)
        return rng.nextUnit() < probability[column] ? column : alias[column]
    }
}

extension [UInt8] {
    /// Appends the decimal digits of a non-negative integer.
    @inline(__always)
    package mutating func appendDecimal(_ value: Int) {
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
