import Foundation
import Testing
@testable import RecBench

/// The cold-start protocols end to end: the new-item and new-user splits, the evaluator's
/// candidates and fallback, and the fold-in of every model that can fold a user in.
@Suite("Cold-start protocols")
struct ColdStartProtocolTests {
    /// 40 users × 30 items: user u has item i when (7u + 3i) mod 5 < 2 or i = u mod 30, with
    /// value 1 + (u + i) mod 4 — about 13 items a user, every item used by 12 or more users.
    static func dataset() throws -> Dataset {
        var triples: [Dataset.Triple] = []
        for u in 0..<40 {
            for i in 0..<30 where (u * 7 + i * 3) % 5 < 2 || i == u % 30 {
                triples.append((user: "u\(u)", item: "i\(i)", value: Float(1 + (u + i) % 4)))
            }
        }
        return try Dataset(name: "cold", interactions: triples)
    }

    static func rows(_ m: InteractionMatrix, _ u: Int) -> Set<Int32> { Set(m.columns[m.range(ofRow: u)]) }

    // MARK: New items

    @Test func newItemSplitHoldsOutWholeItemsAndRanksOnlyThem() throws {
        let data = try Self.dataset()
        let split = try Splitter.split(data, method: .newItems(fraction: 0.2), seed: 5)
        let held = NewItems(fraction: 0.2).heldOutItems(data.interactions, seed: 5)
        // 30 items with interactions, round(0.2 × 30) = 6 held out.
        #expect(held.count == 6)
        #expect(split.candidateItems == held)
        let heldSet = Set(held)
        // No held-out item in train; every one of their interactions in test, nothing else in test.
        #expect(split.train.columns.allSatisfy { !heldSet.contains($0) })
        let counts = data.interactions.columnLengths, testCounts = split.test.columnLengths
        for item in 0..<30 { #expect(testCounts[item] == (heldSet.contains(Int32(item)) ? counts[item] : 0)) }
        #expect(split.train.nonZeroCount + split.test.nonZeroCount == data.interactionCount)
        // Evaluated: a held-out item in test and something in train.
        for u in split.evaluatedUsers.map(Int.init) { #expect(!split.testItems(of: u).isEmpty && !split.trainItems(of: u).isEmpty) }
    }

    @Test func newItemSplitIsDeterministicPerSeedAndHonoursTheFraction() throws {
        let data = try Self.dataset()
        let a = try Splitter.split(data, method: .newItems(fraction: 0.5), seed: 9)
        let b = try Splitter.split(data, method: .newItems(fraction: 0.5), seed: 9)
        let c = try Splitter.split(data, method: .newItems(fraction: 0.5), seed: 10)
        #expect(a.train == b.train && a.test == b.test && a.candidateItems == b.candidateItems)
        #expect(a.candidateItems != c.candidateItems)
        #expect(a.candidateItems?.count == 15)
        #expect(throws: SplitError.self) { try Splitter.split(data, method: .newItems(fraction: 1), seed: 1) }
    }

    /// Scores item i as i + 1, except that every warm (training) item scores 1000: it knows the
    /// new items (``TrainedModel/scoresNewItems``), and would put a warm item first if allowed.
    struct WarmFirst: RecommenderConfiguration {
        static let typeName = "warm-first"
        static let hyperparameters: [Hyperparameter] = []
        init() {}
        init(parameters: [String: ParameterValue]) throws(ConfigurationError) { _ = try ParameterReader(parameters, for: Self.self) }
        var parameters: [String: ParameterValue] { [:] }
        var label: String { "WarmFirst" }
        func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> Model {
            let warm = train.interactions.columnLengths.map { $0 > 0 }
            return Model(itemScores: warm.enumerated().map { $1 ? 1000 : Float($0 + 1) })
        }
        struct Model: TrainedModel {
            let itemScores: [Float]
            var itemCount: Int { itemScores.count }
            var scoresNewItems: Bool { true }
            func scores(for users: UserBatch, into scores: inout ScoreRows) {
                for row in 0..<users.count { for i in 0..<itemCount { scores[row: row][i] = itemScores[i] } }
            }
        }
    }

    @Test func newItemEvaluationRanksOnlyCandidatesAndCountsTheFallback() throws {
        let data = try Self.dataset()
        let split = try Splitter.split(data, method: .newItems(fraction: 0.2), seed: 5)
        let candidates = Set(try #require(split.candidateItems))
        let evaluator = Evaluator(EvaluationConfiguration(metrics: [.ndcg(10), .recall(20)], bootstrapResamples: 0, keepRanking: 10))
        // A model that knows new items is ranked as it is: only candidates, never a warm item,
        // and no fallback.
        let aware = try Benchmark.fitAndEvaluate(WarmFirst(), on: split, seed: 1, evaluator: evaluator)
        #expect(aware.report.fallback == nil)
        #expect(aware.report.rankings.allSatisfy { $0 < 0 || candidates.contains($0) })
        // Six candidates, ranked by index descending: the first ranked is the largest held-out item.
        #expect(aware.report.rankings.first == candidates.max())
        #expect(aware.report.rankings.prefix(10).filter { $0 >= 0 }.count == 6)
        // A collaborative model is replaced by the seeded random order, counted for every evaluated user.
        let als = try Benchmark.fitAndEvaluate(Algorithm.als(ALSConfiguration(factors: 4, iterations: 3)), on: split, seed: 1, evaluator: evaluator)
        let fallback = try #require(als.report.fallback)
        #expect(fallback.users == split.evaluatedUsers.count)
        #expect(fallback.fallback.contains("random"))
        #expect(als.report.rankings.allSatisfy { $0 < 0 || candidates.contains($0) })
        let random = evaluator.evaluate(RandomModel(itemCount: data.itemCount, seed: 1), on: split, name: "random")
        #expect(als.report.mean(.ndcg(10)) == random.mean(.ndcg(10)))
        #expect(als.report.notes.contains { $0.contains("no information on items") })
    }

    // MARK: New users

    @Test func newUserSplitHoldsOutWholeUsersAndDividesTheirHistory() throws {
        let data = try Self.dataset()
        let split = try Splitter.split(data, method: .newUsers(fraction: 0.25, testFraction: 0.3, minimum: 2), seed: 3)
        let foldIn = try #require(split.foldIn)
        let held = NewUsers(fraction: 0.25, testFraction: 0.3, minimum: 2).heldOutUsers(data.interactions, seed: 3)
        #expect(held.count == 10)   // round(0.25 × 40)
        let heldSet = Set(held)
        for u in 0..<data.userCount {
            let all = Self.rows(data.interactions, u), train = Self.rows(split.train, u)
            let given = Self.rows(foldIn, u), test = Self.rows(split.test, u)
            if heldSet.contains(Int32(u)) {
                // No training row; fold-in ∪ test = the user's interactions, disjoint.
                #expect(train.isEmpty)
                #expect(given.isDisjoint(with: test) && given.union(test) == all)
                // round(0.3 × n), at least one, at least one left to fold in.
                #expect(test.count == min(all.count - 1, max(1, Int((Double(all.count) * 0.3).rounded()))))
            } else {
                #expect(train == all && given.isEmpty && test.isEmpty)
            }
        }
        #expect(split.evaluatedUsers == held)
        #expect(split.candidateItems == nil)
        let again = try Splitter.split(data, method: .newUsers(fraction: 0.25, testFraction: 0.3, minimum: 2), seed: 3)
        #expect(again.foldIn == split.foldIn && again.test == split.test && again.train == split.train)
        let other = try Splitter.split(data, method: .newUsers(fraction: 0.25, testFraction: 0.3, minimum: 2), seed: 4)
        #expect(other.test != split.test)
    }

    // MARK: Fold-in

    /// Solves A x = b in double precision by Gaussian elimination with partial pivoting.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double] {
        var a = a, b = b
        let n = b.count
        for k in 0..<n {
            let p = (k..<n).max { abs(a[$0][k]) < abs(a[$1][k]) }!
            a.swapAt(k, p); b.swapAt(k, p)
            for r in (k + 1)..<n {
                let m = a[r][k] / a[k][k]
                for c in k..<n { a[r][c] -= m * a[k][c] }
                b[r] -= m * b[k]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for k in stride(from: n - 1, through: 0, by: -1) {
            var s = b[k]
            for c in (k + 1)..<n { s -= a[k][c] * x[c] }
            x[k] = s / a[k][k]
        }
        return x
    }

    /// The user's least squares against fixed item factors Y, written out independently:
    /// (Σ_all y yᵀ + Σ_hist (c − 1) y yᵀ + λ·s·I) x = Σ_hist c·y, c = 1 + α·r, s = 1 or n.
    static func expectedFactors(history: [(item: Int, value: Float)], itemFactors y: [Float], f: Int,
                                lambda: Double, alpha: Double, byInteractions: Bool) -> [Double] {
        let items = y.count / f
        var a = [[Double]](repeating: [Double](repeating: 0, count: f), count: f)
        var b = [Double](repeating: 0, count: f)
        for i in 0..<items { for j in 0..<f { for l in 0..<f { a[j][l] += Double(y[i * f + j]) * Double(y[i * f + l]) } } }
        for (item, value) in history {
            let c = 1 + alpha * Double(value)
            for j in 0..<f {
                b[j] += c * Double(y[item * f + j])
                for l in 0..<f { a[j][l] += (c - 1) * Double(y[item * f + j]) * Double(y[item * f + l]) }
            }
        }
        for j in 0..<f { a[j][j] += lambda * (byInteractions ? Double(history.count) : 1) }
        return solve(a, b)
    }

    @Test(arguments: [RegularizationScaling.constant, .byInteractions])
    func alsFoldInEqualsRefittingTheUserRowAgainstFixedItemFactors(scaling: RegularizationScaling) throws {
        let data = try Self.dataset()
        let split = try Splitter.split(data, method: .newUsers(fraction: 0.25, testFraction: 0.3, minimum: 2), seed: 3)
        let foldIn = try #require(split.foldIn)
        let f = 5
        // The fit's own solver is CG: the fold-in solves exactly all the same.
        let configuration = ALSConfiguration(factors: f, iterations: 4, regularization: 0.5, alpha: 2, regularizationScaling: scaling)
        let model = try configuration.fit(split.trainDataset, seed: 7, threads: 1)
        let users = UserBatch(split.evaluatedUsers.map { UserIndex(rawValue: $0) })
        let factors = model.foldInFactors(for: users, histories: foldIn)
        var scores = [Float](repeating: 0, count: users.count * model.itemCount)
        scores.withUnsafeMutableBufferPointer { buffer in
            var rows = ScoreRows(buffer, rows: users.count, itemCount: model.itemCount)
            model.foldInScores(for: users, histories: foldIn, into: &rows)
        }
        let y = model.model.itemFactors
        for (row, user) in users.enumerated() {
            let history = foldIn.range(ofRow: user.int).map { (item: Int(foldIn.columns[$0]), value: foldIn.values[$0]) }
            let expected = Self.expectedFactors(history: history, itemFactors: y, f: f, lambda: 0.5, alpha: 2,
                                                byInteractions: scaling == .byInteractions)
            let scale = max(1, expected.map(abs).max()!)
            for j in 0..<f { #expect(abs(Double(factors[row * f + j]) - expected[j]) <= 1e-5 * scale) }
            for i in 0..<model.itemCount {
                var dot = 0.0
                for j in 0..<f { dot += expected[j] * Double(y[i * f + j]) }
                #expect(abs(Double(scores[row * model.itemCount + i]) - dot) <= 1e-5 * max(1, abs(dot)))
            }
        }
        // Deterministic, and independent of the batch: one user alone gets the same factors.
        let single = model.foldInFactors(for: UserBatch(users[users.startIndex]), histories: foldIn)
        #expect(Array(factors[0..<f]) == single)
    }

    @Test func foldingInATrainingUsersOwnRowReproducesTheirScores() throws {
        let data = try Self.dataset()
        let split = try Splitter.split(data, method: .leaveOneOut(selection: .random, minimum: 2), seed: 1)
        let train = split.trainDataset
        let users = UserBatch((0..<train.userCount).map { UserIndex($0) })
        func both(_ model: some FoldInModel) -> (fitted: [Float], folded: [Float]) {
            var folded = [Float](repeating: 0, count: users.count * model.itemCount)
            folded.withUnsafeMutableBufferPointer { buffer in
                var rows = ScoreRows(buffer, rows: users.count, itemCount: model.itemCount)
                model.foldInScores(for: users, histories: train.interactions, into: &rows)
            }
            return (model.scores(for: users), folded)
        }
        // Item-kNN, EASE and the autoencoders score a row by the same function: exactly equal.
        let knn = both(try ItemKNNConfiguration(neighbors: 10).fit(train, seed: 1, threads: 1))
        #expect(knn.fitted == knn.folded)
        let ease = both(try EASEConfiguration().fit(train, seed: 1, threads: 1))
        #expect(ease.fitted == ease.folded)
        let vae = both(try MultVAEConfiguration(parameters: ["epochs": .integer(2), "layers": .integers([8, 4])]).fit(train, seed: 1, threads: 1))
        #expect(vae.fitted == vae.folded)
        let dae = both(try MultDAEConfiguration(parameters: ["epochs": .integer(2), "layers": .integers([8])]).fit(train, seed: 1, threads: 1))
        #expect(dae.fitted == dae.folded)
        // Explicit ALS ends each iteration with the user step against the final item factors,
        // by the row solver the fold-in calls: exactly equal.
        let explicit = both(try ExplicitALSConfiguration(factors: 3, iterations: 3).fit(train, seed: 1, threads: 1))
        #expect(explicit.fitted == explicit.folded)
        let popularity = both(try PopularityConfiguration().fit(train, seed: 1, threads: 1))
        #expect(popularity.fitted == popularity.folded)
        // ALS (exact solver, converged): the fitted user factors solve the user step against the
        // item factors of the sweep before the last item step, so the fold-in agrees to the
        // solver's convergence, not bit for bit. Measured: largest difference 1.4e-4 at 60 sweeps,
        // scores up to 1.02 (ALS converges slowly; the tolerance is 1e-3 of the largest score).
        let als = both(try ALSConfiguration(factors: 4, iterations: 60, regularization: 1, alpha: 1, solver: .cholesky).fit(train, seed: 1, threads: 1))
        let largest = als.fitted.map(abs).max()!
        for (a, b) in zip(als.fitted, als.folded) { #expect(abs(a - b) <= 1e-3 * max(1, largest)) }
    }

    @Test func foldInDoesNotDependOnTheThreadCount() throws {
        let data = try Self.dataset()
        let split = try Splitter.split(data, method: .newUsers(fraction: 0.25, testFraction: 0.3, minimum: 2), seed: 3)
        let foldIn = try #require(split.foldIn)
        let users = UserBatch(split.evaluatedUsers.map { UserIndex(rawValue: $0) })
        let one = try ALSConfiguration(factors: 6, iterations: 3).fit(split.trainDataset, seed: 2, threads: 1)
        let two = try ALSConfiguration(factors: 6, iterations: 3).fit(split.trainDataset, seed: 2, threads: 2)
        #expect(one.foldInFactors(for: users, histories: foldIn) == two.foldInFactors(for: users, histories: foldIn))
    }

    @Test func foldInTypesAreTheNamedOnes() {
        let folding = Algorithm.types.filter { $0.foldsIn }.map { $0.typeName }
        for name in ["popularity", "random", "item-knn", "als", "ease", "dae", "vae", "als-explicit"] { #expect(folding.contains(name)) }
        #expect(!folding.contains("bpr"))
        #expect(!folding.contains("svd"))
    }

    // MARK: Benchmark on the new-user protocol

    @Test func everyFoldInAlgorithmEvaluatesOnNewUsersAndOthersAreRefused() throws {
        let data = try Self.dataset()
        let split = try Splitter.split(data, method: .newUsers(fraction: 0.25, testFraction: 0.3, minimum: 2), seed: 3)
        let evaluator = Evaluator(EvaluationConfiguration(metrics: [.ndcg(10), .recall(20)], bootstrapResamples: 0))
        let algorithms: [Algorithm] = [
            .popularity(PopularityConfiguration()), .random(RandomConfiguration()), .itemKNN(ItemKNNConfiguration(neighbors: 10)),
            .als(ALSConfiguration(factors: 4, iterations: 3)), .ease(EASEConfiguration()),
            .multVAE(try MultVAEConfiguration(parameters: ["epochs": .integer(2), "layers": .integers([8, 4])])),
            .multDAE(try MultDAEConfiguration(parameters: ["epochs": .integer(2), "layers": .integers([8])])),
        ]
        for algorithm in algorithms {
            let outcome = try Benchmark.fitAndEvaluate(algorithm, on: split, seed: 1, evaluator: evaluator)
            #expect(outcome.report.evaluatedUsers == split.evaluatedUsers.count)
            #expect(outcome.report.fallback == nil)
            #expect(outcome.report.candidateSet.contains("fold-in"))
            // Fold-in items are known at scoring time: never ranked.
            let metric = try #require(outcome.report.mean(.ndcg(10)))
            #expect(metric >= 0 && metric <= 1)
        }
        let bpr = Algorithm.bpr(BPRConfiguration())
        #expect(throws: ColdStartError.cannotFoldIn(model: bpr.configuration.label)) {
            try Benchmark.fitAndEvaluate(bpr, on: split, seed: 1, evaluator: evaluator)
        }
        let sampled = Evaluator(EvaluationConfiguration(metrics: [.ndcg(10)], candidates: .sampled(negatives: 5, seed: 1), bootstrapResamples: 0))
        #expect(throws: ColdStartError.sampledCandidates(protocol: "new users")) {
            try Benchmark.fitAndEvaluate(Algorithm.popularity(PopularityConfiguration()), on: split, seed: 1, evaluator: sampled)
        }
        let newItems = try Splitter.split(data, method: .newItems(fraction: 0.2), seed: 5)
        #expect(throws: ColdStartError.sampledCandidates(protocol: "new items")) {
            try Benchmark.fitAndEvaluate(Algorithm.popularity(PopularityConfiguration()), on: newItems, seed: 1, evaluator: sampled)
        }
    }

    @Test func foldInItemsAreNeverRanked() throws {
        let data = try Self.dataset()
        let split = try Splitter.split(data, method: .newUsers(fraction: 0.25, testFraction: 0.3, minimum: 2), seed: 3)
        let foldIn = try #require(split.foldIn)
        let evaluator = Evaluator(EvaluationConfiguration(metrics: [.ndcg(10)], bootstrapResamples: 0, keepRanking: 30))
        let outcome = try Benchmark.fitAndEvaluate(Algorithm.popularity(PopularityConfiguration()), on: split, seed: 1, evaluator: evaluator)
        let depth = outcome.report.depth
        for (index, user) in outcome.report.users.enumerated() {
            let given = Self.rows(foldIn, Int(user))
            let ranked = outcome.report.rankings[(index * depth)..<((index + 1) * depth)].filter { $0 >= 0 }
            #expect(ranked.allSatisfy { !given.contains($0) })
            #expect(ranked.count == 30 - given.count)
        }
    }

    // MARK: Split files

    @Test(arguments: [SplitMethod.newUsers(fraction: 0.25, testFraction: 0.3, minimum: 2), .newItems(fraction: 0.2)])
    func coldStartSplitReadFromFilesEvaluatesIdentically(method: SplitMethod) throws {
        let data = try Self.dataset()
        let split = try Splitter.split(data, method: method, seed: 3)
        let folder = TemporaryFolder()
        try SplitFiles.write(split, to: folder.path)
        let read = try SplitFiles.read(from: folder.path)
        #expect(read.train == split.train && read.test == split.test)
        #expect(read.foldIn == split.foldIn)
        #expect(read.candidateItems == split.candidateItems)
        #expect(read.evaluatedUsers == split.evaluatedUsers)
        let evaluator = Evaluator(EvaluationConfiguration(metrics: [.ndcg(10), .recall(20)], bootstrapResamples: 0))
        let algorithm = Algorithm.als(ALSConfiguration(factors: 4, iterations: 3))
        let a = try Benchmark.fitAndEvaluate(algorithm, on: split, seed: 1, evaluator: evaluator).report
        let b = try Benchmark.fitAndEvaluate(algorithm, on: read, seed: 1, evaluator: evaluator).report
        #expect(a.perUser == b.perUser)
        #expect(a.fallback == b.fallback)
        // A warm split written over the same folder leaves no cold-start part behind.
        try SplitFiles.write(try Splitter.split(data, method: .leaveOneOut(selection: .random, minimum: 2), seed: 1), to: folder.path)
        let warm = try SplitFiles.read(from: folder.path)
        #expect(warm.foldIn == nil && warm.candidateItems == nil)
    }

    @Test func candidatesFileWithAnUnknownItemIsRefused() throws {
        let data = try Self.dataset()
        let folder = TemporaryFolder()
        try SplitFiles.write(try Splitter.split(data, method: .newItems(fraction: 0.2), seed: 3), to: folder.path)
        folder.write("candidates.tsv", "i1\nnot-an-item\n")
        #expect(throws: DatasetError.self) { try SplitFiles.read(from: folder.path) }
    }
}
