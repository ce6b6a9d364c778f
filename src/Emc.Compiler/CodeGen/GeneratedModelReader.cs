using Emc.Compiler.Compilation;
using Emc.Diagnostics;
using Emc.Kmodel;

namespace Emc.Compiler.CodeGen;

/// <summary>
/// Builds <see cref="GeneratedModel"/> from what the kmodel FILE says (read back with <see cref="KmodelReader"/>),
/// so generated code describes the bytes it embeds, not the compiler's intentions. Shapes of CPU layers are not
/// stored in the file; they come from the compile report when it has the same layer count, else the element
/// count is given as a 1-D shape.
/// </summary>
public static class GeneratedModelReader
{
    public static Result<GeneratedModel> Describe(
        string identifier, string sourceName, byte[] kmodel, ModelInterface modelInterface, CompileReport? report)
    {
        var read = KmodelReader.Read(kmodel);
        if (read.Value is not { } file)
        {
            return new Result<GeneratedModel>(null, read.Diagnostics);
        }

        var reportLayers = report?.Layers is { } rl && rl.Count == file.Layers.Count ? rl : null;
        var layers = new List<LayerFacts>(file.Layers.Count);
        for (int i = 0; i < file.Layers.Count; i++)
        {
            layers.Add(Describe(i, file.Layers[i].Body, reportLayers?[i]));
        }

        var model = new GeneratedModel(
            identifier, sourceName, kmodel, modelInterface, layers, file.Header.MainMemUsage, GeneratedModel.HashOf(kmodel));
        return new Result<GeneratedModel>(model, []);
    }

    private static LayerFacts Describe(int index, LayerBody body, LayerReport? report)
    {
        string type = KmodelLayerTypes.SdkName(body.Type);
        if (body is K210ConvBody conv)
        {
            var r = conv.Registers;
            return new LayerFacts(
                index,
                type,
                OnKpu: true,
                [1, r.InChannels, r.InHeight, r.InWidth],
                [1, r.OutChannels, r.OutHeight, r.OutWidth],
                conv.MainMemOut ? "kpu->main" : "kpu");
        }

        (int inCount, int outCount) = ElementCounts(body);
        string placement = body is K210UploadBody or K210AddPaddingBody ? "main->kpu" : "main";
        return new LayerFacts(
            index,
            type,
            OnKpu: false,
            report?.InputShape ?? [inCount],
            report?.OutputShape ?? [outCount],
            placement);
    }

    private static (int In, int Out) ElementCounts(LayerBody body) => body switch
    {
        QuantizeBody q => ((int)q.Count, (int)q.Count),
        DequantizeBody d => ((int)d.Count, (int)d.Count),
        RequantizeBody r => ((int)r.Count, (int)r.Count),
        AddBody a => ((int)a.Count, (int)a.Count),
        SoftmaxBody s => ((int)s.Channels, (int)s.Channels),
        LogisticBody l => ((int)l.Channels, (int)l.Channels),
        L2NormalizationBody l => ((int)l.Channels, (int)l.Channels),
        FullyConnectedBody f => ((int)f.InChannels, (int)f.OutChannels),
        GlobalAveragePool2DBody g => ((int)(g.KernelSize * g.Channels), (int)g.Channels),
        K210UploadBody u => ((int)(u.Width * u.Height * u.Channels), (int)(u.Width * u.Height * u.Channels)),
        TensorflowFlattenBody t => ((int)(t.Width * t.Height * t.Channels), (int)(t.Width * t.Height * t.Channels)),
        K210AddPaddingBody p => ((int)p.Channels, (int)p.Channels),
        K210RemovePaddingBody p => ((int)p.Channels, (int)p.Channels),
        _ => (0, 0),
    };
}
