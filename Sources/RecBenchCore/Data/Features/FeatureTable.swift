/// A generic item-feature file: one `item<TAB>feature[<TAB>weight]` per line, UTF-8.
///
/// The weight is optional (default 1). A feature written `name=value` whose value is a finite
/// number is the numeric feature `name` with weight `value` (`track7<TAB>tempo=121.5`); a
/// `name=value` whose value is not a number is the categorical feature `name=value`, weight 1
/// (`track7<TAB>artist=Queen`). Blank lines and lines starting with `#` are skipped. A repeated
/// (item, feature) pair sums its weights; a weight of 0 stores nothing.
public enum FeatureTable {
    /// Loads the features of the items in `items` from `file`.
    ///
    /// - Parameters:
    ///   - file: the table.
    ///   - items: the dataset's items; a line's item is matched by its exact bytes.
    /// - Returns: items × features; notes count the lines read, those whose item is not in the
    ///   dataset, and the items without a feature.
    /// - Throws: ``DatasetError`` for a missing file; ``DatasetError/malformedLine(file:line:reason:)``
    ///   for a line without 2 or 3 fields, an empty item or feature, a weight that is not a finite
    ///   number, or a numeric `name=value` feature that also has a weight field.
    /// - Complexity: O(n log n) for n lines.
    public static func load(file: String, items: Vocabulary) throws(DatasetError) -> ItemFeatures {
        var entries: [(item: Int, feature: String, weight: Float)] = []
        var rows = 0, outside = 0
        var fields: [Range<Int>] = []
        try LineReader(path: file).forEachLine { (line, number) throws(DatasetError) in
            if FieldParsing.isBlank(line) || line[0] == 0x23 { return }
            _ = FieldParsing.split(line, delimiter: 0x09, quotes: false, into: &fields)
            guard fields.count == 2 || fields.count == 3 else {
                throw .malformedLine(file: file, line: number, reason: "expected item<TAB>feature or item<TAB>feature<TAB>weight, found \(fields.count) tab-separated field(s)")
            }
            guard !fields[0].isEmpty, !fields[1].isEmpty else {
                throw .malformedLine(file: file, line: number, reason: "the \(fields[0].isEmpty ? "item" : "feature") is empty")
            }
            var weight: Float = 1
            if fields.count == 3 {
                weight = try Self.weight(line.slice(fields[2]), file: file, line: number)
            }
            let featureBytes = line.slice(fields[1])
            var name = TextEncoding.utf8.decode(featureBytes)
            if let equals = featureBytes.firstIndex(of: 0x3D), equals > 0,
               let value = FieldParsing.parseDouble(featureBytes.slice((equals + 1)..<featureBytes.count)) {
                guard fields.count == 2 else {
                    throw .malformedLine(file: file, line: number,
                                         reason: "the numeric feature \(FieldParsing.quote(featureBytes)) has a weight field too; give its value once")
                }
                guard value.isFinite, Float(value).isFinite else {
                    throw .malformedLine(file: file, line: number, reason: "the value of \(FieldParsing.quote(featureBytes)) is not a finite number")
                }
                name = TextEncoding.utf8.decode(featureBytes.slice(0..<equals))
                weight = Float(value)
            }
            rows += 1
            guard let item = items.position(ofBytes: line.slice(fields[0])) else { outside += 1; return }
            entries.append((item, name, weight))
        }
        var features = ItemFeatures(itemCount: items.count, entries: entries, source: file)
        let covered = features.coveredItems
        features.notes = [
            "\(file): \(rows) feature line(s) read",
            "\(outside) line(s) name an item that is not in the dataset",
            "\(items.count - covered) of \(items.count) item(s) have no feature",
        ]
        return features
    }

    /// Reads a weight field: a finite decimal number.
    private static func weight(_ bytes: UnsafeBufferPointer<UInt8>, file: String, line: Int) throws(DatasetError) -> Float {
        guard let value = FieldParsing.parseDouble(bytes) else {
            throw .malformedLine(file: file, line: line, reason: "the weight \(FieldParsing.quote(bytes)) is not a number")
        }
        guard value.isFinite, Float(value).isFinite else {
            throw .malformedLine(file: file, line: line, reason: "the weight \(FieldParsing.quote(bytes)) is not a finite number")
        }
        return Float(value)
    }
}
