import ArgumentParser
import Foundation
import RecBench

/// Input formats a user can force on a file.
enum InputFormat: String, ExpressibleByArgument, CaseIterable {
    case auto, audioscrobbler, lastfm, movielens, delimited, events
}

/// The options that choose and prepare a dataset, shared by every command that reads one.
struct DatasetOptions: ParsableArguments {
    @Argument(help: "A dataset name (\(DatasetCatalog.entries.map(\.name).joined(separator: ", "))), a folder or a file.")
    var dataset: String = DatasetCatalog.defaultName

    @Option(help: "The file format (auto: from the file names).")
    var format: InputFormat = .auto

    @Option(help: "Field delimiter of a delimited file: a character, 'tab', 'space' or 'comma'.")
    var delimiter: String = "tab"

    @Flag(help: "The delimited file's first line names the columns.")
    var header = false

    @Option(help: "User column of a delimited file: a 0-based index or a header name.")
    var userColumn: String = "0"

    @Option(help: "Item column of a delimited file: a 0-based index or a header name.")
    var itemColumn: String = "1"

    @Option(help: "Value column of a delimited file ('none': every row is one play).")
    var valueColumn: String = "2"

    @Option(help: "Timestamp column of a delimited file (Unix seconds or ISO 8601).")
    var timeColumn: String?

    @Flag(help: "Fields of a delimited file may be enclosed in double quotes.")
    var quotes = false

    @Option(help: "MovieLens: keep ratings >= this as implicit feedback (use --rating-weights to keep values).")
    var ratingThreshold: Double = 4

    @Flag(help: "MovieLens: keep ratings as weights instead of thresholding them.")
    var ratingWeights = false

    @Flag(help: "Audioscrobbler: use the full artist_alias.txt even when _small files are present.")
    var fullAliases = false

    @Option(help: "Keep only users with at least this many interactions (iterated with --min-item to a k-core).")
    var minUser: Int = 0

    @Option(help: "Keep only items with at least this many users.")
    var minItem: Int = 0

    @Option(help: "Binary cache: auto (files of 16 MB or more), always or never.")
    var cache: DatasetCache.Policy = .auto

    @Option(help: "The binary cache folder (default $RECBENCH_CACHE or ~/.cache/recbench).")
    var cacheDir: String?

    /// The source and report name these options describe.
    func source() throws -> (DatasetSource, String) {
        let name = dataset.split(separator: "/").last.map(String.init) ?? dataset
        let isFolder = DatasetCatalog.isDirectory(dataset)
        switch format {
        case .auto:
            var (source, resolvedName) = try DatasetCatalog.resolve(dataset)
            if fullAliases, case .audioscrobbler(let options) = source {
                let folder = (options.userArtistData as NSString).deletingLastPathComponent
                source = .audioscrobbler(try AudioscrobblerOptions(directory: folder, fullAliases: true))
            }
            return (source, resolvedName)
        case .audioscrobbler:
            return (.audioscrobbler(isFolder ? try AudioscrobblerOptions(directory: dataset, fullAliases: fullAliases)
                                             : AudioscrobblerOptions(userArtistData: dataset)), name)
        case .lastfm:
            return (.hetrecLastFM(isFolder ? try HetRecOptions(directory: dataset) : HetRecOptions(userArtists: dataset)), name)
        case .movielens:
            let feedback: RatingFeedback = ratingWeights ? .weights : .threshold(ratingThreshold)
            return (.movieLens(isFolder ? try MovieLensOptions(directory: dataset, feedback: feedback)
                                        : MovieLensOptions(ratings: dataset, feedback: feedback)), name)
        case .delimited, .events:
            let value: ColumnReference? = format == .events || valueColumn == "none" ? nil : ColumnReference(parsing: valueColumn)
            return (.delimited(DelimitedOptions(path: dataset, delimiter: delimiter, header: header,
                                                user: ColumnReference(parsing: userColumn), item: ColumnReference(parsing: itemColumn),
                                                value: value, timestamp: timeColumn.map(ColumnReference.init(parsing:)),
                                                quotes: quotes)), name)
        }
    }

    /// The preparation these options ask for.
    var preparation: Preparation {
        var steps: [PreparationStep] = [.dropNonPositive]
        if minUser > 0 || minItem > 0 { steps.append(.minimumInteractions(user: minUser, item: minItem)) }
        return Preparation(steps)
    }

    /// Loads and prepares the dataset.
    func load(trace: inout DatasetLoader.Trace) throws -> Dataset {
        let (source, name) = try source()
        let dataset = try DatasetLoader.load(source, name: name, cache: DatasetCache(directory: cacheDir, policy: cache), trace: &trace)
        return try preparation.apply(to: dataset)
    }
}

extension DatasetCache.Policy: ExpressibleByArgument {}
