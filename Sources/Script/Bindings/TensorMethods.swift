import Engine

/// Tensor properties and the methods that are not shared with global functions: shape and views,
/// conversions, autograd, in-place updates, gather/sort.
extension TensorBindings {
    static func installProperties() {
        func prop(_ name: String, _ doc: String, _ get: @escaping (Tensor) throws -> Value, set: ((Tensor, Value) throws -> Void)? = nil) {
            type.properties[name] = NativeProperty(name, doc: doc, get: { o in
                guard let t = o.payload as? Tensor else { return .none }
                return try get(t)
            }, set: set.map { s in { o, v in if let t = o.payload as? Tensor { try s(t, v) } } })
        }
        prop("shape", "The size of each dimension, as a tuple.") { shapeValue($0.shape) }
        prop("ndim", "The number of dimensions.") { .int($0.ndim) }
        prop("T", "The transpose (dimensions reversed).") { wrap(try $0.T()) }
        prop("dtype", "The element type: float32, int64 or bool.") { DTypeBox.value($0.dtype) }
        prop("device", "Always 'cpu'.") { _ in .str("cpu") }
        prop("data", "The same values, detached from the graph.", { wrap($0.detach()) }) { t, v in
            _ = try withNoGrad { try t.copy_(try tensorArgument(v, "data")) }
        }
        prop("grad", "The gradient accumulated by backward() (None until then); may be set to None.", { t in t.grad.map(wrap) ?? .none }) { t, v in
            if v.isNone { t.grad = nil; return }
            let g = try tensorArgument(v, "grad")
            guard g.shape == t.shape else { throw ScriptError(.shapeError, "assigned grad has shape \(g.shape) but the tensor has shape \(t.shape)") }
            t.grad = g
        }
        prop("requires_grad", "Whether operations on this tensor are recorded for backward().", { .bool($0.requiresGrad) }) { t, v in
            try t.requiresGrad_(truthy(v))
        }
        prop("is_leaf", "True for tensors not made by a recorded operation.") { .bool($0.isLeaf) }
        prop("grad_fn", "The name of the backward function that made this tensor (e.g. 'MulBackward0'), or None.") { t in
            t.gradFn.map { .str($0.name) } ?? .none
        }
    }

    /// `result` as a value: the receiver's own value when an op returned the tensor itself, so
    /// `t.float() is t` holds for a float tensor as in PyTorch.
    static func same(_ result: Tensor, _ t: Tensor, _ a: Arguments) -> Value {
        result === t ? a.positional[0] : wrap(result)
    }

    static func installMethods() {
        method("size", "size(dim=None)", "The shape as a tuple, or the size of one dimension.") { t, a in
            try a.check(max: 2, keywords: ["dim"])
            guard let d = a.optional(1, "dim"), !d.isNone else { return shapeValue(t.shape) }
            return .int(t.shape[try normalized(try a.int(1, "dim"), t.ndim)])
        }
        method("numel", "numel()", "The number of elements.") { t, _ in .int(t.count) }
        method("dim", "dim()", "The number of dimensions.") { t, _ in .int(t.ndim) }
        method("item", "item()", "The value of a one-element tensor as a Python number.") { t, a in
            guard t.count == 1 else {
                throw ScriptError(.valueError, "a Tensor with \(t.count) elements cannot be converted to a Python number with item(); index one element first")
            }
            return try scalarValue(t)
        }
        method("tolist", "tolist()", "The elements as (nested) Python lists of numbers.") { t, _ in listValue(t) }
        method("reshape", "reshape(*shape)", "The same elements in a new shape (one size may be -1); a view when possible.") { t, a in
            wrap(try t.reshape(try sizes(a.positional.dropFirst(), "reshape()")))
        }
        method("view", "view(*shape)", "A view with a new shape (one size may be -1); the tensor must be contiguous.") { t, a in
            wrap(try t.view(try sizes(a.positional.dropFirst(), "view()")))
        }
        method("transpose", "transpose(dim0, dim1)", "A view with two dimensions swapped.") { t, a in
            try a.check(max: 3, keywords: ["dim0", "dim1"])
            return wrap(try t.transpose(try a.int(1, "dim0"), try a.int(2, "dim1")))
        }
        method("t", "t()", "The transpose of a tensor with at most 2 dimensions.") { t, _ in
            guard t.ndim <= 2 else { throw ScriptError(.shapeError, "t() expects a tensor with <= 2 dimensions, but got shape \(t.shape); use transpose(dim0, dim1)") }
            return wrap(try t.T())
        }
        method("permute", "permute(*dims)", "A view with the dimensions reordered.") { t, a in
            wrap(try t.permute(try sizes(a.positional.dropFirst(), "permute()")))
        }
        method("squeeze", "squeeze(dim=None)", "Removes size-1 dimensions (all, or only dim).") { t, a in
            try a.check(max: 2, keywords: ["dim"])
            let d = try a.optional(1, "dim").flatMap { $0.isNone ? nil : try a.int(1, "dim") }
            return wrap(try t.squeeze(d))
        }
        method("unsqueeze", "unsqueeze(dim)", "Inserts a size-1 dimension at dim.") { t, a in
            try a.check(max: 2, keywords: ["dim"])
            return wrap(try t.unsqueeze(try a.int(1, "dim")))
        }
        method("flatten", "flatten(start_dim=0, end_dim=-1)", "Merges dimensions start_dim..end_dim into one.") { t, a in
            try a.check(max: 3, keywords: ["start_dim", "end_dim"])
            return wrap(try t.flatten(startDim: try a.int(1, "start_dim", default: 0), endDim: try a.int(2, "end_dim", default: -1)))
        }
        method("expand", "expand(*sizes)", "A broadcast view with size-1 dimensions repeated (-1 keeps a size).") { t, a in
            wrap(try t.expand(try sizes(a.positional.dropFirst(), "expand()")))
        }
        method("expand_as", "expand_as(other)", "expand(other.shape).") { t, a in
            wrap(try t.expand(try tensorArg(a, 1, "other").shape))
        }
        method("view_as", "view_as(other)", "view(other.shape).") { t, a in
            wrap(try t.view(try tensorArg(a, 1, "other").shape))
        }
        method("reshape_as", "reshape_as(other)", "reshape(other.shape).") { t, a in
            wrap(try t.reshape(try tensorArg(a, 1, "other").shape))
        }
        method("contiguous", "contiguous()", "The tensor itself when its elements are laid out row-major, else a copy.") { t, a in same(try t.contiguous(), t, a) }
        method("is_contiguous", "is_contiguous()", "True when the elements are laid out row-major without gaps.") { t, _ in .bool(t.isContiguous) }
        installConversions()
        installAutograd()
        installSelection()
    }

    private static func installConversions() {
        for (name, d) in [("float", DType.float32), ("long", .int64), ("int", .int64), ("bool", .bool)] {
            method(name, "\(name)()", "This tensor as \(d.rawValue) (itself when it already is).") { t, a in same(try t.to(d), t, a) }
        }
        method("to", "to(dtype)", "This tensor converted to dtype (float32, int64 or bool); 'cpu' is accepted and ignored.") { t, a in
            var target: DType? = nil
            for v in a.positional.dropFirst() + [a.keyword("dtype")].compactMap({ $0 }) {
                if let s = v.stringValue, s == "cpu" { continue }
                if let d = try dtypeArgument(v, "to()") { target = d }
            }
            return same(try target.map { try t.to($0) } ?? t, t, a)
        }
        method("type", "type(dtype)", "This tensor converted to dtype.") { t, a in
            guard let d = try dtypeArgument(try a.required(1, "dtype"), "type()") else { return wrap(t) }
            return same(try t.to(d), t, a)
        }
        method("cpu", "cpu()", "The tensor itself (everything runs on the CPU).") { _, a in a.positional[0] }
        method("numpy", "numpy()", "Not available: there is no NumPy here; use .tolist().") { _, _ in
            throw ScriptError(.notImplementedError, "numpy() is not available in Myelin; use .tolist() for Python lists, or keep working with tensors")
        }
        method("is_floating_point", "is_floating_point()", "True for float32 tensors.") { t, _ in .bool(t.dtype == .float32) }
    }

    private static func installAutograd() {
        method("backward", "backward(gradient=None, retain_graph=False)",
               "Computes gradients of this tensor with respect to every leaf that requires grad and adds them into their .grad; a non-scalar needs gradient=.") { t, a in
            try a.check(max: 3, keywords: ["gradient", "retain_graph"])
            let g = try a.optional(1, "gradient").flatMap { $0.isNone ? nil : try tensorArgument($0, "backward() gradient") }
            try t.backward(gradient: g, retainGraph: a.bool(2, "retain_graph", default: false))
            return .none
        }
        method("detach", "detach()", "The same values (sharing memory), cut from the graph.") { t, _ in wrap(t.detach()) }
        method("clone", "clone()", "A copy that stays in the graph.") { t, _ in wrap(try t.clone()) }
        method("requires_grad_", "requires_grad_(requires_grad=True)", "Turns gradient recording on (or off) for this leaf tensor; returns it.") { t, a in
            try t.requiresGrad_(a.bool(1, "requires_grad", default: true))
            return a.positional[0]
        }
        method("zero_", "zero_()", "Fills with zeros in place; returns the tensor.") { t, a in try t.zero_(); return a.positional[0] }
        method("fill_", "fill_(value)", "Fills with value in place; returns the tensor.") { t, a in
            try t.fill_(try scalar(try a.required(1, "value"), "fill_() value")); return a.positional[0]
        }
        method("copy_", "copy_(src)", "Copies src (broadcast) into this tensor in place; returns the tensor.") { t, a in
            try t.copy_(try tensorArg(a, 1, "src")); return a.positional[0]
        }
        for (name, op) in [("add_", InPlaceOp.add), ("sub_", .sub), ("mul_", .mul), ("div_", .div)] {
            method(name, "\(name)(other, alpha=1)", "In-place \(name.dropLast()) (other broadcast to this shape); returns the tensor.") { t, a in
                try a.check(max: 3, keywords: ["other", "alpha"])
                var o = try tensorArg(a, 1, "other")
                if let alpha = a.optional(2, "alpha") { o = try o.mul(Tensor(scalar: Float(try scalar(alpha, "alpha")))) }
                try t.applyInPlace(op, o)
                return a.positional[0]
            }
        }
        method("clamp_", "clamp_(min=None, max=None)", "Clamps in place; returns the tensor.") { t, a in
            let lo = try a.optional(1, "min").flatMap { $0.isNone ? nil : try scalar($0, "clamp_() min") }
            let hi = try a.optional(2, "max").flatMap { $0.isNone ? nil : try scalar($0, "clamp_() max") }
            try t.copy_(try withNoGrad { try t.detach().clamp(min: lo, max: hi) })
            return a.positional[0]
        }
        method("uniform_", "uniform_(a=0, b=1)", "Fills in place with uniform random numbers in [a, b).") { t, a in
            let lo = try a.double(1, "a", default: 0), hi = try a.double(2, "b", default: 1)
            let r = try Tensor.rand(t.shape).mul(Tensor(scalar: Float(hi - lo))).add(Tensor(scalar: Float(lo)))
            try t.copy_(r); return a.positional[0]
        }
        method("normal_", "normal_(mean=0, std=1)", "Fills in place with normal random numbers.") { t, a in
            let m = try a.double(1, "mean", default: 0), s = try a.double(2, "std", default: 1)
            let r = try Tensor.randn(t.shape).mul(Tensor(scalar: Float(s))).add(Tensor(scalar: Float(m)))
            try t.copy_(r); return a.positional[0]
        }
    }

    private static func installSelection() {
        method("gather", "gather(dim, index)", "Picks values along dim at the positions in the int64 index tensor (same number of dimensions).") { t, a in
            try a.check(max: 3, keywords: ["dim", "index"])
            return wrap(try t.gather(dim: try a.int(1, "dim"), index: try tensorArg(a, 2, "index")))
        }
        method("masked_fill", "masked_fill(mask, value)", "A copy with value where the bool mask (broadcast) is True.") { t, a in
            try a.check(max: 3, keywords: ["mask", "value"])
            let mask = try tensorArg(a, 1, "mask")
            guard mask.dtype == .bool else { throw ScriptError(.typeError, "masked_fill(): mask must be a bool tensor, got \(mask.dtype)") }
            let fill = try Tensor.full([], try scalar(try a.required(2, "value"), "masked_fill() value"), dtype: t.dtype)
            let r = try Tensor.where(mask, fill, t)
            return wrap(r)
        }
        method("nonzero", "nonzero(as_tuple=False)", "Positions of the nonzero elements: an int64 tensor [count, ndim], or with as_tuple=True one index tensor per dimension.") { t, a in
            try a.check(max: 2, keywords: ["as_tuple"])
            if a.bool(1, "as_tuple", default: false) { return .tuple(try t.nonzeroIndices().map(wrap)) }
            return wrap(try t.nonzero())
        }
        method("sort", "sort(dim=-1, descending=False)", "A (values, indices) tuple sorted along dim (stable).") { t, a in
            try a.check(max: 3, keywords: ["dim", "descending"])
            let r = try t.sort(dim: try a.int(1, "dim", default: -1), descending: a.bool(2, "descending", default: false))
            return .tuple([wrap(r.values), wrap(r.indices)])
        }
        method("argsort", "argsort(dim=-1, descending=False)", "The int64 indices that sort the tensor along dim.") { t, a in
            try a.check(max: 3, keywords: ["dim", "descending"])
            return wrap(try t.argsort(dim: try a.int(1, "dim", default: -1), descending: a.bool(2, "descending", default: false)))
        }
        method("topk", "topk(k, dim=-1, largest=True)", "A (values, indices) tuple of the k largest (or smallest) elements along dim, sorted.") { t, a in
            try a.check(max: 4, keywords: ["k", "dim", "largest", "sorted"])
            let r = try t.topk(try a.int(1, "k"), dim: try a.int(2, "dim", default: -1), largest: a.bool(3, "largest", default: true))
            return .tuple([wrap(r.values), wrap(r.indices)])
        }
    }
}
