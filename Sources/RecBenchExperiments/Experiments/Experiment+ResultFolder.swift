import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation
/// Where an experiment's records go: here, in Experiments, so that Results does not depend on Experiments.
extension ResultStore {
    /// The default results folder of `experiment`: `root/<name>`.
    ///
    /// The name becomes one folder name, so it must not be able to name another place:
    /// `.`, `..`, hidden names (a leading `.`), a `/`, a NUL or control character, or more
    /// than 200 bytes are refused.
    ///
    /// - Throws: ``ExperimentError/invalidValue(file:key:reason:)`` naming `file` and the key `name`.
    public static func defaultFolder(for experiment: Experiment, under root: String = "results", file: String) throws(ExperimentError) -> String {
        let name = experiment.name
        let reason: String?
        if name.isEmpty { reason = "is empty" }
        else if name.hasPrefix(".") { reason = "starts with '.' (it would name \(name == "." || name == ".." ? "a folder outside" : "a hidden folder in") '\(root)')" }
        else if name.contains("/") || name.contains("\\") { reason = "contains a path separator" }
        else if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { reason = "contains a control character" }
        else if name.utf8.count > 200 { reason = "is longer than 200 bytes" }
        else { reason = nil }
        if let reason {
            throw .invalidValue(file: file, key: "name", reason: "the experiment name \(reason); it names the results folder, so use letters, digits, '-', '_' or '.' not at the start")
        }
        return root + "/" + name
    }
}
