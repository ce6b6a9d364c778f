using Emc.Compiler.K210.Memory;
using Emc.Kmodel;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>Places every tensor in main memory and KPU RAM (with in-place reuse) and checks KPU RAM holds the peak.</summary>
internal sealed class PlanMemory : ICompileStage
{
    public static readonly PlanMemory Instance = new();

    public string Name => "plan-memory";

    public string Summary => "main-memory and KPU RAM addresses for every tensor (in-place reuse where the runtime allows); KPU RAM peak ≤ 2 MiB";

    public bool Run(CompileState state)
    {
        state.Plan = MemoryPlanner.Plan(state.Model!);
        if (state.Plan.KpuUnitsUsed > KpuTensorLayout.TotalUnits)
        {
            state.Diagnostics.Add(CompilerDiagnostics.KpuMemoryExceeded.Create(
                $"the live KPU maps need {state.Plan.KpuUnitsUsed} units of 64 bytes at their peak; KPU RAM has {KpuTensorLayout.TotalUnits} (2 MiB)", state.SourcePath));
            return false;
        }

        return true;
    }
}
