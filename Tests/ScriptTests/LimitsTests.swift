import Foundation
import Testing
@testable import Script

/// Absurd sizes, deep nesting and 64-bit edges raise clear errors instead of trapping or
/// exhausting memory (issue 11). Each program here used to crash the process or run away.
extension ScriptSuite {
    /// Runs `code` in a fresh session on a thread with the kernel's 512 MiB stack (deep structures
    /// are built, compared and freed there, as in the kernel); returns the error's name and message.
    private func error(_ code: String) -> (name: String?, message: String) {
        onKernelStack {
            let s = ScriptSession(output: CapturedOutput())
            let r = s.execute(code: code, cellNumber: 1)
            return (r.error?.name, r.error?.message ?? "")
        }
    }

    private func output(_ code: String) -> (String, String?) { onKernelStack { runCell(code) } }

    @Test(arguments: [
        "x = 'a' * 10**12", "x = [0] * 10**12", "x = (1,) * 10**12",
        "x = list(range(10**12))", "x = tuple(range(10**12))", "x = sorted(range(10**12))",
        "s = 'a' * (2**30 + 10)\ns = s + s",
        "x = ''.join(['ab' * 10**6] * 2000)",
        "x = ('abc' * 10**6).replace('', 'x' * 10**4)",
        "x = 'abc'.zfill(10**12)", "x = 'x'.center(10**12)", "x = 'x'.ljust(10**12)", "x = str(1).rjust(2**62)",
        "x = '{:>99999999999}'.format(1)", "x = f'{1:>{10**10}}'",
        "x = f'{1:99999999999999999999999999}'",
    ])
    func absurdSizesAreMemoryErrors(_ code: String) {
        #expect(error(code).name == "MemoryError", "\(code)")
    }

    @Test func theMessageSaysHowBig() {
        #expect(error("x = [0] * 10**12").message.contains("1000000000000"))
        #expect(error("x = list(range(10**12))").message.contains("1000000000000"))
    }

    @Test(arguments: [
        "x = -9223372036854775807 - 1\nr = range(x, 0)\nprint(r[5])",
        "x = 9223372036854775807\nprint(len(range(-x, x, 2)))",
        "x = 9223372036854775807\nprint(range(x - 2, x, 3)[0])",
        "x = 9223372036854775807\nprint(range(-x, x)[::2][1])",
    ])
    func rangesSpanningAllOf64BitsWork(_ code: String) {
        #expect(error(code).name == nil, "\(code)")
    }

    @Test func rangeArithmeticIsExact() {
        #expect(output("x = 9223372036854775807\nprint(len(range(-x, x, 2)), range(-x, x)[::2][1], range(x - 2, x, 3)[0])").0
            == "9223372036854775807 -9223372036854775805 9223372036854775805\n")
        #expect(output("print(list(range(10)[::-3]), len(range(0, 10**18, 7)))").0 == "[9, 6, 3, 0] 142857142857142858\n")
    }

    @Test(arguments: [
        "x = 9223372036854775807\nprint(list(enumerate([1, 2], x)))",
        "x = -9223372036854775807 - 1\nprint(-x)", "print(9223372036854775807 + 1)", "print(2 ** 64)",
        "x = -9223372036854775807 - 1\nprint(x // -1)",
    ])
    func integerOverflowIsAnOverflowError(_ code: String) {
        #expect(error(code).name == "OverflowError", "\(code)")
    }

    @Test func roundWithHugeDigitCountsIsExact() {
        #expect(output("print(round(2.5, 10**18), round(2.5, -10**18), round(-2.5, -500), round(2.675, 2))").0 == "2.5 0.0 -0.0 2.67\n")
    }

    @Test func hugePrecisionIsAValueError() {
        let e = error("x = format(1.5, '.99999999999f')")
        #expect(e.name == "ValueError" && e.message.contains("precision too big"))
    }

    @Test(arguments: [
        "x = []\ny = []\nfor i in range(20000):\n    x = [x]\n    y = [y]\nprint(x == y)",
        "x = {}\ny = {}\nfor i in range(20000):\n    x = {'a': x}\n    y = {'a': y}\nprint(x == y)",
    ])
    func deeplyNestedComparisonsAreRecursionErrors(_ code: String) {
        #expect(error(code).name == "RecursionError", "\(code)")
    }

    @Test func deeplyNestedContainersPrintAndHash() {
        let (out, err) = output("""
            x = []
            t = ()
            for i in range(30000):
                x = [x]
                t = (t,)
            s = str(x)
            d = {t: 1}
            print(s[:3], s[-3:], '...' in s, len(s) < 60000, hash(t) == hash(t), d[t], x < x)
            """)
        #expect(err == nil)
        #expect(out == "[[[ ]]] True True True 1 False\n")
    }

    @Test func recursionAndNestingLimitsStayErrors() {
        #expect(error("def f(n):\n    return f(n + 1)\nf(0)").name == "RecursionError")
        #expect(error("x = " + String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)).name == "SyntaxError")
        #expect(error("x = " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)).name == "SyntaxError")
        #expect(error("x = " + String(repeating: "-", count: 100000) + "1").name == "SyntaxError")
    }
}

/// Holds what a kernel-stack thread computed.
final class KernelStackResult<T>: @unchecked Sendable {
    var value: T?
    let done = DispatchSemaphore(value: 0)
}

/// Runs `body` on a new thread with a 512 MiB stack (like the kernel's execution thread) and waits.
func onKernelStack<T>(_ body: @escaping () -> T) -> T {
    let box = KernelStackResult<T>()
    let thread = Thread { box.value = body(); box.done.signal() }
    thread.stackSize = 512 << 20
    thread.start()
    box.done.wait()
    guard let value = box.value else { preconditionFailure("the kernel-stack thread returned nothing") }
    return value
}
