import Foundation

/// The algorithm types an experiment file names, each with its hyperparameters.
///
/// This is the one mapping from named hyperparameters to an ``Algorithm``: experiment files and
/// the command line's algorithm options both go through it. Unset parameters take the
/// configuration's defaults.
public enum AlgorithmKind: String, Codable, Hashable, Sendable, CaseIterable {
    case popularity, random, itemKNN = "item-knn", als, bpr, ease, dae, vae

    /// What a parameter holds.
    enum ParameterKind {
        case integer(ClosedRange<Int>)
        case double(ClosedRange<Double>)
        case choice([String])
        case integers
    }

    /// The parameters of this type and what each holds; the ranges are ``HyperparameterLimits``'s.
    var parameters: [String: ParameterKind] {
        typealias L = HyperparameterLimits
        switch self {
        case .popularity: return ["measure": .choice(["users", "plays"])]
        case .random: return [:]
        case .itemKNN:
            return ["neighbors": .integer(L.neighbors), "weighting": .choice(["none", "tfidf", "bm25"]), "k1": .double(L.k1),
                    "b": .double(L.b), "shrinkage": .double(L.shrinkage), "similarity": .choice(["cosine", "dot"])]
        case .als:
            return ["factors": .integer(L.factors), "iterations": .integer(L.iterations), "regularization": .double(L.alsRegularization),
                    "alpha": .double(L.alpha), "scaling": .choice(["constant", "interactions"]), "solver": .choice(["cg", "cholesky"]),
                    "cg_steps": .integer(L.conjugateGradientSteps)]
        case .bpr:
            return ["factors": .integer(L.factors), "learning_rate": .double(L.learningRate), "regularization": .double(L.bprRegularization),
                    "epochs": .integer(L.epochs), "negatives": .choice(["uniform", "popularity"])]
        case .ease: return ["regularization": .double(L.easeRegularization), "max_items": .integer(L.maxItems)]
        case .dae, .vae:
            return ["layers": .integers, "epochs": .integer(L.epochs), "batch_size": .integer(L.batchSize),
                    "learning_rate": .double(L.learningRate), "regularization": .double(L.autoencoderRegularization),
                    "dropout": .double(L.dropout), "anneal_cap": .double(L.annealCap)]
        }
    }

    /// The configured algorithm: parameters not in `values` keep the configuration's defaults.
    ///
    /// Parameters of another type are ignored (a shared CLI option, for example); experiment files
    /// reject them earlier, in ``space(of:_:file:key:)``.
    public func algorithm(_ values: [String: ParameterValue]) -> Algorithm {
        func int(_ name: String) -> Int? { if case .integer(let i)? = values[name] { return i }; return nil }
        func double(_ name: String) -> Double? {
            switch values[name] {
            case .double(let d)?: return d
            case .integer(let i)?: return Double(i)
            default: return nil
            }
        }
        func string(_ name: String) -> String? { if case .string(let s)? = values[name] { return s }; return nil }
        switch self {
        case .popularity: return .popularity(PopularityConfiguration(measure: string("measure") == "plays" ? .plays : .users))
        case .random: return .random(RandomConfiguration())
        case .itemKNN:
            var c = ItemKNNConfiguration()
            switch string("weighting") {
            case "tfidf"?: c.weighting = .tfidf
            case "bm25"?: c.weighting = .bm25(k1: double("k1") ?? 1.2, b: double("b") ?? 0.75)
            default: break
            }
            // BM25 vectors are not normalised (implicit's BM25Recommender); the others use cosine.
            if case .bm25 = c.weighting { c.similarity = .dotProduct }
            if let similarity = string("similarity") { c.similarity = similarity == "dot" ? .dotProduct : .cosine }
            if let v = int("neighbors") { c.neighbors = v }
            if let v = double("shrinkage") { c.shrinkage = v }
            return .itemKNN(c)
        case .als:
            var c = ALSConfiguration()
            if let v = int("factors") { c.factors = v }
            if let v = int("iterations") { c.iterations = v }
            if let v = double("regularization") { c.regularization = v }
            if let v = double("alpha") { c.alpha = v }
            if string("scaling") == "interactions" { c.regularizationScaling = .byInteractions }
            if string("solver") == "cholesky" { c.solver = .cholesky } else if let steps = int("cg_steps") { c.solver = .conjugateGradient(steps: steps) }
            return .als(c)
        case .bpr:
            var c = BPRConfiguration()
            if let v = int("factors") { c.factors = v }
            if let v = double("learning_rate") { c.learningRate = v }
            if let v = double("regularization") { c.regularization = v }
            if let v = int("epochs") { c.epochs = v }
            if let v = string("negatives") { c.negatives = v == "popularity" ? .popularity : .uniform }
            return .bpr(c)
        case .ease:
            var c = EASEConfiguration()
            if let v = double("regularization") { c.regularization = v }
            if let v = int("max_items") { c.maxItems = v }
            return .ease(c)
        case .dae, .vae:
            var layers: [Int]?
            if case .integers(let list)? = values["layers"] { layers = list }
            var c = MultVAEConfiguration(variant: self == .dae ? .dae : .vae, layers: layers)
            if let v = int("epochs") { c.epochs = v }
            if let v = int("batch_size") { c.batchSize = v }
            if let v = double("learning_rate") { c.learningRate = v }
            if let v = double("regularization") { c.regularization = v }
            if let v = double("dropout") { c.dropout = v }
            if let v = double("anneal_cap") { c.annealCap = v }
            return .multVAE(c)
        }
    }

    /// Reads one parameter's space from an experiment file: a value, a list of values, or a
    /// `{ min, max, scale, steps }` range table.
    func space(of name: String, _ raw: ConfigValue, file: String, key: String) throws(ExperimentError) -> ParameterSpace {
        guard let kind = parameters[name] else {
            throw .unknownKey(file: file, key: key, known: Array(parameters.keys) + ["type", "name", "seeds"])
        }
        func single(_ value: ConfigValue, key: String) throws(ExperimentError) -> ParameterValue {
            switch (kind, value) {
            case (.integer(let range), .integer(let i)):
                guard range.contains(i) else { throw .invalidValue(file: file, key: key, reason: "\(i) is outside \(HyperparameterLimits.describe(range))") }
                return .integer(i)
            case (.double(let range), .integer(let i)):
                guard range.contains(Double(i)) else { throw .invalidValue(file: file, key: key, reason: "\(i) is outside \(HyperparameterLimits.describe(range))") }
                return .double(Double(i))
            case (.double(let range), .double(let d)):
                guard range.contains(d) else { throw .invalidValue(file: file, key: key, reason: "\(d) is outside \(HyperparameterLimits.describe(range))") }
                return .double(d)
            case (.choice(let choices), .string(let s)):
                guard choices.contains(s) else { throw .invalidValue(file: file, key: key, reason: "'\(s)' is not one of \(choices.joined(separator: ", "))") }
                return .string(s)
            case (.integers, .array(let items)):
                let widthRange = HyperparameterLimits.layerWidth, countRange = HyperparameterLimits.layerCount
                var widths: [Int] = []
                for item in items {
                    guard case .integer(let w) = item, widthRange.contains(w) else {
                        throw .invalidValue(file: file, key: key, reason: "layer widths are integers in \(HyperparameterLimits.describe(widthRange))")
                    }
                    widths.append(w)
                }
                guard countRange.contains(widths.count) else {
                    throw .invalidValue(file: file, key: key, reason: "\(HyperparameterLimits.describe(countRange)) layers, not \(widths.count)")
                }
                return .integers(widths)
            default:
                let expected: String
                switch kind {
                case .integer: expected = "an integer"
                case .double: expected = "a number"
                case .choice(let c): expected = "one of \(c.joined(separator: ", "))"
                case .integers: expected = "an array of layer widths"
                }
                throw .wrongType(file: file, key: key, expected: expected, found: value.kind)
            }
        }
        switch raw {
        case .array(let items):
            // A list of candidate values, except for `layers`, where a flat list of integers is one value.
            if case .integers = kind, items.allSatisfy({ if case .integer = $0 { return true } else { return false } }) {
                return .values([try single(raw, key: key)])
            }
            guard !items.isEmpty else { throw .invalidValue(file: file, key: key, reason: "an empty list of values") }
            var values: [ParameterValue] = []
            for (index, item) in items.enumerated() { values.append(try single(item, key: "\(key)[\(index)]")) }
            return .values(values)
        case .table:
            var reader = try TableReader(raw, file: file, path: key)
            let lo: Double, hi: Double
            let integer: Bool
            switch kind {
            case .integer(let r):
                // Integer bounds read as integers: a bound near Int.max has no exact Double, and
                // rounding a draw near it would trap.
                integer = true
                lo = Double(try reader.required("min") { (t: inout TableReader, k: String) throws(ExperimentError) in try t.wholeNumber(k, in: r) })
                hi = Double(try reader.required("max") { (t: inout TableReader, k: String) throws(ExperimentError) in try t.wholeNumber(k, in: r) })
            case .double(let r):
                integer = false
                lo = try reader.required("min") { (t: inout TableReader, k: String) throws(ExperimentError) in try t.double(k, in: r) }
                hi = try reader.required("max") { (t: inout TableReader, k: String) throws(ExperimentError) in try t.double(k, in: r) }
            default: throw .invalidValue(file: file, key: key, reason: "a range needs a numeric parameter")
            }
            let scale = RangeScale(rawValue: try reader.choice("scale", ["linear", "log"]) ?? "linear")!
            let steps = try reader.integer("steps", in: 1...10_000)
            try reader.rejectUnknownKeys()
            guard lo <= hi else { throw .invalidValue(file: file, key: key, reason: "min \(lo) is above max \(hi)") }
            if scale == .log, lo <= 0 { throw .invalidValue(file: file, key: key + ".min", reason: "a log range needs min > 0") }
            return .range(min: lo, max: hi, scale: scale, steps: steps, integer: integer)
        default:
            return .values([try single(raw, key: key)])
        }
    }
}
