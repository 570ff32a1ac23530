import RecBenchCore
/// A recommender's configuration: a value that `fit` turns into a trained model.
///
/// A configuration declares its hyperparameters once (``hyperparameters``: name, domain,
/// summary); their defaults are the values of `init()`. Experiment files, the command line's
/// `--param`, sweeps, records, the documentation table and the conformance tests are generic over
/// that declaration. Fitting is deterministic for a seed, whatever the thread count. A type in
/// another package conforms to this protocol to run through the same splits and evaluator
/// (see `Examples/CustomAlgorithm`).
public protocol RecommenderConfiguration: Codable, Hashable, Sendable {
    /// The model `fit` returns.
    associatedtype Model: TrainedModel

    /// The name experiment files, `--param` users and records give the type (`als`, `item-knn`).
    static var typeName: String { get }

    /// The hyperparameters, each once: name, domain, summary (defaults come from `init()`).
    static var hyperparameters: [Hyperparameter] { get }

    /// The default configuration.
    init()

    /// The configuration with these parameters; absent ones keep `init()`'s values.
    ///
    /// - Throws: ``ConfigurationError`` for an unknown name, a value of the wrong kind or outside
    ///   its domain, naming the type and the parameter.
    init(parameters: [String: ParameterValue]) throws(ConfigurationError)

    /// The canonical value of every hyperparameter (`Self(parameters: c.parameters) == c`).
    var parameters: [String: ParameterValue] { get }

    /// Checks every hyperparameter against its domain; `fit` does it too.
    ///
    /// - Throws: ``ConfigurationError/invalidHyperparameter(algorithm:parameter:value:allowed:)``.
    func validate() throws(ConfigurationError)

    /// A short label for reports, with the hyperparameters that matter.
    var label: String { get }

    /// Whether `fit` draws random numbers, so that its seed matters (default: true).
    static var usesSeed: Bool { get }

    /// The parameters that `values` make meaningless (BM25's `k1` under another weighting), so
    /// that a command line can refuse them instead of ignoring them (default: none).
    static func ignoredParameters(given values: [String: ParameterValue]) -> Set<String>

    /// Fits a model to the training interactions.
    ///
    /// - Parameters:
    ///   - train: the training part of a split (its users and items are the model's).
    ///   - seed: the seed of every random choice of the fit.
    ///   - threads: the threads it may use (nil: all cores); the result does not depend on it.
    func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> Model

    /// Whether this configuration's models can fold in a new user without refitting (the
    /// new-user protocol; default: its `Model` is a ``FoldInModel``).
    var foldsInUsers: Bool { get }
}

extension RecommenderConfiguration {
    /// The defaults: the parameters of `init()`.
    public static var defaultParameters: [String: ParameterValue] { Self().parameters }

    /// The parameters that differ from ``defaultParameters`` (what a run's id is made of, so a
    /// new parameter with a default changes no id).
    public var nonDefaultParameters: [String: ParameterValue] {
        let defaults = Self.defaultParameters
        return parameters.filter { defaults[$0.key] != $0.value }
    }

    /// Checks the canonical parameters against the domains of ``hyperparameters``.
    public func validate() throws(ConfigurationError) {
        _ = try ParameterReader(parameters, for: Self.self)
    }

    public static var usesSeed: Bool { true }

    /// Whether this type's models can fold in a new user (its `Model` is a ``FoldInModel``).
    public static var foldsIn: Bool { Model.self is any FoldInModel.Type }

    public var foldsInUsers: Bool { Self.foldsIn }

    public static func ignoredParameters(given values: [String: ParameterValue]) -> Set<String> { [] }

    /// Fits on all cores.
    public func fit(_ train: Dataset, seed: UInt64) throws -> Model { try fit(train, seed: seed, threads: nil) }
}

/// A configuration of the built-in set: it knows its ``Algorithm`` case.
public protocol BuiltInConfiguration: RecommenderConfiguration {
    /// This configuration as an ``Algorithm``.
    var algorithm: Algorithm { get }
}

/// The built-in algorithms: a closed set, with one switch (``configuration``) and one list of
/// their types (``types``).
///
/// Adding an algorithm is a new file with its ``BuiltInConfiguration``, one case here and one
/// entry in ``types``. In JSON an algorithm is `{"type": "als", "parameters": {"factors": 64, …}}`
/// (every canonical parameter); the layout of older records (`{"als": {"_0": {…}}}`) is still read.
public enum Algorithm: Codable, Hashable, Sendable, CustomStringConvertible {
    case popularity(PopularityConfiguration)
    case random(RandomConfiguration)
    case itemKNN(ItemKNNConfiguration)
    case als(ALSConfiguration)
    case bpr(BPRConfiguration)
    case ease(EASEConfiguration)
    case multDAE(MultDAEConfiguration)
    case multVAE(MultVAEConfiguration)
    case normal(NormalPredictorConfiguration)
    case svd(SVDConfiguration)
    case svdpp(SVDppConfiguration)
    case nmf(NMFConfiguration)
    case coClustering(CoClusteringConfiguration)
    case explicitALS(ExplicitALSConfiguration)
    case baseline(BaselineConfiguration)
    case knnBasic(KNNBasicConfiguration)
    case knnMeans(KNNWithMeansConfiguration)
    case knnBaseline(KNNBaselineConfiguration)
    case slopeOne(SlopeOneConfiguration)
    case hybrid(HybridConfiguration)
    case contentKNN(ContentKNNConfiguration)
    case lightFM(LightFMConfiguration)

    /// Every built-in configuration type, in the order of documentation tables.
    public static let types: [any BuiltInConfiguration.Type] = [
        PopularityConfiguration.self, RandomConfiguration.self, ItemKNNConfiguration.self, ALSConfiguration.self,
        BPRConfiguration.self, EASEConfiguration.self, MultDAEConfiguration.self, MultVAEConfiguration.self,
        NormalPredictorConfiguration.self, BaselineConfiguration.self, SVDConfiguration.self, SVDppConfiguration.self,
        NMFConfiguration.self, SlopeOneConfiguration.self, KNNBasicConfiguration.self, KNNWithMeansConfiguration.self,
        KNNBaselineConfiguration.self, CoClusteringConfiguration.self, ExplicitALSConfiguration.self,
        ContentKNNConfiguration.self,
        LightFMConfiguration.self,
        HybridConfiguration.self,
    ]

    /// The configuration (the one switch over the cases).
    public var configuration: any BuiltInConfiguration {
        switch self {
        case .popularity(let c): return c
        case .random(let c): return c
        case .itemKNN(let c): return c
        case .als(let c): return c
        case .bpr(let c): return c
        case .ease(let c): return c
        case .multDAE(let c): return c
        case .multVAE(let c): return c
        case .normal(let c): return c
        case .svd(let c): return c
        case .svdpp(let c): return c
        case .nmf(let c): return c
        case .coClustering(let c): return c
        case .explicitALS(let c): return c
        case .baseline(let c): return c
        case .knnBasic(let c): return c
        case .knnMeans(let c): return c
        case .knnBaseline(let c): return c
        case .slopeOne(let c): return c
        case .hybrid(let c): return c
        case .contentKNN(let c): return c
        case .lightFM(let c): return c
        }
    }

    /// The built-in type named `name`.
    ///
    /// - Throws: ``ConfigurationError/unknownType(name:known:)``.
    public static func type(named name: String) throws(ConfigurationError) -> any BuiltInConfiguration.Type {
        guard let type = types.first(where: { $0.typeName == name }) else { throw .unknownType(name: name, known: typeNames) }
        return type
    }

    /// The names of the built-in types.
    public static var typeNames: [String] { types.map { $0.typeName } }

    /// The algorithm of type `type` with `parameters` (absent ones at their defaults).
    ///
    /// - Throws: ``ConfigurationError`` naming the type and the parameter.
    public init(type: String, parameters: [String: ParameterValue] = [:]) throws(ConfigurationError) {
        self = try Self.type(named: type).init(parameters: parameters).algorithm
    }

    /// The type's name (`als`).
    public var typeName: String { Swift.type(of: configuration).typeName }

    /// The canonical parameters.
    public var parameters: [String: ParameterValue] { configuration.parameters }

    /// The parameters that differ from the type's defaults.
    public var nonDefaultParameters: [String: ParameterValue] { configuration.nonDefaultParameters }

    /// `values` with each integer given to a real parameter of this type as a real (plain JSON
    /// writes 500.0 as 500); other values unchanged.
    public func canonical(_ values: [String: ParameterValue]) -> [String: ParameterValue] {
        let domains = Dictionary(Swift.type(of: configuration).hyperparameters.map { ($0.name, $0.domain) }) { first, _ in first }
        var result = values
        for (name, value) in values {
            if case .real? = domains[name], case .integer(let i) = value { result[name] = .double(Double(i)) }
        }
        return result
    }

    /// The configuration's label.
    public var label: String { configuration.label }

    public var description: String { label }

    /// Checks every hyperparameter against its domain; `fit` does it too.
    public func validate() throws(ConfigurationError) { try configuration.validate() }

    /// Fits the configured algorithm.
    ///
    /// - Parameters:
    ///   - threads: the threads it may use (nil: all cores); the result does not depend on it.
    public func fit(_ train: Dataset, seed: UInt64, threads: Int? = nil) throws -> any TrainedModel {
        try configuration.fit(train, seed: seed, threads: threads)
    }

    package enum CodingKeys: String, CodingKey { case type, parameters }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(typeName, forKey: .type)
        try container.encode(parameters, forKey: .parameters)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: ParameterValue.LegacyKey.self)
        guard container.contains(ParameterValue.LegacyKey(stringValue: "type")) else {
            self = try Self.legacy(container)
            return
        }
        let keyed = try decoder.container(keyedBy: CodingKeys.self)
        let type = try keyed.decode(String.self, forKey: .type)
        let parameters = try keyed.decodeIfPresent([String: ParameterValue].self, forKey: .parameters) ?? [:]
        do { self = try Algorithm(type: type, parameters: parameters) } catch {
            throw DecodingError.dataCorruptedError(forKey: .parameters, in: keyed, debugDescription: error.description)
        }
    }
}
