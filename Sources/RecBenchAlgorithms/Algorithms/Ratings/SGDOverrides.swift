import RecBenchCore

/// Surprise's per-parameter SGD steps and penalties (`lr_bu`, `lr_bi`, …, `reg_qi`, and SVD++'s
/// `lr_yj`, `reg_yj`): each one left unset takes the common `learning_rate` or `regularization`.
/// SVD and SVD++ share it: the declaration, reading, parameters and label of the overrides.
public struct SGDOverrides: Codable, Hashable, Sendable {
    /// The overrides that are set, by name.
    public var values: [String: Double]

    /// No override: every step and penalty is the common one.
    public init(_ values: [String: Double] = [:]) { self.values = values }

    /// The hyperparameters of the overrides `names`, in that order.
    static func hyperparameters(_ names: [String]) -> [Hyperparameter] {
        names.map { name in
            name.hasPrefix("lr")
                ? Hyperparameter(name, .real(HyperparameterLimits.ratingLearningRate), "The step of \(ratingOverrideSymbol(name)) alone (unset: learning_rate).")
                : Hyperparameter(name, .real(HyperparameterLimits.ratingRegularization), "The penalty of \(ratingOverrideSymbol(name)) alone (unset: regularization).")
        }
    }

    /// The overrides among `names` that `parameters` sets.
    static func read(_ parameters: ParameterReader, _ names: [String]) -> SGDOverrides {
        SGDOverrides(Dictionary(uniqueKeysWithValues: names.compactMap { name in parameters.real(name).map { (name, $0) } }))
    }

    /// The step or penalty `name`, or `common` where it is unset.
    func value(_ name: String, or common: Double) -> Double { values[name] ?? common }

    /// The set overrides as parameter values.
    var parameters: [String: ParameterValue] { values.mapValues { .double($0) } }

    /// `, lr_bu=0.01, …` for the set overrides among `names`, in that order (empty when none is set).
    func label(_ names: [String]) -> String {
        let set = names.compactMap { name in values[name].map { "\(name)=\($0)" } }
        return set.isEmpty ? "" : ", " + set.joined(separator: ", ")
    }

    /// The steps and penalties of biases and factors, the common ones where unset.
    func rates(learningRate: Double, regularization: Double) -> SGDRates {
        SGDRates(bu: value("lr_bu", or: learningRate), bi: value("lr_bi", or: learningRate),
                 pu: value("lr_pu", or: learningRate), qi: value("lr_qi", or: learningRate),
                 regBu: value("reg_bu", or: regularization), regBi: value("reg_bi", or: regularization),
                 regPu: value("reg_pu", or: regularization), regQi: value("reg_qi", or: regularization))
    }
}
