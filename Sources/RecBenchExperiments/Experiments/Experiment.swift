import Foundation
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation

/// One algorithm of an experiment: its type, display name and hyperparameter spaces.
public struct AlgorithmSpec: Codable, Hashable, Sendable {
    /// The name shown in leaderboards (unique within the experiment).
    public var name: String
    /// The configuration type's name (``RecommenderConfiguration/typeName``: `als`, `item-knn`).
    public var type: String
    /// The space of each hyperparameter set in the file (others take their defaults).
    public var spaces: [String: ParameterSpace]

    /// Creates the spec.
    public init(name: String, type: String, spaces: [String: ParameterSpace] = [:]) {
        self.name = name
        self.type = type
        self.spaces = spaces
    }

    /// The configuration of one point of the sweep.
    ///
    /// - Throws: ``ConfigurationError`` for an unknown type or a parameter outside its domain.
    public func algorithm(_ parameters: [String: ParameterValue]) throws(ConfigurationError) -> Algorithm {
        try Algorithm(type: type, parameters: parameters)
    }

    /// The names of the hyperparameters that take more than one value.
    public var sweptParameters: [String] { spaces.filter { $0.value.isSwept }.keys.sorted() }
}

/// An experiment: a dataset and its preparation, a split with its validation part, algorithms
/// with their search spaces, metrics, and the metric that picks each algorithm's best
/// configuration. The format of the files that decode into it is in docs/experiments.md.
public struct Experiment: Codable, Hashable, Sendable {
    /// The experiment's name: the results folder and the leaderboard's title.
    public var name: String
    /// A catalogue name (`lastfm-2k`, `movielens-100k`, …) or a path.
    public var dataset: String
    /// Keep users with at least this many interactions and items with at least this many users (iterated).
    public var minimumUserInteractions: Int
    public var minimumItemUsers: Int
    public var split: SplitMethod
    public var splitSeed: UInt64
    /// How the validation part is cut from the training part.
    public var validation: SplitMethod
    public var validationSeed: UInt64
    public var metrics: [Metric]
    /// The metric that ranks configurations and the leaderboard.
    public var selection: Metric
    public var bootstrapResamples: Int
    public var search: SearchStrategy
    /// Fit seeds: each configuration is fitted once per seed and the seeds' mean selects.
    public var seeds: [UInt64]
    public var algorithms: [AlgorithmSpec]
    /// Ranking (implicit feedback, the default) or rating prediction (`task = "rating"`).
    public var task: EvaluationTask = .ranking
    /// The scale rating predictions are clipped to (`[dataset] rating_scale = [1, 5]`; nil: the data's).
    public var ratingScale: RatingScale? = nil
    /// On a rating task, the held-out rating from which ranking metrics count an item relevant
    /// (`[evaluation] relevance_threshold`; nil: three quarters up the scale).
    public var relevanceThreshold: Double? = nil
    /// Further protocols the same algorithms are run under (`[split] protocols = ["new-items",
    /// "new-users:fraction=0.1"]`), each as its own experiment (``protocolExperiments``): its
    /// split is the protocol, and its validation part is cut from its training part by the same
    /// protocol. Empty for a single protocol.
    public var protocols: [SplitMethod] = []

    /// The experiment of each protocol: this one (without its further protocols) first, then
    /// one per entry of ``protocols``, named `<name>.<protocol>`, whose validation is the same
    /// protocol with the validation seed. Each has its own identity and results folder.
    public var protocolExperiments: [Experiment] {
        var main = self
        main.protocols = []
        return [main] + protocols.map { method in
            var other = main
            other.name = "\(name).\(method.name)"
            other.split = method
            other.validation = method
            return other
        }
    }
    /// Where the items' features come from (`[dataset] item_features`; default `auto`: the
    /// dataset's own tags or genres where it has them, none otherwise).
    public var itemFeatures: ItemFeatureSource = .auto
    /// The activity buckets test runs report their metrics in (`[evaluation] user_buckets`,
    /// `item_buckets`; nil: none). Not part of the identity: buckets change no metric's value.
    public var buckets: BucketEdges? = .standard

    /// The preparation the dataset goes through (the task's steps, then the minimums).
    public var preparation: Preparation {
        var steps = task.preparationSteps
        if minimumUserInteractions > 1 || minimumItemUsers > 1 {
            steps.append(.minimumInteractions(user: minimumUserInteractions, item: minimumItemUsers))
        }
        return Preparation(steps)
    }

    /// Reads an experiment file (TOML).
    ///
    /// - Throws: ``ExperimentError`` naming the file and, for a bad key or value, its key path.
    public static func read(file path: String) throws(ExperimentError) -> Experiment {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch { throw .unreadable(file: path, reason: error.localizedDescription) }
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return try parse(text, file: path, defaultName: stem)
    }

    /// Parses experiment text (TOML); `file` names it in errors.
    public static func parse(_ text: String, file: String, defaultName: String = "experiment") throws(ExperimentError) -> Experiment {
        var top = try TableReader(ConfigValue.parseTOML(text, file: file), file: file, path: "")
        let name = try top.string("name") ?? defaultName
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw .invalidValue(file: file, key: "name", reason: "use letters, digits, '-', '_' or '.' (it names the results folder)")
        }

        let task = EvaluationTask(rawValue: try top.choice("task", EvaluationTask.allCases.map(\.rawValue)) ?? "ranking") ?? .ranking
        var data = try TableReader(top.raw("dataset"), file: file, path: "dataset")
        let dataset = try data.string("name") ?? DatasetCatalog.defaultName
        let minUser = try data.integer("min_user_interactions", in: 0...1_000_000) ?? 0
        let minItem = try data.integer("min_item_users", in: 0...1_000_000) ?? 0
        var ratingScale: RatingScale?
        if let bounds = try data.array("rating_scale") {
            let numbers = bounds.compactMap { value -> Double? in
                switch value {
                case .integer(let i): return Double(i)
                case .double(let d): return d
                default: return nil
                }
            }
            guard numbers.count == 2 && bounds.count == 2, let scale = try? RatingScale(lower: numbers[0], upper: numbers[1]) else {
                throw .invalidValue(file: file, key: "dataset.rating_scale", reason: "a rating scale is two finite numbers [lo, hi] with lo <= hi, such as [1, 5]")
            }
            ratingScale = scale
        }
        var itemFeatures = ItemFeatureSource.auto
        if let text = try data.string("item_features") {
            do { itemFeatures = try ItemFeatureSource(parsing: text) } catch {
                throw .invalidValue(file: file, key: "dataset.item_features",
                                    reason: "\(error.description) (use \"auto\", \"none\", \"lastfm-tags:DIR\", \"movielens-genres:FILE\", \"table:FILE\" or a path)")
            }
        }
        try data.rejectUnknownKeys()
        if task != .rating, ratingScale != nil {
            throw .invalidValue(file: file, key: "dataset.rating_scale", reason: "a rating scale applies to task = \"rating\" only")
        }

        var splitTable = try TableReader(top.raw("split"), file: file, path: "split")
        let (split, splitSeed) = try splitMethod(&splitTable, defaultSeed: 7)
        var validationTable = try TableReader(splitTable.raw("validation"), file: file, path: "split.validation")
        var protocols: [SplitMethod] = []
        for (index, value) in (try splitTable.array("protocols") ?? []).enumerated() {
            let key = "split.protocols[\(index)]"
            guard case .string(let text) = value else { throw .wrongType(file: file, key: key, expected: "a split as text", found: value.kind) }
            let method: SplitMethod
            do { method = try SplitMethod(parsing: text) } catch { throw .invalidValue(file: file, key: key, reason: error.description) }
            guard method != .given, method != split, !protocols.contains(method) else {
                throw .invalidValue(file: file, key: key, reason: "'\(text)' is the main split, a repeated protocol or the given split")
            }
            guard !protocols.contains(where: { $0.name == method.name }), method.name != split.name else {
                throw .invalidValue(file: file, key: key, reason: "one protocol per split name: '\(method.name)' is there already (it names the results folder)")
            }
            protocols.append(method)
        }
        try splitTable.rejectUnknownKeys()
        let (validation, validationSeed): (SplitMethod, UInt64)
        if validationTable.entries.isEmpty {
            // The release's test file cannot be cut from the training part again: 80/20 rows instead.
            (validation, validationSeed) = (split == .given ? .globalRandom(fraction: 0.2) : split, splitSeed &+ 1)
        } else {
            (validation, validationSeed) = try splitMethod(&validationTable, defaultSeed: splitSeed &+ 1)
        }
        try validationTable.rejectUnknownKeys()

        var evaluation = try TableReader(top.raw("evaluation"), file: file, path: "evaluation")
        let families = try evaluation.array("metrics")
            ?? (task == .rating ? [.string("RMSE"), .string("MAE")] : [.string("P"), .string("R"), .string("MAP"), .string("NDCG"), .string("AUC")])
        let cutoffs = try evaluation.array("cutoffs") ?? [.integer(10)]
        var cutoffValues: [Int] = []
        for (index, value) in cutoffs.enumerated() {
            guard case .integer(let k) = value, (1...Metric.maximumCutoff).contains(k) else {
                throw .invalidValue(file: file, key: "evaluation.cutoffs[\(index)]", reason: "cutoffs are integers in 1…\(Metric.maximumCutoff)")
            }
            cutoffValues.append(k)
        }
        var metrics: [Metric] = []
        for (index, value) in families.enumerated() {
            guard case .string(let family) = value else {
                throw .wrongType(file: file, key: "evaluation.metrics[\(index)]", expected: "a string", found: value.kind)
            }
            do {
                metrics.append(try Metric.parse(family))
                continue
            } catch .cutoffOutOfRange {
                throw .invalidValue(file: file, key: "evaluation.metrics[\(index)]", reason: MetricError.cutoffOutOfRange(name: family).description)
            } catch {
                // A family: it takes every cutoff.
            }
            guard Metric(name: family + "@1") != nil else {
                throw .invalidValue(file: file, key: "evaluation.metrics[\(index)]",
                                    reason: "'\(family.prefix(60))' is not a metric (\(Metric.families.map(\.name).joined(separator: ", ")), or one with @k)")
            }
            // Cutoffs are in 1…maximumCutoff, so every one names a metric.
            metrics += cutoffValues.compactMap { Metric(name: "\(family)@\($0)") }
        }
        var unique: [Metric] = []
        for metric in metrics where !unique.contains(metric) { unique.append(metric) }
        let selectionName = try evaluation.string("select") ?? (task == .rating ? "RMSE" : "NDCG@10")
        let selection: Metric
        do {
            selection = try Metric.parse(selectionName)
        } catch .cutoffOutOfRange {
            throw .invalidValue(file: file, key: "evaluation.select", reason: MetricError.cutoffOutOfRange(name: selectionName).description)
        } catch {
            throw .invalidValue(file: file, key: "evaluation.select", reason: "'\(selectionName.prefix(60))' is not a metric")
        }
        if !unique.contains(selection) { unique.append(selection) }
        let bootstrap = try evaluation.integer("bootstrap", in: 0...100_000) ?? 1000
        let relevanceThreshold = try evaluation.double("relevance_threshold")
        let userEdges = try bucketEdges(&evaluation, "user_buckets", default: BucketEdges.standard.users)
        let itemEdges = try bucketEdges(&evaluation, "item_buckets", default: BucketEdges.standard.items)
        let buckets: BucketEdges?
        do { buckets = userEdges.isEmpty && itemEdges.isEmpty ? nil : try BucketEdges(users: userEdges, items: itemEdges) } catch {
            let key = (try? BucketEdges.check(userEdges, kind: "user")) == nil ? "evaluation.user_buckets" : "evaluation.item_buckets"
            throw .invalidValue(file: file, key: key, reason: error.description)
        }
        try evaluation.rejectUnknownKeys()
        if task == .ranking, relevanceThreshold != nil {
            throw .invalidValue(file: file, key: "evaluation.relevance_threshold", reason: "a relevance threshold applies to task = \"rating\" only")
        }
        if task == .ranking, let metric = unique.first(where: { $0.definition.needs == .predictedRatings }) {
            throw .invalidValue(file: file, key: metric == selection ? "evaluation.select" : "evaluation.metrics",
                                reason: "\(metric.name) needs predicted ratings: add task = \"rating\" at the top of the file")
        }

        var searchTable = try TableReader(top.raw("search"), file: file, path: "search")
        let strategyName = try searchTable.choice("strategy", ["grid", "random"]) ?? "grid"
        let samples = try searchTable.integer("samples", in: 1...SearchStrategy.configurationLimitCeiling)
        let searchSeed = try searchTable.integer("seed", in: 0...Int.max) ?? 1
        let seedValues = try searchTable.array("seeds") ?? [.integer(1)]
        let configurationLimit = try searchTable.integer("max_configurations", in: 1...SearchStrategy.configurationLimitCeiling)
            ?? SearchStrategy.defaultConfigurationLimit
        try searchTable.rejectUnknownKeys()
        let search: SearchStrategy
        if strategyName == "random" {
            guard let samples else { throw .missingKey(file: file, key: "search.samples") }
            search = .random(samples: samples, seed: UInt64(searchSeed))
        } else {
            search = .grid
        }
        var seeds: [UInt64] = []
        for (index, value) in seedValues.enumerated() {
            guard case .integer(let s) = value, s >= 0 else { throw .invalidValue(file: file, key: "search.seeds[\(index)]", reason: "seeds are integers ≥ 0") }
            seeds.append(UInt64(s))
        }
        guard !seeds.isEmpty else { throw .invalidValue(file: file, key: "search.seeds", reason: "at least one seed") }

        guard let algorithmList = try top.array("algorithms"), !algorithmList.isEmpty else { throw .missingKey(file: file, key: "algorithms") }
        var algorithms: [AlgorithmSpec] = []
        for (index, entry) in algorithmList.enumerated() {
            let path = "algorithms[\(index)]"
            guard case .table(let entries) = entry else { throw .wrongType(file: file, key: path, expected: "a table", found: entry.kind) }
            var reader = try TableReader(entry, file: file, path: path)
            let typeName = try reader.required("type") { (r: inout TableReader, k: String) throws(ExperimentError) in
                try r.choice(k, Algorithm.typeNames)
            }
            guard let type = Algorithm.types.first(where: { $0.typeName == typeName }) else {   // `choice` above accepts only these names
                throw .invalidValue(file: file, key: "\(path).type", reason: "'\(typeName)' is not an algorithm type")
            }
            let display = try reader.string("name") ?? typeName
            var spaces: [String: ParameterSpace] = [:]
            for (key, value) in entries where key != "type" && key != "name" {
                spaces[key] = try ParameterSpace.read(key, value, of: type, file: file, key: "\(path).\(key)")
            }
            if case .grid = search, let open = spaces.first(where: { if case .range(_, _, _, nil, _) = $0.value { return true } else { return false } }) {
                throw .invalidValue(file: file, key: "\(path).\(open.key)", reason: "a grid search needs 'steps' in a range")
            }
            guard !algorithms.contains(where: { $0.name == display }) else {
                throw .invalidValue(file: file, key: "\(path).name", reason: "'\(display)' is used twice; give each algorithm its own name")
            }
            algorithms.append(AlgorithmSpec(name: display, type: typeName, spaces: spaces))
        }
        // The sweep's size, counted before anything is built.
        let counts = algorithms.map { search.configurationCount($0.spaces) }
        let total = Saturating.sum(counts)
        if total > configurationLimit, let largest = counts.indices.max(by: { counts[$0] < counts[$1] }) {
            func figure(_ n: Int) -> String { n == Int.max ? "more than \(Int.max)" : String(n) }
            throw .invalidValue(file: file, key: "algorithms[\(largest)]",
                                reason: "the sweep has \(figure(total)) configurations (this algorithm \(figure(counts[largest]))), more than "
                                    + "the limit of \(configurationLimit); narrow the search spaces"
                                    + (configurationLimit < SearchStrategy.configurationLimitCeiling
                                        ? " or raise search.max_configurations (at most \(SearchStrategy.configurationLimitCeiling))" : ""))
        }
        try top.rejectUnknownKeys()
        return Experiment(name: name, dataset: dataset, minimumUserInteractions: minUser, minimumItemUsers: minItem, split: split,
                          splitSeed: splitSeed, validation: validation, validationSeed: validationSeed, metrics: unique, selection: selection,
                          bootstrapResamples: bootstrap, search: search, seeds: seeds, algorithms: algorithms,
                          task: task, ratingScale: ratingScale, relevanceThreshold: relevanceThreshold, protocols: protocols, itemFeatures: itemFeatures,
                          buckets: buckets)
    }

    /// Reads a list of bucket edges (integers; `[]`: no buckets of that kind), or `fallback` when the key is absent.
    private static func bucketEdges(_ table: inout TableReader, _ key: String, default fallback: [Int]) throws(ExperimentError) -> [Int] {
        guard let values = try table.array(key) else { return fallback }
        var edges: [Int] = []
        for (index, value) in values.enumerated() {
            guard case .integer(let edge) = value else {
                throw .wrongType(file: table.file, key: table.keyPath(key) + "[\(index)]", expected: "an integer", found: value.kind)
            }
            edges.append(edge)
        }
        return edges
    }

    /// Reads a split method and seed from a `[split]`-shaped table: `method` names the rule,
    /// its parameters are keys of the table, decoded by ``SplitMethod/init(name:parameters:)``
    /// (a key the rule does not read is an unknown key).
    private static func splitMethod(_ table: inout TableReader, defaultSeed: UInt64) throws(ExperimentError) -> (SplitMethod, UInt64) {
        let name = try table.choice("method", SplitMethod.names) ?? LeaveOneOut.name
        let seed = try table.integer("seed", in: 0...Int.max).map(UInt64.init) ?? defaultSeed
        var parameters: [String: String] = [:]
        for parameter in SplitMethod.ruleType(named: name)?.parameters ?? [] {
            switch table.raw(parameter.name) {
            case .none: break
            case .integer(let value)?: parameters[parameter.name] = String(value)
            case .double(let value)?: parameters[parameter.name] = String(value)
            case .string(let value)?: parameters[parameter.name] = value
            case .some(let other):
                throw .wrongType(file: table.file, key: table.keyPath(parameter.name), expected: "a number or a string", found: other.kind)
            }
        }
        do {
            return (try SplitMethod(name: name, parameters: parameters), seed)
        } catch {
            if case .invalidParameter(_, let parameter, let value, let reason) = error {
                throw .invalidValue(file: table.file, key: table.keyPath(parameter), reason: "'\(value)': \(reason)")
            }
            throw .invalidValue(file: table.file, key: table.keyPath("method"), reason: error.description)
        }
    }
}
