namespace Emc.Kmodel.Simulation;

/// <summary>
/// How the KPU activation stage rounds and selects segments (spec §6.3). Which rule the silicon implements is
/// undocumented; the SDK-era rule is the only one the kmodel v3 ecosystem shipped, so it is the default.
/// </summary>
public enum ActivationRounding
{
    /// <summary>SDK <c>kpu_carry_shift</c> (round half up) and segment condition <c>x_start ≤ T</c>.</summary>
    SdkHalfUp,

    /// <summary>nncase v0.2 kernels: round half to even and segment condition <c>x_start &lt; T</c>.</summary>
    HalfEven,
}
