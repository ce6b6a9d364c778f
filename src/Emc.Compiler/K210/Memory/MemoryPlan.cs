namespace Emc.Compiler.K210.Memory;

/// <summary>What the planner decided: main buffer size and KPU RAM use.</summary>
internal sealed record MemoryPlan(long MainMemoryUsage, long KpuUnitsUsed, long LowestKpuUnit);
