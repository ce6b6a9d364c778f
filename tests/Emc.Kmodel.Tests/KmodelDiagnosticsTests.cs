using System.Reflection;

namespace Emc.Kmodel.Tests;

[TestClass]
public sealed class KmodelDiagnosticsTests
{
    [TestMethod]
    public void EveryDescriptorIsListedOnceWithAnEmc03xxCode()
    {
        var declared = typeof(KmodelDiagnostics).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => f.GetValue(null)).OfType<Emc.Diagnostics.DiagnosticDescriptor>().ToList();
        CollectionAssert.AreEquivalent(declared, KmodelDiagnostics.All.ToList());
        Assert.AreEqual(declared.Count, declared.Select(d => d.Code).Distinct().Count(), "codes are unique");
        Assert.IsTrue(declared.All(d => d.Code.Length == 7 && d.Code.StartsWith("EMC03", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void LayerTypeHelpersFollowSpecTable()
    {
        KmodelLayerType[] notRun = [KmodelLayerType.Invalid, KmodelLayerType.GlobalMaxPool2D, KmodelLayerType.QuantizedGlobalMaxPool2D,
            KmodelLayerType.QuantizedGlobalAveragePool2D, KmodelLayerType.MaxPool2D, KmodelLayerType.QuantizedAveragePool2D,
            KmodelLayerType.QuantizedFullyConnected, KmodelLayerType.QuantizedTensorflowFlatten];
        foreach (var type in Enum.GetValues<KmodelLayerType>())
        {
            Assert.AreEqual(!notRun.Contains(type), KmodelLayerTypes.IsRunByStockSdk(type), type.ToString());
        }

        Assert.IsFalse(KmodelLayerTypes.IsKnown((KmodelLayerType)26));
        Assert.IsFalse(KmodelLayerTypes.IsKnown((KmodelLayerType)10244));
        Assert.AreEqual("K210_REMOVE_PADDING", KmodelLayerTypes.SdkName(KmodelLayerType.K210RemovePadding));
    }
}
