/// Reading the object in a frame slot or a global's cell without retaining it.
///
/// Copying a `Value` out of a slot retains its object and releases it afterwards — ~45 instructions
/// around an attribute read of ~15. When the slot or cell keeps the object alive for the whole use and
/// no user code can run meanwhile (reading or storing an attribute, looking up a method), the object
/// can be used where it lies. The test `peekedObjectIsTheValuesObject` checks the layout this relies
/// on: an `.obj` payload is the object pointer at offset 0 of the value (also inside an Optional).
extension Value {
    /// The object held by the `.obj` value at `p`, unretained: valid only while `p` keeps holding it.
    @inline(__always)
    static func peekObject(_ p: UnsafeMutablePointer<Value>) -> Unmanaged<Obj>? {
        guard case .obj = p.pointee else { return nil }
        return Unmanaged<Obj>.fromOpaque(UnsafeRawPointer(p).load(as: UnsafeRawPointer.self))
    }

    /// The same for an optional value (a global's cell), whose `.some` has the value's own layout.
    @inline(__always)
    static func peekObject(_ p: UnsafeMutablePointer<Value?>) -> Unmanaged<Obj>? {
        guard case .obj? = p.pointee else { return nil }
        return Unmanaged<Obj>.fromOpaque(UnsafeRawPointer(p).load(as: UnsafeRawPointer.self))
    }

    /// The instance held by the value at `p`, unretained, if it is one (see `peekObject`).
    @inline(__always)
    static func peekInstance(_ p: UnsafeMutablePointer<Value>) -> Unmanaged<InstanceObj>? {
        peekObject(p)?.instance
    }
}

extension GlobalCell {
    /// The instance this global holds, unretained: valid only while no user code can run (nothing
    /// can rebind the global meanwhile).
    @inline(__always)
    func peekInstance() -> Unmanaged<InstanceObj>? {
        withUnsafeMutablePointer(to: &value) { Value.peekObject($0)?.instance }
    }
}

extension Unmanaged where Instance == Obj {
    /// The same reference as an instance, if the object is one.
    @inline(__always)
    var instance: Unmanaged<InstanceObj>? {
        _withUnsafeGuaranteedRef { $0.kind == .instance } ? Unmanaged<InstanceObj>.fromOpaque(toOpaque()) : nil
    }
}

extension Unmanaged where Instance == InstanceObj {
    /// `name`'s value through `site`, if the instance has it.
    @inline(__always)
    func attribute(_ name: String, site: AttrSite) -> Value? {
        _withUnsafeGuaranteedRef { $0.attrs.value(name, site: site) }
    }

    /// Stores `v` as `name` when the instance stores attributes plainly (no `__setattr__`, no native
    /// part); false sends the store to the general path.
    @inline(__always)
    func storeAttribute(_ name: String, _ v: Value, site: AttrSite) -> Bool {
        _withUnsafeGuaranteedRef { i in
            guard i.storesAttributesPlainly else { return false }
            i.attrs.set(name, v, site: site)
            return true
        }
    }
}
