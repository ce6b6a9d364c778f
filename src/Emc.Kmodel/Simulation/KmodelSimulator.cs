using System.Globalization;
using Emc.Diagnostics;
using Emc.Kmodel.Simulation.Steps;

namespace Emc.Kmodel.Simulation;

/// <summary>What the first layer takes as input (spec §2).</summary>
public enum SimulatorInputKind
{
    /// <summary>uint8 planar CHW of the first K210_CONV's i_ch × i_h × i_w.</summary>
    UInt8Planar,

    /// <summary>float32 little-endian, the first FULLY_CONNECTED's in_channels values.</summary>
    FloatVector,
}

/// <summary>
/// Bit-exact host simulator of the K210 kmodel v3 runtime (SDK kpu.c + KPU). Layers run in file order on a
/// main buffer of main_mem_usage bytes and the 2 MiB KPU RAM; integer layers are exact, float layers use single
/// precision in kpu.c's order. Every memory range is checked when the simulator is created, so a model that
/// creates successfully cannot access memory out of range. Both memories are zeroed before each run (the
/// device leaves them uninitialised; zero keeps runs deterministic). Not thread-safe; create one per thread.
/// </summary>
public sealed class KmodelSimulator
{
    private readonly SimulationStep[] _steps;
    private readonly SimulationState _state;
    private readonly KmodelFile _file;
    private readonly SimulatorOptions _options;
    private readonly KpuMapAddressing _inputMap;
    private readonly uint _floatInputAddress;
    private readonly string? _path;

    private KmodelSimulator(KmodelFile file, SimulatorOptions options, SimulationStep[] steps, string? path)
    {
        _file = file;
        _options = options;
        _steps = steps;
        _path = path;
        _state = new SimulationState((int)file.Header.MainMemUsage);
        switch (file.Layers[0].Body)
        {
            case K210ConvBody conv:
                KpuLayerArgument r = conv.Registers;
                InputKind = SimulatorInputKind.UInt8Planar;
                InputShape = ((int)r.IChNum + 1, (int)r.IColHigh + 1, (int)r.IRowWid + 1);
                _inputMap = KpuMapAddressing.ForWidth((int)r.ImageSrcAddr, InputShape.Channels, InputShape.Height, InputShape.Width);
                InputBytes = InputShape.Channels * InputShape.Height * InputShape.Width;
                break;
            case FullyConnectedBody fc:
                InputKind = SimulatorInputKind.FloatVector;
                InputShape = ((int)fc.InChannels, 1, 1);
                _floatInputAddress = fc.In;
                InputBytes = (int)fc.InChannels * 4;
                break;
        }
    }

    public SimulatorInputKind InputKind { get; }

    /// <summary>(C, H, W) of the input; (in_channels, 1, 1) for a float input.</summary>
    public (int Channels, int Height, int Width) InputShape { get; }

    /// <summary>Bytes <see cref="Run"/> expects.</summary>
    public int InputBytes { get; }

    public KmodelFile Model => _file;

    /// <summary>Checks the whole model and prepares it; diagnostics (EMC04xx) name each layer that cannot run.</summary>
    public static Result<KmodelSimulator> Create(KmodelFile file, SimulatorOptions? options = null, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        options ??= SimulatorOptions.Default;
        var bag = new DiagnosticBag();
        static string S(FormattableString f) => f.ToString(CultureInfo.InvariantCulture);

        KmodelHeader h = file.Header;
        if (h.Version != KmodelHeader.Version3 || h.Arch != 0)
        {
            bag.Add(SimulatorDiagnostics.Header.Create(S($"version {h.Version}, arch {h.Arch}: the SDK runs only version 3, arch 0"), path));
            return new Result<KmodelSimulator>(null, bag);
        }

        if (h.MainMemUsage > options.MaxMainMemory)
        {
            bag.Add(SimulatorDiagnostics.MainMemoryTooLarge.Create(
                S($"main_mem_usage {h.MainMemUsage} bytes exceeds the limit of {options.MaxMainMemory} (the K210 has 6 MiB of RAM)"), path));
            return new Result<KmodelSimulator>(null, bag);
        }

        if (file.Layers.Count == 0)
        {
            bag.Add(SimulatorDiagnostics.NoLayers.Create("the model has no layers", path));
            return new Result<KmodelSimulator>(null, bag);
        }

        var steps = new SimulationStep[file.Layers.Count];
        long work = 0;
        for (int i = 0; i < steps.Length; i++)
        {
            LayerBody body = file.Layers[i].Body;
            var check = new LayerChecker(bag, i, body.Type, h.MainMemUsage, path);
            if (i == 0)
            {
                CheckFirstLayer(body, check);
            }

            steps[i] = LayerCompiler.Compile(i, body, h, options, check)!;
            work = check.Work > long.MaxValue - work ? long.MaxValue : work + check.Work;
        }

        if (work > options.MaxMultiplyAccumulates)
        {
            bag.Add(SimulatorDiagnostics.TooLarge.Create(
                S($"one inference needs {work} multiply-accumulates, above the limit of {options.MaxMultiplyAccumulates} (SimulatorOptions.MaxMultiplyAccumulates)"), path));
        }

        if (file.Layers[^1].Body is K210ConvBody { MainMemOut: false })
        {
            bag.Add(SimulatorDiagnostics.LastLayerKpuOnly.Create(
                S($"layer {file.Layers.Count - 1} (K210_CONV) is last but keeps its output in KPU RAM; the SDK finishes a model only through main memory"),
                path, S($"layer {file.Layers.Count - 1}"), "K210_CONV"));
        }

        for (int i = 0; i < file.Outputs.Count; i++)
        {
            KmodelOutput o = file.Outputs[i];
            if ((long)o.Address + o.Size > h.MainMemUsage)
            {
                bag.Add(SimulatorDiagnostics.OutputRange.Create(
                    S($"output {i} [{o.Address}, {o.Address}+{o.Size}) ends past main_mem_usage {h.MainMemUsage}"), path));
            }
        }

        return bag.HasErrors
            ? new Result<KmodelSimulator>(null, bag)
            : new Result<KmodelSimulator>(new KmodelSimulator(file, options, steps, path), bag);
    }

    /// <summary>Prepares and runs once; every problem comes back as a diagnostic.</summary>
    public static Result<SimulationResult> Simulate(KmodelFile file, ReadOnlySpan<byte> input, SimulatorOptions? options = null, string? path = null)
    {
        var created = Create(file, options, path);
        return created.Value is { } simulator ? simulator.TryRun(input) : new Result<SimulationResult>(null, created.Diagnostics);
    }

    /// <summary>Runs one inference; a wrong input size comes back as EMC0406.</summary>
    public Result<SimulationResult> TryRun(ReadOnlySpan<byte> input)
    {
        if (input.Length != InputBytes)
        {
            return new Result<SimulationResult>(null, [InputSizeDiagnostic(input.Length)]);
        }

        return new Result<SimulationResult>(Execute(input), []);
    }

    /// <summary>Runs one inference; throws <see cref="DiagnosticException"/> (EMC0406) when the input size is wrong.</summary>
    public SimulationResult Run(ReadOnlySpan<byte> input)
        => input.Length == InputBytes ? Execute(input) : throw new DiagnosticException(InputSizeDiagnostic(input.Length));

    private Diagnostic InputSizeDiagnostic(int actual)
    {
        string expected = InputKind == SimulatorInputKind.UInt8Planar
            ? string.Create(CultureInfo.InvariantCulture, $"{InputBytes} bytes (uint8 planar {InputShape.Channels}×{InputShape.Height}×{InputShape.Width})")
            : string.Create(CultureInfo.InvariantCulture, $"{InputBytes} bytes ({InputShape.Channels} float32)");
        return SimulatorDiagnostics.InputSize.Create(string.Create(CultureInfo.InvariantCulture, $"input has {actual} bytes; the model takes {expected}"), _path);
    }

    private SimulationResult Execute(ReadOnlySpan<byte> input)
    {
        Array.Clear(_state.Main);
        Array.Clear(_state.Kpu);
        if (InputKind == SimulatorInputKind.UInt8Planar)
        {
            // i_w % 64 == 0: the SDK DMAs the planar bytes; otherwise the CPU copies into the layout. Both give this map.
            _inputMap.Scatter(input, _state.Kpu);
        }
        else
        {
            input.CopyTo(_state.Main.AsSpan((int)_floatInputAddress, input.Length));
        }

        LayerTraceHandler? trace = _options.Trace;
        foreach (SimulationStep step in _steps)
        {
            step.Run(_state);
            trace?.Invoke(step.Index, step.Type, step.Written(_state));
        }

        var outputs = new SimulationOutput[_file.Outputs.Count];
        for (int i = 0; i < outputs.Length; i++)
        {
            KmodelOutput o = _file.Outputs[i];
            outputs[i] = new SimulationOutput(i, o.Address, _state.Main.AsSpan((int)o.Address, (int)o.Size).ToArray());
        }

        return new SimulationResult(outputs);
    }

    private static void CheckFirstLayer(LayerBody body, LayerChecker check)
    {
        switch (body)
        {
            case K210ConvBody conv:
                KpuLayerArgument r = conv.Registers;
                int c = (int)r.IChNum + 1, h = (int)r.IColHigh + 1, w = (int)r.IRowWid + 1;
                check.Kpu("input upload", KpuMapAddressing.ForWidth((int)r.ImageSrcAddr, c, h, w));
                if (w % 64 == 0)
                {
                    check.Require((long)r.ChannelSwitchAddr * 64 == (long)h * w, SimulatorDiagnostics.ConvRegisters,
                        string.Create(CultureInfo.InvariantCulture,
                            $"input DMA copies channel_switch_addr·64·i_ch = {(long)r.ChannelSwitchAddr * 64 * c} bytes but the input has {(long)c * h * w}"));
                }

                break;
            case FullyConnectedBody:
                break;
            default:
                check.Error(SimulatorDiagnostics.BadFirstLayer, "kpu_run_kmodel accepts only K210_CONV or FULLY_CONNECTED first");
                break;
        }
    }
}
