using System.Globalization;
using Emc.Compiler.Compilation;
using Emc.Compiler.K210.Graph;

namespace Emc.Compiler.K210.Lowering.Steps;

/// <summary>Limits that depend on the finished lowering (which convs send their output to main memory).</summary>
internal sealed class CheckKpuLimits : ILoweringStep
{
    public static readonly CheckKpuLimits Instance = new();

    /// <summary><c>channel_byte_num</c> is 16 bits: a main-memory output plane holds at most 65536 bytes (spec §5.8).</summary>
    public const int MaxMainOutputPlane = 65536;

    public string Name => "check-kpu-limits";

    public string Summary => "limits that depend on the finished lowering: a KPU output sent to main memory holds at most 65536 bytes per channel";

    public bool Run(LoweringContext ctx)
    {
        foreach (var conv in ctx.Model.Layers.OfType<KpuConvLayer>())
        {
            var o = conv.Output;
            if (conv.MainOutput is not null && o.Width * o.Height > MaxMainOutputPlane)
            {
                var node = ctx.Graph.Nodes.FirstOrDefault(n => n.Name == conv.Name);
                string message = string.Create(CultureInfo.InvariantCulture,
                    $"its {o.Height}×{o.Width} output is read by a CPU layer, but a KPU output sent to main memory holds at most {MaxMainOutputPlane} bytes per channel (channel_byte_num is 16 bits)");
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
