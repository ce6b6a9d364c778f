namespace Emc.Kmodel.Simulation;

/// <summary>Receives each layer's output bytes as the layer finishes (planar CHW for convs; the written range otherwise).</summary>
public delegate void LayerTraceHandler(int layerIndex, KmodelLayerType type, ReadOnlySpan<byte> output);

/// <summary>How the simulator behaves where the device is undocumented or where tools differ.</summary>
public sealed record SimulatorOptions
{
    public static SimulatorOptions Default { get; } = new();

    /// <summary>Activation rounding and segment condition (spec §6.3). Default: the SDK-era rule.</summary>
    public ActivationRounding Rounding { get; init; } = ActivationRounding.SdkHalfUp;

    /// <summary>
    /// Run QUANTIZED_TENSORFLOW_FLATTEN (21) as the uint8 version of TENSORFLOW_FLATTEN, as Maix-EMC's patched kpu.c
    /// does (its published files use it). When false the layer is rejected like the stock SDK does.
    /// </summary>
    public bool RunQuantizedFlatten { get; init; } = true;

    /// <summary>Largest main buffer accepted (the K210 has 6 MiB of general RAM). Default 64 MiB.</summary>
    public long MaxMainMemory { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// Largest number of multiply-accumulates (conv taps, FC weights, pool window taps) one inference may cost;
    /// a model above it gets EMC0408 from <see cref="KmodelSimulator.Create"/>. The default (2^36, minutes of
    /// simulation) only stops absurd corrupt files; services and fuzzers set a tighter bound. mbnetv1 needs ~0.33·10^9.
    /// </summary>
    public long MaxMultiplyAccumulates { get; init; } = 1L << 36;

    /// <summary>Optional per-layer trace.</summary>
    public LayerTraceHandler? Trace { get; init; }
}
