import Foundation
import Testing
@testable import RecBench
@testable import RecBenchAlgorithms
import RecBenchTestSupport

/// A planted dataset: users 0..<20 like items 0..<10 (tag "A"), users 20..<40 items 10..<20 (tag
/// "B"); each user has 6 distinct items of its group drawn from the seed, among items that are
/// not cold. Items 8, 9, 18, 19 have no interactions (cold) but keep their tag.
private func planted(seed: UInt64 = 3, withFeatures: Bool = true) -> Dataset {
    let cold: Set<Int> = [8, 9, 18, 19]
    var rng = SeededGenerator(seed: seed)
    var offsets = [0], columns: [Int32] = []
    for user in 0..<40 {
        let group = user / 20
        let pool = (group * 10 ..< group * 10 + 10).filter { !cold.contains($0) }
        var chosen = Set<Int>()
        while chosen.count < 6 { chosen.insert(pool[rng.nextInt(below: pool.count)]) }
        columns.append(contentsOf: chosen.sorted().map(Int32.init))
        offsets.append(columns.count)
    }
    let matrix = InteractionMatrix(rowCount: 40, columnCount: 20, rowOffsets: offsets, columns: columns,
                                   values: [Float](repeating: 1, count: columns.count))
    let features = ItemFeatures(itemCount: 20, entries: (0..<20).map { ($0, $0 < 10 ? "A" : "B", 1) }, source: "planted")
    return Dataset(name: "planted", users: Vocabulary(integers: (0..<40).map(Int64.init)), items: Vocabulary(integers: (0..<20).map(Int64.init)),
                   interactions: matrix, itemFeatures: withFeatures ? features : nil)
}

/// The tiny fixture of the hand-computed scores: item 0 has "rock" (weight 3), item 1 "rock" and
/// "pop" (1 each), item 2 nothing; with identity features the columns are id0, id1, id2, rock, pop.
private func tinyFeatures() -> ItemFeatures {
    ItemFeatures(itemCount: 3, entries: [(0, "rock", 3), (1, "rock", 1), (1, "pop", 1)], source: "tiny")
}

@Suite("LightFM")
struct LightFMTests {
    @Test func itemRowsAddIdentityAndNormaliseToSumOne() {
        let features = LightFMFeatures(itemCount: 3, metadata: tinyFeatures(), identity: true)
        // item 0: [id0 1, rock 3] / 4; item 1: [id1 1, rock 1, pop 1] / 3; item 2: [id2 1].
        #expect(features.count == 5 && features.metadataCount == 2)
        #expect(features.rows.columns == [0, 3, 1, 3, 4, 2])
        let expected: [Float] = [0.25, 0.75, 1.0 / 3, 1.0 / 3, 1.0 / 3, 1]
        for (value, want) in zip(features.rows.values, expected) { #expect(abs(value - want) < 1e-7) }
        let plain = LightFMFeatures(itemCount: 3, metadata: tinyFeatures(), identity: false)
        // Without identity: item 0 [rock 1], item 1 [rock ½, pop ½], item 2 empty.
        #expect(plain.count == 2 && plain.rows.columns == [0, 0, 1] && plain.rows.values == [1, 0.5, 0.5])
    }

    @Test func scoreIsTheDotOfUserAndWeightedFeatureSumPlusBiases() {
        let features = LightFMFeatures(itemCount: 3, metadata: tinyFeatures(), identity: true)
        // f = 2: e_id0 = (1, 0), e_id1 = (0, 1), e_id2 = (2, 2), e_rock = (4, 0), e_pop = (0, 8); b_rock = 1; p_u = (1, 1), b_u = 0.5.
        var state = LightFMState(factors: 2, itemRows: features.rows, userCount: 1, schedule: .adagrad, learningRate: 0.05,
                                 itemEmbeddings: [1, 0, 0, 1, 2, 2, 4, 0, 0, 8], userEmbeddings: [1, 1])
        state.storage[5 * 2 + 3] = 1                  // b_rock
        state.storage[5 * 3 + 1 * 2 + 0] = 0.5         // b_u
        #expect(state.itemBias(3) == 1 && state.userBias(0) == 0.5)
        // q_0 = ¼(1,0) + ¾(4,0) = (3.25, 0), b_0 = ¾ → 3.25 + 0.75 + 0.5 = 4.5.
        // q_1 = ⅓(0,1) + ⅓(4,0) + ⅓(0,8) = (4/3, 3), b_1 = ⅓ → 4/3 + 3 + 1/3 + 0.5 = 31/6.
        // q_2 = (2, 2) → 4 + 0.5 = 4.5.
        let model = state.model(scoringRows: features.scoringRows(trained: [true, true, true]), scoresNewItems: true)
        let scores = model.scores(for: [UserIndex(0)])
        let expected: [Float] = [4.5, 31.0 / 6, 4.5]
        for (score, want) in zip(scores, expected) { #expect(abs(score - want) < 1e-5, "\(scores)") }
        // The kernel's training-time prediction is the same number.
        let fromKernel: Float = state.withKernel { k in
            var user = [Float](repeating: 0, count: 3), item = user
            k.userRepresentation(0, into: &user)
            k.itemRepresentation(1, into: &item)
            return k.prediction(user, item)
        }
        #expect(abs(fromKernel - 31.0 / 6) < 1e-5)
    }

    @Test func coldItemsAreScoredFromTheirMetadataAlone() {
        let features = LightFMFeatures(itemCount: 3, metadata: tinyFeatures(), identity: true)
        let state = LightFMState(factors: 2, itemRows: features.rows, userCount: 1, schedule: .adagrad, learningRate: 0.05,
                                 itemEmbeddings: [1, 0, 0, 1, 2, 2, 4, 0, 0, 8], userEmbeddings: [1, 1])
        // Items 1 and 2 untrained: item 1 drops id1 → [rock ½, pop ½]: q = (2, 4), score 6;
        // item 2 drops id2 and has no metadata → q = 0, score 0. Item 0 keeps id0: 3.25.
        let rows = features.scoringRows(trained: [true, false, false])
        #expect(rows.columns == [0, 3, 3, 4] && rows.values == [0.25, 0.75, 0.5, 0.5])
        let scores = state.model(scoringRows: rows, scoresNewItems: true).scores(for: [UserIndex(0)])
        #expect(abs(scores[0] - 3.25) < 1e-6 && abs(scores[1] - 6) < 1e-6 && scores[2] == 0)
    }

    @Test func oneBPRStepMatchesTheHandComputedAdagradUpdate() {
        // One factor, two items with identity features only: e_0 = 1, e_1 = −1, p_u = 0.5, biases 0,
        // Adagrad G = 1, lr = 0.1. x̂_u0 − x̂_u1 = 0.5 − (−0.5) = 1; weight w = 1 − σ(1) = σ(−1) = 0.26894142.
        // Every first step is lr/√1 = 0.1 times the gradient:
        //   b_0 −= 0.1·(−w) → +0.026894142;   b_1 −= 0.1·w → −0.026894142;   b_u −= 0.1·w → −0.026894142
        //   e_0 −= 0.1·(−w·0.5) → 1.013447071;  e_1 −= 0.1·(w·0.5) → −1.013447071
        //   p_u −= 0.1·w·(q_1 − q_0) = 0.1·w·(−2) → 0.5 + 0.053788284 = 0.553788284
        //   G(e_0) = 1 + (w·0.5)² = 1.018082; G(p_u) = 1 + (2w)² = 1.289322.
        let features = LightFMFeatures(itemCount: 2, metadata: nil, identity: true)
        var state = LightFMState(factors: 1, itemRows: features.rows, userCount: 1, schedule: .adagrad, learningRate: 0.1,
                                 itemEmbeddings: [1, -1], userEmbeddings: [0.5])
        state.withKernel { k in
            var scratch = [Float](repeating: 0, count: 6)
            scratch.withUnsafeMutableBufferPointer { s in
                let base = s.baseAddress!
                k.bprStep(user: 0, positive: 0, negative: 1, userRepr: base, positiveRepr: base + 2, negativeRepr: base + 4)
            }
        }
        let w: Float = 0.26894142
        #expect(abs(state.itemBias(0) - 0.1 * w) < 1e-6 && abs(state.itemBias(1) + 0.1 * w) < 1e-6)
        #expect(abs(state.userBias(0) + 0.1 * w) < 1e-6)
        #expect(abs(state.itemEmbedding(0).first! - 1.013447071) < 1e-6 && abs(state.itemEmbedding(1).first! + 1.013447071) < 1e-6)
        #expect(abs(state.userEmbedding(0).first! - 0.553788284) < 1e-6)
        let block = state.blockSize
        #expect(abs(state.storage[block + 0] - 1.018082) < 1e-5)                          // G(e_0)
        #expect(abs(state.storage[block + 2 * 2 + 0] - (1 + 4 * w * w)) < 1e-5)           // G(p_u)
    }

    @Test func oneAdadeltaStepMatchesItsDefinition() {
        // Same triple under Adadelta (ρ = 0.95, ε = 1e-6, G = M = 0): for the bias of item 0, g = −w:
        // G = 0.05·w², step = √ε/√(G + ε) · g, so b_0 = −step = w·√ε/√(0.05w² + ε).
        let features = LightFMFeatures(itemCount: 2, metadata: nil, identity: true)
        var state = LightFMState(factors: 1, itemRows: features.rows, userCount: 1, schedule: .adadelta, learningRate: 0.1,
                                 itemEmbeddings: [1, -1], userEmbeddings: [0.5])
        state.withKernel { k in
            var scratch = [Float](repeating: 0, count: 6)
            scratch.withUnsafeMutableBufferPointer { s in
                let base = s.baseAddress!
                k.bprStep(user: 0, positive: 0, negative: 1, userRepr: base, positiveRepr: base + 2, negativeRepr: base + 4)
            }
        }
        let w: Double = 0.26894142, eps = 1e-6
        let expected = w * eps.squareRoot() / (0.05 * w * w + eps).squareRoot()
        #expect(abs(Double(state.itemBias(0)) - expected) < 1e-6 * max(1, expected))
    }

    @Test func twoColdItemsWithDifferentFeaturesGetDifferentScoresAndTheUsersGroupWins() throws {
        let data = planted()
        let model = try LightFMConfiguration(factors: 8, epochs: 40).fit(data, seed: 5, threads: 1)
        #expect(model.scoresNewItems)
        let scores = model.scores(for: (0..<40).map(UserIndex.init))
        var right = 0
        for user in 0..<40 {
            let row = scores[user * 20 ..< (user + 1) * 20].map { $0 }
            // Cold items of one group have the same features, hence the same representation.
            #expect(row[8] == row[9] && row[18] == row[19])
            #expect(row[8] != row[18])
            if (user < 20) == (row[8] > row[18]) { right += 1 }
        }
        #expect(right >= 36, "\(right) of 40 users rank their group's cold items first")
    }

    @Test func withoutFeaturesTheModelIsPlainMFAndDoesNotScoreNewItems() throws {
        let model = try LightFMConfiguration(factors: 4, epochs: 2).fit(planted(withFeatures: false), seed: 5, threads: 1)
        #expect(!model.scoresNewItems)
        let scores = model.scores(for: [UserIndex(0)])
        // Cold items lose their (untrained) identity feature: zero representation, score b_u.
        #expect(scores[8] == scores[19])
    }

    @Test(arguments: [LightFMLoss.warp, .bpr])
    func learningRanksHeldOutItemsFarAboveChance(loss: LightFMLoss) throws {
        // Hold out one item per user (the (u mod 6)-th); AUC of the held-out item against the warm items the user
        // never had (2 of its own group, 8 of the other: a model that learned the groups gets
        // about (8 + 2·½)/10 = 0.9, chance 0.5; cold items carry no signal without features).
        let full = planted(withFeatures: false)
        var offsets = [0], columns: [Int32] = [], heldOut: [Int] = []
        for u in 0..<40 {
            var row = Array(full.interactions.columns[full.interactions.range(ofRow: u)])
            heldOut.append(Int(row.remove(at: u % row.count)))   // varied, so every item keeps training rows
            columns.append(contentsOf: row)
            offsets.append(columns.count)
        }
        let train = Dataset(name: "train", users: full.users, items: full.items,
                            interactions: InteractionMatrix(rowCount: 40, columnCount: 20, rowOffsets: offsets, columns: columns,
                                                            values: [Float](repeating: 1, count: columns.count)))
        let model = try LightFMConfiguration(factors: 8, loss: loss, epochs: 30).fit(train, seed: 9, threads: 1)
        var auc = 0.0
        for u in 0..<40 {
            let row = model.scores(for: [UserIndex(u)])
            let seen = Set(full.interactions.columns[full.interactions.range(ofRow: u)].map(Int.init))
            let negatives = (0..<20).filter { !seen.contains($0) && ![8, 9, 18, 19].contains($0) }
            auc += Double(negatives.filter { row[$0] < row[heldOut[u]] }.count) / Double(negatives.count)
        }
        auc /= 40
        #expect(auc > 0.8, "AUC \(auc) with \(loss)")
    }

    @Test func sameSeedGivesTheSameBitsAtAnyThreadCountAndAnotherSeedDiffers() throws {
        let data = planted()
        let configuration = LightFMConfiguration(factors: 8, epochs: 5)
        let users = (0..<40).map(UserIndex.init)
        let one = try configuration.fit(data, seed: 1, threads: 1).scores(for: users)
        let two = try configuration.fit(data, seed: 1, threads: 2).scores(for: users)
        let other = try configuration.fit(data, seed: 2, threads: 2).scores(for: users)
        #expect(one.map(\.bitPattern) == two.map(\.bitPattern))
        #expect(one.map(\.bitPattern) != other.map(\.bitPattern))
        let bpr = LightFMConfiguration(factors: 8, loss: .bpr, schedule: .adadelta, epochs: 5)
        let bprOne = try bpr.fit(data, seed: 1, threads: 1).scores(for: users)
        let bprTwo = try bpr.fit(data, seed: 1, threads: 2).scores(for: users)
        #expect(bprOne.map(\.bitPattern) == bprTwo.map(\.bitPattern))
    }

    @Test func hyperparametersAreReadValidatedAndRoundTrip() throws {
        let c = try LightFMConfiguration(parameters: ["factors": .integer(16), "loss": .string("bpr"), "schedule": .string("adadelta"),
                                                      "item_alpha": .double(1e-6), "item_identity": .boolean(false)])
        #expect(c.factors == 16 && c.loss == .bpr && c.schedule == .adadelta && c.itemAlpha == 1e-6 && !c.itemIdentity)
        #expect(try LightFMConfiguration(parameters: c.parameters) == c)
        #expect(LightFMConfiguration().label == "LightFM(f=10, warp, adagrad lr=0.05, epochs=30)")
        for bad: [String: ParameterValue] in [["factors": .integer(0)], ["loss": .string("logistic")], ["learning_rate": .double(0)],
                                              ["max_sampled": .integer(0)], ["rho": .double(1.5)], ["item_alpha": .double(-1)],
                                              ["schedule": .string("sgd")], ["item_identity": .integer(1)], ["no_components": .integer(10)]] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try LightFMConfiguration(parameters: bad) }
        }
        #expect(throws: ConfigurationError.self) { try LightFMConfiguration(factors: -1).fit(planted(), seed: 1, threads: 1) }
        #expect(LightFMConfiguration.ignoredParameters(given: ["loss": .string("bpr")]) == ["max_sampled", "rho", "epsilon"])
        #expect(LightFMConfiguration.ignoredParameters(given: ["schedule": .string("adadelta")]) == ["learning_rate"])
        let named = try Algorithm(type: "lightfm", parameters: [:])
        #expect(named == .lightFM(LightFMConfiguration()))
    }

    @Test func emptyTrainingAndZeroEpochsGiveFiniteScores() throws {
        let data = planted()
        let untrained = try LightFMConfiguration(epochs: 0).fit(data, seed: 1, threads: 1)
        let first = untrained.scores(for: [UserIndex(0)])
        #expect(first.allSatisfy { $0.isFinite })
        let empty = Dataset(name: "empty", users: data.users, items: data.items,
                            interactions: InteractionMatrix(rowCount: 40, columnCount: 20, rowOffsets: [Int](repeating: 0, count: 41),
                                                            columns: [], values: []),
                            itemFeatures: data.itemFeatures)
        let model = try LightFMConfiguration(epochs: 3).fit(empty, seed: 1, threads: 1)
        // Nothing trained: every item is cold and scored from its tag alone (A items equal, B items equal).
        let row = model.scores(for: [UserIndex(0)])
        #expect(row.allSatisfy { $0.isFinite } && row[0] == row[9] && row[10] == row[19])
    }

    @Test(arguments: ConformanceCheck.allCases)
    func passesTheConformanceSuiteWithBPR(check: ConformanceCheck) throws {
        try ConformanceSuite(LightFMConfiguration(factors: 8, loss: .bpr, epochs: 60)).run(check)
    }
}
