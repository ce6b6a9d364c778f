using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering;

/// <summary>A whole-graph step of lowering (bind the input, lower every node, bind the outputs, check limits).</summary>
internal interface ILoweringStep : IPass
{
    /// <summary>Runs the step; false stops lowering (a diagnostic was reported).</summary>
    bool Run(LoweringContext ctx);

    /// <summary>The named rewrites the step applies itself (listed and counted under it in the pass report).</summary>
    IReadOnlyList<IPass> Rewrites => [];
}
