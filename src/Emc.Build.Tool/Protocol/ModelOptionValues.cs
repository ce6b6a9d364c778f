using System.Globalization;

namespace Emc.Build.Tool;

/// <summary>
/// The compile options of an EmcModel item, validated from its metadata without the compiler: every bad value is a
/// problem (reported as EMC0801) naming the metadata, the value and what is accepted. The task checks them and
/// writes <see cref="Canonical"/> to the options stamp; the tool maps them to the compiler's options
/// (ModelOptionsParser). Unset values are null: the compiler's defaults apply.
/// </summary>
internal sealed class ModelOptionValues
{
    // The compiler's defaults (CompileOptions), as the stamp names them; OptionsStampTests checks they agree.
    private const string DefaultChannelOrder = "Rgb";
    private const string DefaultCalibration = "Default";
    private const string DefaultFullyConnected = "Default";
    private const int DefaultWeightBits = 8;
    private const int DefaultMaxCalibrationSamples = 256;
    private const long DefaultDeviceMemoryBytes = 6L << 20;

    private static readonly string[] s_channelOrders = ["Rgb", "Bgr"];

    private static readonly string[] s_calibrations = ["Default", "MinMax", "Percentile", "Mse", "Kld", "Consumer"];

    private static readonly string[] s_activationRanges = ["PerTensor", "PerChannel"];

    private static readonly string[] s_weightRoundings = ["Nearest", "ErrorFeedback"];

    private static readonly string[] s_fullyConnected = ["Default", "Cpu", "Kpu"];

    public IReadOnlyList<string> Dataset { get; private set; } = [];

    public float[]? InputRange { get; private set; }

    public List<float>? Mean { get; private set; }

    public List<float>? Std { get; private set; }

    /// <summary>A name of the compiler's ChannelOrder, CalibrationMethod, FullyConnectedTarget as it spells it.</summary>
    public string? ChannelOrder { get; private set; }

    public string? Calibration { get; private set; }

    public string? FullyConnected { get; private set; }

    public string? ActivationRanges { get; private set; }

    public string? WeightRounding { get; private set; }

    public int? WeightBits { get; private set; }

    public int? MaxCalibrationSamples { get; private set; }

    /// <summary>By input name ("" = the only input).</summary>
    public SortedDictionary<string, int[]>? InputShapes { get; private set; }

    public List<string>? Outputs { get; private set; }

    public bool AutoTail { get; private set; }

    public long? DeviceMemoryBytes { get; private set; }

    /// <summary>FineActivations: percent of the KPU multiply-adds to spend on finer early activations (0 = none).</summary>
    public int? FineActivationsPercent { get; private set; }

    /// <param name="problems">Receives one message per bad value (the caller reports each as EMC0801).</param>
    public static ModelOptionValues Parse(IModelItem item, IReadOnlyList<string> datasetFiles, List<string> problems)
    {
        var o = new ModelOptionValues { Dataset = datasetFiles };
        string model = item.ItemSpec;
        void Bad(string name, string value, string expected) =>
            problems.Add($"EmcModel '{model}': {name}='{value}' is invalid; expected {expected}");

        string range = item.GetMetadata(ModelMetadata.InputRange);
        var mean = Floats(item, ModelMetadata.Mean, Bad);
        var std = Floats(item, ModelMetadata.Std, Bad);
        if (range.Length > 0)
        {
            var values = Floats(item, ModelMetadata.InputRange, Bad);
            if (values is { Count: 2 } && values[0] < values[1])
            {
                o.InputRange = [values[0], values[1]];
            }
            else if (values is not null)
            {
                Bad(ModelMetadata.InputRange, range, "two numbers 'low,high' with low < high");
            }

            if (mean is not null || std is not null)
            {
                Bad(ModelMetadata.InputRange, range, "either InputRange or Mean/Std, not both");
            }
        }

        if ((mean is null) != (std is null))
        {
            Bad(mean is null ? ModelMetadata.Std : ModelMetadata.Mean, "", "Mean and Std go together");
        }
        else if (mean is not null && std is not null)
        {
            if (mean.Count is not (1 or 3) || std.Count is not (1 or 3) || std.Any(s => s <= 0))
            {
                Bad(ModelMetadata.Std, item.GetMetadata(ModelMetadata.Std), "1 or 3 values each; Std > 0");
            }
            else
            {
                o.Mean = mean;
                o.Std = std;
            }
        }

        o.ChannelOrder = Name(item, ModelMetadata.ChannelOrder, s_channelOrders, "RGB or BGR", Bad);

        string bits = item.GetMetadata(ModelMetadata.WeightBits);
        if (bits is "8" or "16")
        {
            o.WeightBits = int.Parse(bits, CultureInfo.InvariantCulture);
        }
        else if (bits.Length > 0)
        {
            Bad(ModelMetadata.WeightBits, bits, "8 or 16");
        }

        o.Calibration = Name(item, ModelMetadata.Calibration, s_calibrations, "Default, MinMax, Percentile, Mse, Kld or Consumer", Bad);
        o.ActivationRanges = Name(item, ModelMetadata.ActivationRanges, s_activationRanges, "PerTensor or PerChannel", Bad);
        o.WeightRounding = Name(item, ModelMetadata.WeightRounding, s_weightRoundings, "Nearest or ErrorFeedback", Bad);
        o.FullyConnected = Name(item, ModelMetadata.FullyConnected, s_fullyConnected, "Default, Cpu or Kpu", Bad);

        string samples = item.GetMetadata(ModelMetadata.MaxCalibrationSamples);
        if (samples.Length > 0)
        {
            if (int.TryParse(samples, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0)
            {
                o.MaxCalibrationSamples = n;
            }
            else
            {
                Bad(ModelMetadata.MaxCalibrationSamples, samples, "a positive integer");
            }
        }

        string inputShape = item.GetMetadata(ModelMetadata.InputShape);
        if (inputShape.Length > 0)
        {
            if (InputShapeText.Parse(inputShape, out string? error) is { } shapes)
            {
                o.InputShapes = shapes;
            }
            else
            {
                Bad(ModelMetadata.InputShape, inputShape, "NAME=d0,d1,… entries separated by ';' (or d0,d1,… for the only input); " + error);
            }
        }

        string outputs = item.GetMetadata(ModelMetadata.Outputs);
        if (outputs.Length > 0)
        {
            var names = outputs.Split([','], StringSplitOptions.RemoveEmptyEntries).Select(n => n.Trim()).Where(n => n.Length > 0).ToList();
            if (names.Count > 0)
            {
                o.Outputs = names;
            }
            else
            {
                Bad(ModelMetadata.Outputs, outputs, "comma-separated tensor names");
            }
        }

        string tail = item.GetMetadata(ModelMetadata.Tail);
        if (tail.Length > 0)
        {
            if (string.Equals(tail, "Auto", StringComparison.OrdinalIgnoreCase) && o.Outputs is null)
            {
                o.AutoTail = true;
            }
            else if (!string.Equals(tail, "None", StringComparison.OrdinalIgnoreCase))
            {
                Bad(ModelMetadata.Tail, tail, o.Outputs is null ? "None or Auto" : "None (Outputs already chooses the outputs)");
            }
        }

        string fine = item.GetMetadata(ModelMetadata.FineActivations);
        if (fine.Length > 0)
        {
            if (int.TryParse(fine, NumberStyles.None, CultureInfo.InvariantCulture, out int percent) && percent <= 1000)
            {
                o.FineActivationsPercent = percent;
            }
            else
            {
                Bad(ModelMetadata.FineActivations, fine, "a percentage from 0 to 1000 (of the model's KPU multiply-adds)");
            }
        }

        string deviceMemory = item.GetMetadata(ModelMetadata.DeviceMemory);
        if (deviceMemory.Length > 0)
        {
            if (long.TryParse(deviceMemory, NumberStyles.None, CultureInfo.InvariantCulture, out long bytes))
            {
                o.DeviceMemoryBytes = bytes;
            }
            else
            {
                Bad(ModelMetadata.DeviceMemory, deviceMemory, "a byte count ≥ 0 (0 = no check)");
            }
        }

        return o;
    }

    /// <summary>
    /// Canonical text of everything that changes the outputs, written to the per-model options stamp: the same text
    /// as the tool's ModelOptionsParser.Canonical of the compiler's options (OptionsStampTests).
    /// </summary>
    public string Canonical(IModelItem item)
    {
        static string F(float v) => v.ToString("R", CultureInfo.InvariantCulture);
        static string I(long v) => v.ToString(CultureInfo.InvariantCulture);
        var lines = new List<string>
        {
            "emc-options v1",
            "dataset=" + string.Join("|", Dataset),
            "inputRange=" + (InputRange is { } r ? F(r[0]) + "," + F(r[1]) : ""),
            "mean=" + (Mean is null ? "" : string.Join(",", Mean.Select(F))),
            "std=" + (Std is null ? "" : string.Join(",", Std.Select(F))),
            "channelOrder=" + (ChannelOrder ?? DefaultChannelOrder),
            "weightBits=" + I(WeightBits ?? DefaultWeightBits),
            "calibration=" + (Calibration ?? DefaultCalibration),
            "maxSamples=" + I(MaxCalibrationSamples ?? DefaultMaxCalibrationSamples),
            "fullyConnected=" + (FullyConnected ?? DefaultFullyConnected),
            "inputShapes=" + InputShapeText.Format(InputShapes),
            "outputs=" + (Outputs is null ? "" : string.Join(",", Outputs)),
            "autoTail=" + (AutoTail ? "true" : "false"),
        };
        if ((DeviceMemoryBytes ?? DefaultDeviceMemoryBytes) != DefaultDeviceMemoryBytes)
        {
            // Only when set: existing stamps (and so up-to-date models) stay as they were.
            lines.Add("deviceMemory=" + I(DeviceMemoryBytes!.Value));
        }

        if (ActivationRanges is { } ranges && ranges != s_activationRanges[0])
        {
            lines.Add("activationRanges=" + ranges); // only when set, as deviceMemory
        }

        if (WeightRounding is { } rounding && rounding != s_weightRoundings[0])
        {
            lines.Add("weightRounding=" + rounding); // only when set, as deviceMemory
        }

        if (FineActivationsPercent is > 0 and var percent)
        {
            lines.Add("fineActivations=" + I(percent)); // only when set, as deviceMemory
        }

        if (item.GetMetadata(ModelMetadata.CSharpUtf8Literal).Length > 0)
        {
            // Only when set (LangVersion 8–10): existing stamps stay as they were.
            lines.Add(ModelMetadata.CSharpUtf8Literal + "=" + item.GetMetadata(ModelMetadata.CSharpUtf8Literal));
        }

        foreach (string name in new[]
                 {
                     ModelMetadata.OutputName, ModelMetadata.Namespace, ModelMetadata.ClassName, ModelMetadata.Access,
                     ModelMetadata.GenerateCHeader, ModelMetadata.GenerateCSharp, ModelMetadata.Report,
                     ModelMetadata.EmbedAsResource, ModelMetadata.ResourceName,
                 })
        {
            lines.Add(name + "=" + item.GetMetadata(name));
        }

        return string.Join("\n", lines);
    }

    /// <summary>One of <paramref name="names"/>, case-insensitive, spelt as listed; null when unset or bad.</summary>
    private static string? Name(IModelItem item, string metadata, string[] names, string expected, Action<string, string, string> bad)
    {
        string value = item.GetMetadata(metadata);
        if (value.Length == 0)
        {
            return null;
        }

        string? name = names.FirstOrDefault(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase));
        if (name is null)
        {
            bad(metadata, value, expected);
        }

        return name;
    }

    private static List<float>? Floats(IModelItem item, string name, Action<string, string, string> bad)
    {
        string text = item.GetMetadata(name);
        if (text.Length == 0)
        {
            return null;
        }

        var values = new List<float>();
        foreach (string part in text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!float.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || float.IsNaN(v) || float.IsInfinity(v))
            {
                bad(name, text, "comma-separated numbers");
                return null;
            }

            values.Add(v);
        }

        return values;
    }
}
