/// MovieLens genres as item features, weight 1 per genre of a movie.
///
/// Files: `u.item` (MovieLens 100K: `|`-separated, ISO-8859-1, no header; the last 19 fields
/// are 0/1 flags in `u.genre`'s order), `movies.csv` (latest releases: `movieId,title,genres`
/// with a header, quoted titles, UTF-8; genres `|`-separated, `(no genres listed)` for none)
/// and `movies.dat` (1M: `movieId::title::genres`, ISO-8859-1). Harper and Konstan, "The
/// MovieLens Datasets: History and Context", ACM TiiS 5(4), 2015.
public enum MovieLensGenres {
    /// The item files this loader reads, in the order a folder is searched.
    public static let fileNames = ["u.item", "movies.csv", "movies.dat"]

    /// The genres of `u.item`'s 19 flag fields, in order (`u.genre`).
    public static let flagGenres = ["unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary",
                                    "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi",
                                    "Thriller", "War", "Western"]

    /// What `movies.csv` writes for a movie without genres.
    public static let noGenres = "(no genres listed)"

    /// Loads the genres of the movies in `items` from `file`, read by its name: `movies.csv`
    /// (any `.csv`), `movies.dat` (any `.dat`), otherwise `u.item`.
    ///
    /// - Parameters:
    ///   - file: the item file.
    ///   - items: the dataset's movies (raw ids are movie ids).
    /// - Returns: items × genres, weight 1; notes count the movies read, those not in the
    ///   dataset, and the dataset's movies without a genre.
    /// - Throws: ``DatasetError`` for a missing file; ``DatasetError/malformedLine(file:line:reason:)``
    ///   for too few fields, a movie id that is not a non-negative integer, or a flag other than 0 or 1.
    /// - Complexity: O(lines · genres).
    public static func load(file: String, items: Vocabulary) throws(DatasetError) -> ItemFeatures {
        let csv = file.hasSuffix(".csv"), dat = file.hasSuffix(".dat")
        var entries: [(item: Int, feature: String, weight: Float)] = []
        var rows = 0, outside = 0
        var fields: [Range<Int>] = []
        var genres: [(Range<Int>)] = []
        try LineReader(path: file).forEachLine { (line, number) throws(DatasetError) in
            if csv && number == 1 { return }
            if FieldParsing.isBlank(line) { return }
            let idRange: Range<Int>
            var names: [String] = []
            if csv {
                guard FieldParsing.split(line, delimiter: 0x2C, quotes: true, into: &fields) else {
                    throw .malformedLine(file: file, line: number, reason: "a quoted field is not closed")
                }
                guard fields.count == 3 else {
                    throw .malformedLine(file: file, line: number, reason: "expected 3 comma-separated fields (movieId,title,genres), found \(fields.count)")
                }
                idRange = fields[0]
                let text = line.slice(fields[2])
                _ = FieldParsing.split(text, delimiter: 0x7C, quotes: false, into: &genres)
                for genre in genres where !genre.isEmpty {
                    let name = TextEncoding.utf8.decode(text.slice(genre))
                    if name != noGenres { names.append(name) }
                }
            } else if dat {
                guard let first = FieldParsing.doubleColon(in: line, from: 0) else {
                    throw .malformedLine(file: file, line: number, reason: "expected movieId::title::genres, found \(FieldParsing.quote(line))")
                }
                var last = first
                while let next = FieldParsing.doubleColon(in: line, from: last + 2) { last = next }
                guard last > first else {
                    throw .malformedLine(file: file, line: number, reason: "expected movieId::title::genres, found \(FieldParsing.quote(line))")
                }
                idRange = 0..<first
                let text = line.slice((last + 2)..<line.count)
                _ = FieldParsing.split(text, delimiter: 0x7C, quotes: false, into: &genres)
                for genre in genres where !genre.isEmpty {
                    let name = TextEncoding.latin1.decode(text.slice(genre))
                    if name != noGenres { names.append(name) }
                }
            } else {
                _ = FieldParsing.split(line, delimiter: 0x7C, quotes: false, into: &fields)
                guard fields.count >= flagGenres.count + 1 else {
                    throw .malformedLine(file: file, line: number,
                                         reason: "expected a movie id and \(flagGenres.count) genre flags separated by '|', found \(fields.count) field(s)")
                }
                idRange = fields[0]
                let flags = fields.suffix(flagGenres.count)
                for (genre, field) in zip(flagGenres, flags) {
                    let flag = line.slice(field)
                    guard flag.count == 1, flag[0] == 0x30 || flag[0] == 0x31 else {
                        throw .malformedLine(file: file, line: number, reason: "the \(genre) flag \(FieldParsing.quote(flag)) is not 0 or 1")
                    }
                    if flag[0] == 0x31 { names.append(genre) }
                }
            }
            let idBytes = line.slice(idRange)
            guard case .value = FieldParsing.parseNonNegative(idBytes) else {
                throw .malformedLine(file: file, line: number, reason: "the movie id \(FieldParsing.quote(idBytes)) is not a non-negative integer")
            }
            rows += 1
            guard let item = items.position(ofBytes: idBytes) else { outside += 1; return }
            for name in names { entries.append((item, name, 1)) }
        }
        // A genre listed twice for one movie is still weight 1.
        var seen = Set<String>()
        entries = entries.filter { seen.insert("\($0.item)\u{0}\($0.feature)").inserted }
        var features = ItemFeatures(itemCount: items.count, entries: entries, source: "movielens-genres")
        let covered = features.coveredItems
        features.notes = [
            "\(file): \(rows) movie(s) read",
            "\(outside) movie(s) are not in the dataset",
            "\(items.count - covered) of \(items.count) movie(s) have no genre",
        ]
        return features
    }
}
