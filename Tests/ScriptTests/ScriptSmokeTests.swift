import Testing
@testable import Script

@Test func scriptModuleIsNamed() { #expect(ScriptModule.name == "script") }
