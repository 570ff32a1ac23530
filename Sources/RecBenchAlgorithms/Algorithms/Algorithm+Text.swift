import RecBenchCore
/// An algorithm written as one line of text, for parameters whose value is an algorithm (a
/// hybrid's parts): `als`, or `als(factors=64, regularization=0.1)`.
extension Algorithm {
    /// Reads `type` or `type(name=value, name=value, …)`; a parameter left out keeps its
    /// default. Values are read as the command line's `--param` reads them; an integer list
    /// keeps its commas (`mult-vae(hidden=600,200)`): a piece without `=` continues the
    /// previous value.
    ///
    /// - Throws: ``ConfigurationError`` for an unknown type or parameter, or a value outside
    ///   its domain.
    public init(text: String) throws(ConfigurationError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let open = trimmed.firstIndex(of: "(") else {
            self = try Algorithm(type: trimmed)
            return
        }
        let type = trimmed[..<open].trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix(")") else {
            throw .wrongType(type: type, parameter: "(…)", expected: "parameters closed by ')'", found: "'\(trimmed)'")
        }
        let inner = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
        var assignments: [String] = []
        for piece in inner.split(separator: ",", omittingEmptySubsequences: false) {
            let text = piece.trimmingCharacters(in: .whitespaces)
            if text.contains("=") || assignments.isEmpty { assignments.append(text) } else { assignments[assignments.count - 1] += "," + text }
        }
        let configurationType = try Self.type(named: type)
        var parameters: [String: ParameterValue] = [:]
        for assignment in assignments where !assignment.isEmpty {
            let (name, value) = try configurationType.assignment(assignment)
            parameters[name] = value
        }
        self = try configurationType.init(parameters: parameters).algorithm
    }

    /// The canonical text of the algorithm, which ``init(text:)`` reads back to the same value:
    /// the type, and its parameters that differ from the defaults in name order
    /// (`als(factors=32,regularization=0.1)`).
    public var text: String {
        let changed = nonDefaultParameters.sorted { $0.key < $1.key }
        guard !changed.isEmpty else { return typeName }
        return typeName + "(" + changed.map { name, value in
            switch value {
            case .integers(let list): return "\(name)=" + list.map(String.init).joined(separator: ",")
            case .double(let d): return "\(name)=\(d)"
            default: return "\(name)=\(value)"
            }
        }.joined(separator: ",") + ")"
    }
}

extension RecommenderConfiguration {
    /// Reads `name=value` for this type (``Hyperparameter/assignment(_:for:)``).
    fileprivate static func assignment(_ text: String) throws(ConfigurationError) -> (String, ParameterValue) {
        try Hyperparameter.assignment(text, for: Self.self)
    }
}
