import Foundation
import RecBench

/// A check of the conformance suite that failed: which check, for which configuration, and why.
public struct ConformanceFailure: Error, CustomStringConvertible, Sendable {
    /// The check that failed.
    public var check: ConformanceCheck
    /// The configuration's label.
    public var label: String
    /// What was found.
    public var detail: String

    public var description: String { "\(label): \(check.rawValue): \(detail)" }
}

/// The checks every recommender must pass (``ConformanceSuite``).
public enum ConformanceCheck: String, CaseIterable, Sendable, CustomStringConvertible {
    /// Users whose training items are a block that similar users share rank their own block's
    /// remaining items first (``Fixtures/blocks(blockUsers:itemsPerBlock:)``), as far as the
    /// model's ``ConformanceSuite/Ranking`` promises.
    case ranksOwnBlockFirst
    /// `recommend` never returns a training item, and returns every other item (that the model
    /// scores above −∞) when asked for all.
    case excludesTrainingItems
    /// Scoring users together gives bit for bit the scores of scoring them one at a time;
    /// chunked scoring and single pairs (``ChunkedScoring``) give the same bits as whole rows.
    case batchedScoresEqualSingleUserScores
    /// The configuration survives a JSON round trip, label included.
    case codableRoundTrip
    /// Fitting on one thread and on two gives bit for bit the same scores.
    case threadIndependence
    /// A user with no training items gets scores that are numbers (no NaN), and a dataset with
    /// one user fits to a model with such scores or throws an error; neither traps.
    case emptyInputs
    /// A rating model (``RatingModel``) gives the same estimates, bit for bit, fitted on one
    /// thread and on two; every estimate is a finite number or nil; a user or item without
    /// training ratings, or beyond the model's arrays, gets nil or a finite estimate (no trap).
    /// Passes at once for a model that predicts no ratings.
    case ratingPredictions

    public var description: String { rawValue }
}

/// The conformance suite: checks any ``RecommenderConfiguration`` on fixtures whose right
/// answers are known.
///
/// Each ``ConformanceCheck`` is run by ``run(_:)``, which throws a ``ConformanceFailure``
/// saying what it found; ``runAll()`` runs them all. In a Swift Testing test:
/// ```swift
/// @Test(arguments: ConformanceCheck.allCases)
/// func conforms(check: ConformanceCheck) throws {
///     try ConformanceSuite(MyConfiguration()).run(check)
/// }
/// ```
/// What a model's ranking is expected to get right on the block fixture.
public enum ConformanceRanking: Sendable {
    /// Every evaluated user's own block first (a personalised model).
    case personalised
    /// The users of the most popular block only (a model that ranks by popularity).
    case popular
    /// Nothing (random scores: a sanity floor).
    case unordered
}

public struct ConformanceSuite<Configuration: RecommenderConfiguration>: Sendable {
    /// What a model's ranking is expected to get right on the block fixture.
    public typealias Ranking = ConformanceRanking

    /// The configuration checked.
    public var configuration: Configuration
    /// What its ranking promises.
    public var ranking: Ranking
    /// The seed of every fit.
    public var seed: UInt64 = 1

    /// A suite for `configuration`.
    ///
    /// - Parameters:
    ///   - configuration: the configuration to check.
    ///   - ranking: what its ranking promises on the block fixture.
    public init(_ configuration: Configuration, ranking: Ranking = .personalised) {
        self.configuration = configuration
        self.ranking = ranking
    }

    /// Runs every check, stopping at the first failure.
    public func runAll() throws {
        for check in ConformanceCheck.allCases { try run(check) }
    }

    /// Runs one check.
    ///
    /// - Throws: ``ConformanceFailure`` when the check fails (an error thrown by `fit` where
    ///   the check expects a model is reported as a failure too).
    public func run(_ check: ConformanceCheck) throws {
        switch check {
        case .ranksOwnBlockFirst: try checkRanking()
        case .excludesTrainingItems: try checkExclusion()
        case .batchedScoresEqualSingleUserScores: try checkBatching()
        case .codableRoundTrip: try checkCoding()
        case .threadIndependence: try checkThreads()
        case .emptyInputs: try checkEmptyInputs()
        case .ratingPredictions: try checkRatingPredictions()
        }
    }

    // MARK: - Checks

    func failure(_ check: ConformanceCheck, _ detail: String) -> ConformanceFailure {
        ConformanceFailure(check: check, label: configuration.label, detail: detail)
    }

    func fit(_ configuration: Configuration, _ data: Dataset, threads: Int? = nil, for check: ConformanceCheck) throws -> Configuration.Model {
        do { return try configuration.fit(data, seed: seed, threads: threads) } catch {
            throw failure(check, "fit threw \(error)")
        }
    }

    func checkRanking() throws {
        let split = try Fixtures.blocks()
        let model = try fit(configuration, split.trainDataset, for: .ranksOwnBlockFirst)
        guard ranking != .unordered else { return }
        for raw in split.evaluatedUsers {
            let user = UserIndex(rawValue: raw)
            let block = Fixtures.block(of: split.users.rawID(at: user.int))
            if ranking == .popular && block != 0 { continue }
            let top = model.recommend(user: user, k: 2, excluding: split.train)
            let blocks = top.map { Fixtures.block(of: split.items.rawID(at: $0.int)) }
            guard top.count == 2, blocks.allSatisfy({ $0 == block }) else {
                throw failure(.ranksOwnBlockFirst, "user \(split.users.rawID(at: user.int)) got "
                              + top.map { split.items.rawID(at: $0.int) }.joined(separator: ", ") + ", not two items of its own block")
            }
        }
    }

    func checkExclusion() throws {
        let split = try Fixtures.blocks()
        let model = try fit(configuration, split.trainDataset, for: .excludesTrainingItems)
        for u in 0..<split.users.count {
            let user = UserIndex(u)
            let training = Set(split.trainItems(of: u))
            let all = model.recommend(user: user, k: model.itemCount, excluding: split.train)
            let row = model.scores(for: [user])
            let eligible = (0..<model.itemCount).filter { !training.contains(Int32($0)) && row[$0] > -.infinity }.count
            if let item = all.first(where: { training.contains($0.rawValue) }) {
                throw failure(.excludesTrainingItems, "user \(split.users.rawID(at: u)) was recommended its training item \(split.items.rawID(at: item.int))")
            }
            guard all.count == eligible, Set(all).count == all.count else {
                throw failure(.excludesTrainingItems, "user \(split.users.rawID(at: u)) got \(all.count) items, not the \(eligible) it has not trained on (and scored above −∞)")
            }
        }
    }

    func checkBatching() throws {
        let split = try Fixtures.blocks()
        let model = try fit(configuration, split.trainDataset, for: .batchedScoresEqualSingleUserScores)
        let users = (0..<split.users.count).map(UserIndex.init)
        let n = model.itemCount
        let batched = model.scores(for: users)
        for user in users {
            let single = model.scores(for: [user])
            guard single.map(\.bitPattern) == batched[user.int * n ..< (user.int + 1) * n].map(\.bitPattern) else {
                throw failure(.batchedScoresEqualSingleUserScores, "user \(split.users.rawID(at: user.int))'s scores differ alone and in a batch")
            }
        }
        guard let chunked = ((model as? AnyTrainedModel)?.base ?? model) as? any ChunkedScoring else { return }
        // Chunks of the alignment, in rows wider than the chunk, must give the same bits.
        let width = chunked.scoringChunkAlignment, stride = width + 3
        var block = [Float](repeating: .nan, count: users.count * stride)
        var first = 0
        while first < n {
            let items = first..<min(n, first + width)
            block.withUnsafeMutableBufferPointer { buffer in
                var rows = ScoreRows(buffer, rows: users.count, itemCount: items.count, rowStride: stride)
                chunked.scores(for: UserBatch(users), items: items, into: &rows)
            }
            for user in users {
                for (offset, item) in items.enumerated() {
                    let row = batched[user.int * n + item].bitPattern
                    let pair = chunked.score(user: user, item: ItemIndex(item)).bitPattern
                    guard block[user.int * stride + offset].bitPattern == row, pair == row else {
                        throw failure(.batchedScoresEqualSingleUserScores,
                                      "user \(split.users.rawID(at: user.int)), item \(split.items.rawID(at: item)): chunked or pair score differs from the row's")
                    }
                }
            }
            first += width
        }
    }

    func checkCoding() throws {
        let data = try JSONEncoder().encode(configuration)
        let decoded: Configuration
        do { decoded = try JSONDecoder().decode(Configuration.self, from: data) } catch {
            throw failure(.codableRoundTrip, "\(String(decoding: data, as: UTF8.self)) does not decode: \(error)")
        }
        guard decoded == configuration, decoded.label == configuration.label else {
            throw failure(.codableRoundTrip, "\(String(decoding: data, as: UTF8.self)) decodes to \(decoded.label)")
        }
    }

    func checkThreads() throws {
        let split = try Fixtures.blocks()
        let users = (0..<split.users.count).map(UserIndex.init)
        let one = try fit(configuration, split.trainDataset, threads: 1, for: .threadIndependence).scores(for: users)
        let two = try fit(configuration, split.trainDataset, threads: 2, for: .threadIndependence).scores(for: users)
        guard one.map(\.bitPattern) == two.map(\.bitPattern) else {
            throw failure(.threadIndependence, "scores fitted on 1 and on 2 threads differ")
        }
    }

    func checkEmptyInputs() throws {
        let split = try Fixtures.blocks()
        let model = try fit(configuration, split.trainDataset, for: .emptyInputs)
        guard let cold = split.users.position(of: "cold"), split.trainItems(of: cold).isEmpty else {
            throw failure(.emptyInputs, "the fixture lost its user without training items")
        }
        if model.scores(for: [UserIndex(cold)]).contains(where: \.isNaN) {
            throw failure(.emptyInputs, "a user without training items gets NaN scores")
        }
        let single = try Dataset(name: "one user", interactions: [("only", "a", 1), ("only", "b", 2), ("only", "c", 1)])
        let fitted: Configuration.Model
        do { fitted = try configuration.fit(single, seed: seed) } catch { return }   // a thrown error is an answer
        guard fitted.itemCount == 3 else {
            throw failure(.emptyInputs, "a one-user dataset of 3 items gives a model of \(fitted.itemCount) items")
        }
        if fitted.scores(for: [UserIndex(0)]).contains(where: \.isNaN) {
            throw failure(.emptyInputs, "a one-user dataset gives NaN scores")
        }
        if !fitted.recommend(user: UserIndex(0), k: 3, excluding: single.interactions).isEmpty {
            throw failure(.emptyInputs, "a user who has every item was recommended one")
        }
    }

    func checkRatingPredictions() throws {
        guard Configuration.predictsRatings else { return }
        let split = try Fixtures.ratings()
        let train = split.trainDataset
        func estimates(threads: Int) throws -> [Double?] {
            let fitted = try fit(configuration, train, threads: threads, for: .ratingPredictions)
            guard let model = fitted as? any RatingModel else { throw failure(.ratingPredictions, "the model is not a RatingModel") }
            guard model.fallbackRating.isFinite else { throw failure(.ratingPredictions, "the fallback rating is \(model.fallbackRating)") }
            // Every pair, plus one user and one item past the arrays.
            var out: [Double?] = []
            for u in 0...train.userCount { for i in 0...train.itemCount { out.append(model.estimate(user: UserIndex(u), item: ItemIndex(i))) } }
            return out
        }
        let one = try estimates(threads: 1), two = try estimates(threads: 2)
        if let bad = one.firstIndex(where: { $0.map { !$0.isFinite } ?? false }) {
            throw failure(.ratingPredictions, "estimate \(bad) is \(one[bad]!)")
        }
        guard one.map({ $0?.bitPattern }) == two.map({ $0?.bitPattern }) else {
            throw failure(.ratingPredictions, "estimates fitted on 1 and on 2 threads differ")
        }
    }
}
