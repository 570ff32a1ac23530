import Foundation
import RecBenchCore

/// The JSON of a split method: its rule's name under `type` and each parameter under its own
/// name, e.g. `{"type": "leave-one-out", "selection": "random", "minimum": 2}` or
/// `{"type": "temporal", "fraction": 0.2}` (see docs/splits.md).
///
/// Decoding goes through ``SplitMethod/init(name:parameters:)``, as text does. JSON written
/// before this layout (format-1/2 records: the compiler's layout, `{"leaveOneOut": {"minimum":
/// 2, "selection": "random"}}`, `{"temporalGlobal": {"_0": {"testFraction": {"_0": 0.2}}}}`)
/// still decodes, through ``LegacySplitMethod``.
extension SplitMethod: Codable {
    package typealias Key = NamedKey

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(name, forKey: Key("type"))
        for (name, value) in rule.parameterValues {
            switch value {
            case .integer(let integer): try container.encode(integer, forKey: Key(name))
            case .number(let number): try container.encode(number, forKey: Key(name))
            case .text(let text): try container.encode(text, forKey: Key(name))
            }
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        guard container.contains(Key("type")) else {
            self = try LegacySplitMethod(from: decoder).method
            return
        }
        let type = try container.decode(String.self, forKey: Key("type"))
        var parameters: [String: String] = [:]
        for key in container.allKeys where key.stringValue != "type" {
            if let integer = try? container.decode(Int.self, forKey: key) {
                parameters[key.stringValue] = String(integer)
            } else if let number = try? container.decode(Double.self, forKey: key) {
                parameters[key.stringValue] = String(number)
            } else {
                parameters[key.stringValue] = try container.decode(String.self, forKey: key)
            }
        }
        do {
            try self.init(name: type, parameters: parameters)
        } catch {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description,
                                                                    underlyingError: error))
        }
    }
}

/// The compiler-synthesised layout ``SplitMethod`` had before its JSON was made explicit,
/// kept to read old records and `split.json` files, and to write the experiment identities of
/// `RunRecord` exactly as before (they hash this layout; the results' own canonical ids replace it).
package enum LegacySplitMethod: Codable {
    case leaveOneOut(selection: HoldoutSelection, minimum: Int)
    case leaveKOut(k: Int, selection: HoldoutSelection, minimum: Int)
    case userHoldout(fraction: Double, minimum: Int)
    case globalRandom(fraction: Double)
    case temporalGlobal(TemporalCutoff)
    case temporalPerUser(PerUserAmount, minimum: Int)

    /// The old layout of `method`, or nil for a rule added since (it never had one).
    ///
    /// Written with `if case` rather than a switch, so that a new split adds nothing here.
    package init?(_ method: SplitMethod) {
        if case .leaveOneOut(let selection, let minimum) = method { self = .leaveOneOut(selection: selection, minimum: minimum); return }
        if case .leaveKOut(let k, let selection, let minimum) = method { self = .leaveKOut(k: k, selection: selection, minimum: minimum); return }
        if case .userHoldout(let fraction, let minimum) = method { self = .userHoldout(fraction: fraction, minimum: minimum); return }
        if case .globalRandom(let fraction) = method { self = .globalRandom(fraction: fraction); return }
        if case .temporalGlobal(let cutoff) = method { self = .temporalGlobal(cutoff); return }
        if case .temporalPerUser(let amount, let minimum) = method { self = .temporalPerUser(amount, minimum: minimum); return }
        return nil
    }

    package var method: SplitMethod {
        switch self {
        case .leaveOneOut(let selection, let minimum): return .leaveOneOut(selection: selection, minimum: minimum)
        case .leaveKOut(let k, let selection, let minimum): return .leaveKOut(k: k, selection: selection, minimum: minimum)
        case .userHoldout(let fraction, let minimum): return .userHoldout(fraction: fraction, minimum: minimum)
        case .globalRandom(let fraction): return .globalRandom(fraction: fraction)
        case .temporalGlobal(let cutoff): return .temporalGlobal(cutoff)
        case .temporalPerUser(let amount, let minimum): return .temporalPerUser(amount, minimum: minimum)
        }
    }
}

/// A split as experiment identities hash it: in the layout records had before format 3 for the
/// rules that existed then (so the identities of existing results do not change), in the
/// explicit JSON for rules added since.
package struct IdentitySplit: Encodable {
    /// The split.
    package let method: SplitMethod

    /// Wraps `method`.
    package init(_ method: SplitMethod) { self.method = method }

    package func encode(to encoder: any Encoder) throws {
        if let legacy = LegacySplitMethod(method) { try legacy.encode(to: encoder) } else { try method.encode(to: encoder) }
    }
}
