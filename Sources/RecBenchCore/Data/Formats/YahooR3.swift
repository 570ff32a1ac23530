import Foundation

/// Yahoo! Music R3 (Webscope `ydata-ymusic-rating-study-v1_0`): users' ratings of songs.
///
/// Two files, no header, one rating a line, `user_id<TAB>song_id<TAB>rating`, ratings integers
/// from 1 to 5: `ydata-ymusic-rating-study-v1_0-train.txt` (songs the users chose to rate) and
/// `ydata-ymusic-rating-study-v1_0-test.txt` (ratings of songs chosen at random for each test
/// user). The train file is the dataset; ``test`` names the test file for a rating task's given
/// split (the loader does not read it). Ratings are kept as the values, as they are; any other
/// rating, a missing field or a bad id is an error naming the file and line.
public struct YahooR3Options: DatasetFormat {
    public static let name = "yahoo-r3"
    public static let title = "Yahoo! Music R3"
    /// The train file's name in the release.
    public static let trainFileName = "ydata-ymusic-rating-study-v1_0-train.txt"
    /// The test file's name in the release.
    public static let testFileName = "ydata-ymusic-rating-study-v1_0-test.txt"
    public static let folderMarkers = [trainFileName]

    /// The file read as the dataset (the train file, or the test file when it is given alone).
    public var ratings: String
    /// The randomly-chosen test ratings, where found beside the train file.
    public var test: String?

    /// Names the files directly.
    public init(ratings: String, test: String? = nil) {
        self.ratings = ratings
        self.test = test
    }

    public init(file: String) { self.init(ratings: file) }

    public init(directory: String) throws(DatasetError) {
        let train = directory + "/" + Self.trainFileName
        guard (try? LineReader.checkRegularFile(train)) != nil else {
            throw .missingFiles(directory: directory, expected: [Self.trainFileName])
        }
        self.init(ratings: train, test: Self.existing(directory + "/" + Self.testFileName))
    }

    public static func recognises(fileName: String) -> Bool { fileName == trainFileName || fileName == testFileName }

    /// The train file with the test file beside it; the test file alone is read as it is.
    public static func detected(file: String) -> Self {
        guard (file as NSString).lastPathComponent == trainFileName else { return Self(ratings: file) }
        return Self(ratings: file, test: existing(companion(ofTrain: file)))
    }

    /// The test file's path beside `train`: `-train.txt` replaced by `-test.txt`, else `-test` appended.
    public static func companion(ofTrain train: String) -> String {
        train.hasSuffix("-train.txt") ? String(train.dropLast("-train.txt".count)) + "-test.txt" : train + "-test"
    }

    private static func existing(_ path: String) -> String? { (try? LineReader.checkRegularFile(path)) != nil ? path : nil }

    public var files: [String] { [ratings] }

    /// A reader of one R3 file (tabs, three fields, integer ratings 1–5).
    private static func reader(_ path: String) -> DelimitedReader {
        var reader = DelimitedReader(path: path, delimiter: 0x09, header: false, quotes: false,
                                     user: .index(0), item: .index(1), value: .index(2))
        reader.check = { rating in
            (1...5).contains(rating) && rating.rounded() == rating ? nil
                : "the rating \(YahooR1Options.text(rating)) is not an integer from 1 to 5"
        }
        return reader
    }

    /// The release's own split: the train file and the test file read into one numbering (users
    /// and songs in order of first appearance, train first); nil without a test file.
    ///
    /// - Throws: ``DatasetError`` naming the file and line of a malformed row.
    /// - Complexity: O(rows) over both files.
    public func loadGivenSplit(name: String) throws(DatasetError) -> GivenSplitParts? {
        guard let test else { return nil }
        let train = try Self.reader(ratings).read(users: IntegerInterner(), items: IntegerInterner())
        let held = try Self.reader(test).read(users: train.users, items: train.items)
        let users = held.users.count, items = held.items.count
        let (trainMatrix, _, trainMerged) = train.buffer.build(userCount: users, itemCount: items)
        let (testMatrix, _, testMerged) = held.buffer.build(userCount: users, itemCount: items)
        var report = LoadReport()
        report.rowsRead = train.rowsRead + held.rowsRead
        report.duplicatesMerged = trainMerged + testMerged
        report.notes.append("the release's split: \(train.rowsRead) training rows from \(ratings), \(held.rowsRead) test rows from \(test)")
        return GivenSplitParts(name: name, users: held.users.vocabulary(), items: held.items.vocabulary(),
                               train: trainMatrix, test: testMatrix, report: report)
    }

    public func load(name: String) throws(DatasetError) -> Dataset {
        let reader = Self.reader(ratings)
        let (output, matrix, _, merged) = try reader.readMatrix(users: IntegerInterner(), items: IntegerInterner())
        var report = LoadReport()
        report.rowsRead = output.rowsRead
        report.duplicatesMerged = merged
        if let test { report.notes.append("the test ratings are in \(test) (not part of this dataset)") }
        return Dataset(name: name, users: output.users.vocabulary(), items: output.items.vocabulary(), interactions: matrix, report: report)
    }

    public var source: DatasetSource { .yahooR3(self) }
}
