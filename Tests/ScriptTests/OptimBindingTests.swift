import Foundation
import Testing
@testable import Script

/// The optimiser fixtures the engine tests use (made by PyTorch with
/// Tests/EngineTests/fixtures/nn/make_nn_fixtures.py): minimise ½·Σ c·(p − target)² for six steps.
enum OptimFixtures {
    static let root: [String: Any] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("EngineTests/fixtures/nn/nn.json")
        guard let data = try? Data(contentsOf: url),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return json
    }()
    static var cases: [[String: Any]] { root["optimizers"] as? [[String: Any]] ?? [] }
    static var names: [String] { cases.compactMap { $0["name"] as? String } }
    static func data(_ v: Any?) -> [Double] { ((v as? [String: Any])?["data"] as? [NSNumber])?.map(\.doubleValue) ?? [] }
    static func literal(_ xs: [Double]) -> String { "[" + xs.map { String($0) }.joined(separator: ", ") + "]" }

    /// The fixture's keyword arguments as script source (`lr=0.1, betas=(0.8, 0.99), amsgrad=True`).
    static func keywords(_ kw: [String: Any]) -> String {
        kw.keys.sorted().map { k in
            let v = kw[k]
            if let xs = v as? [NSNumber] { return "\(k)=(\(xs.map { "\($0.doubleValue)" }.joined(separator: ", ")))" }
            if let n = v as? NSNumber {
                if ["nesterov", "amsgrad", "centered"].contains(k) { return "\(k)=\(n.intValue == 1 ? "True" : "False")" }
                return "\(k)=\(n.doubleValue)"
            }
            return "\(k)=None"
        }.joined(separator: ", ")
    }
}

extension ScriptSuite {
    @Test(arguments: OptimFixtures.names)
    func optimizerStepsMatchPyTorch(_ name: String) throws {
        let c = try #require(OptimFixtures.cases.first { $0["name"] as? String == name })
        let problem = OptimFixtures.root["optimizer_problem"] as? [String: Any] ?? [:]
        let s = NNScript()
        let r = s.run("""
        p = tensor(\(OptimFixtures.literal(OptimFixtures.data(problem["p0"]))), requires_grad=True)
        c = tensor(\(OptimFixtures.literal(OptimFixtures.data(problem["c"]))))
        target = tensor(\(OptimFixtures.literal(OptimFixtures.data(problem["target"]))))
        opt = optim.\(c["optimizer"] as? String ?? "?")([p], \(OptimFixtures.keywords(c["kwargs"] as? [String: Any] ?? [:])))
        for k in range(\((c["trajectory"] as? [Any])?.count ?? 0)):
            opt.zero_grad()
            d = p - target
            loss = (d * d * c).sum() * 0.5
            loss.backward()
            opt.step()
            print(p.tolist())
        """)
        #expect(r.error == nil, "\(String(describing: r.error))")
        let printed = r.stdout.split(separator: "\n").map { line in
            line.dropFirst().dropLast().split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        }
        let expected = (c["trajectory"] as? [Any] ?? []).map(OptimFixtures.data)
        #expect(printed.count == expected.count)
        for (step, (got, want)) in zip(printed, expected).enumerated() {
            #expect(got.count == want.count)
            for (g, w) in zip(got, want) {
                #expect(abs(g - w) <= 1e-5 + 1e-4 * abs(w), "\(name) step \(step + 1): \(g) vs \(w)")
            }
        }
    }

    @Test func schedulersChangeTheLearningRate() {
        let s = NNScript()
        let r = s.run("""
        opt = optim.SGD(nn.Linear(2, 1).parameters(), lr=1.0)
        sched = optim.StepLR(opt, step_size=2, gamma=0.5)
        lrs = []
        for epoch in range(5):
            sched.step()
            lrs.append(sched.get_last_lr()[0])
        print(lrs, opt.param_groups[0]['lr'])
        opt2 = optim.Adam(nn.Linear(2, 1).parameters(), lr=0.1)
        e = optim.lr_scheduler.ExponentialLR(opt2, gamma=0.5)
        e.step(); e.step()
        print(round(opt2.lr, 6), e.last_epoch)
        for g in opt2.param_groups:
            g['lr'] = 0.3
        print(opt2.lr)
        """)
        #expect(r.error == nil, "\(String(describing: r.error))")
        #expect(r.stdout == "[1.0, 0.5, 0.5, 0.25, 0.25] 0.25\n0.025 2\n0.3\n")
    }

    @Test func clipGradNormScalesGradients() {
        let s = NNScript()
        let r = s.run("""
        w = tensor([3.0, 4.0], requires_grad=True)
        (w * w).sum().backward()
        total = optim.clip_grad_norm_([w], max_norm=1.0)
        print(round(total.item(), 4), [round(g, 4) for g in w.grad.tolist()])
        lin = nn.Linear(2, 1)
        lin(tensor([[1.0, 1.0]])).sum().backward()
        print(nn.utils.clip_grad_norm_(lin.parameters(), 100.0).item() > 0)
        """)
        #expect(r.error == nil, "\(String(describing: r.error))")
        #expect(r.stdout == "10.0 [0.6, 0.8]\nTrue\n")
    }
}
