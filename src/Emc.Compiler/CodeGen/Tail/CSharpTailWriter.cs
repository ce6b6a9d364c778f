using System.Globalization;
using System.Text;
using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;

namespace Emc.Compiler.CodeGen.Tail;

/// <summary>
/// The CPU tail in a generated C# wrapper: <c>Tail(deviceOutputs, output0, output1…)</c> with the same statements as the
/// C header's <c>&lt;id&gt;_tail</c>, <c>DeviceOutputs(input)</c> (the simulated kmodel's outputs concatenated, the tail's
/// input) and the outputs' names and shapes as constants.
/// </summary>
internal static class CSharpTailWriter
{
    private const string Span = "global::System.Span";

    public static void Append(StringBuilder b, HostTail tail, IReadOnlyList<TensorInterface> deviceOutputs)
    {
        if (!tail.IsGenerated || TailBufferPlan.Create(tail, deviceOutputs) is not { } plan)
        {
            return;
        }

        var (buffers, outputNames) = plan.Names(tail, "output");
        var declarations = new List<string>();
        foreach (var v in tail.InputValues)
        {
            declarations.Add($"var {buffers[v]} = deviceOutputs.Slice({plan.InputOffsets[v]}, {v.Shape!.ElementCount}); /* {SourceLiterals.Comment(TailStatements.Describe(v))} */");
        }

        foreach (var v in plan.ScratchOffsets.Keys)
        {
            declarations.Add($"var {buffers[v]} = new {TailLanguage.CSharp.TypeOf(v.Type)}[{v.Shape!.ElementCount}];");
        }

        var e = TailStatements.Write(tail, TailLanguage.CSharp, buffers, outputNames, "            ");
        b.Append('\n');
        Const(b, "int", "TailOutputCount", Int(tail.Outputs.Count));
        Const(b, "int", "TailInputFloatCount", Int(plan.DeviceFloats));
        for (int i = 0; i < tail.Outputs.Count; i++)
        {
            var o = tail.Outputs[i];
            string p = "TailOutput" + Int(i);
            Const(b, "string", p + "Name", SourceLiterals.CSharp(o.Name));
            b.Append("        public static global::System.ReadOnlySpan<int> ").Append(p).Append("Shape => new int[] { ")
                .Append(string.Join(", ", o.Shape.Select(d => Int(d)))).Append(" };\n");
            Const(b, "int", p + "ElementCount", Int(o.ElementCount));
            Const(b, "bool", p + "IsInt64", o.IsInt64 ? "true" : "false");
        }

        b.Append("""

                    /// <summary>Every kmodel output of the simulated run, as float32, concatenated in output order: the tail's input.</summary>
                    public static float[] DeviceOutputs(global::System.ReadOnlySpan<byte> input)
                    {
                        var result = Simulate(input);
                        var value = result.Value ?? throw new global::System.ArgumentException(
                            "Simulation failed: " + string.Join("; ", result.Diagnostics), nameof(input));
                        var all = new global::System.Collections.Generic.List<float>();
                        foreach (var output in value.Outputs)
                        {
                            all.AddRange(output.AsFloat32() ?? throw new global::System.InvalidOperationException("an output is not float32"));
                        }

                        return all.ToArray();
                    }

                    /// <summary>The CPU tail: the part of the ONNX graph after the kmodel's outputs, with ONNX's float semantics.
                    /// <paramref name="deviceOutputs"/>: <see cref="DeviceOutputs"/> (or the device's outputs, dequantized, concatenated);
                    /// output<i>k</i>: the ONNX graph's outputs (TailOutput<i>k</i>Name, row-major in the ONNX order of TailOutput<i>k</i>Shape).</summary>

            """);
        var parameters = tail.Outputs.Select((o, i) => $"{Span}<{(o.IsInt64 ? "long" : "float")}> {outputNames[i]}");
        b.Append("        public static void Tail(global::System.ReadOnlySpan<float> deviceOutputs, ").Append(string.Join(", ", parameters)).Append(")\n        {\n");
        b.Append("            if (deviceOutputs.Length < ").Append(Int(plan.DeviceFloats));
        for (int i = 0; i < tail.Outputs.Count; i++)
        {
            b.Append(" || ").Append(outputNames[i]).Append(".Length < ").Append(Int(tail.Outputs[i].ElementCount));
        }

        b.Append(")\n            {\n                throw new global::System.ArgumentException(\"a buffer is shorter than the tail's tensors\");\n            }\n\n");
        foreach (string d in declarations)
        {
            b.Append("            ").Append(d).Append('\n');
        }

        b.Append(e.Body).Append("        }\n");
        foreach (var (name, data) in e.Constants)
        {
            string type = TailLanguage.CSharp.TypeOf(data.Type);
            b.Append("\n        private static readonly ").Append(type).Append("[] ").Append(name).Append(" = new ").Append(type).Append("[] {\n")
                .Append(TailStatements.Items(data, TailLanguage.CSharp, "            ")).Append(",\n        };\n");
        }
    }

    private static void Const(StringBuilder b, string type, string name, string value) =>
        b.Append("        public const ").Append(type).Append(' ').Append(name).Append(" = ").Append(value).Append(";\n");

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);
}
