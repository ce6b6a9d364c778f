using Emc.Compiler.Passes;

namespace Emc.Compiler.Import.Passes;

/// <summary>The graph passes run at the end of import, in order (after shape inference and constant folding).</summary>
internal static class ImportPasses
{
    public static IReadOnlyList<IGraphPass> All { get; } = [RemovePassThroughNodes.Instance, RemoveDeadNodes.Instance];

    /// <summary>Runs every pass, recording what each changed in the graph's log.</summary>
    public static void Run(Ir.Graph graph)
    {
        foreach (var pass in All)
        {
            graph.PassLog.Record(pass, pass.Run(graph));
        }
    }
}
