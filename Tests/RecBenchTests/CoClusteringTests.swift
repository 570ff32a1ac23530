import Foundation
import Testing
@testable import RecBench
@testable import RecBenchAlgorithms

/// Two groups of users with opposite tastes on two groups of items: a and b rate x, y 5 and
/// z, w 1; c and d the reverse. Users a…d and items x…w are numbered 0…3 in that order.
private func oppositeTastes() throws -> Dataset {
    var triples: [Dataset.Triple] = []
    for user in ["a", "b", "c", "d"] {
        let likesFirst = user == "a" || user == "b"
        for item in ["x", "y", "z", "w"] {
            let first = item == "x" || item == "y"
            triples.append((user, item, first == likesFirst ? 5 : 1))
        }
    }
    return try Dataset(interactions: triples)
}

@Suite("Co-clustering")
struct CoClusteringTests {
    @Test func oneClusterEachPredictsUserMeanPlusItemMeanMinusGlobalMean() throws {
        // a: x 5, y 3; b: x 4, z 1; c: y 2, z 2. μ = 17/6; μ_a = 4, μ_c = 2; μ_x = 4.5, μ_z = 1.5.
        // With one cluster of each, every cluster mean is μ, so r̂ = μ + (μ_u − μ) + (μ_i − μ):
        // r̂(a, z) = 4 + 1.5 − 17/6 = 8/3, r̂(c, x) = 2 + 4.5 − 17/6 = 11/3.
        let data = try Dataset(interactions: [("a", "x", 5), ("a", "y", 3), ("b", "x", 4), ("b", "z", 1), ("c", "y", 2), ("c", "z", 2)])
        let model = try CoClusteringConfiguration(userClusters: 1, itemClusters: 1, epochs: 5).fit(data, seed: 0)
        #expect(abs(model.fallbackRating - 17.0 / 6) < 1e-12)
        #expect(abs(try #require(model.estimate(user: UserIndex(0), item: ItemIndex(2))) - 8.0 / 3) < 1e-12)
        #expect(abs(try #require(model.estimate(user: UserIndex(2), item: ItemIndex(0))) - 11.0 / 3) < 1e-12)
    }

    @Test func halfStarsAreTruncatedInTheFitAsSurpriseDoesUnlessAskedNotTo() throws {
        // a: x 3.5, y 4.5; b: x 1.5, y 2.5; one cluster each. Surprise 1.1.5 fits on int(r):
        // 3, 4, 1, 2, so every cluster mean is 10/4 = 2.5, μ_a = 3.5, μ_b = 1.5, μ_x = 2, μ_y = 3,
        // and r̂(a, x) = 2.5 + 3.5 − 2.5 + 2 − 2.5 = 3, r̂(b, y) = 2.5 + 1.5 − 2.5 + 3 − 2.5 = 2
        // (what scikit-surprise 1.1.5 predicts); its global mean keeps the halves: 3.
        // With the ratings as they are: r̂(a, x) = 3 + 4 − 3 + 2.5 − 3 = 3.5, r̂(b, y) = 3 + 2 − 3 + 3.5 − 3 = 2.5.
        let data = try Dataset(interactions: [("a", "x", 3.5), ("a", "y", 4.5), ("b", "x", 1.5), ("b", "y", 2.5)])
        let surprise = try CoClusteringConfiguration(userClusters: 1, itemClusters: 1).fit(data, seed: 0)
        #expect(surprise.estimate(user: UserIndex(0), item: ItemIndex(0)) == 3 && surprise.estimate(user: UserIndex(1), item: ItemIndex(1)) == 2)
        #expect(surprise.fallbackRating == 3)
        let exact = try CoClusteringConfiguration(userClusters: 1, itemClusters: 1, truncateRatings: false).fit(data, seed: 0)
        #expect(exact.estimate(user: UserIndex(0), item: ItemIndex(0)) == 3.5 && exact.estimate(user: UserIndex(1), item: ItemIndex(1)) == 2.5)
        #expect(exact.fallbackRating == 3)
    }

    @Test func clusterMeansCountEveryRatingOnceInItsCoCluster() throws {
        // Users [a, b, c | d], items [x, y | z, w]. Co-cluster (0, 0): a's and b's 5, 5 and c's
        // 1, 1 → 22/6 = 11/3; (0, 1): a's, b's 1, 1 and c's 5, 5 → 7/3; (1, 0): d's 1, 1 → 1;
        // (1, 1): d's 5, 5 → 5. Every user and item has mean 3, so every cluster mean is 3.
        let set = RatingTrainingSet(try oppositeTastes())
        let means = ClusterMeans(set, userCluster: [0, 0, 0, 1], itemCluster: [0, 0, 1, 1], userClusters: 2, itemClusters: 2)
        for (found, expected) in zip(means.coCluster, [11.0 / 3, 7.0 / 3, 1, 5]) { #expect(abs(found - expected) < 1e-12) }
        #expect(means.user == [3, 3] && means.item == [3, 3])
        // An empty cluster's mean is the global mean (3).
        let empty = ClusterMeans(set, userCluster: [0, 0, 0, 0], itemCluster: [0, 0, 1, 1], userClusters: 2, itemClusters: 2)
        #expect(empty.user[1] == 3 && empty.coCluster[2] == 3 && empty.coCluster[3] == 3)
    }

    @Test func oneEpochMovesEachUserAndItemToItsLeastErrorCluster() throws {
        // From users [0, 0, 0, 1] and items [0, 0, 1, 1], with the means above, r̂ = the
        // co-cluster mean. User c (x 1, y 1, z 5, w 5): cluster 0 errs 2(1 − 11/3)² + 2(5 − 7/3)²
        // = 256/9, cluster 1 errs 2(1 − 1)² + 2(5 − 5)² = 0 → 1; a: 64/9 against 64 → 0; b → 0,
        // d → 1. Items then, against users [0, 0, 1, 1] and the same means: x (a 5, b 5, c 1, d 1)
        // errs 2(5 − 11/3)² + 2(1 − 1)² = 32/9 in cluster 0 and 2(5 − 7/3)² + 2(1 − 5)² in 1 → 0;
        // z → 1. The final means are then 5 and 1 in the co-clusters (cluster means still 3), so
        // r̂(a, x) = 5 + (3 − 3) + (3 − 3) = 5 and r̂(c, x) = 1.
        let set = RatingTrainingSet(try oppositeTastes())
        let model = CoClusteringConfiguration(userClusters: 2, itemClusters: 2, epochs: 1)
            .fit(set, userCluster: [0, 0, 0, 1], itemCluster: [0, 0, 1, 1], threads: 1)
        #expect(model.userCluster == [0, 0, 1, 1] && model.itemCluster == [0, 0, 1, 1])
        #expect(model.means.coCluster == [5, 1, 1, 5])
        #expect(model.estimate(user: UserIndex(0), item: ItemIndex(0)) == 5)
        #expect(model.estimate(user: UserIndex(2), item: ItemIndex(0)) == 1)
        #expect(model.estimate(user: UserIndex(3), item: ItemIndex(3)) == 5)
    }

    @Test func anUnknownUserOrItemGetsNoPredictionSoTheGlobalMeanApplies() throws {
        // Surprise returns the global mean when the user or the item is unknown (its μ_i / μ_u
        // branches are unreachable): here nil, for which the evaluator uses the training mean.
        let split = try Split(name: "s", train: [("a", "x", 5), ("a", "y", 3), ("b", "x", 4)], test: [("e", "x", 3), ("a", "v", 4)])
        let data = split.trainDataset
        let model = try CoClusteringConfiguration().fit(data, seed: 1)
        let a = try #require(data.users.position(of: "a")), e = try #require(data.users.position(of: "e"))
        let x = try #require(data.items.position(of: "x")), v = try #require(data.items.position(of: "v"))
        #expect(model.estimate(user: UserIndex(e), item: ItemIndex(x)) == nil)
        #expect(model.estimate(user: UserIndex(a), item: ItemIndex(v)) == nil)
        #expect(model.estimate(user: UserIndex(e), item: ItemIndex(v)) == nil)
        #expect(model.estimate(user: UserIndex(99), item: ItemIndex(x)) == nil)
        #expect(model.estimate(user: UserIndex(a), item: ItemIndex(x)) != nil)
        #expect(model.fallbackRating == 4)
        // Ranking scores use the fallback where there is no prediction.
        #expect(model.scores(for: [UserIndex(e)]).allSatisfy { $0 == 4 })
    }

    @Test func anEmptyTrainingSetFitsToAModelThatPredictsNothing() throws {
        let model = try CoClusteringConfiguration().fit(try Dataset(interactions: []), seed: 0, threads: 2)
        #expect(model.itemCount == 0 && model.estimate(user: UserIndex(0), item: ItemIndex(0)) == nil)
    }

    @Test func fitsAreSeededAndTheSameOnOneOrTwoThreads() throws {
        let data = try GeneratedMovieLens(configuration: SyntheticConfiguration(users: 200, items: 300, interactions: 6_000, seed: 9)).dataset(.weights)
        let configuration = CoClusteringConfiguration(userClusters: 4, itemClusters: 3, epochs: 5)
        let one = try configuration.fit(data, seed: 3, threads: 1), two = try configuration.fit(data, seed: 3, threads: 2)
        #expect(one.userCluster == two.userCluster && one.itemCluster == two.itemCluster && one.means.coCluster == two.means.coCluster)
        let users = (0..<20).map(UserIndex.init)
        #expect(one.scores(for: users).map(\.bitPattern) == two.scores(for: users).map(\.bitPattern))
        let initial = CoClusteringConfiguration(userClusters: 4, itemClusters: 3, epochs: 0)
        #expect(try initial.fit(data, seed: 3).userCluster != initial.fit(data, seed: 4).userCluster)
    }

    @Test func hyperparametersOutsideTheirDomainsAreRefused() throws {
        #expect(throws: ConfigurationError.invalidHyperparameter(algorithm: "co-clustering", parameter: "user_clusters", value: "0", allowed: "1…1000")) {
            try CoClusteringConfiguration(parameters: ["user_clusters": .integer(0)])
        }
        #expect(throws: ConfigurationError.invalidHyperparameter(algorithm: "co-clustering", parameter: "item_clusters", value: "1001", allowed: "1…1000")) {
            try CoClusteringConfiguration(parameters: ["item_clusters": .integer(1001)])
        }
        #expect(throws: ConfigurationError.self) { try CoClusteringConfiguration(parameters: ["epochs": .integer(-1)]) }
        #expect(throws: ConfigurationError.self) { try CoClusteringConfiguration(parameters: ["n_cltr_u": .integer(3)]) }
        #expect(throws: ConfigurationError.self) { try CoClusteringConfiguration(parameters: ["epochs": .double(2.5)]) }
        let data = try oppositeTastes()
        #expect(throws: ConfigurationError.self) { try CoClusteringConfiguration(userClusters: 0).fit(data, seed: 0) }
        let parsed = try Algorithm(type: "co-clustering", parameters: ["user_clusters": .integer(5), "epochs": .integer(7)])
        #expect(parsed == .coClustering(CoClusteringConfiguration(userClusters: 5, itemClusters: 3, epochs: 7, truncateRatings: true)))
        #expect(throws: ConfigurationError.self) { try CoClusteringConfiguration(parameters: ["truncate_ratings": .integer(1)]) }
    }
}
