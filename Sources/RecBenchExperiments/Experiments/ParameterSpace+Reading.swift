import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation
/// Reading a hyperparameter's space from an experiment file, generically over its
/// ``Hyperparameter`` description.
extension ParameterSpace {
    /// Reads one parameter's space: a value, a list of values, or a `{ min, max, scale, steps }`
    /// range table, each value checked against the parameter's domain.
    ///
    /// - Parameters:
    ///   - name: the parameter's name in the file.
    ///   - raw: its value in the file.
    ///   - type: the configuration type whose parameter it is.
    ///   - file: the file, for errors.
    ///   - key: the key's full path (`algorithms[0].factors`), for errors.
    /// - Throws: ``ExperimentError/unknownKey(file:key:known:)``, ``ExperimentError/wrongType(file:key:expected:found:)``
    ///   or ``ExperimentError/invalidValue(file:key:reason:)``.
    package static func read(_ name: String, _ raw: ConfigValue, of type: any RecommenderConfiguration.Type, file: String,
                     key: String) throws(ExperimentError) -> ParameterSpace {
        guard let parameter = type.hyperparameters.first(where: { $0.name == name }) else {
            throw .unknownKey(file: file, key: key, known: type.hyperparameters.map(\.name) + ["type", "name"])
        }
        let domain = parameter.domain
        func single(_ value: ConfigValue, key: String) throws(ExperimentError) -> ParameterValue {
            let candidate: ParameterValue
            switch value {
            case .integer(let i): candidate = .integer(i)
            case .double(let d): candidate = .double(d)
            case .string(let s): candidate = .string(s)
            case .bool(let b): candidate = .boolean(b)
            case .array(let items):
                guard case let .integerList(widths, _) = domain else {
                    throw .wrongType(file: file, key: key, expected: domain.expected, found: value.kind)
                }
                var list: [Int] = []
                for item in items {
                    guard case .integer(let w) = item, widths.contains(w) else {
                        throw .invalidValue(file: file, key: key, reason: "layer widths are integers in \(HyperparameterLimits.describe(widths))")
                    }
                    list.append(w)
                }
                candidate = .integers(list)
            default: throw .wrongType(file: file, key: key, expected: domain.expected, found: value.kind)
            }
            do {
                return try domain.check(candidate, type: type.typeName, parameter: name)
            } catch {
                switch (error, domain, candidate) {
                case (.wrongType, _, _):
                    throw .wrongType(file: file, key: key, expected: domain.expected, found: value.kind)
                case let (_, .choice(words), .string(s)):
                    throw .invalidValue(file: file, key: key, reason: "'\(s)' is not one of \(words.joined(separator: ", "))")
                case let (_, .integerList(_, count), .integers(list)):
                    throw .invalidValue(file: file, key: key, reason: "\(HyperparameterLimits.describe(count)) layers, not \(list.count)")
                case let (.invalidHyperparameter(_, _, shown, allowed), _, _):
                    throw .invalidValue(file: file, key: key, reason: "\(shown) is outside \(allowed)")
                default:
                    throw .invalidValue(file: file, key: key, reason: error.description)
                }
            }
        }
        switch raw {
        case .array(let items):
            // A list of candidate values, except for an integer list, where a flat list of integers is one value.
            if case .integerList = domain, items.allSatisfy({ if case .integer = $0 { return true } else { return false } }) {
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
            switch domain {
            case .integer(let r):
                // Integer bounds read as integers: a bound near Int.max has no exact Double, and
                // rounding a draw near it would trap.
                integer = true
                lo = Double(try reader.required("min") { (t: inout TableReader, k: String) throws(ExperimentError) in try t.wholeNumber(k, in: r) })
                hi = Double(try reader.required("max") { (t: inout TableReader, k: String) throws(ExperimentError) in try t.wholeNumber(k, in: r) })
            case .real(let r):
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
