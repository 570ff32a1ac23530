import ArgumentParser
import RecBench

/// The algorithms the command line can name.
enum AlgorithmChoice: String, ExpressibleByArgument, CaseIterable {
    case popularity, plays, random, itemknn = "item-knn", tfidf, bm25, als, bpr, ease, dae, vae
}

extension ALSSolverChoice: ExpressibleByArgument {}
extension ItemSimilarity: ExpressibleByArgument {}
extension BPRNegativeSampling: ExpressibleByArgument {}

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
    @Option(help: "ALS, BPR: factors.") var factors: Int = 64
    @Option(help: "ALS: iterations.") var iterations: Int = 15
    @Option(help: "λ (defaults: ALS and BPR 0.01, EASE 500, DAE/VAE 0).") var regularization: Double?
    @Option(help: "ALS: α of the confidence 1 + α·r.") var alpha: Double = 1
    @Flag(help: "ALS: scale λ by each row's interactions (ALS-WR, as Spark MLlib).") var scaleRegularization = false
    @Option(help: "ALS: solver, cg or cholesky.") var solver: ALSSolverChoice = .cg
    @Option(help: "ALS: conjugate-gradient steps.") var cgSteps: Int = 3
    @Option(help: "BPR, DAE/VAE: the learning rate (defaults: BPR 0.01, DAE/VAE 0.001).") var learningRate: Double?
    @Option(help: "BPR, DAE/VAE: epochs (defaults: BPR 100, DAE/VAE 30).") var epochs: Int?
    @Option(help: "BPR: negatives, uniform or popularity (implicit's).") var negatives: BPRNegativeSampling = .uniform
    @Option(help: "DAE/VAE: encoder widths after the input, comma-separated (defaults: DAE 200, VAE 600,200).") var layers: String?
    @Option(help: "DAE/VAE: users per batch.") var batchSize: Int = 500
    @Option(help: "DAE/VAE: input dropout probability.") var dropout: Double = 0.5
    @Option(help: "VAE: the largest β of the KL term.") var annealCap: Double = 0.2
    @Option(help: "Seed of the fit.") var fitSeed: UInt64 = 1

    /// The configured algorithm.
    func configuration() throws -> Algorithm {
        guard neighbors > 0, factors > 0, factors <= 255, iterations >= 0, cgSteps > 0, batchSize > 0 else {
            throw ValidationError("neighbors, factors (1…255), iterations, cg steps and batch size must be positive.")
        }
        guard (0..<1).contains(dropout), (learningRate ?? 1) > 0, (epochs ?? 0) >= 0, (regularization ?? 0) >= 0 else {
            throw ValidationError("dropout must be in [0, 1), the learning rate positive, epochs and λ not negative.")
        }
        let widths = try layers.map { text in
            try text.split(separator: ",").map { part -> Int in
                guard let width = Int(part.trimmingCharacters(in: .whitespaces)), width > 0 else {
                    throw ValidationError("--layers takes positive widths separated by commas, e.g. 600,200.")
                }
                return width
            }
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
            return .als(ALSConfiguration(factors: factors, iterations: iterations, regularization: regularization ?? 0.01, alpha: alpha,
                                         regularizationScaling: scaleRegularization ? .byInteractions : .constant,
                                         solver: solver == .cg ? .conjugateGradient(steps: cgSteps) : .cholesky))
        case .bpr:
            return .bpr(BPRConfiguration(factors: factors, learningRate: learningRate ?? 0.01, regularization: regularization ?? 0.01,
                                         epochs: epochs ?? 100, negatives: negatives))
        case .ease:
            return .ease(EASEConfiguration(regularization: regularization ?? 500))
        case .dae, .vae:
            return .multVAE(MultVAEConfiguration(variant: algorithm == .dae ? .dae : .vae, layers: widths, epochs: epochs ?? 30,
                                                 batchSize: batchSize, learningRate: learningRate ?? 1e-3, regularization: regularization ?? 0,
                                                 dropout: dropout, annealCap: annealCap))
        }
    }
}
