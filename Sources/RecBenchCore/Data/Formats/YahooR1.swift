import Foundation

/// What the Yahoo! Music R1 loader does with the rating 255.
///
/// R1's readme: "The ratings are integers ranging from 0 to 100, except 255 (a special case
/// that means "never play again")". The readme gives 255 no place on the 0–100 scale, so by
/// default it is not read as a rating (``drop``); ``zero`` reads it as the scale's lowest rating.
public enum NeverPlayAgain: String, Codable, Hashable, Sendable, CaseIterable {
    /// The row is not kept; the report counts the rows dropped (the default).
    case drop
    /// The row is kept with the rating 0.
    case zero
}

/// Yahoo! Music R1 (Webscope `ydata-ymusic-user-artist-ratings-v1_0`): users' ratings of artists.
///
/// `ydata-ymusic-user-artist-ratings-v1_0.txt`: no header, one rating a line,
/// `user_id<TAB>artist_id<TAB>rating`, the rating an integer from 0 to 100 or 255 ("never play
/// again", see ``NeverPlayAgain``). Ratings are kept as the values, as they are. Any other
/// rating, a missing field or a bad id is an error naming the file and line. Artist ids are
/// read as text (the release's name file has the ids `-100` and `-99`); user ids are integers.
public struct YahooR1Options: DatasetFormat {
    public static let name = "yahoo-r1"
    public static let title = "Yahoo! Music R1"
    /// The ratings file's name in the release.
    public static let ratingsFileName = "ydata-ymusic-user-artist-ratings-v1_0.txt"
    public static let folderMarkers = [ratingsFileName]

    /// The ratings file.
    public var ratings: String
    /// What the rating 255 becomes.
    public var neverPlayAgain: NeverPlayAgain

    /// Names the file directly.
    public init(ratings: String, neverPlayAgain: NeverPlayAgain = .drop) {
        self.ratings = ratings
        self.neverPlayAgain = neverPlayAgain
    }

    public init(file: String) { self.init(ratings: file) }

    public init(directory: String) throws(DatasetError) {
        let path = directory + "/" + Self.ratingsFileName
        guard (try? LineReader.checkRegularFile(path)) != nil else {
            throw .missingFiles(directory: directory, expected: [Self.ratingsFileName])
        }
        self.init(ratings: path)
    }

    public static func recognises(fileName: String) -> Bool { fileName == ratingsFileName }

    public var files: [String] { [ratings] }

    public func load(name: String) throws(DatasetError) -> Dataset {
        var reader = DelimitedReader(path: ratings, delimiter: 0x09, header: false, quotes: false,
                                     user: .index(0), item: .index(1), value: .index(2))
        reader.check = { rating in
            rating == 255 || ((0...100).contains(rating) && rating.rounded() == rating) ? nil
                : "the rating \(YahooR1Options.text(rating)) is neither an integer from 0 to 100 nor 255 (never play again)"
        }
        switch neverPlayAgain {
        case .drop: reader.keep = { $0 == 255 ? nil : Float($0) }
        case .zero: reader.keep = { $0 == 255 ? 0 : Float($0) }
        }
        let (output, matrix, _, merged) = try reader.readMatrix(users: IntegerInterner(), items: StringInterner())
        guard matrix.nonZeroCount > 0 else {
            throw .noInteractions(file: ratings, reason: "every one of the \(output.rowsRead) rating(s) is 255 (never play again), which is dropped")
        }
        var report = LoadReport()
        report.rowsRead = output.rowsRead
        report.duplicatesMerged = merged
        switch neverPlayAgain {
        case .drop: report.notes.append("dropped \(output.rowsDropped) rating(s) of 255 (never play again)")
        case .zero: report.notes.append("read ratings of 255 (never play again) as 0")
        }
        return Dataset(name: name, users: output.users.vocabulary(), items: output.items.vocabulary(), interactions: matrix, report: report)
    }

    public var source: DatasetSource { .yahooR1(self) }

    /// `90` for an integral value, else the number as parsed.
    static func text(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
