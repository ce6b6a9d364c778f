using Emc.Compiler.Ir;

namespace Emc.Compiler.Tests.Differential;

/// <summary>Random cases for the structural operators (shape parameters as initializers, as exporters write them).</summary>
internal static class ShapeCases
{
    private const int PerOp = 16;

    public static IEnumerable<DifferentialCase> Layout(int seed)
    {
        var r = new CaseRandom(seed);
        for (int i = 0; i < PerOp; i++)
        {
            int[] x = r.Dims(r.Int(1, 4));
            int[] perm = r.Permutation(x.Length);
            yield return Single($"Transpose#{i} perm[{string.Join(",", perm)}]", 13, x, r, "Transpose", a => a.Ints("perm", perm));

            int axis = r.Int(-x.Length, x.Length);
            yield return Single($"Flatten#{i} axis {axis}", 13, x, r, "Flatten", a => a.Int("axis", axis));

            // Reshape to a shuffled factorisation, with one 0 (copy) or -1 (infer) entry.
            long total = x.Aggregate(1L, (p, d) => p * d);
            long[] shape = i % 2 == 0 ? [total] : [x[0], -1];
            if (i % 4 == 3 && x.Length >= 2)
            {
                shape = [0, .. x[1..].Select(d => (long)d)];
            }

            var reshape = new OnnxModelBuilder(14).Input("x", DataType.Float32, x).Int64Initializer("shape", shape)
                .Node("Reshape", ["x", "shape"], ["y"]).Output("y");
            yield return DifferentialCase.From($"Reshape#{i} [{string.Join(",", x)}]->[{string.Join(",", shape)}]", reshape, r.Tensor(x));

            int[] withOnes = [.. x[..1], 1, .. x[1..], 1];
            long[] squeezeAxes = i % 3 == 0 ? [] : [1, -1];
            var squeeze = new OnnxModelBuilder(13).Input("x", DataType.Float32, withOnes);
            if (squeezeAxes.Length > 0)
            {
                squeeze.Int64Initializer("axes", squeezeAxes);
            }

            squeeze.Node("Squeeze", squeezeAxes.Length > 0 ? ["x", "axes"] : ["x"], ["y"]).Output("y");
            yield return DifferentialCase.From($"Squeeze#{i} [{string.Join(",", withOnes)}]", squeeze, r.Tensor(withOnes));

            long[] unsqueezeAxes = r.Pick<long[]>([0], [-1], [0, 2], [1, -1]);
            var unsqueeze = new OnnxModelBuilder(i % 2 == 0 ? 13 : 11).Input("x", DataType.Float32, x);
            if (unsqueeze.Opset >= 13)
            {
                unsqueeze.Int64Initializer("axes", unsqueezeAxes).Node("Unsqueeze", ["x", "axes"], ["y"]);
            }
            else
            {
                unsqueeze.Node("Unsqueeze", ["x"], ["y"], a => a.Ints("axes", unsqueezeAxes));
            }

            yield return DifferentialCase.From($"Unsqueeze#{i} axes[{string.Join(",", unsqueezeAxes)}] opset {unsqueeze.Opset}", unsqueeze.Output("y"), r.Tensor(x));
        }
    }

    public static IEnumerable<DifferentialCase> ConcatSplit(int seed)
    {
        var r = new CaseRandom(seed);
        for (int i = 0; i < PerOp; i++)
        {
            int rank = r.Int(1, 4);
            int axis = r.Int(-rank, rank - 1);
            int[] dims = r.Dims(rank);
            int n = r.Int(1, 4);
            var b = new OnnxModelBuilder(13);
            var inputs = new List<Tensor>();
            for (int k = 0; k < n; k++)
            {
                int[] d = (int[])dims.Clone();
                d[axis < 0 ? axis + rank : axis] = r.Int(1, 4);
                b.Input($"x{k}", DataType.Float32, d);
                inputs.Add(r.Tensor(d));
            }

            b.Node("Concat", Enumerable.Range(0, n).Select(k => $"x{k}").ToArray(), ["y"], a => a.Int("axis", axis)).Output("y");
            yield return DifferentialCase.From($"Concat#{i} n{n} axis {axis}", b, [.. inputs]);

            int[] x = r.Dims(rank, 2, 6);
            int ax = r.Int(0, rank - 1);
            int first = r.Int(1, x[ax] - 1);
            long[] split = [first, x[ax] - first];
            var s = new OnnxModelBuilder(13).Input("x", DataType.Float32, x).Int64Initializer("split", split)
                .Node("Split", ["x", "split"], ["y0", "y1"], a => a.Int("axis", ax)).Output("y0").Output("y1");
            yield return DifferentialCase.From($"Split#{i} axis {ax} split[{split[0]},{split[1]}]", s, r.Tensor(x));
        }
    }

    public static IEnumerable<DifferentialCase> PadSliceGather(int seed)
    {
        var r = new CaseRandom(seed);
        for (int i = 0; i < PerOp; i++)
        {
            int[] x = [1, r.Int(1, 3), r.Int(2, 5), r.Int(2, 5)];
            long[] pads = [0, 0, r.Int(0, 2), r.Int(-1, 2), 0, 0, r.Int(0, 2), r.Int(0, 2)];
            float value = r.Pick(0f, 1.5f);
            var pad = new OnnxModelBuilder(13).Input("x", DataType.Float32, x).Int64Initializer("pads", pads)
                .Initializer("value", Tensor.Create(Shape.Scalar, new[] { value }))
                .Node("Pad", ["x", "pads", "value"], ["y"], a => a.String("mode", "constant")).Output("y");
            yield return DifferentialCase.From($"Pad#{i} pads[{string.Join(",", pads)}] value {value}", pad, r.Tensor(x));

            int[] s = r.Dims(r.Int(1, 4), 2, 7);
            int axis = r.Int(0, s.Length - 1);
            long step = r.Pick(1L, 2L, -1L);
            long start = step > 0 ? r.Int(-s[axis], s[axis] - 1) : r.Pick(-1L, s[axis] - 1L, 100L);
            long end = step > 0 ? r.Pick(100L, s[axis], -1L) : r.Pick(-100L, 0L);
            var slice = new OnnxModelBuilder(13).Input("x", DataType.Float32, s)
                .Int64Initializer("starts", start).Int64Initializer("ends", end).Int64Initializer("axes", axis).Int64Initializer("steps", step)
                .Node("Slice", ["x", "starts", "ends", "axes", "steps"], ["y"]).Output("y");
            yield return DifferentialCase.From($"Slice#{i} [{string.Join(",", s)}] axis {axis} {start}:{end}:{step}", slice, r.Tensor(s));

            int gAxis = r.Int(-s.Length, s.Length - 1);
            int extent = s[gAxis < 0 ? gAxis + s.Length : gAxis];
            long[] indices = Enumerable.Range(0, r.Int(1, 4)).Select(_ => (long)r.Int(-extent, extent - 1)).ToArray();
            var gather = new OnnxModelBuilder(13).Input("x", DataType.Float32, s).Int64Initializer("idx", indices)
                .Node("Gather", ["x", "idx"], ["y"], a => a.Int("axis", gAxis)).Output("y");
            yield return DifferentialCase.From($"Gather#{i} axis {gAxis} idx[{string.Join(",", indices)}]", gather, r.Tensor(s));

            int[] e = [r.Int(1, 3), 1, r.Int(1, 3)];
            long[] to = [r.Int(1, 2), e[0], r.Int(1, 4), e[2]];
            var expand = new OnnxModelBuilder(13).Input("x", DataType.Float32, e).Int64Initializer("shape", to)
                .Node("Expand", ["x", "shape"], ["y"]).Output("y");
            yield return DifferentialCase.From($"Expand#{i} [{string.Join(",", e)}]->[{string.Join(",", to)}]", expand, r.Tensor(e));

            long[] repeats = [.. e.Select(_ => (long)r.Int(1, 3))];
            var tile = new OnnxModelBuilder(13).Input("x", DataType.Float32, e).Int64Initializer("repeats", repeats)
                .Node("Tile", ["x", "repeats"], ["y"]).Output("y");
            yield return DifferentialCase.From($"Tile#{i} repeats[{string.Join(",", repeats)}]", tile, r.Tensor(e));
        }
    }

    public static IEnumerable<DifferentialCase> Resize(int seed)
    {
        var r = new CaseRandom(seed);
        // tf_half_pixel_for_nearest (Resize-11 only) is rejected by ORT 1.22's CPU kernel, so it cannot be checked here.
        string[] transforms = ["half_pixel", "asymmetric", "align_corners", "pytorch_half_pixel"];
        string[] rounding = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"];
        for (int i = 0; i < 2 * PerOp; i++)
        {
            int[] x = [1, r.Int(1, 3), r.Int(1, 6), r.Int(1, 6)];
            string transform = r.Pick(transforms);
            string nearest = r.Pick(rounding);
            bool bySizes = r.Bool();
            var b = new OnnxModelBuilder(r.Pick(11L, 13L, 19L))
                .Input("x", DataType.Float32, x).Initializer("roi", Array.Empty<float>(), 0);
            string detail;
            if (bySizes)
            {
                long[] sizes = [1, x[1], r.Int(1, 12), r.Int(1, 12)];
                b.Initializer("scales", Array.Empty<float>(), 0).Int64Initializer("sizes", sizes)
                    .Node("Resize", ["x", "roi", "scales", "sizes"], ["y"], a => a.String("mode", "nearest")
                        .String("coordinate_transformation_mode", transform).String("nearest_mode", nearest));
                detail = $"sizes[{string.Join(",", sizes)}]";
            }
            else
            {
                float[] scales = [1f, 1f, r.Pick(0.5f, 1f, 2f, 3f, 1.5f), r.Pick(0.5f, 1f, 2f, 3f, 0.75f)];
                b.Initializer("scales", scales, 4)
                    .Node("Resize", ["x", "roi", "scales"], ["y"], a => a.String("mode", "nearest")
                        .String("coordinate_transformation_mode", transform).String("nearest_mode", nearest));
                detail = $"scales[{string.Join(",", scales)}]";
            }

            yield return DifferentialCase.From($"Resize#{i} x[{string.Join(",", x)}] {detail} {transform} {nearest}", b.Output("y"), r.Tensor(x));
        }
    }

    /// <summary>Linear Resize (every coordinate mode the importer takes, integer and fractional scales, up and down, by
    /// scales and by sizes) and linear Upsample (opsets 7 and 9).</summary>
    public static IEnumerable<DifferentialCase> ResizeLinear(int seed)
    {
        var r = new CaseRandom(seed);
        string[] transforms = ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"];
        for (int i = 0; i < 3 * PerOp; i++)
        {
            int[] x = [1, r.Int(1, 3), r.Int(1, 7), r.Int(1, 7)];
            string transform = transforms[i % transforms.Length];
            var b = new OnnxModelBuilder(r.Pick(11L, 13L, 19L))
                .Input("x", DataType.Float32, x).Initializer("roi", Array.Empty<float>(), 0);
            string detail;
            if (r.Int(0, 3) == 0)
            {
                long[] sizes = [1, x[1], r.Int(1, 14), r.Int(1, 14)];
                b.Initializer("scales", Array.Empty<float>(), 0).Int64Initializer("sizes", sizes)
                    .Node("Resize", ["x", "roi", "scales", "sizes"], ["y"], a => a.String("mode", "linear").String("coordinate_transformation_mode", transform));
                detail = $"sizes[{string.Join(",", sizes)}]";
            }
            else
            {
                float[] scales = [1f, 1f, r.Pick(2f, 4f, 3f, 1f, 0.5f, 1.5f), r.Pick(2f, 4f, 3f, 1f, 0.75f, 2.5f)];
                b.Initializer("scales", scales, 4)
                    .Node("Resize", ["x", "roi", "scales"], ["y"], a => a.String("mode", "linear").String("coordinate_transformation_mode", transform));
                detail = $"scales[{string.Join(",", scales)}]";
            }

            yield return DifferentialCase.From($"ResizeLinear#{i} x[{string.Join(",", x)}] {detail} {transform}", b.Output("y"), r.Tensor(x));
        }

        for (int i = 0; i < PerOp; i++)
        {
            int[] x = [1, r.Int(1, 3), r.Int(1, 7), r.Int(1, 7)];
            float[] scales = [1f, 1f, r.Pick(1f, 2f, 4f, 2.5f), r.Pick(1f, 2f, 4f, 3f)];
            bool attribute = i % 2 == 0;
            var b = new OnnxModelBuilder(attribute ? 7 : 9).Input("x", DataType.Float32, x);
            if (attribute)
            {
                b.Node("Upsample", ["x"], ["y"], a => a.String("mode", "linear").Floats("scales", scales));
            }
            else
            {
                b.Initializer("scales", scales, 4).Node("Upsample", ["x", "scales"], ["y"], a => a.String("mode", "linear"));
            }

            yield return DifferentialCase.From($"UpsampleLinear#{i} opset {(attribute ? 7 : 9)} x[{string.Join(",", x)}] scales[{string.Join(",", scales)}]", b.Output("y"), r.Tensor(x));
        }
    }

    /// <summary>ReduceMean: axes as an attribute (opset 13) or an input (opset 18), negative and repeated-free axis lists,
    /// keepdims 0/1, no axes (every axis) and noop_with_empty_axes.</summary>
    public static IEnumerable<DifferentialCase> ReduceMean(int seed)
    {
        var r = new CaseRandom(seed);
        for (int i = 0; i < 2 * PerOp; i++)
        {
            int[] x = [1, r.Int(1, 4), r.Int(1, 6), r.Int(1, 6)];
            long[] axes = r.Pick<long[]>([2, 3], [-2, -1], [1], [3], [1, 2, 3], [0, 2], []);
            long keep = r.Pick(0L, 1L);
            bool input = i % 2 == 1;
            long noop = input && axes.Length == 0 && keep == 1 ? r.Pick(0L, 1L) : 0; // ORT 1.22 fails noop with keepdims 0
            var b = new OnnxModelBuilder(input ? 18 : 13).Input("x", DataType.Float32, x);
            if (input && axes.Length > 0)
            {
                b.Int64Initializer("axes", axes).Node("ReduceMean", ["x", "axes"], ["y"], a => a.Int("keepdims", keep));
            }
            else if (input)
            {
                b.Node("ReduceMean", ["x"], ["y"], a => a.Int("keepdims", keep).Int("noop_with_empty_axes", noop));
            }
            else
            {
                b.Node("ReduceMean", ["x"], ["y"], a => (axes.Length > 0 ? a.Ints("axes", axes) : a).Int("keepdims", keep));
            }

            yield return DifferentialCase.From($"ReduceMean#{i} opset {(input ? 18 : 13)} x[{string.Join(",", x)}] axes[{string.Join(",", axes)}] keepdims {keep} noop {noop}", b.Output("y"), r.Tensor(x));
        }
    }

    private static DifferentialCase Single(string name, long opset, int[] x, CaseRandom r, string op, Action<OnnxModelBuilder.AttributeList> attrs)
    {
        var b = new OnnxModelBuilder(opset).Input("x", DataType.Float32, x).Node(op, ["x"], ["y"], attrs).Output("y");
        return DifferentialCase.From(name, b, r.Tensor(x));
    }
}
