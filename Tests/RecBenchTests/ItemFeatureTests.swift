import Foundation
import Testing
@testable import RecBench

/// Item features: the loaders (Last.fm 2K tags, MovieLens genres, feature tables), their
/// alignment with a dataset's items, bad input, detection, coverage and the experiment key.
@Suite("Item features")
struct ItemFeatureTests {
    /// The weight of `feature` for `item` (0 when absent).
    func weight(_ features: ItemFeatures, item: Int, _ feature: String) -> Float {
        guard let column = features.names.firstIndex(of: feature) else { return 0 }
        let (columns, weights) = features.features(of: item)
        guard let k = columns.firstIndex(of: Int32(column)) else { return 0 }
        return weights[k]
    }

    /// A HetRec folder: tags.dat has tag 2 spelled in ISO-8859-1 ("música": 0xFA), and the
    /// assignments are, as (user, artist, tag):
    ///   (1, 10, 1) (2, 10, 1) (1, 10, 1) again on another day, (1, 10, 2), (3, 99, 1).
    /// Artist 10: rock = distinct users {1, 2} = 2 (the repeat counts once), música = {1} = 1.
    /// Artist 20: no tag. Artist 99 is not in the dataset: 1 row counted outside.
    func lastFMFolder(_ folder: TemporaryFolder) {
        folder.write("lastfm/tags.dat", bytes: Array("tagID\ttagValue\n1\trock\n2\tm".utf8) + [0xFA] + Array("sica\n3\tunused\n".utf8))
        folder.write("lastfm/user_taggedartists.dat", """
            userID\tartistID\ttagID\tday\tmonth\tyear
            1\t10\t1\t1\t4\t2009
            2\t10\t1\t2\t4\t2009
            1\t10\t1\t3\t5\t2010
            1\t10\t2\t1\t4\t2009
            3\t99\t1\t1\t4\t2009

            """)
    }

    @Test func lastFMTagWeightIsTheNumberOfDistinctUsersAndARepeatedRowCountsOnce() throws {
        let folder = TemporaryFolder()
        lastFMFolder(folder)
        let features = try LastFMTags.load(directory: folder.path + "/lastfm", items: Vocabulary(integers: [10, 20]))
        #expect(features.itemCount == 2)
        #expect(weight(features, item: 0, "rock") == 2)
        #expect(weight(features, item: 0, "música") == 1)
        #expect(features.features(of: 1).columns.isEmpty)
        #expect(!features.names.contains("unused"))
        #expect(features.source == "lastfm-tags")
        #expect(features.notes[0].hasSuffix("5 tag assignment(s) read, 1 repeated (user, artist, tag) triple(s) counted once"))
        #expect(features.notes[1] == "1 assignment(s) name an artist that is not in the dataset")
        #expect(features.notes[2] == "1 of 2 artist(s) have no tag")
    }

    @Test func movieLensUItemFlagsBecomeGenresInUGenreOrder() throws {
        let folder = TemporaryFolder()
        // Flags: movie 1 Animation|Children's|Comedy (fields 3, 4, 5 of 19), movie 2 unknown only,
        // movie 3 none, movie 4 Western (not in the dataset). The title has a Latin-1 byte.
        func line(_ id: Int, _ on: [Int]) -> [UInt8] {
            let flags = (0..<19).map { on.contains($0) ? "1" : "0" }.joined(separator: "|")
            return Array("\(id)|Caf".utf8) + [0xE9] + Array(" (1995)|01-Jan-1995||http://x|\(flags)\n".utf8)
        }
        let file = folder.write("u.item", bytes: line(1, [3, 4, 5]) + line(2, [0]) + line(3, []) + line(4, [18]))
        let features = try MovieLensGenres.load(file: file, items: Vocabulary(integers: [3, 2, 1]))
        #expect(weight(features, item: 2, "Animation") == 1)
        #expect(weight(features, item: 2, "Children's") == 1)
        #expect(weight(features, item: 2, "Comedy") == 1)
        #expect(features.features(of: 2).columns.count == 3)
        #expect(weight(features, item: 1, "unknown") == 1)
        #expect(features.features(of: 0).columns.isEmpty)
        #expect(!features.names.contains("Western"))
        #expect(features.notes == ["\(file): 4 movie(s) read", "1 movie(s) are not in the dataset", "1 of 3 movie(s) have no genre"])
    }

    @Test func moviesCSVGenresReadQuotedTitlesWithCommasAndNoGenresListed() throws {
        let folder = TemporaryFolder()
        let file = folder.write("movies.csv", """
            movieId,title,genres
            1,"Toy Story, The (1995)",Adventure|Animation
            2,Jumanji (1995),(no genres listed)
            3,"Say ""Hi"", Again (2001)",Comedy|Comedy

            """)
        let features = try MovieLensGenres.load(file: file, items: Vocabulary(integers: [1, 2, 3]))
        #expect(weight(features, item: 0, "Adventure") == 1 && weight(features, item: 0, "Animation") == 1)
        #expect(features.features(of: 1).columns.isEmpty)
        #expect(!features.names.contains("(no genres listed)"))
        #expect(weight(features, item: 2, "Comedy") == 1)     // a genre listed twice is still 1
        #expect(features.featureCount == 3)
    }

    @Test func moviesDatGenresFollowTheLastDoubleColon() throws {
        let folder = TemporaryFolder()
        let file = folder.write("movies.dat", "1::Toy Story (1995)::Animation|Children's\n2::Ti::tle: A (1999)::Drama\n")
        let features = try MovieLensGenres.load(file: file, items: Vocabulary(integers: [1, 2]))
        #expect(weight(features, item: 0, "Children's") == 1)
        #expect(weight(features, item: 1, "Drama") == 1)
        #expect(features.featureCount == 3)
    }

    @Test func featureTableReadsNumericCategoricalAndWeightedFeatures() throws {
        let folder = TemporaryFolder()
        // track7: tempo = 121.5 (numeric), artist=Queen (categorical, 1), rock 0.5 + rock 0.25 = 0.75;
        // track8: jazz 1 (default weight), key=-3 (numeric, negative); track9 is not in the dataset.
        let file = folder.write("features.tsv", """
            # item\tfeature\tweight

            track7\ttempo=121.5
            track7\tartist=Queen
            track7\trock\t0.5
            track7\trock\t0.25
            track8\tjazz
            track8\tkey=-3
            track9\tjazz
            """)
        let features = try FeatureTable.load(file: file, items: Vocabulary(strings: ["track7", "track8", "track0"]))
        #expect(weight(features, item: 0, "tempo") == 121.5)
        #expect(weight(features, item: 0, "artist=Queen") == 1)
        #expect(weight(features, item: 0, "rock") == 0.75)
        #expect(weight(features, item: 1, "jazz") == 1)
        #expect(weight(features, item: 1, "key") == -3)
        #expect(features.features(of: 2).columns.isEmpty)
        #expect(features.notes == ["\(file): 7 feature line(s) read", "1 line(s) name an item that is not in the dataset",
                                   "1 of 3 item(s) have no feature"])
    }

    @Test(arguments: [
        ("a\tb\tc\td\n", 1, "found 4 tab-separated field(s)"),
        ("a\trock\n\na\tjazz\tlots\n", 3, "the weight 'lots' is not a number"),
        ("a\trock\t1e999\n", 1, "is not a finite number"),
        ("a\ttempo=1e999\n", 1, "is not a finite number"),
        ("a\ttempo=120\t2\n", 1, "has a weight field too"),
        ("\trock\n", 1, "the item is empty"),
        ("a\n", 1, "found 1 tab-separated field(s)"),
    ])
    func aMalformedFeatureTableLineNamesTheFileAndLine(text: String, line: Int, reason: String) {
        let folder = TemporaryFolder()
        let file = folder.write("bad.tsv", text)
        #expect {
            _ = try FeatureTable.load(file: file, items: Vocabulary(strings: ["a"]))
        } throws: { error in
            guard case DatasetError.malformedLine(let f, let l, let r) = error else { return false }
            return f == file && l == line && r.contains(reason)
        }
    }

    @Test func malformedLastFMFilesNameTheFileAndLine() {
        let folder = TemporaryFolder()
        lastFMFolder(folder)
        let directory = folder.path + "/lastfm"
        let assignments = directory + "/user_taggedartists.dat"
        func failure() -> DatasetError? {
            do { _ = try LastFMTags.load(directory: directory, items: Vocabulary(integers: [10])); return nil } catch { return error }
        }
        folder.write("lastfm/user_taggedartists.dat", "userID\tartistID\ttagID\tday\tmonth\tyear\n1\t10\t1\t1\t4\t2009\n1\t10\t7\t1\t4\t2009\n")
        #expect(failure() == .malformedLine(file: assignments, line: 3, reason: "the tagID 7 is not in \(directory)/tags.dat"))
        folder.write("lastfm/user_taggedartists.dat", "userID\tartistID\ttagID\tday\tmonth\tyear\n1\t10\t1\t1\t4\n")
        #expect(failure() == .malformedLine(file: assignments, line: 2,
                                            reason: "expected 6 tab-separated fields (userID artistID tagID day month year), found 5"))
        folder.write("lastfm/user_taggedartists.dat", "userID\tartistID\ttagID\tday\tmonth\tyear\nx\t10\t1\t1\t4\t2009\n")
        #expect(failure() == .malformedLine(file: assignments, line: 2, reason: "the userID 'x' is not a non-negative integer"))
        lastFMFolder(folder)
        folder.write("lastfm/tags.dat", "tagID\ttagValue\n1\trock\n1\tpop\n")
        #expect(failure() == .malformedLine(file: directory + "/tags.dat", line: 3, reason: "the tagID 1 is defined twice"))
        folder.write("lastfm/tags.dat", "tagID\ttagValue\nrock\n")
        #expect(failure() == .malformedLine(file: directory + "/tags.dat", line: 2, reason: "expected 2 tab-separated fields (tagID tagValue), found 1"))
    }

    @Test func malformedMovieLensItemFilesNameTheFileAndLine() {
        let folder = TemporaryFolder()
        let flags = Array(repeating: "0", count: 19).joined(separator: "|")
        let uItem = folder.write("u.item", "1|A|d||u|\(flags)\n2|B|d||u|\(flags.dropLast())2\n")
        #expect(throws: DatasetError.malformedLine(file: uItem, line: 2, reason: "the Western flag '2' is not 0 or 1")) {
            try MovieLensGenres.load(file: uItem, items: Vocabulary(integers: [1]))
        }
        let short = folder.write("u2.item", "1|A|0|1\n")
        #expect(throws: DatasetError.malformedLine(file: short, line: 1, reason: "expected a movie id and 19 genre flags separated by '|', found 4 field(s)")) {
            try MovieLensGenres.load(file: short, items: Vocabulary(integers: [1]))
        }
        let csv = folder.write("movies.csv", "movieId,title,genres\nx1,A,Drama\n")
        #expect(throws: DatasetError.malformedLine(file: csv, line: 2, reason: "the movie id 'x1' is not a non-negative integer")) {
            try MovieLensGenres.load(file: csv, items: Vocabulary(integers: [1]))
        }
        let fields = folder.write("m2.csv", "movieId,title,genres\n1,A\n")
        #expect(throws: DatasetError.malformedLine(file: fields, line: 2, reason: "expected 3 comma-separated fields (movieId,title,genres), found 2")) {
            try MovieLensGenres.load(file: fields, items: Vocabulary(integers: [1]))
        }
    }

    @Test func aMissingFeatureFileIsAFileNotFoundError() {
        let folder = TemporaryFolder()
        #expect(throws: DatasetError.fileNotFound(path: folder.path + "/nope.tsv")) {
            try ItemFeatureSource.table(file: folder.path + "/nope.tsv").load(items: Vocabulary(strings: ["a"]))
        }
        #expect(throws: DatasetError.fileNotFound(path: folder.path + "/tags.dat")) {
            try ItemFeatureSource.lastfmTags(directory: folder.path).load(items: Vocabulary(integers: [1]))
        }
    }

    @Test func textFormsParseAndRoundTrip() throws {
        let folder = TemporaryFolder()
        lastFMFolder(folder)
        folder.write("ml/u.item", "")
        let table = folder.write("t.tsv", "a\tb\n")
        #expect(try ItemFeatureSource(parsing: "auto") == .auto)
        #expect(try ItemFeatureSource(parsing: "none") == .none)
        #expect(try ItemFeatureSource(parsing: "lastfm-tags:/x") == .lastfmTags(directory: "/x"))
        #expect(try ItemFeatureSource(parsing: "movielens-genres:/x/u.item") == .movieLensGenres(file: "/x/u.item"))
        #expect(try ItemFeatureSource(parsing: "table:/x/f.tsv") == .table(file: "/x/f.tsv"))
        // Bare paths: a folder by its files, a file by its name.
        #expect(try ItemFeatureSource(parsing: folder.path + "/lastfm") == .lastfmTags(directory: folder.path + "/lastfm"))
        #expect(try ItemFeatureSource(parsing: folder.path + "/lastfm/tags.dat") == .lastfmTags(directory: folder.path + "/lastfm"))
        #expect(try ItemFeatureSource(parsing: folder.path + "/ml") == .movieLensGenres(file: folder.path + "/ml/u.item"))
        #expect(try ItemFeatureSource(parsing: "/x/movies.csv") == .movieLensGenres(file: "/x/movies.csv"))
        #expect(try ItemFeatureSource(parsing: table) == .table(file: table))
        #expect(throws: DatasetError.self) { try ItemFeatureSource(parsing: "") }
        #expect(throws: DatasetError.self) { try ItemFeatureSource(parsing: "table:") }
        #expect(throws: DatasetError.self) { try ItemFeatureSource(parsing: folder.path) }   // a folder with no feature files
        for source: ItemFeatureSource in [.auto, .none, .lastfmTags(directory: "/a b"), .movieLensGenres(file: "/u.item"), .table(file: "/f:g.tsv")] {
            #expect(try ItemFeatureSource(parsing: source.description) == source)
            let json = try JSONEncoder().encode(source)
            #expect(try JSONDecoder().decode(ItemFeatureSource.self, from: json) == source)
        }
    }

    @Test func autoDetectsLastFMTagsAndMovieLensGenresFromTheDatasetFiles() throws {
        let folder = TemporaryFolder()
        lastFMFolder(folder)
        folder.write("lastfm/user_artists.dat", "userID\tartistID\tweight\n1\t10\t3\n")
        let hetrec = try HetRecOptions(directory: folder.path + "/lastfm").source
        #expect(ItemFeatureSource.detect(for: hetrec) == .lastfmTags(directory: folder.path + "/lastfm"))
        folder.write("plain/user_artists.dat", "userID\tartistID\tweight\n1\t10\t3\n")
        #expect(ItemFeatureSource.detect(for: try HetRecOptions(directory: folder.path + "/plain").source) == .none)

        folder.write("ml/u.data", "1\t1\t5\t1\n")
        folder.write("ml/u.item", "")
        #expect(ItemFeatureSource.detect(for: try MovieLensOptions(directory: folder.path + "/ml").source) == .movieLensGenres(file: folder.path + "/ml/u.item"))
        // The ratings file alone (no items option): the item file beside it.
        #expect(ItemFeatureSource.detect(for: MovieLensOptions(file: folder.path + "/ml/u.data").source) == .movieLensGenres(file: folder.path + "/ml/u.item"))
        folder.write("latest/ratings.csv", "userId,movieId,rating,timestamp\n1,1,5,1\n")
        folder.write("latest/movies.csv", "movieId,title,genres\n")
        #expect(ItemFeatureSource.detect(for: try MovieLensOptions(directory: folder.path + "/latest").source) == .movieLensGenres(file: folder.path + "/latest/movies.csv"))
        let delimited = folder.write("d.tsv", "u\ti\t1\n")
        #expect(ItemFeatureSource.detect(for: .delimited(DelimitedOptions(path: delimited))) == .none)
        #expect(try ItemFeatureSource.auto.load(items: Vocabulary(strings: ["i"]), dataset: .delimited(DelimitedOptions(path: delimited))) == nil)
        #expect(try ItemFeatureSource.auto.load(items: Vocabulary(strings: ["i"]), dataset: nil) == nil)
        #expect(ItemFeatureSource.table(file: "/f").resolved(for: hetrec) == .table(file: "/f"))
    }

    @Test func featuresFollowTheirItemsThroughPreparation() throws {
        let folder = TemporaryFolder()
        // Items by first appearance: a (3 users), b (2), c (1); a 1-user/2-item core drops c.
        let data = folder.write("plays.tsv", "u1\ta\t1\nu1\tb\t1\nu2\ta\t1\nu2\tb\t1\nu3\tc\t1\nu3\ta\t1\n")
        let table = folder.write("f.tsv", "c\tpop\nb\tjazz\na\trock\na\tloud\t2\n")
        let source = DatasetSource.delimited(DelimitedOptions(path: data))
        let loaded = try ItemFeatureSource(parsing: "table:" + table).attach(to: try DatasetLoader.parse(source), source: source)
        let prepared = try Preparation([.minimumInteractions(user: 1, item: 2)]).apply(to: loaded)
        let features = try #require(prepared.itemFeatures)
        #expect(prepared.itemCount == 2 && features.itemCount == 2)
        let a = try #require(prepared.items.position(of: "a")), b = try #require(prepared.items.position(of: "b"))
        #expect(weight(features, item: a, "rock") == 1 && weight(features, item: a, "loud") == 2)
        #expect(weight(features, item: b, "jazz") == 1)
        #expect(features.features(of: a).columns.count == 2 && features.features(of: b).columns.count == 1)
        // The dropped item's feature is no longer used by any item: coverage does not count it.
        #expect(features.coverage.features == 3)
    }

    @Test func coverageCountsCoveredItemsAndFeaturesPerItem() {
        // Items 0: {x, y, z}, 1: {}, 2: {x}, 3: {y, z}: covered 3 of 4 (75%); per covered item 3, 1, 2:
        // mean 2, median 2, max 3; features used: x, y, z = 3 (w is used by no item).
        let features = ItemFeatures(itemCount: 4, entries: [(0, "x", 1), (0, "y", 1), (0, "z", 1), (2, "x", 1), (3, "y", 1), (3, "z", 1), (9, "w", 1)],
                                    source: "test")
        let coverage = features.coverage
        #expect(coverage.coveredItems == 3 && coverage.items == 4 && coverage.coveredShare == 0.75)
        #expect(coverage.features == 3)
        #expect(coverage.featuresPerItem == FeatureCoverage.PerItem(mean: 2, median: 2, max: 3))
        // Even count: median of 1 and 3 is 2; no item: all 0.
        let even = ItemFeatures(itemCount: 2, entries: [(0, "x", 1), (1, "x", 1), (1, "y", 1), (1, "z", 1)], source: "t").coverage
        #expect(even.featuresPerItem.median == 2)
        let empty = ItemFeatures(itemCount: 0, entries: [], source: "t").coverage
        #expect(empty.coveredShare == 0 && empty.featuresPerItem.max == 0)
    }

    @Test func statisticsCarryCoverageOnlyWhenFeaturesAreLoaded() throws {
        let folder = TemporaryFolder()
        let data = folder.write("plays.tsv", "u1\ta\t1\nu2\tb\t1\n")
        let source = DatasetSource.delimited(DelimitedOptions(path: data))
        let plain = try DatasetLoader.parse(source)
        #expect(DatasetStatistics(plain).itemFeatures == nil)
        let table = folder.write("f.tsv", "a\trock\n")
        let featured = try ItemFeatureSource.table(file: table).attach(to: plain, source: source)
        #expect(DatasetStatistics(featured).itemFeatures?.coveredItems == 1)
    }

    @Test func theEmbeddedLastFM2KHasItsTagsDetected() throws {
        let (source, _) = try DatasetCatalog.resolve(SharedData.lastFM)
        let dataset = try DatasetLoader.parse(source)
        let features = try #require(try ItemFeatureSource.auto.load(items: dataset.items, dataset: source))
        // Counted independently from the files: 12,133 artists of 17,632 have tags, 9,718 tags.
        let coverage = features.coverage
        #expect(coverage.coveredItems == 12_133 && coverage.items == 17_632 && coverage.features == 9_718)
        #expect(coverage.featuresPerItem.max == 329 && coverage.featuresPerItem.median == 5)
    }

    @Test func theExperimentKeyItemFeaturesIsParsedAndChangesTheIdentityOnlyWhenNotAuto() throws {
        func parse(_ value: String?) throws -> Experiment {
            let line = value.map { "item_features = \"\($0)\"\n" } ?? ""
            return try Experiment.parse("[dataset]\nname = \"lastfm-2k\"\n\(line)\n[[algorithms]]\ntype = \"popularity\"\n", file: "x.toml")
        }
        #expect(try parse(nil).itemFeatures == .auto)
        #expect(try parse("none").itemFeatures == .none)
        #expect(try parse("table:/f.tsv").itemFeatures == .table(file: "/f.tsv"))
        #expect(try parse(nil).identity(datasetSHA256: "x") == parse("auto").identity(datasetSHA256: "x"))
        #expect(try parse(nil).identity(datasetSHA256: "x") != parse("none").identity(datasetSHA256: "x"))
        #expect(throws: ExperimentError.self) { try parse("") }
    }
}
