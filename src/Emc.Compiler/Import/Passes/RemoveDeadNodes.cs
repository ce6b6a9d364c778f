using Emc.Compiler.Ir;
using Emc.Compiler.Passes;

namespace Emc.Compiler.Import.Passes;

/// <summary>Nodes whose outputs nobody reads (and that are not graph outputs) are removed.</summary>
internal sealed class RemoveDeadNodes : IGraphPass
{
    public static readonly RemoveDeadNodes Instance = new();

    public string Name => "remove-dead-nodes";

    public string Summary => "nodes whose outputs nobody reads and that produce no graph output are removed";

    public int Run(Graph graph)
    {
        int before = graph.Nodes.Count;
        graph.RemoveDeadNodes();
        return before - graph.Nodes.Count;
    }
}
