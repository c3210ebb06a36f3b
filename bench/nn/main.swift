// Training-step benchmarks for Engine/NN and Engine/Optim (not tests): one Adam step (zero_grad,
// forward, loss, backward, step) per model, best of several runs, plus a memory-flatness check over
// 10,000 steps. bench/nn/torch_bench.py times the same steps in PyTorch when torch is importable.
// Run: swift run -c release NNBench [--memory-only]
import Engine

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Best-of-`repeats` milliseconds per call of `body`.
func measure(iterations: Int, repeats: Int = 5, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<Swift.max(1, iterations / 5) { try body() }  // warm-up
    var best = Double.infinity
    for _ in 0..<repeats {
        let t0 = now()
        for _ in 0..<iterations { try body() }
        best = Swift.min(best, (now() - t0) / Double(iterations))
    }
    return best * 1000
}

/// Resident set size in MiB (Linux /proc/self/statm).
func residentMiB() -> Double {
    guard let f = fopen("/proc/self/statm", "r") else { return -1 }
    defer { fclose(f) }
    var size = 0, resident = 0
    guard withUnsafeMutablePointer(to: &size, { s in withUnsafeMutablePointer(to: &resident) { r in
        vfscanf_wrapper(f, s, r) } }) else { return -1 }
    return Double(resident * Int(sysconf(Int32(_SC_PAGESIZE)))) / 1_048_576
}

func vfscanf_wrapper(_ f: UnsafeMutablePointer<FILE>, _ a: UnsafeMutablePointer<Int>, _ b: UnsafeMutablePointer<Int>) -> Bool {
    var buf = [CChar](repeating: 0, count: 256)
    guard fgets(&buf, 256, f) != nil else { return false }
    let parts = String(cString: buf).split(separator: " ")
    guard parts.count >= 2, let x = Int(parts[0]), let y = Int(parts[1]) else { return false }
    a.pointee = x; b.pointee = y
    return true
}

/// One training step closure for a model, data and loss.
func stepper(_ model: Module, _ x: Tensor, _ loss: @escaping (Tensor) throws -> Tensor) throws -> () throws -> Void {
    let opt = try Adam(model.parameters(), lr: 1e-3)
    return {
        opt.zeroGrad()
        try loss(model(x)).backward()
        try opt.step()
    }
}

let memoryOnly = CommandLine.arguments.contains("--memory-only")
do {
    RandomGenerator.shared.reseed(0)
    let xorX = try Tensor([0, 0, 0, 1, 1, 0, 1, 1] as [Float], shape: [4, 2])
    let xorY = try Tensor([0, 1, 1, 0] as [Float], shape: [4, 1])
    let xor = Sequential(try Linear(2, 8), Tanh(), try Linear(8, 1), Sigmoid())
    let xorStep = try stepper(xor, xorX) { try Losses.bceLoss($0, xorY) }

    if !memoryOnly {
        let mlpX = try Tensor.rand([64, 784])
        let labels = try Tensor((0..<64).map { Int64($0 % 10) }, shape: [64])
        let mlp = Sequential(try Linear(784, 256), ReLU(), try Linear(256, 10))
        let mlpStep = try stepper(mlp, mlpX) { try Losses.crossEntropy($0, labels) }

        let lenet = Sequential(try Conv2d(1, 6, 5, padding: 2), ReLU(), try MaxPool2d(2), try Conv2d(6, 16, 5), ReLU(),
                               try MaxPool2d(2), Flatten(), try Linear(400, 120), ReLU(), try Linear(120, 84), ReLU(),
                               try Linear(84, 10))
        let lenetStep = try stepper(lenet, try Tensor.rand([64, 1, 28, 28])) { try Losses.crossEntropy($0, labels) }

        let lstm = try LSTM(32, 128)
        let head = try Linear(128, 10)
        let seq = try Tensor.randn([50, 32, 32])
        let lstmLabels = try Tensor((0..<32).map { Int64($0 % 10) }, shape: [32])
        let lstmOpt = try Adam(lstm.parameters() + head.parameters(), lr: 1e-3)
        let lstmStep: () throws -> Void = {
            lstmOpt.zeroGrad()
            let r = try lstm.forward(seq, nil)
            try Losses.crossEntropy(head(r.hN.squeeze(0)), lstmLabels).backward()
            try lstmOpt.step()
        }

        if CommandLine.arguments.contains("--breakdown") {
            for (name, model, x, iters) in [("mlp", mlp as Module, mlpX, 100), ("lenet", lenet as Module, try Tensor.rand([64, 1, 28, 28]), 5)] {
                let opt = try Adam(model.parameters(), lr: 1e-3)
                let fwd = try measure(iterations: iters) { _ = try withNoGrad { try model(x) } }
                let fwdGrad = try measure(iterations: iters) { _ = try Losses.crossEntropy(model(x), labels) }
                let both = try measure(iterations: iters) { try Losses.crossEntropy(model(x), labels).backward() }
                let step = try measure(iterations: iters) { try opt.step() }
                print("\(name): forward no-grad \(fwd) ms, forward+loss \(fwdGrad), +backward \(both), adam step \(step)")
            }
        }
        if CommandLine.arguments.contains("--layers") {
            // Per-layer forward (no grad) of LeNet-5, to see where a step's time goes.
            var x = try Tensor.rand([64, 1, 28, 28])
            for (name, layer) in lenet.children {
                let input = x
                let ms = try measure(iterations: 10) { _ = try withNoGrad { try layer(input) } }
                x = try withNoGrad { try layer(input) }
                print("lenet \(name) \(layer.typeName): \(ms) ms -> \(x.shape)")
            }
        }
        print("== Adam training step, ms (best of 5) ==")
        print("xor 2-8-1 batch 4:        \(try measure(iterations: 2000, xorStep))")
        print("mlp 784-256-10 batch 64:  \(try measure(iterations: 200, mlpStep))")
        print("lenet-5 1x28x28 batch 64: \(try measure(iterations: 10, repeats: 3, lenetStep))")
        print("lstm 32-128 T50 batch 32: \(try measure(iterations: 3, repeats: 3, lstmStep))")
    }

    print("== memory over 10,000 XOR training steps ==")
    for _ in 0..<1000 { try xorStep() }
    let before = residentMiB()
    for _ in 0..<9000 { try xorStep() }
    let after = residentMiB()
    print("RSS after 1,000 steps: \(before) MiB, after 10,000: \(after) MiB, growth \(after - before) MiB")
} catch {
    print("benchmark failed: \(error)")
    exit(1)
}
