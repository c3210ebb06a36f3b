import Engine
import Foundation
import Testing
@testable import Script

/// Mutation test (issue 11): thousands of mangled programs — tokens deleted, duplicated, swapped or
/// replaced in the conformance programs and in small tensor programs — run through the language.
/// Any trap or signal kills the test process, so reaching the end is the assertion; each program
/// must also end with either success or a named error. A watchdog interrupts programs that loop.
extension ScriptSuite {
    /// Small programs that reach the tensor bindings and the numeric edges.
    static let tensorSeeds = [
        "x = zeros(2, 3)\ny = ones(3, 4)\nz = x @ y\nprint(z.shape, z.sum().item())",
        "t = tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)\nl = (t * t).sum()\nl.backward()\nprint(t.grad)",
        "a = arange(0, 12).reshape(3, 4)\nprint(a[1:, ::2], a.T.shape, a.mean(), a.max())",
        "x = randn(4, 2)\nm = nn.Linear(2, 3)\nprint(m(x).shape)\nopt = optim.SGD(m.parameters(), lr=0.1)",
        "s = 0\nfor i in range(10):\n    s += i ** 2 // 3 % 7\nprint(s, [i * 2 for i in range(5) if i % 2], {k: v for k, v in zip('ab', (1, 2))})",
        "def f(a, b=2, *args, **kw):\n    return a + b + len(args) + len(kw)\nprint(f(1), f(1, 2, 3, x=4), 'x' * 3, 1e308 * 10)",
    ]

    /// A crude tokenizer: enough to mangle programs at token granularity (names, numbers, strings,
    /// operators, newlines and indentation runs).
    static func tokens(_ source: String) -> [String] {
        var out: [String] = []
        let chars = Array(source)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            var j = i + 1
            if c.isLetter || c == "_" || c.isNumber {
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == "." && c.isNumber { j += 1 }
            } else if c == "'" || c == "\"" {
                while j < chars.count, chars[j] != c, chars[j] != "\n" { j += 1 }
                j = min(j + 1, chars.count)
            } else if c == " " {
                while j < chars.count, chars[j] == " " { j += 1 }
            } else if "*/=<>!+-".contains(c), j < chars.count, "*/=<>".contains(chars[j]) {
                j += 1
            }
            out.append(String(chars[i..<j]))
            i = j
        }
        return out
    }

    static let replacements = ["(", ")", "[", "]", ":", "**", "10**9", "-", "lambda", "*", "=", "if", "def",
                               "\n    ", "\n", "None", "[0] * 10**8", "'a' * 10**8", "while True: pass\n", "-1",
                               "9223372036854775807", "1e309", "@", "...", ",", "return", "yield", "%", "{", "}"]

    static func mangle(_ toks: [String], _ rng: inout SplitMix) -> String {
        var t = toks
        for _ in 0..<(1 + Int(rng.next() % 3)) where !t.isEmpty {
            let i = Int(rng.next() % UInt64(t.count))
            switch rng.next() % 4 {
            case 0: t.remove(at: i)
            case 1: t.insert(t[i], at: i)
            case 2: if i + 1 < t.count { t.swapAt(i, i + 1) }
            default: t[i] = replacements[Int(rng.next() % UInt64(replacements.count))]
            }
        }
        return t.joined()
    }

    @Test func thousandsOfMangledProgramsNeverCrashTheProcess() throws {
        Bindings.installOnce()
        let seeds = conformancePrograms().compactMap {
            try? String(contentsOfFile: conformanceDir.appendingPathComponent($0).path, encoding: .utf8)
        } + Self.tensorSeeds
        #expect(seeds.count >= 10)
        let tokenized = seeds.map(Self.tokens)
        let budget = 35.0, perProgram = 0.25
        let tally = Tally()
        let watchdog = Watchdog()
        // The language runs on a thread with the kernel's stack, as it does in the kernel.
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            var rng = SplitMix(seed: 0x5EED)
            let started = Date()
            while Date().timeIntervalSince(started) < budget && tally.ran < 4000 {
                let toks = tokenized[tally.ran % tokenized.count]
                let program = Self.mangle(toks, &rng)
                let session = ScriptSession(output: CapturedOutput())
                Interruption.clear()
                watchdog.arm(seconds: perProgram, session: session)
                let result = session.execute(code: program, cellNumber: 1)
                watchdog.disarm()
                tally.ran += 1
                if let error = result.error {
                    tally.failedCleanly += 1
                    if error.name.isEmpty { tally.unnamed.append(program) }
                }
            }
            Interruption.clear()
            done.signal()
        }
        thread.stackSize = 512 << 20
        thread.start()
        done.wait()
        watchdog.stop()
        #expect(tally.ran >= 1000, "only \(tally.ran) programs ran in \(budget) s")
        #expect(tally.failedCleanly > tally.ran / 4, "mutations should mostly fail; \(tally.failedCleanly) of \(tally.ran) did")
        #expect(tally.unnamed.isEmpty, "errors without a name: \(tally.unnamed.prefix(3))")
    }
}

/// What the mutation run saw (written by the language thread, read after it ends).
final class Tally: @unchecked Sendable {
    var ran = 0, failedCleanly = 0
    var unnamed: [String] = []
}

/// Interrupts the running program once its time is up (like `--timeout` in `myelin exec`), and again
/// every `period` after that: a mangled program may catch KeyboardInterrupt (`except:`) and go on.
final class Watchdog: @unchecked Sendable {
    private let lock = NSCondition()
    private var deadline: Date?
    private var session: ScriptSession?
    private var stopping = false
    private var period = 0.25

    init() {
        Thread.detachNewThread { [self] in
            lock.lock()
            while !stopping {
                if let d = deadline, Date() >= d {
                    // Only the session's worker: engine tests run in parallel in this process.
                    session?.interrupt()
                    deadline = Date().addingTimeInterval(period)
                }
                _ = lock.wait(until: Date().addingTimeInterval(0.02))
            }
            lock.unlock()
        }
    }

    func arm(seconds: Double, session: ScriptSession) {
        lock.lock(); deadline = Date().addingTimeInterval(seconds); period = seconds; self.session = session; lock.unlock()
    }
    func disarm() { lock.lock(); deadline = nil; session = nil; lock.unlock() }
    func stop() { lock.lock(); stopping = true; lock.signal(); lock.unlock() }
}

/// A tiny deterministic generator (SplitMix64), so a failing mangle can be reproduced.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
