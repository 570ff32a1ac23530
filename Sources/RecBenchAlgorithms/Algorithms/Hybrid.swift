import RecBenchCore
/// A hybrid of two to four recommenders: a weighted sum of their per-user normalised scores,
/// with an optional switching rule for items and users with little training data (Burke,
/// "Hybrid Recommender Systems: Survey and Experiments", UMUAI 2002: the weighted and switching
/// hybrids).
///
/// Each part is any built-in algorithm but a hybrid, written as text
/// (`als(factors=64,regularization=0.1)`); every part is fitted on the same training data with
/// the hybrid's seed, so a part is the same model it would be alone. For each user, each part's
/// scores are normalised by min–max over the items it can score that are not the user's known
/// (training or fold-in) items, `n = (s − min) / (max − min)` (0 when max = min), and
///
///     score = weight · n₁ + (1 − weight) · n₂ + weight3 · n₃ + weight4 · n₄.
///
/// A part with no information on items without training interactions (a collaborative model,
/// ``TrainedModel/scoresNewItems`` false) adds 0 for them and leaves them out of its min and
/// max. Parts of weight 0 are not fitted (unless the switching rule needs them), and when a
/// single part has a non-zero weight and no switching is asked, the hybrid's scores are that
/// part's raw scores: weight 1 or 0 gives its parts exactly. Switching: items with fewer than
/// `switch_items` training interactions, and every item for users with fewer than
/// `switch_users` known items, take the normalised score of the first part that scores new
/// items (a content model) instead of the sum.
public struct HybridConfiguration: BuiltInConfiguration {
    /// The parts, two to four, none a hybrid.
    public var parts: [Algorithm]
    /// The weight of the first part; the second gets 1 − weight.
    public var weight: Double
    /// The weights of the third and fourth parts (0 when absent).
    public var weight3: Double
    public var weight4: Double
    /// Items with fewer training interactions are scored by the content part alone (0: off).
    public var switchItems: Int
    /// Users with fewer known items are scored by the content part alone (0: off).
    public var switchUsers: Int

    /// Creates the configuration.
    public init(parts: [Algorithm], weight: Double = 0.5, weight3: Double = 0, weight4: Double = 0,
                switchItems: Int = 0, switchUsers: Int = 0) {
        self.parts = parts
        self.weight = weight
        self.weight3 = weight3
        self.weight4 = weight4
        self.switchItems = switchItems
        self.switchUsers = switchUsers
    }

    /// ALS and content k-NN in equal shares.
    public init() { self.init(parts: [Self.defaultFirst, Self.defaultSecond]) }

    static let defaultFirst = Algorithm.als(ALSConfiguration())
    static let defaultSecond = Algorithm.contentKNN(ContentKNNConfiguration())

    public static let typeName = "hybrid"

    public static let hyperparameters = [
        Hyperparameter("part1", .algorithm(optional: false), "The first part, as type(name=value, …)."),
        Hyperparameter("part2", .algorithm(optional: false), "The second part."),
        Hyperparameter("part3", .algorithm(optional: true), "An optional third part (empty: none)."),
        Hyperparameter("part4", .algorithm(optional: true), "An optional fourth part (empty: none)."),
        Hyperparameter("weight", .real(0...1), "The first part's weight; the second gets 1 − weight."),
        Hyperparameter("weight3", .real(0...1000), "The third part's weight."),
        Hyperparameter("weight4", .real(0...1000), "The fourth part's weight."),
        Hyperparameter("switch_items", .integer(0...1_000_000), "Items with fewer training interactions are scored by the content part alone (0: off)."),
        Hyperparameter("switch_users", .integer(0...1_000_000), "Users with fewer known items are scored by the content part alone (0: off)."),
    ]

    public init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, for: Self.self)
        self.init()
        func part(_ name: String) throws(ConfigurationError) -> Algorithm? {
            guard let text = p.word(name), !text.isEmpty else { return nil }
            return try Algorithm(text: text)   // the domain checked the text
        }
        var parts = [try part("part1") ?? Self.defaultFirst, try part("part2") ?? Self.defaultSecond]
        let third = try part("part3"), fourth = try part("part4")
        if let third { parts.append(third) }
        if let fourth {
            guard third != nil else {
                throw .invalidHyperparameter(algorithm: Self.typeName, parameter: "part4", value: "'\(fourth.text)'",
                                             allowed: "a fourth part after a third (give part3 first)")
            }
            parts.append(fourth)
        }
        self.parts = parts
        if let v = p.real("weight") { weight = v }
        if let v = p.real("weight3") { weight3 = v }
        if let v = p.real("weight4") { weight4 = v }
        if let v = p.integer("switch_items") { switchItems = v }
        if let v = p.integer("switch_users") { switchUsers = v }
        try validate()
    }

    public var parameters: [String: ParameterValue] {
        [
            "part1": .string(parts[0].text), "part2": .string(parts[1].text),
            "part3": .string(parts.count > 2 ? parts[2].text : ""), "part4": .string(parts.count > 3 ? parts[3].text : ""),
            "weight": .double(weight), "weight3": .double(weight3), "weight4": .double(weight4),
            "switch_items": .integer(switchItems), "switch_users": .integer(switchUsers),
        ]
    }

    /// Checks the domains, then that each weight belongs to a part and a part is not a hybrid.
    public func validate() throws(ConfigurationError) {
        _ = try ParameterReader(parameters, for: Self.self)
        guard (2...4).contains(parts.count) else {
            throw .invalidHyperparameter(algorithm: Self.typeName, parameter: "parts", value: String(parts.count), allowed: "2 to 4 parts")
        }
        for (index, part) in parts.enumerated() where part.typeName == Self.typeName {
            throw .invalidHyperparameter(algorithm: Self.typeName, parameter: "part\(index + 1)", value: part.text, allowed: "an algorithm other than a hybrid")
        }
        if parts.count < 3 && weight3 != 0 {
            throw .invalidHyperparameter(algorithm: Self.typeName, parameter: "weight3", value: "\(weight3)", allowed: "0 without a third part")
        }
        if parts.count < 4 && weight4 != 0 {
            throw .invalidHyperparameter(algorithm: Self.typeName, parameter: "weight4", value: "\(weight4)", allowed: "0 without a fourth part")
        }
    }

    /// Whether every part it fits folds in a new user (each weighted part, and the content part
    /// when switching).
    public var foldsInUsers: Bool {
        let weights = weights
        return zip(parts, weights).allSatisfy { part, weight in weight == 0 && switchItems == 0 && switchUsers == 0 || part.configuration.foldsInUsers }
    }

    /// Each part's weight, in part order.
    public var weights: [Double] { Array([weight, 1 - weight, weight3, weight4].prefix(parts.count)) }

    public var algorithm: Algorithm { .hybrid(self) }

    public var label: String {
        var terms = zip(weights, parts).filter { $0.0 > 0 }.map { "\(String(format: "%.3g", $0.0))·\($0.1.label)" }
        if terms.isEmpty { terms = ["0"] }
        var switching: [String] = []
        if switchItems > 0 { switching.append("items<\(switchItems)") }
        if switchUsers > 0 { switching.append("users<\(switchUsers)") }
        return "Hybrid(" + terms.joined(separator: " + ") + (switching.isEmpty ? "" : "; switch " + switching.joined(separator: ", ")) + ")"
    }

    /// Fits every part that has a weight (and the switching part) on `train` with `seed`.
    ///
    /// - Throws: ``ConfigurationError/invalidHyperparameter(algorithm:parameter:value:allowed:)``
    ///   when switching is asked and no part scores new items, or what a part's fit throws.
    /// - Complexity: the sum of the parts' fits.
    public func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> HybridModel {
        try validate()
        let weights = weights
        var fitted: [(index: Int, model: any TrainedModel)] = []
        for (index, part) in parts.enumerated() where weights[index] > 0 {
            fitted.append((index, try part.fit(train, seed: seed, threads: threads)))
        }
        var switchModel: (any TrainedModel)?
        var switchPart: Int?
        if switchItems > 0 || switchUsers > 0 {
            if let weighted = fitted.firstIndex(where: { $0.model.scoresNewItems }) {
                switchModel = fitted[weighted].model
                switchPart = weighted
            } else {
                for (index, part) in parts.enumerated() where weights[index] == 0 {
                    let model = try part.fit(train, seed: seed, threads: threads)
                    if model.scoresNewItems { switchModel = model; break }
                }
            }
            guard switchModel != nil else {
                throw ConfigurationError.invalidHyperparameter(
                    algorithm: Self.typeName, parameter: switchItems > 0 ? "switch_items" : "switch_users",
                    value: String(max(switchItems, switchUsers)), allowed: "0 unless a part scores new items (content-knn, lightfm)")
            }
        }
        return HybridModel(parts: fitted.map(\.model), weights: fitted.map { weights[$0.index] }, switchModel: switchModel,
                           switchItems: switchItems, switchUsers: switchUsers, train: train.interactions, switchPart: switchPart)
    }
}

/// A fitted ``HybridConfiguration``: its fitted parts and how their scores are combined.
public struct HybridModel: FoldInModel {
    /// The fitted parts of non-zero weight, in part order.
    public let parts: [any TrainedModel]
    /// Their weights.
    public let weights: [Double]
    /// The part that scores switched items and users (nil: no switching).
    public let switchModel: (any TrainedModel)?
    /// Items with fewer training interactions are switched (0: off).
    public let switchItems: Int
    /// Users with fewer known items are switched (0: off).
    public let switchUsers: Int
    /// The training interactions: each user's known items and each item's count.
    public let train: InteractionMatrix
    /// Training interactions per item.
    public let itemInteractions: [Int]
    public let itemCount: Int
    /// The position in ``parts`` of ``switchModel`` when it is one of the weighted parts, whose
    /// normalised scores are then reused instead of scoring it again (nil: it is not).
    public let switchPart: Int?

    /// Creates the model.
    ///
    /// - Parameter switchPart: the position in `parts` of `switchModel` when it is that part.
    public init(parts: [any TrainedModel], weights: [Double], switchModel: (any TrainedModel)?, switchItems: Int, switchUsers: Int,
                train: InteractionMatrix, switchPart: Int? = nil) {
        precondition(switchPart.map { switchModel != nil && parts.indices.contains($0) } ?? true, "the switching part is one of the parts")
        self.switchPart = switchPart
        self.parts = parts
        self.weights = weights
        self.switchModel = switchModel
        self.switchItems = switchItems
        self.switchUsers = switchUsers
        self.train = train
        self.itemInteractions = train.columnLengths
        self.itemCount = train.columnCount
    }

    public var scoresNewItems: Bool { parts.contains { $0.scoresNewItems } || switchModel?.scoresNewItems == true }

    public var canFoldIn: Bool {
        parts.allSatisfy { ($0 as? any FoldInModel)?.canFoldIn == true }
            && (switchModel.map { ($0 as? any FoldInModel)?.canFoldIn == true } ?? true)
    }

    public func scores(for users: UserBatch, into scores: inout ScoreRows) {
        combine(users, known: train, into: &scores) { model, rows in model.scores(for: users, into: &rows) }
    }

    public func foldInScores(for users: UserBatch, histories: InteractionMatrix, into scores: inout ScoreRows) {
        combine(users, known: histories, into: &scores) { model, rows in
            // canFoldIn is checked before a fold-in evaluation; a part that cannot fold in scores nothing.
            if let foldIn = model as? any FoldInModel { foldIn.foldInScores(for: users, histories: histories, into: &rows) } else {
                for row in 0..<rows.rowCount { rows[row: row].update(repeating: 0) }
            }
        }
    }

    /// Fills `scores` with the combination of the parts' scores, each normalised per user over
    /// the items it can score that are not in the user's row of `known`.
    private func combine(_ users: UserBatch, known: InteractionMatrix, into scores: inout ScoreRows,
                         partScores: (any TrainedModel, inout ScoreRows) -> Void) {
        if parts.count == 1 && switchModel == nil {
            partScores(parts[0], &scores)   // one weighted part: its own scores, exactly
            return
        }
        let n = users.count, items = itemCount
        for row in 0..<n { scores[row: row].update(repeating: 0) }
        var buffer = [Float](repeating: 0, count: n * items)
        var switched = [Float]()
        buffer.withUnsafeMutableBufferPointer { raw in
            var rows = ScoreRows(raw, rows: n, itemCount: items)
            for (index, (part, weight)) in zip(parts, weights).enumerated() {
                partScores(part, &rows)
                normalise(&rows, users: users, known: known, allItems: part.scoresNewItems)
                for row in 0..<n {
                    let out = scores[row: row], source = rows[row: row]
                    for item in 0..<items { out[item] += Float(weight) * source[item] }
                }
                if index == switchPart { switched = Array(raw) }   // the switching part's normalised scores, kept
            }
            guard let switchModel, switchPart == nil else { return }
            partScores(switchModel, &rows)
            normalise(&rows, users: users, known: known, allItems: switchModel.scoresNewItems)
            switched = Array(raw)
        }
        guard switchModel != nil else { return }
        for (row, user) in users.enumerated() {
            let out = scores[row: row]
            let knownCount = user.int < known.rowCount ? known.range(ofRow: user.int).count : 0
            let base = row * items
            if knownCount < switchUsers {
                for item in 0..<items { out[item] = switched[base + item] }
            } else if switchItems > 0 {
                for item in 0..<items where itemInteractions[item] < switchItems { out[item] = switched[base + item] }
            }
        }
    }

    /// Min–max normalises each row over the items that are not the user's known items and that
    /// the part can score (every item when `allItems`, else those with training interactions);
    /// every other item, and every item of a row whose scores are all equal, gets 0.
    private func normalise(_ rows: inout ScoreRows, users: UserBatch, known: InteractionMatrix, allItems: Bool) {
        for (row, user) in users.enumerated() {
            let scores = rows[row: row]
            if user.int < known.rowCount {
                for position in known.range(ofRow: user.int) { scores[Int(known.columns[position])] = .nan }
            }
            var low = Float.infinity, high = -Float.infinity
            for item in 0..<itemCount where (allItems || itemInteractions[item] > 0) && scores[item].isFinite {
                low = min(low, scores[item])
                high = max(high, scores[item])
            }
            let range = Double(high) - Double(low)
            for item in 0..<itemCount {
                let s = scores[item]
                if range > 0, s.isFinite, allItems || itemInteractions[item] > 0 {
                    scores[item] = Float((Double(s) - Double(low)) / range)
                } else {
                    scores[item] = 0
                }
            }
        }
    }
}
