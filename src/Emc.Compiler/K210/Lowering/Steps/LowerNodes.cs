using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;

namespace Emc.Compiler.K210.Lowering.Steps;

/// <summary>
/// Lowers every node in execution order through <see cref="LoweringTable"/>. A node a fusion already took is skipped;
/// a node whose input failed reports only its own problems, so one pass lists every problem once; an error about the
/// device input (<see cref="LoweringContext.InputRejected"/>) stops lowering, since every node depends on it.
/// </summary>
internal sealed class LowerNodes : ILoweringStep
{
    public static readonly LowerNodes Instance = new();

    public string Name => "lower-nodes";

    public string Summary => "every node in execution order → K210 layers through the op → lowering table";

    public bool Run(LoweringContext ctx)
    {
        // In a partially imported graph, values of nodes that did not import have no shape: they count as failed.
        foreach (var value in ctx.Graph.Nodes.SelectMany(n => n.Inputs).Concat(ctx.Graph.Outputs))
        {
            if (value is { Shape: null })
            {
                ctx.Slot(value).Failed = true;
            }
        }

        foreach (var node in ctx.Graph.Nodes)
        {
            if (ctx.IsConsumed(node))
            {
                continue;
            }

            var lowering = LoweringTable.Find(node.OpType);
            if (ctx.InputsFailed(node))
            {
                if (lowering is null)
                {
                    ctx.Error(CompilerDiagnostics.UnsupportedOperator, node, LoweringTable.NoLayerMessage);
                }
                else
                {
                    lowering.ReportOwnProblems(ctx, node);
                }

                foreach (var o in node.Outputs)
                {
                    ctx.Slot(o).Failed = true;
                }

                continue;
            }

            if (lowering is null)
            {
                ctx.Error(CompilerDiagnostics.UnsupportedOperator, node, LoweringTable.NoLayerMessage);
                continue;
            }

            ctx.Passes.Record(lowering);
            int consumedBefore = ctx.ConsumedCount;
            lowering.Lower(ctx, node);
            if (ctx.InputRejected)
            {
                return false;
            }

            if (node.Outputs.Any(o => ctx.Slot(o).Failed))
            {
                // The followers this lowering fused share its failure: their consumers must not report it again.
                foreach (var output in ctx.ConsumedSince(consumedBefore).SelectMany(n => n.Outputs))
                {
                    ctx.Slot(output).Failed = true;
                }
            }
        }

        return true;
    }
}
