/// The data sets shipped as files in Resources/ (see Resources/SOURCES.txt for origins and licences).
extension Datasets {
    /// The UCI optical handwritten digits as bundled with scikit-learn: 1797 images `[1797, 8, 8]`
    /// with values 0…16 divided by 16 (so in [0, 1]), labels 0…9.
    public static func digits() throws -> Dataset {
        let images = try IDX.decode(try DataResources.data("digits-images.idx"), source: "digits-images.idx")
        let labels = try IDX.decode(try DataResources.data("digits-labels.idx"), source: "digits-labels.idx")
        guard images.shape == [1797, 8, 8], labels.shape == [1797] else {
            throw DataError("the shipped digits files are damaged (shapes \(images.shape), \(labels.shape)); reinstall")
        }
        return Dataset(features: images.values.map { $0 / 16 }, shape: images.shape,
                       labels: labels.values.map { Int($0) })
    }

    /// Fisher's iris data as bundled with scikit-learn: 150 × 4 measurements in cm (sepal length,
    /// sepal width, petal length, petal width), labels 0 setosa, 1 versicolor, 2 virginica.
    public static func iris() throws -> Dataset {
        let text = try DataResources.text("iris.csv")
        let table = try CSV.parse(text, hasHeader: true, source: "iris.csv")
        guard table.shape == [150, 5] else {
            throw DataError("the shipped iris.csv is damaged (shape \(table.shape)); reinstall")
        }
        var features: [Float] = [], labels: [Int] = []
        features.reserveCapacity(600)
        for r in 0..<150 {
            features += table.values[r * 5..<r * 5 + 4]
            labels.append(Int(table.values[r * 5 + 4]))
        }
        return Dataset(features: features, shape: [150, 4], labels: labels)
    }

    /// Class names for `iris()` labels.
    public static let irisClassNames = ["setosa", "versicolor", "virginica"]
}
