import RecBenchCore
extension Algorithm {
    /// The hyperparameter table of the built-in types, in Markdown: type, parameter, domain,
    /// default (the value of `init()`) and summary. `recbench algorithms` prints it and
    /// docs/experiments.md contains it (a test keeps the two equal).
    ///
    /// - Complexity: O(types · parameters).
    public static func documentationTable() -> String {
        documentationTable(for: types)
    }

    /// The hyperparameter table of `types` (see ``documentationTable()``).
    public static func documentationTable(for types: [any RecommenderConfiguration.Type]) -> String {
        var lines = ["| type | parameter | domain | default | summary |", "|---|---|---|---|---|"]
        func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
        for type in types {
            let defaults = type.defaultParameters
            if type.hyperparameters.isEmpty { lines.append("| `\(type.typeName)` | — | | | no hyperparameters |") }
            for parameter in type.hyperparameters {
                let value = defaults[parameter.name].map { "`\(cell(Self.documented($0)))`" } ?? "unset"
                lines.append("| `\(type.typeName)` | `\(parameter.name)` | \(cell(parameter.domain.description)) | \(value) | \(cell(parameter.summary)) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A default as an experiment file writes it (`0.01`, `"bm25"`, `[600, 200]`).
    package static func documented(_ value: ParameterValue) -> String {
        switch value {
        case .integer(let i): return String(i)
        case .double(let d): return HyperparameterLimits.format(d)
        case .string(let s): return "\"\(s)\""
        case .boolean(let b): return String(b)
        case .integers(let list): return "[" + list.map(String.init).joined(separator: ", ") + "]"
        }
    }
}
