import Foundation
import Testing
@testable import RecBench

/// Ratings of users a, b on item x (numbered by first appearance: a = 0, b = 1, x = 0), with
/// test pairs that add user c (2, no training rating) and item y (1, no training rating).
private func twoUsersOneItem() throws -> Split {
    try Split(name: "tiny", train: [("a", "x", 4), ("b", "x", 2)], test: [("c", "x", 3), ("a", "y", 3), ("c", "y", 3)])
}

/// A seeded random rating set (1…5 stars) of 40 users and 25 items, about half filled.
private func randomRatings(seed: UInt64 = 7) throws -> Split {
    var rng = SeededGenerator(seed: seed)
    var train: [Dataset.Triple] = [], test: [Dataset.Triple] = []
    for u in 0..<40 {
        for i in 0..<25 where rng.nextUnit() < 0.5 {
            let triple = (user: "u\(u)", item: "i\(i)", value: Float(1 + rng.nextInt(below: 5)))
            if rng.nextUnit() < 0.2 { test.append(triple) } else { train.append(triple) }
        }
    }
    return try Split(name: "random", train: train, test: test)
}

/// Every estimate of `model` over `users` × `items` (the fallback where it gives none).
private func estimates(_ model: any RatingModel, users: Int, items: Int) -> [Double] {
    (0..<users).flatMap { u in (0..<items).map { i in model.estimate(user: UserIndex(u), item: ItemIndex(i)) ?? -1 } }
}

private func rating(_ algorithm: Algorithm, _ split: Split, seed: UInt64 = 0, threads: Int? = nil) throws -> any RatingModel {
    try #require(try algorithm.fit(split.trainDataset, seed: seed, threads: threads) as? any RatingModel)
}

private let tolerance = 1e-12
/// SVD's factors are single precision during the fit.
private let svdTolerance = 1e-6

@Suite("Rating MF")
struct RatingMFTests {
    // MARK: - Hand-computed predictions

    @Test func svdFollowsSurprisesUpdateOrderWithTheOldFactors() throws {
        // f = 1, one epoch, γ = 0.1, λ = 0, factors start at 0.5 (σ = 0), μ = (4 + 2)/2 = 3.
        // (a, x, 4): q·p = 0.25, e = 4 − 3.25 = 0.75; b_a = b_x = 0.075;
        //   p_a = 0.5 + 0.1·0.75·0.5 = 0.5375, q_x = 0.5 + 0.1·0.75·0.5 (old p_a) = 0.5375.
        // (b, x, 2): q·p = 0.5·0.5375 = 0.26875, e = 2 − (3 + 0.075 + 0.26875) = −1.34375;
        //   b_b = −0.134375, b_x = 0.075 − 0.134375 = −0.059375;
        //   p_b = 0.5 + 0.1·(−1.34375)·0.5375 = 0.4277734375, q_x = 0.5375 + 0.1·(−1.34375)·0.5 = 0.4703125.
        // r̂(a, x) = 3 + 0.075 − 0.059375 + 0.5375·0.4703125 = 3.26841796875
        // r̂(b, x) = 3 − 0.134375 − 0.059375 + 0.4277734375·0.4703125 = 3.00743719482421875
        let split = try twoUsersOneItem()
        let svd = SVDConfiguration(factors: 1, epochs: 1, initMean: 0.5, initStd: 0, learningRate: 0.1, regularization: 0)
        let model = try rating(.svd(svd), split)
        #expect(abs(model.estimate(user: UserIndex(0), item: ItemIndex(0))! - 3.26841796875) < svdTolerance)
        #expect(abs(model.estimate(user: UserIndex(1), item: ItemIndex(0))! - 3.00743719482421875) < svdTolerance)
    }

    @Test func svdPerParameterStepsOverrideTheCommonStep() throws {
        // As above with lr_pu = lr_qi = 0: the factors stay 0.5, only the biases move.
        // (a, x, 4): e = 0.75, b_a = b_x = 0.075. (b, x, 2): e = 2 − (3 + 0.075 + 0.25) = −1.325,
        // b_b = −0.1325, b_x = −0.0575. r̂(a, x) = 3 + 0.075 − 0.0575 + 0.25 = 3.2675.
        let split = try twoUsersOneItem()
        let algorithm = try Algorithm(type: "svd", parameters: [
            "factors": .integer(1), "epochs": .integer(1), "init_mean": .double(0.5), "init_std": .double(0),
            "learning_rate": .double(0.1), "regularization": .double(0), "lr_pu": .double(0), "lr_qi": .double(0),
        ])
        let model = try rating(algorithm, split)
        #expect(abs(model.estimate(user: UserIndex(0), item: ItemIndex(0))! - 3.2675) < svdTolerance)
        #expect(algorithm.parameters["lr_pu"] == .double(0) && algorithm.parameters["lr_bu"] == nil)
    }

    @Test func unbiasedSVDLeavesTheMeanAndBiasesOut() throws {
        // μ and biases are 0 in training. (a, x, 4): e = 4 − 0.25 = 3.75, p_a = q_x = 0.6875.
        // (b, x, 2): q·p = 0.34375, e = 1.65625, p_b = 0.5 + 0.1·1.65625·0.6875,
        // q_x = 0.6875 + 0.1·1.65625·0.5 = 0.7703125. r̂(a, x) = 0.6875·0.7703125 = 0.52958984375.
        let split = try twoUsersOneItem()
        let svd = SVDConfiguration(factors: 1, epochs: 1, biased: false, initMean: 0.5, initStd: 0, learningRate: 0.1, regularization: 0)
        let model = try rating(.svd(svd), split)
        #expect(abs(model.estimate(user: UserIndex(0), item: ItemIndex(0))! - 0.52958984375) < svdTolerance)
    }

    @Test func svdppAddsTheNormalisedImplicitFeedbackAndStepsEveryYj() throws {
        // User a rated x (4) then y (2): N(a) = {x, y}, |N(a)|^−½ = 1/√2; μ = 3; f = 1, one epoch,
        // γ = 0.1, λ = 0, every factor and y_j starts at 0.5.
        // (a, x, 4): imp = (0.5 + 0.5)/√2 = 0.70710678…, q_x·(p_a + imp) = 0.60355339…,
        //   e = 0.39644660…; b_a = b_x = 0.039644660…; p_a = 0.5 + 0.1·e·0.5 = 0.51982233…,
        //   q_x = 0.5 + 0.1·e·(0.5 + imp) = 0.54785533…, y_x = y_y = 0.5 + 0.1·e·0.5/√2 = 0.51401650…
        // (a, y, 2): imp = 2·0.51401650…/√2 = 0.72692911…, q_y·(p_a + imp) = 0.62337572…,
        //   e = 2 − (3 + 0.03964466… + 0 + 0.62337572…) = −1.66302038…; b_a = −0.12665737…,
        //   b_y = −0.16630203…; p_a = 0.51982233… + 0.1·e·0.5 = 0.43667131…,
        //   q_y = 0.5 + 0.1·e·(0.51982233… + 0.72692911…) = 0.29266269…,
        //   y_x = y_y = 0.51401650… + 0.1·e·0.5/√2 = 0.45521985…
        // z_a = p_a + (y_x + y_y)/√2 = 1.08044940…;
        // r̂(a, x) = 3 − 0.12665737… + 0.03964466… + 0.54785533…·z_a = 3.50491725820567…
        // r̂(a, y) = 3 − 0.12665737… − 0.16630203… + 0.29266269…·z_a = 3.02324781787225…
        let split = try Split(name: "pp", train: [("a", "x", 4), ("a", "y", 2)], test: [("c", "x", 3), ("a", "z", 3)])
        let svdpp = SVDppConfiguration(factors: 1, epochs: 1, initMean: 0.5, initStd: 0, learningRate: 0.1, regularization: 0)
        let model = try rating(.svdpp(svdpp), split)
        #expect(abs(model.estimate(user: UserIndex(0), item: ItemIndex(0))! - 3.5049172582056776) < 1e-9)
        #expect(abs(model.estimate(user: UserIndex(0), item: ItemIndex(1))! - 3.0232478178722593) < 1e-9)
        // Unknown user c: μ + b_x; unknown item z: μ + b_a.
        #expect(abs(model.estimate(user: UserIndex(1), item: ItemIndex(0))! - (3 + 0.03964466094067261)) < 1e-9)
        #expect(abs(model.estimate(user: UserIndex(0), item: ItemIndex(2))! - (3 - 0.12665737725975562)) < 1e-9)
    }

    @Test func nmfMultipliesEachFactorByItsNumeratorOverDenominator() throws {
        // f = 1, one epoch, unbiased, every factor starts at 0.5 (init_low = init_high), λ_p = λ_q = 0.5.
        // (a, x, 4): r̂ = 0.25; user a: Σq·r = 2, Σq·r̂ = 0.125; item x: Σp·r = 2, Σp·r̂ = 0.125.
        // (b, x, 2): r̂ = 0.25; user b: 1, 0.125; item x: 3, 0.25.
        // p_a = 0.5·2/(0.125 + 1·0.5·0.5) = 8/3, p_b = 0.5·1/0.375 = 4/3, q_x = 0.5·3/(0.25 + 2·0.5·0.5) = 2.
        // r̂(a, x) = 16/3, r̂(b, x) = 8/3 (the evaluator clips to the scale).
        let split = try twoUsersOneItem()
        let nmf = NMFConfiguration(factors: 1, epochs: 1, regularizationPu: 0.5, regularizationQi: 0.5, initLow: 0.5, initHigh: 0.5)
        let model = try rating(.nmf(nmf), split)
        #expect(abs(model.estimate(user: UserIndex(0), item: ItemIndex(0))! - 16.0 / 3) < tolerance)
        #expect(abs(model.estimate(user: UserIndex(1), item: ItemIndex(0))! - 8.0 / 3) < tolerance)
    }

    @Test func normalPredictorDrawsFromTheTrainingMeanAndPopulationDeviation() throws {
        // Ratings 1, 3, 5, 3: μ = 3, σ = √((4 + 0 + 4 + 0)/4) = √2 (population, as Surprise).
        let split = try Split(name: "n", train: [("a", "x", 1), ("a", "y", 3), ("b", "x", 5), ("b", "y", 3)], test: [("c", "z", 3)])
        let model = try NormalPredictorConfiguration().fit(split.trainDataset, seed: 5, threads: nil)
        #expect(model.mean == 3)
        #expect(abs(model.standardDeviation - 2.0.squareRoot()) < tolerance)
        let z = NormalPredictorModel.standardNormal(seed: 5, user: 1, item: 0)
        #expect(model.estimate(user: UserIndex(1), item: ItemIndex(0)) == 3 + 2.0.squareRoot() * z)
        #expect(model.fallbackRating == 3)
    }

    @Test func normalPredictorDrawsAreStandardNormalOverManyPairs() {
        var sum = 0.0, squares = 0.0
        let n = 200 * 200
        for u in 0..<200 {
            for i in 0..<200 {
                let z = NormalPredictorModel.standardNormal(seed: 11, user: Int32(u), item: Int32(i))
                sum += z; squares += z * z
            }
        }
        let mean = sum / Double(n), variance = squares / Double(n) - mean * mean
        #expect(abs(mean) < 0.02)
        #expect(abs(variance - 1) < 0.03)
    }

    // MARK: - Unknown users and items

    @Test func biasedModelsPredictTheMeanPlusTheKnownBiasesForUnknownUsersOrItems() throws {
        // From the first hand computation: b_a = 0.075, b_x = −0.059375, μ = 3.
        let split = try twoUsersOneItem()
        let svd = SVDConfiguration(factors: 1, epochs: 1, initMean: 0.5, initStd: 0, learningRate: 0.1, regularization: 0)
        let model = try rating(.svd(svd), split)
        #expect(abs(model.estimate(user: UserIndex(2), item: ItemIndex(0))! - (3 - 0.059375)) < svdTolerance)   // c, x
        #expect(abs(model.estimate(user: UserIndex(0), item: ItemIndex(1))! - 3.075) < svdTolerance)            // a, y
        #expect(model.estimate(user: UserIndex(2), item: ItemIndex(1)) == 3)                                   // c, y
        #expect(model.estimate(user: UserIndex(99), item: ItemIndex(99)) == 3)                                 // beyond the arrays
        let nmf = try rating(.nmf(NMFConfiguration(factors: 2, epochs: 3, biased: true)), split)
        #expect(nmf.estimate(user: UserIndex(2), item: ItemIndex(1)) == 3)
    }

    @Test func unbiasedModelsPredictNothingForUnknownUsersOrItems() throws {
        let split = try twoUsersOneItem()
        for algorithm in [Algorithm.svd(SVDConfiguration(factors: 2, epochs: 2, biased: false)), .nmf(NMFConfiguration(factors: 2, epochs: 2))] {
            let model = try rating(algorithm, split)
            #expect(model.estimate(user: UserIndex(0), item: ItemIndex(0)) != nil, "\(algorithm.label)")
            #expect(model.estimate(user: UserIndex(2), item: ItemIndex(0)) == nil, "\(algorithm.label)")
            #expect(model.estimate(user: UserIndex(0), item: ItemIndex(1)) == nil, "\(algorithm.label)")
            #expect(model.estimate(user: UserIndex(-1), item: ItemIndex(99)) == nil, "\(algorithm.label)")
            #expect(model.fallbackRating == 3, "\(algorithm.label)")
        }
    }

    @Test func normalPredictorDrawsForUnknownUsersAndItemsToo() throws {
        let split = try twoUsersOneItem()
        let model = try rating(.normal(NormalPredictorConfiguration()), split)
        #expect(model.estimate(user: UserIndex(2), item: ItemIndex(1)) != nil)
    }

    // MARK: - Determinism

    static let small: [Algorithm] = [
        .normal(NormalPredictorConfiguration()),
        .svd(SVDConfiguration(factors: 10, epochs: 5)),
        .svd(SVDConfiguration(factors: 3, epochs: 5, biased: false)),
        .svdpp(SVDppConfiguration(factors: 5, epochs: 5)),
        .nmf(NMFConfiguration(factors: 4, epochs: 10)),
        .nmf(NMFConfiguration(factors: 4, epochs: 10, biased: true)),
    ]

    @Test(arguments: small)
    func fitsAreSeededAndTheSameAtAnyThreadCount(algorithm: Algorithm) throws {
        let split = try randomRatings()
        let users = split.users.count, items = split.items.count
        let one = estimates(try rating(algorithm, split, seed: 3, threads: 1), users: users, items: items)
        #expect(estimates(try rating(algorithm, split, seed: 3, threads: 2), users: users, items: items) == one)
        #expect(estimates(try rating(algorithm, split, seed: 3, threads: nil), users: users, items: items) == one)
        #expect(estimates(try rating(algorithm, split, seed: 4, threads: 1), users: users, items: items) != one)
    }

    @Test func normalPredictorDrawsDoNotDependOnTheOrderOfCalls() throws {
        let split = try randomRatings()
        let model = try rating(.normal(NormalPredictorConfiguration()), split, seed: 9)
        let forward = estimates(model, users: 10, items: 10)
        let backward = (0..<10).reversed().flatMap { u in (0..<10).reversed().map { i in model.estimate(user: UserIndex(u), item: ItemIndex(i))! } }
        #expect(Array(backward.reversed()) == forward)
        let rows = model.scores(for: (0..<10).map(UserIndex.init))
        #expect(rows[3 * model.itemCount + 4] == Float(forward[3 * 10 + 4]))
    }

    @Test(arguments: small)
    func fittedModelsPredictTheTrainingRatingsBetterThanTheMean(algorithm: Algorithm) throws {
        guard algorithm.typeName != "normal" else { return }
        let split = try randomRatings()
        let model = try rating(.init(type: algorithm.typeName, parameters: algorithm.parameters.merging(["epochs": .integer(40)]) { $1 }), split)
        var error = 0.0, baseline = 0.0
        for u in 0..<split.train.rowCount {
            for k in split.train.range(ofRow: u) {
                let r = Double(split.train.values[k])
                let e = model.estimate(user: UserIndex(u), item: ItemIndex(rawValue: split.train.columns[k]))!
                error += (e - r) * (e - r); baseline += (model.fallbackRating - r) * (model.fallbackRating - r)
            }
        }
        #expect(error < baseline, "\(algorithm.label)")
    }

    // MARK: - Hyperparameters

    @Test func defaultsAreSurprises() {
        #expect(SVDConfiguration.defaultParameters == [
            "factors": .integer(100), "epochs": .integer(20), "biased": .boolean(true), "init_mean": .double(0),
            "init_std": .double(0.1), "learning_rate": .double(0.005), "regularization": .double(0.02),
        ])
        #expect(SVDppConfiguration.defaultParameters == [
            "factors": .integer(20), "epochs": .integer(20), "init_mean": .double(0), "init_std": .double(0.1),
            "learning_rate": .double(0.007), "regularization": .double(0.02),
        ])
        #expect(NMFConfiguration.defaultParameters == [
            "factors": .integer(15), "epochs": .integer(50), "biased": .boolean(false), "reg_pu": .double(0.06), "reg_qi": .double(0.06),
            "reg_bu": .double(0.02), "reg_bi": .double(0.02), "lr_bu": .double(0.005), "lr_bi": .double(0.005),
            "init_low": .double(0), "init_high": .double(1),
        ])
        #expect(NormalPredictorConfiguration.defaultParameters.isEmpty)
    }

    @Test func outOfDomainHyperparametersAreTypedErrors() {
        #expect(throws: ConfigurationError.invalidHyperparameter(algorithm: "svd", parameter: "factors", value: "0", allowed: "1…1024")) {
            try Algorithm(type: "svd", parameters: ["factors": .integer(0)])
        }
        #expect(throws: ConfigurationError.self) { try Algorithm(type: "svd", parameters: ["learning_rate": .double(-0.1)]) }
        #expect(throws: ConfigurationError.self) { try Algorithm(type: "svd", parameters: ["reg_qi": .double(.nan)]) }
        #expect(throws: ConfigurationError.self) { try Algorithm(type: "svdpp", parameters: ["epochs": .string("many")]) }
        #expect(throws: ConfigurationError.self) { try Algorithm(type: "svdpp", parameters: ["biased": .boolean(false)]) }
        #expect(throws: ConfigurationError.self) { try Algorithm(type: "nmf", parameters: ["init_low": .double(-1)]) }
        #expect(throws: ConfigurationError.invalidHyperparameter(algorithm: "nmf", parameter: "init_high", value: "1.0", allowed: "at least init_low = 2.0")) {
            try Algorithm(type: "nmf", parameters: ["init_low": .double(2), "init_high": .double(1)])
        }
        #expect(throws: ConfigurationError.self) { try Algorithm(type: "normal", parameters: ["factors": .integer(3)]) }
    }

    @Test func fitValidatesTheConfigurationFirst() throws {
        let data = try twoUsersOneItem().trainDataset
        #expect(throws: ConfigurationError.self) { try SVDConfiguration(factors: 0).fit(data, seed: 0, threads: nil) }
        #expect(throws: ConfigurationError.self) { try SVDppConfiguration(epochs: -1).fit(data, seed: 0, threads: nil) }
        #expect(throws: ConfigurationError.self) { try NMFConfiguration(initLow: 1, initHigh: 0).fit(data, seed: 0, threads: nil) }
    }

    @Test(arguments: small)
    func configurationsRoundTripThroughTheirParameters(algorithm: Algorithm) throws {
        #expect(try Algorithm(type: algorithm.typeName, parameters: algorithm.parameters) == algorithm)
        let overridden = try Algorithm(type: "svdpp", parameters: ["lr_yj": .double(0.01), "reg_yj": .double(0.1)])
        #expect(try Algorithm(type: "svdpp", parameters: overridden.parameters) == overridden)
        #expect(overridden.nonDefaultParameters == ["lr_yj": .double(0.01), "reg_yj": .double(0.1)])
    }
}
