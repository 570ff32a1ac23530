import Foundation
import TOMLKit
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation

/// A value read from an experiment file, with the key path that led to it (for error messages).
public indirect enum ConfigValue: Sendable, Equatable {
    case table([String: ConfigValue])
    case array([ConfigValue])
    case string(String)
    case integer(Int)
    case double(Double)
    case bool(Bool)
    /// A TOML date, time or date-time (no key takes one), as written.
    case dateTime(String)

    /// The kind's name, as error messages give it.
    package var kind: String {
        switch self {
        case .table: return "a table"
        case .array: return "an array"
        case .string: return "a string"
        case .integer: return "an integer"
        case .double: return "a number"
        case .bool: return "a boolean"
        case .dateTime: return "a date or time"
        }
    }

    /// Parses TOML text.
    ///
    /// - Throws: ``ExperimentError/syntax(file:line:column:reason:)`` with the parser's position.
    package static func parseTOML(_ text: String, file: String) throws(ExperimentError) -> ConfigValue {
        let table: TOMLTable
        try TOMLHeaderCheck.check(text, file: file)
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw .syntax(file: file, line: error.source.begin.line, column: error.source.begin.column, reason: error.description)
        } catch {
            throw .syntax(file: file, line: 0, column: 0, reason: "\(error)")
        }
        return convert(table)
    }

    private static func convert(_ value: any TOMLValueConvertible) -> ConfigValue {
        switch value.type {
        case .table:
            let table = value.table!
            var out: [String: ConfigValue] = [:]
            for key in table.keys { if let child = table[key] { out[key] = convert(child) } }
            return .table(out)
        case .array: return .array(value.array!.map { convert($0) })
        case .string: return .string(value.string!)
        case .int: return .integer(value.int!)
        case .double: return .double(value.double!)
        case .bool: return .bool(value.bool!)
        default: return .dateTime(value.debugDescription)   // date, time, date-time: never read as a string
        }
    }
}

/// What is wrong with an experiment file: each case names the file and the key.
public enum ExperimentError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is not valid TOML.
    case syntax(file: String, line: Int, column: Int, reason: String)
    /// A key the format does not know.
    case unknownKey(file: String, key: String, known: [String])
    /// A required key is absent.
    case missingKey(file: String, key: String)
    /// A value of the wrong type.
    case wrongType(file: String, key: String, expected: String, found: String)
    /// A value outside its allowed range or set.
    case invalidValue(file: String, key: String, reason: String)
    /// The file could not be read.
    case unreadable(file: String, reason: String)

    public var description: String {
        switch self {
        case let .syntax(file, line, column, reason): return "\(file):\(line):\(column): \(reason)"
        case let .unknownKey(file, key, known):
            return "\(file): unknown key '\(key)'" + (known.isEmpty ? "" : " (known here: \(known.sorted().joined(separator: ", ")))")
        case let .missingKey(file, key): return "\(file): missing key '\(key)'"
        case let .wrongType(file, key, expected, found): return "\(file): '\(key)' must be \(expected), not \(found)"
        case let .invalidValue(file, key, reason): return "\(file): '\(key)': \(reason)"
        case let .unreadable(file, reason): return "\(file): cannot read (\(reason))"
        }
    }
}

/// Reads one table of an experiment file, checking types and rejecting unknown keys.
package struct TableReader {
    package let file: String
    package let path: String
    package let entries: [String: ConfigValue]
    package private(set) var used: Set<String> = []

    package init(_ value: ConfigValue?, file: String, path: String) throws(ExperimentError) {
        self.file = file
        self.path = path
        switch value {
        case .none: entries = [:]
        case .table(let entries)?: self.entries = entries
        case .some(let other): throw .wrongType(file: file, key: path, expected: "a table", found: other.kind)
        }
    }

    /// The full key path of `key`.
    package func keyPath(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// The raw value of `key`, marking it as known.
    package mutating func raw(_ key: String) -> ConfigValue? {
        used.insert(key)
        return entries[key]
    }

    package mutating func string(_ key: String) throws(ExperimentError) -> String? {
        switch raw(key) {
        case .none: return nil
        case .string(let s)?: return s
        case .some(let other): throw .wrongType(file: file, key: keyPath(key), expected: "a string", found: other.kind)
        }
    }

    package mutating func integer(_ key: String, in range: ClosedRange<Int> = Int.min...Int.max) throws(ExperimentError) -> Int? {
        switch raw(key) {
        case .none: return nil
        case .integer(let i)?:
            guard range.contains(i) else { throw .invalidValue(file: file, key: keyPath(key), reason: "\(i) is outside \(range.lowerBound)…\(range.upperBound)") }
            return i
        case .some(let other): throw .wrongType(file: file, key: keyPath(key), expected: "an integer", found: other.kind)
        }
    }

    /// An integer, which may also be written as a whole number (`16.0`), within `range`.
    package mutating func wholeNumber(_ key: String, in range: ClosedRange<Int>) throws(ExperimentError) -> Int? {
        let value: Int
        switch raw(key) {
        case .none: return nil
        case .integer(let i)?: value = i
        case .double(let d)?:
            guard let i = Int(exactly: d) else { throw .invalidValue(file: file, key: keyPath(key), reason: "\(d) is not a whole number") }
            value = i
        case .some(let other): throw .wrongType(file: file, key: keyPath(key), expected: "an integer", found: other.kind)
        }
        guard range.contains(value) else {
            throw .invalidValue(file: file, key: keyPath(key), reason: "\(value) is outside \(HyperparameterLimits.describe(range))")
        }
        return value
    }

    package mutating func double(_ key: String, in range: ClosedRange<Double> = -Double.infinity...Double.infinity) throws(ExperimentError) -> Double? {
        let value: Double
        switch raw(key) {
        case .none: return nil
        case .integer(let i)?: value = Double(i)
        case .double(let d)?: value = d
        case .some(let other): throw .wrongType(file: file, key: keyPath(key), expected: "a number", found: other.kind)
        }
        guard range.contains(value) else { throw .invalidValue(file: file, key: keyPath(key), reason: "\(value) is outside \(range.lowerBound)…\(range.upperBound)") }
        return value
    }

    package mutating func bool(_ key: String) throws(ExperimentError) -> Bool? {
        switch raw(key) {
        case .none: return nil
        case .bool(let b)?: return b
        case .some(let other): throw .wrongType(file: file, key: keyPath(key), expected: "true or false", found: other.kind)
        }
    }

    /// A string that must be one of `choices`.
    package mutating func choice(_ key: String, _ choices: [String]) throws(ExperimentError) -> String? {
        guard let value = try string(key) else { return nil }
        guard choices.contains(value) else {
            throw .invalidValue(file: file, key: keyPath(key), reason: "'\(value)' is not one of \(choices.joined(separator: ", "))")
        }
        return value
    }

    package mutating func array(_ key: String) throws(ExperimentError) -> [ConfigValue]? {
        switch raw(key) {
        case .none: return nil
        case .array(let a)?: return a
        case .some(let other): throw .wrongType(file: file, key: keyPath(key), expected: "an array", found: other.kind)
        }
    }

    package mutating func required<T>(_ key: String, _ read: (inout TableReader, String) throws(ExperimentError) -> T?) throws(ExperimentError) -> T {
        guard let value = try read(&self, key) else { throw .missingKey(file: file, key: keyPath(key)) }
        return value
    }

    /// Throws on the first key that was never asked for.
    package func rejectUnknownKeys() throws(ExperimentError) {
        if let unknown = entries.keys.sorted().first(where: { !used.contains($0) }) {
            throw .unknownKey(file: file, key: keyPath(unknown), known: Array(used))
        }
    }
}
