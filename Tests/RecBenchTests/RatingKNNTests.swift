import Foundation
import Testing
@testable import RecBench

/// The tiny rating set every hand computation below uses (users A, B, C; items x, y, z, numbered
/// in this order of appearance):
///
///        x  y  z
///     A  5  3  ·
///     B  4  3  4
///     C  1  ·  2
///
/// μ = 22/7. User-based MSD: sim(A, B) = 1 / ((1² + 0²)/2 + 1) = 2/3; sim(A, C) = 1 / (4²/1 + 1) = 1/17.
/// Item-based MSD: sim(z, x) over B, C = 1 / ((0² + 1²)/2 + 1) = 2/3; sim(z, y) over B = 1 / (1 + 1) = 1/2.
private func tiny() throws -> Dataset {
    try Dataset(name: "tiny ratings", interactions: [
        ("A", "x", 5), ("A", "y", 3), ("B", "x", 4), ("B", "y", 3), ("B", "z", 4), ("C", "x", 1), ("C", "z", 2),
    ])
}

private let a = UserIndex(0), userB = UserIndex(1), userC = UserIndex(2)
private let x = ItemIndex(0), y = ItemIndex(1), z = ItemIndex(2)
/// A user and an item beyond the training set (unknown to every model).
private let stranger = UserIndex(7), unseen = ItemIndex(9)

/// 40 users × 30 items of random 1–5 ratings (about a third of the pairs), from a seed.
private func randomRatings(seed: UInt64) throws -> Dataset {
    var rng = SeededGenerator(seed: seed)
    var triples: [Dataset.Triple] = []
    for u in 0..<40 {
        for i in 0..<30 where rng.nextInt(below: 3) == 0 {
            triples.append(("u\(u)", "i\(i)", Float(1 + rng.nextInt(below: 5))))
        }
    }
    return try Dataset(name: "random ratings", interactions: triples)
}

private func close(_ value: Double?, _ expected: Double, tolerance: Double = 1e-12) -> Bool {
    guard let value else { return false }
    return abs(value - expected) <= tolerance * max(1, abs(expected))
}

@Suite("Rating baselines")
struct RatingBaselineTests {
    @Test func alsSetsItemBiasesThenUserBiasesInClosedForm() throws {
        // One epoch, reg_u = reg_i = 0: b_x = (5 + 4 + 1)/3 − μ = 10/3 − 22/7 = 4/21; b_z = (4 + 2)/2 − μ = −1/7;
        // then b_A = ((5 − μ − 4/21) + (3 − μ + 1/7)) / 2 = 5/6. Estimate (A, z) = 22/7 + 5/6 − 1/7 = 23/6.
        var options = BaselineOptions()
        options.epochs = 1
        options.userRegularization = 0
        options.itemRegularization = 0
        let model = try BaselineConfiguration(baseline: options).fit(try tiny(), seed: 0)
        #expect(close(model.baselines.itemBiases[x.int], 4.0 / 21))
        #expect(close(model.baselines.itemBiases[z.int], -1.0 / 7))
        #expect(close(model.baselines.userBiases[a.int], 5.0 / 6))
        #expect(close(model.estimate(user: a, item: z), 23.0 / 6))
    }

    @Test func alsRegularisesByTheRatingCount() throws {
        // Surprise's defaults (reg_i 10): after the first item update b_x = (10 − 3μ)/(10 + 3) = (4/7)/13 = 4/91.
        var options = BaselineOptions()
        options.epochs = 1
        let biases = Baselines(fitting: RatingTrainingSet(try tiny()), options: options)
        #expect(close(biases.itemBiases[x.int], 4.0 / 91))
    }

    @Test func sgdUpdatesTheUserBiasThenTheItemBiasWithOneError() throws {
        // Ratings (A, x) = 5, (A, y) = 3: μ = 4, γ = 0.1, λ = 0. Step 1: e = 1 → b_A = 0.1, b_x = 0.1.
        // Step 2: e = 3 − (4 + 0.1 + 0) = −1.1 → b_A = 0.1 − 0.11 = −0.01, b_y = −0.11.
        let data = try Dataset(interactions: [("A", "x", 5), ("A", "y", 3)])
        let config = try BaselineConfiguration(parameters: ["method": .string("sgd"), "epochs": .integer(1), "learning_rate": .double(0.1),
                                                            "regularization": .double(0)])
        let biases = try config.fit(data, seed: 0).baselines
        #expect(close(biases.userBiases[0], -0.01))
        #expect(close(biases.itemBiases[0], 0.1))
        #expect(close(biases.itemBiases[1], -0.11))
    }

    @Test func sgdWithoutEpochsTakesSurprisesTwentyAndAlsTen() throws {
        #expect(try BaselineConfiguration(parameters: ["method": .string("sgd")]).baseline.epochs == 20)
        #expect(BaselineConfiguration().baseline.epochs == 10)
        #expect(try BaselineConfiguration(parameters: ["method": .string("sgd"), "epochs": .integer(3)]).baseline.epochs == 3)
    }

    @Test func unknownUsersAndItemsGetTheGlobalMeanPlusTheKnownBiases() throws {
        let model = try BaselineConfiguration().fit(try tiny(), seed: 0)
        let b = model.baselines
        #expect(model.estimate(user: stranger, item: z) == b.globalMean + b.itemBiases[z.int])
        #expect(model.estimate(user: a, item: unseen) == b.globalMean + b.userBiases[a.int])
        #expect(model.estimate(user: stranger, item: unseen) == b.globalMean)
    }

    @Test func baselineParametersAreValidatedAndTheOtherMethodsRefused() {
        #expect(throws: ConfigurationError.self) { try BaselineConfiguration(parameters: ["method": .string("newton")]) }
        #expect(throws: ConfigurationError.self) { try BaselineConfiguration(parameters: ["reg_u": .double(-1)]) }
        #expect(throws: ConfigurationError.self) { try BaselineConfiguration(parameters: ["epochs": .integer(-1)]) }
        #expect(BaselineConfiguration.ignoredParameters(given: ["method": .string("sgd")]) == ["reg_u", "reg_i"])
        #expect(BaselineConfiguration.ignoredParameters(given: [:]) == ["regularization", "learning_rate"])
    }
}

@Suite("Rating similarities")
struct RatingSimilarityTests {
    func matrix(_ measure: RatingSimilarityMeasure, userBased: Bool = true, minSupport: Int = 1, baselines: Baselines? = nil) throws -> [Double] {
        RatingSimilarity.matrix(RatingTrainingSet(try tiny()), options: NeighborhoodOptions(similarity: measure, userBased: userBased, minSupport: minSupport),
                                baselines: baselines, threads: 1)
    }

    @Test func msdIsOneOverTheMeanSquaredDifferencePlusOne() throws {
        let users = try matrix(.msd)
        #expect(close(users[0 * 3 + 1], 2.0 / 3) && close(users[1 * 3 + 0], 2.0 / 3))
        #expect(close(users[0 * 3 + 2], 1.0 / 17))
        #expect(users[0] == 1 && users[4] == 1 && users[8] == 1)
        let items = try matrix(.msd, userBased: false)
        #expect(close(items[2 * 3 + 0], 2.0 / 3) && close(items[2 * 3 + 1], 0.5))
    }

    @Test func cosineAndPearsonUseOnlyTheCommonRatings() throws {
        // A, B over x, y: cosine 29 / (√34 · 5); Pearson: n = 2, Σab = 29, Σa = 8, Σb = 7, Σa² = 34, Σb² = 25 →
        // (2·29 − 56) / √((68 − 64)(50 − 49)) = 1. A, C share x only: Pearson 0 (a constant side).
        let cosine = try matrix(.cosine)
        #expect(close(cosine[1], 29 / (34.0.squareRoot() * 5)))
        let pearson = try matrix(.pearson)
        #expect(close(pearson[1], 1) && pearson[2] == 0)
    }

    @Test func minSupportZeroesPairsWithTooFewCommonRatings() throws {
        let users = try matrix(.msd, minSupport: 2)
        #expect(close(users[1], 2.0 / 3) && users[2] == 0)
    }

    @Test func pearsonBaselineCorrelatesResidualsAndShrinks() throws {
        // With all biases 0 and μ = 22/7, A's residuals on x, y are 13/7, −1/7 and B's 6/7, −1/7:
        // ρ = (78 + 1)/49 / √((170/49)(37/49)) = 79/√6290, shrunk by (2 − 1)/(2 − 1 + 100). A, C share one rating: 0 (support ≥ 2).
        let zero = Baselines(globalMean: 22.0 / 7, userBiases: [0, 0, 0], itemBiases: [0, 0, 0])
        let sim = try matrix(.pearsonBaseline, baselines: zero)
        #expect(close(sim[1], 79 / 6290.0.squareRoot() / 101))
        #expect(sim[2] == 0)
    }

    @Test func theMatrixIsSymmetricAndTheSameOnAnyThreadCount() throws {
        let ratings = RatingTrainingSet(try randomRatings(seed: 3))
        for measure in RatingSimilarityMeasure.allCases {
            let options = NeighborhoodOptions(similarity: measure)
            let baselines = Baselines(fitting: ratings, options: BaselineOptions())
            let one = RatingSimilarity.matrix(ratings, options: options, baselines: baselines, threads: 1)
            let two = RatingSimilarity.matrix(ratings, options: options, baselines: baselines, threads: 2)
            #expect(one.map(\.bitPattern) == two.map(\.bitPattern))
            let n = ratings.userCount
            #expect((0..<n).allSatisfy { i in (0..<n).allSatisfy { j in one[i * n + j] == one[j * n + i] } })
        }
    }
}

@Suite("Rating k-NN")
struct RatingKNNTests {
    @Test func knnBasicIsTheSimilarityWeightedMeanOfTheNeighboursRatings() throws {
        // (A, z): neighbours B (4, sim 2/3) and C (2, sim 1/17): (8/3 + 2/17) / (2/3 + 1/17) = 142/37.
        let model = try KNNBasicConfiguration().fit(try tiny(), seed: 0)
        #expect(close(model.estimate(user: a, item: z), 142.0 / 37))
        // k = 1 keeps B only.
        let one = try KNNBasicConfiguration(parameters: ["k": .integer(1)]).fit(try tiny(), seed: 0)
        #expect(close(one.estimate(user: a, item: z), 4))
        // Item-based: A's items x (5, sim(z, x) = 2/3) and y (3, sim 1/2): (10/3 + 3/2) / (7/6) = 29/7.
        let items = try KNNBasicConfiguration(parameters: ["user_based": .boolean(false)]).fit(try tiny(), seed: 0)
        #expect(close(items.estimate(user: a, item: z), 29.0 / 7))
    }

    @Test func knnBasicGivesNoEstimateForUnknownsOrTooFewNeighbours() throws {
        let model = try KNNBasicConfiguration().fit(try tiny(), seed: 0)
        #expect(model.estimate(user: stranger, item: z) == nil)
        #expect(model.estimate(user: a, item: unseen) == nil)
        let strict = try KNNBasicConfiguration(parameters: ["min_k": .integer(3)]).fit(try tiny(), seed: 0)
        #expect(strict.estimate(user: a, item: z) == nil)
        #expect(strict.fallbackRating == 22.0 / 7)
    }

    @Test func knnMeansCentresOnEachNeighboursMean() throws {
        // Means A 4, B 11/3, C 3/2. (A, z) = 4 + (2/3 · (4 − 11/3) + 1/17 · (2 − 3/2)) / (37/51) = 4 + 77/222.
        let model = try KNNWithMeansConfiguration().fit(try tiny(), seed: 0)
        #expect(close(model.estimate(user: a, item: z), 4 + 77.0 / 222))
        // Too few neighbours: the user's mean alone; unknowns: no estimate.
        let strict = try KNNWithMeansConfiguration(parameters: ["min_k": .integer(3)]).fit(try tiny(), seed: 0)
        #expect(strict.estimate(user: a, item: z) == 4)
        #expect(model.estimate(user: stranger, item: z) == nil && model.estimate(user: a, item: unseen) == nil)
    }

    @Test func knnBaselineCorrectsTheBaselineByTheNeighboursResiduals() throws {
        let model = try KNNBaselineConfiguration().fit(try tiny(), seed: 0)
        let b = try #require(model.baselines)
        func baseline(_ u: UserIndex, _ i: ItemIndex) -> Double { b.globalMean + b.userBiases[u.int] + b.itemBiases[i.int] }
        let simB = 2.0 / 3, simC = 1.0 / 17
        let expected = baseline(a, z) + (simB * (4 - baseline(userB, z)) + simC * (2 - baseline(userC, z))) / (simB + simC)
        #expect(close(model.estimate(user: a, item: z), expected))
        // The baselines are BaselineOnly's.
        #expect(b == Baselines(fitting: RatingTrainingSet(try tiny()), options: BaselineOptions()))
    }

    @Test func knnBaselineFallsBackToTheKnownBiases() throws {
        let model = try KNNBaselineConfiguration().fit(try tiny(), seed: 0)
        let b = try #require(model.baselines)
        #expect(model.estimate(user: stranger, item: z) == b.globalMean + b.itemBiases[z.int])
        #expect(model.estimate(user: a, item: unseen) == b.globalMean + b.userBiases[a.int])
        let strict = try KNNBaselineConfiguration(parameters: ["min_k": .integer(3)]).fit(try tiny(), seed: 0)
        #expect(strict.estimate(user: a, item: z) == b.globalMean + b.userBiases[a.int] + b.itemBiases[z.int])
    }

    @Test func tiesAmongEqualSimilaritiesGoToTheLowerIndex() throws {
        // P and Q agree with A on x exactly (MSD similarity 1 each) and rate z 2 and 4; k = 1 keeps P (met first).
        let data = try Dataset(interactions: [("A", "x", 3), ("P", "x", 3), ("Q", "x", 3), ("P", "z", 2), ("Q", "z", 4)])
        let model = try KNNBasicConfiguration(parameters: ["k": .integer(1)]).fit(data, seed: 0)
        #expect(model.estimate(user: UserIndex(0), item: ItemIndex(1)) == 2)
    }

    @Test func fitsAreTheSameOnAnyThreadCount() throws {
        let data = try randomRatings(seed: 5)
        let configurations: [Algorithm] = [
            KNNBasicConfiguration().algorithm, KNNWithMeansConfiguration(neighborhood: NeighborhoodOptions(similarity: .pearson, userBased: false)).algorithm,
            KNNBaselineConfiguration(neighborhood: NeighborhoodOptions(similarity: .pearsonBaseline)).algorithm,
            BaselineConfiguration().algorithm, SlopeOneConfiguration().algorithm,
        ]
        for algorithm in configurations {
            let one = try #require(try algorithm.fit(data, seed: 1, threads: 1) as? any RatingModel)
            let two = try #require(try algorithm.fit(data, seed: 1, threads: 2) as? any RatingModel)
            for u in 0..<data.userCount {
                for i in 0..<data.itemCount {
                    #expect(one.estimate(user: UserIndex(u), item: ItemIndex(i))?.bitPattern == two.estimate(user: UserIndex(u), item: ItemIndex(i))?.bitPattern)
                }
            }
        }
    }

    @Test func neighbourhoodParametersAreValidated() {
        #expect(throws: ConfigurationError.self) { try KNNBasicConfiguration(parameters: ["k": .integer(0)]) }
        #expect(throws: ConfigurationError.self) { try KNNWithMeansConfiguration(parameters: ["min_k": .integer(-1)]) }
        #expect(throws: ConfigurationError.self) { try KNNBaselineConfiguration(parameters: ["similarity": .string("jaccard")]) }
        #expect(throws: ConfigurationError.self) { try KNNBasicConfiguration(parameters: ["min_support": .integer(0)]) }
        #expect(throws: ConfigurationError.self) { try KNNBasicConfiguration(parameters: ["shrinkage": .double(-1)]) }
        #expect(throws: ConfigurationError.self) { try KNNBasicConfiguration(parameters: ["user_based": .string("yes")]) }
        #expect(throws: ConfigurationError.self) { try SlopeOneConfiguration(parameters: ["k": .integer(3)]) }
    }

    @Test func shrinkageAndBaselineOptionsApplyOnlyWhereTheyMeanSomething() {
        #expect(KNNBasicConfiguration.ignoredParameters(given: [:]).isSuperset(of: ["shrinkage", "method", "epochs", "reg_u"]))
        #expect(KNNBasicConfiguration.ignoredParameters(given: ["similarity": .string("pearson_baseline")]) == ["regularization", "learning_rate"])
        #expect(KNNBaselineConfiguration.ignoredParameters(given: [:]) == ["shrinkage", "regularization", "learning_rate"])
        #expect(KNNBaselineConfiguration.ignoredParameters(given: ["similarity": .string("pearson_baseline"), "method": .string("sgd")]) == ["reg_u", "reg_i"])
    }

    @Test func defaultsAreSurprises() {
        let n = KNNBasicConfiguration().neighborhood
        #expect(n.k == 40 && n.minK == 1 && n.similarity == .msd && n.userBased && n.minSupport == 1 && n.shrinkage == 100)
        let b = KNNBaselineConfiguration().baseline
        #expect(b.method == .als && b.epochs == 10 && b.userRegularization == 15 && b.itemRegularization == 10)
        #expect(b.regularization == 0.02 && b.learningRate == 0.005)
    }
}

@Suite("Slope One")
struct SlopeOneTests {
    @Test func slopeOneAddsTheMeanDeviationOverTheUsersRelevantItems() throws {
        // dev(z, x) over B, C = ((4 − 4) + (2 − 1)) / 2 = 1/2; dev(z, y) over B = 4 − 3 = 1.
        // (A, z) = μ_A + (1/2 + 1) / 2 = 4 + 3/4.
        let model = try SlopeOneConfiguration().fit(try tiny(), seed: 0)
        #expect(close(model.estimate(user: a, item: z), 4.75))
        #expect(close(model.deviations[z.int * 3 + x.int], 0.5) && close(model.deviations[x.int * 3 + z.int], -0.5))
    }

    @Test func slopeOneUsesTheUserMeanWhenNoItemSharesRaters() throws {
        // D's only item w shares no rater with z: the estimate is D's mean.
        let data = try Dataset(interactions: [("A", "x", 5), ("A", "z", 3), ("D", "w", 2)])
        let model = try SlopeOneConfiguration().fit(data, seed: 0)
        #expect(model.estimate(user: UserIndex(1), item: ItemIndex(1)) == 2)
    }

    @Test func slopeOneTruncatesHalfStarsInItsDeviationsAsSurpriseUnlessAskedNotTo() throws {
        // A: x 4.5, z 3.5; B: x 2, z 1.5. Truncated: dev(z, x) = ((3 − 4) + (1 − 2)) / 2 = −1;
        // exact: ((3.5 − 4.5) + (1.5 − 2)) / 2 = −0.75. A's mean keeps the halves: (4.5 + 3.5) / 2 = 4.
        let data = try Dataset(interactions: [("A", "x", 4.5), ("A", "z", 3.5), ("B", "x", 2), ("B", "z", 1.5)])
        let truncated = try SlopeOneConfiguration().fit(data, seed: 0)
        let exact = try SlopeOneConfiguration(parameters: ["truncate_ratings": .boolean(false)]).fit(data, seed: 0)
        let x = ItemIndex(0), z = ItemIndex(1)
        #expect(truncated.deviations[z.int * 2 + x.int] == -1 && exact.deviations[z.int * 2 + x.int] == -0.75)
        #expect(truncated.estimate(user: UserIndex(0), item: z) == 3.5)   // 4 + (dev(z, x) + dev(z, z)) / 2 = 4 + (−1 + 0) / 2
        #expect(SlopeOneConfiguration().label == "SlopeOne")
    }

    @Test func slopeOneGivesNoEstimateForUnknowns() throws {
        let model = try SlopeOneConfiguration().fit(try tiny(), seed: 0)
        #expect(model.estimate(user: stranger, item: z) == nil && model.estimate(user: a, item: unseen) == nil)
    }
}
