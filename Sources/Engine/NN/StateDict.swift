extension Module {
    /// Copies tensors into this model's parameters and buffers by name (`load_state_dict`).
    /// With `strict`, every entry of `stateDict()` must be given and no unknown name may appear.
    public func loadStateDict(_ entries: [String: Tensor], strict: Bool = true) throws {
        let own = stateDict()
        let ownNames = Set(own.map(\.name))
        if strict {
            let missing = own.map(\.name).filter { entries[$0] == nil }
            let unexpected = entries.keys.filter { !ownNames.contains($0) }.sorted()
            if !missing.isEmpty || !unexpected.isEmpty {
                var parts: [String] = []
                if !missing.isEmpty { parts.append("missing key(s): " + missing.joined(separator: ", ")) }
                if !unexpected.isEmpty { parts.append("unexpected key(s): " + unexpected.joined(separator: ", ")) }
                throw EngineError.value("Error(s) in loading state_dict for \(typeName): " + parts.joined(separator: "; "))
            }
        }
        for (name, target) in own {
            guard let source = entries[name] else { continue }
            guard source.shape == target.shape else {
                throw EngineError.shape("size mismatch for \(name): copying a param with shape \(describe(source.shape)), the shape in current model is \(describe(target.shape))")
            }
        }
        // All shapes checked before any write, so a failed load leaves the model unchanged.
        try withNoGrad {
            for (name, target) in own {
                guard let source = entries[name] else { continue }
                let src = try source.to(target.dtype)
                switch target.dtype {
                case .float32: let v = src.floatArray(), p = target.storage.floats(); var i = 0; target.forEachOffset { p[$0] = v[i]; i += 1 }
                case .int64: let v = src.int64Array(), p = target.storage.ints(); var i = 0; target.forEachOffset { p[$0] = v[i]; i += 1 }
                case .bool: let v = src.boolArray(), p = target.storage.bools(); var i = 0; target.forEachOffset { p[$0] = v[i]; i += 1 }
                }
                target.storage.bumpVersion()
            }
        }
    }
}
