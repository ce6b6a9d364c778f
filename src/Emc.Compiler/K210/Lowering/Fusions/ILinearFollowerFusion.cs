using Emc.Compiler.Ir;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>A follower of a conv/FC that is linear per output channel and folds into its weights and bias.</summary>
internal interface ILinearFollowerFusion : IPass
{
    /// <summary>Folds <paramref name="follower"/> (which reads <paramref name="current"/>) into <paramref name="target"/>
    /// when it matches; false leaves everything unchanged.</summary>
    bool TryFold(Node follower, Value current, LinearWeights target);
}
