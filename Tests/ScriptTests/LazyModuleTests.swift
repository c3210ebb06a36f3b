import Testing
@testable import Script

/// Built-in modules are made on first use (`BindingModule(fill:)`, `ModuleObj.pendingMembers`): every
/// way of reaching one must still see one complete module object.
extension ScriptSuite {
    /// A cell in a fresh session with every binding installed: (stdout, error name).
    private func runBound(_ code: String) -> (String, String?) {
        Bindings.installOnce()
        return runCell(code)
    }

    @Test func submoduleImportedFirstIsTheParentsMember() {
        let (out, err) = runBound("""
            import nn.functional as F
            import nn.init
            print(F is nn.functional, nn.init is nn.init, 'relu' in dir(F), 'Linear' in dir(nn))
            """)
        #expect(err == nil)
        #expect(out == "True True True True\n")
    }

    @Test func fromImportAndAttributesBeforeAnyOtherUse() {
        let (out, err) = runBound("""
            from nn import Linear, functional
            layer = Linear(2, 3)
            print(type(layer).__name__, layer.weight.shape, functional is nn.functional)
            """)
        #expect(err == nil)
        #expect(out == "Linear (3, 2) True\n")
    }

    @Test func moduleAttributesCanBeSetAndReadBack() {
        let (out, err) = runBound("""
            nn.answer = 42
            import nn as again
            print(again.answer, again is nn, hasattr(nn, 'Sequential'))
            """)
        #expect(err == nil)
        #expect(out == "42 True True\n")
    }

    @Test func missingModulesAndSubmodulesAreModuleNotFound() {
        #expect(runBound("import nn.nope").1 == "ModuleNotFoundError")
        #expect(runBound("import nn.functional.deeper").1 == "ModuleNotFoundError")
        #expect(runBound("import torch").1 == "ModuleNotFoundError")
        #expect(runBound("import sys.path").1 == "ModuleNotFoundError")
    }

    @Test func eachSessionGetsItsOwnFilledModule() {
        Bindings.installOnce()
        let a = ScriptSession(output: CapturedOutput()), b = ScriptSession(output: CapturedOutput())
        #expect(a.execute(code: "nn.marker = 1", cellNumber: 1).error == nil)
        let out = CapturedOutput()
        let c = ScriptSession(output: out)
        #expect(c.execute(code: "print(hasattr(nn, 'marker'), nn.Linear(1, 1).weight.shape)", cellNumber: 1).error == nil)
        #expect(out.stdout == "False (1, 1)\n")
        #expect(b.execute(code: "nn.ReLU()", cellNumber: 1).error == nil)
    }
}
