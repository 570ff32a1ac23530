import ArgumentParser
import RecBench

/// The algorithms the command line can name.
enum AlgorithmChoice: String, ExpressibleByArgument, CaseIterable {
    case popularity, plays, random, itemknn = "item-knn", tfidf, bm25, als
}

extension ALSSolverChoice: ExpressibleByArgument {}
extension ItemSimilarity: ExpressibleByArgument {}

/// ALS solvers by name.
enum ALSSolverChoice: String, CaseIterable { case cg, cholesky }

/// Options that choose and configure an algorithm.
struct AlgorithmOptions: ParsableArguments {
    @Option(help: "The algorithm: \(AlgorithmChoice.allCases.map(\.rawValue).joined(separator: ", ")) (plays: popularity by total plays).")
    var algorithm: AlgorithmChoice = .popularity

    @Option(help: "Item-kNN: neighbours per item.") var neighbors: Int = 100
    @Option(help: "Item-kNN: shrinkage of the cosine.") var shrinkage: Double = 0
    @Option(help: "Item-kNN similarity: cosine or dot (default: cosine; dot for bm25, as implicit's BM25Recommender).")
    var similarity: ItemSimilarity?
    @Option(help: "BM25: K1.") var k1: Double = 1.2
    @Option(help: "BM25: B.") var b: Double = 0.75
    @Option(help: "ALS: factors.") var factors: Int = 64
    @Option(help: "ALS: iterations.") var iterations: Int = 15
    @Option(help: "ALS: λ.") var regularization: Double = 0.01
    @Option(help: "ALS: α of the confidence 1 + α·r.") var alpha: Double = 1
    @Flag(help: "ALS: scale λ by each row's interactions (ALS-WR, as Spark MLlib).") var scaleRegularization = false
    @Option(help: "ALS: solver, cg or cholesky.") var solver: ALSSolverChoice = .cg
    @Option(help: "ALS: conjugate-gradient steps.") var cgSteps: Int = 3
    @Option(help: "Seed of the fit.") var fitSeed: UInt64 = 1

    /// The configured algorithm.
    func configuration() throws -> Algorithm {
        guard neighbors > 0, factors > 0, factors <= 256, iterations >= 0, cgSteps > 0 else {
            throw ValidationError("neighbors, factors (1…256), iterations and cg steps must be positive.")
        }
        switch algorithm {
        case .popularity: return .popularity(PopularityConfiguration(measure: .users))
        case .plays: return .popularity(PopularityConfiguration(measure: .plays))
        case .random: return .random(RandomConfiguration())
        case .itemknn:
            return .itemKNN(ItemKNNConfiguration(neighbors: neighbors, weighting: .none, shrinkage: shrinkage, similarity: similarity ?? .cosine))
        case .tfidf:
            return .itemKNN(ItemKNNConfiguration(neighbors: neighbors, weighting: .tfidf, shrinkage: shrinkage, similarity: similarity ?? .cosine))
        case .bm25:
            return .itemKNN(ItemKNNConfiguration(neighbors: neighbors, weighting: .bm25(k1: k1, b: b), shrinkage: shrinkage,
                                                 similarity: similarity ?? .dotProduct))
        case .als:
            return .als(ALSConfiguration(factors: factors, iterations: iterations, regularization: regularization, alpha: alpha,
                                         regularizationScaling: scaleRegularization ? .byInteractions : .constant,
                                         solver: solver == .cg ? .conjugateGradient(steps: cgSteps) : .cholesky))
        }
    }
}
