import ArgumentParser
import RecBench

/// The algorithms the command line can name: every built-in type by its name
/// (``Algorithm/typeNames``), and three shorthands for a type with a parameter fixed.
struct AlgorithmChoice: ExpressibleByArgument, CaseIterable, Hashable, CustomStringConvertible {
    /// The name as typed.
    let rawValue: String

    /// Shorthands: `plays` is popularity by plays, `tfidf` and `bm25` item-kNN with that weighting.
    static let shorthands: [(name: String, type: String, fixed: [String: ParameterValue])] = [
        ("plays", PopularityConfiguration.typeName, ["measure": .string("plays")]),
        ("tfidf", ItemKNNConfiguration.typeName, ["weighting": .string("tfidf")]),
        ("bm25", ItemKNNConfiguration.typeName, ["weighting": .string("bm25")]),
    ]

    /// The built-in types in their order, each followed by its shorthands.
    static var allCases: [AlgorithmChoice] {
        Algorithm.typeNames.flatMap { type in [type] + shorthands.filter { $0.type == type }.map(\.name) }.map(AlgorithmChoice.init(rawValue:))
    }

    init(rawValue: String) { self.rawValue = rawValue }

    init?(argument: String) {
        guard Self.allCases.contains(where: { $0.rawValue == argument }) else { return nil }
        rawValue = argument
    }

    static let popularity = AlgorithmChoice(rawValue: PopularityConfiguration.typeName)

    var description: String { rawValue }

    static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// The options of ``AlgorithmOptions`` by their command-line name, in the order `--help` lists them.
enum AlgorithmOption: String, CaseIterable {
    case neighbors, shrinkage, similarity, k1, b, factors, iterations, regularization, alpha
    case scaleRegularization = "scale-regularization", solver, cgSteps = "cg-steps", learningRate = "learning-rate"
    case epochs, negatives, layers, batchSize = "batch-size", dropout, annealCap = "anneal-cap", fitSeed = "fit-seed"

    /// The option as typed: `--factors`.
    var flag: String { "--" + rawValue }

    /// The hyperparameter it is an alias of (a name in the type's ``RecommenderConfiguration/hyperparameters``); `nil` for the fit's seed.
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
    /// The configuration type, and the parameters this choice fixes (plays: the measure; tfidf, bm25: the weighting).
    var preset: (type: any BuiltInConfiguration.Type, fixed: [String: ParameterValue]) {
        let shorthand = Self.shorthands.first { $0.name == rawValue }
        let type = Algorithm.types.first { $0.typeName == (shorthand?.type ?? rawValue) } ?? PopularityConfiguration.self   // init?(argument:) admits only these names
        return (type, shorthand?.fixed ?? [:])
    }

    /// The options this algorithm uses, derived from its type's hyperparameters: the aliases of
    /// its parameters (less those the choice fixes or makes meaningless) and `--fit-seed` when
    /// the fit is random. Any other option given with it is a usage error.
    var options: [AlgorithmOption] { options(given: [:]) }

    /// The options this algorithm uses when the parameters `values` are given too (an option that
    /// only they make meaningful: `--shrinkage` after `--similarity pearson_baseline`).
    func options(given values: [String: ParameterValue]) -> [AlgorithmOption] {
        let (type, fixed) = preset
        let settings = values.merging(fixed) { _, choice in choice }
        let declared = Set(type.hyperparameters.map(\.name)).subtracting(fixed.keys).subtracting(type.ignoredParameters(given: settings))
        return AlgorithmOption.allCases.filter { option in
            guard let parameter = option.parameter else { return type.usesSeed }
            return declared.contains(parameter)
        }
    }
}

/// Options that choose and configure an algorithm.
///
/// Unset parameters take the configuration's defaults: `--param name=value` and the aliases
/// (`--factors 64` is `--param factors=64`) become named hyperparameters and go through the
/// type's `init(parameters:)`, as experiment files do. Every option is optional, so that one
/// given explicitly, even with its default value, can be told from one left out: an option the
/// chosen algorithm does not use is a usage error (``validate()``), never ignored.
struct AlgorithmOptions: ParsableArguments {
    @Option(name: .customLong("algorithm"),
            help: ArgumentHelp("The algorithm: \(AlgorithmChoice.allCases.map(\.rawValue).joined(separator: ", ")) (plays: popularity by total plays). (default: popularity)",
                               valueName: "algorithm"))
    var chosenAlgorithm: AlgorithmChoice?

    @Option(name: .customLong("param"), parsing: .singleValue,
            help: ArgumentHelp("A hyperparameter of the algorithm, name=value (repeatable); `recbench algorithms` lists each type's names, domains and defaults.",
                               valueName: "name=value"))
    var params: [String] = []

    @Option(help: "Alias of --param neighbors=…") var neighbors: Int?
    @Option(help: "Alias of --param shrinkage=…") var shrinkage: Double?
    @Option(help: "Alias of --param similarity=… (item-knn: cosine or dot; knn-basic, knn-means, knn-baseline: msd, cosine, pearson or pearson_baseline).") var similarity: String?
    @Option(help: "Alias of --param k1=… (bm25).") var k1: Double?
    @Option(help: "Alias of --param b=… (bm25).") var b: Double?
    @Option(help: "Alias of --param factors=…") var factors: Int?
    @Option(help: "Alias of --param iterations=…") var iterations: Int?
    @Option(help: "Alias of --param regularization=… (λ).") var regularization: Double?
    @Option(help: "Alias of --param alpha=…") var alpha: Double?
    @Flag(help: "Alias of --param scaling=interactions (ALS-WR, as Spark MLlib).") var scaleRegularization = false
    @Option(help: "Alias of --param solver=… (cg or cholesky).") var solver: String?
    @Option(help: "Alias of --param cg_steps=…") var cgSteps: Int?
    @Option(help: "Alias of --param learning_rate=…") var learningRate: Double?
    @Option(help: "Alias of --param epochs=…") var epochs: Int?
    @Option(help: "Alias of --param negatives=… (uniform or popularity).") var negatives: String?
    @Option(help: "Alias of --param layers=… (widths separated by commas, e.g. 600,200).") var layers: String?
    @Option(help: "Alias of --param batch_size=…") var batchSize: Int?
    @Option(help: "Alias of --param dropout=…") var dropout: Double?
    @Option(help: "Alias of --param anneal_cap=…") var annealCap: Double?
    @Option(name: .customLong("fit-seed"),
            help: ArgumentHelp("random, ALS, BPR, DAE/VAE: seed of the fit (default 1).", valueName: "fit-seed"))
    var givenFitSeed: UInt64?

    /// The chosen algorithm (popularity when none is given).
    var algorithm: AlgorithmChoice { chosenAlgorithm ?? .popularity }

    /// The seed of the fit (1 when none is given).
    var fitSeed: UInt64 { givenFitSeed ?? 1 }

    /// The value each option was given, as text for its parameter's domain (nil: not given).
    func aliasText(_ option: AlgorithmOption) -> String? {
        switch option {
        case .neighbors: return neighbors.map(String.init)
        case .shrinkage: return shrinkage.map { "\($0)" }
        case .similarity: return similarity
        case .k1: return k1.map { "\($0)" }
        case .b: return b.map { "\($0)" }
        case .factors: return factors.map(String.init)
        case .iterations: return iterations.map(String.init)
        case .regularization: return regularization.map { "\($0)" }
        case .alpha: return alpha.map { "\($0)" }
        case .scaleRegularization: return scaleRegularization ? "interactions" : nil
        case .solver: return solver
        case .cgSteps: return cgSteps.map(String.init)
        case .learningRate: return learningRate.map { "\($0)" }
        case .epochs: return epochs.map(String.init)
        case .negatives: return negatives
        case .layers: return layers
        case .batchSize: return batchSize.map(String.init)
        case .dropout: return dropout.map { "\($0)" }
        case .annealCap: return annealCap.map { "\($0)" }
        case .fitSeed: return givenFitSeed.map(String.init)
        }
    }

    /// The options given on the command line (whatever their value), in `--help` order.
    var given: [AlgorithmOption] { AlgorithmOption.allCases.filter { aliasText($0) != nil } }

    /// Every option given on the command line, `--algorithm` and `--param` included, as typed.
    var givenFlags: [String] { (chosenAlgorithm == nil ? [] : ["--algorithm"]) + given.map(\.flag) + (params.isEmpty ? [] : ["--param"]) }

    /// Throws when an option was given that the chosen algorithm does not use.
    func checkThatOptionsApply() throws(InapplicableOptions) {
        // The options of the defaults, and those the other given parameters make meaningful.
        let (type, _) = algorithm.preset
        var values: [String: ParameterValue] = [:]
        for option in given {
            guard let parameter = option.parameter, let text = aliasText(option),
                  let assignment = try? Hyperparameter.assignment("\(parameter)=\(text)", for: type) else { continue }
            values[assignment.0] = assignment.1
        }
        for text in params { if let assignment = try? Hyperparameter.assignment(text, for: type) { values[assignment.0] = assignment.1 } }
        let defaults = algorithm.options, meaningful = algorithm.options(given: values)
        let applicable = AlgorithmOption.allCases.filter { defaults.contains($0) || meaningful.contains($0) }
        let extra = given.filter { !applicable.contains($0) }
        if !extra.isEmpty {
            throw InapplicableOptions(options: extra.map(\.flag), context: "the algorithm \(algorithm.rawValue)",
                                      applicable: applicable.map(\.flag))
        }
        if solver == "cholesky", cgSteps != nil {
            throw InapplicableOptions(options: ["--cg-steps"], context: "the cholesky solver", applicable: [])
        }
    }

    func validate() throws {
        try refusingInapplicableOptions(checkThatOptionsApply)
    }

    /// The parameters given by `--param` and the aliases, checked against the type's domains.
    ///
    /// - Throws: ``ConfigurationError`` naming the type and the parameter; a `--param` that the
    ///   choice fixes otherwise, or that the other settings make meaningless, is refused too.
    func parameters() throws -> [String: ParameterValue] {
        let (type, fixed) = algorithm.preset
        var values: [String: ParameterValue] = [:]
        for option in given {
            guard let parameter = option.parameter, let text = aliasText(option) else { continue }
            let (name, value) = try Hyperparameter.assignment("\(parameter)=\(text)", for: type)
            values[name] = value
        }
        for text in params {
            let (name, value) = try Hyperparameter.assignment(text, for: type)
            if let already = fixed[name], already != value {
                throw ValidationError("--param \(name) does not apply to the algorithm \(algorithm.rawValue), which sets \(name) = \(already)")
            }
            values[name] = value
        }
        values.merge(fixed) { _, choice in choice }
        let ignored = type.ignoredParameters(given: values).intersection(values.keys)
        if !ignored.isEmpty {
            throw ValidationError("\(ignored.sorted().joined(separator: ", ")) would be ignored by \(algorithm.rawValue) with these settings; remove \(ignored.count == 1 ? "it" : "them")")
        }
        return values
    }

    /// The configured algorithm.
    func configuration() throws -> Algorithm {
        let configured = try algorithm.preset.type.init(parameters: try parameters()).algorithm
        try configured.validate()
        return configured
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
