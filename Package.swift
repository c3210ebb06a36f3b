// swift-tools-version:6.0
import PackageDescription

// Layers (see ../shared/DESIGN.md): C system libraries → Engine, Plot → Script → myelin;
// Jupyter depends only on CZeroMQ and knows nothing of the language.
// Dynamic exclusivity checks cost a lot on the VM's and engine's hot paths; static checks remain.
let optimize: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "Myelin",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "myelin", targets: ["myelin"]),
        .executable(name: "myelin-launcher", targets: ["myelin-launcher"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CZeroMQ", pkgConfig: "libzmq",
                       providers: [.apt(["libzmq3-dev"]), .brew(["zeromq"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),

        .target(name: "Engine", dependencies: ["COpenBLAS"], resources: [.copy("Data/Resources")],
                swiftSettings: optimize),
        .target(name: "Plot", dependencies: ["CZlib"], resources: [.copy("Resources")], swiftSettings: optimize),
        .target(name: "Script", dependencies: ["Engine", "Plot"], swiftSettings: optimize),
        .target(name: "Jupyter", dependencies: ["CZeroMQ"]),
        .executableTarget(
            name: "myelin",
            dependencies: [
                "Engine", "Plot", "Script", "Jupyter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: optimize,
            // The Swift runtime and Foundation linked in statically: the dynamic loader's symbol binding
            // across ~20 Swift libraries was a third of start-up (30 → 17 ms), and retain/release become
            // direct calls. Objects compiled for the shared runtime only autolink Foundation, so its
            // static dependencies are named here.
            linkerSettings: [.unsafeFlags(["-static-stdlib", "-lFoundationEssentials", "-lCoreFoundation", "-l_FoundationICU",
                                           "-l_FoundationCShims", "-l_FoundationCollections", "-lstdc++"],
                                          .when(platforms: [.linux]))]),
        // What the kernelspec runs: binds the connection file's ports within a few milliseconds, then
        // execs `myelin kernel` (see its main.swift). Only libc and a static Swift runtime, to start fast.
        .executableTarget(name: "myelin-launcher",
                          linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux]))]),

        // The clock and measuring rule the two benchmark executables share.
        .target(name: "BenchTiming", path: "bench/timing"),
        // Engine micro-benchmarks (bench/engine): `swift run -c release EngineBench`.
        .executableTarget(name: "EngineBench", dependencies: ["Engine", "COpenBLAS", "BenchTiming"], path: "bench/engine",
                          exclude: ["torch_engine.py"],
                          swiftSettings: optimize),
        // nn/optim training-step benchmarks (bench/nn): `swift run -c release NNBench`.
        .executableTarget(name: "NNBench", dependencies: ["Engine", "BenchTiming"], path: "bench/nn",
                          exclude: ["torch_bench.py", "train_steps.myl"],
                          swiftSettings: optimize),
        // Plot rendering benchmark (bench/plot), the Myelin side of the matplotlib comparison.
        .executableTarget(name: "PlotBench", dependencies: ["Plot"], path: "bench/plot",
                          exclude: ["bench_matplotlib.py"], swiftSettings: optimize),

        .testTarget(name: "EngineTests", dependencies: ["Engine"], exclude: ["fixtures"]),
        .testTarget(name: "PlotTests", dependencies: ["Plot"], exclude: ["Golden"]),
        .testTarget(name: "ScriptTests", dependencies: ["Script"]),
        .testTarget(name: "JupyterTests", dependencies: ["Jupyter"], exclude: ["Headless/Fixtures"]),
    ],
    swiftLanguageModes: [.v5]
)
