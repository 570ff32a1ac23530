import Foundation
import Testing
@testable import RecBench

/// Every data format through the one resolution: detected from a folder or a file name, or
/// forced; JSON with its `type`; and the JSON the cache wrote before the layout was explicit.
@Suite("Dataset formats")
struct DatasetFormatTests {
    /// A folder per format, each with a tiny file of its kind.
    static func folders(_ root: TemporaryFolder) -> [(path: String, file: String, format: any DatasetFormat.Type)] {
        let audio = root.write("a/user_artist_data_small.txt", "1 10 3\n1 11 1\n2 10 2\n")
        root.write("a/artist_alias_small.txt", "11\t10\n")
        let hetrec = root.write("h/user_artists.dat", "userID\tartistID\tweight\n1\t10\t3\n2\t11\t1\n")
        root.write("h/artists.dat", "id\tname\turl\tpictureURL\n10\tA\tx\ty\n11\tB\tx\ty\n")
        let movielens = root.write("m/u.data", "1\t10\t5\t100\n2\t10\t4\t200\n2\t11\t1\t300\n")
        let delimited = root.write("d/plays.tsv", "u1\ti1\t3\nu2\ti1\t1\n")
        let yahooR1 = root.write("y1/ydata-ymusic-user-artist-ratings-v1_0.txt", "1\t1000125\t90\n2\t1000125\t255\n")
        let yahooR3 = root.write("y3/ydata-ymusic-rating-study-v1_0-train.txt", "1\t10\t5\n2\t11\t1\n")
        return [(root.path + "/a", audio, AudioscrobblerOptions.self), (root.path + "/h", hetrec, HetRecOptions.self),
                (root.path + "/m", movielens, MovieLensOptions.self), (root.path + "/d", delimited, DelimitedOptions.self),
                (root.path + "/y1", yahooR1, YahooR1Options.self), (root.path + "/y3", yahooR3, YahooR3Options.self)]
    }

    @Test func everyFormatIsDetectedFromItsFolderOrFileAndRoundTripsThroughJSON() throws {
        let root = TemporaryFolder()
        for (folder, file, format) in Self.folders(root) {
            var paths = [file]
            if !format.folderMarkers.isEmpty { paths.append(folder) }
            for path in paths {
                let (source, _) = try DatasetCatalog.resolve(path)
                #expect(type(of: source.format).name == format.name, "\(path)")
                #expect(source.files.first == file)
                let json = try JSONEncoder().encode(source)
                let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
                #expect(object["type"] as? String == format.name)
                #expect(try JSONDecoder().decode(DatasetSource.self, from: json) == source)
                #expect(try DatasetLoader.parse(source).interactionCount > 0)
            }
        }
    }

    @Test func companionFilesAreFoundBesideARecognisedFileButNotWhenTheFormatIsForced() throws {
        let root = TemporaryFolder()
        let audio = Self.folders(root)[0].file
        guard case .audioscrobbler(let detected) = try DatasetCatalog.resolve(audio).source else { Issue.record("not detected"); return }
        #expect(detected.artistAlias == root.path + "/a/artist_alias_small.txt")
        guard case .audioscrobbler(let forced) = try DatasetCatalog.resolve(audio, format: AudioscrobblerOptions.self).source else {
            Issue.record("not forced"); return
        }
        #expect(forced.artistAlias == nil)
    }

    @Test func aFolderNoFormatRecognisesIsATypedErrorListingTheMarkers() throws {
        let root = TemporaryFolder()
        root.write("x/readme.txt", "nothing\n")
        #expect(throws: DatasetError.missingFiles(directory: root.path + "/x", expected: ["user_artist_data.txt", "user_artists.dat", "u.data", "ratings.csv",
                                                                                            "ydata-ymusic-user-artist-ratings-v1_0.txt", "ydata-ymusic-rating-study-v1_0-train.txt"])) {
            try DatasetSource.detect(root.path + "/x")
        }
    }

    @Test func theJSONLayoutIsExplicitAndTheOldLayoutStillDecodes() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let movieLens = DatasetSource.movieLens(MovieLensOptions(ratings: "u.data"))
        #expect(String(decoding: try encoder.encode(movieLens), as: UTF8.self) == #"{"feedback":{"threshold":4},"ratings":"u.data","type":"movielens"}"#)
        let old: [(String, DatasetSource)] = [
            (#"{"movieLens":{"_0":{"ratings":"u.data","feedback":{"threshold":{"_0":4}}}}}"#, movieLens),
            (#"{"movieLens":{"_0":{"ratings":"u.data","feedback":{"weights":{}}}}}"#, .movieLens(MovieLensOptions(ratings: "u.data", feedback: .weights))),
            (#"{"hetrecLastFM":{"_0":{"userArtists":"user_artists.dat"}}}"#, .hetrecLastFM(HetRecOptions(userArtists: "user_artists.dat"))),
            (#"{"audioscrobbler":{"_0":{"userArtistData":"u.txt"}}}"#, .audioscrobbler(AudioscrobblerOptions(userArtistData: "u.txt"))),
            (#"{"delimited":{"_0":{"path":"p.tsv","delimiter":",","header":true,"user":"u","item":1,"value":2,"quotes":false,"encoding":"utf-8"}}}"#,
             .delimited(DelimitedOptions(path: "p.tsv", delimiter: ",", header: true, user: .name("u")))),
        ]
        for (json, expected) in old {
            #expect(try JSONDecoder().decode(DatasetSource.self, from: Data(json.utf8)) == expected, "\(json)")
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(DatasetSource.self, from: Data(#"{"type":"parquet","path":"x"}"#.utf8)) }
    }

    @Test func everyFormatIsListedOnceAndCatalogueEntriesCarryTheirChecksum() {
        #expect(DatasetSource.formats.map { $0.name } == ["audioscrobbler", "lastfm", "movielens", "yahoo-r1", "yahoo-r3", "delimited"])
        #expect(Downloader.knownChecksum(for: "movielens-100k")?.hex == "0e33842e24a9c977be4e0107933c0723")
        #expect(Downloader.knownChecksum(for: "audioscrobbler-sample") == nil)
        #expect(DatasetCatalog.entry(named: "lastfm-2k")?.format.name == HetRecOptions.name)
    }

    @Test func theCommittedDatasetsLoadAsBefore() throws {
        // Counts the loaders gave before formats moved to their own files.
        let lastFM = try DatasetLoader.parse(try DatasetCatalog.resolve(SharedData.lastFM).source)
        #expect(lastFM.userCount == 1892 && lastFM.itemCount == 17632 && lastFM.interactionCount == 92834)
    }
}
