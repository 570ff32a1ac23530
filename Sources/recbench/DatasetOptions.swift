import ArgumentParser
import Foundation
import RecBench

extension NeverPlayAgain: ExpressibleByArgument {}
extension EvaluationTask: ExpressibleByArgument {}

/// The options that choose and prepare a dataset, shared by every command that reads one.
struct DatasetOptions: ParsableArguments {
    @Argument(help: "A dataset name (\(DatasetCatalog.entries.map(\.name).joined(separator: ", "))), a folder or a file.")
    var dataset: String = DatasetCatalog.defaultName

    @Option(help: "The task: ranking (implicit feedback: values are play counts, non-positive ones dropped) or rating (explicit: values are ratings, kept as they are; metrics default to RMSE and MAE).")
    var task: EvaluationTask = .ranking

    @Option(help: "The file format: auto (from the file names), \(DatasetSource.formats.map { $0.name }.joined(separator: ", ")), or events (a delimited file, one row per play).")
    var format: String = "auto"

    @Option(help: "Field delimiter of a delimited file: a character, 'tab', 'space' or 'comma' (default: tab).")
    var delimiter: String?

    @Flag(help: "The delimited file's first line names the columns.")
    var header = false

    @Option(help: "User column of a delimited file: a 0-based index or a header name (default: 0).")
    var userColumn: String?

    @Option(help: "Item column of a delimited file: a 0-based index or a header name (default: 1).")
    var itemColumn: String?

    @Option(help: "Value column of a delimited file ('none': every row is one play; default: 2).")
    var valueColumn: String?

    @Option(help: "Timestamp column of a delimited file (Unix seconds or ISO 8601).")
    var timeColumn: String?

    @Flag(help: "Fields of a delimited file may be enclosed in double quotes.")
    var quotes = false

    @Option(help: "MovieLens: keep ratings >= this as implicit feedback (default: 4; use --rating-weights to keep values).")
    var ratingThreshold: Double?

    @Flag(help: "MovieLens: keep ratings as weights instead of thresholding them.")
    var ratingWeights = false

    @Flag(help: "Audioscrobbler: use the full artist_alias.txt even when _small files are present.")
    var fullAliases = false

    @Option(help: "Yahoo! Music R1: what the rating 255 (never play again) becomes: drop (default) or zero.")
    var neverPlayAgain: NeverPlayAgain?

    @Option(help: "Keep only users with at least this many interactions (iterated with --min-item to a k-core).")
    var minUser: Int = 0

    @Option(help: "Keep only items with at least this many users.")
    var minItem: Int = 0

    @Option(help: "Item features (tags, genres): auto (the dataset's own: Last.fm 2K tags, MovieLens genres; none if it has none), none, lastfm-tags:DIR, movielens-genres:FILE, table:FILE (item<TAB>feature[<TAB>weight]), or a path.")
    var itemFeatures: String = "auto"

    @Option(help: "Binary cache: auto (files of 16 MB or more), always or never.")
    var cache: DatasetCache.Policy = .auto

    @Option(help: "The binary cache folder (default $RECBENCH_CACHE or ~/.cache/recbench).")
    var cacheDir: String?

    /// The format-specific options that were given, with the format each belongs to (its ``DatasetFormat/name``).
    private var givenFormatOptions: [(option: String, format: String)] {
        let delimited = [delimiter.map { _ in "--delimiter" }, header ? "--header" : nil, userColumn.map { _ in "--user-column" },
                         itemColumn.map { _ in "--item-column" }, valueColumn.map { _ in "--value-column" },
                         timeColumn.map { _ in "--time-column" }, quotes ? "--quotes" : nil].compactMap { $0 }
        let movieLens = [ratingThreshold.map { _ in "--rating-threshold" }, ratingWeights ? "--rating-weights" : nil].compactMap { $0 }
        let audioscrobbler = fullAliases ? ["--full-aliases"] : []
        let yahooR1 = neverPlayAgain == nil ? [] : ["--never-play-again"]
        return delimited.map { ($0, DelimitedOptions.name) } + movieLens.map { ($0, MovieLensOptions.name) }
            + audioscrobbler.map { ($0, AudioscrobblerOptions.name) } + yahooR1.map { ($0, YahooR1Options.name) }
    }

    /// The library format `--format` names (``DatasetSource/formats``), or nil for `auto`
    /// (`events` is a delimited file without a value column).
    private func forcedFormat() throws -> (any DatasetFormat.Type)? {
        switch format {
        case "auto": return nil
        case "events": return DelimitedOptions.self
        default:
            guard let forced = DatasetSource.format(named: format) else {
                let known = ["auto"] + DatasetSource.formats.map { $0.name } + ["events"]
                throw DatasetOptionError("--format \(format): there is no such format; use one of \(known.joined(separator: ", "))")
            }
            return forced
        }
    }

    /// The source and report name these options describe, resolved by the library
    /// (``DatasetCatalog/resolve(_:format:)``), with the format options applied.
    ///
    /// Format options apply to the format that is read, whether it was given with `--format`
    /// or recognised from the file names; an option for another format does nothing, so it is
    /// an error (``DatasetOptionError``) rather than ignored.
    func source() throws -> (DatasetSource, String) {
        if ratingWeights, ratingThreshold != nil {
            throw DatasetOptionError("--rating-threshold does nothing with --rating-weights (every rating is kept as a weight); give one of them")
        }
        if task == .rating, ratingThreshold != nil {
            throw DatasetOptionError("--rating-threshold does nothing with --task rating (ratings are kept as they are); leave it out, or use --task ranking")
        }
        if format == "events", let valueColumn, valueColumn != "none" {
            throw DatasetOptionError("--value-column does nothing with --format events (every row is one play); use --format delimited to read a value column")
        }
        var (source, name) = try DatasetCatalog.resolve(dataset, format: try forcedFormat())
        let read = type(of: source.format)
        let misplaced = givenFormatOptions.filter { $0.format != read.name }.map(\.option)
        if !misplaced.isEmpty {
            let how = format == "auto" ? "is recognised as \(read.title)" : "is read as \(read.title) (--format \(format))"
            throw DatasetOptionError("\(misplaced.joined(separator: ", ")) \(misplaced.count == 1 ? "does" : "do") nothing here: "
                                     + "\(dataset) \(how); \(Self.owner(of: misplaced[0]))")
        }
        switch source {
        case .audioscrobbler(var options) where fullAliases:
            let folder = (options.userArtistData as NSString).deletingLastPathComponent
            let full = (folder.isEmpty ? "." : folder) + "/artist_alias.txt"
            guard DatasetCatalog.isFile(full) else { throw DatasetOptionError("--full-aliases: there is no \(full)") }
            options.artistAlias = full
            source = .audioscrobbler(options)
        case .movieLens(var options):
            options.feedback = ratingWeights || task == .rating ? .weights : .threshold(ratingThreshold ?? 4)
            source = .movieLens(options)
        case .yahooR1(var options):
            if let neverPlayAgain { options.neverPlayAgain = neverPlayAgain }
            source = .yahooR1(options)
        case .delimited(var options):
            if format == "events" { options.value = nil }
            if let delimiter { options.delimiter = delimiter }
            options.header = header
            options.quotes = quotes
            if let userColumn { options.user = ColumnReference(parsing: userColumn) }
            if let itemColumn { options.item = ColumnReference(parsing: itemColumn) }
            if let valueColumn, format != "events" { options.value = valueColumn == "none" ? nil : ColumnReference(parsing: valueColumn) }
            if let timeColumn { options.timestamp = ColumnReference(parsing: timeColumn) }
            source = .delimited(options)
        default:
            break
        }
        return (source, name)
    }

    /// Which format an option belongs to, for messages.
    private static func owner(of option: String) -> String {
        switch option {
        case "--rating-threshold", "--rating-weights": return "\(option) applies to MovieLens ratings only"
        case "--full-aliases": return "--full-aliases applies to the Audioscrobbler dump only"
        case "--never-play-again": return "--never-play-again applies to Yahoo! Music R1 only"
        default: return "\(option) applies only to a delimited file (--format delimited or events)"
        }
    }

    /// The preparation these options ask for.
    var preparation: Preparation {
        var steps = task.preparationSteps
        if minUser > 0 || minItem > 0 { steps.append(.minimumInteractions(user: minUser, item: minItem)) }
        return Preparation(steps)
    }

    /// Loads and prepares the dataset.
    func load(trace: inout DatasetLoader.Trace) throws -> Dataset {
        let (source, name) = try source()
        let dataset = try DatasetLoader.load(source, name: name, cache: DatasetCache(directory: cacheDir, policy: cache), trace: &trace)
        // Features first: the preparation keeps the features of the items it keeps.
        let featured = try ItemFeatureSource(parsing: itemFeatures).attach(to: dataset, source: source)
        return try preparation.apply(to: featured)
    }
}

extension DatasetOptions {
    /// Loads, prepares and splits the dataset; the `given` split reads the release's own test
    /// file instead (``Splitter/given(_:name:)``), with no preparation but the task's.
    func split(method: SplitMethod, seed: UInt64) throws -> Split {
        guard method == .given else {
            var trace = DatasetLoader.Trace()
            return try Splitter.split(try load(trace: &trace), method: method, seed: seed)
        }
        if minUser > 0 || minItem > 0 {
            throw DatasetOptionError("--min-user and --min-item do not apply to --split given: the release's train and test files are used as they are")
        }
        let (source, name) = try source()
        // R3's ratings are 1–5: no preparation step of either task changes them.
        var split = try Splitter.given(source.reading(for: task), name: name)
        split.itemFeatures = try ItemFeatureSource(parsing: itemFeatures).load(items: split.items, dataset: source)
        return split
    }
}

extension DatasetCache.Policy: ExpressibleByArgument {}

/// A dataset option that does not apply to the data being read: a usage error (exit code 2).
struct DatasetOptionError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
