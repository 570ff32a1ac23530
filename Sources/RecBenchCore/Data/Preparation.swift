import Foundation

/// A transform of interaction values into confidences for implicit-feedback models.
public enum ConfidenceTransform: Codable, Hashable, Sendable {
    /// c = 1 + α·x (Hu, Koren and Volinsky 2008, eq. 4).
    case linear(alpha: Double)
    /// c = 1 + α·log(1 + x/ε) (Hu, Koren and Volinsky 2008, eq. 6).
    case logarithmic(alpha: Double, epsilon: Double)
    /// c = 1 for every stored interaction.
    case binarize

    package func apply(_ x: Float) -> Float {
        switch self {
        case .linear(let alpha): return Float(1 + alpha * Double(x))
        case .logarithmic(let alpha, let epsilon): return Float(1 + alpha * log1p(Double(x) / epsilon))
        case .binarize: return 1
        }
    }
}

/// One step of preparing a dataset; steps compose in the order given.
public enum PreparationStep: Codable, Hashable, Sendable {
    /// Drops interactions whose value is zero or negative, and users and items left empty.
    case dropNonPositive
    /// Keeps the k-core: repeatedly drops users with fewer than `user` interactions and items
    /// with fewer than `item` users until both minimums hold everywhere.
    case minimumInteractions(user: Int, item: Int)
    /// Replaces every value by its confidence.
    case confidence(ConfidenceTransform)
}

/// An ordered list of preparation steps.
public struct Preparation: Codable, Hashable, Sendable {
    /// The steps, applied first to last.
    public var steps: [PreparationStep]

    /// Creates a preparation from its steps.
    public init(_ steps: [PreparationStep] = [.dropNonPositive]) { self.steps = steps }

    /// Applies every step, appending a note per step to the dataset's report.
    ///
    /// A step that leaves no interaction at all is an error (``DatasetError/noInteractions(file:reason:)``,
    /// naming the dataset and the step), never an empty dataset; so is a confidence that is not finite.
    /// - Complexity: O(nnz) per step; a k-core takes one pass per round until stable.
    public func apply(to dataset: Dataset) throws(DatasetError) -> Dataset {
        var result = dataset
        for step in steps {
            let start = (users: result.userCount, items: result.itemCount, interactions: result.interactionCount)
            switch step {
            case .dropNonPositive:
                let values = result.interactions.values
                let before = result.interactionCount
                if !values.allSatisfy({ $0 > 0 }) { result = result.keeping { values[$0] > 0 } }
                let dropped = before - result.interactionCount
                result.report.notes.append("dropped \(dropped) interaction(s) with a zero or negative value")
            case .minimumInteractions(let user, let item):
                guard user >= 0, item >= 0 else { throw .invalidPreparation(reason: "minimum interactions must be >= 0, got user \(user), item \(item)") }
                let before = (result.userCount, result.itemCount, result.interactionCount)
                var rounds = 0
                while true {
                    let rowLengths = result.interactions.rowLengths
                    let columnLengths = result.interactions.columnLengths
                    if rowLengths.allSatisfy({ $0 == 0 || $0 >= user }) && columnLengths.allSatisfy({ $0 == 0 || $0 >= item }) { break }
                    rounds += 1
                    var owner = [Int](repeating: 0, count: result.interactionCount)
                    for u in 0..<result.userCount { for k in result.interactions.range(ofRow: u) { owner[k] = u } }
                    let columns = result.interactions.columns
                    result = result.keeping { rowLengths[owner[$0]] >= user && columnLengths[Int(columns[$0])] >= item }
                }
                result.report.notes.append(
                    "\(user)-user/\(item)-item core in \(rounds) round(s): users \(before.0) -> \(result.userCount), "
                    + "items \(before.1) -> \(result.itemCount), interactions \(before.2) -> \(result.interactionCount)")
            case .confidence(let transform):
                let original = result.interactions.values
                result.interactions.values = original.map(transform.apply)
                if let bad = result.interactions.values.firstIndex(where: { !$0.isFinite }) {
                    throw .invalidPreparation(reason: "the confidence \(transform) of the value \(original[bad]) is not a finite number")
                }
                result.report.notes.append("values replaced by confidence \(transform)")
            }
            if result.interactionCount == 0 {
                throw .noInteractions(file: dataset.name, reason: "the preparation step \(step) removed every interaction "
                                      + "(users \(start.users), items \(start.items), interactions \(start.interactions) before it)")
            }
        }
        return result
    }
}

extension Dataset {
    /// The dataset restricted to the entries for which `keep(position)` holds, with users and
    /// items that are left without entries removed and the rest renumbered in order.
    ///
    /// - Complexity: O(nnz + users + items).
    public func keeping(_ keep: (Int) -> Bool) -> Dataset {
        var kept: [Int] = []
        kept.reserveCapacity(interactionCount)
        var userUsed = [Bool](repeating: false, count: userCount)
        var itemUsed = [Bool](repeating: false, count: itemCount)
        for u in 0..<userCount {
            for k in interactions.range(ofRow: u) where keep(k) {
                kept.append(k)
                userUsed[u] = true
                itemUsed[Int(interactions.columns[k])] = true
            }
        }
        var itemMap = [Int32](repeating: -1, count: itemCount)
        var nextItem: Int32 = 0
        for i in 0..<itemCount where itemUsed[i] { itemMap[i] = nextItem; nextItem += 1 }
        var offsets = [0]
        var columns = [Int32](); columns.reserveCapacity(kept.count)
        var values = [Float](); values.reserveCapacity(kept.count)
        var cursor = 0
        for u in 0..<userCount where userUsed[u] {
            let row = interactions.range(ofRow: u)
            while cursor < kept.count && kept[cursor] < row.upperBound {
                columns.append(itemMap[Int(interactions.columns[kept[cursor]])])
                values.append(interactions.values[kept[cursor]])
                cursor += 1
            }
            offsets.append(columns.count)
        }
        let userPositions = (0..<userCount).filter { userUsed[$0] }
        let itemPositions = (0..<itemCount).filter { itemUsed[$0] }
        let matrix = InteractionMatrix(rowCount: userPositions.count, columnCount: itemPositions.count,
                                       rowOffsets: offsets, columns: columns, values: values)
        return Dataset(name: name, users: users.subset(userPositions), items: items.subset(itemPositions),
                       interactions: matrix, times: times?.gathering(kept), report: report,
                       itemFeatures: itemFeatures?.subset(itemPositions))
    }
}

extension Vocabulary {
    /// The vocabulary of the ids at `positions`, in that order.
    package func subset(_ positions: [Int]) -> Vocabulary {
        let subsetNames = names.map { names in positions.map { names[$0] } }
        switch rawIDs {
        case .integers(let ids): return Vocabulary(integers: positions.map { ids[$0] }, names: subsetNames)
        case .bytes(let ids): return Vocabulary(bytes: ids.subset(positions), names: subsetNames)
        }
    }
}
