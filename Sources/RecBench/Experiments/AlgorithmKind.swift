import Foundation

/// The algorithm types an experiment file names, each with its hyperparameters.
///
/// This is the one mapping from named hyperparameters to an ``Algorithm``; experiment files
/// go through it. Unset parameters take the configuration's defaults.
public enum AlgorithmKind: String, Codable, Hashable, Sendable, CaseIterable {
    case popularity, random, itemKNN = "item-knn", als, bpr, ease, dae, vae

    /// What a parameter holds.
    enum ParameterKind {
        case integer(ClosedRange<Int>)
        case double(ClosedRange<Double>)
        case choice([String])
        case integers
    }

    /// The parameters of this type and what each holds.
    var parameters: [String: ParameterKind] {
        let positive = 1...Int.max
        switch self {
        case .popularity: return ["measure": .choice(["users", "plays"])]
        case .random: return [:]
        case .itemKNN:
            return ["neighbors": .integer(positive), "weighting": .choice(["none", "tfidf", "bm25"]), "k1": .double(0...100),
                    "b": .double(0...1), "shrinkage": .double(0...1e9), "similarity": .choice(["cosine", "dot"])]
        case .als:
            return ["factors": .integer(1...256), "iterations": .integer(0...10_000), "regularization": .double(0...1e9),
                    "alpha": .double(0...1e9), "scaling": .choice(["constant", "interactions"]), "solver": .choice(["cg", "cholesky"]),
                    "cg_steps": .integer(1...100)]
        case .bpr:
            return ["factors": .integer(1...255), "learning_rate": .double(1e-9...10), "regularization": .double(0...1e3),
                    "epochs": .integer(0...100_000), "negatives": .choice(["uniform", "popularity"])]
        case .ease: return ["regularization": .double(0...1e12), "max_items": .integer(positive)]
        case .dae, .vae:
            return ["layers": .integers, "epochs": .integer(0...100_000), "batch_size": .integer(positive),
                    "learning_rate": .double(1e-9...10), "regularization": .double(0...1e3), "dropout": .double(0...0.99),
                    "anneal_cap": .double(0...10)]
        }
    }

    /// The configured algorithm.
    public func algorithm(_ values: [String: ParameterValue]) -> Algorithm {
        func int(_ name: String, _ fallback: Int) -> Int { if case .integer(let i)? = values[name] { return i }; return fallback }
        func double(_ name: String, _ fallback: Double) -> Double {
            switch values[name] {
            case .double(let d)?: return d
            case .integer(let i)?: return Double(i)
            default: return fallback
            }
        }
        func string(_ name: String, _ fallback: String) -> String { if case .string(let s)? = values[name] { return s }; return fallback }
        switch self {
        case .popularity: return .popularity(PopularityConfiguration(measure: string("measure", "users") == "plays" ? .plays : .users))
        case .random: return .random(RandomConfiguration())
        case .itemKNN:
            let weighting: ItemWeighting
            switch string("weighting", "none") {
            case "tfidf": weighting = .tfidf
            case "bm25": weighting = .bm25(k1: double("k1", 1.2), b: double("b", 0.75))
            default: weighting = .none
            }
            let defaultSimilarity = weighting == .none || weighting == .tfidf ? "cosine" : "dot"
            return .itemKNN(ItemKNNConfiguration(neighbors: int("neighbors", 100), weighting: weighting, shrinkage: double("shrinkage", 0),
                                                 similarity: string("similarity", defaultSimilarity) == "dot" ? .dotProduct : .cosine))
        case .als:
            return .als(ALSConfiguration(factors: int("factors", 64), iterations: int("iterations", 15), regularization: double("regularization", 0.01),
                                         alpha: double("alpha", 1), regularizationScaling: string("scaling", "constant") == "interactions" ? .byInteractions : .constant,
                                         solver: string("solver", "cg") == "cholesky" ? .cholesky : .conjugateGradient(steps: int("cg_steps", 3))))
        case .bpr:
            return .bpr(BPRConfiguration(factors: int("factors", 64), learningRate: double("learning_rate", 0.01),
                                         regularization: double("regularization", 0.01), epochs: int("epochs", 100),
                                         negatives: string("negatives", "uniform") == "popularity" ? .popularity : .uniform))
        case .ease: return .ease(EASEConfiguration(regularization: double("regularization", 500), maxItems: int("max_items", 30_000)))
        case .dae, .vae:
            var layers: [Int]?
            if case .integers(let list)? = values["layers"] { layers = list }
            return .multVAE(MultVAEConfiguration(variant: self == .dae ? .dae : .vae, layers: layers, epochs: int("epochs", 30),
                                                 batchSize: int("batch_size", 500), learningRate: double("learning_rate", 1e-3),
                                                 regularization: double("regularization", 0), dropout: double("dropout", 0.5),
                                                 annealCap: double("anneal_cap", 0.2)))
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
                guard range.contains(i) else { throw .invalidValue(file: file, key: key, reason: "\(i) is outside \(range.lowerBound)…\(range.upperBound)") }
                return .integer(i)
            case (.double(let range), .integer(let i)):
                guard range.contains(Double(i)) else { throw .invalidValue(file: file, key: key, reason: "\(i) is outside \(range.lowerBound)…\(range.upperBound)") }
                return .double(Double(i))
            case (.double(let range), .double(let d)):
                guard range.contains(d) else { throw .invalidValue(file: file, key: key, reason: "\(d) is outside \(range.lowerBound)…\(range.upperBound)") }
                return .double(d)
            case (.choice(let choices), .string(let s)):
                guard choices.contains(s) else { throw .invalidValue(file: file, key: key, reason: "'\(s)' is not one of \(choices.joined(separator: ", "))") }
                return .string(s)
            case (.integers, .array(let items)):
                var widths: [Int] = []
                for item in items {
                    guard case .integer(let w) = item, w > 0 else { throw .invalidValue(file: file, key: key, reason: "layer widths are positive integers") }
                    widths.append(w)
                }
                guard !widths.isEmpty else { throw .invalidValue(file: file, key: key, reason: "at least one layer") }
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
            let integer: Bool
            let bounds: ClosedRange<Double>
            switch kind {
            case .integer(let r): integer = true; bounds = Double(r.lowerBound)...Double(r.upperBound)
            case .double(let r): integer = false; bounds = r
            default: throw .invalidValue(file: file, key: key, reason: "a range needs a numeric parameter")
            }
            let lo = try reader.required("min") { (r: inout TableReader, k: String) throws(ExperimentError) in try r.double(k, in: bounds) }
            let hi = try reader.required("max") { (r: inout TableReader, k: String) throws(ExperimentError) in try r.double(k, in: bounds) }
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
