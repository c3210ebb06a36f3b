import Testing
@testable import Engine

@Suite(.serialized) struct InterruptionTests {
    @Test func takeConsumesTheFlag() {
        Interruption.clear()
        #expect(!Interruption.isRequested)
        Interruption.request()
        #expect(Interruption.isRequested)
        #expect(Interruption.take())
        #expect(!Interruption.take())
    }
}
