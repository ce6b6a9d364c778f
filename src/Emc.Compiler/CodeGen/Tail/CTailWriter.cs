using System.Globalization;
using System.Text;
using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;

namespace Emc.Compiler.CodeGen.Tail;

/// <summary>
/// The CPU tail in a generated C header: <c>&lt;id&gt;_tail(device_outputs, scratch, out0, out1…)</c>, plain C99 (and C++)
/// with no allocation and no runtime: the caller passes the dequantized device outputs, scratch of
/// <c>&lt;MACRO&gt;_TAIL_SCRATCH_BYTES</c> (8-byte aligned) and one buffer per ONNX graph output.
/// </summary>
internal static class CTailWriter
{
    public static void Append(StringBuilder b, HostTail tail, string id, string macro, IReadOnlyList<TensorInterface> deviceOutputs)
    {
        if (!tail.IsGenerated || TailBufferPlan.Create(tail, deviceOutputs) is not { } plan)
        {
            return;
        }

        // Outputs are not y0/y1: glibc's <math.h> declares Bessel functions by those names outside strict ISO mode.
        var (buffers, outputNames) = plan.Names(tail, "out");
        var declarations = new List<string>();
        foreach (var v in tail.InputValues)
        {
            declarations.Add($"const float *{buffers[v]} = device_outputs + {plan.InputOffsets[v]}; /* {SourceLiterals.Comment(TailStatements.Describe(v))} */");
        }

        foreach (var (v, offset) in plan.ScratchOffsets)
        {
            string type = TailLanguage.C.TypeOf(v.Type);
            declarations.Add($"{type} *{buffers[v]} = ({type} *)((unsigned char *)scratch + {offset}); /* {SourceLiterals.Comment(TailStatements.Describe(v))} */");
        }

        var e = TailStatements.Write(tail, TailLanguage.C, buffers, outputNames, "    ");
        b.Append("/* The CPU tail: the part of the ONNX graph after the kmodel's outputs (").Append(SourceLiterals.Comment(string.Join(", ", tail.InputNames)))
            .Append("),\n * generated as plain C99 (no allocation, no runtime) with ONNX's float semantics. Run the model (e.g. ")
            .Append(id).Append("_run), then\n *   static double scratch_[").Append(macro).Append("_TAIL_SCRATCH_BYTES / 8u + 1u];   (any 8-byte aligned memory)\n *   ")
            .Append(id).Append("_tail(outputs, scratch_, out0, ...);\n * outputs: every kmodel output dequantized to float, concatenated in output order (")
            .Append(Int(plan.DeviceFloats)).Append(" floats).\n * out0...: the ONNX graph's outputs, row-major in the ONNX order of their shapes:\n");
        for (int i = 0; i < tail.OutputValues.Count; i++)
        {
            b.Append(" *   out").Append(Int(i)).Append(' ').Append(SourceLiterals.Comment(TailStatements.Describe(tail.OutputValues[i]))).Append('\n');
        }

        b.Append(" * Compile without FP contraction (-ffp-contract=off) for results identical to the tests'. */\n");
        b.Append("#define ").Append(macro).Append("_TAIL_SCRATCH_BYTES ").Append(plan.ScratchBytes).Append("u\n");
        b.Append("#define ").Append(macro).Append("_TAIL_OUTPUT_COUNT ").Append(tail.OutputValues.Count).Append("u\n");
        for (int i = 0; i < tail.Outputs.Count; i++)
        {
            b.Append("#define ").Append(macro).Append("_TAIL_OUTPUT").Append(Int(i)).Append("_COUNT ").Append(tail.Outputs[i].ElementCount).Append("u\n");
        }

        b.Append("#ifndef EMC_MODEL_ELEMENT_INT64\n#define EMC_MODEL_ELEMENT_INT64 2u\n#endif\n");
        b.Append("static const emc_tensor_info_t ").Append(id).Append("_tail_outputs[").Append(tail.Outputs.Count).Append("] EMC_MODEL_UNUSED = {\n");
        foreach (var o in tail.Outputs)
        {
            var dims = o.Shape.Take(4).Select(d => Int(d) + "u").Concat(Enumerable.Repeat("0u", Math.Max(0, 4 - o.Shape.Count)));
            b.Append("    { ").Append(SourceLiterals.C(o.Name)).Append(", ").Append(Math.Min(o.Shape.Count, 4)).Append("u, { ").Append(string.Join(", ", dims))
                .Append(" }, ").Append(o.IsInt64 ? "EMC_MODEL_ELEMENT_INT64" : "EMC_ELEMENT_FLOAT32").Append(", 1.0f, 0.0f, \"ONNX order\", \"ONNX order\" },\n");
        }

        b.Append("};\n\n");
        var parameters = tail.Outputs.Select((o, i) => (o.IsInt64 ? "int64_t *" : "float *") + outputNames[i]);
        b.Append("static inline void ").Append(id).Append("_tail(const float *device_outputs, void *scratch, ").Append(string.Join(", ", parameters)).Append(")\n{\n");
        foreach (var (name, data) in e.Constants)
        {
            string type = TailLanguage.C.TypeOf(data.Type);
            b.Append("    static const ").Append(type).Append(' ').Append(name).Append('[').Append(data.ElementCount).Append("] = {\n")
                .Append(TailStatements.Items(data, TailLanguage.C, "        ")).Append("\n    };\n");
        }

        foreach (string d in declarations)
        {
            b.Append("    ").Append(d).Append('\n');
        }

        b.Append("    (void)scratch;\n    (void)device_outputs;\n");
        b.Append(e.Body).Append("}\n\n");
    }

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);
}
