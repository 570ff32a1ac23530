/// The version of the RecBench package.
public enum RecBenchVersion {
    /// Semantic version of this release.
    public static let string = "0.1.0"
}
