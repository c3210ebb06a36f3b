/// Zachary's karate club (W. W. Zachary, "An information flow model for conflict and fission in
/// small groups", Journal of Anthropological Research 33(4):452–473, 1977): 34 members, 78
/// friendship edges, and the faction each member joined after the club split. Members are numbered
/// 0–33 as in networkx's `karate_club_graph()` (Zachary's 1–34 minus one).
extension Datasets {
    /// Each member's higher-numbered friends (every undirected edge listed once).
    static let karateFriends: [Int: [Int]] = [
        0: [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 17, 19, 21, 31],
        1: [2, 3, 7, 13, 17, 19, 21, 30],
        2: [3, 7, 8, 9, 13, 27, 28, 32],
        3: [7, 12, 13],
        4: [6, 10],
        5: [6, 10, 16],
        6: [16],
        8: [30, 32, 33],
        9: [33],
        13: [33],
        14: [32, 33],
        15: [32, 33],
        18: [32, 33],
        19: [33],
        20: [32, 33],
        22: [32, 33],
        23: [25, 27, 29, 32, 33],
        24: [25, 27, 31],
        25: [31],
        26: [29, 33],
        27: [33],
        28: [31, 33],
        29: [32, 33],
        30: [32, 33],
        31: [32, 33],
        32: [33],
    ]

    /// 1 for members who joined the officer's club ("Officer"), 0 for Mr. Hi's ("Mr. Hi"), as in
    /// networkx's `club` node attribute.
    static let karateOfficer: [Int] = [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ]

    /// The 78 undirected edges as (lower, higher) member pairs, sorted.
    public static var karateEdges: [(Int, Int)] {
        karateFriends.keys.sorted().flatMap { a in (karateFriends[a] ?? []).map { (a, $0) } }
    }

    /// The club's symmetric 0/1 adjacency matrix `[34, 34]` (row-major, zero diagonal) and each
    /// member's club label (1 = "Officer", 0 = "Mr. Hi").
    public static func karateClub() -> (adjacency: [Float], shape: [Int], labels: [Int]) {
        let n = 34
        var adjacency = [Float](repeating: 0, count: n * n)
        for (a, b) in karateEdges {
            adjacency[a * n + b] = 1
            adjacency[b * n + a] = 1
        }
        return (adjacency, [n, n], karateOfficer)
    }
}
