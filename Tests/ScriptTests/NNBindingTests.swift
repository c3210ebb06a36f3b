import Foundation
import Testing
@testable import Script

/// A session with every binding installed, and what it printed.
final class NNScript {
    let out = CapturedOutput()
    let session: ScriptSession
    private var cell = 0
    init() {
        Bindings.installOnce()
        session = ScriptSession(output: out)
    }
    /// Runs a cell; returns its stdout (only this cell's) and error, if any.
    @discardableResult
    func run(_ code: String) -> (stdout: String, error: ExecutionError?) {
        let before = out.stdout.count
        cell += 1
        let r = session.execute(code: code, cellNumber: cell)
        return (String(out.stdout.dropFirst(before)), r.error)
    }
}

let xorNetSource = """
class Net(nn.Module):
    def __init__(self, n_in, n_hidden):
        super().__init__()
        self.fc1 = nn.Linear(n_in, n_hidden)
        self.fc2 = nn.Linear(n_hidden, 1)
    def forward(self, x):
        return nn.sigmoid(self.fc2(nn.tanh(self.fc1(x))))
x = tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = tensor([[0.0], [1.0], [1.0], [0.0]])

"""

extension ScriptSuite {
    @Test func scriptModuleFindsParametersInAssignmentOrder() {
        let s = NNScript()
        let r = s.run(xorNetSource + """
        class Wrapper(nn.Module):
            def __init__(self):
                super().__init__()
                self.scale = tensor([2.0], requires_grad=True)
                self.body = Net(2, 3)
                self.heads = [nn.Linear(1, 2), nn.Linear(1, 3)]
                self.note = "not a parameter"
                self.frozen = tensor([1.0])
            def forward(self, x):
                return self.body(x) * 1.0
        w = Wrapper()
        print([n for n, p in w.named_parameters()])
        print(len(w.parameters()), w.num_parameters())
        print([type(c).__name__ for c in w.children()])
        """)
        #expect(r.error == nil, "\(String(describing: r.error))")
        #expect(r.stdout == """
        ['scale', 'body.fc1.weight', 'body.fc1.bias', 'body.fc2.weight', 'body.fc2.bias', 'heads.0.weight', 'heads.0.bias', 'heads.1.weight', 'heads.1.bias']
        9 24
        ['Net', 'ModuleList']

        """)
    }

    @Test func backReferencesDoNotMakeTheTreeACycle() {
        let s = NNScript()
        let r = s.run("""
        class Child(nn.Module):
            def __init__(self, parent):
                super().__init__()
                self.parent = parent
                self.lin = nn.Linear(1, 1)
        class Parent(nn.Module):
            def __init__(self):
                super().__init__()
                self.child = Child(self)
        p = Parent()
        print(p)
        print(len(p.parameters()), len(p.child.parameters()))
        """)
        #expect(r.error == nil, "\(String(describing: r.error))")
        #expect(r.stdout == """
        Parent(
          (child): Child(
            (lin): Linear(in_features=1, out_features=1, bias=True)  # 2 parameters
          )
        )  # Total: 2 parameters
        2 2

        """)
    }

    @Test func buffersApplyModuleListsAndSummaryOfAScriptModel() {
        let s = NNScript()
        let r = s.run("""
        class Block(nn.Module):
            def __init__(self):
                super().__init__()
                self.lin = nn.Linear(4, 4)
            def forward(self, x):
                return nn.relu(self.lin(x))
        class Model(nn.Module):
            def __init__(self):
                super().__init__()
                self.blocks = nn.ModuleList([Block(), Block()])
                self.head = nn.Linear(4, 2)
                self.register_buffer('stat', tensor([0.0, 1.0]))
            def forward(self, x):
                for b in self.blocks:
                    x = b(x)
                return self.head(x)
        m = Model()
        print(list(m.state_dict().keys()), len(m.parameters()), len(m.blocks))
        def init(mod):
            if isinstance(mod, nn.Linear):
                nn.init.constant_(mod.bias, 0.25)
        m.apply(init)
        print(m.head.bias.tolist(), m.blocks[1].lin.bias.tolist())
        print(summary(m, (3, 4)))
        """)
        #expect(r.error == nil, "\(String(describing: r.error))")
        #expect(r.stdout.hasPrefix("""
        ['stat', 'blocks.0.lin.weight', 'blocks.0.lin.bias', 'blocks.1.lin.weight', 'blocks.1.lin.bias', 'head.weight', 'head.bias'] 6 2
        [0.25, 0.25] [0.25, 0.25, 0.25, 0.25]
        Layer (type)           Output Shape  Param #
        """))
        #expect(r.stdout.contains("blocks.1.lin (Linear)  [3, 4]             20"))
        #expect(r.stdout.contains("head (Linear)          [3, 2]             10"))
        #expect(r.stdout.contains("Total params: 50"))
    }

    @Test func scriptModuleTrainsXORWithAdam() {
        let s = NNScript()
        let r = s.run("seed(0)\n" + xorNetSource + """
        net = Net(2, 8)
        opt = optim.Adam(net.parameters(), lr=0.05)
        for epoch in range(300):
            opt.zero_grad()
            loss = nn.bce_loss(net(x), y)
            loss.backward()
            opt.step()
        pred = net(x).tolist()
        print([1 if p[0] > 0.5 else 0 for p in pred])
        print(loss.item() < 0.05)
        """)
        #expect(r.error == nil, "\(String(describing: r.error))")
        #expect(r.stdout == "[0, 1, 1, 0]\nTrue\n")
    }

    @Test func sequentialTrainsXORWithSGDAndCrossEntropy() {
        let s = NNScript()
        let r = s.run("""
        seed(1)
        model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))
        x = tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
        y = tensor([0, 1, 1, 0])
        opt = optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
        criterion = nn.CrossEntropyLoss()
        for i in range(300):
            opt.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            opt.step()
        print(model(x).argmax(dim=1).tolist())
        """)
        #expect(r.error == nil, "\(String(describing: r.error))")
        #expect(r.stdout == "[0, 1, 1, 0]\n")
    }

    @Test func printingAModelListsLayersAndCounts() {
        let s = NNScript()
        let r = s.run(xorNetSource + """
        print(Net(2, 8))
        print(nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Dropout(0.25)))
        """)
        #expect(r.error == nil)
        #expect(r.stdout == """
        Net(
          (fc1): Linear(in_features=2, out_features=8, bias=True)  # 24 parameters
          (fc2): Linear(in_features=8, out_features=1, bias=True)  # 9 parameters
        )  # Total: 33 parameters
        Sequential(
          (0): Linear(in_features=2, out_features=4, bias=True)  # 12 parameters
          (1): ReLU()
          (2): Dropout(p=0.25, inplace=False)
        )  # Total: 12 parameters

        """)
    }

    @Test func shapeErrorNamesTheLayerAndPointsAtTheUsersLine() {
        let s = NNScript()
        let r = s.run("""
        layer = nn.Linear(2, 8)
        x = tensor([[1.0, 2.0, 3.0]] * 4)
        h = layer(x)
        """)
        #expect(r.error?.name == "ShapeError")
        #expect(r.error?.message == "Linear(2 => 8) expects input of size 2 in its last dimension, got shape [4, 3]")
        #expect(r.error?.traceback.contains("line 3") == true, "\(r.error?.traceback ?? "")")
        #expect(r.error?.traceback.contains("h = layer(x)") == true)
    }

    @Test func layerAttributesAreTheTensorsTheOptimiserUpdates() {
        let s = NNScript()
        let r = s.run("""
        lin = nn.Linear(3, 2)
        print(lin.in_features, lin.out_features, lin.weight.shape, lin.bias.shape)
        lin.weight = tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
        lin.bias = tensor([0.5, -0.5])
        print(lin(tensor([[1.0, 2.0, 3.0]])).tolist())
        opt = optim.SGD(lin.parameters(), lr=0.1)
        lin(tensor([[1.0, 2.0, 3.0]])).sum().backward()
        opt.step()
        print(lin.bias.tolist())
        print(lin.weight.requires_grad, len(lin.parameters()))
        """)
        #expect(r.error == nil, "\(String(describing: r.error))")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines.first?.hasPrefix("3 2") == true)
        #expect(lines.dropFirst().first == "[[1.5, 1.5]]")
        #expect(lines.dropFirst(2).first?.hasPrefix("[0.4") == true)
        #expect(lines.last == "True 2")
    }

    @Test func saveAndLoadRoundTrip() throws {
        let path = NSTemporaryDirectory() + "myelin-nnbind-\(getpid()).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let s = NNScript()
        let r = s.run(xorNetSource + """
        a = Net(2, 8)
        a.save('\(path)')
        b = Net(2, 8)
        print(a(x).tolist() == b(x).tolist())
        b.load('\(path)')
        print(a(x).tolist() == b(x).tolist())
        print(list(b.state_dict().keys()))
        """)
        #expect(r.error == nil, "\(String(describing: r.error))")
        #expect(r.stdout == "False\nTrue\n['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']\n")
        let bad = s.run("nn.Linear(3, 3).load('\(path)')")
        #expect(bad.error?.name == "ValueError" || bad.error?.name == "ShapeError")
    }

    @Test func trainAndEvalReachDropoutInsideScriptModules() {
        let s = NNScript()
        let r = s.run("""
        class Drop(nn.Module):
            def __init__(self):
                super().__init__()
                self.inner = nn.Sequential(nn.Dropout(0.5))
            def forward(self, x):
                return self.inner(x)
        m = Drop()
        x = ones(1000)
        print(m.training, m.inner[0].training)
        zeros_in_train = (m(x) == 0).sum().item()
        m.eval()
        print(m.training, m.inner[0].training, m(x).tolist() == x.tolist())
        m.train()
        print(m.inner[0].training, 350 < zeros_in_train < 650)
        """)
        #expect(r.error == nil, "\(String(describing: r.error))")
        #expect(r.stdout == "True True\nFalse False True\nTrue True\n")
    }

    @Test func recurrentAndAttentionLayersReturnPyTorchTuples() {
        let s = NNScript()
        let r = s.run("""
        x = randn(4, 7, 3)
        out, (h, c) = nn.LSTM(3, 5, batch_first=True)(x)
        print(out.shape, h.shape, c.shape)
        out, h = nn.GRU(3, 5, num_layers=2, batch_first=True)(x)
        print(out.shape, h.shape)
        out, h = nn.RNN(3, 5, bidirectional=True)(x)
        print(out.shape, h.shape)
        mha = nn.MultiheadAttention(6, 2, batch_first=True)
        q = randn(2, 4, 6)
        o, w = mha(q, q, q)
        print(o.shape, w.shape)
        print(nn.TransformerEncoderLayer(6, 2, dim_feedforward=8, batch_first=True)(q).shape)
        """)
        #expect(r.error == nil, "\(String(describing: r.error))")
        #expect(r.stdout == """
        (4, 7, 5) (1, 4, 5) (1, 4, 5)
        (4, 7, 5) (2, 4, 5)
        (4, 7, 10) (2, 7, 5)
        (2, 4, 6) (2, 4, 4)
        (2, 4, 6)

        """)
    }

    @Test func everyLayerConstructsAndRuns() {
        let s = NNScript()
        let r = s.run("""
        img = randn(2, 1, 8, 8)
        print(nn.Conv2d(1, 4, 3, padding=1)(img).shape)
        print(nn.Conv2d(1, 4, kernel_size=(3, 5), stride=(1, 2))(img).shape)
        print(nn.ConvTranspose2d(1, 2, 2, stride=2)(img).shape)
        print(nn.MaxPool2d(2)(img).shape, nn.AvgPool2d(2, stride=2)(img).shape)
        print(nn.Flatten()(img).shape)
        print(nn.BatchNorm2d(1)(img).shape, nn.BatchNorm1d(3)(randn(5, 3)).shape)
        print(nn.LayerNorm(8)(img).shape)
        print(nn.Embedding(10, 4)(tensor([[1, 2], [3, 9]])).shape)
        adj = nn.functional.normalize_adjacency(tensor([[0.0, 1.0], [1.0, 0.0]]))
        print(nn.GraphConv(3, 2)(randn(2, 3), adj).shape)
        acts = [nn.ReLU(), nn.LeakyReLU(0.1), nn.Sigmoid(), nn.Tanh(), nn.SELU(), nn.Softmax(dim=1), nn.Step()]
        print([a(tensor([[-1.0, 2.0]])).shape for a in acts])
        print(nn.functional.conv2d(img, randn(3, 1, 3, 3)).shape, nn.functional.max_pool2d(img, 2).shape)
        print(nn.functional.pad(img, (1, 1)).shape, nn.functional.linear(randn(2, 3), randn(4, 3)).shape)
        """)
        #expect(r.error == nil, "\(String(describing: r.error))")
        #expect(r.stdout == """
        (2, 4, 8, 8)
        (2, 4, 6, 2)
        (2, 2, 16, 16)
        (2, 1, 4, 4) (2, 1, 4, 4)
        (2, 64)
        (2, 1, 8, 8) (5, 3)
        (2, 1, 8, 8)
        (2, 2, 4)
        (2, 2)
        [(1, 2), (1, 2), (1, 2), (1, 2), (1, 2), (1, 2), (1, 2)]
        (2, 3, 6, 6) (2, 1, 4, 4)
        (2, 1, 8, 10) (2, 4)

        """)
    }

    @Test func lossesTakePyTorchKeywords() {
        let s = NNScript()
        let r = s.run("""
        p = tensor([0.2, 0.8])
        t = tensor([0.0, 1.0])
        print(round(nn.mse_loss(p, t, reduction='sum').item(), 4))
        print(round(nn.functional.binary_cross_entropy(p, t).item(), 4))
        print(round(nn.bce_loss(p, t, weight=tensor([1.0, 0.0])).item(), 4))
        print(nn.bce_with_logits(tensor([0.0]), tensor([1.0]), reduction='none').shape)
        print(round(nn.cross_entropy(tensor([[0.0, 0.0]]), tensor([1])).item(), 4))
        print(round(nn.nll_loss(tensor([[-1.0, -2.0]]), tensor([1])).item(), 4))
        print(round(nn.kl_div(tensor([[0.0]]), tensor([[1.0]]), reduction='batchmean').item(), 4))
        """)
        #expect(r.error == nil, "\(String(describing: r.error))")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 7)
        #expect(lines.first == "0.08")                        // 0.2² + 0.2²
        #expect(lines.dropFirst().first == "0.2231")           // −log 0.8
        #expect(lines.dropFirst(2).first == "0.1116")          // (−log 0.8 + 0) / 2
        #expect(lines.dropFirst(4).first == "0.6931")          // log 2
        #expect(lines.dropFirst(5).first == "2.0")
        #expect(lines.last == "0.0")
    }

    /// References from NumPy: l = logsumexp(x) − x[t]; (l·w[t]).sum() / w[t].sum() (ignored targets dropped).
    @Test func classWeightsFollowPyTorchsWeightedMean() {
        let s = NNScript()
        let r = s.run("""
        x = tensor([[1.0, 2.0, 0.0], [0.0, 0.0, 3.0], [0.5, 0.0, 0.0]])
        w = tensor([1.0, 2.0, 3.0])
        print(round(nn.cross_entropy(x, tensor([1, 2, 0]), weight=w).item(), 4))
        print(round(nn.CrossEntropyLoss(weight=w, reduction='sum')(x, tensor([1, 2, 0])).item(), 4))
        print(round(nn.cross_entropy(x, tensor([1, -100, 0]), weight=w).item(), 4))
        print(round(nn.nll_loss(nn.log_softmax(x, dim=1), tensor([1, 2, 0]), weight=w).item(), 4))
        """)
        #expect(r.error == nil, "\(String(describing: r.error))")
        #expect(r.stdout == "0.3157\n1.8944\n0.5365\n0.3157\n")
        let bad = s.run("nn.cross_entropy(x, tensor([1, 2, 0]), weight=tensor([1.0, 2.0]))")
        #expect(bad.error?.name == "ShapeError")
    }

    @Test func initFunctionsFillInPlaceAndSummaryLists() {
        let s = NNScript()
        let r = s.run("""
        lin = nn.Linear(4, 3)
        nn.init.zeros_(lin.bias)
        nn.init.constant_(lin.weight, 0.5)
        print(lin.bias.tolist(), lin.weight.tolist()[0])
        for f in [nn.init.xavier_uniform_, nn.init.xavier_normal_, nn.init.kaiming_uniform_, nn.init.kaiming_normal_]:
            f(lin.weight)
        print(lin.weight.tolist()[0] != [0.5, 0.5, 0.5, 0.5])
        print(summary(nn.Sequential(nn.Linear(4, 3), nn.ReLU()), (2, 4)))
        """)
        #expect(r.error == nil, "\(String(describing: r.error))")
        #expect(r.stdout.hasPrefix("[0.0, 0.0, 0.0] [0.5, 0.5, 0.5, 0.5]\nTrue\n"))
        #expect(r.stdout.contains("0 (Linear)    [2, 3]             15"))
        #expect(r.stdout.contains("Total params: 15"))
    }

    @Test func badArgumentsGiveClearErrors() {
        let s = NNScript()
        let cases: [(String, String, String)] = [
            ("nn.Linear('a', 2)", "TypeError", "Linear() argument 'in_features' must be an int, not str"),
            ("nn.Conv2d(1, 2)", "TypeError", "Conv2d() missing required argument: 'kernel_size'"),
            ("nn.Linear(2, 2, 3, 4)", "TypeError", "Linear() takes at most 3 positional arguments (4 given)"),
            ("nn.Dropout(1.5)", "ValueError", "Dropout: probability has to be between 0 and 1, but got 1.5"),
            ("nn.mse_loss(tensor([1.0]), tensor([1.0]), reduction='avg')", "ValueError", "avg is not a valid value for reduction (use 'mean', 'sum' or 'none')"),
            ("optim.SGD([], lr=0.1)", "ValueError", "SGD: optimizer got an empty parameter list"),
            ("optim.Adam(5)", "TypeError", "Adam() params must be a list of tensors (e.g. model.parameters()), not int"),
            ("optim.SGD(nn.Linear(1, 1).parameters(), lr=-1)", "ValueError", "SGD: invalid learning rate: -1.0"),
            ("nn.Sequential(nn.Linear(1, 1), 3)", "TypeError", "Sequential argument 1 must be an nn.Module (a layer or a model), not int"),
            ("nn.Sequential(nn.Linear(1, 1))[5]", "IndexError", "index 5 is out of range for Sequential of length 1"),
        ]
        for (code, name, message) in cases {
            let r = s.run(code)
            #expect(r.error?.name == name, "\(code)")
            #expect(r.error?.message == message, "\(code): \(r.error?.message ?? "no error")")
        }
        let noForward = s.run("""
        class Empty(nn.Module):
            pass
        Empty()(tensor([1.0]))
        """)
        #expect(noForward.error?.name == "NotImplementedError")
        #expect(noForward.error?.message.contains("define forward") == true)
    }
}
