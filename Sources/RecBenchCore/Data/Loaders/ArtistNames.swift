import Foundation

/// Reads `id<TAB>name` files (Audioscrobbler `artist_data.txt`) into names for known ids.
///
/// Names are display data, so a malformed line is skipped and counted rather than fatal:
/// the real dump has a few lines without a tab or with a non-numeric id.
package enum ArtistNames {
    /// Names aligned with `ids` (`nil` where a file has no name), and the lines skipped.
    package static func read(_ path: String, for ids: [Int64], encoding: TextEncoding = .utf8) throws(DatasetError) -> ([String?], skipped: Int) {
        var position = IntegerTable(capacity: ids.count)
        for (index, id) in ids.enumerated() { position.set(Int64(index), for: id) }
        var names = [String?](repeating: nil, count: ids.count)
        var skipped = 0
        try LineReader(path: path).forEachLine { (line, _) throws(DatasetError) in
            // Ids are bytes: `007` is not the id `7`, so an id in another spelling is malformed here.
            guard let tab = line.firstIndex(of: 0x09), FieldParsing.isPlainDecimal(line.slice(0..<tab)),
                  case .value(let id) = FieldParsing.parseNonNegative(line.slice(0..<tab)) else {
                skipped += 1
                return
            }
            guard let index = position.value(for: id) else { return }
            let rest = line.slice((tab + 1)..<line.count)
            let end = rest.firstIndex(of: 0x09) ?? rest.count     // HetRec's artists.dat has more columns
            let name = encoding.decode(rest.slice(0..<end)).trimmingCharacters(in: .whitespaces)
            if !name.isEmpty { names[Int(index)] = name }
        }
        return (names, skipped)
    }
}
