using Emc.Compiler.Evaluation;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Diagnostics;
using Emc.Onnx.Protobuf;

namespace Emc.Compiler.Tests.Support;

/// <summary>Our side of every comparison: OnnxImporter + ReferenceEvaluator, binding graph inputs as constants where the
/// importer needs them at compile time.</summary>
internal static class ModelRunner
{
    /// <summary>What a run produced: outputs, or the diagnostics that stopped it (import or evaluation).</summary>
    public sealed record Outcome(IReadOnlyList<Tensor>? Outputs, IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<string> BoundAsConstants)
    {
        public bool Succeeded => Outputs is not null;

        public string DiagnosticText => string.Join("\n", Diagnostics.Where(d => d.IsError).Select(d => d.ToString()));
    }

    /// <summary>Graph inputs that take data (ONNX: inputs without an initializer), in order.</summary>
    public static List<string> DataInputNames(ModelProto model)
    {
        var initialized = model.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        return model.Graph.Input.Select(i => i.Name).Where(n => !initialized.Contains(n)).ToList();
    }

    /// <summary>
    /// Imports and evaluates <paramref name="model"/> on <paramref name="inputs"/> (bound by position to
    /// <see cref="DataInputNames"/>). Non-float inputs are bound as compile-time constants up front (shape, axes, pads…);
    /// float inputs are bound too when the importer reports EMC0203 (input must be constant) naming them (Resize
    /// scales, Clip min/max, Pad constant_value…).
    /// </summary>
    public static Outcome Run(ModelProto model, string? path, IReadOnlyList<Tensor> inputs)
    {
        List<string> names = DataInputNames(model);
        if (names.Count != inputs.Count)
        {
            throw new ArgumentException($"model takes {names.Count} inputs, {inputs.Count} given");
        }

        var constants = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++)
        {
            if (inputs[i].Type != DataType.Float32)
            {
                constants[names[i]] = inputs[i];
            }
        }

        Result<Graph> imported;
        while (true)
        {
            imported = OnnxImporter.Import(model, path, new ImportOptions { ConstantInputs = constants });
            if (imported.Value is not null)
            {
                break;
            }

            var needed = names.Where(n => !constants.ContainsKey(n) &&
                imported.Diagnostics.Any(d => d.Code == "EMC0203" && d.Message.Contains($"'{n}'", StringComparison.Ordinal))).ToList();
            if (needed.Count == 0)
            {
                return new Outcome(null, imported.Diagnostics, [.. constants.Keys]);
            }

            foreach (string n in needed)
            {
                constants[n] = inputs[names.IndexOf(n)];
            }
        }

        var runtime = new List<Tensor>();
        for (int i = 0; i < names.Count; i++)
        {
            if (!constants.ContainsKey(names[i]))
            {
                runtime.Add(inputs[i]);
            }
        }

        Result<ReferenceEvaluator> evaluator = ReferenceEvaluator.Create(imported.Value);
        if (evaluator.Value is null)
        {
            return new Outcome(null, [.. imported.Diagnostics, .. evaluator.Diagnostics], [.. constants.Keys]);
        }

        Result<IReadOnlyList<Tensor>> run = evaluator.Value.TryRun(runtime);
        return new Outcome(run.Value, [.. imported.Diagnostics, .. run.Diagnostics], [.. constants.Keys]);
    }
}
