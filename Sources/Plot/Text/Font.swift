import Foundation

/// The plotting font (DejaVu Sans): loaded once from the package resources, or from the system's
/// fonts-dejavu-core path when the resource bundle is missing.
public final class Font: @unchecked Sendable {
    let face: TrueTypeFont

    init(face: TrueTypeFont) { self.face = face }

    /// Where the font is looked for outside the resource bundle.
    static let systemPaths = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                              "/usr/share/fonts/TTF/DejaVuSans.ttf",
                              "/usr/local/share/fonts/DejaVuSans.ttf"]

    /// The copy shipped in the package's resource bundle (SwiftPM puts `Myelin_Plot.resources` next to the
    /// executable or test binary). `Bundle.module` traps when the bundle is missing (a binary copied
    /// elsewhere), so it is asked only when the bundle is there; otherwise the source tree's copy is used.
    static var bundledPath: String? {
        let beside = Bundle.main.bundleURL.appendingPathComponent("Myelin_Plot.resources").path
        if FileManager.default.fileExists(atPath: beside) {
            return Bundle.module.url(forResource: "DejaVuSans", withExtension: "ttf", subdirectory: "Resources")?.path
        }
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Resources/DejaVuSans.ttf").path
        return FileManager.default.fileExists(atPath: source) ? source : nil
    }

    private static let loaded: Result<Font, Error> = {
        var candidates: [String] = []
        if let path = bundledPath { candidates.append(path) }
        candidates.append(contentsOf: systemPaths)
        for path in candidates {
            if let d = FileManager.default.contents(atPath: path) {
                do { return .success(Font(face: try TrueTypeFont(data: [UInt8](d)))) } catch { return .failure(error) }
            }
        }
        return .failure(FontError.notFound(systemPaths))
    }()

    /// The shared DejaVu Sans font; throws a clear error when no copy can be found.
    public static func dejaVuSans() throws -> Font { try loaded.get() }

    /// Loads a TrueType font from bytes.
    public convenience init(data: [UInt8]) throws { self.init(face: try TrueTypeFont(data: data)) }

    /// Horizontal advance of a single character at a size in pixels (font size = em height).
    public func advance(of scalar: Unicode.Scalar, size: Double) -> Double {
        face.advance(glyph: face.glyphIndex(scalar)) * size / face.unitsPerEm
    }

    /// Width of a line of text at a size in pixels (advances summed, no kerning).
    public func width(of text: String, size: Double) -> Double {
        text.unicodeScalars.reduce(0) { $0 + advance(of: $1, size: size) }
    }

    /// Distance above and below the baseline the font's lines reach, in pixels.
    public func ascent(size: Double) -> Double { face.ascender * size / face.unitsPerEm }
    public func descent(size: Double) -> Double { -face.descender * size / face.unitsPerEm }

    /// Whether the font draws this character (not the "missing" box).
    public func has(_ scalar: Unicode.Scalar) -> Bool { face.glyphIndex(scalar) != 0 }

    /// The outlines of a line of text as a path. `origin` is the baseline start; `angle` rotates
    /// counter-clockwise on screen (π/2 reads bottom to top, for y labels).
    public func path(of text: String, size: Double, origin: Point, angle: Double = 0) -> Path {
        var out = Path()
        out.tolerance = 0.15
        let s = size / face.unitsPerEm
        let ca = cos(angle), sa = sin(angle)
        var pen = 0.0
        for scalar in text.unicodeScalars {
            let g = face.glyphIndex(scalar)
            let outline = face.outline(glyph: g)
            // Font units (y up) → pen-relative pixels (y down) → rotated about the origin.
            let t = Transform(a: s * ca, b: -s * sa, c: s * sa, d: s * ca,
                              e: origin.x + pen * ca, f: origin.y - pen * sa)
            for contour in outline.contours { appendContour(contour, transform: t, to: &out) }
            pen += outline.advance * s
        }
        return out
    }

    /// Converts a TrueType contour (on/off-curve points, implied on-curve midpoints) into path segments.
    private func appendContour(_ c: [(x: Double, y: Double, on: Bool)], transform t: Transform, to out: inout Path) {
        guard c.count >= 2 else { return }
        let pts = c.map { t.apply(Point($0.x, -$0.y)) }
        let n = c.count
        // Start at an on-curve point, or the midpoint of two off-curve points.
        let startIndex = c.firstIndex { $0.on }
        let start: Point = startIndex.map { pts[$0] } ?? (pts[0] + pts[1]) * 0.5
        let first = startIndex ?? 0
        out.move(to: start)
        var control: Point? = nil
        for k in 1...n {
            let i = (first + k) % n
            let p = pts[i]
            if c[i].on {
                if let ctl = control { out.quad(to: p, control: ctl) } else { out.line(to: p) }
                control = nil
            } else {
                if let ctl = control { out.quad(to: (ctl + p) * 0.5, control: ctl) }
                control = p
            }
        }
        if let ctl = control { out.quad(to: start, control: ctl) }
        out.close()
    }
}
