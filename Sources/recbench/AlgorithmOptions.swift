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

/// The options of ``AlgorithmOptions`` by their command-line name, in the order `--help` lists them.
enum AlgorithmOption: String, CaseIterable {
    case neighbors, shrinkage, similarity, k1, b, factors, iterations, regularization, alpha
    case scaleRegularization = "scale-regularization", solver, cgSteps = "cg-steps", learningRate = "learning-rate"
    case epochs, negatives, layers, batchSize = "batch-size", dropout, annealCap = "anneal-cap", fitSeed = "fit-seed"

    /// The option as typed: `--factors`.
    var flag: String { "--" + rawValue }

    /// The hyperparameter it sets (a name of ``AlgorithmKind``'s declaration); `nil` for the fit's seed.
    var parameter: String? {
        switch self {
        case .scaleRegularization: return "scaling"
        case .cgSteps: return "cg_steps"
        case .learningRate: return "learning_rate"
        case .batchSize: return "batch_size"
        case .annealCap: return "anneal_cap"
        case .fitSeed: return nil
        default: return rawValue
        }
    }
}

extension AlgorithmChoice {
    /// The options this algorithm uses; any other option given with it is a usage error.
    ///
    /// The fit's seed applies to the algorithms that draw random numbers (random scores, ALS's
    /// initial factors, BPR's samples, the autoencoders' initial weights, batches and dropout).
    var options: [AlgorithmOption] {
        switch self {
        case .popularity, .plays: return []
        case .random: return [.fitSeed]
        case .itemknn, .tfidf: return [.neighbors, .shrinkage, .similarity]
        case .bm25: return [.neighbors, .shrinkage, .similarity, .k1, .b]
        case .als: return [.factors, .iterations, .regularization, .alpha, .scaleRegularization, .solver, .cgSteps, .fitSeed]
        case .bpr: return [.factors, .regularization, .learningRate, .epochs, .negatives, .fitSeed]
        case .ease: return [.regularization]
        case .dae: return [.regularization, .learningRate, .epochs, .layers, .batchSize, .dropout, .fitSeed]
        case .vae: return [.regularization, .learningRate, .epochs, .layers, .batchSize, .dropout, .annealCap, .fitSeed]
        }
    }
}

/// Options that choose and configure an algorithm.
///
/// Unset options take the configuration's defaults: the options become named hyperparameters
/// and go through ``AlgorithmKind/algorithm(_:)``, the same mapping experiment files use.
/// Every option is optional, so that one given explicitly, even with its default value, can be
/// told from one left out: an option the chosen algorithm does not use is a usage error
/// (``validate()``), never ignored.
struct AlgorithmOptions: ParsableArguments {
    @Option(name: .customLong("algorithm"),
            help: ArgumentHelp("The algorithm: \(AlgorithmChoice.allCases.map(\.rawValue).joined(separator: ", ")) (plays: popularity by total plays). (default: popularity)",
                               valueName: "algorithm"))
    var chosenAlgorithm: AlgorithmChoice?

    @Option(help: "Item-kNN, tfidf, bm25: neighbours per item (default 100).") var neighbors: Int?
    @Option(help: "Item-kNN, tfidf, bm25: shrinkage of the cosine (default 0).") var shrinkage: Double?
    @Option(help: "Item-kNN, tfidf, bm25: similarity, cosine or dot (default: cosine; dot for bm25, as implicit's BM25Recommender).")
    var similarity: ItemSimilarity?
    @Option(help: "BM25: K1 (default 1.2).") var k1: Double?
    @Option(help: "BM25: B (default 0.75).") var b: Double?
    @Option(help: "ALS, BPR: factors (default 64).") var factors: Int?
    @Option(help: "ALS: iterations (default 15).") var iterations: Int?
    @Option(help: "ALS, BPR, EASE, DAE/VAE: λ (defaults: ALS and BPR 0.01, EASE 500, DAE/VAE 0).") var regularization: Double?
    @Option(help: "ALS: α of the confidence 1 + α·r (default 1).") var alpha: Double?
    @Flag(help: "ALS: scale λ by each row's interactions (ALS-WR, as Spark MLlib).") var scaleRegularization = false
    @Option(help: "ALS: solver, cg or cholesky (default cg).") var solver: ALSSolverChoice?
    @Option(help: "ALS with the cg solver: conjugate-gradient steps (default 3).") var cgSteps: Int?
    @Option(help: "BPR, DAE/VAE: the learning rate (defaults: BPR 0.01, DAE/VAE 0.001).") var learningRate: Double?
    @Option(help: "BPR, DAE/VAE: epochs (defaults: BPR 100, DAE/VAE 30).") var epochs: Int?
    @Option(help: "BPR: negatives, uniform or popularity (implicit's; default uniform).") var negatives: BPRNegativeSampling?
    @Option(help: "DAE/VAE: encoder widths after the input, comma-separated (defaults: DAE 200, VAE 600,200).") var layers: String?
    @Option(help: "DAE/VAE: users per batch (default 500).") var batchSize: Int?
    @Option(help: "DAE/VAE: input dropout probability (default 0.5).") var dropout: Double?
    @Option(help: "VAE: the largest β of the KL term (default 0.2).") var annealCap: Double?
    @Option(name: .customLong("fit-seed"),
            help: ArgumentHelp("random, ALS, BPR, DAE/VAE: seed of the fit (default 1).", valueName: "fit-seed"))
    var givenFitSeed: UInt64?

    /// The chosen algorithm (popularity when none is given).
    var algorithm: AlgorithmChoice { chosenAlgorithm ?? .popularity }

    /// The seed of the fit (1 when none is given).
    var fitSeed: UInt64 { givenFitSeed ?? 1 }

    /// The options given on the command line (whatever their value), in `--help` order.
    var given: [AlgorithmOption] {
        AlgorithmOption.allCases.filter { option in
            switch option {
            case .neighbors: return neighbors != nil
            case .shrinkage: return shrinkage != nil
            case .similarity: return similarity != nil
            case .k1: return k1 != nil
            case .b: return b != nil
            case .factors: return factors != nil
            case .iterations: return iterations != nil
            case .regularization: return regularization != nil
            case .alpha: return alpha != nil
            case .scaleRegularization: return scaleRegularization
            case .solver: return solver != nil
            case .cgSteps: return cgSteps != nil
            case .learningRate: return learningRate != nil
            case .epochs: return epochs != nil
            case .negatives: return negatives != nil
            case .layers: return layers != nil
            case .batchSize: return batchSize != nil
            case .dropout: return dropout != nil
            case .annealCap: return annealCap != nil
            case .fitSeed: return givenFitSeed != nil
            }
        }
    }

    /// Every option given on the command line, `--algorithm` included, as typed.
    var givenFlags: [String] { (chosenAlgorithm == nil ? [] : ["--algorithm"]) + given.map(\.flag) }

    /// Throws when an option was given that the chosen algorithm does not use.
    func checkThatOptionsApply() throws(InapplicableOptions) {
        let applicable = algorithm.options
        let extra = given.filter { !applicable.contains($0) }
        if !extra.isEmpty {
            throw InapplicableOptions(options: extra.map(\.flag), context: "the algorithm \(algorithm.rawValue)",
                                      applicable: applicable.map(\.flag))
        }
        if solver == .cholesky, cgSteps != nil {
            throw InapplicableOptions(options: ["--cg-steps"], context: "the cholesky solver", applicable: [])
        }
    }

    func validate() throws {
        try refusingInapplicableOptions(checkThatOptionsApply)
    }

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
        let (kind, fixed) = algorithm.kind
        values.merge(fixed) { _, choice in choice }
        let configured = kind.algorithm(values)
        try configured.validate()   // the ranges of HyperparameterLimits, as experiment files and fit check them
        return configured
    }
}

extension AlgorithmChoice {
    /// The algorithm type, and the parameters this choice fixes (plays: the measure; tfidf, bm25: the weighting).
    var kind: (AlgorithmKind, [String: ParameterValue]) {
        switch self {
        case .popularity: return (.popularity, [:])
        case .plays: return (.popularity, ["measure": .string("plays")])
        case .random: return (.random, [:])
        case .itemknn: return (.itemKNN, [:])
        case .tfidf: return (.itemKNN, ["weighting": .string("tfidf")])
        case .bm25: return (.itemKNN, ["weighting": .string("bm25")])
        case .als: return (.als, [:])
        case .bpr: return (.bpr, [:])
        case .ease: return (.ease, [:])
        case .dae: return (.dae, [:])
        case .vae: return (.vae, [:])
        }
    }
}

/// Options given on the command line that the chosen algorithm, split or mode would ignore.
struct InapplicableOptions: Error, Equatable, CustomStringConvertible {
    /// The options, as typed (`--factors`).
    var options: [String]
    /// What they do not apply to, e.g. "the algorithm ease".
    var context: String
    /// The options that do apply there, for the message.
    var applicable: [String]

    var description: String {
        let one = options.count == 1
        let uses = applicable.isEmpty ? "it takes none" : "it takes " + applicable.joined(separator: ", ")
        return "\(options.joined(separator: ", ")) \(one ? "does" : "do") not apply to \(context) (\(uses)); remove \(one ? "it" : "them")"
    }
}

/// Runs an applicability check inside `validate()`: an inapplicable option is a usage error
/// reported as "error: …" on standard error with exit code 2, as every error inside
/// ``reportingErrors(_:)`` is.
func refusingInapplicableOptions(_ check: () throws(InapplicableOptions) -> Void) throws {
    do {
        try check()
    } catch {
        note("error: \(error)")
        throw ExitCode(2)
    }
}
