import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation
extension Experiment {
    /// The identity of this experiment's results: a digest of the dataset's content (SHA-256 of
    /// its source files), the preparation, the split and its seed, the validation rule and its
    /// seed, the metrics, the selection metric, the bootstrap resamples, a rating task's scale and
    /// relevance threshold when they are given, and the item-feature source when it is not `auto` (the task itself is in the preparation). Records of one
    /// identity are comparable; leaderboards and the CI gate never mix identities.
    ///
    /// The split and validation rules are hashed in the layout records had before format 3
    /// (``IdentitySplit``), so the identities of existing results do not change.
    ///
    /// - Parameter datasetSHA256: the SHA-256 of the dataset's source files.
    public func identity(datasetSHA256: String) -> String {
        struct Key: Encodable {
            var dataset: String, preparation: Preparation, split: IdentitySplit, splitSeed: UInt64, validation: IdentitySplit
            var validationSeed: UInt64, metrics: [Metric], selection: Metric, bootstrap: Int
            // Absent (nil) on a ranking task, so the identities of ranking results do not change.
            var ratingScale: RatingScale?, relevanceThreshold: Double?
            // Absent (nil) for the default `auto`, so the identities of existing results do not change.
            var itemFeatures: String?
        }
        return RunRecord.digest(Key(dataset: datasetSHA256, preparation: preparation, split: IdentitySplit(split), splitSeed: splitSeed,
                                    validation: IdentitySplit(validation), validationSeed: validationSeed, metrics: metrics,
                                    selection: selection, bootstrap: bootstrapResamples,
                                    ratingScale: ratingScale, relevanceThreshold: relevanceThreshold,
                                    itemFeatures: itemFeatures == .auto ? nil : itemFeatures.description))
    }
}
