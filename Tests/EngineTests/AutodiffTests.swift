import Testing
@testable import Engine

private func leaf(_ shape: [Int], seed: UInt64 = 1, low: Float = -1, high: Float = 1) throws -> Tensor {
    let g = RandomGenerator(seed: seed)
    let t = try Tensor.rand(shape, generator: g).mul(Tensor(scalar: high - low)).add(Tensor(scalar: low))
    return try t.requiresGrad_()
}

private func isRuntime(_ e: any Error) -> Bool { (e as? EngineError)?.kind == .runtime }

@Suite struct AutodiffTests {
    @Test func chainRuleAccumulatesIntoLeaves() throws {
        let x = try Tensor.from(.list([.float(2), .float(3)])).requiresGrad_()
        let y = try x.mul(x).add(x).sum()          // d/dx = 2x + 1
        try y.backward()
        #expect(x.grad?.floatArray() == [5, 7])
        let z = try x.mul(Tensor(scalar: Float(3))).sum()
        try z.backward()                            // accumulates: + 3
        #expect(x.grad?.floatArray() == [8, 10])
    }

    @Test func sharedSubexpressionsSumTheirGradients() throws {
        let x = try Tensor.from(.list([.float(1.5)])).requiresGrad_()
        let a = try x.exp()
        try a.mul(a).add(a).sum().backward()        // d/dx (e^2x + e^x) = 2e^2x + e^x
        let want = 2 * Foundation_exp(3.0) + Foundation_exp(1.5)
        #expect(abs(Double(x.grad?.floatArray()[0] ?? 0) - want) < 1e-3 * want)
    }

    @Test func secondBackwardThroughFreedGraphIsARuntimeError() throws {
        let x = try leaf([3])
        let y = try x.mul(x).sum()
        try y.backward()
        #expect(y.gradFn?.isReleased == true)
        #expect { try y.backward() } throws: { isRuntime($0) }
        let w = try x.mul(x).sum()
        try w.backward(retainGraph: true)
        try w.backward()
    }

    @Test func nonScalarBackwardNeedsAGradient() throws {
        let x = try leaf([3])
        let y = try x.mul(Tensor(scalar: Float(2)))
        #expect { try y.backward() } throws: { isRuntime($0) }
        try y.backward(gradient: Tensor.ones([3]))
        #expect(x.grad?.floatArray() == [2, 2, 2])
        #expect { try Tensor.ones([2]).sum().backward() } throws: { isRuntime($0) }
    }

    @Test func noGradAndDetachStopRecording() throws {
        let x = try leaf([2])
        let y = try withNoGrad { try x.mul(x) }
        #expect(!y.requiresGrad && y.gradFn == nil)
        #expect(GradMode.isEnabled)
        let d = x.detach()
        #expect(!d.requiresGrad && d.storage === x.storage)
        #expect(try x.add(d).gradFn?.name == "AddBackward0")
    }

    @Test func inPlaceChangesToSavedTensorsAreCaught() throws {
        let x = try leaf([3])
        let h = try x.mul(Tensor(scalar: Float(2)))   // non-leaf
        let y = try h.exp().sum()                      // exp saves its output, mul saved nothing of h
        let a = try leaf([3], seed: 2)
        let b = try a.mul(a)
        let z = try b.mul(b).sum()                     // mul saves b
        try withNoGrad { try b.add_(Tensor(scalar: Float(1))) }
        #expect { try z.backward() } throws: { isRuntime($0) }
        try y.backward()
        #expect(x.grad != nil)
    }

    @Test func inPlaceOnLeafThatRequiresGradIsRefused() throws {
        let x = try leaf([2])
        #expect { try x.add_(Tensor(scalar: Float(1))) } throws: { isRuntime($0) }
        try withNoGrad { try x.add_(Tensor(scalar: Float(1))) }   // what optimizers do
        #expect { try x.requiresGrad_(true).index([.int(0)]).fill_(0) } throws: { isRuntime($0) }
        #expect { try Tensor.zeros([2], dtype: .int64).requiresGrad_() } throws: { isRuntime($0) }
    }

    @Test func graphIsFreedAfterBackwardOverManySteps() throws {
        let w = try leaf([4, 4])
        var probes: [() -> Bool] = []
        let generator = RandomGenerator(seed: 4)
        for step in 0..<2000 {
            weak var node: Node?
            weak var intermediate: Tensor?
            do {
                let x = try Tensor.rand([2, 4], generator: generator)
                let h = try x.matmul(w).tanh()
                let loss = try h.mul(h).mean()
                node = loss.gradFn
                intermediate = h
                try loss.backward()
                try withNoGrad { try w.add_(w.grad!.mul(Tensor(scalar: Float(-0.01)))) }
                w.grad = nil
            }
            if step % 500 == 0 { let n = node, i = intermediate; probes.append { n == nil && i == nil } }
            #expect(node == nil && intermediate == nil)
        }
        #expect(probes.allSatisfy { $0() })
    }

    @Test func deepChainsDoNotOverflowTheStack() throws {
        let x = try leaf([1])
        var y = x
        for _ in 0..<20_000 { y = try y.add(Tensor(scalar: Float(0.001))) }
        try y.sum().backward()
        #expect(x.grad?.floatArray() == [1])
    }
}

import Foundation
private func Foundation_exp(_ x: Double) -> Double { Foundation.exp(x) }
