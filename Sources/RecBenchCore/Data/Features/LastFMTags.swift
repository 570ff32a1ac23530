/// HetRec 2011 Last.fm 2K's tags as item features: an artist's features are the tags users
/// gave it, each weighted by the number of distinct users who gave that tag to that artist.
///
/// Files (tab-separated, one header line each): `user_taggedartists.dat`
/// (`userID artistID tagID day month year`) and `tags.dat` (`tagID tagValue`, ISO-8859-1).
/// A (user, artist, tag) triple written more than once (on several dates) counts once.
/// Cantador, Brusilovsky and Kuflik, "2nd Workshop on Information Heterogeneity and Fusion in
/// Recommender Systems (HetRec 2011)", RecSys 2011.
public enum LastFMTags {
    /// The tag assignments file's name.
    public static let assignmentsFile = "user_taggedartists.dat"
    /// The tag names file's name.
    public static let tagsFile = "tags.dat"

    /// Loads the tags of the artists in `items` from the two files in `directory`.
    ///
    /// - Parameters:
    ///   - directory: the folder holding `user_taggedartists.dat` and `tags.dat`.
    ///   - items: the dataset's artists (raw ids are `artistID`s).
    /// - Returns: items × tags, weight = distinct users; notes count the rows read, repeated
    ///   triples, rows whose artist is not in the dataset, and artists without tags.
    /// - Throws: ``DatasetError`` for a missing file; ``DatasetError/malformedLine(file:line:reason:)``
    ///   for a wrong field count, a non-integer field, a tagID given twice in `tags.dat`, or a
    ///   tagID in the assignments that `tags.dat` does not define.
    /// - Complexity: O(n log n) for n assignment rows.
    public static func load(directory: String, items: Vocabulary) throws(DatasetError) -> ItemFeatures {
        let tagsPath = directory + "/" + tagsFile
        let assignmentsPath = directory + "/" + assignmentsFile
        _ = try LineReader.checkRegularFile(tagsPath)
        _ = try LineReader.checkRegularFile(assignmentsPath)

        // tags.dat: tagID → index into `names`.
        var tagIndex = IntegerTable(capacity: 16_384)
        var names: [String] = []
        var fields: [Range<Int>] = []
        try LineReader(path: tagsPath).forEachLine { (line, number) throws(DatasetError) in
            if number == 1 || FieldParsing.isBlank(line) { return }
            _ = FieldParsing.split(line, delimiter: 0x09, quotes: false, into: &fields)
            guard fields.count == 2 else {
                throw .malformedLine(file: tagsPath, line: number, reason: "expected 2 tab-separated fields (tagID tagValue), found \(fields.count)")
            }
            let idBytes = line.slice(fields[0])
            guard case .value(let id) = FieldParsing.parseNonNegative(idBytes) else {
                throw .malformedLine(file: tagsPath, line: number, reason: "the tagID \(FieldParsing.quote(idBytes)) is not a non-negative integer")
            }
            guard tagIndex.value(for: id) == nil else {
                throw .malformedLine(file: tagsPath, line: number, reason: "the tagID \(id) is defined twice")
            }
            tagIndex.set(Int64(names.count), for: id)
            names.append(TextEncoding.latin1.decode(line.slice(fields[1])))
        }

        // user_taggedartists.dat: one key per (artist position, tag index, user).
        var triples: [Triple] = []
        var rows = 0, outside = 0
        try LineReader(path: assignmentsPath).forEachLine { (line, number) throws(DatasetError) in
            if number == 1 || FieldParsing.isBlank(line) { return }
            _ = FieldParsing.split(line, delimiter: 0x09, quotes: false, into: &fields)
            guard fields.count == 6 else {
                throw .malformedLine(file: assignmentsPath, line: number,
                                     reason: "expected 6 tab-separated fields (userID artistID tagID day month year), found \(fields.count)")
            }
            var numbers: (Int64, Int64, Int64) = (0, 0, 0)
            for (column, field) in fields.enumerated() {
                guard case .value(let value) = FieldParsing.parseNonNegative(line.slice(field)) else {
                    let names = ["userID", "artistID", "tagID", "day", "month", "year"]
                    throw .malformedLine(file: assignmentsPath, line: number,
                                         reason: "the \(names[column]) \(FieldParsing.quote(line.slice(field))) is not a non-negative integer")
                }
                switch column {
                case 0: numbers.0 = value
                case 1: numbers.1 = value
                case 2: numbers.2 = value
                default: break
                }
            }
            guard let tag = tagIndex.value(for: numbers.2) else {
                throw .malformedLine(file: assignmentsPath, line: number, reason: "the tagID \(numbers.2) is not in \(tagsPath)")
            }
            rows += 1
            guard let item = items.position(ofBytes: line.slice(fields[1])) else { outside += 1; return }
            triples.append(Triple(item: Int32(item), tag: Int32(tag), user: numbers.0))
        }

        // Sort, then count distinct users per (artist, tag).
        triples.sort()
        var entries: [(item: Int, feature: String, weight: Float)] = []
        var repeated = 0
        var index = 0
        while index < triples.count {
            let first = triples[index]
            var users = 0
            var previous: Int64 = -1
            while index < triples.count, triples[index].item == first.item, triples[index].tag == first.tag {
                if triples[index].user != previous { users += 1; previous = triples[index].user } else { repeated += 1 }
                index += 1
            }
            entries.append((Int(first.item), names[Int(first.tag)], Float(users)))
        }
        var features = ItemFeatures(itemCount: items.count, entries: entries, source: "lastfm-tags")
        let covered = features.coveredItems
        features.notes = [
            "\(assignmentsPath): \(rows) tag assignment(s) read, \(repeated) repeated (user, artist, tag) triple(s) counted once",
            "\(outside) assignment(s) name an artist that is not in the dataset",
            "\(items.count - covered) of \(items.count) artist(s) have no tag",
        ]
        return features
    }

    /// One tag assignment, ordered by artist, tag, user.
    private struct Triple: Comparable {
        var item: Int32
        var tag: Int32
        var user: Int64

        static func < (a: Triple, b: Triple) -> Bool {
            (a.item, a.tag, a.user) < (b.item, b.tag, b.user)
        }
    }
}
