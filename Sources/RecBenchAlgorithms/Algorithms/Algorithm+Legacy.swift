import RecBenchCore
/// Reading the layout of format-1 and format-2 records, `{"als": {"_0": {…fields…}}}`: the
/// compiler-synthesised layout of the enum as it was in those formats. This list is frozen:
/// algorithms added later never appear in that layout and need no entry.
extension Algorithm {
    /// The legacy case names and how each one's `_0` payload decodes.
    package static func legacy(_ container: KeyedDecodingContainer<ParameterValue.LegacyKey>) throws -> Algorithm {
        guard let key = container.allKeys.first, container.allKeys.count == 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: container.codingPath,
                                                    debugDescription: "an algorithm is {\"type\": …, \"parameters\": {…}}"))
        }
        let payload = try container.nestedContainer(keyedBy: ParameterValue.LegacyKey.self, forKey: key)
        let zero = ParameterValue.LegacyKey(stringValue: "_0")
        switch key.stringValue {
        case "popularity": return .popularity(try payload.decode(PopularityConfiguration.self, forKey: zero))
        case "random": return .random(try payload.decode(RandomConfiguration.self, forKey: zero))
        case "itemKNN": return .itemKNN(try payload.decode(ItemKNNConfiguration.self, forKey: zero))
        case "als": return .als(try payload.decode(ALSConfiguration.self, forKey: zero))
        case "bpr": return .bpr(try payload.decode(BPRConfiguration.self, forKey: zero))
        case "ease": return .ease(try payload.decode(EASEConfiguration.self, forKey: zero))
        case "multVAE":
            // One case held both autoencoders, told apart by `variant`.
            struct Variant: Decodable { var variant: AutoencoderVariant }
            switch try payload.decode(Variant.self, forKey: zero).variant {
            case .dae: return .multDAE(try payload.decode(MultDAEConfiguration.self, forKey: zero))
            case .vae: return .multVAE(try payload.decode(MultVAEConfiguration.self, forKey: zero))
            }
        default:
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "unknown algorithm '\(key.stringValue)'")
        }
    }
}
