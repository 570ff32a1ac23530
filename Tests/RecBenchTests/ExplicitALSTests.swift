import Foundation
import Testing
@testable import RecBench
@testable import RecBenchAlgorithms

@Suite("Explicit ALS")
struct ExplicitALSTests {
    @Test func oneIterationSolvesItemsThenUsersWithLambdaTimesTheirRatings() throws {
        // Rank 1, λ 0.1; a: x 4, y 2; b: x 2. Users start at 1 (items are solved first, so their
        // start does not matter). Items: y_x = (4·1 + 2·1) / (1 + 1 + 0.1·2) = 30/11,
        // y_y = 2 / (1 + 0.1·1) = 20/11. Users: x_a = (4·30/11 + 2·20/11) / (900/121 + 400/121 + 0.1·2)
        // = 1760/1324.2, x_b = (2·30/11) / (900/121 + 0.1·1) = 660/912.1.
        // So r̂(a, x) = 1760/1324.2 · 30/11 = 4800/1324.2 and r̂(b, y) = 660/912.1 · 20/11 = 1200/912.1.
        let data = try Dataset(interactions: [("a", "x", 4), ("a", "y", 2), ("b", "x", 2)])
        let model = ExplicitALSConfiguration(factors: 1, iterations: 1, regularization: 0.1)
            .fit(RatingTrainingSet(data), userFactors: [1, 1], itemFactors: [0.3, -0.7], threads: 1)
        #expect(abs(Double(model.itemFactors[0]) - 30.0 / 11) < 1e-5 && abs(Double(model.itemFactors[1]) - 20.0 / 11) < 1e-5)
        #expect(abs(Double(model.userFactors[0]) - 1760 / 1324.2) < 1e-5 && abs(Double(model.userFactors[1]) - 660 / 912.1) < 1e-5)
        #expect(abs(try #require(model.estimate(user: UserIndex(0), item: ItemIndex(0))) - 4800 / 1324.2) < 1e-5)
        #expect(abs(try #require(model.estimate(user: UserIndex(1), item: ItemIndex(1))) - 1200 / 912.1) < 1e-5)
    }

    @Test func everyUserRowSolvesItsRegularisedNormalEquations() throws {
        // Users are solved last: (Σ y yᵀ + λ·n·I) x = Σ r·y must hold for every user's final row.
        let data = try GeneratedMovieLens(configuration: SyntheticConfiguration(users: 60, items: 120, interactions: 1_500, seed: 4)).dataset(.weights)
        let f = 4, lambda = 0.05
        let model = try ExplicitALSConfiguration(factors: f, iterations: 3, regularization: lambda).fit(data, seed: 2)
        let m = data.interactions
        for u in 0..<m.rowCount where !m.range(ofRow: u).isEmpty {
            var a = [Double](repeating: 0, count: f * f), b = [Double](repeating: 0, count: f)
            for p in m.range(ofRow: u) {
                let y = (0..<f).map { Double(model.itemFactors[Int(m.columns[p]) * f + $0]) }
                for j in 0..<f { b[j] += Double(m.values[p]) * y[j]; for l in 0..<f { a[j * f + l] += y[j] * y[l] } }
            }
            let n = Double(m.range(ofRow: u).count)
            for j in 0..<f {
                var lhs = lambda * n * Double(model.userFactors[u * f + j])
                for l in 0..<f { lhs += a[j * f + l] * Double(model.userFactors[u * f + l]) }
                #expect(abs(lhs - b[j]) <= 1e-4 * max(1, abs(b[j])), "user \(u), row \(j)")
            }
        }
    }

    @Test func factorsStartAsSeededUnitVectors() {
        let first = ExplicitALSConfiguration.initialFactors(rows: 50, f: 10, seed: 7, stream: 0)
        for row in 0..<50 {
            let norm = (0..<10).reduce(Float(0)) { $0 + first[row * 10 + $1] * first[row * 10 + $1] }
            #expect(abs(norm - 1) < 1e-5)
        }
        #expect(first == ExplicitALSConfiguration.initialFactors(rows: 50, f: 10, seed: 7, stream: 0))
        #expect(first != ExplicitALSConfiguration.initialFactors(rows: 50, f: 10, seed: 8, stream: 0))
        #expect(first != ExplicitALSConfiguration.initialFactors(rows: 50, f: 10, seed: 7, stream: 1))
        #expect(first.contains { $0 < 0 } && first.contains { $0 > 0 })
    }

    @Test func anUnknownUserOrItemGetsNoPrediction() throws {
        // Spark predicts NaN for an id it has no factors for; here nil, and the evaluator's
        // fallback (the training mean) applies.
        let split = try Split(name: "s", train: [("a", "x", 5), ("a", "y", 3), ("b", "x", 4)], test: [("e", "x", 3), ("a", "v", 4)])
        let data = split.trainDataset
        let model = try ExplicitALSConfiguration(factors: 2).fit(data, seed: 1)
        let a = try #require(data.users.position(of: "a")), e = try #require(data.users.position(of: "e"))
        let x = try #require(data.items.position(of: "x")), v = try #require(data.items.position(of: "v"))
        #expect(model.estimate(user: UserIndex(e), item: ItemIndex(x)) == nil)
        #expect(model.estimate(user: UserIndex(a), item: ItemIndex(v)) == nil)
        #expect(model.estimate(user: UserIndex(a), item: ItemIndex(-1)) == nil)
        #expect(model.estimate(user: UserIndex(a), item: ItemIndex(x)) != nil)
        #expect(model.fallbackRating == 4)
        #expect(model.scores(for: [UserIndex(e)]).allSatisfy { $0 == 4 })
    }

    @Test func anEmptyTrainingSetFitsToAModelThatPredictsNothing() throws {
        let model = try ExplicitALSConfiguration().fit(try Dataset(interactions: []), seed: 0, threads: 2)
        #expect(model.itemCount == 0 && model.estimate(user: UserIndex(0), item: ItemIndex(0)) == nil)
    }

    @Test func fitsAreSeededAndTheSameOnOneOrTwoThreads() throws {
        let data = try GeneratedMovieLens(configuration: SyntheticConfiguration(users: 200, items: 300, interactions: 6_000, seed: 9)).dataset(.weights)
        let configuration = ExplicitALSConfiguration(factors: 8, iterations: 3)
        let one = try configuration.fit(data, seed: 3, threads: 1), two = try configuration.fit(data, seed: 3, threads: 2)
        #expect(one.userFactors.map(\.bitPattern) == two.userFactors.map(\.bitPattern))
        #expect(one.itemFactors.map(\.bitPattern) == two.itemFactors.map(\.bitPattern))
        #expect(try configuration.fit(data, seed: 4, threads: 2).userFactors != one.userFactors)
    }

    @Test func hyperparametersOutsideTheirDomainsAreRefused() throws {
        #expect(throws: ConfigurationError.invalidHyperparameter(algorithm: "als-explicit", parameter: "factors", value: "0", allowed: "1…256")) {
            try ExplicitALSConfiguration(parameters: ["factors": .integer(0)])
        }
        #expect(throws: ConfigurationError.self) { try ExplicitALSConfiguration(parameters: ["regularization": .double(-0.1)]) }
        #expect(throws: ConfigurationError.self) { try ExplicitALSConfiguration(parameters: ["regularization": .double(.nan)]) }
        #expect(throws: ConfigurationError.self) { try ExplicitALSConfiguration(parameters: ["iterations": .integer(-1)]) }
        #expect(throws: ConfigurationError.self) { try ExplicitALSConfiguration(parameters: ["rank": .integer(10)]) }
        let data = try Dataset(interactions: [("a", "x", 4)])
        #expect(throws: ConfigurationError.self) { try ExplicitALSConfiguration(factors: 300).fit(data, seed: 0) }
        let parsed = try Algorithm(type: "als-explicit", parameters: ["factors": .integer(20), "regularization": .integer(1)])
        #expect(parsed == .explicitALS(ExplicitALSConfiguration(factors: 20, iterations: 10, regularization: 1)))
    }
}
