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
///
/// Unset options take the configuration's defaults: the options become named hyperparameters
/// and go through ``AlgorithmKind/algorithm(_:)``, the same mapping experiment files use.
struct AlgorithmOptions: ParsableArguments {
    @Option(help: "The algorithm: \(AlgorithmChoice.allCases.map(\.rawValue).joined(separator: ", ")) (plays: popularity by total plays).")
    var algorithm: AlgorithmChoice = .popularity

    @Option(help: "Item-kNN: neighbours per item (default 100).") var neighbors: Int?
    @Option(help: "Item-kNN: shrinkage of the cosine (default 0).") var shrinkage: Double?
    @Option(help: "Item-kNN similarity: cosine or dot (default: cosine; dot for bm25, as implicit's BM25Recommender).")
    var similarity: ItemSimilarity?
    @Option(help: "BM25: K1 (default 1.2).") var k1: Double?
    @Option(help: "BM25: B (default 0.75).") var b: Double?
    @Option(help: "ALS, BPR: factors (default 64).") var factors: Int?
    @Option(help: "ALS: iterations (default 15).") var iterations: Int?
    @Option(help: "λ (defaults: ALS and BPR 0.01, EASE 500, DAE/VAE 0).") var regularization: Double?
    @Option(help: "ALS: α of the confidence 1 + α·r (default 1).") var alpha: Double?
    @Flag(help: "ALS: scale λ by each row's interactions (ALS-WR, as Spark MLlib).") var scaleRegularization = false
    @Option(help: "ALS: solver, cg or cholesky (default cg).") var solver: ALSSolverChoice?
    @Option(help: "ALS: conjugate-gradient steps (default 3).") var cgSteps: Int?
    @Option(help: "BPR, DAE/VAE: the learning rate (defaults: BPR 0.01, DAE/VAE 0.001).") var learningRate: Double?
    @Option(help: "BPR, DAE/VAE: epochs (defaults: BPR 100, DAE/VAE 30).") var epochs: Int?
    @Option(help: "BPR: negatives, uniform or popularity (implicit's; default uniform).") var negatives: BPRNegativeSampling?
    @Option(help: "DAE/VAE: encoder widths after the input, comma-separated (defaults: DAE 200, VAE 600,200).") var layers: String?
    @Option(help: "DAE/VAE: users per batch (default 500).") var batchSize: Int?
    @Option(help: "DAE/VAE: input dropout probability (default 0.5).") var dropout: Double?
    @Option(help: "VAE: the largest β of the KL term (default 0.2).") var annealCap: Double?
    @Option(help: "Seed of the fit.") var fitSeed: UInt64 = 1

    /// The configured algorithm.
    func configuration() throws -> Algorithm {
        guard (neighbors ?? 1) > 0, (factors ?? 1) > 0, (iterations ?? 0) >= 0, (cgSteps ?? 1) > 0, (batchSize ?? 1) > 0 else {
            throw ValidationError("neighbors, factors, iterations, cg steps and batch size must be positive.")
        }
        guard (0..<1).contains(dropout ?? 0), (learningRate ?? 1) > 0, (epochs ?? 0) >= 0, (regularization ?? 0) >= 0 else {
            throw ValidationError("dropout must be in [0, 1), the learning rate positive, epochs and λ not negative.")
        }
        var values: [String: ParameterValue] = [:]
        func set(_ name: String, _ value: Int?) { if let value { values[name] = .integer(value) } }
        func set(_ name: String, _ value: Double?) { if let value { values[name] = .double(value) } }
        func set(_ name: String, _ value: String?) { if let value { values[name] = .string(value) } }
        if let layers {
            values["layers"] = .integers(try layers.split(separator: ",").map { part -> Int in
                guard let width = Int(part.trimmingCharacters(in: .whitespaces)), width > 0 else {
                    throw ValidationError("--layers takes positive widths separated by commas, e.g. 600,200.")
                }
                return width
            })
        }
        set("neighbors", neighbors); set("shrinkage", shrinkage); set("k1", k1); set("b", b)
        set("similarity", similarity.map { $0 == .dotProduct ? "dot" : "cosine" })
        set("factors", factors); set("iterations", iterations); set("regularization", regularization); set("alpha", alpha)
        set("scaling", scaleRegularization ? "interactions" : nil); set("solver", solver?.rawValue); set("cg_steps", cgSteps)
        set("learning_rate", learningRate); set("epochs", epochs); set("negatives", negatives?.rawValue)
        set("batch_size", batchSize); set("dropout", dropout); set("anneal_cap", annealCap)
        let kind: AlgorithmKind
        switch algorithm {
        case .popularity: kind = .popularity
        case .plays: kind = .popularity; values["measure"] = .string("plays")
        case .random: kind = .random
        case .itemknn: kind = .itemKNN
        case .tfidf: kind = .itemKNN; values["weighting"] = .string("tfidf")
        case .bm25: kind = .itemKNN; values["weighting"] = .string("bm25")
        case .als: kind = .als
        case .bpr: kind = .bpr
        case .ease: kind = .ease
        case .dae: kind = .dae
        case .vae: kind = .vae
        }
        let algorithm = kind.algorithm(values)
        try algorithm.validate()   // the ranges of HyperparameterLimits, as experiment files and fit check them
        return algorithm
    }
}
