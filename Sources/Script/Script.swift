import Engine
import Plot
public enum ScriptModule { public static let name = "script" }
