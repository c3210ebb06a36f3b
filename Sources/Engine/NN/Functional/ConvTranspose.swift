import COpenBLAS

extension NNFunctional {
    /// `conv_transpose2d(input, weight, bias, stride, padding, output_padding, dilation)` for groups = 1:
    /// each input pixel scatters weight[c_in] into the output (GEMM to columns, then col2im).
    /// input [N, C_in, H, W], weight [C_in, C_out, kh, kw]; output side (H − 1)·s − 2p + d·(k − 1) + op + 1.
    public static func convTranspose2d(_ input: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, stride: (Int, Int) = (1, 1),
                                       padding: (Int, Int) = (0, 0), outputPadding: (Int, Int) = (0, 0),
                                       dilation: (Int, Int) = (1, 1), layer: String = "conv_transpose2d") throws -> Tensor {
        if input.ndim == 3 {
            return try convTranspose2d(input.unsqueeze(0), weight, bias, stride: stride, padding: padding,
                                       outputPadding: outputPadding, dilation: dilation, layer: layer).squeeze(0)
        }
        guard weight.ndim == 4, input.ndim == 4, input.shape[1] == weight.shape[0] else {
            throw EngineError.shape("\(layer) expects input of shape [N, \(weight.ndim == 4 ? weight.shape[0] : 0), H, W], got shape \(describe(input.shape))")
        }
        guard stride.0 > 0, stride.1 > 0, dilation.0 > 0, dilation.1 > 0, padding.0 >= 0, padding.1 >= 0,
              outputPadding.0 >= 0, outputPadding.1 >= 0,
              outputPadding.0 < Swift.max(stride.0, dilation.0), outputPadding.1 < Swift.max(stride.1, dilation.1) else {
            throw EngineError.value("\(layer): stride and dilation must be positive, padding non-negative, output_padding smaller than stride or dilation")
        }
        let (n, cin, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (cout, kh, kw) = (weight.shape[1], weight.shape[2], weight.shape[3])
        if let bias, bias.shape != [cout] {
            throw EngineError.shape("\(layer): bias of shape \(describe(bias.shape)) does not match \(cout) output channels")
        }
        let oh = (h - 1) * stride.0 - 2 * padding.0 + dilation.0 * (kh - 1) + outputPadding.0 + 1
        let ow = (w - 1) * stride.1 - 2 * padding.1 + dilation.1 * (kw - 1) + outputPadding.1 + 1
        guard oh > 0, ow > 0 else {
            throw EngineError.shape("\(layer): input of shape \(describe(input.shape)) gives an empty output (\(oh)×\(ow))")
        }
        let rows = cout * kh * kw, hw = h * w, ohw = oh * ow
        let x = try input.dtype == .float32 && input.isContiguous ? input : input.to(.float32).contiguousCopy()
        let wt = try weight.isContiguous ? weight : weight.contiguousCopy()
        let out = try Tensor(zeros: [n, cout, oh, ow], op: layer)
        let xp = x.storage.floats() + x.offset, wp = wt.storage.floats() + wt.offset, op = out.storage.floats()
        // Where column (r, pixel) lands in the output plane, or −1 when cropped by padding.
        var target = [Int](repeating: -1, count: rows * hw)
        for co in 0..<cout { for ki in 0..<kh { for kj in 0..<kw {
            let r = (co * kh + ki) * kw + kj
            for i in 0..<h { for j in 0..<w {
                let oi = i * stride.0 - padding.0 + ki * dilation.0, oj = j * stride.1 - padding.1 + kj * dilation.1
                if oi >= 0 && oi < oh && oj >= 0 && oj < ow { target[r * hw + i * w + j] = co * ohw + oi * ow + oj }
            } }
        } } }
        var cols = [Float](repeating: 0, count: rows * hw)
        BLASThreads.choose(work: rows * hw * cin)
        for b in 0..<n {
            cols.withUnsafeMutableBufferPointer { c in
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(rows), Int32(hw), Int32(cin), 1,
                            wp, Int32(rows), xp + b * cin * hw, Int32(hw), 0, c.baseAddress, Int32(hw))
                let o = op + b * cout * ohw
                for k in 0..<(rows * hw) where target[k] >= 0 { o[target[k]] += c[k] }
            }
            if let bias {
                let bv = bias.floatArray()
                for co in 0..<cout { for k in 0..<ohw { op[b * cout * ohw + co * ohw + k] += bv[co] } }
            }
        }
        let inputs: [Tensor] = bias.map { [input, weight, $0] } ?? [input, weight]
        return Tensor.record(out, "ConvolutionBackward0", inputs, saving: [x, wt]) { g in
            let gc = try g.contiguousCopy()
            let gp = gc.storage.floats()
            let gx = try Tensor(zeros: x.shape), gw = try Tensor(zeros: wt.shape)
            var gcols = [Float](repeating: 0, count: rows * hw)
            BLASThreads.choose(work: rows * hw * cin)
            for b in 0..<n {
                let gb = gp + b * cout * ohw
                for k in 0..<(rows * hw) { gcols[k] = target[k] >= 0 ? gb[target[k]] : 0 }
                gcols.withUnsafeBufferPointer { c in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(cin), Int32(hw), Int32(rows), 1,
                                wp, Int32(rows), c.baseAddress, Int32(hw), 0, gx.storage.floats() + b * cin * hw, Int32(hw))
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(cin), Int32(rows), Int32(hw), 1,
                                xp + b * cin * hw, Int32(hw), c.baseAddress, Int32(hw), 1, gw.storage.floats(), Int32(rows))
                }
            }
            var grads: [Tensor?] = [input.requiresGrad ? gx : nil, weight.requiresGrad ? gw : nil]
            if let bias {
                let gbias = try Tensor(zeros: [cout])
                let bp = gbias.storage.floats()
                for b in 0..<n { for co in 0..<cout { for k in 0..<ohw { bp[co] += gp[b * cout * ohw + co * ohw + k] } } }
                grads.append(bias.requiresGrad ? gbias : nil)
            }
            return grads
        }
    }
}
