import Foundation
import Testing
@testable import Script

/// Freeing values nested far deeper than any stack could hold levels of (issue 11): lists, tuples,
/// dicts, sets and chains of instances are freed without recursion (see `Trashcan`).
extension ScriptSuite {
    @Test func aDeeplyNestedListIsFreedWithoutOverflowingTheScriptStack() {
        // 3 million levels overflowed even the 512 MiB stack the language runs on.
        let (out, err) = runCell("x = []\nfor i in range(3000000):\n    x = [x]\nx = None\nprint('freed')")
        #expect(err == nil)
        #expect(out == "freed\n")
    }

    /// Nests `wrap` 300,000 deep and drops the result on a thread with a 512 KiB stack, where a few
    /// thousand recursive levels would already overflow; true when that finished.
    private func freedOnASmallStack(_ wrap: @escaping (Value, Int) throws -> Value) -> Bool {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            var x = Value.none
            for i in 0..<300_000 { x = (try? wrap(x, i)) ?? .none }
            x = .none
            done.signal()
        }
        thread.stackSize = 512 << 10
        thread.start()
        return done.wait(timeout: .now() + 60) == .success
    }

    @Test func everyContainerKindIsFreedWithoutRecursion() {
        let cls = ClassObj(name: "Node", base: nil)
        #expect(freedOnASmallStack { x, i in .obj(ListObj([x, .int(i)])) })
        #expect(freedOnASmallStack { x, _ in .obj(TupleObj([x])) })
        #expect(freedOnASmallStack { x, i in
            let d = DictObj()
            try d.set(.int(i), x)
            return .obj(d)
        })
        #expect(freedOnASmallStack { x, _ in
            let d = DictObj()
            try d.set(.obj(TupleObj([.int(1)])), .obj(ListObj([x])))
            let s = SetObj()
            try s.add(.int(0))
            return .obj(ListObj([.obj(d), .obj(s)]))
        })
        #expect(freedOnASmallStack { x, _ in
            let node = InstanceObj(cls)
            node.attrs["next"] = x
            return .obj(node)
        })
    }

    @Test func whatDeepLevelsSetAsideIsFreedToo() {
        // A witness at the bottom of a chain far deeper than the trashcan's limit is freed when the
        // chain is dropped (set-aside levels are drained, not leaked); one inside a shallow chain at once.
        for depth in [3, Trashcan.nestingLimit * 50] {
            var witness: ReleaseWitness? = ReleaseWitness()
            weak var watched = witness
            var chain = Value.obj(NativeObject(type: NativeType(name: "Witness", doc: ""), payload: witness ?? ReleaseWitness()))
            witness = nil
            for i in 0..<depth { chain = i % 2 == 0 ? .obj(ListObj([chain])) : .obj(TupleObj([chain, .int(i)])) }
            #expect(watched != nil)
            chain = .none
            #expect(watched == nil, "depth \(depth)")
        }
    }
}

private final class ReleaseWitness {}

/// Tensors larger than the machine's memory are a `MemoryError` that says how big, through the
/// language, and the session goes on with its variables (issue 11).
@Suite struct HugeTensorTests {
    @Test func hugeTensorsAreMemoryErrorsAndTheSessionGoesOn() {
        Bindings.installOnce()
        let out = CapturedOutput()
        let session = ScriptSession(output: out)
        #expect(session.execute(code: "x = ones([3])\nkept = 41", cellNumber: 1).error == nil)
        for code in ["y = zeros([100000, 100000, 100])", "y = randn([2**40])",
                     "y = x.expand([2**40, 3]).contiguous()"] {
            let error = session.execute(code: code, cellNumber: 2).error
            #expect(error?.name == "MemoryError", "\(code)")
            #expect(error?.message.contains("cannot allocate") == true, "\(code): \(error?.message ?? "")")
        }
        // Element counts past 64 bits name the shape instead.
        for code in ["zeros([2**62, 4])", "y = full([2**31, 2**31], 1.0)"] {
            let error = session.execute(code: code, cellNumber: 3).error
            #expect(error?.name == "MemoryError", "\(code)")
            #expect(error?.message.contains("shape") == true, "\(code): \(error?.message ?? "")")
        }
        #expect(session.execute(code: "print(kept + 1, x.sum().item())", cellNumber: 4).error == nil)
        #expect(out.stdout == "42 3.0\n")
    }
}
