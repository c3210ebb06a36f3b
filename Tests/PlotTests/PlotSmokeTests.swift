import Testing
@testable import Plot

@Test func plotModuleIsNamed() { #expect(PlotModule.name == "plot") }
