// Training-step benchmarks for Engine/NN and Engine/Optim (not tests): one Adam step (zero_grad, forward,
// loss, backward, step) per model. bench/nn/torch_bench.py times the same steps in PyTorch; bench/run.py
// runs both alternately and divides.
// Run: swift run -c release NNBench [--quick] [--memory] [--only KEY] (KEY: xor mlp lenet5 lstm transformer; for profiling)
// Prints one "key seconds" line per model (the median of several timed batches of steps).
// --memory adds the resident-set growth over 10,000 XOR steps ("xor_rss_growth_mib MiB") and over shorter
// runs of the MLP, LeNet-5 and LSTM steps.
import BenchTiming
import Engine

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Resident set size in MiB (Linux /proc/self/statm; -1 elsewhere).
func residentMiB() -> Double {
    guard let f = fopen("/proc/self/statm", "r") else { return -1 }
    defer { fclose(f) }
    var buf = [CChar](repeating: 0, count: 256)
    guard fgets(&buf, 256, f) != nil else { return -1 }
    let parts = String(cString: buf).split(separator: " ")
    guard parts.count >= 2, let pages = Int(parts[1]) else { return -1 }
    return Double(pages * Int(sysconf(Int32(_SC_PAGESIZE)))) / 1_048_576
}

/// One Adam training step for `model` on a fixed input and loss.
func stepper(_ model: Module, _ x: Tensor, _ loss: @escaping (Tensor) throws -> Tensor) throws -> () throws -> Void {
    let opt = try Adam(model.parameters(), lr: 1e-3)
    return {
        opt.zeroGrad()
        try loss(model(x)).backward()
        try opt.step()
    }
}

/// `--only KEY` times just that model (the others are still built, so seeds and shapes stay the same).
let only: String? = CommandLine.arguments.firstIndex(of: "--only").flatMap {
    $0 + 1 < CommandLine.arguments.count ? CommandLine.arguments[$0 + 1] : nil
}

func measure(_ key: String, iterations: Int, _ body: () throws -> Void) rethrows {
    if only == nil || only == key { try BenchTiming.measure(key, iterations: iterations, body) }
}

do {
    RandomGenerator.shared.reseed(0)
    let xorX = try Tensor([0, 0, 0, 1, 1, 0, 1, 1] as [Float], shape: [4, 2])
    let xorY = try Tensor([0, 1, 1, 0] as [Float], shape: [4, 1])
    let xor = Sequential(try Linear(2, 8), Tanh(), try Linear(8, 1), Sigmoid())
    let xorStep = try stepper(xor, xorX) { try Losses.bceLoss($0, xorY) }
    try measure("xor", iterations: 2000, xorStep)

    let labels = try Tensor((0..<64).map { Int64($0 % 10) }, shape: [64])
    let mlp = Sequential(try Linear(784, 256), ReLU(), try Linear(256, 10))
    let mlpStep = try stepper(mlp, try Tensor.rand([64, 784])) { try Losses.crossEntropy($0, labels) }
    try measure("mlp", iterations: 100, mlpStep)

    let lenet = Sequential(try Conv2d(1, 6, 5, padding: 2), ReLU(), try MaxPool2d(2), try Conv2d(6, 16, 5), ReLU(),
                           try MaxPool2d(2), Flatten(), try Linear(400, 120), ReLU(), try Linear(120, 84), ReLU(),
                           try Linear(84, 10))
    let lenetStep = try stepper(lenet, try Tensor.rand([64, 1, 28, 28])) { try Losses.crossEntropy($0, labels) }
    try measure("lenet5", iterations: 8, lenetStep)

    let lstm = try LSTM(32, 128)
    let head = try Linear(128, 10)
    let seq = try Tensor.randn([50, 32, 32])
    let lstmLabels = try Tensor((0..<32).map { Int64($0 % 10) }, shape: [32])
    let lstmOpt = try Adam(lstm.parameters() + head.parameters(), lr: 1e-3)
    let lstmStep = {
        lstmOpt.zeroGrad()
        let r = try lstm.forward(seq, nil)
        try Losses.crossEntropy(head(r.hN.squeeze(0)), lstmLabels).backward()
        try lstmOpt.step()
    }
    try measure("lstm", iterations: 4, lstmStep)

    // One post-norm encoder layer, d_model 64, 4 heads, feed-forward 256, no dropout; sequence 32, batch 16.
    let encoder = try TransformerEncoderLayer(dModel: 64, nhead: 4, dimFeedforward: 256, dropout: 0)
    let tokens = try Tensor.randn([32, 16, 64]), target = try Tensor.randn([32, 16, 64])
    try measure("transformer", iterations: 20, try stepper(encoder, tokens) { try Losses.mseLoss($0, target) })

    if CommandLine.arguments.contains("--memory") {
        // Resident-set growth after a tenth of the steps as warm-up (10,000 XOR steps; fewer of the
        // slower models, enough to show a leak of a buffer per step).
        let runs: [(String, Int, () throws -> Void)] = [("xor", 10_000, xorStep), ("mlp", 2_000, mlpStep),
                                                          ("lenet5", 1_000, lenetStep), ("lstm", 500, lstmStep)]
        for (name, steps, step) in runs {
            for _ in 0..<(steps / 10) { try step() }
            let before = residentMiB()
            for _ in (steps / 10)..<steps { try step() }
            print("\(name)_rss_growth_mib", residentMiB() - before)
        }
    }
} catch {
    print("error:", error)
    exit(1)
}
