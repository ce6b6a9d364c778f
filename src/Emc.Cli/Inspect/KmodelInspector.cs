using System.Globalization;
using System.Text;
using System.Text.Json;
using Emc.Kmodel;

namespace Emc.Cli.Inspect;

/// <summary>
/// <c>emc inspect model.kmodel [--json]</c>: header, output table, every layer (shapes, kernel, pool,
/// quantization parameters, memory ranges) and totals. Diagnostics go to stderr in MSBuild format; any
/// error exits 1.
/// </summary>
public static class KmodelInspector
{
    public static int Run(string path, bool json, TextWriter stdout, TextWriter? stderr = null)
    {
        var result = KmodelReader.ReadFile(path);
        int exit = CliRunner.Report(result.Diagnostics, stderr);
        if (result.Value is null)
        {
            return CliRunner.Errors;
        }

        if (json)
        {
            WriteJson(path, result.Value, stdout);
        }
        else
        {
            WriteText(path, result.Value, stdout);
        }

        return exit;
    }

    private static void WriteText(string path, KmodelFile model, TextWriter o)
    {
        o.WriteLine($"kmodel v3: {path}");
        o.WriteLine("header: " + Line(KmodelInspectFacts.Header(model)));
        o.WriteLine("input: " + Line(KmodelInspectFacts.Input(model)));
        for (int i = 0; i < model.Outputs.Count; i++)
        {
            var output = model.Outputs[i];
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"output {i}: main [{output.Address}, {(long)output.Address + output.Size}) size {output.Size}"));
        }

        o.WriteLine("layers:");
        for (int i = 0; i < model.Layers.Count; i++)
        {
            var facts = KmodelInspectFacts.Layer(model, i);
            var memory = (List<List<KeyValuePair<string, object>>>)facts.Single(f => f.Key == "memory").Value;
            string main = string.Join(", ", facts.Where(f => f.Key is not ("index" or "type" or "memory")).Select(Pair));
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {i,3} {KmodelLayerTypes.SdkName(model.Layers[i].Type),-28} {main}"));
            foreach (var range in memory)
            {
                var r = range.ToDictionary(p => p.Key, p => p.Value);
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"        {r["access"]} {r["name"]}: {r["space"]} [{r["start"]}, {r["end"]}){(Equals(r["unit"], "64B") ? " units" : string.Empty)}"));
            }
        }

        o.WriteLine("totals: " + Line(KmodelInspectFacts.Totals(model)));
    }

    private static string Line(List<KeyValuePair<string, object>> facts) => string.Join(", ", facts.Select(Pair));

    private static string Pair(KeyValuePair<string, object> pair) => $"{pair.Key} {Format(pair.Value)}";

    private static string Format(object value) => value switch
    {
        int[] shape => string.Join("×", shape),
        bool b => b ? "yes" : "no",
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static void WriteJson(string path, KmodelFile model, TextWriter o)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("file", path);
            w.WriteString("format", "kmodel v3");
            w.WritePropertyName("header");
            WriteObject(w, KmodelInspectFacts.Header(model));
            w.WritePropertyName("input");
            WriteObject(w, KmodelInspectFacts.Input(model));
            w.WriteStartArray("outputs");
            foreach (var output in model.Outputs)
            {
                w.WriteStartObject();
                w.WriteNumber("address", output.Address);
                w.WriteNumber("size", output.Size);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("layers");
            for (int i = 0; i < model.Layers.Count; i++)
            {
                WriteObject(w, KmodelInspectFacts.Layer(model, i));
            }

            w.WriteEndArray();
            w.WritePropertyName("totals");
            WriteObject(w, KmodelInspectFacts.Totals(model));
            w.WriteEndObject();
        }

        o.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteObject(Utf8JsonWriter w, List<KeyValuePair<string, object>> facts)
    {
        w.WriteStartObject();
        foreach (var (key, value) in facts)
        {
            w.WritePropertyName(key);
            WriteValue(w, value);
        }

        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, object value)
    {
        switch (value)
        {
            case string s:
                w.WriteStringValue(s);
                break;
            case long l:
                w.WriteNumberValue(l);
                break;
            case float f:
                w.WriteNumberValue(f);
                break;
            case bool b:
                w.WriteBooleanValue(b);
                break;
            case int[] array:
                w.WriteStartArray();
                foreach (int item in array)
                {
                    w.WriteNumberValue(item);
                }

                w.WriteEndArray();
                break;
            case List<List<KeyValuePair<string, object>>> list:
                w.WriteStartArray();
                foreach (var item in list)
                {
                    WriteObject(w, item);
                }

                w.WriteEndArray();
                break;
            default:
                throw new InvalidOperationException($"no JSON form for {value.GetType().Name}");
        }
    }
}
