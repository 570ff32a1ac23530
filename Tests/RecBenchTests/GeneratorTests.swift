import Foundation
import Testing
@testable import RecBench

@Suite("Synthetic generator")
struct GeneratorTests {
    let folder = TemporaryFolder()
    let configuration = SyntheticConfiguration(users: 300, items: 2_000, interactions: 6_000, zipfExponent: 1.1, seed: 7)

    @Test func sameSeedWritesTheSameBytes() throws {
        let a = folder.path + "/a.txt", b = folder.path + "/b.txt"
        try SyntheticGenerator(configuration).write(to: a, format: .audioscrobbler)
        try SyntheticGenerator(configuration).write(to: b, format: .audioscrobbler)
        #expect(FileManager.default.contents(atPath: a) == FileManager.default.contents(atPath: b))
    }

    @Test func differentSeedsDiffer() throws {
        var other = configuration
        other.seed = 8
        let a = folder.path + "/a.txt", b = folder.path + "/b.txt"
        try SyntheticGenerator(configuration).write(to: a, format: .audioscrobbler)
        try SyntheticGenerator(other).write(to: b, format: .audioscrobbler)
        #expect(FileManager.default.contents(atPath: a) != FileManager.default.contents(atPath: b))
    }

    @Test func generatedAudioscrobblerFileLoadsWithTheRequestedShape() throws {
        let file = folder.path + "/user_artist_data.txt"
        let lines = try SyntheticGenerator(configuration).write(to: file, format: .audioscrobbler)
        let dataset = try DatasetLoader.parse(.audioscrobbler(AudioscrobblerOptions(userArtistData: file)))
        #expect(dataset.interactionCount == lines)
        #expect(dataset.report.duplicatesMerged == 0)
        #expect(dataset.userCount == 300)
        #expect(abs(lines - 6_000) < 300)
        // Zipf popularity: the top 10% of items carry far more than 10% of interactions.
        #expect(DatasetStatistics(dataset).top10PercentShare > 0.3)
    }

    @Test func everyFormatLoadsBack() throws {
        for format in SyntheticFormat.allCases {
            let file = folder.path + "/\(format.rawValue)"
            let lines = try SyntheticGenerator(configuration).write(to: file, format: format)
            let source: DatasetSource
            switch format {
            case .audioscrobbler: source = .audioscrobbler(AudioscrobblerOptions(userArtistData: file))
            case .lastfm: source = .hetrecLastFM(HetRecOptions(userArtists: file))
            case .movielens: source = .movieLens(MovieLensOptions(ratings: file, feedback: .weights))
            case .tsv: source = .delimited(DelimitedOptions(path: file, timestamp: .index(3)))
            case .events: source = .delimited(DelimitedOptions(path: file, value: nil, timestamp: .index(2)))
            case .yahooR1: source = .yahooR1(YahooR1Options(ratings: file, neverPlayAgain: .zero))
            case .yahooR3: source = .yahooR3(YahooR3Options(ratings: file))
            }
            let dataset = try DatasetLoader.parse(source)
            #expect(dataset.report.rowsRead == lines, "\(format)")
            #expect(dataset.userCount == 300, "\(format)")
        }
    }

    @Test func impossibleConfigurationIsRejected() {
        let error = datasetError { try SyntheticConfiguration(users: 2, items: 2, interactions: 10).validate() }
        #expect(error == .invalidPreparation(reason: "interactions (10) must be at most half of users x items"))
    }

    @Test func seededGeneratorStreamsAreReproducible() {
        var a = SeededGenerator(seed: 1, stream: 3), b = SeededGenerator(seed: 1, stream: 3), c = SeededGenerator(seed: 1, stream: 4)
        let xs = (0..<5).map { _ in a.next() }
        #expect(xs == (0..<5).map { _ in b.next() })
        #expect(xs != (0..<5).map { _ in c.next() })
        var d = SeededGenerator(seed: 9)
        #expect((0..<1000).allSatisfy { _ in (0..<7).contains(d.nextInt(below: 7)) })
    }
}
