public enum PlotModule { public static let name = "plot" }
