import Foundation
import RecBenchCore

/// One hyperparameter's value in a configuration.
///
/// In JSON a value is written as itself: `64`, `0.01`, `"bm25"`, `true`, `[600, 200]`. The
/// layout of older records (`{"integer": {"_0": 64}}`) is still read.
public enum ParameterValue: Codable, Hashable, Sendable, CustomStringConvertible {
    case integer(Int)
    case double(Double)
    case string(String)
    case boolean(Bool)
    /// A list of integers (layer widths).
    case integers([Int])

    public var description: String {
        switch self {
        case .integer(let i): return String(i)
        case .double(let d): return String(format: "%g", d)
        case .string(let s): return s
        case .boolean(let b): return String(b)
        case .integers(let list): return list.map(String.init).joined(separator: "→")
        }
    }

    /// The value as a number, for plots (nil for strings, booleans and lists).
    public var number: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .double(let d): return d
        case .string, .boolean, .integers: return nil
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .integer(let i): try container.encode(i)
        case .double(let d): try container.encode(d)
        case .string(let s): try container.encode(s)
        case .boolean(let b): try container.encode(b)
        case .integers(let list): try container.encode(list)
        }
    }

    /// Reads a plain JSON value (a whole number reads as `.integer`; ``Hyperparameter/domain``
    /// turns it into a real where the parameter is real), or the legacy `{"integer": {"_0": 64}}`.
    public init(from decoder: any Decoder) throws {
        if let legacy = try? decoder.container(keyedBy: LegacyKey.self), let key = legacy.allKeys.first {
            let inner = try legacy.nestedContainer(keyedBy: LegacyKey.self, forKey: key)
            let zero = LegacyKey(stringValue: "_0")
            switch key.stringValue {
            case "integer": self = .integer(try inner.decode(Int.self, forKey: zero))
            case "double": self = .double(try inner.decode(Double.self, forKey: zero))
            case "string": self = .string(try inner.decode(String.self, forKey: zero))
            case "integers": self = .integers(try inner.decode([Int].self, forKey: zero))
            default:
                throw DecodingError.dataCorruptedError(forKey: key, in: legacy, debugDescription: "unknown parameter value kind '\(key.stringValue)'")
            }
            return
        }
        let container = try decoder.singleValueContainer()
        if let b = try? container.decode(Bool.self) { self = .boolean(b) }
        else if let i = try? container.decode(Int.self) { self = .integer(i) }
        else if let d = try? container.decode(Double.self) { self = .double(d) }
        else if let s = try? container.decode(String.self) { self = .string(s) }
        else if let list = try? container.decode([Int].self) { self = .integers(list) }
        else { throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a hyperparameter value") }
    }

    /// A coding key of any name (legacy layouts).
    package typealias LegacyKey = NamedKey
}

/// The values a hyperparameter may take: a closed set of kinds.
public enum ParameterDomain: Hashable, Sendable, CustomStringConvertible {
    /// An integer in the range.
    case integer(ClosedRange<Int>)
    /// A real number in the range (an integer is accepted and read as a real).
    case real(ClosedRange<Double>)
    /// One of these words.
    case choice([String])
    /// `true` or `false`.
    case boolean
    /// A list of `count` integers, each in `values`.
    case integerList(values: ClosedRange<Int>, count: ClosedRange<Int>)
    /// A built-in algorithm other than a hybrid, written as text: `als` or
    /// `als(factors=64, regularization=0.1)` (``Algorithm/init(text:)``); empty text for none
    /// when `optional`.
    case algorithm(optional: Bool)

    /// The domain in words, as the documentation table and error messages give it (`1…256`, `cg, cholesky`).
    public var description: String {
        switch self {
        case .integer(let r): return "integer " + HyperparameterLimits.describe(r)
        case .real(let r): return "real " + HyperparameterLimits.describe(r)
        case .choice(let words): return words.joined(separator: ", ")
        case .boolean: return "true, false"
        case let .integerList(values, count): return "\(HyperparameterLimits.describe(count)) integers \(HyperparameterLimits.describe(values))"
        case .algorithm(let optional): return "an algorithm, type(name=value, …)" + (optional ? ", or empty" : "")
        }
    }

    /// What a value of the domain is, for type errors ("an integer").
    public var expected: String {
        switch self {
        case .integer: return "an integer"
        case .real: return "a number"
        case .choice(let c): return "one of \(c.joined(separator: ", "))"
        case .boolean: return "true or false"
        case .integerList: return "an array of integers"
        case .algorithm: return "an algorithm as text, such as als(factors=64)"
        }
    }

    /// `value` in this domain's canonical kind (an integer for a real becomes a real).
    ///
    /// - Throws: ``ConfigurationError/wrongType(type:parameter:expected:found:)`` or
    ///   ``ConfigurationError/invalidHyperparameter(algorithm:parameter:value:allowed:)``.
    public func check(_ value: ParameterValue, type: String, parameter: String) throws(ConfigurationError) -> ParameterValue {
        func outside(_ shown: String, _ allowed: String) -> ConfigurationError {
            .invalidHyperparameter(algorithm: type, parameter: parameter, value: shown, allowed: allowed)
        }
        switch (self, value) {
        case (.integer(let r), .integer(let i)):
            guard r.contains(i) else { throw outside(String(i), HyperparameterLimits.describe(r)) }
            return value
        case (.real(let r), .integer(let i)):
            guard r.contains(Double(i)) else { throw outside(String(i), HyperparameterLimits.describe(r)) }
            return .double(Double(i))
        case (.real(let r), .double(let d)):
            guard r.contains(d) else { throw outside("\(d)", HyperparameterLimits.describe(r)) }   // NaN is in no range
            return value
        case (.choice(let words), .string(let s)):
            guard words.contains(s) else { throw outside("'\(s)'", words.joined(separator: ", ")) }
            return value
        case (.boolean, .boolean):
            return value
        case let (.integerList(values, count), .integers(list)):
            guard count.contains(list.count) else {
                throw outside("\(list.count) layers", HyperparameterLimits.describe(count) + " layers")
            }
            for item in list where !values.contains(item) { throw outside(String(item), HyperparameterLimits.describe(values)) }
            return value
        case (.algorithm(let optional), .string(let text)):
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                guard optional else { throw outside("''", "an algorithm") }
                return .string("")
            }
            let parsed: Algorithm
            do { parsed = try Algorithm(text: text) } catch {
                throw outside("'\(text)'", "an algorithm as type(name=value, …): \(error.description)")
            }
            guard parsed.typeName != HybridConfiguration.typeName else { throw outside("'\(text)'", "an algorithm other than a hybrid") }
            return .string(parsed.text)
        default:
            throw .wrongType(type: type, parameter: parameter, expected: expected, found: value.kindName)
        }
    }
}

extension ParameterDomain {
    /// Reads a value of this domain from text as a command line gives it (`64`, `0.01`, `bm25`,
    /// `true`, `600,200`); nil when the text is not of the domain's kind (ranges are checked by
    /// ``check(_:type:parameter:)``).
    public func parse(_ text: String) -> ParameterValue? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch self {
        case .integer: return Int(trimmed).map(ParameterValue.integer)
        case .real: return Double(trimmed).map(ParameterValue.double)
        case .choice, .algorithm: return .string(trimmed)
        case .boolean: return Bool(trimmed).map(ParameterValue.boolean)
        case .integerList:
            var list: [Int] = []
            for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
                guard let value = Int(part.trimmingCharacters(in: .whitespaces)) else { return nil }
                list.append(value)
            }
            return .integers(list)
        }
    }
}

extension Hyperparameter {
    /// Reads `name=value` for configuration type `type`, checking the name and the value's domain.
    ///
    /// - Throws: ``ConfigurationError`` naming the type and the parameter.
    public static func assignment<C: RecommenderConfiguration>(_ text: String, for type: C.Type) throws(ConfigurationError) -> (String, ParameterValue) {
        guard let equals = text.firstIndex(of: "=") else {
            throw .wrongType(type: C.typeName, parameter: text, expected: "given as name=value", found: "'\(text)'")
        }
        let name = text[..<equals].trimmingCharacters(in: .whitespaces), raw = String(text[text.index(after: equals)...])
        guard let parameter = C.hyperparameters.first(where: { $0.name == name }) else {
            throw .unknownParameter(type: C.typeName, parameter: name, known: C.hyperparameters.map(\.name))
        }
        guard let value = parameter.domain.parse(raw) else {
            throw .wrongType(type: C.typeName, parameter: name, expected: parameter.domain.expected, found: "'\(raw)'")
        }
        return (name, try parameter.domain.check(value, type: C.typeName, parameter: name))
    }
}

extension ParameterValue {
    /// What kind of value this is, for type errors ("a string").
    package var kindName: String {
        switch self {
        case .integer: return "an integer"
        case .double: return "a number"
        case .string: return "a string"
        case .boolean: return "a boolean"
        case .integers: return "an array of integers"
        }
    }
}

/// One hyperparameter of a configuration type: its name (as experiment files, `--param` and
/// records spell it), its domain and what it does. Its default is not stated here: it is the
/// value of `init()`'s configuration (``RecommenderConfiguration/defaultParameters``).
public struct Hyperparameter: Hashable, Sendable {
    /// The name: `factors`, `learning_rate`.
    public var name: String
    /// The values it may take.
    public var domain: ParameterDomain
    /// One line on what it does.
    public var summary: String

    /// Creates a description.
    public init(_ name: String, _ domain: ParameterDomain, _ summary: String) {
        self.name = name
        self.domain = domain
        self.summary = summary
    }
}

/// A configuration that could not be built or is out of its limits.
public enum ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No configuration type has this name.
    case unknownType(name: String, known: [String])
    /// The type has no parameter of this name.
    case unknownParameter(type: String, parameter: String, known: [String])
    /// The value is of the wrong kind (a string for an integer …).
    case wrongType(type: String, parameter: String, expected: String, found: String)
    /// A hyperparameter is outside its domain; `parameter` is spelled as in experiment files.
    case invalidHyperparameter(algorithm: String, parameter: String, value: String, allowed: String)

    public var description: String {
        switch self {
        case let .unknownType(name, known):
            return "'\(name)' is not an algorithm type (types: \(known.joined(separator: ", ")))"
        case let .unknownParameter(type, parameter, known):
            return "\(type) has no parameter '\(parameter)'" + (known.isEmpty ? " (it takes none)" : " (its parameters: \(known.joined(separator: ", ")))")
        case let .wrongType(type, parameter, expected, found):
            return "\(type): \(parameter) must be \(expected), not \(found)"
        case let .invalidHyperparameter(algorithm, parameter, value, allowed):
            return "\(algorithm): \(parameter) = \(value) is outside its allowed range (\(allowed))"
        }
    }
}

/// Reads checked parameters in a configuration's `init(parameters:)`: every name is known and
/// every value in its domain (checked at creation); absent names keep the caller's default.
public struct ParameterReader: Sendable {
    /// The checked values, in their domains' kinds.
    public let values: [String: ParameterValue]

    /// Checks `values` against `C`'s hyperparameters.
    ///
    /// - Throws: ``ConfigurationError`` naming `C.typeName` and the parameter.
    public init<C: RecommenderConfiguration>(_ values: [String: ParameterValue], for _: C.Type) throws(ConfigurationError) {
        var checked: [String: ParameterValue] = [:]
        let known = C.hyperparameters
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            guard let parameter = known.first(where: { $0.name == name }) else {
                throw .unknownParameter(type: C.typeName, parameter: name, known: known.map(\.name))
            }
            checked[name] = try parameter.domain.check(value, type: C.typeName, parameter: name)
        }
        self.values = checked
    }

    /// The integer `name`, or nil when absent.
    public func integer(_ name: String) -> Int? { if case .integer(let v)? = values[name] { return v }; return nil }
    /// The real `name`, or nil when absent.
    public func real(_ name: String) -> Double? { if case .double(let v)? = values[name] { return v }; return nil }
    /// The word `name`, or nil when absent.
    public func word(_ name: String) -> String? { if case .string(let v)? = values[name] { return v }; return nil }
    /// The boolean `name`, or nil when absent.
    public func boolean(_ name: String) -> Bool? { if case .boolean(let v)? = values[name] { return v }; return nil }
    /// The integer list `name`, or nil when absent.
    public func integers(_ name: String) -> [Int]? { if case .integers(let v)? = values[name] { return v }; return nil }
}
