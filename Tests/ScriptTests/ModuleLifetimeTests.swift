import Engine
import Testing
@testable import Script

/// A model written in the language is freed when the script drops it, while a native container
/// holding a script module keeps that module's script half alive (issue 11, memory).
@Suite struct ModuleLifetimeTests {
    private final class Weak { weak var object: AnyObject?; init(_ o: AnyObject?) { object = o } }

    private static let classes = """
        class Block(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(4, 4)
            def forward(self, x):
                return self.fc(x).relu()
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.block = Block()
                self.seq = nn.Sequential(Block(), nn.Linear(4, 2))
                self.blocks = [Block(), Block()]
            def forward(self, x):
                for b in self.blocks:
                    x = b(x)
                return self.seq(self.block(x))
        """

    /// Weak references to every module in the tree of global `name`, and to the script instances of the
    /// script-written ones.
    private func watch(_ session: ScriptSession, _ name: String) throws -> [Weak] {
        let value = try #require(session.vm.getGlobal(name))
        let root = try #require(NNModules.module(in: value))
        let modules = root.namedModules().map(\.module)
        let instances = modules.compactMap { ($0 as? ScriptModule)?.instance }
        return modules.map { Weak($0) } + instances.map { Weak($0) }
    }

    @Test func aDroppedModelIsFreedWithEveryModuleInIt() throws {
        Bindings.installOnce()
        let out = CapturedOutput()
        let session = ScriptSession(output: out)
        let built = session.execute(code: Self.classes + "\n" + """
            model = Net()
            y = model(randn([3, 4]))
            y.sum().backward()
            print(len(list(model.parameters())), y.shape)
            """, cellNumber: 1)
        #expect(built.error == nil, "\(built.error?.message ?? "")")
        #expect(out.stdout == "10 (3, 2)\n")
        let watched = try watch(session, "model")
        #expect(watched.count >= 16 && watched.allSatisfy { $0.object != nil })  // Net, 4 Blocks, Linears, …
        #expect(session.execute(code: "model = None\ny = None", cellNumber: 2).error == nil)
        #expect(watched.filter { $0.object != nil }.count == 0)
    }

    @Test func aSequentialKeepsATemporaryScriptModuleWorking() throws {
        Bindings.installOnce()
        let out = CapturedOutput()
        let session = ScriptSession(output: out)
        // The Block instance is held by nothing but the Sequential's registry.
        let built = session.execute(code: Self.classes + "\n" + """
            seq = nn.Sequential(Block(), nn.Linear(4, 2))
            print(seq(randn([5, 4])).shape)
            """, cellNumber: 1)
        #expect(built.error == nil, "\(built.error?.message ?? "")")
        #expect(out.stdout == "(5, 2)\n")
        let watched = try watch(session, "seq")
        #expect(watched.count >= 4 && watched.allSatisfy { $0.object != nil })  // seq, Block, 2 Linears, Block's instance
        #expect(session.execute(code: "print(seq(randn([1, 4])).shape)", cellNumber: 2).error == nil)
        #expect(session.execute(code: "seq = None", cellNumber: 3).error == nil)
        #expect(watched.filter { $0.object != nil }.count == 0)
    }
}
