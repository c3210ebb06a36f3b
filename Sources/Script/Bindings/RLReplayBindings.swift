import Engine

/// A replay buffer as scripts hold it. The engine buffer is remade at the first push so it keeps
/// the observations' shape; int observations (grid worlds) come back as int64.
final class ReplayBox {
    var buffer: ReplayBuffer
    var discreteObservations: Bool?
    init(_ b: ReplayBuffer) { buffer = b }
}

/// `rl.ReplayBuffer`.
extension RLBindings {
    static let replayType = NativeType(name: "ReplayBuffer", doc: "A fixed-capacity ring buffer of transitions for DQN; the oldest is overwritten when full. Holds the last `capacity` transitions. push(s, a, r, s2, done) stores one; sample(batch) returns (s, a, r, s2, done) as stacked tensors: observations float32 [batch, …] (int64 [batch] for int observations), actions int64, rewards float32, done float32 (1.0 where the episode ended). len() is the number stored.")

    /// An observation as floats with its shape, and whether it was an int.
    static func replayObservation(_ v: Value) throws -> (values: [Float], shape: [Int], discrete: Bool) {
        if case .int(let i) = v { return ([Float(i)], [1], true) }
        let t = try TensorBindings.tensorArgument(v, "ReplayBuffer.push() observation", dtype: .float32)
        let values = t.dtype == .float32 ? t.floatArray() : t.doubleArray().map { Float($0) }
        return (values, t.shape.isEmpty ? [1] : t.shape, false)
    }

    static func installReplayBuffer(_ m: BindingModule) {
        let t = replayType
        t.constructor = NativeFunction("ReplayBuffer", "ReplayBuffer(capacity)",
                                       doc: "Holds the last `capacity` transitions. push(s, a, r, s2, done) stores one; sample(batch) returns (s, a, r, s2, done) as stacked tensors: observations float32 [batch, …] (int64 [batch] for int observations), actions int64, rewards float32, done float32 (1.0 where the episode ended). len() is the number stored.") { a in
            var a = a
            a.functionName = "ReplayBuffer"
            try a.check(max: 1, keywords: ["capacity"])
            return t.wrap(ReplayBox(try ReplayBuffer(capacity: try a.int(0, "capacity"))))
        }
        func me(_ a: Arguments) throws -> ReplayBox { try a.receiver(ReplayBox.self, "a ReplayBuffer") }
        t.methods["push"] = NativeFunction("push", "push(s, a, r, s2, done)", doc: "Stores one transition (observation, action, reward, next observation, whether the episode ended).") { a in
            var a = a
            a.functionName = "push"
            try a.check(max: 6, keywords: ["s", "a", "r", "s2", "done"])
            let box = try me(a)
            let s = try replayObservation(try a.required(1, "s")), s2 = try replayObservation(try a.required(4, "s2"))
            let act = try action(try a.required(2, "a"), "ReplayBuffer.push")
            let reward = try TensorBindings.scalar(try a.required(3, "r"), "push() reward")
            let done = try a.required(5, "done")
            let isDone = try TensorBindings.tensor(in: done).map { try $0.item() != 0 } ?? truthy(done)
            guard s.shape == s2.shape else {
                throw ScriptError(.valueError, "ReplayBuffer.push(): s has shape \(s.shape) but s2 has \(s2.shape)")
            }
            if box.buffer.count == 0 && box.discreteObservations == nil {
                box.buffer = try ReplayBuffer(capacity: box.buffer.capacity, observationShape: s.shape)
                box.discreteObservations = s.discrete
            } else if box.discreteObservations != s.discrete {
                throw ScriptError(.valueError, "ReplayBuffer.push(): observations were \(box.discreteObservations == true ? "ints" : "tensors") before; push the same kind every time")
            } else if box.buffer.observationShape != s.shape {
                throw ScriptError(.valueError, "ReplayBuffer.push(): observation shape \(s.shape) differs from the earlier \(box.buffer.observationShape ?? [])")
            }
            try box.buffer.push(observation: s.values, action: act, reward: reward, nextObservation: s2.values, done: isDone)
            return .none
        }
        t.methods["sample"] = NativeFunction("sample", "sample(batch_size)", doc: "batch_size distinct stored transitions chosen uniformly (from the generator seed() fixes), as (s, a, r, s2, done) tensors.") { a in
            var a = a
            a.functionName = "sample"
            let box = try me(a)
            let batch = try box.buffer.sample(try a.int(1, "batch_size"))
            let n = batch.actions.count
            func observations(_ values: [Float]) throws -> Value {
                if box.discreteObservations == true {
                    return TensorBindings.wrap(try Tensor(values.map { Int64($0) }, shape: [n]))
                }
                return TensorBindings.wrap(try Tensor(values, shape: batch.observationShape))
            }
            return .tuple([try observations(batch.observations),
                           TensorBindings.wrap(try Tensor(batch.actions.map { Int64($0) }, shape: [n])),
                           TensorBindings.wrap(try Tensor(batch.rewards, shape: [n])),
                           try observations(batch.nextObservations),
                           TensorBindings.wrap(try Tensor(batch.dones, shape: [n]))])
        }
        t.methods["clear"] = NativeFunction("clear", "clear()", doc: "Forgets every stored transition.") { a in
            try me(a).buffer.clear()
            return .none
        }
        t.properties["capacity"] = NativeProperty("capacity", doc: "The most transitions kept.") { o in .int((o.payload as? ReplayBox)?.buffer.capacity ?? 0) }
        t.length = { o in (o.payload as? ReplayBox)?.buffer.count ?? 0 }
        t.repr = { o in
            guard let b = (o.payload as? ReplayBox)?.buffer else { return "ReplayBuffer(?)" }
            return "ReplayBuffer(\(b.count)/\(b.capacity) transitions)"
        }
        m.add(t)
    }
}
