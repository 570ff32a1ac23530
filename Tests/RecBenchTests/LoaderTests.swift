import Foundation
import Testing
@testable import RecBench

@Suite("Loaders")
struct LoaderTests {
    @Test func lastFM2KHasThePublishedCounts() throws {
        let dataset = try DatasetLoader.parse(.hetrecLastFM(HetRecOptions(directory: SharedData.lastFM)))
        #expect(dataset.userCount == 1_892)
        #expect(dataset.itemCount == 17_632)
        #expect(dataset.interactionCount == 92_834)
        #expect(dataset.value(user: "2", item: "51") == 13_883)
        let gaga = try #require(dataset.items.position(of: "89"))
        #expect(dataset.items.displayName(at: gaga) == "Lady Gaga")
    }

    @Test func hetRecTagDatesBecomeTheEarliestAndLatestTimestamps() throws {
        // The HetRec layout in miniature.
        let folder = TemporaryFolder()
        folder.write("hetrec/user_artists.dat", "userID\tartistID\tweight\n2\t51\t13883\n2\t52\t11690\n3\t51\t5\n")
        folder.write("hetrec/user_taggedartists.dat", """
            userID\tartistID\ttagID\tday\tmonth\tyear
            2\t52\t13\t1\t5\t2009
            2\t52\t15\t1\t4\t2009
            2\t52\t18\t1\t6\t2009
            3\t99\t13\t1\t4\t2008

            """)
        let dataset = try DatasetLoader.parse(.hetrecLastFM(HetRecOptions(directory: folder.path + "/hetrec", tagDates: true)))
        let times = try #require(dataset.times)
        let u = try #require(dataset.users.position(of: "2"))
        let i = try #require(dataset.items.position(of: "52"))
        let position = try #require(dataset.interactions.range(ofRow: u).first { dataset.interactions.columns[$0] == Int32(i) })
        #expect(times.first(at: position) == 1_238_544_000)      // 2009-04-01 00:00 UTC, the earliest tag
        #expect(times.last(at: position) == 1_243_814_400)       // 2009-06-01 00:00 UTC, the latest
        #expect(times.knownCount == 1)                           // a tag of a pair without plays gives nothing
    }

    /// Needs `user_taggedartists.dat` (committed in datasets/lastfm-2k since issue 15).
    @Test(.enabled(if: SharedData.realLastFM2KWithTags != nil,
                   "optional: needs HetRec Last.fm 2K with user_taggedartists.dat"))
    func lastFM2KTagDatesBecomeTimestamps() throws {
        let shared = try #require(SharedData.realLastFM2KWithTags)
        let dataset = try DatasetLoader.parse(.hetrecLastFM(HetRecOptions(directory: shared, tagDates: true)))
        let times = try #require(dataset.times)
        let u = try #require(dataset.users.position(of: "2"))
        let i = try #require(dataset.items.position(of: "52"))
        let position = dataset.interactions.range(ofRow: u).first { dataset.interactions.columns[$0] == Int32(i) }!
        #expect(times.first(at: position) == 1_238_544_000)      // 2009-04-01 00:00 UTC
        #expect(times.knownCount > 0 && times.knownCount < dataset.interactionCount)
    }

    @Test func audioscrobblerSampleResolvesSmallAliasesAndSumsDuplicates() throws {
        let dataset = try DatasetLoader.parse(.audioscrobbler(AudioscrobblerOptions(directory: SharedData.audioscrobbler)))
        #expect(dataset.userCount == 50)
        #expect(dataset.itemCount == 30_100)
        #expect(dataset.report.rowsRead == 49_481)
        #expect(dataset.report.duplicatesMerged == 49_481 - dataset.interactionCount)
        #expect(dataset.interactions.values.reduce(0.0) { $0 + Double($1) } == 6_461_021)
    }

    @Test func fullAliasListChangesTheArtistCount() throws {
        let small = try DatasetLoader.parse(.audioscrobbler(AudioscrobblerOptions(directory: SharedData.audioscrobbler)))
        let full = try DatasetLoader.parse(.audioscrobbler(AudioscrobblerOptions(directory: SharedData.audioscrobbler, fullAliases: true)))
        #expect(full.itemCount < small.itemCount)
        #expect(full.interactions.values.reduce(0.0) { $0 + Double($1) } == 6_461_021)
    }

    @Test func aliasChainsAreFollowedToTheirEnd() throws {
        let folder = TemporaryFolder()
        let data = folder.write("user_artist_data.txt", "1 10 5\n1 20 3\n1 30 2\n2 10 1\n")
        let alias = folder.write("artist_alias.txt", "10\t20\n20\t30\n\t99\n")
        let dataset = try DatasetLoader.parse(.audioscrobbler(AudioscrobblerOptions(userArtistData: data, artistAlias: alias)))
        #expect(dataset.itemCount == 1)
        #expect(dataset.value(user: "1", item: "30") == 10)
        #expect(dataset.value(user: "2", item: "30") == 1)
        #expect(dataset.report.aliasesApplied == 3)
        #expect(dataset.report.duplicatesMerged == 2)
    }

    @Test func crlfBomAndMissingFinalNewlineReadLikePlainLines() throws {
        let folder = TemporaryFolder()
        let plain = folder.write("a/user_artist_data.txt", "1 10 5\n1 20 3\n2 10 1\n")
        let odd = folder.write("b/user_artist_data.txt", bytes: [0xEF, 0xBB, 0xBF] + Array("1 10 5\r\n1 20 3\r\n2 10 1".utf8))
        let a = try DatasetLoader.parse(.audioscrobbler(AudioscrobblerOptions(userArtistData: plain)))
        let b = try DatasetLoader.parse(.audioscrobbler(AudioscrobblerOptions(userArtistData: odd)))
        #expect(a.interactions == b.interactions)
        #expect(a.users == b.users && a.items == b.items)
    }

    @Test func duplicatePairsAreSummed() throws {
        let folder = TemporaryFolder()
        let file = folder.write("user_artist_data.txt", "1 10 5\n1 10 7\n1 11 1\n")
        let dataset = try DatasetLoader.parse(.audioscrobbler(AudioscrobblerOptions(userArtistData: file)))
        #expect(dataset.interactionCount == 2)
        #expect(dataset.value(user: "1", item: "10") == 12)
        #expect(dataset.report.duplicatesMerged == 1)
    }

    @Test func rowsAreSortedByItemWithinEachUser() throws {
        let folder = TemporaryFolder()
        let file = folder.write("user_artist_data.txt", "7 30 1\n5 20 2\n7 10 3\n5 30 4\n")
        let dataset = try DatasetLoader.parse(.audioscrobbler(AudioscrobblerOptions(userArtistData: file)))
        for u in 0..<dataset.userCount {
            let columns = dataset.interactions.range(ofRow: u).map { dataset.interactions.columns[$0] }
            #expect(columns == columns.sorted())
        }
        #expect(dataset.value(user: "7", item: "10") == 3)
        #expect(dataset.value(user: "5", item: "30") == 4)
    }

    @Test func movieLens100KThresholdKeepsHighRatings() throws {
        let generated = try GeneratedMovieLens(.ml100k)
        let ratings = try generated.ratings()
        let dataset = try generated.dataset(.threshold(4))
        #expect(dataset.report.rowsRead == generated.ratingCount)
        #expect(dataset.interactionCount == ratings.filter { $0.rating >= 4 }.count)
        #expect(dataset.interactionCount > 30_000 && dataset.interactionCount < generated.ratingCount)
        #expect(dataset.interactions.values.allSatisfy { $0 == 1 })
        #expect(dataset.times?.knownCount == dataset.interactionCount)
        let one = try #require(dataset.items.position(of: "1"))
        #expect(dataset.items.displayName(at: one) == "Movie 1 (1921)")
    }

    @Test func movieLens100KWeightsKeepEveryRating() throws {
        let generated = try GeneratedMovieLens(.ml100k)
        let ratings = try generated.ratings()
        let dataset = try generated.dataset(.weights)
        #expect(dataset.userCount == Set(ratings.map(\.user)).count && dataset.userCount == 943)
        #expect(dataset.itemCount == Set(ratings.map(\.item)).count)
        #expect(dataset.interactionCount == generated.ratingCount && ratings.count == generated.ratingCount)
        #expect(generated.ratingCount > 95_000)         // near the target of 100,000
        #expect(dataset.interactions.values.reduce(0.0) { $0 + Double($1) } == ratings.reduce(0) { $0 + $1.rating })
        let first = ratings[0]
        #expect(dataset.value(user: first.user, item: first.item) == Float(first.rating))
    }

    @Test func movieLensLatin1TitlesDecode() throws {
        let generated = try GeneratedMovieLens(.ml100k)
        #expect(try Data(contentsOf: URL(fileURLWithPath: generated.path + "/u.item")).contains(0xE9))   // é in ISO-8859-1
        let dataset = try generated.dataset(.weights)
        let names = dataset.items.names!.compactMap { $0 }
        #expect(names.contains { $0.contains("Café") })
    }

    @Test(arguments: MovieLensLayout.allCases)
    func generatedMovieLensReleasesLoadTheirRatingsTimesAndTitles(layout: MovieLensLayout) throws {
        let generated = try GeneratedMovieLens(layout, configuration: SyntheticConfiguration(users: 60, items: 300, interactions: 2_000, seed: 5))
        let ratings = try generated.ratings()
        let dataset = try generated.dataset(.weights)
        #expect(dataset.interactionCount == ratings.count && ratings.count == generated.ratingCount)
        let times = try #require(dataset.times)
        for r in ratings.prefix(200) {
            let u = try #require(dataset.users.position(of: r.user)), i = try #require(dataset.items.position(of: r.item))
            let position = try #require(dataset.interactions.range(ofRow: u).first { dataset.interactions.columns[$0] == Int32(i) })
            #expect(dataset.interactions.values[position] == Float(r.rating))
            #expect(times.first(at: position) == r.time)
        }
        #expect(Set(ratings.map(\.rating)).isSubset(of: layout == .mlLatest ? Set(stride(from: 0.5, through: 5, by: 0.5)) : [1, 2, 3, 4, 5]))
        let names = dataset.items.names!.compactMap { $0 }
        #expect(names.contains { $0.hasPrefix("Café Movie ") })            // ISO-8859-1 in u.item and movies.dat, UTF-8 in movies.csv
        #expect(names.contains { $0.contains(", The (") })               // a quoted comma in movies.csv
    }

    /// The real MovieLens 100K's published figures (README of ml-100k); MovieLens may not be committed.
    @Test(.enabled(if: SharedData.realMovieLens100K != nil,
                   "optional: needs the real MovieLens 100K (recbench download movielens-100k, or $RECBENCH_DATASETS/movielens-100k)"))
    func movieLens100KHasThePublishedCounts() throws {
        let folder = try #require(SharedData.realMovieLens100K)
        let threshold = try DatasetLoader.parse(.movieLens(MovieLensOptions(directory: folder, feedback: .threshold(4))))
        #expect(threshold.report.rowsRead == 100_000)
        #expect(threshold.interactionCount == 34_174 + 21_201)
        let toyStory = try #require(threshold.items.position(of: "1"))
        #expect(threshold.items.displayName(at: toyStory) == "Toy Story (1995)")
        let dataset = try DatasetLoader.parse(.movieLens(MovieLensOptions(directory: folder, feedback: .weights)))
        #expect(dataset.userCount == 943)
        #expect(dataset.itemCount == 1_682)
        #expect(dataset.interactionCount == 100_000)
        // 1·6,110 + 2·11,370 + 3·27,145 + 4·34,174 + 5·21,201 from the README's histogram.
        let total: Double = 352_986
        #expect(dataset.interactions.values.reduce(0.0) { $0 + Double($1) } == total)
        #expect(dataset.value(user: "196", item: "242") == 3)
        #expect(dataset.items.names!.compactMap { $0 }.contains { $0.contains("é") })
    }

    @Test func ratingsCSVWithQuotedFieldsAndHeader() throws {
        let folder = TemporaryFolder()
        let ratings = folder.write("ratings.csv", "userId,movieId,rating,timestamp\n1,\"10\",4.5,964982703\n1,20,2.0,964982224\n2,10,5,964983815\n")
        let movies = folder.write("movies.csv", "movieId,title,genres\n10,\"GoldenEye, the movie (1995)\",Action\n20,\"Say \"\"Hi\"\" (1990)\",Drama\n")
        let dataset = try DatasetLoader.parse(.movieLens(MovieLensOptions(ratings: ratings, items: movies, feedback: .weights)))
        #expect(dataset.interactionCount == 3)
        #expect(dataset.value(user: "1", item: "10") == 4.5)
        let ten = try #require(dataset.items.position(of: "10"))
        let twenty = try #require(dataset.items.position(of: "20"))
        #expect(dataset.items.displayName(at: ten) == "GoldenEye, the movie (1995)")
        #expect(dataset.items.displayName(at: twenty) == "Say \"Hi\" (1990)")
        let threshold = try DatasetLoader.parse(.movieLens(MovieLensOptions(ratings: ratings, feedback: .threshold(4))))
        #expect(threshold.interactionCount == 2)
    }

    @Test func delimitedColumnsByHeaderName() throws {
        let folder = TemporaryFolder()
        let file = folder.write("plays.csv", "when;who;what;n\n2020-01-01T00:00:00Z;alice;song a;3\n1600000000;bob;song b;2\n")
        let options = DelimitedOptions(path: file, delimiter: ";", header: true, user: .name("who"), item: .name("what"),
                                       value: .name("n"), timestamp: .name("when"))
        let dataset = try DatasetLoader.parse(.delimited(options))
        #expect(dataset.value(user: "alice", item: "song a") == 3)
        let times = try #require(dataset.times)
        let alice = try #require(dataset.users.position(of: "alice"))
        #expect(times.first(at: dataset.interactions.rowOffsets[alice]) == 1_577_836_800)
    }

    @Test func listeningEventsAggregateToCountsWithFirstAndLastTimes() throws {
        let folder = TemporaryFolder()
        let file = folder.write("events.tsv", "u1\tx\t300\nu1\ty\t100\nu1\tx\t200\nu1\tx\t500\nu2\tx\t50\n")
        let options = DelimitedOptions(path: file, user: .index(0), item: .index(1), value: nil, timestamp: .index(2))
        let dataset = try DatasetLoader.parse(.delimited(options))
        #expect(dataset.interactionCount == 3)
        #expect(dataset.value(user: "u1", item: "x") == 3)
        let u1 = try #require(dataset.users.position(of: "u1"))
        let x = try #require(dataset.items.position(of: "x"))
        let position = dataset.interactions.range(ofRow: u1).first { dataset.interactions.columns[$0] == Int32(x) }!
        #expect(dataset.times?.first(at: position) == 200)
        #expect(dataset.times?.last(at: position) == 500)
    }

    @Test func catalogueResolvesNamesFoldersAndFiles() throws {
        let (source, name) = try DatasetCatalog.resolve("lastfm-2k")
        #expect(name == "lastfm-2k")
        guard case .hetrecLastFM = source else { Issue.record("expected HetRec, got \(source)"); return }
        let movieLens = try GeneratedMovieLens(.ml100k, configuration: SyntheticConfiguration(users: 20, items: 50, interactions: 200))
        let (folderSource, _) = try withExtendedLifetime(movieLens) { try DatasetCatalog.resolve(movieLens.path) }
        guard case .movieLens = folderSource else { Issue.record("expected MovieLens, got \(folderSource)"); return }
        #expect(datasetError { _ = try DatasetCatalog.resolve("no-such-dataset") } == .unknownDataset(name: "no-such-dataset", known: DatasetCatalog.entries.map(\.name)))
    }
}

@Suite("Matrix building")
struct MatrixBuildingTests {
    @Test(arguments: [1, 10, 191, 192, 1000, 5000])
    func rowSortOrdersLikeTheStandardSort(n: Int) {
        var rng = SeededGenerator(seed: UInt64(n))
        let keys = (0..<n).map { UInt64(rng.nextInt(below: 3_000_000)) << 32 | UInt64($0) }
        var sorted = keys, scratch: [UInt64] = []
        RowSort.sort(&sorted, scratch: &scratch, itemBits: 22)
        #expect(sorted == keys.sorted())
    }

    @Test func ungroupedAndGroupedInputBuildTheSameMatrix() {
        // The same entries, once grouped by user and once interleaved.
        var grouped = InteractionBuffer(hasTimes: true)
        var interleaved = InteractionBuffer(hasTimes: true)
        let rows: [(Int32, Int32, Float, Int64)] = [(0, 5, 1, 10), (0, 2, 2, 20), (0, 5, 3, 5), (1, 1, 4, 7), (1, 0, 5, 8), (2, 3, 6, 9)]
        for (u, i, v, t) in rows { grouped.append(user: u, item: i, value: v, time: t) }
        for (u, i, v, t) in [rows[3], rows[0], rows[5], rows[1], rows[4], rows[2]] { interleaved.append(user: u, item: i, value: v, time: t) }
        let a = grouped.build(userCount: 3, itemCount: 6)
        let b = interleaved.build(userCount: 3, itemCount: 6)
        #expect(a.0 == b.0)
        #expect(a.0.columns == [2, 5, 0, 1, 3])
        #expect(a.0.values == [2, 4, 5, 4, 6])
        #expect(a.1?.firstRaw == [20, 5, 8, 7, 9])
        #expect(a.1?.lastRaw == [20, 10, 8, 7, 9])
        #expect(a.merged == 1 && b.merged == 1)
    }
}
