/// A coding key of any name: for JSON layouts written by hand (`{"type": …, …}`), and for
/// reading the layouts the compiler synthesised in older files.
package struct NamedKey: CodingKey {
    package var stringValue: String
    package var intValue: Int? { nil }

    /// The key `string`.
    package init(_ string: String) { stringValue = string }
    package init(stringValue: String) { self.stringValue = stringValue }
    package init?(intValue: Int) { nil }
}
