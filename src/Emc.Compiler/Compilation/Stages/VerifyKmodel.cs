using Emc.Kmodel;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>Reads the emitted bytes back with the validating reader: what the compiler writes, the reader accepts.</summary>
internal sealed class VerifyKmodel : ICompileStage
{
    public static readonly VerifyKmodel Instance = new();

    public string Name => "verify-kmodel";

    public string Summary => "the emitted bytes pass the validating kmodel reader (offsets, sizes, registers, memory ranges), use only layers the stock SDK runs, and fit the device's SRAM";

    public bool Run(CompileState state)
    {
        var check = KmodelReader.Read(state.Bytes!);
        if (check.Value is null)
        {
            foreach (var d in check.Diagnostics.Where(d => d.IsError))
            {
                state.Diagnostics.Add(CompilerDiagnostics.EmittedModelInvalid.Create($"emitted kmodel rejected by the reader: {d.Message}", state.SourcePath));
            }

            return false;
        }

        // The compiler emits only layers the stock kpu.c runs (e.g. no QUANTIZED_TENSORFLOW_FLATTEN of Maix-EMC's patch).
        if (check.Diagnostics.FirstOrDefault(d => d.Code == KmodelDiagnostics.NotRunByStockSdk.Code) is { } patched)
        {
            state.Diagnostics.Add(CompilerDiagnostics.EmittedModelInvalid.Create($"emitted kmodel needs a patched runtime: {patched.Message}", state.SourcePath));
            return false;
        }

        long needed = state.Bytes!.LongLength + check.Value.Header.MainMemUsage;
        if (state.Options.DeviceMemoryBytes > 0 && needed > state.Options.DeviceMemoryBytes)
        {
            state.Diagnostics.Add(CompilerDiagnostics.DeviceMemoryExceeded.Create(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the kmodel ({state.Bytes.LongLength} bytes) plus its main memory ({check.Value.Header.MainMemUsage} bytes) need {needed} bytes; the device has {state.Options.DeviceMemoryBytes} (K210: 6 MiB of SRAM, shared with the firmware). Make the model smaller, or set DeviceMemory / --device-memory (bytes; 0 = no check) for a board that has more"), state.SourcePath));
            return false;
        }

        state.Kmodel = check.Value;
        return true;
    }
}
