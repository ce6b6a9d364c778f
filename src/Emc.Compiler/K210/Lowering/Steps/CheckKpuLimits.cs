using System.Globalization;
using Emc.Compiler.Compilation;
using Emc.Compiler.K210.Graph;

namespace Emc.Compiler.K210.Lowering.Steps;

/// <summary>Limits that depend on the finished lowering (which convs send their output to main memory).</summary>
internal sealed class CheckKpuLimits : ILoweringStep
{
    public static readonly CheckKpuLimits Instance = new();

    /// <summary><c>channel_byte_num</c> = OW·OH − 1 is 16 bits (spec §5.7, §5.8): a KPU output plane holds at most 65536 pixels.</summary>
    public const int MaxMainOutputPlane = 65536;

    public string Name => "check-kpu-limits";

    public string Summary => "limits that depend on the finished lowering: a KPU output plane (in KPU RAM or main memory) holds at most 65536 pixels";

    public bool Run(LoweringContext ctx)
    {
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var conv in ctx.Model.Layers.OfType<KpuConvLayer>())
        {
            var o = conv.Output;
            if (o.Width * o.Height > MaxMainOutputPlane && reported.Add(conv.Name))
            {
                var node = ctx.Graph.Nodes.FirstOrDefault(n => n.Name == conv.Name);
                string message = conv.MainOutput is not null
                    ? string.Create(CultureInfo.InvariantCulture, $"its {o.Height}×{o.Width} output is read by a CPU layer, but a KPU output sent to main memory holds at most {MaxMainOutputPlane} bytes per channel (channel_byte_num is 16 bits)")
                    : string.Create(CultureInfo.InvariantCulture, $"its {o.Height}×{o.Width} output plane has more than {MaxMainOutputPlane} pixels, which a KPU layer's channel_byte_num (16 bits) cannot count; a stride 2 or pooling in the same layer would be needed (row bands, conv-by-row-bands, take only stride-1 1×1/3×3 convs without shifted copies, a fused pool or a per-channel PRelu, whose bands fit KPU RAM)");
                if (node is not null)
                {
                    ctx.Error(CompilerDiagnostics.KpuLimit, node, message);
                }
                else
                {
                    ctx.Diagnostics.Add(CompilerDiagnostics.KpuLimit.Create($"conv '{conv.Name}': {message}", ctx.Graph.SourcePath, conv.Name, "Conv"));
                }
            }
        }

        return true;
    }
}
